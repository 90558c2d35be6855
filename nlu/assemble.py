"""The last parser step: turn the items the steps found into a Request (years combined, negation
applied, valence/energy targets weighed, the semantic query cut out, refinement decided)."""
from __future__ import annotations

from nlu import words as W
from nlu.lexicon import MOODS
from nlu.request import Request
from nlu.state import Item, ParseState
from nlu.themes import SCENES

# roles whose words stay in the semantic query (when their item is not negated)
_QUERY_ROLES = frozenset({"", "mood", "theme", "scene", "energy"})
# little words that go with a constraint ("from the 80s", "by Adele") and leave with it
_PREPS = frozenset("from in of the by de del los las la el des du aus den der dem von do da dos das "
                   "em no na nos nas le les a an some any only just for with without and or".split())
_EDGE = W.GLUE | _PREPS | frozenset({"but", "about", "to", "on", "at", "my", "your", "is", "are",
                                     "so", "too", "very", "really", "pero", "aber", "mais", "ma"})
# words that open a follow-up ("only 90s", "but no rap", "make it calmer")
_REFINE_LEADS = frozenset("only but and now also just make keep no not without less more same too "
                          "still nothing except actually instead what how y und et e pero aber mais "
                          "solo nur seulement so sin ohne sans sem ahora jetzt maintenant agora".split())
_SCENE_WEIGHT = 0.7


def assemble(state: ParseState, previous: Request | None) -> Request:
    req = Request(text=state.text, language=state.lang, parser="rules")
    items = sorted(state.items, key=lambda it: it.start)
    _moods_themes_scenes(req, items)
    _years(req, [it for it in items if it.kind == "year"])
    for it in items:
        if it.kind == "genre":
            target = req.genres_out if it.negated else req.genres_in
            if it.value not in target:
                target.append(it.value)
        elif it.kind == "lyric_lang" and not it.negated and it.value not in req.languages:
            req.languages.append(it.value)
        elif it.kind == "artist":
            req.artist_mentions.append(it.mention)
            if it.negated:
                req.artists_out.extend(it.value)      # every catalog spelling of the artist
            elif not it.like:
                req.artists_in.extend(it.value)
        elif it.kind == "unknown" and it.mention is not None:
            req.artist_mentions.append(it.mention)
    req.genres_out = [g for g in req.genres_out if g not in req.genres_in]
    req.artists_in = list(dict.fromkeys(a for a in req.artists_in if a not in req.artists_out))
    req.artists_out = list(dict.fromkeys(req.artists_out))
    req.unknown_mentions = list(state.unknown)
    req.like_songs = list(dict.fromkeys(state.like_songs))
    req.like_picks = list(state.like_picks)
    req.count = state.count
    req.ops = list(state.ops)
    req.valence_shift = float((state.valence_shift > 0) - (state.valence_shift < 0))
    req.energy_shift = float((state.energy_shift > 0) - (state.energy_shift < 0))
    req.year_shift = state.year_shift
    req.valence, req.energy = _targets(items)
    req.query_text = _query_text(state)
    req.is_refinement = _is_refinement(req, state, previous)
    return req


def _moods_themes_scenes(req: Request, items: list[Item]) -> None:
    for it in items:
        if it.negated:
            continue
        if it.kind == "mood":
            req.moods[it.value] = max(req.moods.get(it.value, 0.0), it.weight)
        elif it.kind == "theme" and it.value not in req.themes:
            req.themes.append(it.value)
        elif it.kind == "scene" and it.value not in req.scenes:
            req.scenes.append(it.value)
    for name in req.scenes:
        for theme in SCENES[name].themes:
            if theme not in req.themes:
                req.themes.append(theme)


def _years(req: Request, items: list[Item]) -> None:
    ranges: list[tuple[int, int]] = []
    lo_bound: int | None = None
    hi_bound: int | None = None

    def lower(v: int) -> None:
        nonlocal lo_bound
        lo_bound = v if lo_bound is None else max(lo_bound, v)

    def upper(v: int) -> None:
        nonlocal hi_bound
        hi_bound = v if hi_bound is None else min(hi_bound, v)

    for it in items:
        span = it.value
        if span.kind == "before":
            lower(span.hi + 1) if it.negated else upper(span.hi)   # "nothing before 1990"
        elif span.kind == "after":
            upper(span.lo - 1) if it.negated else lower(span.lo)
        elif it.negated:
            if (span.lo, span.hi) not in req.exclude_years:
                req.exclude_years.append((span.lo, span.hi))
        else:
            ranges.append((span.lo, span.hi))
    lo = min(r[0] for r in ranges) if ranges else None
    hi = max(r[1] for r in ranges) if ranges else None
    if lo_bound is not None:
        lo = lo_bound if lo is None else max(lo, lo_bound)
    if hi_bound is not None:
        hi = hi_bound if hi is None else min(hi, hi_bound)
    if lo is not None and hi is not None and lo > hi:   # contradictory: keep the bounds only
        lo, hi = lo_bound, hi_bound
    req.year_min, req.year_max = lo, hi


def _targets(items: list[Item]) -> tuple[float | None, float | None]:
    v_sum = e_sum = v_w = e_w = 0.0
    for it in items:
        if it.kind == "mood":
            info = MOODS[it.value]
            if it.negated:        # "not too sad": away from sad, not towards it
                v_sum, v_w = v_sum - 0.3 * info.valence, v_w + 1.0
                if abs(info.energy) >= 0.5:
                    e_sum, e_w = e_sum - 0.3 * info.energy, e_w + 1.0
                continue
            v_sum, v_w = v_sum + it.weight * info.valence, v_w + it.weight
            e_sum, e_w = e_sum + it.weight * info.energy, e_w + it.weight
        elif it.kind == "scene" and not it.negated:
            scene = SCENES[it.value]
            v_sum, v_w = v_sum + _SCENE_WEIGHT * scene.valence, v_w + _SCENE_WEIGHT
            e_sum, e_w = e_sum + _SCENE_WEIGHT * scene.energy, e_w + _SCENE_WEIGHT
        elif it.kind == "energy":
            value = -0.5 * it.value if it.negated else it.value
            e_sum, e_w = e_sum + value, e_w + 1.0
    valence = round(max(-1.0, min(1.0, v_sum / v_w)), 3) if v_w else None
    energy = round(max(-1.0, min(1.0, e_sum / e_w)), 3) if e_w else None
    return valence, energy


def _query_text(state: ParseState) -> str:
    negated_spans = {k for it in state.items if it.negated for k in range(it.start, it.end)}
    keep = [False] * len(state.tokens)
    constraint_next = False
    for k in range(len(state.tokens) - 1, -1, -1):
        t = state.tokens[k]
        if not t.is_word or t.key in W.FILLER:
            if t.role not in _QUERY_ROLES:
                constraint_next = True
            continue
        if t.role in _QUERY_ROLES and k not in negated_spans:
            if constraint_next and t.key in _PREPS and not t.role:
                continue
            keep[k] = True
            constraint_next = False
        else:
            constraint_next = True
    words = [state.text[t.start:t.end] for k, t in enumerate(state.tokens) if keep[k]]
    while words and words[0].lower() in _EDGE:
        words.pop(0)
    while words and words[-1].lower() in _EDGE:
        words.pop()
    return " ".join(words)[:300]


def _is_refinement(req: Request, state: ParseState, previous: Request | None) -> bool:
    if req.ops or req.valence_shift or req.energy_shift or req.year_shift or req.like_picks:
        return True
    if previous is None:
        return False
    first = state.tokens[0].key if state.tokens else ""
    asks_new = bool(req.moods or req.themes or req.scenes or req.like_songs or req.query_text)
    return first in _REFINE_LEADS or not asks_new


__all__ = ["assemble"]
