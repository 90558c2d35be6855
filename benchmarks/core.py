"""Speed and memory of search and ingest, each next to its floor measured in the same run.

    python -m benchmarks.core [--db DIR] [--ingest-songs 200]

- per-query latency p50/p95 of the full `recommend` path (parse + hybrid search + rerank),
  next to the floor: query embedding + exact vector search alone on the same catalog;
- ingest throughput (songs/s) on Billboard songs into a temp catalog, next to the raw encoder's
  throughput on the same chunk texts;
- peak RSS of the process.
"""
from __future__ import annotations

import argparse
import json
import tempfile
import time

from benchmarks.common import BILLBOARD, peak_rss_mb, percentile

QUERIES = [
    "something nostalgic for a rainy night", "songs for cleaning the house", "sad songs from the 80s",
    "angry music, no country", "happy summer songs for a road trip", "calm songs for falling asleep",
    "love songs from the 60s", "songs about freedom and the open road", "party songs, nothing before 1990",
    "heartbreak ballads", "upbeat dance songs from the 70s", "lonely late night city songs",
    "songs about home and family", "dreamy romantic songs", "empowering songs for a workout",
    "melancholic songs about memories", "feel good songs for a sunday morning", "dark intense songs",
    "songs like a warm summer evening", "bittersweet songs about growing up",
]


def bench_search(services, rounds: int) -> dict:
    rec = services.recommender
    services.warm_up()
    full, floor, parse = [], [], []
    for _ in range(rounds):
        # cold queries: the query-vector cache would otherwise answer rounds 2+ for free
        rec.embedder.__dict__.get("_query_cache", {}).clear()
        for q in QUERIES:
            t0 = time.perf_counter()
            req = services.parse(q)
            t1 = time.perf_counter()
            rec.recommend(req, k=10)
            t2 = time.perf_counter()
            full.append((t2 - t0) * 1000)
            parse.append((t1 - t0) * 1000)
            t3 = time.perf_counter()
            qv = rec.embedder.encode([q])[0]
            services.catalog.songs.search(qv.tolist(), vector_column_name="vec_desc") \
                .distance_type("cosine").limit(10).select(["song_id", "_distance"]).to_arrow()
            floor.append((time.perf_counter() - t3) * 1000)
    return {"queries": len(full), "p50_ms": percentile(full, 50), "p95_ms": percentile(full, 95),
            "floor_p50_ms": percentile(floor, 50), "floor_p95_ms": percentile(floor, 95),
            "parse_p50_ms": percentile(parse, 50), "parse_p95_ms": percentile(parse, 95)}


def bench_ingest(n_songs: int) -> dict:
    import itertools
    import json as _json

    from retrieval.catalog import Catalog
    from retrieval.features import chunk_lyrics
    from retrieval.ingest import FeatureBuilder, ingest_file

    with tempfile.TemporaryDirectory() as tmp:
        src = f"{tmp}/songs.jsonl"
        texts = []
        with open(BILLBOARD) as fin, open(src, "w") as fout:
            for line in itertools.islice(fin, n_songs):
                fout.write(line)
                texts.append(_json.loads(line)["lyrics"])
        builder = FeatureBuilder()
        builder.embedder.encode(["warm up"])
        chunks = [c for t in texts for c in (chunk_lyrics(t) or [t[:1000]])]
        def encode_once() -> float:
            t0 = time.perf_counter()
            builder.embedder.encode(chunks, batch_size=64)
            return time.perf_counter() - t0

        first = encode_once()
        report = ingest_file(src, Catalog(f"{tmp}/db", create=True), builder=builder)
        enc_s = min(first, encode_once())   # best of two, around the ingest, on a shared CPU
    return {"songs": n_songs, "chunks": len(chunks), "ingest_songs_per_s": report.songs_per_s,
            "encoder_only_songs_per_s": n_songs / enc_s, "encoder_chunks_per_s": len(chunks) / enc_s}


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", default=None)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--ingest-songs", type=int, default=200)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    from bot.services import Services, make_settings

    services = Services(make_settings(db=args.db))
    out = {"catalog_songs": services.catalog.count(), "search": bench_search(services, args.rounds)}
    if args.ingest_songs:
        out["ingest"] = bench_ingest(args.ingest_songs)
    out["peak_rss_mb"] = peak_rss_mb()
    if args.json:
        print(json.dumps(out, indent=1))
    else:
        s = out["search"]
        print(f"catalog: {out['catalog_songs']} songs")
        print(f"recommend latency: p50 {s['p50_ms']:.1f} ms  p95 {s['p95_ms']:.1f} ms  ({s['queries']} queries)")
        print(f"  floor (query embedding + exact vector search): p50 {s['floor_p50_ms']:.1f} ms  p95 {s['floor_p95_ms']:.1f} ms")
        print(f"  of which parsing: p50 {s['parse_p50_ms']:.2f} ms  p95 {s['parse_p95_ms']:.2f} ms")
        if "ingest" in out:
            i = out["ingest"]
            print(f"ingest: {i['ingest_songs_per_s']:.1f} songs/s ({i['songs']} songs, {i['chunks']} chunks)")
            print(f"  floor (raw encoder on the same chunks): {i['encoder_only_songs_per_s']:.1f} songs/s "
                  f"({i['encoder_chunks_per_s']:.0f} chunks/s)")
        print(f"peak RSS: {out['peak_rss_mb']:.0f} MB")
    services.close()
    return out


if __name__ == "__main__":
    main()
