"""Learning from thumbs within a conversation: a tiny regularised logistic model over a song's
mood features (calibrated valence/energy, Plutchik emotions, genres) and its era (decade),
fitted on the songs the person rated in this thread and used to re-rank the next candidates. Cheap (a few dozen
examples, ~30 features) and per person, so one user's taste never touches another's."""
from __future__ import annotations

import numpy as np

from retrieval.catalog import unpack_list
from retrieval.genres import CANONICAL_GENRES

MIN_EXAMPLES = 3
DECADES = tuple(range(1950, 2030, 10))   # one feature per decade: taste in eras is not monotonic


def song_features(rows: list[dict], nv: np.ndarray, ne: np.ndarray) -> np.ndarray:
    emo = np.asarray([r.get("emotions") or [0.0] * 8 for r in rows], np.float32)
    genres = np.zeros((len(rows), len(CANONICAL_GENRES)), np.float32)
    for i, r in enumerate(rows):
        for g in unpack_list(r.get("genres"))[:3]:
            if g in CANONICAL_GENRES:
                genres[i, CANONICAL_GENRES.index(g)] = 1.0
    era = np.zeros((len(rows), len(DECADES)), np.float32)
    for i, r in enumerate(rows):
        year = r.get("year") or 0
        if year:
            d = min(max(int(year) // 10 * 10, DECADES[0]), DECADES[-1])
            era[i, DECADES.index(d)] = 1.0
    return np.concatenate([np.stack([nv, ne, nv * ne], axis=1), 2.0 * emo, 0.5 * genres, 1.5 * era], axis=1)


def fit_preference(pos: np.ndarray, neg: np.ndarray, *, l2: float = 1.0, steps: int = 60) -> np.ndarray | None:
    """Weights (d + 1,) of a logistic model liked-vs-disliked, or None without both kinds."""
    if len(pos) == 0 or len(neg) == 0 or len(pos) + len(neg) < MIN_EXAMPLES:
        return None
    X = np.concatenate([pos, neg]).astype(np.float64)
    X = np.concatenate([X, np.ones((len(X), 1))], axis=1)
    y = np.concatenate([np.ones(len(pos)), np.zeros(len(neg))])
    # balance the classes: four 👎 and one 👍 should not just learn "everything is bad"
    sw = np.where(y == 1, len(y) / (2 * len(pos)), len(y) / (2 * len(neg)))
    w = np.zeros(X.shape[1])
    for _ in range(steps):  # Newton steps on the L2-regularised log loss
        p = 1 / (1 + np.exp(-X @ w))
        g = X.T @ (sw * (p - y)) + l2 * np.r_[w[:-1], 0]
        H = (X * (sw * p * (1 - p))[:, None]).T @ X + l2 * np.eye(len(w))
        w -= np.linalg.solve(H, g)
    return w


def preference_scores(w: np.ndarray, feats: np.ndarray) -> np.ndarray:
    """In [-1, 1]: +1 looks like what was liked, -1 like what was disliked."""
    z = np.concatenate([feats, np.ones((len(feats), 1))], axis=1) @ w
    return 2.0 / (1.0 + np.exp(-z)) - 1.0
