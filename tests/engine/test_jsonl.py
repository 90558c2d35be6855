"""`moodtape chat --jsonl` as a subprocess, the way other programs drive it."""
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.conftest import ROOT


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    return tmp_path_factory.mktemp("jsonl-home")


def run_jsonl(home: Path, lines: list, timeout=300):
    env = dict(os.environ, MOODTAPE_HOME=str(home))
    payload = "".join((line if isinstance(line, str) else json.dumps(line)) + "\n" for line in lines)
    res = subprocess.run([sys.executable, "-m", "bot.cli", "chat", "--jsonl", "--k", "5"], cwd=ROOT,
                         input=payload, capture_output=True, text=True, env=env, timeout=timeout)
    assert res.returncode == 0, res.stderr[-2000:]
    out = [json.loads(line) for line in res.stdout.splitlines()]   # nothing but JSON on stdout
    assert len(out) == sum(1 for line in lines if (line if isinstance(line, str) else "x").strip())
    return out


def test_protocol_one_object_per_line_and_errors_do_not_end_the_session(home):
    out = run_jsonl(home, [
        {"user": "u1", "text": "something nostalgic for a rainy night"},
        "{not json",
        "[1, 2, 3]",
        {"user": "u1", "feedback": "up", "pick": 2},
        {"user": "u1", "feedback": "sideways", "pick": 2},
        {"user": "u1", "text": "more upbeat"},
        {"text": "no user"},
    ])
    first = out[0]
    assert set(first) >= {"reply", "picks", "parsed", "latency_ms"}
    assert len(first["picks"]) == 5
    assert set(first["picks"][0]) == {"rank", "song_id", "artist", "title", "year", "score", "why"}
    assert "error" in out[1] and "error" in out[2]
    assert "Noted" in out[3]["reply"] and "error" not in out[3]
    assert "error" in out[4]
    assert len(out[5]["picks"]) == 5 and out[5]["parsed"]["is_refinement"]
    assert "error" in out[6]
    # a rating taken back, by song id, in a later process
    again = run_jsonl(home, [{"user": "u1", "feedback": "clear", "song_id": first["picks"][1]["song_id"]},
                             {"user": "u1", "feedback": "clear", "song_id": first["picks"][1]["song_id"]}])
    assert "Took back" in again[0]["reply"] and "had not rated" in again[1]["reply"]


def test_playlists_survive_a_restart_and_exports_parse_back(home):
    first = run_jsonl(home, [
        {"user": "u2", "text": "songs about summer"},
        {"user": "u2", "playlist": {"op": "create", "name": "summer's \"best\""}},
        {"user": "u2", "playlist": {"op": "add", "name": "summer's \"best\"", "pick": 1}},
        {"user": "u2", "playlist": {"op": "add", "name": "summer's \"best\"", "pick": 2}},
    ])
    picked = [first[0]["picks"][0], first[0]["picks"][1]]
    second = run_jsonl(home, [
        {"user": "u2", "playlist": {"op": "show", "name": "summer's \"best\""}},
        {"user": "u2", "playlist": {"op": "export", "name": "summer's \"best\"", "format": "xspf"}},
        {"user": "u2", "playlist": {"op": "export", "name": "summer's \"best\"", "format": "m3u8"}},
        {"user": "u2", "playlist": {"op": "export", "name": "summer's \"best\"", "format": "json"}},
        {"user": "u3", "playlist": {"op": "show", "name": "summer's \"best\""}},
    ])
    for p in picked:
        assert p["title"] in second[0]["reply"]
    xspf = Path(second[1]["files"][0])
    titles = [e.text for e in ET.parse(xspf).getroot().iter("{http://xspf.org/ns/0/}title")]
    assert [p["title"] for p in picked] == [t for t in titles if t in {p["title"] for p in picked}]
    m3u = Path(second[2]["files"][0]).read_text(encoding="utf-8")
    assert m3u.startswith("#EXTM3U") and all(p["title"] in m3u for p in picked)
    data = json.loads(Path(second[3]["files"][0]).read_text(encoding="utf-8"))
    assert json.dumps(data)  # parses
    assert "error" in second[4]      # another user cannot see it
