"""Export a Moodtape playlist to the user's Spotify account.

Re-export policy — sync by difference, never a blind replace:
  * the first export creates a private playlist (`POST /me/playlists`) and remembers its id in
    `spotify_exports`; later exports update that same playlist (renamed if the local name changed);
  * songs not yet on it are matched and appended (`POST /playlists/{id}/items`, <= 100 URIs each);
  * songs removed locally since the last export are removed there
    (`DELETE /playlists/{id}/items`); only tracks Moodtape added are ever removed, so tracks the
    person added in Spotify by hand stay, and a local re-ordering is not mirrored.
  * if the remembered playlist is gone or belongs to another Spotify account (re-linked to a
    different one), a new playlist is created.

Journal and resume — `spotify_export_items` rows mean:
  * (song, uri): the track is on the Spotify playlist. Written in the same transaction that records
    the success of the request that put it there, chunk by chunk;
  * (song, NULL): looked up, not found on Spotify (not searched again; listed as unmatched).
Matching and adding are interleaved, so a run that dies keeps every finished chunk, and the next
run searches only the songs without a row. `spotify_exports.snapshot` is NULL while a run is in
progress and the playlist's snapshot_id once it finished; a run that finds it NULL knows the last
one died and first reads the remote playlist, so a chunk that reached Spotify just before the
connection dropped (answer lost, journal not written) is not added twice.

Blocking (HTTP + SQLite): front ends call `export` through `asyncio.to_thread`.
"""
from __future__ import annotations

import logging
import re
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Callable, Iterator

import requests

from storage.db import Database, utcnow
from storage.errors import InputError, SpotifyError
from storage.playlists import Playlist, PlaylistItem, PlaylistStore
from storage.settings import Settings
from storage.spotify.client import (BACKOFF_BASE_S, DEFAULT_WAIT_BUDGET_S, SpotifyClient,
                                    WaitBudget)
from storage.spotify.errors import SpotifyNotFound
from storage.spotify.matching import best_match, search_queries
from storage.spotify.tokens import SQLiteCacheHandler, TokenEndpoint, UserTokens

log = logging.getLogger("moodtape.spotify")

CHUNK = 100          # "A maximum of 100 items can be added in one request"
SEARCH_LIMIT = 10    # GET /search accepts limit <= 10 since the 2026 changes
REMOTE_PAGE = 50     # GET /playlists/{id}/items limit maximum
REMOTE_MAX_PAGES = 40
DESCRIPTION = "Made with Moodtape"
_SPOTIFY_ID = re.compile(r"[A-Za-z0-9]{1,64}")   # base62; it goes into URL paths later


@dataclass(frozen=True)
class ExportResult:
    playlist_name: str
    spotify_playlist_id: str
    url: str
    created: bool              # a new Spotify playlist was made by this call
    resumed: bool              # this call finished an export that had died half-way
    matched: int               # local songs that are on the Spotify playlist now
    added: int                 # tracks this call added
    removed: int               # tracks this call removed (songs removed locally)
    unmatched: tuple[str, ...]  # "Artist – Title" of songs not found on Spotify, playlist order

    @property
    def action(self) -> str:
        return "created" if self.created else "updated"

    def summary(self) -> str:
        """A sentence or two for a person (front ends may format their own)."""
        total = self.matched + len(self.unmatched)
        head = (f"{'Created' if self.created else 'Updated'} the Spotify playlist '{self.playlist_name}' "
                f"with {self.matched} of {total} song{'s' if total != 1 else ''}: {self.url}")
        if not self.unmatched:
            return head
        shown = "; ".join(self.unmatched[:20])
        more = f" (+{len(self.unmatched) - 20} more)" if len(self.unmatched) > 20 else ""
        return f"{head}\nNot found on Spotify: {shown}{more}"


class SpotifyExporter:
    def __init__(self, db: Database, settings: Settings, *, session: requests.Session | None = None,
                 wait_budget_s: float = DEFAULT_WAIT_BUDGET_S, sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.time, backoff_base_s: float = BACKOFF_BASE_S) -> None:
        self.db = db
        self.settings = settings
        self.session = session or requests.Session()
        self.wait_budget_s = wait_budget_s
        self.sleep = sleep
        self.clock = clock
        self.backoff_base_s = backoff_base_s
        self.endpoint = TokenEndpoint(settings, self.session, clock)
        self._active: set[int] = set()
        self._active_lock = threading.Lock()

    def export(self, user_id: str, playlist_name: str, *, public: bool = False,
               progress: Callable[[int, int], None] | None = None) -> ExportResult:
        """Create or update the user's Spotify copy of `playlist_name`. Raises NotFoundError /
        InputError (no such or empty playlist) and SpotifyError subclasses (not linked, relink,
        rate limited with a retry time, forbidden, unavailable).

        `progress(done, total)` is called from this (worker) thread as songs are matched, ending
        with (total, total); an exception it raises stops the export, which the next call resumes."""
        playlist = PlaylistStore(self.db).show(user_id, playlist_name)
        if not playlist.items:
            raise InputError("empty playlist", user_message=f"'{playlist.name}' has no songs to export yet.")
        with self._claim(playlist.id):
            api = SpotifyClient(self.settings.spotify_api_base,
                                UserTokens(SQLiteCacheHandler(self.db, playlist.user_id), self.endpoint),
                                session=self.session, budget=WaitBudget(self.wait_budget_s),
                                sleep=self.sleep, clock=self.clock, backoff_base_s=self.backoff_base_s)
            return _Run(self.db, api, playlist, public, progress).execute()

    @contextmanager
    def _claim(self, playlist_id: int) -> Iterator[None]:
        """Two exports of one playlist at once (a double click) would race on the journal."""
        with self._active_lock:
            if playlist_id in self._active:
                raise InputError("export already running",
                                 user_message="That playlist is being exported right now — one moment.")
            self._active.add(playlist_id)
        try:
            yield
        finally:
            with self._active_lock:
                self._active.discard(playlist_id)


class _Run:
    """One export: state shared by its steps."""

    def __init__(self, db: Database, api: SpotifyClient, playlist: Playlist, public: bool,
                 progress: Callable[[int, int], None] | None = None) -> None:
        self.db, self.api, self.playlist, self.public = db, api, playlist, public
        self.progress = progress
        self.pid = playlist.id
        self.remote_id = ""
        self.url = ""
        self.snapshot = ""
        self.created = self.resumed = False
        self.added = self.removed = 0
        self.journal: dict[str, str | None] = {}
        self._rows: list[tuple[str, str | None]] = []   # rows waiting for the next chunk's transaction
        self._uris: list[str] = []                     # the next chunk, unique URIs in order

    def execute(self) -> ExportResult:
        me = self.api.get("/me")
        self._target(str(me.get("id") or ""))
        self.journal = self._load_journal()
        remote = self._remote_uris() if self.resumed else set()
        present = {u for u in self.journal.values() if u}
        total = len(self.playlist.items)
        for done, item in enumerate(self.playlist.items, 1):
            if self.progress is not None:
                self.progress(done - 1, total)
            if item.song_id in self.journal:
                continue
            uri = self._match(item)
            self._rows.append((item.song_id, uri))
            if uri is None or uri in present:
                continue
            present.add(uri)
            if uri in remote:
                continue                               # reached Spotify in the run that died
            self._uris.append(uri)
            if len(self._uris) == CHUNK:
                self._flush()
        self._flush()
        if self.progress is not None:
            self.progress(total, total)
        self._remove_stale()
        with self.db.transaction() as conn:
            conn.execute("UPDATE spotify_exports SET snapshot = ?, updated_at = ? WHERE playlist_id = ?",
                         (self.snapshot, utcnow(), self.pid))
        return self._result()

    # ---- the Spotify playlist -------------------------------------------------------------------
    def _target(self, me_id: str) -> None:
        with self.db.read() as conn:
            row = conn.execute("SELECT spotify_playlist_id, snapshot FROM spotify_exports "
                               "WHERE playlist_id = ? AND user_id = ?", (self.pid, self.playlist.user_id)).fetchone()
        if row is not None:
            try:
                remote = self.api.get(f"/playlists/{row[0]}")
            except SpotifyNotFound:
                remote = None
            owner = ((remote or {}).get("owner") or {}).get("id")
            if remote is not None and owner == me_id:
                self.remote_id, self.resumed = row[0], row[1] is None
                self._remember(remote)
                with self.db.transaction() as conn:   # NULL = "in progress" until the run ends
                    conn.execute("UPDATE spotify_exports SET snapshot = NULL, updated_at = ? "
                                 "WHERE playlist_id = ?", (utcnow(), self.pid))
                if remote.get("name") != self.playlist.name:
                    self.api.request("PUT", f"/playlists/{self.remote_id}", json={"name": self.playlist.name})
                return
            log.info("remembered Spotify playlist is gone or not this account's; creating a new one")
        remote = self.api.request("POST", "/me/playlists", json={
            "name": self.playlist.name, "public": self.public, "description": DESCRIPTION}, idempotent=False)
        if not isinstance(remote.get("id"), str) or not _SPOTIFY_ID.fullmatch(remote["id"]):
            raise SpotifyError("create playlist: answer without a usable id",
                               user_message="Spotify didn't confirm the new playlist. Please try again.")
        self.remote_id, self.created = remote["id"], True
        self._remember(remote)
        with self.db.transaction() as conn:
            # "on the playlist" rows described the old playlist (if any); lookups that found
            # nothing stay valid. Same transaction as the new id, so the two never disagree.
            conn.execute("DELETE FROM spotify_export_items WHERE playlist_id = ? AND spotify_uri IS NOT NULL",
                         (self.pid,))
            conn.execute("INSERT INTO spotify_exports (user_id, playlist_id, spotify_playlist_id, snapshot, "
                         "updated_at) VALUES (?, ?, ?, NULL, ?) ON CONFLICT (playlist_id) DO UPDATE SET "
                         "user_id = excluded.user_id, spotify_playlist_id = excluded.spotify_playlist_id, "
                         "snapshot = NULL, updated_at = excluded.updated_at",
                         (self.playlist.user_id, self.pid, self.remote_id, utcnow()))

    def _remember(self, remote: dict[str, Any]) -> None:
        self.url = ((remote.get("external_urls") or {}).get("spotify")
                    or f"https://open.spotify.com/playlist/{self.remote_id}")
        self.snapshot = str(remote.get("snapshot_id") or self.snapshot)

    def _remote_uris(self) -> set[str]:
        uris: set[str] = set()
        for page in range(REMOTE_MAX_PAGES):
            data = self.api.get(f"/playlists/{self.remote_id}/items",
                                {"limit": REMOTE_PAGE, "offset": page * REMOTE_PAGE})
            for entry in data.get("items") or ():
                track = (entry or {}).get("item") or (entry or {}).get("track") or {}
                if isinstance(track.get("uri"), str):
                    uris.add(track["uri"])
            if not data.get("next"):
                break
        return uris

    # ---- matching and adding ----------------------------------------------------------------------
    def _match(self, item: PlaylistItem) -> str | None:
        if not item.title.strip() or not item.artist.strip():
            return None
        for query in search_queries(item.title, item.artist):
            data = self.api.get("/search", {"q": query, "type": "track", "limit": SEARCH_LIMIT,
                                            "market": "from_token"})
            best = best_match(item.title, item.artist, (data.get("tracks") or {}).get("items") or ())
            if best is not None:
                return best.candidate.uri
        return None

    def _flush(self) -> None:
        """Send the pending chunk, then journal it (and any lookups since) in one transaction."""
        if self._uris:
            answer = self.api.request("POST", f"/playlists/{self.remote_id}/items",
                                      json={"uris": self._uris}, idempotent=False)
            self.snapshot = str(answer.get("snapshot_id") or self.snapshot)
            self.added += len(self._uris)
        if self._rows:
            with self.db.transaction() as conn:
                conn.executemany("INSERT OR REPLACE INTO spotify_export_items (playlist_id, song_id, spotify_uri) "
                                 "VALUES (?, ?, ?)", [(self.pid, s, u) for s, u in self._rows])
                conn.execute("UPDATE spotify_exports SET updated_at = ? WHERE playlist_id = ?", (utcnow(), self.pid))
            self.journal.update(self._rows)
        self._rows, self._uris = [], []

    # ---- removing ---------------------------------------------------------------------------------
    def _remove_stale(self) -> None:
        current = {it.song_id for it in self.playlist.items}
        stale = {s: u for s, u in self.journal.items() if s not in current}
        if not stale:
            return
        keep = {u for s, u in self.journal.items() if s in current and u}
        doomed = list(dict.fromkeys(u for u in stale.values() if u and u not in keep))
        for i in range(0, len(doomed), CHUNK):
            chunk = doomed[i:i + CHUNK]
            answer = self.api.request("DELETE", f"/playlists/{self.remote_id}/items",
                                      json={"items": [{"uri": u} for u in chunk]})
            self.snapshot = str(answer.get("snapshot_id") or self.snapshot)
            self.removed += len(chunk)
            gone = [s for s, u in stale.items() if u in set(chunk)]
            self._forget(gone)
        self._forget(list(stale))   # the rest: unmatched ones, and those whose track another song keeps

    def _forget(self, song_ids: list[str]) -> None:
        song_ids = [s for s in song_ids if s in self.journal]
        if not song_ids:
            return
        with self.db.transaction() as conn:
            conn.executemany("DELETE FROM spotify_export_items WHERE playlist_id = ? AND song_id = ?",
                             [(self.pid, s) for s in song_ids])
        for s in song_ids:
            del self.journal[s]

    def _load_journal(self) -> dict[str, str | None]:
        with self.db.read() as conn:
            return dict(conn.execute("SELECT song_id, spotify_uri FROM spotify_export_items WHERE playlist_id = ?",
                                     (self.pid,)).fetchall())

    def _result(self) -> ExportResult:
        items = self.playlist.items
        return ExportResult(
            playlist_name=self.playlist.name, spotify_playlist_id=self.remote_id, url=self.url,
            created=self.created, resumed=self.resumed,
            matched=sum(1 for it in items if self.journal.get(it.song_id)),
            added=self.added, removed=self.removed,
            unmatched=tuple(f"{it.artist} – {it.title}" for it in items
                            if it.song_id in self.journal and self.journal[it.song_id] is None))
