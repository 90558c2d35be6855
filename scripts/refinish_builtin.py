"""Recompute the cheap derived fields of the built-in artifact (valence/energy, mood labels,
descriptions and their vectors, calibration) from the stored features, without re-embedding
lyrics. Used after changing retrieval.ingest.mood_point; `build_builtin_catalog.py` gives the
same result from scratch.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from retrieval.builtin import CALIBRATION_FILE, SONGS_FILE, VECTORS_FILE, save_artifact  # noqa: E402
from retrieval.catalog import unpack_list  # noqa: E402
from retrieval.ingest import FeatureBuilder, mood_point_from  # noqa: E402


def main() -> None:
    meta = pq.read_table(SONGS_FILE).to_pylist()
    vec = np.load(VECTORS_FILE)
    vl = vec["vec_lyrics"].astype(np.float32)
    for i, r in enumerate(meta):
        v, e, _ = mood_point_from(unpack_list(r["tags"]), None, np.asarray(r["emotions"], np.float32),
                                  r["vader"], vl[i], energy_lyrics=r["energy_lyrics"])
        r["valence"], r["energy"], r["mood_vec"] = v, e, [v, e]
        r["vec_lyrics"] = vl[i].tolist()
    v = np.asarray([r["valence"] for r in meta])
    e = np.asarray([r["energy"] for r in meta])
    calibration = {"valence_mean": float(v.mean()), "valence_std": float(v.std()),
                   "energy_mean": float(e.mean()), "energy_std": float(e.std())}
    CALIBRATION_FILE.write_text(json.dumps(calibration, indent=1))
    FeatureBuilder(calibration=calibration).finish(meta)
    from retrieval.builtin import dequantize

    cv = dequantize(vec["chunk_q"], vec["chunk_scale"])
    chunks = [{"song_id": meta[s]["song_id"], "chunk_idx": int(ci), "vector": cv[j]}
              for j, (s, ci) in enumerate(zip(vec["chunk_song"], vec["chunk_idx"]))]
    save_artifact(meta, chunks)
    print(f"refinished {len(meta)} songs; calibration {calibration}")


if __name__ == "__main__":
    main()
