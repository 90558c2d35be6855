"""Per-user Spotify tokens: a spotipy `CacheHandler` backed by the `spotify_tokens` table, the two
calls to the accounts token endpoint, and `UserTokens`, which hands out a fresh access token.

Why the token endpoint is called here with `requests` and not through spotipy's `SpotifyPKCE`:
spotipy logs the whole request body at DEBUG ("... Body: {'code': ..., 'code_verifier': ...,
'refresh_token': ...}"), keeps one PKCE verifier per auth-manager object (we need one per pending
link, for many users at once) and has no bounded retry. The stored dict keeps spotipy's token_info
shape (access_token, refresh_token, expires_at, scope, token_type), so spotipy code could use the
same cache handler.
"""
from __future__ import annotations

import json
import logging
import threading
import time
from typing import Any, Callable

import requests
from spotipy.cache_handler import CacheHandler

from storage._text import user_key
from storage.db import Database, ensure_user, utcnow
from storage.errors import ConfigError, SpotifyError
from storage.settings import Settings
from storage.spotify.errors import SpotifyNotLinked, SpotifyRelinkRequired, SpotifyUnavailable

log = logging.getLogger("moodtape.spotify")

TIMEOUT = (5.0, 20.0)           # (connect, read) seconds: a dead server can never hang a command
EXPIRY_MARGIN_S = 60            # refresh a token this long before it expires (same as spotipy)


class SQLiteCacheHandler(CacheHandler):
    """One user's token_info in SQLite. The db file is 0600 (storage.db); the token never appears
    in logs, reprs or exception messages."""

    def __init__(self, db: Database, user_id: str) -> None:
        self.db = db
        self.user_id = user_key(user_id)

    def get_cached_token(self) -> dict[str, Any] | None:
        with self.db.read() as conn:
            row = conn.execute("SELECT token_json FROM spotify_tokens WHERE user_id = ?",
                               (self.user_id,)).fetchone()
        if row is None:
            return None
        try:
            token = json.loads(row[0])
        except ValueError:
            log.warning("unreadable Spotify token row for a user; treating as not linked")
            return None
        return token if isinstance(token, dict) and token.get("access_token") else None

    def save_token_to_cache(self, token_info: dict[str, Any]) -> None:
        with self.db.transaction() as conn:
            ensure_user(conn, self.user_id)    # so forget_user finds this user
            conn.execute("INSERT INTO spotify_tokens (user_id, token_json, updated_at) VALUES (?, ?, ?) "
                         "ON CONFLICT (user_id) DO UPDATE SET token_json = excluded.token_json, "
                         "updated_at = excluded.updated_at",
                         (self.user_id, json.dumps(token_info), utcnow()))

    def delete(self) -> bool:
        with self.db.transaction() as conn:
            return conn.execute("DELETE FROM spotify_tokens WHERE user_id = ?", (self.user_id,)).rowcount > 0

    def __repr__(self) -> str:
        return f"SQLiteCacheHandler(user_id={self.user_id!r})"


class TokenEndpoint:
    """POST {accounts}/api/token. PKCE needs no client secret, so the secret is never sent (and so
    can never leak from here)."""

    def __init__(self, settings: Settings, session: requests.Session | None = None,
                 clock: Callable[[], float] = time.time) -> None:
        if not settings.spotify_client_id:
            raise ConfigError("SPOTIFY_CLIENT_ID is not set",
                              user_message="Spotify isn't set up on this Moodtape (no client id).")
        self.url = settings.spotify_accounts_base.rstrip("/") + "/api/token"
        self.client_id = settings.spotify_client_id
        self.session = session or requests.Session()
        self.clock = clock

    def exchange(self, code: str, redirect_uri: str, verifier: str) -> dict[str, Any]:
        return self._post({"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri,
                           "client_id": self.client_id, "code_verifier": verifier}, "authorization_code")

    def refresh(self, refresh_token: str) -> dict[str, Any]:
        token = self._post({"grant_type": "refresh_token", "refresh_token": refresh_token,
                            "client_id": self.client_id}, "refresh_token")
        # Spotify may or may not rotate the refresh token; keep the old one when none is returned.
        token.setdefault("refresh_token", refresh_token)
        return token

    def _post(self, form: dict[str, str], grant: str) -> dict[str, Any]:
        try:
            resp = self.session.post(self.url, data=form, timeout=TIMEOUT,
                                     headers={"Content-Type": "application/x-www-form-urlencoded"})
        except requests.RequestException as exc:
            raise SpotifyUnavailable(f"token endpoint ({grant}): {type(exc).__name__}") from None
        if resp.status_code == 400:
            # invalid_grant: code used/expired or refresh token revoked. Only the error code is
            # kept: error_description is Spotify's text and never carries the token, but we do not
            # need it to decide.
            error = _json(resp).get("error", "invalid_request")
            if grant == "refresh_token":
                raise SpotifyRelinkRequired(f"refresh refused: {error}")
            raise SpotifyError(f"code exchange refused: {error}",
                               user_message="Spotify didn't accept this sign-in (the link may be old "
                                            "or already used). Ask Moodtape for a new Spotify link.")
        if resp.status_code != 200:
            raise SpotifyUnavailable(f"token endpoint ({grant}) answered {resp.status_code}")
        token = _json(resp)
        if not isinstance(token.get("access_token"), str) or not isinstance(token.get("expires_in"), int):
            raise SpotifyUnavailable(f"token endpoint ({grant}) sent an unusable answer")
        token["expires_at"] = int(self.clock()) + token["expires_in"]
        return token


def _json(resp: requests.Response) -> dict[str, Any]:
    try:
        data = resp.json()
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


class UserTokens:
    """A valid access token for one user, refreshed when close to expiry or when the API says 401."""

    _locks: dict[str, threading.Lock] = {}
    _locks_guard = threading.Lock()

    def __init__(self, cache: SQLiteCacheHandler, endpoint: TokenEndpoint) -> None:
        self.cache = cache
        self.endpoint = endpoint
        with self._locks_guard:   # one refresh at a time per user: a rotated refresh token is single-use
            self._lock = self._locks.setdefault(cache.user_id, threading.Lock())

    def _load(self) -> dict[str, Any]:
        token = self.cache.get_cached_token()
        if token is None:
            raise SpotifyNotLinked()
        return token

    def access_token(self) -> str:
        token = self._load()
        if int(token.get("expires_at", 0)) - self.endpoint.clock() < EXPIRY_MARGIN_S:
            token = self._refresh(seen=token)
        return token["access_token"]

    def refresh(self, rejected: str) -> str:
        """Called after a 401 for access token `rejected`; returns a different one or raises."""
        token = self._load()
        if token["access_token"] != rejected:
            return token["access_token"]   # another thread refreshed meanwhile
        return self._refresh(seen=token)["access_token"]

    def _refresh(self, seen: dict[str, Any]) -> dict[str, Any]:
        with self._lock:
            current = self._load()
            if current["access_token"] != seen["access_token"]:
                return current             # refreshed by someone else while we waited for the lock
            if not current.get("refresh_token"):
                self.cache.delete()
                raise SpotifyRelinkRequired("token has no refresh token")
            try:
                fresh = self.endpoint.refresh(current["refresh_token"])
            except SpotifyRelinkRequired:
                self.cache.delete()        # a revoked refresh token is useless: show "not linked"
                raise
            fresh.setdefault("scope", current.get("scope", ""))
            self.cache.save_token_to_cache(fresh)
            log.debug("refreshed Spotify access token for a user")
            return fresh
