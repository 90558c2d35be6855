"""A small Web API client on `requests`, with Spotify's faults handled in one place.

Why not `spotipy.Spotify`: in spotipy 2.26 `playlist_add_items` sends a bare JSON array where the
API description says `{"uris": [...]}`, `me()` requests `/me/` (trailing slash), and its urllib3
retry sleeps for whatever Retry-After says, so one 429 can block a command for hours. Here:
  * 429: wait Retry-After only while the operation's `WaitBudget` allows (10 s by default), else
    raise `SpotifyRateLimited` saying when to try again. Never sleeps past the budget.
  * 401: refresh the token once and repeat; a second 401 raises `SpotifyRelinkRequired`.
  * 403: `SpotifyForbidden` (development-mode allowlist, or a missing scope).
  * 5xx: up to MAX_SERVER_RETRIES more tries with exponential backoff (also inside the budget).
  * timeouts / lost connections: retried like 5xx only for requests that are safe to repeat
    (`idempotent=True`); for "add items" a lost answer may mean the items were added, so the
    caller decides (the exporter reconciles with the playlist on its next run).
"""
from __future__ import annotations

import email.utils
import logging
import time
from dataclasses import dataclass, field
from typing import Any, Callable

import requests

from storage.errors import SpotifyError
from storage.spotify.errors import (SpotifyForbidden, SpotifyNotFound, SpotifyRateLimited,
                                    SpotifyRelinkRequired, SpotifyUnavailable)
from storage.spotify.tokens import TIMEOUT, UserTokens

log = logging.getLogger("moodtape.spotify")

MAX_SERVER_RETRIES = 3
BACKOFF_BASE_S = 0.5
BACKOFF_MAX_S = 4.0
DEFAULT_WAIT_BUDGET_S = 10.0
DEFAULT_RETRY_AFTER_S = 1.0     # a 429 without a usable Retry-After header


@dataclass
class WaitBudget:
    """Total seconds one user-facing operation may spend sleeping on 429s and 5xx backoff."""

    total_s: float = DEFAULT_WAIT_BUDGET_S
    spent_s: float = field(default=0.0)

    def take(self, seconds: float) -> bool:
        if self.spent_s + seconds > self.total_s:
            return False
        self.spent_s += seconds
        return True


def parse_retry_after(value: str | None, now: float) -> float:
    """Retry-After is delta-seconds or an HTTP-date (RFC 9110 §10.2.3)."""
    if not value:
        return DEFAULT_RETRY_AFTER_S
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError, IndexError, OverflowError):
        return DEFAULT_RETRY_AFTER_S
    return max(0.0, when - now)


class SpotifyClient:
    """Calls `{api_base}{path}` for one user. Not thread-safe per instance; make one per operation."""

    def __init__(self, api_base: str, tokens: UserTokens, *, session: requests.Session | None = None,
                 budget: WaitBudget | None = None, sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], float] = time.time, backoff_base_s: float = BACKOFF_BASE_S) -> None:
        self.api_base = api_base.rstrip("/")
        self.tokens = tokens
        self.session = session or requests.Session()
        self.budget = budget or WaitBudget()
        self.sleep = sleep
        self.clock = clock
        self.backoff_base_s = backoff_base_s

    def get(self, path: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        return self.request("GET", path, params=params)

    def request(self, method: str, path: str, *, params: dict[str, Any] | None = None,
                json: Any = None, idempotent: bool | None = None) -> dict[str, Any]:
        if idempotent is None:
            idempotent = method in ("GET", "PUT", "DELETE")
        what = f"{method} {path}"
        refreshed = False
        failures = 0
        while True:
            token = self.tokens.access_token()
            try:
                resp = self.session.request(method, self.api_base + path, params=params, json=json,
                                            headers={"Authorization": f"Bearer {token}"}, timeout=TIMEOUT)
            except requests.RequestException as exc:
                failures += 1
                if not idempotent or failures > MAX_SERVER_RETRIES:
                    raise SpotifyUnavailable(f"{what}: {type(exc).__name__}") from None
                self._backoff(what, failures, f"{type(exc).__name__}")
                continue
            status = resp.status_code
            if status < 300:
                return _body(resp)
            message = _error_message(resp)
            if status == 401:
                if refreshed:
                    raise SpotifyRelinkRequired(f"{what}: 401 after refresh ({message})")
                self.tokens.refresh(rejected=token)
                refreshed = True
                continue
            if status == 403:
                raise SpotifyForbidden(f"{what}: 403 ({message})", scope="scope" in message.lower())
            if status == 404:
                raise SpotifyNotFound(f"{what}: 404 ({message})",
                                      user_message="Spotify couldn't find that anymore.")
            if status == 429:
                wait = parse_retry_after(resp.headers.get("Retry-After"), self.clock())
                if not self.budget.take(wait):
                    raise SpotifyRateLimited(f"{what}: 429, Retry-After {wait:.0f}s",
                                             retry_after_s=wait, retry_at=self.clock() + wait)
                log.info("Spotify rate limit on %s: waiting %.1fs", what, wait)
                self.sleep(wait)
                continue
            if status >= 500:
                failures += 1
                if failures > MAX_SERVER_RETRIES:
                    raise SpotifyUnavailable(f"{what}: {status} after {MAX_SERVER_RETRIES} retries")
                self._backoff(what, failures, str(status))
                continue
            raise SpotifyError(f"{what}: {status} ({message})",
                               user_message="Spotify refused the request. Please try again later.")

    def _backoff(self, what: str, failures: int, reason: str) -> None:
        delay = min(self.backoff_base_s * 2 ** (failures - 1), BACKOFF_MAX_S)
        if not self.budget.take(delay):
            raise SpotifyUnavailable(f"{what}: {reason}, no time left to retry")
        log.info("Spotify %s on %s: retry %d in %.2fs", reason, what, failures, delay)
        self.sleep(delay)


def _body(resp: requests.Response) -> dict[str, Any]:
    if not resp.content:
        return {}
    try:
        data = resp.json()
    except ValueError:
        raise SpotifyUnavailable(f"non-JSON answer ({resp.status_code})") from None
    return data if isinstance(data, dict) else {"value": data}


def _error_message(resp: requests.Response) -> str:
    """The API's {"error": {"status", "message"}}; short, and only ever Spotify's own words."""
    try:
        err = resp.json().get("error")
    except (ValueError, AttributeError):
        return ""
    if isinstance(err, dict):
        return str(err.get("message", ""))[:200]
    return str(err or "")[:200]
