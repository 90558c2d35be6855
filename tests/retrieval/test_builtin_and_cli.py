import json
import os
import subprocess
import sys

import numpy as np
import pyarrow.parquet as pq

from retrieval.builtin import DATA_DIR, SONGS_FILE, VECTORS_FILE
from tests.conftest import ROOT, SHARED


def test_builtin_artifact_is_small_and_holds_no_lyric_text():
    size = sum(f.stat().st_size for f in DATA_DIR.iterdir())
    assert size <= 25 * 1024 * 1024
    table = pq.read_table(SONGS_FILE)
    assert table.num_rows > 3800
    assert not {"lyrics", "text", "lyric"} & set(table.column_names)
    with np.load(VECTORS_FILE) as z:
        assert all(z[k].dtype != object for k in z.files)   # numbers only
    # no stored text field is long enough to carry a lyric line verbatim
    for column in ("description", "keywords", "search_text"):
        assert max(len(v) for v in table.column(column).to_pylist()) < 600


def test_builtin_text_fields_do_not_contain_lyric_lines():
    path = SHARED / "data" / "billboard" / "billboard_yearend_1950_2015_lyrics.jsonl"
    if not path.exists():
        import pytest

        pytest.skip("../shared/data not present")
    rows = {r["song_id"]: r for r in pq.read_table(SONGS_FILE).to_pylist()}
    checked = 0
    with path.open() as fh:
        for line in list(fh)[:400]:
            song = json.loads(line)
            row = rows.get(song["key"])
            if not row:
                continue
            stored = " ".join([row["description"], row["keywords"], row["search_text"]]).lower()
            for lyric_line in song["lyrics"].lower().splitlines():
                if len(lyric_line.split()) >= 6 and lyric_line.strip() not in row["title"].lower():
                    assert lyric_line.strip() not in stored
                    checked += 1
    assert checked > 1000


def test_builtin_catalog_materialises_into_lancedb(builtin_services):
    catalog = builtin_services.catalog
    assert catalog.count() == pq.read_table(SONGS_FILE).num_rows
    assert catalog.chunks.count_rows() > catalog.count()


def _recommend(*args, home):
    env = dict(os.environ, MOODTAPE_HOME=str(home))
    return subprocess.run([sys.executable, "-m", "bot.cli", "recommend", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)


def test_recommend_json_output(tmp_path_factory):
    home = tmp_path_factory.mktemp("rec-home")
    res = _recommend("something nostalgic for a rainy night", "--json", "--k", "7", home=home)
    assert res.returncode == 0, res.stderr[-1500:]
    picks = json.loads(res.stdout)
    assert len(picks) == 7
    assert all(set(p) == {"rank", "song_id", "artist", "title", "year", "score", "why"} for p in picks)
    assert [p["rank"] for p in picks] == list(range(1, 8))
    assert len({(p["artist"].lower(), p["title"].lower()) for p in picks}) == 7
    assert all(p["why"] for p in picks)
    res = _recommend("sad songs from the 80s, no rap", "--json", home=home)
    picks = json.loads(res.stdout)
    assert picks and all(1980 <= p["year"] <= 1989 for p in picks)
    table = _recommend("songs for cleaning the house", home=home)
    assert table.returncode == 0 and "I heard" in table.stdout


def test_recommend_hopeless_requests_get_a_friendly_message(tmp_path_factory):
    home = tmp_path_factory.mktemp("rec-home2")
    for text in ("", "   ", "the and of"):
        res = _recommend(text, "--json", home=home)
        assert res.returncode == 1
        assert res.stdout.strip() == "[]"
        assert "Traceback" not in res.stderr and "moodtape:" in res.stderr
