"""Named playlists per user. Every lookup includes the user id, so one user can never see or change
another's playlist, whatever the name. Each method is one transaction: a failure half-way through
an `add` leaves the playlist exactly as it was."""
from __future__ import annotations

import sqlite3
import unicodedata
from dataclasses import dataclass
from typing import Sequence

from storage._text import has_control, ident, label, user_key
from storage.db import Database, ensure_user, utcnow
from storage.errors import InputError, NotFoundError

MAX_NAME = 100
MAX_PLAYLISTS = 200          # per user: a chat command should not be able to fill the disk
MAX_ITEMS = 1000             # per playlist
_LISTED_IN_ERRORS = 10


@dataclass(frozen=True)
class SongRef:
    song_id: str
    artist: str
    title: str
    year: int | None = None


@dataclass(frozen=True)
class PlaylistItem:
    position: int            # 1-based, contiguous: what "#2" means to the user
    song_id: str
    artist: str
    title: str
    year: int | None
    added_at: str


@dataclass(frozen=True)
class Playlist:
    id: int
    user_id: str
    name: str
    created_at: str
    items: tuple[PlaylistItem, ...] = ()


def clean_name(name: object) -> str:
    """Trimmed, 1-100 characters, no control characters. Quotes, slashes, %, _, emoji and SQL-looking
    text are all fine: names only ever reach SQL as bound parameters."""
    if not isinstance(name, str):
        raise InputError(f"playlist name {name!r}", user_message="A playlist name must be text.")
    name = name.strip()
    if not name:
        raise InputError("empty playlist name", user_message="A playlist needs a name.")
    if has_control(name):
        raise InputError("control character in playlist name",
                         user_message="Playlist names can't contain line breaks or control characters.")
    if len(name) > MAX_NAME:
        raise InputError("playlist name too long",
                         user_message=f"Playlist names can be at most {MAX_NAME} characters.")
    return name


def name_key(name: str) -> str:
    """What counts as "the same name": Unicode-aware and case-insensitive (Ä = ä, ß = SS)."""
    return unicodedata.normalize("NFC", name.casefold())  # NFC after casefold: é and e+◌́ agree


def _song_ref(song: SongRef) -> SongRef:
    year = song.year
    try:
        year = None if year is None or isinstance(year, bool) else int(year)
    except (TypeError, ValueError):
        year = None  # an unusable year is "unknown", not a reason to refuse the song
    return SongRef(ident(song.song_id, "song id"), label(song.artist), label(song.title), year)


class PlaylistStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    # ---- lookups --------------------------------------------------------------------------------
    def _find(self, conn: sqlite3.Connection, user: str, name: str) -> tuple[int, str, str]:
        row = conn.execute("SELECT id, name, created_at FROM playlists WHERE user_id = ? AND name_key = ?",
                           (user, name_key(name))).fetchone()
        if row is None:
            names = [r[0] for r in conn.execute(
                "SELECT name FROM playlists WHERE user_id = ? ORDER BY name_key, id", (user,))]
            if not names:
                known = "You have no playlists yet."
            else:
                shown = ", ".join(names[:_LISTED_IN_ERRORS])
                more = f" (+{len(names) - _LISTED_IN_ERRORS} more)" if len(names) > _LISTED_IN_ERRORS else ""
                known = f"Your playlists: {shown}{more}"
            raise NotFoundError(f"no playlist {name!r} for user",
                                user_message=f"You have no playlist called '{name}'. {known}")
        return row

    def _taken(self, conn: sqlite3.Connection, user: str, name: str, *, other_than: int | None = None) -> None:
        row = conn.execute("SELECT id, name FROM playlists WHERE user_id = ? AND name_key = ?",
                           (user, name_key(name))).fetchone()
        if row is not None and row[0] != other_than:
            raise InputError(f"playlist {name!r} exists",
                             user_message=f"You already have a playlist called '{row[1]}'.")

    @staticmethod
    def _items(conn: sqlite3.Connection, playlist_id: int) -> tuple[PlaylistItem, ...]:
        rows = conn.execute("SELECT position, song_id, artist, title, year, added_at FROM playlist_items "
                            "WHERE playlist_id = ? ORDER BY position", (playlist_id,))
        return tuple(PlaylistItem(*r) for r in rows)

    # ---- API ------------------------------------------------------------------------------------
    def create(self, user_id: str, name: str) -> Playlist:
        user, name = user_key(user_id), clean_name(name)
        with self.db.transaction() as conn:
            self._taken(conn, user, name)
            return self._insert(conn, user, name)

    def ensure(self, user_id: str, name: str) -> None:
        """Create the playlist unless the user already has it, in one transaction: a check then
        a create would race with another process doing the same ("add #3 to new list")."""
        user, name = user_key(user_id), clean_name(name)
        with self.db.transaction() as conn:
            if conn.execute("SELECT 1 FROM playlists WHERE user_id = ? AND name_key = ?",
                            (user, name_key(name))).fetchone() is None:
                self._insert(conn, user, name)

    def _insert(self, conn: sqlite3.Connection, user: str, name: str) -> Playlist:
        (count,) = conn.execute("SELECT COUNT(*) FROM playlists WHERE user_id = ?", (user,)).fetchone()
        if count >= MAX_PLAYLISTS:
            raise InputError("too many playlists", user_message=f"You can have at most {MAX_PLAYLISTS} "
                             "playlists — delete one first.")
        ensure_user(conn, user)
        now = utcnow()
        cur = conn.execute("INSERT INTO playlists (user_id, name, name_key, created_at) VALUES (?, ?, ?, ?)",
                           (user, name, name_key(name), now))
        return Playlist(cur.lastrowid, user, name, now)

    def rename(self, user_id: str, name: str, new_name: str) -> None:
        user, name, new_name = user_key(user_id), clean_name(name), clean_name(new_name)
        with self.db.transaction() as conn:
            pid = self._find(conn, user, name)[0]
            self._taken(conn, user, new_name, other_than=pid)  # same playlist: a case change is fine
            conn.execute("UPDATE playlists SET name = ?, name_key = ? WHERE id = ? AND user_id = ?",
                         (new_name, name_key(new_name), pid, user))

    def delete(self, user_id: str, name: str) -> int:
        """Delete the playlist and its items (and its Spotify export rows, by cascade).
        Returns how many songs it held."""
        user, name = user_key(user_id), clean_name(name)
        with self.db.transaction() as conn:
            pid = self._find(conn, user, name)[0]
            (count,) = conn.execute("SELECT COUNT(*) FROM playlist_items WHERE playlist_id = ?", (pid,)).fetchone()
            conn.execute("DELETE FROM playlists WHERE id = ? AND user_id = ?", (pid, user))
            return count

    def add(self, user_id: str, name: str, songs: Sequence[SongRef]) -> int:
        """Append songs not already in the playlist (in order, duplicates ignored); returns how many
        were added. All or nothing."""
        user, name = user_key(user_id), clean_name(name)
        refs = [_song_ref(s) for s in songs]   # validate everything before touching the db
        with self.db.transaction() as conn:
            pid = self._find(conn, user, name)[0]
            have = {r[0] for r in conn.execute("SELECT song_id FROM playlist_items WHERE playlist_id = ?", (pid,))}
            new: list[SongRef] = []
            for ref in refs:
                if ref.song_id not in have:
                    have.add(ref.song_id)
                    new.append(ref)
            if len(have) > MAX_ITEMS:
                raise InputError("playlist full", user_message=f"A playlist can hold at most {MAX_ITEMS} songs.")
            (last,) = conn.execute("SELECT COALESCE(MAX(position), 0) FROM playlist_items WHERE playlist_id = ?",
                                   (pid,)).fetchone()
            now = utcnow()
            for pos, ref in enumerate(new, last + 1):
                conn.execute("INSERT INTO playlist_items (playlist_id, position, song_id, artist, title, year, "
                             "added_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                             (pid, pos, ref.song_id, ref.artist, ref.title, ref.year, now))
            return len(new)

    def remove(self, user_id: str, name: str, target: str | int) -> PlaylistItem:
        """Remove by position (an int, 1-based as shown) or by song id (a str); later songs move up
        so positions stay 1..n. Returns the removed item."""
        user, name = user_key(user_id), clean_name(name)
        by_position = isinstance(target, int) and not isinstance(target, bool)
        key = target if by_position else ident(target, "song id")
        with self.db.transaction() as conn:
            pid, real_name, _ = self._find(conn, user, name)
            col = "position" if by_position else "song_id"
            row = conn.execute(f"SELECT position, song_id, artist, title, year, added_at FROM playlist_items "
                               f"WHERE playlist_id = ? AND {col} = ?", (pid, key)).fetchone()
            if row is None:
                (count,) = conn.execute("SELECT COUNT(*) FROM playlist_items WHERE playlist_id = ?",
                                        (pid,)).fetchone()
                what = f"no #{key}" if by_position else "no such song"
                size = "it is empty" if count == 0 else f"it has {count} song{'' if count == 1 else 's'}"
                raise NotFoundError(f"{what} in playlist", user_message=f"'{real_name}' has {what} — {size}.")
            item = PlaylistItem(*row)
            conn.execute("DELETE FROM playlist_items WHERE playlist_id = ? AND position = ?", (pid, item.position))
            conn.execute("UPDATE playlist_items SET position = position - 1 WHERE playlist_id = ? AND position > ?",
                         (pid, item.position))
            return item

    def show(self, user_id: str, name: str) -> Playlist:
        user, name = user_key(user_id), clean_name(name)
        with self.db.read() as conn:
            pid, real_name, created = self._find(conn, user, name)
            return Playlist(pid, user, real_name, created, self._items(conn, pid))

    def list(self, user_id: str) -> list[tuple[str, int]]:
        """(name, song count) for each of the user's playlists, by name."""
        with self.db.read() as conn:
            rows = conn.execute(
                "SELECT p.name, COUNT(i.song_id) FROM playlists p "
                "LEFT JOIN playlist_items i ON i.playlist_id = p.id "
                "WHERE p.user_id = ? GROUP BY p.id ORDER BY p.name_key, p.id", (user_key(user_id),)).fetchall()
        return [(n, c) for n, c in rows]
