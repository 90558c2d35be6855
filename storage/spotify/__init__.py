"""Spotify: linking an account (PKCE + a loopback callback page) and exporting playlists.

Everything here blocks (HTTP, SQLite); the Discord front end calls it via `asyncio.to_thread`.

    linker = SpotifyLinker(db, settings, on_linked=...)     # one per process
    server = CallbackServer(linker); server.start()          # serves settings.spotify_redirect_uri
    linker.begin(user_id).url                                # send to the person (privately)
    linker.wait_for_link(user_id, timeout_s)                 # -> LinkedAccount | None
    linker.is_linked(user_id); linker.unlink(user_id)
    SpotifyExporter(db, settings).export(user_id, name, progress=None)   # -> ExportResult (.summary())

Errors are `storage.errors.SpotifyError` (subclasses in `storage.spotify.errors`) or
`InputError`/`NotFoundError`; all carry a `user_message`.
"""
from storage.spotify.auth import SCOPES, LinkedAccount, LinkRequest, SpotifyLinker, check_redirect_uri
from storage.spotify.callback import CallbackServer
from storage.spotify.errors import (SpotifyForbidden, SpotifyNotLinked, SpotifyRateLimited,
                                    SpotifyRelinkRequired, SpotifyUnavailable)
from storage.spotify.export import ExportResult, SpotifyExporter
from storage.spotify.tokens import SQLiteCacheHandler

__all__ = [
    "SCOPES", "LinkedAccount", "LinkRequest", "SpotifyLinker", "check_redirect_uri", "CallbackServer",
    "SpotifyForbidden", "SpotifyNotLinked", "SpotifyRateLimited", "SpotifyRelinkRequired",
    "SpotifyUnavailable", "ExportResult", "SpotifyExporter", "SQLiteCacheHandler",
]
