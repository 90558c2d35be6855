"""The built-in catalog: derived features of 4k Billboard year-end hits (1950-2015), shipped in
`retrieval/data/` without any lyric text, and materialised into LanceDB on first use."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import threading
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from retrieval.catalog import FILTER_COLUMNS, Catalog
from storage.db import ensure_private_dir
from storage.errors import CatalogError

DATA_DIR = Path(__file__).parent / "data"
SONGS_FILE = DATA_DIR / "builtin_songs.parquet"
VECTORS_FILE = DATA_DIR / "builtin_vectors.npz"
CALIBRATION_FILE = DATA_DIR / "calibration.json"
_LOCK = threading.Lock()


def artifact_version() -> str:
    h = hashlib.sha1()
    for f in (SONGS_FILE, VECTORS_FILE):
        h.update(f.read_bytes() if f.exists() else b"")
    return h.hexdigest()[:12]


def load_calibration() -> dict[str, float] | None:
    try:
        return json.loads(CALIBRATION_FILE.read_text())
    except (OSError, ValueError):
        return None


def quantize(mat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    scale = np.abs(mat).max(axis=1, keepdims=True) / 127.0
    scale[scale == 0] = 1.0
    return np.round(mat / scale).astype(np.int8), scale.astype(np.float32).ravel()


def dequantize(q: np.ndarray, scale: np.ndarray) -> np.ndarray:
    m = q.astype(np.float32) * scale[:, None]
    return m / np.maximum(np.linalg.norm(m, axis=1, keepdims=True), 1e-9)


def save_artifact(song_rows: list[dict], chunk_rows: list[dict]) -> None:
    """Write the shipped artifact from catalog rows (no lyric text is written)."""
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    meta = [{k: v for k, v in r.items() if k not in ("vec_desc", "vec_lyrics")} for r in song_rows]
    pq.write_table(pa.Table.from_pylist(meta), SONGS_FILE, compression="zstd")
    index = {r["song_id"]: i for i, r in enumerate(song_rows)}
    cq, cs = quantize(np.asarray([c["vector"] for c in chunk_rows], np.float32))
    np.savez_compressed(
        VECTORS_FILE,
        vec_desc=np.asarray([r["vec_desc"] for r in song_rows], np.float16),
        vec_lyrics=np.asarray([r["vec_lyrics"] for r in song_rows], np.float16),
        chunk_q=cq, chunk_scale=cs,
        chunk_song=np.asarray([index[c["song_id"]] for c in chunk_rows], np.int32),
        chunk_idx=np.asarray([c["chunk_idx"] for c in chunk_rows], np.int32),
    )


def _materialise(target: Path) -> None:
    if not SONGS_FILE.exists() or not VECTORS_FILE.exists():
        raise CatalogError("built-in catalog artifact missing",
                           user_message="The built-in catalog is missing from this install "
                                        "(run scripts/build_builtin_catalog.py).")
    meta = pq.read_table(SONGS_FILE).to_pylist()
    vec = np.load(VECTORS_FILE)
    vd = vec["vec_desc"].astype(np.float32)
    vl = vec["vec_lyrics"].astype(np.float32)
    cv = dequantize(vec["chunk_q"], vec["chunk_scale"])
    songs = []
    for i, r in enumerate(meta):
        r = dict(r)
        r["vec_desc"] = vd[i].tolist()
        r["vec_lyrics"] = vl[i].tolist()
        songs.append(r)
    chunks = [{"song_id": meta[s]["song_id"], "chunk_idx": int(ci), "text": "",
               **{c: meta[s][c] for c in FILTER_COLUMNS}, "vector": cv[j].tolist()}
              for j, (s, ci) in enumerate(zip(vec["chunk_song"], vec["chunk_idx"]))]
    tmp = Path(tempfile.mkdtemp(prefix=".builtin-", dir=target.parent))
    try:
        cat = Catalog(tmp, dim=vd.shape[1], create=True)
        cat.upsert(songs, chunks)
        cat.ensure_indexes()
        os.replace(tmp, target)   # atomic: a half-built catalog is never seen
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def open_builtin(data_dir: Path) -> Catalog:
    """Open (materialising once, per artifact version) the built-in catalog under data_dir."""
    base = Path(data_dir) / "catalogs"
    target = base / f"builtin-{artifact_version()}"
    with _LOCK:
        if not (target / "songs.lance").exists():
            # 0700 like the rest of the data dir: this may be what creates MOODTAPE_HOME itself
            ensure_private_dir(base)
            try:
                _materialise(target)
            except OSError:
                if not (target / "songs.lance").exists():  # another process won the race
                    raise
    return Catalog(target)
