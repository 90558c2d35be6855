"""The engine's Spotify side: one linker, one exporter and one callback server per process.

Front ends never touch `storage.spotify` directly; they call `Engine.spotify_link/unlink/status`
and the `export … format "spotify"` playlist op, which land here. Everything is created lazily on
first use (most processes never link anyone) and is safe to call from several worker threads.
"""
from __future__ import annotations

import logging
import threading
import time

from storage.errors import ConfigError
from storage.settings import Settings

log = logging.getLogger("moodtape.engine")

NOT_CONFIGURED = ("Spotify isn't set up on this server: the admin needs SPOTIFY_CLIENT_ID (see README).")


class SpotifyBridge:
    def __init__(self, db_factory, settings: Settings) -> None:
        self._db = db_factory           # Services.db is lazy too: only touch it when needed
        self.settings = settings
        self._lock = threading.Lock()
        self._linker = None
        self._exporter = None
        self._server = None
        self._expires: dict[str, float] = {}     # user -> when their latest link stops working

    @property
    def configured(self) -> bool:
        return bool(self.settings.spotify_client_id)

    def _require(self) -> None:
        if not self.configured:
            raise ConfigError("SPOTIFY_CLIENT_ID is not set", user_message=NOT_CONFIGURED)

    # ---- lazily built parts ----------------------------------------------------------------------
    @property
    def linker(self):
        self._require()
        with self._lock:
            if self._linker is None:
                from storage.spotify import SpotifyLinker

                self._linker = SpotifyLinker(self._db(), self.settings)
            return self._linker

    @property
    def exporter(self):
        self._require()
        with self._lock:
            if self._exporter is None:
                from storage.spotify import SpotifyExporter

                self._exporter = SpotifyExporter(self._db(), self.settings)
            return self._exporter

    def ensure_callback_server(self) -> str:
        """Start the page Spotify redirects to, once per process. Its port comes from the redirect
        URI (loopback) or SPOTIFY_CALLBACK_PORT (https behind a reverse proxy)."""
        linker = self.linker
        with self._lock:
            if self._server is None:
                from storage.spotify import CallbackServer

                server = CallbackServer(linker, host=self.settings.spotify_callback_host or None,
                                        port=self.settings.spotify_callback_port)
                try:
                    server.start()
                except OSError as exc:
                    where = f"{server.host}:{server.port}"
                    raise ConfigError(f"callback server cannot listen on {where}: {exc.strerror}",
                                      user_message=f"Spotify linking can't start: the callback address "
                                                   f"{where} is busy or not allowed (is another Moodtape "
                                                   "running on this machine?).") from None
                self._server = server
            return self._server.url

    # ---- what the engine asks for ------------------------------------------------------------------
    def link(self, user: str) -> str:
        """Begin a link for `user`; the reply to send them (privately: the URL is theirs alone)."""
        linker = self.linker
        self.ensure_callback_server()
        request = linker.begin(user)
        now = time.time()
        with self._lock:   # only `wait` reads this; keep it from growing with every member who links
            self._expires = {u: t for u, t in self._expires.items() if t > now}
            self._expires[user] = request.expires_at
        minutes = max(1, round((request.expires_at - time.time()) / 60))
        return (f"Open this link to connect your Spotify account (it works for {minutes} minutes, "
                f"only for you): {request.url}")

    def wait(self, user: str, timeout_s: float | None = None):
        """Block until `user`'s latest link completes; None when it did not in time (by default,
        until that link expires)."""
        linker = self.linker
        if timeout_s is None:
            timeout_s = max(0.0, self._expires.pop(user, time.time()) - time.time())
        return linker.wait_for_link(user, timeout_s)

    def unlink(self, user: str) -> bool:
        if self.configured:
            return self.linker.unlink(user)
        from storage.spotify import SQLiteCacheHandler

        return SQLiteCacheHandler(self._db(), user).delete()

    def is_linked(self, user: str) -> bool:
        from storage.spotify import SQLiteCacheHandler

        return SQLiteCacheHandler(self._db(), user).get_cached_token() is not None

    def export(self, user: str, name: str) -> str:
        return self.exporter.export(user, name).summary()

    def close(self) -> None:
        with self._lock:
            server, self._server = self._server, None
        if server is not None:
            server.stop()
