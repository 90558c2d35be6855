"""Turn a follow-up ("more upbeat", "only 90s", "no more Drake", "more like #2") into the full
request to search, relative to the previous request and the picks on screen."""
from __future__ import annotations

import copy
import statistics
from dataclasses import dataclass, field

from nlu.request import Request

SHIFT_STEP = 0.45   # how far one "more upbeat" / "sadder" moves the target on the [-1, 1] scale


@dataclass
class Plan:
    """What to search: the merged request plus search options the request type does not hold."""

    request: Request
    anchor_ids: list[str] = field(default_factory=list)
    max_per_artist: int | None = None
    exclude_artists: list[str] = field(default_factory=list)
    reset: bool = False
    include_seen: bool = False
    new_thread: bool = False        # a fresh request: this thread's feedback no longer applies


def _clamp(x: float) -> float:
    return max(-1.0, min(1.0, x))


def _center(picks: list[dict], key: str) -> float | None:
    vals = [p[key] for p in picks if p.get(key) is not None]
    return statistics.fmean(vals) if vals else None


def _constraints_only(req: Request) -> bool:
    """'only 90s', 'no rap', 'no more Drake': a follow-up that names no new mood, theme or
    subject refines what is on screen instead of starting a new search."""
    subject = (req.moods or req.themes or req.scenes or req.artists_in or req.like_songs
               or req.genres_in or req.valence is not None or req.energy is not None)
    constraint = (req.year_min is not None or req.year_max is not None or req.exclude_years
                  or req.genres_out or req.artists_out or req.languages or req.count)
    return bool(constraint) and not subject


def merge(new: Request, previous: Request | None, picks: list[dict]) -> Plan:
    """`picks` are the dicts of the picks on screen (song_id, artist, year, valence, energy)."""
    if "reset" in new.ops or previous is None:
        req = copy.deepcopy(new)
        plan = _relative(req, None, picks, reset="reset" in new.ops)
        plan.new_thread = True
        return plan
    if not (new.is_refinement or _constraints_only(new)):
        plan = _relative(copy.deepcopy(new), None, picks)
        plan.new_thread = True
        return plan
    req = copy.deepcopy(previous)
    req.text = new.text
    req.ops = list(new.ops)
    req.is_refinement = True
    req.parser = new.parser
    # what the follow-up states replaces what was there; what it leaves out is kept
    if new.moods:
        req.moods = dict(new.moods)
    for name in ("valence", "energy", "year_min", "year_max", "count"):
        value = getattr(new, name)
        if value is not None:
            setattr(req, name, value)
    if new.themes:
        req.themes = list(dict.fromkeys(new.themes))
    if new.scenes:
        req.scenes = list(dict.fromkeys(new.scenes))
    if new.query_text.strip():
        req.query_text = new.query_text
    for name in ("genres_in", "languages", "artists_in"):
        if getattr(new, name):
            setattr(req, name, list(getattr(new, name)))
    for name in ("genres_out", "artists_out", "exclude_years", "unknown_mentions"):
        merged = list(getattr(req, name)) + [x for x in getattr(new, name) if x not in getattr(req, name)]
        setattr(req, name, merged)
    # an artist now excluded is no longer wanted, a genre now wanted is no longer excluded
    req.artists_in = [a for a in req.artists_in if a not in new.artists_out]
    req.genres_out = [g for g in req.genres_out if g not in new.genres_in]
    req.genres_in = [g for g in req.genres_in if g not in new.genres_out]
    req.like_songs = list(new.like_songs)
    req.like_picks = list(new.like_picks)
    req.valence_shift, req.energy_shift, req.year_shift = new.valence_shift, new.energy_shift, new.year_shift
    return _relative(req, previous, picks)


def _relative(req: Request, previous: Request | None, picks: list[dict], *, reset: bool = False) -> Plan:
    plan = Plan(request=req, reset=reset)
    if req.valence_shift:
        base = req.valence if req.valence is not None and previous is not None and previous.valence is not None \
            else _center(picks, "valence")
        req.valence = _clamp((base or 0.0) + SHIFT_STEP * (1 if req.valence_shift > 0 else -1))
    if req.energy_shift:
        base = req.energy if req.energy is not None and previous is not None and previous.energy is not None \
            else _center(picks, "energy")
        req.energy = _clamp((base or 0.0) + SHIFT_STEP * (1 if req.energy_shift > 0 else -1))
    if (req.valence_shift or req.energy_shift) and req.moods:
        # the old mood words would pull back toward the old target
        req.moods = {}
    years = sorted(p["year"] for p in picks if p.get("year"))
    if req.year_shift:
        lo, hi = req.year_min, req.year_max
        if lo is not None and hi is not None:
            # a window ("the 90s") moves as a whole: older -> the 80s, newer -> the 2000s
            width = hi - lo + 1
            step = -width if req.year_shift < 0 else width
            req.year_min, req.year_max = lo + step, hi + step
        elif years:
            mid = years[len(years) // 2]
            if req.year_shift < 0:
                req.year_min, req.year_max = None, mid - 1
            else:
                req.year_min, req.year_max = mid + 1, None
    for n in req.like_picks:
        if 1 <= n <= len(picks):
            plan.anchor_ids.append(picks[n - 1]["song_id"])
    if "different_artists" in req.ops:
        plan.max_per_artist = 1
        plan.exclude_artists = sorted({p["artist"] for p in picks})
    if "show_seen" in req.ops:
        plan.include_seen = True
    return plan
