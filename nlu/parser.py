"""The deterministic request parser: a pipeline of small steps over one tokenised text.

    clean -> fold/tokenise -> language -> years -> picks -> names after cues -> comparatives ->
    lexicon phrases and bare catalog names -> counts -> misspelt / unknown names -> negation ->
    assemble the Request (nlu.assemble)

Each step claims the tokens it understood; what nobody claims (minus filler) is the semantic
query. No step can fail on odd input: the text is capped and cleaned first, and everything that
reaches the Request comes from closed vocabularies or the catalog, except the query text and the
unknown mentions, which are only ever searched for or said back.
"""
from __future__ import annotations

import re

from nlu import words as W
from nlu.artists import CatalogIndex, index_for
from nlu.assemble import assemble
from nlu.lexicon import COMPARATIVES, mood_direction
from nlu.names import (add_artist, capitalised, common, exact_artist, mark_cued_names, mark_free_names,
                        mark_title_by_artist)
from nlu.phrases import LESS_WORDS, MORE_WORDS, SOFTENERS
from nlu.request import CatalogVocab, Request
from nlu.state import Item, ParseState
from nlu.text import clean, fold, tokenize
from nlu.years import find_years

MAX_TOKENS = 400
_EN_HINTS = frozenset("the and songs song something for some me i want with no not my music like "
                      "play give please about that a of to in is it from any more but".split())
_WORD = re.compile(r"[^\W\d_]+")


def parse_request(text: str, *, vocab: CatalogVocab | None = None, previous: Request | None = None) -> Request:
    """Parse one message into a Request. `vocab` enables artist/title matching; `previous` is the
    request of the turn before (for refinements such as "more upbeat" or "only 90s")."""
    return parse_detailed(text, vocab=vocab, previous=previous)[0]


def parse_detailed(text: str, *, vocab: CatalogVocab | None = None,
                   previous: Request | None = None) -> tuple[Request, ParseState]:
    """The Request plus the parser's working state (token roles, items with their spans): for
    benchmarks and debugging."""
    cleaned = clean(text)
    folded = fold(cleaned)
    state = ParseState(cleaned, folded, tokenize(folded)[:MAX_TOKENS])
    index = index_for(vocab) if vocab is not None else None
    state.lang = guess_language(cleaned)
    mark_years(state)
    mark_picks(state)
    if index is not None:
        mark_title_by_artist(state, index)
        mark_cued_names(state, index)
    mark_comparatives(state)
    mark_phrases(state, index)
    mark_counts(state)
    mark_free_names(state, index)
    resolve_negation(state)
    return assemble(state, previous), state


def guess_language(text: str) -> str:
    words = _WORD.findall(text.lower())
    if not words:
        return "en"
    scores = {lang: sum(w in hints for w in words) for lang, hints in W.LANGUAGE_HINTS.items()}
    en = sum(w in _EN_HINTS for w in words)
    lang, best = max(scores.items(), key=lambda kv: kv[1])
    return lang if best >= 1 and best > en else "en"


def mark_years(state: ParseState) -> None:
    for span in find_years(state.folded):
        toks = [i for i, t in enumerate(state.tokens) if t.start < span.end and span.start < t.end]
        if toks and all(not state.tokens[i].role for i in toks):
            state.add(Item("year", span, toks[0], toks[-1] + 1))


_ORDINAL_RE = "|".join(sorted(W.ORDINALS, key=len, reverse=True))
_PICK = re.compile(
    r"(?:(?:more|something|anything|songs?|stuff|ones?)\s+)?(?:like|similar to|as|of|more of|mas como|"
    r"mehr wie|plus comme|mais como|como|wie|comme)\s+(?:the\s+|la\s+|el\s+|le\s+|die\s+|der\s+|das\s+|o\s+|a\s+)?"
    r"(?:(?P<hash>#\s*|number\s+|no\.?\s*|nr\.?\s*|numero\s+|nummer\s+)(?P<n>\d{1,2})|(?P<bare>\d{1,2})|(?P<ord>"
    + _ORDINAL_RE + r"))(?:\s+(?:one|song|pick|track|uno|una|lied|titre))?(?![\w#])")
_HASH = re.compile(r"(?<![\w#])#\s*(?P<n>\d{1,2})(?!\w)")


def mark_picks(state: ParseState) -> None:
    """'more like #2', 'like the first one', 'something like 3' (bare digits only at the end)."""
    for m in _PICK.finditer(state.folded):
        if m.group("bare") and state.folded[m.end():].strip(" .!?") not in ("",) \
                and not re.match(r"\s*(?:but|and|pero|aber|mais|,)", state.folded[m.end():]):
            continue
        n = int(m.group("n") or m.group("bare") or W.ORDINALS[m.group("ord")])
        _claim_pick(state, m.start(), m.end(), n)
    for m in _HASH.finditer(state.folded):
        _claim_pick(state, m.start(), m.end(), int(m.group("n")))


def _claim_pick(state: ParseState, start: int, end: int, n: int) -> None:
    toks = [i for i, t in enumerate(state.tokens) if t.start < end and start < t.end]
    if toks and all(not state.tokens[i].role for i in toks) and 1 <= n <= 50:
        state.claim(toks[0], toks[-1] - toks[0] + 1, "pick")
        if n not in state.like_picks:
            state.like_picks.append(n)


def mark_comparatives(state: ParseState) -> None:
    """'more romantic', 'less sad', 'a bit more energetic': shifts along the mood's axis."""
    for i in range(len(state.tokens)):
        for words, sign in ((MORE_WORDS, 1), (LESS_WORDS, -1)):
            m = next((n for n in (3, 2, 1) if state.free(i, n) and state.key(i, n) in words), 0)
            if not m:
                continue
            n, entries = state.longest_phrase(i + m, frozenset({"mood", "energy"}))
            if not n:
                continue
            e = entries[0]
            fixed = COMPARATIVES.get(state.key(i, m + n))   # a listed phrase says it exactly
            if fixed is not None:
                dv, de = fixed
            else:
                dv, de = mood_direction(e.value) if e.kind == "mood" else (0, 1 if e.value > 0 else -1)
                dv, de = sign * dv, sign * de
            state.valence_shift += dv
            state.energy_shift += de
            state.claim(i, m + n, "compare")


_CONTENT = ("mood", "theme", "scene", "genre", "energy", "lyric_lang")
_OPS = {"reset": "reset", "more": "more", "diff_artists": "different_artists", "show_seen": "show_seen"}


def mark_phrases(state: ParseState, index: CatalogIndex | None) -> None:
    """Longest match over the lexicon, with bare catalog artist names competing for the span."""
    i = 0
    toks = state.tokens
    while i < len(toks):
        if not state.free(i):
            i += 1
            continue
        n, entries = state.longest_phrase(i)
        an, names = _bare_artist(state, index, i) if index is not None else (0, [])
        if an and (an > n or (an == n and capitalised(state, i, i + an))):
            add_artist(state, i, i + an, names, 1.0, like=False, index=index)
            i += an
            continue
        if not n:
            i += 1
            continue
        _apply_entries(state, i, n, entries)
        i += n


def _bare_artist(state: ParseState, index: CatalogIndex, i: int) -> tuple[int, list[str]]:
    an, names = exact_artist(state, index, i)
    if not an:
        return 0, []
    keys = [t.key for t in state.tokens[i:i + an]]
    if all(common(k) for k in keys) or (an == 1 and len(keys[0]) < 3):
        before = state.tokens[i - 1].role if i > 0 else ""
        after = state.tokens[i + an].key if i + an < len(state.tokens) else ""
        supported = (capitalised(state, i, i + an) or before in ("neg", "cue_by", "cue_like", "cue_fan")
                     or after in ("songs", "song", "music", "stuff", "tracks"))
        if not supported:
            return 0, []
    return an, names


def _apply_entries(state: ParseState, i: int, n: int, entries) -> None:
    kinds = {e.kind for e in entries}
    content = [e for e in entries if e.kind in _CONTENT]
    if content:
        weight = 0.5 if state.phrase_before(i, SOFTENERS) else 1.0
        for e in content:
            state.items.append(Item(e.kind, e.value, i, i + n, weight=weight))
        state.claim(i, n, content[0].kind)
        return
    e = entries[0]
    if e.kind == "compare":
        state.valence_shift += e.value[0]
        state.energy_shift += e.value[1]
    elif e.kind in _OPS:
        if _OPS[e.kind] not in state.ops:
            state.ops.append(_OPS[e.kind])
    elif e.kind in ("older", "newer"):
        state.year_shift = -1 if e.kind == "older" else 1
    elif e.kind == "number":
        state.items.append(Item("number", e.value, i, i + n))
    elif kinds == {"filler"}:
        state.claim(i, n, "filler")
        return
    elif "neg" in kinds:
        state.claim(i, n, "neg")
        return
    elif kinds & {"like", "by", "fan"}:
        state.claim(i, n, "cue_" + sorted(kinds & {"like", "by", "fan"})[0])
        return
    state.claim(i, n, e.kind)


_COUNT_LEADS = frozenset({"top", "another", "best", "play", "give", "just", "only", "me", "dame",
                          "gib", "otras", "weitere", "outras", "autres"})


def mark_counts(state: ParseState) -> None:
    """'5 songs', 'a couple of sad songs', 'top 10', 'another 5', '3 more'."""
    toks = state.tokens
    numbers = [it for it in state.items if it.kind == "number"]
    for i, t in enumerate(toks):
        if not t.role and t.key.isdigit() and len(t.key) <= 4:
            numbers.append(Item("number", int(t.key), i, i + 1))
    for it in sorted(numbers, key=lambda x: x.start):
        lead = toks[it.start - 1].key if it.start > 0 else ""
        ahead = [x.key for x in toks[it.end:it.end + 4]]
        noun_at = next((k for k, key in enumerate(ahead) if key in W.COUNT_NOUNS), None)
        supported = lead in _COUNT_LEADS or (noun_at is not None and all(
            toks[it.end + k].is_word for k in range(noun_at)))
        if it in state.items:
            state.items.remove(it)
        if not supported or state.count is not None:
            state.claim(it.start, it.end - it.start, "")
            continue
        state.count = max(1, min(int(it.value), 50))
        state.claim(it.start, it.end - it.start, "count")
        if lead == "another" or (ahead[:1] == ["more"]):
            if "more" not in state.ops:
                state.ops.append("more")


# filler a scope may cross before its first item ("not in the mood for sad songs"), but not the
# start of a new request ("no I want something sad")
_SCOPE_FILLER = W.FILLER - {"i", "want", "need", "give", "me", "play", "please", "pls", "just",
                            "could", "can", "you", "u", "im", "id"}


def resolve_negation(state: ParseState) -> None:
    """A negation cue scopes over the list of items that follows it ('no rap or country',
    'nothing from the 2000s', 'not too sad'); any other word ends the scope."""
    starts: dict[int, list[Item]] = {}
    for it in state.items:
        starts.setdefault(it.start, []).append(it)
    toks = state.tokens
    i = 0
    while i < len(toks):
        if toks[i].role != "neg":
            i += 1
            continue
        j = i
        while j < len(toks) and toks[j].role == "neg":
            j += 1
        last_kind, after_comma, negated_any, loose = None, False, False, 0
        while j < len(toks) and j - i < 16:
            t = toks[j]
            if j in starts:
                its = starts[j]
                if after_comma and its[0].kind != last_kind:
                    break
                for it in its:
                    it.negated = True
                last_kind, after_comma, negated_any = its[0].kind, False, True
                j = max(it.end for it in its)
                continue
            if t.key == ",":
                if not negated_any:
                    break
                after_comma = True
            elif t.role == "neg" or t.key == "but":
                break
            elif t.key in W.GLUE or t.role in ("cue_by", "count") or (
                    not negated_any and t.key in _SCOPE_FILLER):
                if negated_any and t.key in ("something", "anything"):
                    break
            elif not negated_any and not t.role and t.is_word and loose < 2 and not common(t.key):
                t.role, loose = "negated_word", loose + 1   # "no screaming": not a search word
            else:
                break
            j += 1
        i = j


__all__ = ["parse_request", "parse_detailed", "guess_language"]
