"""Forget-me: `engine.forget(user)` and `moodtape forget USER --yes` delete all of that user's
feedback, sessions, playlists (+ items) and Spotify token / export rows; the proof reads every
SQLite table with a user_id column (and the playlist-owned tables) directly. Without `--yes`,
nothing is deleted unless the person confirms."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from storage.db import utcnow
from tests.conftest import ROOT
from tests.reliability.conftest import integrity_ok, make_engine, sqlite_rows, subprocess_env, user_tables

PLAYLIST_OWNED = ("playlist_items", "spotify_export_items", "spotify_exports")


def _populate(eng, user: str, songs) -> None:
    """Everything a user can leave behind: sessions in two channels, votes, playlists with items,
    and Spotify rows (written directly: the Spotify exporter is tested elsewhere)."""
    eng.text(user, "c1", "songs about summer")
    eng.feedback(user, "c1", "up", pick=1)
    eng.feedback(user, "c1", "down", pick=2)
    eng.text(user, "c2", "sad songs")
    eng.text(user, "c1", "add all to summer")
    eng.playlist(user, "c1", {"op": "add", "name": "%", "song_id": songs[0][0]})
    eng.text(user, "c1", "export summer as csv")
    db = eng.services.db
    with db.transaction() as conn:
        [(pid,)] = conn.execute("SELECT id FROM playlists WHERE user_id = ? AND name = 'summer'", (user,)).fetchall()
        conn.execute("INSERT INTO spotify_tokens (user_id, token_json, updated_at) VALUES (?, ?, ?)",
                     (user, json.dumps({"access_token": f"tok-{user}", "refresh_token": f"ref-{user}"}), utcnow()))
        conn.execute("INSERT INTO spotify_exports (user_id, playlist_id, spotify_playlist_id, updated_at) "
                     "VALUES (?, ?, ?, ?)", (user, pid, f"sp-{user}", utcnow()))
        conn.execute("INSERT INTO spotify_export_items (playlist_id, song_id, spotify_uri) VALUES (?, ?, ?)",
                     (pid, songs[1][0], "spotify:track:x"))


def _footprint(path, user: str) -> dict[str, int]:
    """Rows about `user` in every table: by user_id, and by the user's playlists."""
    out = {t: sqlite_rows(path, f'SELECT COUNT(*) FROM "{t}" WHERE user_id = ?', (user,))[0][0]
           for t in user_tables(path)}
    for t in PLAYLIST_OWNED:
        out[f"{t} (by playlist)"] = sqlite_rows(
            path, f'SELECT COUNT(*) FROM "{t}" WHERE playlist_id IN (SELECT id FROM playlists WHERE user_id = ?)',
            (user,))[0][0]
    return out


def _everything_mentioning(path, text: str) -> list[tuple]:
    """Any row in any table whose text holds `text` (catches a table with a differently named column)."""
    hits = []
    for (table,) in sqlite_rows(path, "SELECT name FROM sqlite_master WHERE type = 'table'"):
        for row in sqlite_rows(path, f'SELECT * FROM "{table}"'):
            if any(isinstance(v, str) and text in v for v in row):
                hits.append((table, row))
    return hits


@pytest.fixture
def populated(warm_services, tmp_path, catalog_songs):
    eng = make_engine(warm_services, tmp_path / "home")
    for user in ("alice-forget", "bob-keep"):
        _populate(eng, user, catalog_songs)
    path = eng.services.settings.sqlite_path
    assert set(user_tables(path)) >= {"users", "feedback", "sessions", "playlists", "spotify_tokens",
                                      "spotify_exports"}
    before = {u: _footprint(path, u) for u in ("alice-forget", "bob-keep")}
    for u in before:
        assert all(before[u].values()), before[u]    # every table really held something of theirs
    yield eng, path, before
    eng.services.close()


def test_engine_forget_leaves_nothing_and_touches_no_one_else(populated):
    eng, path, before = populated
    counts = eng.forget("alice-forget")
    assert counts["feedback"] == 2 and counts["playlists"] == 2 and counts["sessions"] == 2
    assert counts["spotify_tokens"] == 1 and counts["spotify_exports"] == 1
    assert set(_footprint(path, "alice-forget").values()) == {0}
    assert _everything_mentioning(path, "alice-forget") == []
    assert _footprint(path, "bob-keep") == before["bob-keep"]
    assert integrity_ok(path)
    # and the engine starts her afresh
    assert eng.feedback_store.for_user("alice-forget").empty
    assert eng.playlists.list("alice-forget") == []
    assert eng.feedback("alice-forget", "c1", "up", pick=1).kind == "error"     # no picks any more


def _forget_cli(home, *args, stdin=subprocess.DEVNULL):
    return subprocess.run([sys.executable, "-m", "bot.cli", "forget", *args], cwd=ROOT,
                          env=subprocess_env(home), capture_output=True, text=True, timeout=120,
                          **({"input": stdin} if isinstance(stdin, str) else {"stdin": stdin}))


def test_cli_forget_asks_first_and_deletes_only_after_yes(populated):
    eng, path, before = populated
    home = eng.services.settings.data_dir
    eng.services.close()    # the CLI is another process; our connection could stay open too, but be plain
    # no stdin at all: no confirmation, nothing deleted
    res = _forget_cli(home, "alice-forget")
    assert res.returncode != 0
    assert _footprint(path, "alice-forget") == before["alice-forget"]
    # answering no: nothing deleted
    res = _forget_cli(home, "alice-forget", stdin="n\n")
    assert res.returncode != 0 and "Delete all data" in res.stdout + res.stderr
    assert _footprint(path, "alice-forget") == before["alice-forget"]
    # answering yes at the prompt
    res = _forget_cli(home, "bob-keep", stdin="y\n")
    assert res.returncode == 0, res.stderr
    assert set(_footprint(path, "bob-keep").values()) == {0}
    assert _footprint(path, "alice-forget") == before["alice-forget"]
    # --yes: no prompt
    res = _forget_cli(home, "alice-forget", "--yes")
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout.strip().splitlines()[-1])
    assert out["user"] == "alice-forget" and out["deleted"]["feedback"] == 2
    assert set(_footprint(path, "alice-forget").values()) == {0}
    assert _everything_mentioning(path, "alice-forget") == [] and _everything_mentioning(path, "bob-keep") == []
    assert integrity_ok(path)
