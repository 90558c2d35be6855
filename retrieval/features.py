"""Derived features of a song's lyrics: chunks, emotions, valence/energy, keywords, themes.

Nothing here keeps lyric text: every output is a score, a short word list or a vector, so the
built-in catalog can ship these features without the copyrighted lyrics.
"""
from __future__ import annotations

import math
import re
import threading
import unicodedata
import warnings
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

PLUTCHIK = ("joy", "trust", "fear", "surprise", "sadness", "disgust", "anger", "anticipation")

_WORD = re.compile(r"[a-zA-ZÀ-ÿ']+")
STOPWORDS = frozenset("""
a about above after again against ain't all am an and any are aren't as at be because been before
being below between both but by can can't cannot could couldn't did didn't do does doesn't doing
don't down during each few for from further get got gonna gotta had hadn't has hasn't have haven't
having he he'd he'll he's her here here's hers herself him himself his how how's i i'd i'll i'm
i've if in into is isn't it it's its itself just let's like me more most mustn't my myself no nor
not now of off oh on once only or other ought our ours ourselves out over own same say said shan't
she she'd she'll she's should shouldn't so some such than that that's the their theirs them
themselves then there there's these they they'd they'll they're they've this those through to too
under until up very was wasn't we we'd we'll we're we've were weren't what what's when when's where
where's which while who who's whom why why's will with won't would wouldn't yeah yes you you'd
you'll you're you've your yours yourself yourselves ooh ohh ah uh la na da hey baby whoa wanna
ya yo cause 'cause em 'em ll ve re don wouldn gon till chorus verse repeat x2 x3 instrumental
got get go goes going gone come came comes coming know knew make made take took way oo ooo mmm
one two also every really still ever even back well right around away tell see let thing things
""".split())


def normalize_text(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "")
    return "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch)[0] != "C")


def words(text: str) -> list[str]:
    return [w.strip("'").lower() for w in _WORD.findall(text) if w.strip("'")]


def chunk_lyrics(lyrics: str, *, min_words: int = 30, max_words: int = 150,
                 max_chunks: int = 16) -> list[str]:
    """Stanza-aware chunks sized for MiniLM (~256 word pieces); repeated stanzas kept once."""
    text = normalize_text(lyrics).replace("\r\n", "\n").replace("\r", "\n")
    stanzas = [s.strip() for s in re.split(r"\n\s*\n", text) if s.strip()]
    if len(stanzas) <= 1:  # no blank lines: cut every 8 lines
        lines = [ln for ln in text.split("\n") if ln.strip()]
        stanzas = ["\n".join(lines[i:i + 8]) for i in range(0, len(lines), 8)]
    seen: set[str] = set()
    unique: list[str] = []
    for s in stanzas:
        key = " ".join(words(s))
        if key and key not in seen:
            seen.add(key)
            unique.append(s)
    chunks: list[str] = []
    buf: list[str] = []
    for s in unique:
        ws = s.split()
        while len(ws) > max_words:
            chunks.append(" ".join(ws[:max_words]))
            ws = ws[max_words:]
        buf.append(" ".join(ws))
        if sum(len(b.split()) for b in buf) >= min_words:
            chunks.append("\n".join(buf))
            buf = []
    if buf:
        if chunks and sum(len(b.split()) for b in buf) < min_words // 2:
            chunks[-1] = chunks[-1] + "\n" + "\n".join(buf)
        else:
            chunks.append("\n".join(buf))
    if len(chunks) > max_chunks:  # keep an even spread over the song
        idx = np.linspace(0, len(chunks) - 1, max_chunks).round().astype(int)
        chunks = [chunks[i] for i in sorted(set(idx))]
    return chunks


class EmotionScorer:
    """nade's 8 Plutchik emotions + VADER valence, loaded lazily and once."""

    def __init__(self) -> None:
        self._nade = None
        self._vader = None
        self._lock = threading.Lock()

    def _load(self):
        with self._lock:
            if self._nade is None:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")  # nade warns while unpacking its models
                    from nade import Nade
                    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
                    self._nade = Nade()
                    self._vader = SentimentIntensityAnalyzer()
        return self._nade, self._vader

    def score(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """(n, 8) Plutchik scores in PLUTCHIK order, (n,) VADER compound in [-1, 1]."""
        nade, vader = self._load()
        if not texts:
            return np.zeros((0, 8), np.float32), np.zeros(0, np.float32)
        flat = [" ".join(t.split())[:5000] for t in texts]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = nade.predict(flat)
        emo = np.stack([np.asarray(res[e].to_pylist() if hasattr(res[e], "to_pylist") else res[e],
                                   dtype=np.float32) for e in PLUTCHIK], axis=1)
        val = np.array([vader.polarity_scores(t[:5000])["compound"] for t in texts], np.float32)
        return emo, val


_ENERGY_LEXICON = {
    "dance": 1, "party": 1, "jump": 1, "fire": 1, "fight": 1, "run": 0.5, "shout": 1, "scream": 1,
    "wild": 1, "rock": 0.5, "move": 0.5, "shake": 1, "hot": 0.5, "loud": 1, "crazy": 0.7,
    "kill": 1, "gun": 1, "bang": 1, "beat": 0.5, "club": 1, "burn": 0.7, "rage": 1, "hell": 0.6,
    "sleep": -1, "dream": -0.7, "slow": -1, "quiet": -1, "soft": -0.8, "gentle": -1, "tears": -0.5,
    "lonely": -0.7, "alone": -0.5, "moon": -0.4, "lullaby": -1, "rest": -0.6, "calm": -1,
    "peace": -0.7, "whisper": -1, "tender": -0.8, "cry": -0.4, "pray": -0.5,
}


def lyric_valence(emo: np.ndarray, vader: float) -> float:
    """Valence estimate in [-1, 1] from Plutchik scores (PLUTCHIK order) and VADER."""
    joy, trust, fear, surprise, sad, disgust, anger, antic = emo
    nade_v = (joy + 0.5 * trust + 0.3 * antic) - (sad + anger + 0.7 * fear + 0.7 * disgust)
    return float(np.clip(0.55 * math.tanh(2.0 * nade_v) + 0.45 * vader, -1, 1))


def lyric_energy(emo: np.ndarray, text_words: list[str], exclaims: int) -> float:
    """Arousal estimate in [-1, 1] from emotions and energetic / calm vocabulary."""
    joy, trust, fear, surprise, sad, disgust, anger, antic = emo
    nade_e = (anger + 0.6 * fear + 0.5 * surprise + 0.4 * antic + 0.3 * joy + 0.4 * disgust) \
        - (0.8 * sad + 0.5 * trust)
    n = max(1, len(text_words))
    lex = sum(_ENERGY_LEXICON.get(w, 0.0) for w in text_words) / math.sqrt(n)
    rep = 1.0 - len(set(text_words)) / n   # repetitive, chant-like lyrics read as energetic
    return float(np.clip(0.45 * math.tanh(2.0 * nade_e) + 0.3 * math.tanh(lex)
                         + 0.25 * (2 * rep - 1) + 0.05 * min(exclaims, 10) / 10, -1, 1))


_VOCABLE = re.compile(r"(.)\1\1|^[aeiouy]+$|^[^aeiouy]+$|"
                      r"^(?:na|la|da|oh|ah|yeah|whoa|ooh|oo|doo|dum|sha|bop|woo|hey|ba|di|do|wop|uh|mm)+$")


def is_vocable(word: str) -> bool:
    """'oooooo', 'nanana', 'shh', 'doowop' carry no meaning for a 'why'."""
    return bool(_VOCABLE.search(word))


def top_keywords(counts: Counter, idf: dict[str, float], default_idf: float, k: int = 12) -> list[str]:
    scored = []
    for w, c in counts.items():
        if len(w) < 3 or w in STOPWORDS or not w.isalpha() or is_vocable(w):
            continue
        scored.append(((1 + math.log(c)) * idf.get(w, default_idf), w))
    scored.sort(reverse=True)
    return [w for _, w in scored[:k]]


@dataclass
class SongFeatures:
    chunks: list[str]
    chunk_vecs: np.ndarray                  # (n_chunks, dim)
    lyrics_vec: np.ndarray                  # (dim,)  mean of chunk vectors, re-normalised
    emotions: np.ndarray                    # (8,)
    vader: float
    valence: float
    energy: float
    energy_lyrics: float
    keywords: list[str]
    themes: list[str]
    moods: list[str]
    word_count: int
    description: str = ""
    desc_vec: np.ndarray | None = field(default=None, repr=False)
