"""Map free-form genre tags (MusicBrainz tags, Kaggle genre columns) onto canonical genres.

Canonical names are what the request parser produces in `genres_in` / `genres_out`, and they are
the only genre strings that ever reach a LanceDB filter (a closed vocabulary, never user text).
"""
from __future__ import annotations

import re

# canonical genre -> substrings that indicate it in a tag. Order matters only for `primary_genre`.
GENRE_PATTERNS: dict[str, tuple[str, ...]] = {
    "hip hop": ("hip hop", "hip-hop", "hiphop", "rap", "trap", "g-funk", "crunk", "gangsta"),
    "metal": ("metal",),
    "punk": ("punk",),
    "rock": ("rock", "grunge", "new wave", "post-punk", "british invasion", "surf"),
    "country": ("country", "bluegrass", "honky tonk", "americana", "nashville"),
    "r&b": ("r&b", "rnb", "rhythm and blues", "new jack swing", "contemporary r&b"),
    "soul": ("soul", "motown", "doo-wop", "doo wop"),
    "funk": ("funk",),
    "disco": ("disco",),
    "electronic": ("electronic", "electro", "house", "techno", "edm", "synthpop", "synth-pop",
                   "trance", "dubstep", "eurodance"),
    "dance": ("dance",),
    "jazz": ("jazz", "swing", "big band", "bebop"),
    "blues": ("blues",),
    "folk": ("folk", "singer-songwriter", "singer/songwriter", "acoustic"),
    "reggae": ("reggae", "ska", "dancehall", "reggaeton"),
    "latin": ("latin", "salsa", "bachata", "bossa nova", "samba", "tejano", "mariachi"),
    "gospel": ("gospel", "christian", "hymn", "worship", "spiritual"),
    "classical": ("classical", "opera", "orchestral", "baroque"),
    "indie": ("indie",),
    "pop": ("pop", "teen", "boy band", "girl group", "easy listening", "adult contemporary",
            "vocal", "crooner", "schlager", "chanson", "musicals"),
}
CANONICAL_GENRES: tuple[str, ...] = tuple(GENRE_PATTERNS)

# Energy prior of a genre in [-1, 1]: listeners' arousal ratings follow genre strongly, so a
# lyric-only estimate is blended with this prior where tags exist.
GENRE_ENERGY: dict[str, float] = {
    "metal": 0.9, "punk": 0.85, "hip hop": 0.45, "electronic": 0.55, "dance": 0.65,
    "disco": 0.6, "rock": 0.45, "funk": 0.5, "reggae": 0.1, "latin": 0.35, "pop": 0.1,
    "r&b": -0.05, "soul": -0.05, "country": -0.05, "blues": -0.2, "jazz": -0.35,
    "folk": -0.5, "gospel": -0.3, "classical": -0.6, "indie": 0.0,
}
# tag words that move energy regardless of genre
_ENERGY_WORDS: dict[str, float] = {
    "hard": 0.4, "heavy": 0.5, "thrash": 0.7, "hardcore": 0.6, "party": 0.4, "club": 0.4,
    "ballad": -0.6, "soft": -0.5, "easy listening": -0.6, "lounge": -0.5, "ambient": -0.7,
    "chill": -0.5, "mellow": -0.6, "quiet storm": -0.6, "lullaby": -0.8, "acoustic": -0.4,
    "crooner": -0.4, "vocal jazz": -0.4, "adult contemporary": -0.4, "slow": -0.5,
}
_SPLIT = re.compile(r"[|;,/]")


def split_tags(raw: str | None) -> list[str]:
    if not raw:
        return []
    return [t.strip().lower() for t in _SPLIT.split(str(raw)) if t.strip()]


def canonical_genres(tags: list[str]) -> list[str]:
    """Canonical genres present in the tags, most supported first."""
    counts: dict[str, int] = {}
    for tag in tags:
        for genre, pats in GENRE_PATTERNS.items():
            if any(p in tag for p in pats):
                counts[genre] = counts.get(genre, 0) + 1
    return sorted(counts, key=lambda g: (-counts[g], CANONICAL_GENRES.index(g)))


def energy_prior(tags: list[str], genres: list[str]) -> float | None:
    """A genre/tag-based energy estimate in [-1, 1], or None when the tags say nothing."""
    values: list[float] = [GENRE_ENERGY[g] for g in genres[:3] if g in GENRE_ENERGY]
    for tag in tags:
        for word, val in _ENERGY_WORDS.items():
            if word in tag:
                values.append(val)
    if not values:
        return None
    return max(-1.0, min(1.0, sum(values) / len(values)))
