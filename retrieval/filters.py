"""Typed constraints -> a lancedb.expr filter. Values are bound as literals by the expression
builder, so user text can never change the shape of the filter (no SQL strings anywhere)."""
from __future__ import annotations

from typing import Sequence

from retrieval.genres import CANONICAL_GENRES
from retrieval.textnorm import norm_artist

_GENRE_ALIASES = {"rap": "hip hop", "hip-hop": "hip hop", "hiphop": "hip hop", "rnb": "r&b",
                  "r and b": "r&b", "edm": "electronic", "techno": "electronic",
                  "house": "electronic", "christian": "gospel", "singer-songwriter": "folk"}


def canonical_genre(name: str) -> str | None:
    g = name.strip().lower()
    g = _GENRE_ALIASES.get(g, g)
    return g if g in CANONICAL_GENRES else None


def _and(a, b):
    return b if a is None else (a if b is None else a & b)


def build_filter(*, year_min: int | None = None, year_max: int | None = None,
                 exclude_years: Sequence[tuple[int, int]] = (), genres_in: Sequence[str] = (),
                 genres_out: Sequence[str] = (), artists_in: Sequence[str] = (),
                 artists_out: Sequence[str] = (), languages: Sequence[str] = (),
                 song_ids: Sequence[str] | None = None, exclude_ids: Sequence[str] = ()):
    """An Expr over the columns shared by `songs` and `chunks` (see catalog.FILTER_COLUMNS),
    plus song ids. Returns None when nothing constrains the search."""
    from lancedb.expr import col, lit

    expr = None
    if year_min is not None:
        expr = _and(expr, col("year") >= lit(int(year_min)))
    if year_max is not None:
        expr = _and(expr, (col("year") <= lit(int(year_max))) & (col("year") > lit(0)))
    for lo, hi in exclude_years:
        expr = _and(expr, ~((col("year") >= lit(int(lo))) & (col("year") <= lit(int(hi)))))
    wanted = [g for g in (canonical_genre(x) for x in genres_in) if g]
    if wanted:
        any_of = None
        for g in wanted:
            term = col("genres").contains(lit(f"|{g}|"))
            any_of = term if any_of is None else any_of | term
        expr = _and(expr, any_of)
    for g in (canonical_genre(x) for x in genres_out):
        if g:
            expr = _and(expr, ~col("genres").contains(lit(f"|{g}|")))
    if artists_in:
        expr = _and(expr, col("artist_norm").isin([norm_artist(a, cut=False) for a in artists_in]))
    if artists_out:
        expr = _and(expr, ~col("artist_norm").isin([norm_artist(a, cut=False) for a in artists_out]))
    if languages:
        expr = _and(expr, col("language").isin([str(x).lower()[:8] for x in languages]))
    if song_ids is not None:
        expr = _and(expr, col("song_id").isin(list(song_ids) or ["\x00none"]))
    if exclude_ids:
        expr = _and(expr, ~col("song_id").isin(list(exclude_ids)))
    return expr
