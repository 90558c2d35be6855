"""SessionStore: JSON round-trip per (user, channel), limits, damaged rows."""
from __future__ import annotations

import sqlite3

import pytest

from storage.errors import StorageError
from storage.sessions import MAX_STATE_BYTES


STATE = {"last_request": {"moods": ["sad"], "decade": 1980}, "shown": [f"s{i}" for i in range(1000)],
         "picks": [{"song_id": "s1", "artist": "Ädele 🎵", "title": "\"quoted\" / slash"}], "turns": 3}


def test_missing_is_none(sessions):
    assert sessions.load("u", "c") is None


def test_round_trip_and_overwrite(sessions):
    sessions.save("u", "c", STATE)
    assert sessions.load("u", "c") == STATE
    sessions.save("u", "c", {"turns": 4})
    assert sessions.load("u", "c") == {"turns": 4}


def test_per_channel_and_per_user(sessions):
    sessions.save("u", "c1", {"n": 1})
    sessions.save("u", "c2", {"n": 2})
    sessions.save("v", "c1", {"n": 3})
    assert [sessions.load(*k) for k in (("u", "c1"), ("u", "c2"), ("v", "c1"))] == [{"n": 1}, {"n": 2}, {"n": 3}]
    assert sessions.delete("u", "c1") is True and sessions.load("u", "c1") is None
    assert sessions.delete_user("u") == 1
    assert sessions.load("u", "c2") is None and sessions.load("v", "c1") == {"n": 3}


@pytest.mark.parametrize("bad", [["not", "a", "dict"], {"x": object()}, {"x": float("nan")}])
def test_unserialisable_state_rejected(sessions, bad):
    with pytest.raises(StorageError):
        sessions.save("u", "c", bad)
    assert sessions.load("u", "c") is None


def test_oversized_state_rejected(sessions):
    with pytest.raises(StorageError):
        sessions.save("u", "c", {"x": "a" * (MAX_STATE_BYTES + 1)})


def test_damaged_row_loads_as_fresh_session(sessions, db_path):
    sessions.save("u", "c", {"ok": True})
    conn = sqlite3.connect(str(db_path))
    conn.execute("UPDATE sessions SET state_json = '{broken'")
    conn.commit()
    conn.close()
    assert sessions.load("u", "c") is None
    sessions.save("u", "c", {"ok": 2})  # and it can be overwritten
    assert sessions.load("u", "c") == {"ok": 2}
