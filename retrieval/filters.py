"""Typed constraints -> filters. Constraints are first turned into a small list of terms; the
terms compile either to a lancedb.expr (values bound as literals by the expression builder, so
user text can never change the shape of the filter: no SQL strings anywhere) or to a numpy mask
over a catalog held in memory (small catalogs, see catalog.HotIndex). One list of terms, two
compilers, one meaning: tests hold the two to the same rows."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Sequence

import numpy as np

from retrieval.genres import CANONICAL_GENRES
from retrieval.textnorm import norm_artist

_GENRE_ALIASES = {"rap": "hip hop", "hip-hop": "hip hop", "hiphop": "hip hop", "rnb": "r&b",
                  "r and b": "r&b", "edm": "electronic", "techno": "electronic",
                  "house": "electronic", "christian": "gospel", "singer-songwriter": "folk"}


def canonical_genre(name: str) -> str | None:
    g = name.strip().lower()
    g = _GENRE_ALIASES.get(g, g)
    return g if g in CANONICAL_GENRES else None


@dataclass(frozen=True)
class Term:
    """One condition on one column. ops: ge, le_known (<= and known, i.e. > 0), outside (not
    within [lo, hi]), contains_any (packed list holds one of the items), lacks (packed list does
    not hold the item), isin, not_isin. Like SQL, a row whose column is null never passes a term."""

    op: str
    column: str
    values: tuple


def filter_terms(*, year_min: int | None = None, year_max: int | None = None,
                 exclude_years: Sequence[tuple[int, int]] = (), genres_in: Sequence[str] = (),
                 genres_out: Sequence[str] = (), artists_in: Sequence[str] = (),
                 artists_out: Sequence[str] = (), languages: Sequence[str] = (),
                 song_ids: Sequence[str] | None = None, exclude_ids: Sequence[str] = ()) -> list[Term]:
    terms: list[Term] = []
    if year_min is not None:
        terms.append(Term("ge", "year", (int(year_min),)))
    if year_max is not None:
        terms.append(Term("le_known", "year", (int(year_max),)))
    for lo, hi in exclude_years:
        terms.append(Term("outside", "year", (int(lo), int(hi))))
    wanted = [g for g in (canonical_genre(x) for x in genres_in) if g]
    if wanted:
        terms.append(Term("contains_any", "genres", tuple(f"|{g}|" for g in wanted)))
    for g in (canonical_genre(x) for x in genres_out):
        if g:
            terms.append(Term("lacks", "genres", (f"|{g}|",)))
    if artists_in:
        terms.append(Term("isin", "artist_norm", tuple(norm_artist(a, cut=False) for a in artists_in)))
    if artists_out:
        terms.append(Term("not_isin", "artist_norm", tuple(norm_artist(a, cut=False) for a in artists_out)))
    if languages:
        terms.append(Term("isin", "language", tuple(str(x).lower()[:8] for x in languages)))
    if song_ids is not None:
        terms.append(Term("isin", "song_id", tuple(song_ids) or ("\x00none",)))
    if exclude_ids:
        terms.append(Term("not_isin", "song_id", tuple(exclude_ids)))
    return terms


def to_expr(terms: Sequence[Term]):
    """A lancedb.expr Expr for the terms, or None when nothing constrains the search."""
    from lancedb.expr import col, lit

    expr = None
    for t in terms:
        c = col(t.column)
        if t.op == "ge":
            e = c >= lit(t.values[0])
        elif t.op == "le_known":
            e = (c <= lit(t.values[0])) & (c > lit(0))
        elif t.op == "outside":
            e = ~((c >= lit(t.values[0])) & (c <= lit(t.values[1])))
        elif t.op == "contains_any":
            e = None
            for v in t.values:
                one = c.contains(lit(v))
                e = one if e is None else e | one
        elif t.op == "lacks":
            e = ~c.contains(lit(t.values[0]))
        elif t.op == "isin":
            e = c.isin(list(t.values))
        elif t.op == "not_isin":
            e = ~c.isin(list(t.values))
        else:  # pragma: no cover - programming error
            raise ValueError(t.op)
        expr = e if expr is None else expr & e
    return expr


def known_mask(column: np.ndarray) -> np.ndarray:
    """Rows whose value is not null (None in object arrays, NaN in float arrays)."""
    if column.dtype == object:
        return np.fromiter((v is not None for v in column), bool, len(column))
    return ~np.isnan(column)


def to_mask(terms: Sequence[Term], columns: Mapping[str, np.ndarray],
            known: Mapping[str, np.ndarray] | None = None) -> np.ndarray | None:
    """A boolean mask over in-memory rows (`columns`: name -> array; strings as object arrays
    with None for null, years as a float array with NaN for null), or None when unconstrained.
    `known` may hold each column's precomputed known_mask."""
    if not terms:
        return None
    n = len(next(iter(columns.values())))
    mask = np.ones(n, bool)
    for t in terms:
        c = columns[t.column]
        ok = known[t.column] if known is not None and t.column in known else known_mask(c)
        if t.op == "ge":
            m = c >= t.values[0]
        elif t.op == "le_known":
            m = (c <= t.values[0]) & (c > 0)
        elif t.op == "outside":
            m = ~((c >= t.values[0]) & (c <= t.values[1]))
        elif t.op == "contains_any":
            m = np.fromiter((v is not None and any(x in v for x in t.values) for v in c), bool, n)
        elif t.op == "lacks":
            m = np.fromiter((v is not None and t.values[0] not in v for v in c), bool, n)
        elif t.op in ("isin", "not_isin"):
            wanted = set(t.values)
            m = np.fromiter((v in wanted for v in c), bool, n)
            if t.op == "not_isin":
                m = ~m
        else:  # pragma: no cover - programming error
            raise ValueError(t.op)
        mask &= m & ok
    return mask


def build_filter(**constraints):
    """An Expr over the columns shared by `songs` and `chunks` (see catalog.FILTER_COLUMNS),
    plus song ids. Returns None when nothing constrains the search."""
    return to_expr(filter_terms(**constraints))
