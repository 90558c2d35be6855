"""Song-side vocabulary: themes (by embedding prototypes + trigger words), mood labels, and the
description text whose vector matches requests (requests read like descriptions, not like lyrics).
"""
from __future__ import annotations

import threading

import numpy as np

# theme -> (prototype text for the embedding model, trigger words in lyrics)
THEMES: dict[str, tuple[str, tuple[str, ...]]] = {
    "rain": ("rain falling, storm clouds and thunder, wet streets", ("rain", "raining", "rainy", "storm", "thunder", "umbrella", "clouds")),
    "night": ("late at night under the moon and stars, midnight", ("night", "midnight", "moon", "stars", "tonight", "dark")),
    "summer": ("summer days, sunshine, beach and heat", ("summer", "sunshine", "sun", "beach", "july", "hot")),
    "winter": ("cold winter, snow and christmas", ("winter", "snow", "cold", "christmas", "december", "ice")),
    "road": ("driving down the highway on the open road", ("road", "highway", "drive", "driving", "car", "miles", "wheel")),
    "city": ("city lights, streets and downtown", ("city", "streets", "downtown", "town", "lights", "avenue")),
    "sea": ("the ocean, waves, the sea and the shore", ("sea", "ocean", "waves", "shore", "sail", "river", "water")),
    "home": ("going back home to family", ("home", "house", "mama", "family", "hometown")),
    "childhood": ("memories of childhood and growing up young", ("child", "kid", "kids", "young", "school", "grow", "little")),
    "heartbreak": ("a broken heart after a breakup, you left me", ("heartbreak", "broken", "goodbye", "leave", "left", "tears", "cry")),
    "love": ("falling in love, romance and devotion", ("love", "lover", "kiss", "heart", "darling", "honey")),
    "party": ("party all night, dancing in the club", ("party", "club", "dance", "dancing", "drink", "drinks", "floor")),
    "dancing": ("dance and move your body to the beat", ("dance", "dancing", "move", "groove", "shake", "beat")),
    "freedom": ("being free, breaking chains and running away", ("free", "freedom", "fly", "wings", "escape", "run")),
    "friendship": ("true friends who stand by each other", ("friend", "friends", "together", "buddy")),
    "money": ("money, cash and getting rich", ("money", "cash", "rich", "dollar", "dollars", "paid")),
    "faith": ("faith in god, prayer and heaven", ("god", "lord", "pray", "heaven", "jesus", "faith", "soul")),
    "loss": ("grief and losing someone who died", ("gone", "lost", "die", "died", "death", "grave", "miss")),
    "memories": ("nostalgic memories of the old days and yesterday", ("remember", "memories", "yesterday", "used", "old", "days", "back")),
    "morning": ("waking up in the morning sunrise", ("morning", "sunrise", "wake", "dawn", "coffee")),
    "loneliness": ("alone and lonely, nobody there", ("lonely", "alone", "nobody", "empty", "lonesome")),
    "hope": ("hope for a better tomorrow", ("hope", "tomorrow", "believe", "someday", "dream")),
    "war": ("war, soldiers and fighting", ("war", "soldier", "gun", "battle", "fight", "bomb")),
    "fire": ("fire and flames burning", ("fire", "flame", "flames", "burn", "burning")),
    "youth": ("being young, wild and reckless", ("young", "wild", "reckless", "teenage", "forever")),
    "sex": ("desire, seduction and sex", ("sexy", "sex", "body", "touch", "bed")),
}

# mood label -> (valence, energy), the song-side labels shown in "why" and used in descriptions
SONG_MOODS: dict[str, tuple[float, float]] = {
    "euphoric": (0.8, 0.8), "happy": (0.7, 0.4), "upbeat": (0.5, 0.7), "playful": (0.5, 0.4),
    "empowering": (0.5, 0.6), "romantic": (0.6, -0.2), "hopeful": (0.5, 0.0),
    "calm": (0.3, -0.7), "peaceful": (0.5, -0.6), "dreamy": (0.2, -0.5), "chill": (0.3, -0.4),
    "bittersweet": (0.0, -0.3), "nostalgic": (0.1, -0.3), "melancholic": (-0.4, -0.4),
    "sad": (-0.7, -0.4), "lonely": (-0.6, -0.5), "heartbroken": (-0.8, -0.1),
    "dark": (-0.5, 0.3), "anxious": (-0.4, 0.5), "angry": (-0.7, 0.7), "aggressive": (-0.5, 0.9),
    "energetic": (0.3, 0.9),
}

_PROTO_LOCK = threading.Lock()
_PROTO_CACHE: dict[int, np.ndarray] = {}


def theme_prototypes(embedder) -> np.ndarray:
    with _PROTO_LOCK:
        key = id(embedder)
        if key not in _PROTO_CACHE:
            _PROTO_CACHE[key] = embedder.encode([f"a song about {p}" for p, _ in THEMES.values()])
        return _PROTO_CACHE[key]


def detect_themes(chunk_vecs: np.ndarray, word_counts: dict[str, int], protos: np.ndarray,
                  *, limit: int = 4) -> list[str]:
    """Themes whose prototype is close to some chunk, or whose trigger words recur."""
    if len(chunk_vecs) == 0:
        return []
    sims = (chunk_vecs @ protos.T).max(axis=0)
    scored = []
    for i, (name, (_, triggers)) in enumerate(THEMES.items()):
        hits = sum(word_counts.get(t, 0) for t in triggers)
        score = float(sims[i]) + 0.04 * min(hits, 5)
        if sims[i] >= 0.42 or (hits >= 3 and sims[i] >= 0.30):
            scored.append((score, name))
    scored.sort(reverse=True)
    return [n for _, n in scored[:limit]]


def mood_labels(valence: float, energy: float, emotions: np.ndarray, themes: list[str],
                *, limit: int = 3) -> list[str]:
    """Nearest mood labels in valence/energy space, nudged by themes (memories -> nostalgic)."""
    dist = {m: (valence - v) ** 2 + (energy - e) ** 2 for m, (v, e) in SONG_MOODS.items()}
    if "memories" in themes or "childhood" in themes:
        dist["nostalgic"] -= 0.15
    if "heartbreak" in themes:
        dist["heartbroken"] -= 0.15
    if "love" in themes:
        dist["romantic"] -= 0.1
    if "loneliness" in themes:
        dist["lonely"] -= 0.1
    return sorted(dist, key=dist.get)[:limit]


def describe(*, moods: list[str], themes: list[str], keywords: list[str], genres: list[str],
             decade: int | None, emotions: np.ndarray) -> str:
    """A short description in the style of a request ('a nostalgic song about rain at night')."""
    from retrieval.features import PLUTCHIK

    top_emotions = [PLUTCHIK[i] for i in np.argsort(-emotions)[:2] if emotions[i] > 0.15]
    genre = f"{genres[0]} " if genres else ""
    parts = [f"A {', '.join(moods) or 'quiet'} {genre}song"]
    if themes:
        parts.append("about " + ", ".join(themes))
    if decade:
        parts.append(f"from the {decade}s")
    text = " ".join(parts) + "."
    if top_emotions:
        text += " Feels like " + " and ".join(top_emotions) + "."
    if keywords:
        text += " Words: " + ", ".join(keywords[:8]) + "."
    return text
