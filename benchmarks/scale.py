"""Search at catalog scale: a synthetic catalog of N songs (default 100,000) made by jittering the
built-in catalog's vectors and features, with the ANN indexes that `ensure_indexes` builds at
that size. Prints index build time, search latency p50/p95 of the full recommend path with and
without filters, the floor (exact vector search on the same table, no index), and peak RSS.

    python -m benchmarks.scale [--songs 100000]
"""
from __future__ import annotations

import argparse
import tempfile
import time

import numpy as np
import pyarrow.parquet as pq

from benchmarks.common import peak_rss_mb, percentile

QUERIES = ["something nostalgic for a rainy night", "sad songs from the 80s", "angry music, no country",
           "happy summer songs for a road trip", "calm songs for falling asleep", "love songs from the 60s"]


def synthetic_rows(n: int, rng: np.random.Generator):
    from retrieval.builtin import SONGS_FILE, VECTORS_FILE, dequantize

    meta = pq.read_table(SONGS_FILE).to_pylist()
    vec = np.load(VECTORS_FILE)
    vd, vl = vec["vec_desc"].astype(np.float32), vec["vec_lyrics"].astype(np.float32)
    cv = dequantize(vec["chunk_q"], vec["chunk_scale"])
    by_song: dict[int, list[int]] = {}
    for j, s in enumerate(vec["chunk_song"]):
        by_song.setdefault(int(s), []).append(j)

    def jitter(m):
        m = m + rng.normal(0, 0.03, m.shape).astype(np.float32)
        return m / np.linalg.norm(m, axis=-1, keepdims=True)

    for start in range(0, n, 5000):
        idx = rng.integers(0, len(meta), min(5000, n - start))
        songs, chunks = [], []
        d_j, l_j = jitter(vd[idx]), jitter(vl[idx])
        for t, i in enumerate(idx):
            r = dict(meta[i])
            sid = f"syn{start + t:07d}"
            r.update(song_id=sid, title=f"{r['title']} #{start + t}", vec_desc=d_j[t].tolist(),
                     vec_lyrics=l_j[t].tolist())
            songs.append(r)
            cj = by_song.get(int(i), [])[:4]
            for c_i, v in enumerate(jitter(cv[cj]) if cj else []):
                chunks.append({"song_id": sid, "chunk_idx": c_i, "text": "", "artist_norm": r["artist_norm"],
                               "year": r["year"], "genres": r["genres"], "language": r["language"],
                               "vector": v.tolist()})
        yield songs, chunks


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--songs", type=int, default=100_000)
    args = ap.parse_args(argv)
    from nlu import parse_request
    from retrieval.catalog import Catalog
    from retrieval.search import Recommender

    rng = np.random.default_rng(0)
    with tempfile.TemporaryDirectory() as tmp:
        cat = Catalog(f"{tmp}/db", create=True)
        t0 = time.perf_counter()
        for songs, chunks in synthetic_rows(args.songs, rng):
            cat.songs.add(songs)
            cat.chunks.add(chunks)
        load_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        cat.ensure_indexes()
        index_s = time.perf_counter() - t0
        rec = Recommender(cat)
        vocab = cat.vocab()
        rec.embedder.encode(["warm up"])
        rec.recommend(parse_request(QUERIES[0], vocab=vocab), k=10)
        full, floor = [], []
        for _ in range(3):
            for q in QUERIES:
                t = time.perf_counter()
                rec.recommend(parse_request(q, vocab=vocab), k=10)
                full.append((time.perf_counter() - t) * 1000)
                t = time.perf_counter()
                qv = rec.embedder.encode([q])[0]
                cat.songs.search(qv.tolist(), vector_column_name="vec_desc").distance_type("cosine") \
                    .bypass_vector_index().limit(10).select(["song_id", "_distance"]).to_arrow()
                floor.append((time.perf_counter() - t) * 1000)
        print(f"synthetic catalog: {cat.count()} songs, {cat.chunks.count_rows()} chunks "
              f"(loaded in {load_s:.0f} s, indexes built in {index_s:.0f} s)")
        print(f"recommend (ANN + filters + rerank): p50 {percentile(full, 50):.0f} ms  p95 {percentile(full, 95):.0f} ms")
        print(f"floor (query embedding + exact flat search over vec_desc): p50 {percentile(floor, 50):.0f} ms  "
              f"p95 {percentile(floor, 95):.0f} ms")
        print(f"peak RSS: {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
