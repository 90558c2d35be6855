"""forget_user: every row about the user goes, in one transaction; other users are untouched."""
from __future__ import annotations

import pytest

from storage.errors import StorageError
from storage.forget import forget_user
from tests.storage.helpers import raw_rows, songs

USER_TABLES = {  # table -> SQL counting the rows that belong to user ?
    "users": "SELECT COUNT(*) FROM users WHERE user_id = ?",
    "feedback": "SELECT COUNT(*) FROM feedback WHERE user_id = ?",
    "sessions": "SELECT COUNT(*) FROM sessions WHERE user_id = ?",
    "playlists": "SELECT COUNT(*) FROM playlists WHERE user_id = ?",
    "playlist_items": "SELECT COUNT(*) FROM playlist_items i JOIN playlists p ON p.id = i.playlist_id "
                      "WHERE p.user_id = ?",
    "spotify_tokens": "SELECT COUNT(*) FROM spotify_tokens WHERE user_id = ?",
    "spotify_exports": "SELECT COUNT(*) FROM spotify_exports WHERE user_id = ?",
    "spotify_export_items": "SELECT COUNT(*) FROM spotify_export_items i JOIN playlists p ON p.id = i.playlist_id "
                            "WHERE p.user_id = ?",
}


def populate(db, feedback, playlists, sessions, user: str) -> None:
    feedback.record(user, "s1", "Queen", 1)
    feedback.record(user, "s2", "Queen", -1)
    sessions.save(user, "c1", {"turns": 1})
    sessions.save(user, "c2", {"turns": 2})
    for name in ("a", "b"):
        pl = playlists.create(user, name)
        playlists.add(user, name, songs("s1", "s2", "s3"))
        with db.transaction() as conn:
            conn.execute("INSERT INTO spotify_exports VALUES (?, ?, 'sp', 'snap', 'now')", (user, pl.id))
            conn.execute("INSERT INTO spotify_export_items VALUES (?, 's1', 'spotify:track:1')", (pl.id,))
    with db.transaction() as conn:
        conn.execute("INSERT INTO spotify_tokens VALUES (?, '{\"access_token\": \"secret\"}', 'now')", (user,))


def test_forget_user_leaves_no_rows(db, db_path, feedback, playlists, sessions):
    populate(db, feedback, playlists, sessions, "alice")
    populate(db, feedback, playlists, sessions, "bob")
    counts = forget_user(db, "alice")
    assert counts == {"spotify_export_items": 2, "spotify_exports": 2, "playlist_items": 6, "playlists": 2,
                      "feedback": 2, "sessions": 2, "spotify_tokens": 1, "users": 1}
    for table, sql in USER_TABLES.items():
        assert raw_rows(db_path, sql, ("alice",)) == [(0,)], table
        assert raw_rows(db_path, sql, ("bob",))[0][0] > 0, table
    # nothing of alice's left anywhere, even as text in an unrelated column
    for (table,) in raw_rows(db_path, "SELECT name FROM sqlite_master WHERE type = 'table'"):
        for row in raw_rows(db_path, f"SELECT * FROM {table}"):
            assert "alice" not in map(str, row), (table, row)
    assert db.integrity_check()
    assert playlists.list("alice") == [] and feedback.for_user("alice").empty
    assert sessions.load("alice", "c1") is None


def test_forget_unknown_user_is_all_zero(db):
    assert set(forget_user(db, "ghost").values()) == {0}


def test_forget_is_all_or_nothing(db, db_path, feedback, playlists, sessions):
    populate(db, feedback, playlists, sessions, "alice")
    with db.transaction() as conn:
        conn.execute("CREATE TRIGGER no_forget BEFORE DELETE ON spotify_tokens "
                     "BEGIN SELECT RAISE(ABORT, 'simulated failure'); END")
    with pytest.raises(StorageError):
        forget_user(db, "alice")
    # the steps before spotify_tokens were rolled back
    assert raw_rows(db_path, USER_TABLES["feedback"], ("alice",)) == [(2,)]
    assert raw_rows(db_path, USER_TABLES["playlist_items"], ("alice",)) == [(6,)]


def test_forget_works_without_foreign_keys(db, db_path, feedback, playlists, sessions):
    """Counts and deletions do not depend on ON DELETE CASCADE firing."""
    populate(db, feedback, playlists, sessions, "alice")
    with db._lock:  # foreign_keys can only change outside a transaction
        db._conn.execute("PRAGMA foreign_keys = OFF")
    forget_user(db, "alice")
    for table, sql in USER_TABLES.items():
        assert raw_rows(db_path, sql, ("alice",)) == [(0,)], table
    for table in ("playlist_items", "spotify_export_items", "spotify_exports"):  # no orphans either
        assert raw_rows(db_path, f"SELECT COUNT(*) FROM {table}") == [(0,)], table
