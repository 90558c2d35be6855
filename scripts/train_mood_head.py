"""Train the mood head (retrieval/data/mood_head.npz) on the Deezer train split.

    python scripts/train_mood_head.py

Only songs of Deezer's *train* split that the Billboard file covers are used; the validation and
test splits stay unseen for benchmarks/quality.py. Prints held-out Spearman correlations.
"""
from __future__ import annotations

import csv
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from retrieval.embedder import get_embedder  # noqa: E402
from retrieval.features import EmotionScorer, chunk_lyrics, lyric_energy, words  # noqa: E402
from retrieval.genres import canonical_genres, energy_prior  # noqa: E402
from retrieval.ingest import clean_row  # noqa: E402
from retrieval.moodhead import HEAD_FILE, head_features  # noqa: E402
from retrieval.readers import read_rows  # noqa: E402
from retrieval.textnorm import join_key  # noqa: E402

SHARED = ROOT.parent / "shared" / "data"


def deezer_labels() -> dict[str, tuple[float, float, str]]:
    out = {}
    for split in ("train", "validation", "test"):
        with open(SHARED / "mood-labels" / "deezer" / f"{split}.csv", newline="") as fh:
            for r in csv.DictReader(fh):
                out[join_key(r["artist_name"], r["track_name"])] = (float(r["valence"]), float(r["arousal"]), split)
    return out


def labelled_features():
    labels = deezer_labels()
    mapping, rows, _ = read_rows(SHARED / "billboard" / "billboard_yearend_1950_2015_lyrics.jsonl")
    songs = {}
    for raw in rows:
        s = clean_row(raw, mapping)
        if not isinstance(s, str):
            k = join_key(s.artist, s.title)
            if k in labels and k not in songs:
                songs[k] = s
    keys = list(songs)
    emb = get_embedder()
    emo, vad = EmotionScorer().score([songs[k].lyrics for k in keys])
    X = []
    for i, k in enumerate(keys):
        s = songs[k]
        cv = emb.encode(chunk_lyrics(s.lyrics) or [s.lyrics[:1000]])
        lv = cv.mean(axis=0)
        lv /= np.linalg.norm(lv) or 1.0
        genres = canonical_genres(s.tags)
        X.append(head_features(lv, emo[i], float(vad[i]), lyric_energy(emo[i], words(s.lyrics), s.lyrics.count("!")),
                               energy_prior(s.tags, genres), genres))
    Y = np.array([labels[k][:2] for k in keys], np.float32)
    split = np.array([labels[k][2] for k in keys])
    return np.asarray(X, np.float32), Y, split


def ridge(X: np.ndarray, Y: np.ndarray, alpha: float) -> np.ndarray:
    d = X.shape[1]
    return np.linalg.solve(X.T @ X + alpha * np.eye(d), X.T @ Y)


def main() -> None:
    from scipy.stats import spearmanr

    X, Y, split = labelled_features()
    tr = split == "train"
    mean, scale = X[tr].mean(axis=0), X[tr].std(axis=0) + 1e-6
    Xs = (X - mean) / scale
    ym = Y[tr].mean(axis=0)
    # choose alpha by 5-fold CV inside the train split
    idx = np.where(tr)[0]
    rng = np.random.default_rng(0)
    rng.shuffle(idx)
    folds = np.array_split(idx, 5)
    best = None
    for alpha in (300, 1000, 3000, 10000, 30000, 100000):
        cors = []
        for f in folds:
            trn = np.setdiff1d(idx, f)
            W = ridge(Xs[trn], Y[trn] - ym, alpha)
            P = Xs[f] @ W + ym
            cors.append([spearmanr(P[:, j], Y[f, j])[0] for j in range(2)])
        c = np.mean(cors, axis=0)
        print(f"alpha {alpha}: cv spearman valence {c[0]:.3f} arousal {c[1]:.3f}")
        if best is None or c.sum() > best[1]:
            best = (alpha, c.sum())
    W = ridge(Xs[tr], Y[tr] - ym, best[0])
    ho = ~tr
    P = Xs[ho] @ W + ym
    print(f"alpha={best[0]}; held-out (validation+test, n={ho.sum()}): spearman valence "
          f"{spearmanr(P[:, 0], Y[ho, 0])[0]:.3f} arousal {spearmanr(P[:, 1], Y[ho, 1])[0]:.3f}")
    HEAD_FILE.parent.mkdir(parents=True, exist_ok=True)
    # standardise outputs so callers can blend them with other z-scored estimates
    Ptr = Xs[tr] @ W + ym
    hand = X[tr][:, 384 + 8 + 1]   # lyric energy column of head_features
    prior, has_prior = X[tr][:, 384 + 8 + 2], X[tr][:, 384 + 8 + 3] > 0
    hand_energy = np.where(has_prior, 0.4 * hand + 0.6 * prior, hand)
    np.savez(HEAD_FILE, mean=mean, scale=scale, W=W.astype(np.float32), b=ym.astype(np.float32),
             pred_mean=Ptr.mean(axis=0), pred_std=Ptr.std(axis=0) + 1e-6,
             hand_energy=np.array([hand_energy.mean(), hand_energy.std() + 1e-6]))
    print(f"wrote {HEAD_FILE} (trained on {tr.sum()} songs)")


if __name__ == "__main__":
    main()
