"""Helpers shared by the storage tests."""
from __future__ import annotations

import sqlite3
from pathlib import Path

from storage.playlists import SongRef


def songs(*ids: str) -> list[SongRef]:
    return [SongRef(i, f"Artist {i}", f"Title {i}", 1990 + n) for n, i in enumerate(ids)]


def raw_rows(path: Path, sql: str, params=()) -> list[tuple]:
    """Read the file with a separate plain connection: what is really on disk, not what our
    connection believes."""
    conn = sqlite3.connect(str(path))
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()
