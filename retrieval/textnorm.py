"""Normalisation shared by ingest, dedup, artist matching and the benchmarks."""
from __future__ import annotations

import hashlib
import re
import unicodedata

_BRACKETS = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_FEAT = re.compile(r"\s+(feat\.?|featuring|ft\.?)\s.*$")
_PUNCT = re.compile(r"[^a-z0-9 ]+")
_ARTIST_CUT = re.compile(r" (and|with|x) .*$")


def ascii_fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def _norm(text: str) -> str:
    """ASCII, lower case, no (...)/[...], no "feat." tail, & -> and, no punctuation, no leading "the "."""
    t = ascii_fold(str(text or "")).lower()
    t = _BRACKETS.sub(" ", t)
    t = _FEAT.sub("", t)
    t = t.replace("&", " and ")
    t = " ".join(_PUNCT.sub("", t).split())
    return t[4:] if t.startswith("the ") else t


def norm_title(title: str) -> str:
    return _norm(title)


def norm_artist(artist: str, *, cut: bool = True) -> str:
    a = _norm(artist)
    return _ARTIST_CUT.sub("", a) if cut else a


def join_key(artist: str, title: str) -> str:
    """The `artist||title` key used by the shared data sets (see ../shared/data/README.md)."""
    return f"{norm_artist(artist)}||{norm_title(title)}"


def stable_song_id(artist: str, title: str) -> str:
    return "s" + hashlib.sha1(join_key(artist, title).encode()).hexdigest()[:15]
