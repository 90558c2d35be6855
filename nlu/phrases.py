"""The phrase table: every lexicon phrase (moods, themes, scenes, genres, cues, refinement phrases)
under its folded key, built once. The parser looks up n-grams of a request in it, longest first."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from nlu import words as W
from nlu.genres import GENRE_PAIRS, GENRES, LYRIC_LANGUAGES
from nlu.lexicon import COMPARATIVES, ENERGY_WORDS, MOODS
from nlu.text import phrase_key
from nlu.themes import SCENES, THEMES

MAX_PHRASE_WORDS = 6


@dataclass(frozen=True)
class Entry:
    kind: str            # mood, theme, scene, genre, energy, compare, neg, reset, more, ...
    value: object        # the mood/theme/genre name, a number, a (dv, de) pair, ...
    lang: str = ""       # only for requests in this language ("" = any)


# foreign words that are ordinary English words get applied only to requests in their language
_GATED_FOREIGN = frozenset(
    "cool|pose|rage|fun|date|sport|training|power|sexy|chill|relax|sin|solo|mais|plus|pas|de|"
    "do|da|con|ni|menos|sol|mar|fe|ex|role|bravo|brutal|hart|rico|intense|dub|festival|club|"
    "disco|party|free|sentimental|tango|secret|fete|paz|mer|pour|sans|par|von|mit|ohne|"
    "nada|como|tipo|genre|estilo|wie|comme|facon|casa|lar|foi|ado|route|noel|stark|laut|"
    "frei|grand|motivation|passion|desir|sexe|sexo|luto|funeral|perdida|mort|perte|perda|morte|uma|um|"
    "muy|mas|e|o|y|la|el|los|las|le|les|des|du|une|un|und|oder|der|die|das|den|et|ou|os|as".split("|"))


def _add(table: dict[str, list[Entry]], phrase: str, entry: Entry) -> None:
    key = phrase_key(phrase)
    if not key:
        return
    entries = table.setdefault(key, [])
    if entry not in entries:
        entries.append(entry)


def _foreign(table: dict[str, list[Entry]], lang: str, phrase: str, kind: str, value: object) -> None:
    gated = phrase_key(phrase) in _GATED_FOREIGN
    _add(table, phrase, Entry(kind, value, lang if gated else ""))


@lru_cache(maxsize=1)
def phrase_table() -> dict[str, list[Entry]]:
    t: dict[str, list[Entry]] = {}
    for mood in MOODS.values():
        for w in mood.words:
            _add(t, w, Entry("mood", mood.name))
        for lang, ws in mood.foreign.items():
            for w in ws:
                _foreign(t, lang, w, "mood", mood.name)
    for theme, ws in THEMES.items():
        for w in ws:
            _add(t, w, Entry("theme", theme))
    for scene in SCENES.values():
        for w in scene.words:
            _add(t, w, Entry("scene", scene.name))
    for genre, aliases in GENRES.items():
        for a in aliases:
            _add(t, a, Entry("genre", genre))
    for phrase, pair in GENRE_PAIRS.items():
        t[phrase_key(phrase)] = [Entry("genre", g) for g in pair]
    for lang, ws in LYRIC_LANGUAGES.items():
        for w in ws:
            _add(t, w, Entry("lyric_lang", lang))
    for w, e in ENERGY_WORDS.items():
        _add(t, w, Entry("energy", e))
    for w, d in COMPARATIVES.items():
        t[phrase_key(w)] = [Entry("compare", d, _lang_of_compare(w))]
    for kind, phrases in (("reset", W.RESET_PHRASES), ("diff_artists", W.DIFFERENT_ARTIST_PHRASES),
                          ("show_seen", W.SHOW_SEEN_PHRASES), ("older", W.OLDER_PHRASES),
                          ("newer", W.NEWER_PHRASES)):
        for p in phrases:
            t[phrase_key(p)] = [Entry(kind, True)]
    for p in W.MORE_PHRASES:
        lang = {"mais": "pt", "plus": "fr", "mas": "es", "mehr": "de", "encore": "fr"}.get(p, "")
        _add(t, p, Entry("more", True, lang))
    for p in W.NEGATION_CUES:
        lang = {"sin": "es", "ni": "es", "pas": "fr", "sem": "pt", "nao": "pt", "menos": "pt",
                "nada": "", "nicht": "de"}.get(p, "")
        _add(t, p, Entry("neg", True, lang))
    for p in W.LIKE_CUES:
        lang = {"como": "", "tipo": "pt", "genre": "fr", "wie": "de", "comme": "fr", "facon": "fr",
                "estilo": "pt"}.get(p, "")
        _add(t, p, Entry("like", True, lang))
    for p in W.BY_CUES:
        lang = {"de": "es", "von": "de", "par": "fr", "do": "pt", "da": "pt"}.get(p, "")
        _add(t, p, Entry("by", True, lang))
        if p == "de":
            for other in ("fr", "pt"):
                _add(t, p, Entry("by", True, other))
    for p in W.NOT_CUES:
        t.setdefault(phrase_key(p), []).append(Entry("filler", True))
    for p in W.FAN_CUES:
        _add(t, p, Entry("fan", True))
    for p, n in W.NUMBER_WORDS.items():
        _add(t, p, Entry("number", n))
    return t


def _lang_of_compare(phrase: str) -> str:
    first = phrase.split()[0]
    return {"mas": "es", "menos": "es", "con": "es", "mais": "pt", "plus": "fr", "moins": "fr",
            "mehr": "de", "weniger": "de"}.get(first, "")


# "more" / "less" before a mood word: the mood's direction (or its opposite)
MORE_WORDS = frozenset({"more", "mas", "mehr", "plus", "mais", "bit more", "little more", "even more",
                        "way more", "much more", "a bit more", "a little more", "somewhat more"})
LESS_WORDS = frozenset({"less", "menos", "weniger", "moins", "not as", "a bit less", "a little less",
                        "bit less", "little less", "way less", "much less"})
# softeners before a mood ("a bit sad", "slightly nostalgic") halve its weight
SOFTENERS = frozenset({"a bit", "a little", "slightly", "kinda", "kind of", "somewhat", "sort of",
                       "a tad", "mildly", "a little bit", "un poco", "un peu", "ein bisschen",
                       "ein wenig", "um pouco", "meio", "leicht"})
# intensifiers after "not" that make it a "not too X" (soften) rather than plain negation
NOT_TOO = frozenset({"too", "so", "overly", "very", "that", "super", "tan", "muy", "zu", "so sehr",
                     "trop", "si", "tao", "muito"})

__all__ = ["Entry", "phrase_table", "MAX_PHRASE_WORDS", "MORE_WORDS", "LESS_WORDS", "SOFTENERS",
           "NOT_TOO"]
