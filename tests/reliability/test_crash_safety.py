"""Crash safety: `chat --jsonl` killed with SIGKILL in the middle of a stream of feedback and
playlist writes loses nothing it acknowledged and leaves a sound database; an ingest killed
half-way resumes without duplicates or a corrupt table."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, ROOT
from tests.reliability.conftest import ChatProcess, integrity_ok, sqlite_rows, subprocess_env

ACKED_BEFORE_KILL = 150


@pytest.fixture(scope="module")
def many_songs(warm_services):
    titles = warm_services.catalog.vocab().titles
    return [(sid, artist, title) for sid, title, artist in titles[:600]]


def _stream(songs) -> list[dict]:
    """Writes only, each touching its own row, so an acknowledged write has exactly one expected
    outcome whatever happened to the writes after it."""
    events = []
    for i in range(450):
        sid = songs[i][0]
        user = ("w1", "w2")[i % 2]
        kind = i % 3
        if kind == 0:
            events.append({"user": user, "feedback": "up" if i % 4 else "down", "song_id": sid})
        elif kind == 1:
            events.append({"user": user, "playlist": {"op": "add", "name": f"crash {i % 5}", "song_id": sid}})
        else:
            events.append({"user": user, "playlist": {"op": "create", "name": f"made {i}"}})
    return events


def test_sigkill_mid_stream_loses_no_acknowledged_write(tmp_path, builtin_db_dir, many_songs):
    home = tmp_path / "home"
    events = _stream(many_songs)
    with ChatProcess(home, builtin_db_dir) as p1:
        first = p1.ask({"user": "w1", "text": "songs about summer"})
        assert len(first["picks"]) == 5, first
        # everything at once, from another thread, while this one reads replies as they come
        payload = "".join(json.dumps(e) + "\n" for e in events).encode()
        writer = threading.Thread(target=lambda: _write_quietly(p1, payload), daemon=True)
        writer.start()
        acked = []
        for event in events[:ACKED_BEFORE_KILL]:
            reply = p1.recv(timeout=120)
            assert "error" not in reply, (event, reply)
            acked.append(event)
        p1.kill()                                   # SIGKILL: no atexit, no close, no checkpoint
        assert p1.proc.returncode == -signal.SIGKILL
    db = home / "moodtape.sqlite3"
    assert integrity_ok(db)
    _assert_present(db, acked)
    applied = (sqlite_rows(db, "SELECT COUNT(*) FROM feedback")[0][0]
               + sqlite_rows(db, "SELECT COUNT(*) FROM playlist_items")[0][0]
               + sqlite_rows(db, "SELECT COUNT(*) FROM playlists WHERE name LIKE 'made %'")[0][0])
    assert ACKED_BEFORE_KILL <= applied < len(events), applied     # it really died mid-stream

    # a restarted process sees it all, and carries on
    with ChatProcess(home, builtin_db_dir) as p2:
        listing = {u: p2.ask({"user": u, "playlist": {"op": "list"}})["reply"] for u in ("w1", "w2")}
        for e in acked:
            op = e.get("playlist")
            if op:
                assert f"• {op['name']} (" in listing[e["user"]], (e, listing[e["user"]])
        for n in range(5):
            shown = p2.ask({"user": "w1", "playlist": {"op": "show", "name": f"crash {n}"}})
            added = [e for e in acked if e.get("playlist", {}).get("name") == f"crash {n}" and e["user"] == "w1"]
            for e in added:
                title = next(t for s, _, t in many_songs if s == e["playlist"]["song_id"])
                assert title in shown["reply"], (title, shown)
        # hostile bytes on the real stdin (UTF-8 locale): one JSON error line each, and it goes on
        for raw in (b'\xff\xfe{"user": "w1", "text": "hi"}', b'{"user": "w1", "text": "caf\xe9"}',
                    b'{"user": "w1", "pick": ' + b"9" * 5000 + b"}", b'{"user": "w1", "playlist": {"op": "\\ud800"}}',
                    b'{"user": "w1", "feedback": ["up"], "pick": 1}', b"[" * 5000 + b"]" * 5000):
            p2.send_raw(raw + b"\n")
            reply = p2.recv(timeout=60)
            assert "error" in reply or reply.get("reply"), (raw[:60], reply)
        assert len(p2.ask({"user": "w1", "text": "more upbeat"})["picks"]) == 5
        assert p2.close() == 0
    assert integrity_ok(db)
    _assert_present(db, acked)


def _write_quietly(proc: ChatProcess, payload: bytes) -> None:
    try:
        proc.send_raw(payload)
    except (BrokenPipeError, OSError):
        pass          # killed while we were still writing: expected


def _assert_present(db: Path, acked: list[dict]) -> None:
    votes = {(u, s): v for u, s, v in sqlite_rows(db, "SELECT user_id, song_id, value FROM feedback")}
    items = set(sqlite_rows(db, "SELECT p.user_id, p.name, i.song_id FROM playlist_items i "
                                "JOIN playlists p ON p.id = i.playlist_id"))
    playlists = set(sqlite_rows(db, "SELECT user_id, name FROM playlists"))
    for e in acked:
        if "feedback" in e:
            assert votes.get((e["user"], e["song_id"])) == (1 if e["feedback"] == "up" else -1), e
        elif e["playlist"]["op"] == "add":
            assert (e["user"], e["playlist"]["name"], e["playlist"]["song_id"]) in items, e
        else:
            assert (e["user"], e["playlist"]["name"]) in playlists, e


# ---- ingest --------------------------------------------------------------------------------------
SOURCE = FIXTURES / "billboard_like.jsonl"


def _table_ids(db_dir: Path, table: str) -> list:
    import lancedb

    t = lancedb.connect(str(db_dir)).open_table(table)
    cols = ["song_id", "chunk_idx"] if table == "chunks" else ["song_id"]
    return t.to_arrow().select(cols).to_pylist()


def _song_count(db_dir: Path) -> int:
    try:
        return len(_table_ids(db_dir, "songs"))
    except Exception:  # not created yet
        return 0


def _ingest(db_dir: Path, tmp_path: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "bot.cli", "ingest", str(SOURCE), "--db", str(db_dir),
                             "--batch-size", "4", "--json"], cwd=ROOT, env=subprocess_env(tmp_path / "home"),
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)


def test_ingest_killed_half_way_resumes_without_duplicates(tmp_path, warm_services):
    from retrieval.catalog import Catalog
    from retrieval.ingest import ingest_file

    db_dir = tmp_path / "killed"
    proc = _ingest(db_dir, tmp_path)
    deadline = time.monotonic() + 300
    landed = 0
    while time.monotonic() < deadline and proc.poll() is None:
        landed = _song_count(db_dir)
        if landed >= 4:          # the first batch is in: kill it now
            os.kill(proc.pid, signal.SIGKILL)
            break
        time.sleep(0.05)
    proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL, "ingest finished before it could be killed"
    partial = _table_ids(db_dir, "songs")          # the killed table is readable
    assert 4 <= len(partial) < 32 and len({r["song_id"] for r in partial}) == len(partial)

    # resume: the same command again, to the end
    proc = _ingest(db_dir, tmp_path)
    out, _ = proc.communicate(timeout=600)
    assert proc.returncode == 0
    report = json.loads(out.strip().splitlines()[-1])
    assert report["updated"] >= len(partial) - 4    # what was there was replaced, not added again

    # a clean ingest of the same file, for comparison
    clean_dir = tmp_path / "clean"
    ingest_file(SOURCE, Catalog(clean_dir, create=True), batch_size=4)

    songs = [r["song_id"] for r in _table_ids(db_dir, "songs")]
    clean_songs = [r["song_id"] for r in _table_ids(clean_dir, "songs")]
    assert len(songs) == len(set(songs)), [s for s, n in Counter(songs).items() if n > 1]
    assert set(songs) == set(clean_songs)
    chunks = _table_ids(db_dir, "chunks")
    keys = [(r["song_id"], r["chunk_idx"]) for r in chunks]
    assert len(keys) == len(set(keys)), "duplicate chunk rows"
    assert Counter(r["song_id"] for r in chunks) == Counter(r["song_id"] for r in _table_ids(clean_dir, "chunks"))
    # and it is a working catalog
    cat = Catalog(db_dir)
    assert set(cat.get(songs[:5])) == set(songs[:5])
    from nlu.request import Request
    from retrieval.search import Recommender

    rec = Recommender(cat, warm_services.recommender.embedder)
    assert rec.recommend(Request(query_text="love"), k=3).picks
