"""Parser steps that find artists and song titles: "<title> by <artist>", names after a cue
("like X", "by X", "i love X"), bare catalog names, and misspelt names (fuzzy). What looks like a
name but is not in the catalog becomes an unknown mention; what does not look like a name is
left alone (it stays in the semantic query)."""
from __future__ import annotations

from nlu import words as W
from nlu.artists import CatalogIndex, Match, normalize_name
from nlu.phrases import phrase_table
from nlu.request import ArtistMention
from nlu.state import Item, ParseState

CUE_KINDS = frozenset({"like", "by", "fan"})
LIST_SEPARATORS = frozenset({",", "and", "or", "y", "und", "et", "e", "ou", "o", "oder", "/", ";", "plus"})
FUZZY_WITH_CUE = 0.86
FUZZY_BARE = 0.90
MAX_NAME_RUN = 8
_QUOTES = frozenset('"\'')


def common(key: str) -> bool:
    """A word that on its own says nothing about a name."""
    return (key in W.COMMON_WORDS or key in W.FILLER or key in W.GLUE or key in phrase_table()
            or key.isdigit())


def looks_like_name(state: ParseState, i: int, j: int) -> bool:
    keys = [t.key for t in state.tokens[i:j]]
    if not keys or len(keys) > 6 or not all(state.tokens[k].is_word for k in range(i, j)):
        return False
    letters = sum(ch.isalpha() for k in keys for ch in k)
    return letters >= 3 and not all(common(k) for k in keys)


def capitalised(state: ParseState, i: int, j: int) -> bool:
    """Written like a proper name in a request that is not all capitals / all lower case."""
    words = [state.text[t.start:t.end] for t in state.tokens[i:j]]
    if not words or state.text.upper() == state.text or state.text.lower() == state.text:
        return False
    return all(w[:1].isupper() or w[:1].isdigit() or w.lower() in ("of", "the", "and", "a", "in")
               for w in words)


def _mention(state: ParseState, i: int, j: int, artist: str | None, score: float) -> ArtistMention:
    return ArtistMention(text=state.original(i, j), artist=artist, confidence=round(score, 3))


def exact_artist(state: ParseState, index: CatalogIndex, i: int) -> tuple[int, list[str]]:
    toks = state.tokens
    first = toks[i + 1].key if toks[i].key in ("the", "los", "die", "les", "os") and i + 1 < len(toks) else toks[i].key
    if first not in index.first_words and first[:-1] not in index.first_words:
        return 0, []
    for n in range(min(index.max_artist_words + 1, len(toks) - i), 0, -1):
        if state.free(i, n) and toks[i].is_word and toks[i + n - 1].is_word:
            words = [t.key for t in toks[i:i + n] if t.is_word]
            if len(words) > 1 and words[0] in ("the", "los", "die", "les", "os"):
                words = words[1:]
            names = index.exact_artist(" ".join(words))
            if names:
                return n, names
    return 0, []


def _exact_title(state: ParseState, index: CatalogIndex, i: int, artist: str | None = None,
                 *, fuzzy: bool = False) -> tuple[int, list[tuple[str, str]]]:
    for n in range(min(index.max_title_words, len(state.tokens) - i), 0, -1):
        if state.free(i, n) and all(t.is_word for t in state.tokens[i:i + n]):
            hits = index.find_title(normalize_name(state.key(i, n)), artist, fuzzy=fuzzy and n >= 2)
            if hits:
                return n, hits
    return 0, []


def add_artist(state: ParseState, i: int, j: int, names: list[str], score: float, *, like: bool,
               index: CatalogIndex) -> None:
    mention = _mention(state, i, j, names[0], score)
    item = state.add(Item("artist", tuple(names), i, j, mention=mention, like=like))
    if like:
        for name in names:
            state.like_songs.extend(index.songs_by_artist.get(name, [])[:5])
    item.weight = score


def add_unknown(state: ParseState, i: int, j: int, *, artist_slot: bool) -> None:
    text = state.original(i, j).strip(" \"'")
    if text and text.lower() not in (u.lower() for u in state.unknown):
        state.unknown.append(text)
    item = Item("unknown", text, i, j)
    if artist_slot:
        item.mention = ArtistMention(text=text, artist=None, confidence=0.0)
    state.add(item)


def mark_title_by_artist(state: ParseState, index: CatalogIndex) -> None:
    """'<title> by <artist>' and 'by <artist>'."""
    for b, tok in enumerate(state.tokens):
        if tok.role or not any(e.kind == "by" for e in state.entries(tok.key)) or b + 1 >= len(state.tokens):
            continue
        n, names = exact_artist(state, index, b + 1)
        score = 1.0
        if not n:
            run_end = _run_end(state, b + 1)
            m = _best_fuzzy(state, index, b + 1, run_end, FUZZY_WITH_CUE, anchored=True)
            if m is not None:
                n, names, score = m[1] - (b + 1), index.artists[m[2].norm], m[2].score
        if not n:
            continue
        state.claim(b, 1, "cue_by")
        # a title right before "by": the longest free run ending at b that is a title of theirs
        title_hit = None
        for start in range(max(0, b - index.max_title_words), b):
            if state.free(start, b - start) and all(t.is_word for t in state.tokens[start:b]):
                hits = index.find_title(normalize_name(state.key(start, b - start)), names[0],
                                        fuzzy=b - start >= 2)
                if hits:
                    title_hit = (start, hits)
                    break
        add_artist(state, b + 1, b + 1 + n, names, score, like=False, index=index)
        if title_hit is None:
            start = _unknown_title_before(state, b)
            if start is not None:
                add_unknown(state, start, b, artist_slot=False)
                state.items[-2].like = True
        if title_hit is not None:
            start, hits = title_hit
            state.like_songs.extend(h[0] for h in hits[:1])
            state.add(Item("title", hits[0][0], start, b, like=True))
            state.items[-2].like = True      # the artist names a reference, not a filter


def _unknown_title_before(state: ParseState, b: int) -> int | None:
    """Start of the words between a like-cue and 'by' ('songs like Good News by Mac Miller')."""
    k = b
    while k > 0 and b - k < MAX_NAME_RUN and state.free(k - 1) and state.tokens[k - 1].is_word:
        k -= 1
        n, entries = state.longest_phrase(k, CUE_KINDS)
        if n and entries[0].kind == "like" and k + n < b and k + n <= b:
            start = k + n
            return start if looks_like_name(state, start, b) or capitalised(state, start, b) else None
    return None


def mark_cued_names(state: ParseState, index: CatalogIndex) -> None:
    """Names right after 'like' / 'similar to' / 'i love' / 'by', and the list that follows."""
    i = 0
    while i < len(state.tokens):
        n, entries = state.longest_phrase(i, CUE_KINDS)
        if not n:
            i += 1
            continue
        kind = entries[0].kind
        j = i + n
        while j < len(state.tokens) and state.tokens[j].key in ("some", "a", "an", "more", '"') and state.free(j):
            j += 1
        matched_any = False
        while j < len(state.tokens):
            end = _match_name_at(state, index, j, like=(kind == "like"), by=(kind == "by"))
            if end is None:
                end = _written_name_at(state, index, j, like=(kind == "like"), by=(kind == "by"))
            if end is None:
                break
            matched_any = True
            j = end
            if j < len(state.tokens) and state.tokens[j].key in LIST_SEPARATORS and state.free(j):
                j += 1
                while j < len(state.tokens) and state.tokens[j].key == "," and state.free(j):
                    j += 1
                continue
            break
        if matched_any:
            state.claim(i, n, "cue_" + kind)
        i = max(j, i + 1) if matched_any else i + n


def _match_name_at(state: ParseState, index: CatalogIndex, j: int, *, like: bool, by: bool) -> int | None:
    an, names = exact_artist(state, index, j)
    tn, hits = (0, []) if by else _exact_title(state, index, j)
    if an and an >= tn:
        if an == 1 and common(state.tokens[j].key) and not capitalised(state, j, j + 1) and not by:
            return None   # "something like rain" is the theme, "something like Rain" the artist
        add_artist(state, j, j + an, names, 1.0, like=like, index=index)
        return j + an
    if tn:
        quoted = j > 0 and state.tokens[j - 1].key in _QUOTES
        if tn == 1 and common(state.tokens[j].key) and not (capitalised(state, j, j + 1) or quoted):
            return None
        state.like_songs.extend(h[0] for h in hits[:1])
        state.add(Item("title", hits[0][0], j, j + tn, like=True))
        return j + tn
    return None


_NAME_INNER = frozenset({"of", "the", "and", "a", "in", "on", "to", "for", "with", "at", "de", "la", "le", "el"})


def _written_name_at(state: ParseState, index: CatalogIndex, j: int, *, like: bool, by: bool) -> int | None:
    """A name the catalog does not hold, written like one right after a cue: a quoted span
    ('like "Black Parade"') or a Title Case block ('like Good News by Mac Miller')."""
    toks = state.tokens
    quoted = j > 0 and toks[j - 1].key in _QUOTES
    k = j
    while k < len(toks) and k - j < MAX_NAME_RUN and state.free(k) and toks[k].is_word:
        word = state.text[toks[k].start:toks[k].end]
        if not quoted and not (word[:1].isupper() or word[:1].isdigit() or (k > j and word in _NAME_INNER)):
            break
        if any(e.kind == "by" for e in state.entries(toks[k].key)) and k > j:
            break
        k += 1
        if state.text[toks[k - 1].start:toks[k - 1].end].endswith(("'s", "’s")):
            break
    while k > j and state.text[toks[k - 1].start:toks[k - 1].end] in _NAME_INNER:
        k -= 1
    if k == j or (quoted and (k >= len(toks) or toks[k].key not in _QUOTES)):
        return None
    if not quoted and (not capitalised(state, j, k) or (k - j == 1 and common(toks[j].key))):
        return None
    m = _best_fuzzy(state, index, j, k, FUZZY_WITH_CUE, anchored=True) if not like or k - j <= 4 else None
    if m is not None and m[1] == k:
        add_artist(state, j, k, index.artists[m[2].norm], m[2].score, like=like, index=index)
        return k
    hits = index.find_title(normalize_name(state.key(j, k - j)), None, fuzzy=True)
    if hits and not by:
        state.like_songs.extend(h[0] for h in hits[:1])
        state.add(Item("title", hits[0][0], j, k, like=True))
        return k
    add_unknown(state, j, k, artist_slot=by)
    return k


def _run_end(state: ParseState, i: int) -> int:
    j = i
    while j < len(state.tokens) and j - i <= MAX_NAME_RUN and state.free(j) and state.tokens[j].is_word \
            and state.tokens[j].key not in W.FILLER and state.tokens[j].key not in LIST_SEPARATORS:
        j += 1
        if state.text[state.tokens[j - 1].start:state.tokens[j - 1].end].endswith(("'s", "’s")):
            break      # "Zimmer's Blade Runner": the possessive ends the first name
    return j


def _best_fuzzy(state: ParseState, index: CatalogIndex, a: int, b: int, threshold: float,
                *, anchored: bool = False) -> tuple[int, int, Match] | None:
    best: tuple[int, int, Match] | None = None
    starts = [a] if anchored else range(a, b)
    for s in starts:
        for e in range(s + 1, min(b, s + 4) + 1):
            if not looks_like_name(state, s, e) or state.fuzzy_budget <= 0:
                continue
            state.fuzzy_budget -= 1
            m = index.fuzzy_artist(normalize_name(state.key(s, e - s)), threshold=threshold)
            if m is not None and (best is None or m.score > best[2].score):
                best = (s, e, m)
    return best


def mark_free_names(state: ParseState, index: CatalogIndex | None) -> None:
    """Misspelt names anywhere, and names after a cue that the catalog does not hold."""
    i = 0
    toks = state.tokens
    while i < len(toks):
        if not state.free(i) or not toks[i].is_word or toks[i].key in W.FILLER or toks[i].key in LIST_SEPARATORS:
            i += 1
            continue
        j = _run_end(state, i)
        cued = i > 0 and (toks[i - 1].role.startswith("cue_")
                          or toks[i - 1].key in ("some", "a", "an", '"') and i > 1 and toks[i - 2].role.startswith("cue_"))
        if not cued and i > 0:
            n, entries = _cue_before(state, i)
            cued = n > 0
            if cued:
                state.claim(i - n, n, "cue_" + entries)
        # after a negation a misspelt catalog name is still likely ("no more drak"), an unknown
        # word is not a name
        fuzzy_cued = cued or (i > 0 and toks[i - 1].role == "neg")
        _resolve_run(state, index, i, j, cued, fuzzy_cued)
        i = max(j, i + 1)


def _cue_before(state: ParseState, i: int) -> tuple[int, str]:
    for n in range(min(3, i), 0, -1):
        if state.free(i - n, n):
            kinds = {e.kind for e in state.entries(state.key(i - n, n))} & CUE_KINDS
            if kinds:
                return n, sorted(kinds)[0]
    return 0, ""


def _resolve_run(state: ParseState, index: CatalogIndex | None, i: int, j: int, cued: bool,
                 fuzzy_cued: bool = False) -> None:
    if j - i > MAX_NAME_RUN or j <= i:
        return
    if index is not None:
        threshold = FUZZY_WITH_CUE if cued or fuzzy_cued else FUZZY_BARE
        best = _best_fuzzy(state, index, i, j, threshold)
        if best is not None:
            s, e, m = best
            like = i > 0 and state.tokens[i - 1].role == "cue_like"
            add_artist(state, s, e, index.artists[m.norm], m.score, like=like, index=index)
            _resolve_run(state, index, i, s, cued)
            _resolve_run(state, index, e, j, False)
            return
    # trim common words at the edges: "radiohead maybe" -> "radiohead"
    while i < j and common(state.tokens[i].key):
        i += 1
    while j > i and common(state.tokens[j - 1].key):
        j -= 1
    if j > i and looks_like_name(state, i, j) and (cued or _written_as_name(state, i, j)):
        by = i > 0 and state.tokens[i - 1].role in ("cue_by", "cue_fan", "neg")
        add_unknown(state, i, j, artist_slot=by)


def _written_as_name(state: ParseState, i: int, j: int) -> bool:
    """Capitalised with no cue: a name only in a short message ("Shakira please") or in a list
    beside another name ("Radiohead and Adele"). German capitalises every noun: never there."""
    if state.lang == "de" or not capitalised(state, i, j):
        return False
    others = [t for k, t in enumerate(state.tokens) if t.is_word and not i <= k < j
              and t.key not in W.FILLER and t.key not in LIST_SEPARATORS and t.role not in ("artist", "unknown")]
    if not others:
        return True
    for k in (i - 2, j + 1):
        if 0 <= k < len(state.tokens) and state.tokens[k].role in ("artist", "unknown") and \
                state.tokens[(i - 1) if k < i else j].key in LIST_SEPARATORS:
            return True
    return False


__all__ = ["mark_title_by_artist", "mark_cued_names", "mark_free_names", "looks_like_name", "common",
           "capitalised", "exact_artist", "add_artist"]
