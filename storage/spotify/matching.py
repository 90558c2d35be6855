"""Pick the Spotify track for one of our songs from `GET /search` results.

Score = title similarity and artist similarity of normalised names (rapidfuzz), minus a penalty
for versions the person did not ask for (live, karaoke, remix, cover...). Only the *version part*
of a name is searched for those words — what is in brackets or after " - " — so songs such as
"Live and Let Die" or albums such as "Live Through This" are not mistaken for live recordings.
A penalised live/remix version can still win when nothing better exists; karaoke, covers and
tributes (other performers) cannot, as their penalty keeps them under the acceptance threshold.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Iterable

from rapidfuzz import fuzz

MIN_TITLE = 0.85
MIN_ARTIST = 0.75
MIN_SCORE = 0.6
TITLE_WEIGHT = 0.55

# penalty per marker found in a candidate's version part (the largest one applies)
_OTHER_PERFORMER = 0.45   # not the recording the person means at all
_OTHER_VERSION = 0.25     # same artist, different recording: acceptable only as a fallback
_MARKERS: tuple[tuple[re.Pattern[str], float], ...] = tuple(
    (re.compile(rf"\b(?:{words})\b"), penalty) for words, penalty in (
        (r"karaoke|originally performed|in the style of|made famous|as made famous|tribute|"
         r"cover|covered|backing track|lullaby|8 bit|sped up|slowed", _OTHER_PERFORMER),
        (r"live|unplugged|remix|rmx|mix|instrumental|acoustic|demo|rehearsal|a cappella|acapella|"
         r"orchestral|symphonic|re recorded|rerecorded|taylors version", _OTHER_VERSION),
    ))
# Words that mark another performer even in an artist or album name ("Karaoke All Stars").
_PERFORMER_WORDS = re.compile(r"\b(?:karaoke|tribute|in the style of|originally performed|made famous)\b")
_ALBUM_LIVE = re.compile(r"\b(?:live (?:at|from|in|on)|unplugged|in concert)\b")

_BRACKETS = re.compile(r"\([^)]*\)|\[[^\]]*\]|\{[^}]*\}")
_DASH_SUFFIX = re.compile(r"\s+[-–—]\s+.*$")
_FEAT = re.compile(r"\s*\b(?:feat|featuring|ft|with)\b\.?\s.*$")
_NON_WORD = re.compile(r"[^\w\s]+")


def fold(text: str) -> str:
    """Lower case, accents and punctuation removed, & = and; letters of any script are kept."""
    t = unicodedata.normalize("NFKD", str(text or "").casefold())
    t = "".join(c for c in t if not unicodedata.combining(c))
    t = t.replace("&", " and ").replace("'", "").replace("’", "")
    t = _NON_WORD.sub(" ", t).replace("_", " ")
    return " ".join(t.split())


def split_title(title: str) -> tuple[str, str]:
    """("Hey Jude", "remastered 2015") from "Hey Jude - Remastered 2015"; (base, version part)."""
    raw = str(title or "")
    version = " ".join(_BRACKETS.findall(raw))
    m = _DASH_SUFFIX.search(_BRACKETS.sub(" ", raw))
    if m:
        version += " " + m.group(0)
    base = _DASH_SUFFIX.sub("", _BRACKETS.sub(" ", raw))
    base = fold(base) or fold(raw)     # a title that is all brackets keeps its text
    return base, fold(version)


def norm_artist(artist: str) -> str:
    a = fold(_FEAT.sub("", _BRACKETS.sub(" ", str(artist or ""))))
    return a[4:] if a.startswith("the ") else a


def _penalty(text: str) -> float:
    return max((p for rx, p in _MARKERS if rx.search(text)), default=0.0)


@dataclass(frozen=True)
class Candidate:
    uri: str
    name: str
    artists: tuple[str, ...]
    album: str = ""
    playable: bool = True

    @classmethod
    def from_track(cls, track: dict[str, Any]) -> "Candidate | None":
        if not isinstance(track, dict) or track.get("type", "track") != "track":
            return None
        uri = track.get("uri")
        if not isinstance(uri, str) or not uri.startswith("spotify:track:") or track.get("is_local"):
            return None
        artists = tuple(a.get("name", "") for a in track.get("artists") or () if isinstance(a, dict))
        album = (track.get("album") or {}).get("name", "") if isinstance(track.get("album"), dict) else ""
        return cls(uri, str(track.get("name", "")), artists, str(album or ""),
                   track.get("is_playable") is not False)


@dataclass(frozen=True)
class Scored:
    candidate: Candidate
    title: float
    artist: float
    penalty: float

    @property
    def score(self) -> float:
        return TITLE_WEIGHT * self.title + (1 - TITLE_WEIGHT) * self.artist - self.penalty

    @property
    def acceptable(self) -> bool:
        return (self.candidate.playable and self.title >= MIN_TITLE and self.artist >= MIN_ARTIST
                and self.score >= MIN_SCORE)


def score(title: str, artist: str, cand: Candidate) -> Scored:
    want_base, want_version = split_title(title)
    got_base, got_version = split_title(cand.name)
    t = max(fuzz.ratio(want_base, got_base), fuzz.token_sort_ratio(want_base, got_base)) / 100

    want_artist = norm_artist(artist)
    names = [norm_artist(a) for a in cand.artists if a]
    joined = fold(" ".join(cand.artists))
    sims = [fuzz.token_sort_ratio(want_artist, n) for n in names]
    if len(names) > 1:   # "Simon & Garfunkel" vs ["Paul Simon", "Art Garfunkel"]; not for one artist,
        sims.append(fuzz.token_set_ratio(fold(artist), joined))  # where "Queen" ⊂ "Queen Latifah"
    a = max(sims, default=0) / 100

    # Penalise only what the person's own title does not ask for ("Song (Live)" wants live).
    version_text = got_version.replace("original mix", "")   # the original, in dance-music speak
    album = fold(cand.album)
    if _ALBUM_LIVE.search(album):
        version_text += " live"
    if _PERFORMER_WORDS.search(album) or any(_PERFORMER_WORDS.search(n) for n in names):
        version_text += " karaoke"
    penalty = _penalty(version_text)
    if penalty and _penalty(want_version) >= penalty:
        penalty = 0.0
    return Scored(cand, t, a, penalty)


def best_match(title: str, artist: str, tracks: Iterable[dict[str, Any]]) -> Scored | None:
    """The best acceptable candidate; ties keep Spotify's order (its relevance ranking)."""
    best: Scored | None = None
    for track in tracks:
        cand = Candidate.from_track(track)
        if cand is None:
            continue
        s = score(title, artist, cand)
        if s.acceptable and (best is None or s.score > best.score + 1e-9):
            best = s
    return best


def search_queries(title: str, artist: str) -> list[str]:
    """Field-filtered first (precise), then plain words (Spotify's fuzzy matching catches
    spelling variants the filters miss). Quotes and colons would break the filter syntax."""
    base = _DASH_SUFFIX.sub("", _BRACKETS.sub(" ", str(title or ""))).strip() or str(title or "")
    primary = _FEAT.sub("", str(artist or "")).strip() or str(artist or "")
    clean = lambda s: " ".join(s.replace('"', " ").replace(":", " ").split())  # noqa: E731
    base, primary = clean(base), clean(primary)
    queries = [f"track:{base} artist:{primary}", f"{base} {primary}"]
    return [q for i, q in enumerate(queries) if q.strip() and q not in queries[:i]]
