"""👍/👎 per (user, song). The latest vote on a song wins; artists disliked twice get demoted."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Mapping

from storage._text import ident, label, norm_artist, user_key
from storage.db import Database, ensure_user, utcnow
from storage.errors import InputError

DEMOTE_AFTER = 2   # one 👎 is about a song; two on the same artist is about the artist


@dataclass(frozen=True)
class UserTaste:
    """What one user told us. Artist names are normalised like the catalog's `artist_norm`."""

    liked: frozenset[str] = frozenset()
    disliked: frozenset[str] = frozenset()
    demoted_artists: frozenset[str] = frozenset()
    liked_artists: frozenset[str] = frozenset()
    disliked_artists: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def empty(self) -> bool:
        return not (self.liked or self.disliked)


class FeedbackStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    def record(self, user_id: str, song_id: str, artist: str, value: int) -> None:
        if isinstance(value, bool) or value not in (1, -1):
            raise InputError(f"feedback value {value!r}", user_message='Feedback is "up" or "down".')
        user, song = user_key(user_id), ident(song_id, "song id")
        with self.db.transaction() as conn:
            ensure_user(conn, user)
            conn.execute(
                "INSERT INTO feedback (user_id, song_id, artist, value, created_at) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (user_id, song_id) DO UPDATE SET "
                "artist = excluded.artist, value = excluded.value, created_at = excluded.created_at",
                (user, song, label(artist), int(value), utcnow()))

    def unrecord(self, user_id: str, song_id: str, *, only: int | None = None) -> bool:
        """Take a vote back (a removed reaction, "undo"). With `only`, just a vote of that value:
        taking back a 👍 reaction must not erase a 👎 given since. True when one was deleted."""
        user, song = user_key(user_id), ident(song_id, "song id")
        with self.db.transaction() as conn:
            if only is None:
                cur = conn.execute("DELETE FROM feedback WHERE user_id = ? AND song_id = ?", (user, song))
            else:
                cur = conn.execute("DELETE FROM feedback WHERE user_id = ? AND song_id = ? AND value = ?",
                                   (user, song, int(only)))
            return cur.rowcount > 0

    def value(self, user_id: str, song_id: str) -> int:
        """The user's current vote on a song: 1, -1, or 0 for none."""
        with self.db.read() as conn:
            row = conn.execute("SELECT value FROM feedback WHERE user_id = ? AND song_id = ?",
                               (user_key(user_id), ident(song_id, "song id"))).fetchone()
        return int(row[0]) if row else 0

    def for_user(self, user_id: str) -> UserTaste:
        with self.db.read() as conn:
            rows = conn.execute("SELECT song_id, artist, value FROM feedback WHERE user_id = ?",
                                (user_key(user_id),)).fetchall()
        liked = {s for s, _, v in rows if v > 0}
        disliked = {s for s, _, v in rows if v < 0}
        # "" is what non-Latin names normalise to; demoting it would demote every such artist.
        bad = Counter(a for a in (norm_artist(a) for _, a, v in rows if v < 0) if a)
        good = {a for a in (norm_artist(a) for _, a, v in rows if v > 0) if a}
        return UserTaste(liked=frozenset(liked), disliked=frozenset(disliked),
                         demoted_artists=frozenset(a for a, n in bad.items() if n >= DEMOTE_AFTER),
                         liked_artists=frozenset(good),
                         disliked_artists=MappingProxyType(dict(bad)))

    def clear(self, user_id: str) -> int:
        """Forget one user's votes; returns how many were deleted."""
        with self.db.transaction() as conn:
            return conn.execute("DELETE FROM feedback WHERE user_id = ?", (user_key(user_id),)).rowcount
