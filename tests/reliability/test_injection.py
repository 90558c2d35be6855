"""Injection: artist, genre, playlist, song-id and file names holding quotes, SQL fragments, LIKE
wildcards, `../` and NUL bytes reach LanceDB and SQLite only as literal values, and the
filesystem only inside the export directory."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from nlu.request import Request
from retrieval.filters import build_filter
from storage.exporters import EXPORTERS
from storage.playlists import Playlist, PlaylistItem
from tests.reliability.conftest import integrity_ok, sqlite_rows

INJECTIONS = ["x' OR '1'='1", "' OR 1=1 --", "\" OR \"\"=\"", "'; DROP TABLE songs; --",
              "Robert'); DROP TABLE playlists;--", "%", "_", "%%", "a%", "%_%", "*", "\\", "\\'",
              "../../etc/passwd", "a\x00b", "\x00", "artist_norm", "1=1", "true", "NULL"]
PATHS = ["../../etc/x", "/abs", "..", "a\x00b", ".", "...", "~", "~/x", "con", "..\\..\\x", "/",
         "%2e%2e%2f", "a/../../b", " ../x", "./.hidden", "\x00../../x", "x" * 100]


# ---- LanceDB -------------------------------------------------------------------------------------
def _count(table, expr) -> int:
    return len(table.search().where(expr).select(["song_id"]).limit(100_000).to_arrow())


@pytest.mark.parametrize("value", INJECTIONS)
def test_artist_and_song_filters_take_values_literally(warm_services, value):
    cat = warm_services.catalog
    total = cat.songs.count_rows()
    assert _count(cat.songs, build_filter(artists_in=[value])) == 0
    assert _count(cat.chunks, build_filter(artists_in=[value])) == 0
    assert _count(cat.songs, build_filter(song_ids=[value])) == 0
    assert _count(cat.songs, build_filter(languages=[value])) == 0
    assert _count(cat.songs, build_filter(artists_out=[value], exclude_ids=[value, "%"])) == total
    assert cat.get([value]) == {}


@pytest.mark.parametrize("value", INJECTIONS[:6])
def test_genre_values_are_literal_and_unknown_genres_never_reach_the_filter(warm_services, value):
    from lancedb.expr import col, lit

    cat = warm_services.catalog
    assert _count(cat.songs, col("genres").contains(lit(value))) == 0 or value in ("_", "*", "%")
    assert _count(cat.songs, col("genres").contains(lit(f"|{value}|"))) == 0
    assert build_filter(genres_in=[value], genres_out=[value]) is None   # not a known genre: no filter
    assert _count(cat.songs, col("genres").contains(lit("|rock|"))) > 0  # the control


def test_a_search_for_an_injected_artist_finds_nothing_and_a_real_one_works(warm_services):
    rec = warm_services.recommender
    for value in ("x' OR '1'='1", "%", "_", "' OR 1=1 --"):
        res = rec.recommend(Request(query_text="love", artists_in=[value]), k=5)
        assert res.picks == [], value
    for artist in ("Guns N' Roses", "Destiny's Child"):
        res = rec.recommend(Request(query_text="love", artists_in=[artist]), k=5)
        assert res.picks and {p.artist for p in res.picks} == {artist}
    res = rec.recommend(Request(query_text="love", artists_out=["%", "x' OR '1'='1"]), k=5)
    assert len(res.picks) == 5


def test_engine_song_ids_are_literal(engine):
    for value in INJECTIONS:
        turn = engine.feedback("inj", "c", "down", song_id=value)
        assert turn.kind == "error", (value, turn.reply)
        turn = engine.playlist("inj", "c", {"op": "add", "name": "x", "song_id": value})
        assert turn.kind == "error", (value, turn.reply)
    db = engine.services.settings.sqlite_path
    assert sqlite_rows(db, "SELECT COUNT(*) FROM feedback") == [(0,)]
    assert sqlite_rows(db, "SELECT COUNT(*) FROM playlist_items") == [(0,)]


# ---- SQLite ----------------------------------------------------------------------------------------
def test_playlist_names_and_user_ids_are_literal_in_sqlite(engine, catalog_songs):
    db = engine.services.settings.sqlite_path
    engine.playlist("alice", "c", {"op": "list"})
    schema_before = sqlite_rows(db, "SELECT type, name, sql FROM sqlite_master ORDER BY name")
    names = ["abc", "a_c", "%", "_", "a%", "%_%", "x' OR '1'='1", "'; DROP TABLE playlists; --",
             "Robert'); DROP TABLE playlist_items;--", "\\", '"', "*"]
    for i, name in enumerate(names):
        assert engine.playlist("alice", "c", {"op": "create", "name": name}).kind == "playlist", name
        turn = engine.playlist("alice", "c", {"op": "add", "name": name, "song_id": catalog_songs[i][0]})
        assert turn.kind == "playlist", (name, turn.reply)
    for i, name in enumerate(names):
        pl = engine.playlists.show("alice", name)
        assert pl.name == name and [it.song_id for it in pl.items] == [catalog_songs[i][0]]
    # a wildcard name is not a pattern: "%" and "_" match only themselves
    assert engine.playlist("alice", "c", {"op": "show", "name": "a_"}).kind == "error"
    assert engine.playlist("alice", "c", {"op": "show", "name": "ab%"}).kind == "error"
    assert engine.playlist("alice", "c", {"op": "delete", "name": "%"}).kind == "playlist"
    assert engine.playlist("alice", "c", {"op": "delete", "name": "_"}).kind == "playlist"
    left = {n for n, _ in engine.playlists.list("alice")}
    assert left == set(names) - {"%", "_"}
    # other users, whatever their id looks like, see nothing of alice's
    for user in ("x' OR '1'='1", "%", "_", "' OR 1=1 --", "alice' --", "ALICE"):
        assert engine.playlists.list(user) == []
        assert engine.feedback_store.for_user(user).empty
        assert engine.playlist(user, "c", {"op": "show", "name": "abc"}).kind == "error"
    assert engine.playlist("%", "c", {"op": "delete", "name": "abc"}).kind == "error"
    assert "abc" in {n for n, _ in engine.playlists.list("alice")}
    assert sqlite_rows(db, "SELECT type, name, sql FROM sqlite_master ORDER BY name") == schema_before
    assert sqlite_rows(db, "SELECT COUNT(*) FROM playlist_items") == [(len(names) - 2,)]
    assert integrity_ok(db)


# ---- filesystem --------------------------------------------------------------------------------------
def _files(root: Path) -> set[Path]:
    return {Path(d) / f for d, _, fs in os.walk(root) for f in fs}


@pytest.mark.parametrize("fmt", sorted(EXPORTERS))
def test_exports_of_hostile_names_land_inside_the_export_dir(engine, catalog_songs, tmp_path, fmt):
    export_dir = engine.services.settings.export_dir
    outside_before = _files(tmp_path) - _files(export_dir)
    sid = catalog_songs[0][0]
    for user in ("bob", "../../evil", "/etc", "a\x00b"):
        for name in PATHS:
            engine.playlist(user, "c", {"op": "add", "name": name, "song_id": sid})
            turn = engine.playlist(user, "c", {"op": "export", "name": name, "format": fmt})
            if turn.kind == "error":   # e.g. a name that cleans to nothing: refused, nothing written
                assert not turn.files
                continue
            [path] = turn.files
            assert Path(path).resolve().is_relative_to(export_dir.resolve()), (user, name, path)
            assert Path(path).is_file() and not Path(path).is_symlink()
    outside_after = _files(tmp_path) - _files(export_dir)
    new = {p for p in outside_after - outside_before if not p.name.startswith("moodtape.sqlite3")}
    assert not new, new


def test_exporter_itself_never_leaves_its_directory(tmp_path):
    dest = tmp_path / "exports"
    item = PlaylistItem(1, "s1", "a", "t", None, "now")
    for name in PATHS + ["\x00", "\x00\x00", "../\x00/..", "/" * 50]:   # (storage never holds lone surrogates)
        for exporter in EXPORTERS.values():
            path = exporter.export(Playlist(1, "u", name, "now", (item,)), dest)
            assert path.parent == dest and path.is_file(), (name, path)
    assert {p.parent for p in _files(tmp_path)} == {dest}
