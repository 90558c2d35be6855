"""Storage tests run against real SQLite files in a temp dir; nothing is mocked."""
from __future__ import annotations

from pathlib import Path

import pytest

from storage.db import Database
from storage.feedback import FeedbackStore
from storage.playlists import PlaylistStore
from storage.sessions import SessionStore


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "moodtape.sqlite3"


@pytest.fixture
def db(db_path: Path):
    database = Database(db_path)
    yield database
    database.close()


@pytest.fixture
def feedback(db) -> FeedbackStore:
    return FeedbackStore(db)


@pytest.fixture
def playlists(db) -> PlaylistStore:
    return PlaylistStore(db)


@pytest.fixture
def sessions(db) -> SessionStore:
    return SessionStore(db)
