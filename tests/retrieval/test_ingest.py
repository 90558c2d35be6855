import json
import subprocess
import sys

import pytest

from retrieval.catalog import Catalog
from retrieval.ingest import clean_row, ingest_file
from retrieval.readers import map_columns, read_rows
from storage.errors import IngestError
from tests.conftest import FIXTURES, ROOT


def test_column_mapping_of_the_three_public_layouts():
    assert map_columns(["artist", "song", "link", "text"]) == {
        "artist": "artist", "title": "song", "lyrics": "text"}
    m = map_columns(["Artist", "Song", "Genre", "Language", "Lyrics", "Song year", "Track_id"])
    assert m == {"id": "Track_id", "artist": "Artist", "title": "Song", "lyrics": "Lyrics",
                 "year": "Song year", "genre": "Genre", "language": "Language"}
    m = map_columns(["artist", "title", "year", "chart_pos", "tags", "lyrics", "key"])
    assert m["id"] == "key" and m["genre"] == "tags" and m["year"] == "year"


def test_missing_required_column_is_a_clear_error():
    with pytest.raises(IngestError, match="lyrics"):
        map_columns(["artist", "song", "link"])


def test_reports_count_added_and_skipped_by_reason(fixture_catalog):
    catalog, reports = fixture_catalog
    spotify = reports["spotify_million.csv"]
    assert spotify.added == 20
    assert spotify.skipped == {"no lyrics": 1, "broken encoding": 1}
    multi = reports["multilingual.csv"]
    assert multi.skipped == {"absurd year": 1}
    bb = reports["billboard_like.jsonl"]
    assert bb.skipped["broken JSON line"] == 1
    assert bb.added == 31
    total = sum(r.added for r in reports.values())
    assert catalog.count() == total


def test_ids_come_from_id_columns_or_a_stable_hash(fixture_catalog):
    catalog, _ = fixture_catalog
    assert "jam000" in catalog.get(["jam000"])
    assert "quote||hymn" in catalog.get(["quote||hymn"])
    row = clean_row({"artist": "A", "song": "B", "text": "one two three four five six seven eight nine"},
                    {"artist": "artist", "title": "song", "lyrics": "text"})
    again = clean_row({"artist": "a ", "song": "b", "text": "one two three four five six seven eight nine"},
                      {"artist": "artist", "title": "song", "lyrics": "text"})
    assert row.song_id == again.song_id and row.song_id.startswith("s")


def test_rows_hold_features_not_just_metadata(fixture_catalog):
    catalog, _ = fixture_catalog
    row = catalog.get(["jam000"])["jam000"]
    assert len(row["vec_lyrics"]) == 384 and len(row["vec_desc"]) == 384
    assert len(row["emotions"]) == 8 and any(e > 0 for e in row["emotions"])
    assert row["description"].startswith("A ") and row["keywords"]
    assert row["language"] in ("en", "es", "de", "fr")
    assert row["year"] == 2010 and row["decade"] == 2010
    langs = {r["language"] for r in catalog.get([f"jam{i:03d}" for i in range(13)]).values()}
    assert {"es", "de", "fr"} <= langs


def test_reingest_is_idempotent(tmp_path):
    catalog = Catalog(tmp_path / "db", create=True)
    first = ingest_file(FIXTURES / "spotify_million.csv", catalog)
    chunks = catalog.chunks.count_rows()
    second = ingest_file(FIXTURES / "spotify_million.csv", catalog)
    assert (first.added, second.added, second.updated) == (20, 0, 20)
    assert catalog.count() == 20
    assert catalog.chunks.count_rows() == chunks


def test_unknown_format_and_unreadable_file(tmp_path):
    (tmp_path / "songs.xml").write_text("<songs/>")
    with pytest.raises(IngestError, match="unknown format"):
        read_rows(tmp_path / "songs.xml")
    with pytest.raises(IngestError, match="no such file"):
        read_rows(tmp_path / "missing.csv")
    (tmp_path / "bad.jsonl").write_text("[1, 2]\n")
    with pytest.raises(IngestError, match="JSON object"):
        read_rows(tmp_path / "bad.jsonl")


def _moodtape(*args, **kw):
    return subprocess.run([sys.executable, "-m", "bot.cli", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=300, **kw)


def test_cli_ingest_errors_are_one_line_and_exit_2(tmp_path):
    (tmp_path / "x.csv").write_text("artist,song,link\nA,B,C\n")
    res = _moodtape("ingest", str(tmp_path / "x.csv"), "--db", str(tmp_path / "db"))
    assert res.returncode == 2
    assert res.stderr.strip().count("\n") == 0 and "missing required column" in res.stderr
    assert "Traceback" not in res.stderr
    res = _moodtape("ingest", str(tmp_path / "nope.json"), "--db", str(tmp_path / "db"))
    assert res.returncode == 2 and "no such file" in res.stderr


def test_cli_ingest_json_summary(tmp_path):
    res = _moodtape("ingest", str(FIXTURES / "spotify_million.csv"), "--db", str(tmp_path / "db"),
                    "--batch-size", "8", "--json")
    assert res.returncode == 0, res.stderr
    summary = json.loads(res.stdout.strip().splitlines()[-1])
    assert summary["added"] == 20 and summary["skipped"] == {"no lyrics": 1, "broken encoding": 1}
    assert summary["songs_per_s"] > 0
