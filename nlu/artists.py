"""Matching what people type against the catalog's artists and titles.

An index is built once per vocab (cached by identity) and holds normalised names, a phonetic key
per name and first-letter blocks, so a fuzzy look-up scores a few hundred names, not all of them.
Scores combine Jaro-Winkler on the spelling with an indel ratio on a rough phonetic key, so
"ed sharon" finds Ed Sheeran and "addele" Adele, while "kid a" does not become Kid Cudi.
"""
from __future__ import annotations

import re
import threading
from collections import OrderedDict, defaultdict
from dataclasses import dataclass, field
from typing import Sequence

from rapidfuzz import fuzz, process
from rapidfuzz.distance import JaroWinkler

from nlu.text import fold, tokenize

_FEAT = re.compile(r"\s+(?:feat\.?|featuring|ft\.?|with|x|vs\.?)\s+.*$", re.I)
_BRACKETS = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_VOWELS = re.compile(r"(?<=.)[aeiouy]+")
_REPEATS = re.compile(r"(.)\1+")
_PHONETIC_RULES = [("ph", "f"), ("ck", "k"), ("sch", "sh"), ("gh", "g"), ("kn", "n"), ("q", "k"),
                   ("z", "s"), ("x", "ks"), ("w", "v"), ("ce", "se"), ("ci", "si"), ("cy", "sy"),
                   ("c", "k"), ("dg", "j"), ("th", "t")]


def normalize_name(name: str) -> str:
    """'The Beatles' -> 'beatles', 'Ke$ha' -> 'kesha', 'Hall & Oates' -> 'hall and oates'."""
    s = _BRACKETS.sub(" ", str(name)).replace("$", "s").replace("!", "i")
    words = [t.key for t in tokenize(fold(s)) if t.is_word]
    if len(words) > 1 and words[0] in ("the", "los", "die", "les", "os"):
        words = words[1:]
    return " ".join(words)


def phonetic(norm: str) -> str:
    out = []
    for word in norm.split():
        w = word
        for a, b in _PHONETIC_RULES:
            w = w.replace(a, b)
        w = _VOWELS.sub("", w)
        w = w.replace("h", "") if len(w) > 1 and not w.startswith("h") else w
        out.append(_REPEATS.sub(r"\1", w))
    return " ".join(out)


def similarity(query: str, name: str, query_key: str | None = None, name_key: str | None = None) -> float:
    """0..1, how likely `query` is a (mis)spelling of `name` (both normalised)."""
    if query == name:
        return 1.0
    if not 0.7 <= len(query) / max(1, len(name)) <= 1.45:
        return 0.0
    jw = JaroWinkler.similarity(query, name)
    spelled = fuzz.ratio(query, name) / 100.0
    qk, nk = query_key or phonetic(query), name_key or phonetic(name)
    # a short phonetic key ("rd") collides too easily to count in full
    sounds = fuzz.ratio(qk, nk) / 100.0 * (1.0 if min(len(qk), len(nk)) >= 4 else 0.9)
    score = 0.5 * jw + 0.5 * max(spelled, sounds)
    if query.count(" ") != name.count(" "):
        score -= 0.04 * abs(query.count(" ") - name.count(" "))
    return score


@dataclass
class Match:
    name: str          # canonical name (artist) or title
    norm: str          # the normalised form that matched
    score: float


@dataclass
class CatalogIndex:
    """Normalised artists and titles of one vocab."""

    artists: dict[str, list[str]] = field(default_factory=dict)          # norm -> canonical names
    artist_keys: dict[str, str] = field(default_factory=dict)            # norm -> phonetic
    blocks: dict[str, list[str]] = field(default_factory=dict)           # first letter -> norms
    titles: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # norm title -> (id, artist)
    songs_by_artist: dict[str, list[str]] = field(default_factory=dict)  # canonical -> ids
    first_words: frozenset[str] = frozenset()                             # first word of each norm
    max_artist_words: int = 1
    max_title_words: int = 1

    @classmethod
    def build(cls, artists: Sequence[str], titles: Sequence[tuple[str, str, str]]) -> "CatalogIndex":
        idx = cls()
        by_norm: dict[str, list[str]] = defaultdict(list)
        for name in artists:
            if not name or not str(name).strip():
                continue
            norm = normalize_name(name)
            if norm and name not in by_norm[norm]:
                by_norm[norm].append(name)
            primary = normalize_name(_FEAT.sub("", str(name)))
            if primary and primary != norm and name not in by_norm[primary]:
                by_norm[primary].append(name)
        # an exact catalog name beats a "feat." alias for the same words
        for norm, names in by_norm.items():
            exact = [n for n in names if normalize_name(n) == norm]
            idx.artists[norm] = exact or names
        idx.artist_keys = {norm: phonetic(norm) for norm in idx.artists}
        blocks: dict[str, list[str]] = defaultdict(list)
        for norm in idx.artists:
            blocks[norm[0]].append(norm)
        idx.blocks = dict(blocks)
        idx.first_words = frozenset(n.split(" ", 1)[0] for n in idx.artists) | frozenset(
            n.split(" ", 1)[0][:-1] for n in idx.artists if n.endswith("s"))
        idx.max_artist_words = max((n.count(" ") + 1 for n in idx.artists), default=1)
        by_title: dict[str, list[tuple[str, str]]] = defaultdict(list)
        songs: dict[str, list[str]] = defaultdict(list)
        for song_id, title, artist in titles:
            norm = normalize_name(title)
            if norm:
                by_title[norm].append((str(song_id), str(artist)))
            songs[str(artist)].append(str(song_id))
        idx.titles = dict(by_title)
        idx.songs_by_artist = dict(songs)
        idx.max_title_words = min(8, max((t.count(" ") + 1 for t in idx.titles), default=1))
        return idx

    def exact_artist(self, norm: str) -> list[str]:
        return self.artists.get(norm) or (self.artists.get(norm[:-1], []) if norm.endswith("s") else [])

    def fuzzy_artist(self, norm: str, *, threshold: float) -> Match | None:
        """Best artist for a normalised mention, or None below `threshold`."""
        if len(norm) < 4:
            return None
        block = self.blocks.get(norm[0])
        if not block:
            return None
        key = phonetic(norm)
        best: Match | None = None
        # Jaro-Winkler prefilter keeps the exact scoring to a handful of names
        for cand, _, _ in process.extract(norm, block, scorer=JaroWinkler.similarity, limit=6,
                                          score_cutoff=0.72):
            score = similarity(norm, cand, key, self.artist_keys[cand])
            if norm.endswith("s") and not cand.endswith("s"):
                score = max(score, similarity(norm[:-1], cand) - 0.01)
            if best is None or score > best.score:
                best = Match(self.artists[cand][0], cand, score)
        return best if best is not None and best.score >= threshold else None

    def find_title(self, norm: str, artist: str | None = None, *, fuzzy: bool) -> list[tuple[str, str]]:
        """(song_id, artist) pairs for a title, restricted to `artist` when given."""
        hits = self.titles.get(norm, [])
        if not hits and fuzzy and len(norm) >= 6:
            found = process.extractOne(norm, self.titles.keys(), scorer=fuzz.ratio, score_cutoff=90)
            if found:
                hits = self.titles[found[0]]
        if artist is not None:
            hits = [h for h in hits if h[1] == artist]
        return hits


_CACHE: OrderedDict[int, tuple[object, CatalogIndex]] = OrderedDict()
_LOCK = threading.Lock()


def index_for(vocab) -> CatalogIndex:
    """The index of `vocab`, built on first use. Keyed by identity; the vocab is held so its id
    cannot be reused by another object while cached."""
    key = id(vocab)
    with _LOCK:
        hit = _CACHE.get(key)
        if hit is not None and hit[0] is vocab:
            _CACHE.move_to_end(key)
            return hit[1]
    idx = CatalogIndex.build(list(getattr(vocab, "artists", []) or []),
                             list(getattr(vocab, "titles", []) or []))
    with _LOCK:
        _CACHE[key] = (vocab, idx)
        while len(_CACHE) > 4:
            _CACHE.popitem(last=False)
    return idx


__all__ = ["CatalogIndex", "Match", "index_for", "normalize_name", "phonetic", "similarity"]
