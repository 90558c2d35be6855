"""A small linear 'mood head': lyric embedding + emotion scores + genre tags -> valence, arousal.

Trained by scripts/train_mood_head.py on the Deezer *train* split only (listener-tag valence and
arousal of the Billboard songs it covers); the quality benchmark evaluates on the other splits.
Shipped as a few KB of weights; when absent, the hand-set formulas in features.py are used.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np

from retrieval.genres import CANONICAL_GENRES

HEAD_FILE = Path(__file__).parent / "data" / "mood_head.npz"


def head_features(lyrics_vec: np.ndarray, emotions: np.ndarray, vader: float, energy_lyrics: float,
                  prior: float | None, genres: list[str]) -> np.ndarray:
    g = np.zeros(len(CANONICAL_GENRES), np.float32)
    for i, name in enumerate(CANONICAL_GENRES):
        if name in genres[:3]:
            g[i] = 1.0
    extra = np.array([vader, energy_lyrics, prior or 0.0, prior is not None], np.float32)
    return np.concatenate([np.asarray(lyrics_vec, np.float32), np.asarray(emotions, np.float32), extra, g])


@lru_cache(maxsize=1)
def load_head() -> dict[str, np.ndarray] | None:
    if not HEAD_FILE.exists():
        return None
    with np.load(HEAD_FILE) as z:
        return {k: z[k] for k in z.files}


def predict(features: np.ndarray) -> np.ndarray | None:
    """(n, 2) valence/arousal predictions as z-scores over the training songs, or None."""
    head = load_head()
    if head is None:
        return None
    x = (np.atleast_2d(features) - head["mean"]) / head["scale"]
    return (x @ head["W"] + head["b"] - head["pred_mean"]) / head["pred_std"]


def hand_energy_z(energy: float) -> float:
    """The hand-made energy estimate as a z-score over the training songs (for blending)."""
    head = load_head()
    if head is None:
        return energy
    mean, std = head["hand_energy"]
    return float((energy - mean) / std)
