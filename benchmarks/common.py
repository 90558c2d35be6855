"""Helpers shared by the benchmarks: labelled Billboard songs and the shared data paths."""
from __future__ import annotations

import csv
import os
import resource
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("LANCE_LOG", "error")

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("MOODTAPE_SHARED", ROOT.parent / "shared"))
BILLBOARD = SHARED / "data" / "billboard" / "billboard_yearend_1950_2015_lyrics.jsonl"
MOOD = SHARED / "data" / "mood-labels"

QUADRANTS = ("happy", "angry", "sad", "calm")
QUERIES = {
    "happy": ["happy upbeat songs", "feel-good songs that make me smile", "joyful energetic party music",
              "cheerful songs for a sunny day"],
    "angry": ["angry aggressive songs", "intense furious music", "songs full of rage and frustration",
              "dark intense songs to vent"],
    "sad": ["sad songs", "heartbreaking melancholic songs", "songs to cry to", "lonely songs about loss"],
    "calm": ["calm relaxing songs", "peaceful chill music", "soothing mellow songs for falling asleep",
             "gentle quiet songs for a lazy sunday"],
}


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def percentile(values, q):
    import numpy as np

    return float(np.percentile(values, q)) if len(values) else float("nan")


def deezer_quadrants(splits=("validation", "test")) -> dict[str, str]:
    """join key -> quadrant, from Deezer valence/arousal signs (held-out splits by default:
    the mood head is trained on the train split)."""
    from retrieval.textnorm import join_key

    out = {}
    for split in splits:
        with open(MOOD / "deezer" / f"{split}.csv", newline="") as fh:
            for r in csv.DictReader(fh):
                v, a = float(r["valence"]), float(r["arousal"])
                q = ("happy" if a > 0 else "calm") if v > 0 else ("angry" if a > 0 else "sad")
                out[join_key(r["artist_name"], r["track_name"])] = q
    return out


def deezer_train_keys() -> set[str]:
    return set(deezer_quadrants(("train",)))


def ml4q_quadrants() -> dict[str, str]:
    from retrieval.textnorm import join_key

    mapping = {"happy": "happy", "angry": "angry", "sad": "sad", "relaxed": "calm"}
    out = {}
    with open(MOOD / "MoodyLyrics4Q.csv", newline="", encoding="utf-8", errors="replace") as fh:
        for r in csv.DictReader(fh):
            out[join_key(r["Artist"], str(r["Title"]))] = mapping[r["Mood"].strip().lower()]
    return out
