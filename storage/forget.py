"""Erase everything stored about one user, in one transaction (all of it or none of it)."""
from __future__ import annotations

from storage._text import user_key
from storage.db import Database

# Children before parents, and each table deleted explicitly rather than by cascade, so the counts
# are exact and nothing depends on `PRAGMA foreign_keys` being on for this connection.
_OWNED_BY_PLAYLIST = "playlist_id IN (SELECT id FROM playlists WHERE user_id = ?)"
_STEPS = (
    ("spotify_export_items", f"DELETE FROM spotify_export_items WHERE {_OWNED_BY_PLAYLIST}"),
    ("spotify_exports", f"DELETE FROM spotify_exports WHERE user_id = ? OR {_OWNED_BY_PLAYLIST}"),
    ("playlist_items", f"DELETE FROM playlist_items WHERE {_OWNED_BY_PLAYLIST}"),
    ("playlists", "DELETE FROM playlists WHERE user_id = ?"),
    ("feedback", "DELETE FROM feedback WHERE user_id = ?"),
    ("sessions", "DELETE FROM sessions WHERE user_id = ?"),
    ("spotify_tokens", "DELETE FROM spotify_tokens WHERE user_id = ?"),
    ("users", "DELETE FROM users WHERE user_id = ?"),
)


def forget_user(db: Database, user_id: str) -> dict[str, int]:
    """Delete the user's feedback, sessions, playlists and their items, Spotify tokens and exports.
    Returns rows deleted per table (all zero for an unknown user)."""
    user = user_key(user_id)
    counts: dict[str, int] = {}
    with db.transaction() as conn:
        for table, sql in _STEPS:
            counts[table] = conn.execute(sql, (user,) * sql.count("?")).rowcount
    return counts
