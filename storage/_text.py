"""Small input checks shared by the stores. Everything reaches SQL as bound parameters, so these
checks are about friendly errors and sane data, not about escaping."""
from __future__ import annotations

import re
import unicodedata

from storage.errors import InputError

MAX_ID = 200

# A copy of retrieval.textnorm.norm_artist(cut=False): storage may not import retrieval, but the
# demoted artists we hand out are compared with the catalog's `artist_norm` column, so the two
# must agree (tests/storage/test_feedback.py checks them against each other).
_BRACKETS = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_FEAT = re.compile(r"\s+(feat\.?|featuring|ft\.?)\s.*$")
_PUNCT = re.compile(r"[^a-z0-9 ]+")


def norm_artist(artist: str) -> str:
    a = unicodedata.normalize("NFKD", str(artist or "")).encode("ascii", "ignore").decode("ascii").lower()
    a = _BRACKETS.sub(" ", a)
    a = _FEAT.sub("", a)
    a = a.replace("&", " and ")
    a = _PUNCT.sub("", a)
    a = " ".join(a.split())
    return a[4:] if a.startswith("the ") else a


def has_control(text: str) -> bool:
    """Cc (NUL, newlines, ESC...) and lone surrogates (which cannot be stored as UTF-8).
    Cf is allowed: zero-width joiners hold emoji sequences together."""
    return any(unicodedata.category(ch) in ("Cc", "Cs") for ch in text)


def user_key(user_id: object) -> str:
    """User ids are opaque; Discord ids may arrive as int, so they are compared as text."""
    if isinstance(user_id, bool) or not isinstance(user_id, (str, int)):
        raise InputError(f"bad user id {user_id!r}", user_message="I couldn't tell who you are.")
    text = str(user_id)
    if not text or len(text) > MAX_ID or has_control(text):
        raise InputError(f"bad user id {text[:40]!r}", user_message="I couldn't tell who you are.")
    return text


def ident(value: object, what: str) -> str:
    """A song id or channel: non-empty text without control characters."""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise InputError(f"bad {what} {value!r}", user_message=f"That {what} doesn't look right.")
    text = str(value)
    if not text or len(text) > MAX_ID or has_control(text):
        raise InputError(f"bad {what} {text[:40]!r}", user_message=f"That {what} doesn't look right.")
    return text


def label(value: object, limit: int = 500) -> str:
    """Artist/title as displayed: text, control characters turned into spaces, capped."""
    text = "" if value is None else str(value)
    text = "".join(" " if unicodedata.category(ch) in ("Cc", "Cs") else ch for ch in text)
    return " ".join(text.split())[:limit]
