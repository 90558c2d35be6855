"""Quality yardstick: precision@10 of mood-quadrant queries against listener labels.

    python -m benchmarks.quality [--db DIR]

For each quadrant (happy, angry, sad, calm) several natural requests are searched *within the
labelled Billboard songs* (Deezer valence/arousal quadrants of the held-out validation+test
splits; MoodyLyrics4Q moods minus songs of the Deezer train split, on which the mood head was
trained). Printed next to the plain baseline, measured in the same run: MiniLM cosine between the
request and the raw lyrics (one embedding per song, truncated by the model as-is).
"""
from __future__ import annotations

import argparse
import json
import time

import numpy as np

from benchmarks.common import (BILLBOARD, QUADRANTS, QUERIES, deezer_quadrants,
                               deezer_train_keys, ml4q_quadrants)


def load_pool(catalog, labels: dict[str, str], exclude: set[str]):
    """song_id -> quadrant for catalog songs with a label, and song_id -> lyrics (from shared/)."""
    from retrieval.textnorm import join_key

    rows = catalog.songs.search().select(["song_id", "artist", "title"]).limit(catalog.count() + 1) \
        .to_arrow().to_pylist()
    pool = {}
    for r in rows:
        k = join_key(r["artist"], r["title"])
        if k in labels and k not in exclude:
            pool[r["song_id"]] = labels[k]
    return pool


def lyrics_by_id(ids: set[str]) -> dict[str, str]:
    from retrieval.ingest import clean_row
    from retrieval.readers import read_rows

    mapping, rows, _ = read_rows(BILLBOARD)
    out = {}
    for raw in rows:
        s = clean_row(raw, mapping)
        if not isinstance(s, str) and s.song_id in ids and s.song_id not in out:
            out[s.song_id] = s.lyrics
    return out


def evaluate(name, pool, search_fn) -> dict:
    res = {}
    for quad in QUADRANTS:
        precs = []
        for q in QUERIES[quad]:
            ids = search_fn(q, list(pool))[:10]
            precs.append(sum(pool.get(i) == quad for i in ids) / 10)
        res[quad] = float(np.mean(precs))
    res["mean"] = float(np.mean([res[q] for q in QUADRANTS]))
    return res


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--db", default=None, help="catalog dir (default: the built-in catalog)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)

    from bot.services import Services, make_settings

    services = Services(make_settings(db=args.db))
    catalog, rec = services.catalog, services.recommender
    train = deezer_train_keys()
    sets = {"deezer (val+test)": load_pool(catalog, deezer_quadrants(), set()),
            "MoodyLyrics4Q": load_pool(catalog, ml4q_quadrants(), train)}
    all_ids = set().union(*[set(p) for p in sets.values()])
    lyrics = lyrics_by_id(all_ids)
    emb = rec.embedder
    t = time.perf_counter()
    lyric_vecs = dict(zip(lyrics, emb.encode(list(lyrics.values()))))
    baseline_s = time.perf_counter() - t

    def baseline(q, ids):
        qv = emb.encode([q])[0]
        ids = [i for i in ids if i in lyric_vecs]
        sims = np.asarray([lyric_vecs[i] @ qv for i in ids])
        return [ids[j] for j in np.argsort(-sims)]

    def moodtape(q, ids):
        req = services.parse(q)
        return [p.song_id for p in rec.recommend(req, k=10, restrict_ids=ids, max_per_artist=10).picks]

    report = {}
    for label, pool in sets.items():
        prior = {quad: sum(v == quad for v in pool.values()) / max(1, len(pool)) for quad in QUADRANTS}
        prior["mean"] = float(np.mean(list(prior.values())))
        report[label] = {"n": len(pool), "random": prior,
                         "baseline": evaluate("baseline", pool, baseline),
                         "moodtape": evaluate("moodtape", pool, moodtape)}
    if args.json:
        print(json.dumps(report, indent=1))
    else:
        print(f"precision@10 per quadrant ({sum(len(v) for v in QUERIES.values())} queries; "
              f"baseline lyric embedding took {baseline_s:.1f} s)")
        for label, r in report.items():
            print(f"\n{label}: {r['n']} labelled songs in the catalog")
            print(f"  {'':10s}" + "".join(f"{q:>8s}" for q in (*QUADRANTS, "mean")))
            for who in ("random", "baseline", "moodtape"):
                print(f"  {who:10s}" + "".join(f"{r[who][q]:8.3f}" for q in (*QUADRANTS, "mean")))
    services.close()
    return report


if __name__ == "__main__":
    main()
