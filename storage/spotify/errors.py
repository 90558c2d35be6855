"""SpotifyError subclasses, so a front end can react to the kind of failure (offer a new link,
show a retry time) without parsing messages. All are `storage.errors.SpotifyError`, and every
`user_message` is safe to show: none ever contains a token, a code or the client secret."""
from __future__ import annotations

import math

from storage.errors import SpotifyError

RELINK_HINT = "Ask Moodtape for a new Spotify link and try again."


class SpotifyNotLinked(SpotifyError):
    """The user has no stored token."""

    def __init__(self, message: str = "no Spotify token for user") -> None:
        super().__init__(message, user_message="Your Spotify account isn't linked yet. "
                                               "Ask Moodtape for a Spotify link first.")


class SpotifyRelinkRequired(SpotifyError):
    """The stored token is no longer accepted (revoked, refresh failed, 401 after a refresh)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, user_message="Spotify no longer accepts Moodtape's access to your "
                                               "account. " + RELINK_HINT)


class SpotifyForbidden(SpotifyError):
    """403: in practice a development-mode app and a Spotify user who is not on its allowlist."""

    def __init__(self, message: str, *, scope: bool = False) -> None:
        if scope:
            text = ("Spotify says Moodtape lacks a permission it needs on your account. " + RELINK_HINT)
        else:
            # Since Feb/Mar 2026 a development-mode client id serves at most five Spotify users,
            # each added by hand in the Developer Dashboard; everyone else gets 403 on every call.
            text = ("Spotify refused the request. This Moodtape's Spotify app is in development mode, "
                    "so Spotify only lets accounts that the bot's owner has added in the Spotify "
                    "Developer Dashboard (app settings → User Management, at most five people) use "
                    "it. Ask the owner to add the e-mail address of your Spotify account, then try "
                    "again.")
        super().__init__(message, user_message=text)


class SpotifyRateLimited(SpotifyError):
    """429 with a Retry-After longer than we are willing to wait inside one command."""

    def __init__(self, message: str, *, retry_after_s: float, retry_at: float) -> None:
        self.retry_after_s = retry_after_s
        self.retry_at = retry_at           # epoch seconds: front ends may render it (Discord <t:..:R>)
        super().__init__(message, user_message="Spotify is limiting how fast Moodtape may call it. "
                                               f"Please try again in {human_wait(retry_after_s)}.")


class SpotifyUnavailable(SpotifyError):
    """5xx after our retries, a timeout or a lost connection."""

    def __init__(self, message: str) -> None:
        super().__init__(message, user_message="Spotify isn't answering properly right now. Please try "
                                               "again in a few minutes — an export continues where it "
                                               "stopped.")


class SpotifyNotFound(SpotifyError):
    """404 (e.g. a remembered playlist that no longer exists)."""


def human_wait(seconds: float) -> str:
    """'45 seconds', 'about 2 minutes', 'about 1 hour 5 minutes': rounded up so we never say too early."""
    s = max(1, math.ceil(seconds))
    if s < 60:
        return f"{s} second{'s' if s != 1 else ''}"
    m = math.ceil(s / 60)
    if m < 60:
        return f"about {m} minute{'s' if m != 1 else ''}"
    h, m = divmod(m, 60)
    return f"about {h} hour{'s' if h != 1 else ''}" + (f" {m} minute{'s' if m != 1 else ''}" if m else "")
