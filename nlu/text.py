"""Cleaning, folding and tokenising request text.

`fold` maps every character to exactly one character (lower case, accents dropped, curly quotes
straightened, hyphens between letters become spaces), so offsets in the folded text are offsets
in the cleaned original: the parser matches on the folded text and cuts the query out of the
original.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

MAX_CHARS = 2000

# C0/C1 controls, zero-width and bidi overrides: never meaningful in a request, sometimes hostile
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
_SPACES = re.compile(r"\s+")
_LETTER_HYPHEN = re.compile(r"(?<=[^\W\d_])[-_/](?=[^\W\d_])")
_TOKEN = re.compile(r"[^\W_]+(?:'[^\W_]+)*|[^\w\s]")
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'", "\u00b4": "'",
                         "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"})


def clean(text: object) -> str:
    """Trimmed, capped at MAX_CHARS, control characters gone, whitespace collapsed."""
    s = "" if text is None else str(text)
    s = _CONTROL.sub(" ", s[: MAX_CHARS * 4])
    return _SPACES.sub(" ", s).strip()[:MAX_CHARS].rstrip()


@lru_cache(maxsize=4096)
def _fold_char(c: str) -> str:
    low = c.lower()
    if len(low) != 1:
        low = c
    base = unicodedata.normalize("NFKD", low)[:1] or low
    return base if base.isascii() else low


def fold(text: str) -> str:
    """One character out per character in: lower case, no accents, straight quotes."""
    s = text.translate(_QUOTES)
    s = s.lower() if s.isascii() else "".join(_fold_char(c) for c in s)
    return _LETTER_HYPHEN.sub(" ", s)


@dataclass
class Token:
    key: str          # folded, apostrophes dropped, "&" -> "and"
    start: int        # offsets in the cleaned text
    end: int
    role: str = ""    # set by the parser's steps: mood, genre, artist, filler, neg, ...

    @property
    def is_word(self) -> bool:
        return self.key[:1].isalnum()


def tokenize(folded: str) -> list[Token]:
    out = []
    for m in _TOKEN.finditer(folded):
        key = m.group().replace("'", "")
        if key == "&" or key == "+":
            key = "and"
        if key:
            out.append(Token(key, m.start(), m.end()))
    return out


def phrase_key(phrase: str) -> str:
    """The key a lexicon phrase is stored under: the same folding and tokenising as requests."""
    return " ".join(t.key for t in tokenize(fold(phrase)))


__all__ = ["MAX_CHARS", "clean", "fold", "tokenize", "phrase_key", "Token"]
