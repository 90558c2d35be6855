"""Rebuild the built-in catalog artifact (retrieval/data/) from ../shared/data/billboard.

    python scripts/build_builtin_catalog.py [--source PATH] [--batch-size 64]

Writes derived features only: vectors, emotion scores, keywords, an IDF table and metadata —
never lyric text (the lyrics are copyrighted).
"""
from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from retrieval.builtin import CALIBRATION_FILE, DATA_DIR, save_artifact  # noqa: E402
from retrieval.features import STOPWORDS, words  # noqa: E402
from retrieval.ingest import FeatureBuilder, clean_row  # noqa: E402
from retrieval.readers import read_rows  # noqa: E402

DEFAULT_SOURCE = ROOT.parent / "shared" / "data" / "billboard" / "billboard_yearend_1950_2015_lyrics.jsonl"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    ap.add_argument("--batch-size", type=int, default=64)
    ap.add_argument("--limit", type=int, default=0)
    args = ap.parse_args()
    t0 = time.perf_counter()
    mapping, rows, _ = read_rows(args.source)
    songs, skipped = {}, Counter()
    for raw in rows:
        res = clean_row(raw, mapping)
        if isinstance(res, str):
            skipped[res] += 1
            continue
        # the same song can chart in two years: keep the first (release) year
        if res.song_id not in songs:
            songs[res.song_id] = res
        else:
            skipped["repeat chart entry"] += 1
    songs = list(songs.values())[: args.limit or None]
    print(f"{len(songs)} songs, skipped {dict(skipped)}", flush=True)

    df = Counter()
    for s in songs:
        df.update(set(w for w in words(s.lyrics) if w.isalpha() and w not in STOPWORDS))
    idf_data = {"n_docs": len(songs), "df": {w: c for w, c in df.most_common(30000) if c >= 2}}
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    with gzip.open(DATA_DIR / "idf.json.gz", "wt", encoding="utf-8") as fh:
        json.dump(idf_data, fh)
    n = idf_data["n_docs"]
    idf = {w: float(np.log((1 + n) / (1 + c)) + 1) for w, c in idf_data["df"].items()}

    builder = FeatureBuilder(keep_text=False, idf=(idf, float(np.log(1 + n) + 1)),
                             calibration={"valence_mean": 0.0, "valence_std": 0.625,
                                          "energy_mean": 0.0, "energy_std": 0.625})
    all_songs, all_chunks = [], []
    for i in range(0, len(songs), args.batch_size):
        s_rows, c_rows = builder.analyse(songs[i:i + args.batch_size], batch_size=args.batch_size)
        all_songs += s_rows
        all_chunks += c_rows
        done = min(i + args.batch_size, len(songs))
        rate = done / (time.perf_counter() - t0)
        print(f"\r{done}/{len(songs)} songs  {rate:.1f} songs/s", end="", flush=True)
    print()
    # the catalog's own valence/energy spread calibrates mood labels (here and for later ingests)
    v = np.asarray([r["valence"] for r in all_songs])
    e = np.asarray([r["energy"] for r in all_songs])
    builder.calibration = {"valence_mean": float(v.mean()), "valence_std": float(v.std()),
                           "energy_mean": float(e.mean()), "energy_std": float(e.std())}
    CALIBRATION_FILE.write_text(json.dumps(builder.calibration, indent=1))
    builder.finish(all_songs, batch_size=args.batch_size)
    save_artifact(all_songs, all_chunks)
    size = sum(f.stat().st_size for f in DATA_DIR.iterdir())
    print(f"wrote {len(all_songs)} songs, {len(all_chunks)} chunks, {size / 1e6:.1f} MB "
          f"in {time.perf_counter() - t0:.0f} s")


if __name__ == "__main__":
    main()
