"""The working state the parser's steps share: the text, its tokens, and what each step found."""
from __future__ import annotations

from dataclasses import dataclass, field

from nlu.phrases import Entry, phrase_table, MAX_PHRASE_WORDS
from nlu.request import ArtistMention
from nlu.text import Token


_ENDINGS = {
    "de": (("es", ""), ("en", ""), ("er", ""), ("em", ""), ("e", ""), ("s", ""), ("es", "e"), ("en", "e")),
    "es": (("es", ""), ("s", ""), ("as", "os"), ("a", "o"), ("as", "o")),
    "pt": (("s", ""), ("es", ""), ("as", "os"), ("a", "o"), ("as", "o"), ("ais", "al")),
    "fr": (("s", ""), ("es", ""), ("e", ""), ("es", "e"), ("aux", "al")),
}


@dataclass
class Item:
    """Something the request asks for (or, when negated, against)."""

    kind: str                   # mood, theme, scene, genre, energy, year, artist, lyric_lang, ...
    value: object
    start: int                  # token range [start, end)
    end: int
    weight: float = 1.0
    negated: bool = False
    mention: ArtistMention | None = None
    like: bool = False          # an artist/title named as a reference ("like Adele")


@dataclass
class ParseState:
    text: str                   # cleaned original
    folded: str
    tokens: list[Token]
    lang: str = "en"
    items: list[Item] = field(default_factory=list)
    like_songs: list[str] = field(default_factory=list)
    like_picks: list[int] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    ops: list[str] = field(default_factory=list)
    valence_shift: int = 0
    energy_shift: int = 0
    year_shift: int = 0
    count: int | None = None
    fuzzy_budget: int = 48      # fuzzy look-ups per message: bounds the cost of hostile input

    # ---- token helpers ---------------------------------------------------------------------
    def key(self, i: int, n: int = 1) -> str:
        return " ".join(t.key for t in self.tokens[i:i + n])

    def free(self, i: int, n: int = 1) -> bool:
        """Tokens i..i+n exist and no step has claimed them."""
        return i + n <= len(self.tokens) and all(not t.role for t in self.tokens[i:i + n])

    def claim(self, i: int, n: int, role: str) -> None:
        for t in self.tokens[i:i + n]:
            t.role = role

    def original(self, i: int, j: int) -> str:
        """The cleaned original text of tokens [i, j)."""
        return self.text[self.tokens[i].start:self.tokens[j - 1].end] if j > i else ""

    def entries(self, key: str) -> list[Entry]:
        """Phrase-table entries for `key` that apply to this request's language."""
        return [e for e in phrase_table().get(key, ()) if not e.lang or e.lang == self.lang]

    def inflected_entries(self, key: str) -> list[Entry]:
        """Content words under an inflection the lexicon does not list ("melancholisches",
        "joyeuses", "romanticas"): strip a few endings of the request's language."""
        for ending, repl in _ENDINGS.get(self.lang, ()):
            if key.endswith(ending) and len(key) - len(ending) >= 4:
                found = [e for e in self.entries(key[: len(key) - len(ending)] + repl)
                         if e.kind in ("mood", "theme", "scene", "genre")]
                if found:
                    return found
        return []

    def longest_phrase(self, i: int, kinds: frozenset[str] | None = None) -> tuple[int, list[Entry]]:
        """The longest free phrase starting at token i (with entries of `kinds` when given)."""
        for n in range(min(MAX_PHRASE_WORDS, len(self.tokens) - i), 0, -1):
            if not self.free(i, n):
                continue
            found = self.entries(self.key(i, n))
            if not found and n == 1 and self.lang != "en":
                found = self.inflected_entries(self.tokens[i].key)
            if kinds is not None:
                found = [e for e in found if e.kind in kinds]
            if found:
                return n, found
        return 0, []

    def phrase_before(self, i: int, phrases: frozenset[str], max_words: int = 3) -> int:
        """Length of a phrase from `phrases` that ends right before token i (0 when none)."""
        for n in range(min(max_words, i), 0, -1):
            if self.key(i - n, n) in phrases:
                return n
        return 0

    def add(self, item: Item, role: str | None = None) -> Item:
        self.items.append(item)
        self.claim(item.start, item.end - item.start, role or item.kind)
        return item


__all__ = ["Item", "ParseState"]
