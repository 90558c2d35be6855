"""Linking a Moodtape user to a Spotify account: Authorization Code with PKCE (RFC 7636).

`begin(user)` returns the URL to open; the `state` in it is random, single-use, expires after
`state_ttl_s` and is bound server-side to the user who asked, so a callback can only ever store a
token for that user. Pending states live in memory (with their PKCE verifiers): the callback
server runs in the same process, and a restart simply makes outstanding links invalid, which is
the safe failure. A new `begin` for the same user replaces that user's older pending link.
States are kept only as SHA-256 digests (used ones too, to say "already used" on a replay).

Blocking (HTTP + SQLite): front ends call these through `asyncio.to_thread`.
"""
from __future__ import annotations

import base64
import hashlib
import logging
import secrets
import threading
import time
import urllib.parse
from dataclasses import dataclass
from typing import Callable

import requests

from storage._text import user_key
from storage.db import Database
from storage.errors import ConfigError, SpotifyError
from storage.settings import Settings
from storage.spotify.client import SpotifyClient, WaitBudget
from storage.spotify.errors import SpotifyForbidden
from storage.spotify.tokens import SQLiteCacheHandler, TokenEndpoint, UserTokens

log = logging.getLogger("moodtape.spotify")

SCOPES = ("playlist-modify-private", "playlist-modify-public")
STATE_TTL_S = 600.0
MAX_PENDING = 1000          # all users together: a flood of /spotify link cannot grow memory forever
_LOOPBACK = {"127.0.0.1", "::1"}


@dataclass(frozen=True)
class LinkRequest:
    url: str                # open this in a browser
    expires_at: float       # epoch seconds


@dataclass(frozen=True)
class LinkedAccount:
    user_id: str            # the Moodtape user the state was bound to
    spotify_id: str
    display_name: str


@dataclass(frozen=True)
class _Pending:
    user_id: str
    verifier: str
    expires_at: float


def check_redirect_uri(uri: str) -> str:
    """Spotify (since Nov 2025) accepts only HTTPS redirect URIs or loopback IP literals over
    HTTP; `localhost` is refused. Catch that at start-up, not after someone has clicked."""
    try:
        parts = urllib.parse.urlsplit(uri)
        host, port = (parts.hostname or "").lower(), parts.port
    except ValueError:   # a port that is not a number
        parts, host, port = None, "", None
    ok = parts is not None and not parts.fragment and (
        (parts.scheme == "https" and bool(host)) or (parts.scheme == "http" and host in _LOOPBACK and port))
    if not ok:
        raise ConfigError(f"unusable SPOTIFY_REDIRECT_URI {uri!r}",
                          user_message="Spotify linking is misconfigured: the redirect URI must be "
                                       "https://… or http://127.0.0.1:PORT/….")
    return uri


def _challenge(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")


def _digest(state: str) -> str:
    return hashlib.sha256(state.encode("utf-8", "surrogatepass")).hexdigest()


class SpotifyLinker:
    def __init__(self, db: Database, settings: Settings, *, state_ttl_s: float = STATE_TTL_S,
                 session: requests.Session | None = None, clock: Callable[[], float] = time.time,
                 on_linked: Callable[[LinkedAccount], None] | None = None) -> None:
        self.db = db
        self.settings = settings
        self.redirect_uri = check_redirect_uri(settings.spotify_redirect_uri)
        self.state_ttl_s = state_ttl_s
        self.session = session or requests.Session()
        self.clock = clock
        self.on_linked = on_linked      # e.g. the Discord front end DMs "linked!" (called in the server thread)
        self.endpoint = TokenEndpoint(settings, self.session, clock)
        self._pending: dict[str, _Pending] = {}    # sha256(state) -> pending link
        self._used: dict[str, float] = {}          # sha256(state) -> when it stops being remembered
        self._done: dict[str, LinkedAccount] = {}  # user -> result of their latest link, for wait_for_link
        self._lock = threading.Lock()
        self._linked = threading.Condition(self._lock)

    # ---- step 1 ----------------------------------------------------------------------------------
    def begin(self, user_id: str) -> LinkRequest:
        user = user_key(user_id)
        state = secrets.token_urlsafe(32)
        verifier = secrets.token_urlsafe(64)       # 86 chars, inside RFC 7636's 43..128
        now = self.clock()
        pending = _Pending(user, verifier, now + self.state_ttl_s)
        with self._lock:
            self._purge(now)
            for key in [k for k, p in self._pending.items() if p.user_id == user]:
                del self._pending[key]             # only the newest link of a user works
            self._done.pop(user, None)
            if len(self._pending) >= MAX_PENDING:
                raise SpotifyError("too many pending Spotify links",
                                   user_message="Too many people are linking Spotify right now. "
                                                "Please try again in a few minutes.")
            self._pending[_digest(state)] = pending
        query = urllib.parse.urlencode({
            "client_id": self.settings.spotify_client_id,
            "response_type": "code",
            "redirect_uri": self.redirect_uri,
            "code_challenge_method": "S256",
            "code_challenge": _challenge(verifier),
            "scope": " ".join(SCOPES),
            "state": state,
        }, quote_via=urllib.parse.quote)
        url = f"{self.settings.spotify_accounts_base.rstrip('/')}/authorize?{query}"
        return LinkRequest(url, pending.expires_at)

    # ---- step 2 (the callback) ---------------------------------------------------------------------
    def complete(self, state: str | None, code: str | None = None, error: str | None = None) -> LinkedAccount:
        """Consume `state` (whatever happens next, it cannot be used again), exchange `code` and
        store the token for the user the state was issued to."""
        pending = self._take(state)
        if error:
            # Spotify's error codes are short ASCII words (access_denied); keep only that much.
            reason = "".join(c for c in str(error)[:40] if c.isalnum() or c == "_")
            raise SpotifyError(f"authorization refused: {reason}",
                               user_message="Spotify access was not granted, so nothing was linked. "
                                            "You can ask Moodtape for a new link any time.")
        if not code or len(code) > 2048:
            raise SpotifyError("callback without a usable code",
                               user_message="Spotify sent back an incomplete answer. "
                                            "Ask Moodtape for a new Spotify link.")
        token = self.endpoint.exchange(code, self.redirect_uri, pending.verifier)
        missing = set(SCOPES) - set(str(token.get("scope", "")).split())
        if missing:
            raise SpotifyError(f"token lacks scopes {sorted(missing)}",
                               user_message="Spotify granted fewer permissions than Moodtape needs "
                                            "to make playlists. Ask Moodtape for a new link.")
        cache = SQLiteCacheHandler(self.db, pending.user_id)
        cache.save_token_to_cache(token)
        account = self._whoami(cache, pending.user_id)
        log.info("Spotify linked for a user")
        with self._linked:
            self._done[account.user_id] = account
            self._linked.notify_all()
        if self.on_linked is not None:
            try:
                self.on_linked(account)
            except Exception:  # a failing notification must not undo a successful link
                log.exception("on_linked hook failed")
        return account

    def _take(self, state: str | None) -> _Pending:
        now = self.clock()
        invalid = SpotifyError("unknown Spotify state",
                               user_message="This Spotify link is not valid. "
                                            "Ask Moodtape for a new Spotify link.")
        if not isinstance(state, str) or not state or len(state) > 200:
            raise invalid
        key = _digest(state)
        with self._lock:
            pending = self._pending.pop(key, None)
            if pending is None:
                if key in self._used:
                    raise SpotifyError("replayed Spotify state",
                                       user_message="This Spotify link was already used. If your account "
                                                    "isn't linked yet, ask Moodtape for a new link.")
                raise invalid
            self._used[key] = now + self.state_ttl_s
            self._purge(now)
        if pending.expires_at <= now:
            minutes = max(1, round(self.state_ttl_s / 60))
            raise SpotifyError("expired Spotify state",
                               user_message=f"This Spotify link has expired (links work for {minutes} "
                                            "minutes). Ask Moodtape for a new one.")
        return pending

    def _purge(self, now: float) -> None:
        for key in [k for k, p in self._pending.items() if p.expires_at <= now - self.state_ttl_s]:
            del self._pending[key]     # kept one extra TTL so a late click says "expired", not "invalid"
        for key in [k for k, t in self._used.items() if t <= now]:
            del self._used[key]

    def _whoami(self, cache: SQLiteCacheHandler, user: str) -> LinkedAccount:
        """GET /me right away: a development-mode app answers 403 for accounts not on its
        allowlist, and it is kinder to say so now than at the first export."""
        api = SpotifyClient(self.settings.spotify_api_base, UserTokens(cache, self.endpoint),
                            session=self.session, budget=WaitBudget(5.0), clock=self.clock)
        try:
            me = api.get("/me")
        except SpotifyForbidden:
            cache.delete()
            raise
        except SpotifyError as exc:    # linked fine; only the name is missing
            log.warning("linked, but GET /me failed: %s", exc)
            return LinkedAccount(user, "", "")
        return LinkedAccount(user, str(me.get("id") or ""), str(me.get("display_name") or me.get("id") or ""))

    def wait_for_link(self, user_id: str, timeout_s: float) -> LinkedAccount | None:
        """Block until the link from the user's latest `begin` completes (None on timeout). For a
        terminal front end, or a Discord one that wants to confirm in the channel:
        `await asyncio.to_thread(linker.wait_for_link, user, 600)`."""
        user = user_key(user_id)
        with self._linked:
            self._linked.wait_for(lambda: user in self._done, timeout=timeout_s)
            return self._done.pop(user, None)

    # ---- management ---------------------------------------------------------------------------------
    def is_linked(self, user_id: str) -> bool:
        return SQLiteCacheHandler(self.db, user_id).get_cached_token() is not None

    def unlink(self, user_id: str) -> bool:
        """Forget the user's Spotify token (exports stay remembered, so linking the same account
        again keeps updating the same playlists). True when there was one."""
        user = user_key(user_id)
        with self._lock:
            for key in [k for k, p in self._pending.items() if p.user_id == user]:
                del self._pending[key]
        return SQLiteCacheHandler(self.db, user).delete()
