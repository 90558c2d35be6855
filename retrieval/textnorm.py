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


def norm_title(title: str) -> str:
    t = ascii_fold(str(title or "")).lower()
    t = _BRACKETS.sub(" ", t)
    t = _FEAT.sub("", t)
    t = t.replace("&", " and ")
    t = _PUNCT.sub("", t)
    t = " ".join(t.split())
    return t[4:] if t.startswith("the ") else t


def norm_artist(artist: str, *, cut: bool = True) -> str:
    a = ascii_fold(str(artist or "")).lower()
    a = _BRACKETS.sub(" ", a)
    a = _FEAT.sub("", a)
    a = a.replace("&", " and ")
    a = _PUNCT.sub("", a)
    a = " ".join(a.split())
    if a.startswith("the "):
        a = a[4:]
    return _ARTIST_CUT.sub("", a) if cut else a


def join_key(artist: str, title: str) -> str:
    """The `artist||title` key used by the shared data sets (see ../shared/data/README.md)."""
    return f"{norm_artist(artist)}||{norm_title(title)}"


def stable_song_id(artist: str, title: str) -> str:
    return "s" + hashlib.sha1(join_key(artist, title).encode()).hexdigest()[:15]
