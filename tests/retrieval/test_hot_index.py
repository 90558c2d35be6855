"""Small catalogs are searched in memory (catalog.HotIndex). It must find exactly what LanceDB
finds: the same filter terms compile to a LanceDB expression and to a numpy mask, and exact
vector search in memory ranks like LanceDB's exact (flat) search."""
from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from retrieval.filters import filter_terms, to_expr, to_mask

INJECTED = ["x' OR '1'='1", "%", "_", "a\x00b", "'; DROP TABLE songs; --", "\\"]


@pytest.fixture(scope="module")
def hot_catalog(builtin_services):
    cat = builtin_services.catalog
    hot = cat.hot_index()
    assert hot is not None and len(hot.ids) == cat.count()
    return cat, hot


def _lance_ids(cat, terms) -> set[str]:
    rows = cat.songs.search().where(to_expr(terms)).select(["song_id"]).limit(100_000).to_arrow()
    return set(rows.column("song_id").to_pylist())


def _mask_ids(hot, terms) -> set[str]:
    mask = to_mask(terms, hot.columns, hot.known)
    return {sid for sid, keep in zip(hot.ids, mask) if keep}


@st.composite
def constraints(draw, artists, genres):
    c = {}
    if draw(st.booleans()):
        c["year_min"] = draw(st.integers(1940, 2020))
    if draw(st.booleans()):
        c["year_max"] = draw(st.integers(1940, 2020))
    if draw(st.booleans()):
        lo = draw(st.integers(1950, 2010))
        c["exclude_years"] = [(lo, lo + draw(st.integers(0, 15)))]
    pick = st.sampled_from(genres + ["rap", "edm", "polka"] + INJECTED)
    if draw(st.booleans()):
        c["genres_in"] = draw(st.lists(pick, min_size=1, max_size=3))
    if draw(st.booleans()):
        c["genres_out"] = draw(st.lists(pick, min_size=1, max_size=2))
    who = st.sampled_from(artists + INJECTED)
    if draw(st.booleans()):
        c["artists_in"] = draw(st.lists(who, min_size=1, max_size=3))
    if draw(st.booleans()):
        c["artists_out"] = draw(st.lists(who, min_size=1, max_size=3))
    if draw(st.booleans()):
        c["languages"] = draw(st.lists(st.sampled_from(["en", "es", "xx", "%"]), min_size=1, max_size=2))
    return c


def test_numpy_masks_select_exactly_the_rows_lancedb_selects(hot_catalog):
    cat, hot = hot_catalog
    artists = sorted(set(hot.columns["artist_norm"]))[::97]
    genres = sorted({g for v in hot.columns["genres"] for g in (v or "").split("|") if g})

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(constraints(artists, genres))
    def check(c):
        terms = filter_terms(**c)
        if not terms:
            assert to_mask(terms, hot.columns) is None and to_expr(terms) is None
            return
        assert _mask_ids(hot, terms) == _lance_ids(cat, terms), c

    check()


def test_masks_and_lancedb_agree_on_song_ids_and_on_unknown_values(hot_catalog):
    cat, hot = hot_catalog
    some = hot.ids[:7]
    for terms in (filter_terms(song_ids=some + ["%"]), filter_terms(song_ids=[]),
                  filter_terms(exclude_ids=some), filter_terms(year_max=1975, exclude_ids=some[:2])):
        assert _mask_ids(hot, terms) == _lance_ids(cat, terms)
    assert _mask_ids(hot, filter_terms(song_ids=some)) == set(some)


def test_nulls_never_pass_a_term_like_in_sql():
    cols = {"year": np.asarray([1980.0, np.nan, 0.0]), "genres": np.asarray(["|rock|", None, ""], object)}
    assert to_mask(filter_terms(year_min=1900), cols).tolist() == [True, False, False]
    assert to_mask(filter_terms(year_max=2000), cols).tolist() == [True, False, False]
    assert to_mask(filter_terms(genres_out=["rock"]), cols).tolist() == [False, False, True]


def test_in_memory_vector_search_ranks_like_lancedb_exact_search(hot_catalog, builtin_services):
    cat, hot = hot_catalog
    q = builtin_services.recommender.embedder.encode(["lonely songs about rain at night"])[0]
    for column in ("vec_desc", "vec_lyrics"):
        lance = (cat.songs.search(q.tolist(), vector_column_name=column).distance_type("cosine")
                 .bypass_vector_index().limit(30).select(["song_id", "_distance"]).to_arrow().to_pylist())
        scores = hot.vectors[column] @ q
        mine = [hot.ids[i] for i in hot.top(scores, None, 30)]
        assert mine[:10] == [r["song_id"] for r in lance][:10]
        assert len(set(mine) & {r["song_id"] for r in lance}) >= 29
        np.testing.assert_allclose(sorted(1 - scores[hot.top(scores, None, 30)]),
                                   sorted(r["_distance"] for r in lance), atol=1e-4)
    terms = filter_terms(year_min=1990, year_max=1999, genres_out=["rap"])
    scores = hot.vectors["vec_desc"] @ q
    mine = [hot.ids[i] for i in hot.top(scores, to_mask(terms, hot.columns, hot.known), 10)]
    lance = (cat.songs.search(q.tolist(), vector_column_name="vec_desc").distance_type("cosine")
             .where(to_expr(terms), prefilter=True).bypass_vector_index().limit(10)
             .select(["song_id"]).to_arrow().column("song_id").to_pylist())
    assert mine == lance


def test_chunk_search_in_memory_covers_every_chunk(hot_catalog):
    cat, hot = hot_catalog
    assert len(hot.chunk_vectors) == cat.chunks.count_rows()
    assert hot.chunk_song.max() < len(hot.ids)


def test_recommend_with_and_without_the_hot_index_agree(builtin_services, monkeypatch):
    """The same request through the in-memory path and through LanceDB gives nearly the same
    picks (chunk search through LanceDB uses an approximate index on this catalog)."""
    from retrieval.search import Recommender

    rec = builtin_services.recommender
    req = builtin_services.parse("sad songs about rain from the 80s, no rap")
    hot_ids = [p.song_id for p in rec.recommend(req, k=10).picks]
    cold = Recommender(builtin_services.catalog, rec.embedder)
    monkeypatch.setattr(builtin_services.catalog, "hot_index", lambda: None)
    cold_ids = [p.song_id for p in cold.recommend(req, k=10).picks]
    assert len(hot_ids) == 10 and len(set(hot_ids) & set(cold_ids)) >= 8


def test_search_keeps_numpy_blas_on_one_thread(builtin_services):
    """OpenBLAS threads spinning after each product starved the embedding model on 2 cores."""
    from threadpoolctl import threadpool_info

    builtin_services.recommender   # a Recommender exists
    blas = [i for i in threadpool_info() if i["user_api"] == "blas"]
    assert blas and all(i["num_threads"] == 1 for i in blas)


def test_odd_small_catalogs_still_search(builtin_services, tmp_path):
    """No chunks at all, and a song whose mood vector is missing: the in-memory index copes
    (zeros for the missing vector) and recommend answers."""
    from retrieval.catalog import Catalog
    from retrieval.search import Recommender

    rows = builtin_services.catalog.songs.search().limit(12).to_arrow().to_pylist()
    for r in rows:
        r.pop("_distance", None)
    rows[0]["mood_vec"] = None
    cat = Catalog(tmp_path / "odd", create=True)
    cat.upsert(rows, [])
    hot = cat.hot_index()
    assert hot is not None and len(hot.ids) == 12 and hot.chunk_vectors.shape == (0, 384)
    assert not hot.mood[hot.pos[rows[0]["song_id"]]].any()
    res = Recommender(cat, builtin_services.recommender.embedder).recommend(
        builtin_services.parse("happy songs"), k=5)
    assert len(res.picks) == 5
