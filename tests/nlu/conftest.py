"""NLU fixtures: a vocab of the Billboard artists/titles (metadata only, never lyrics), from the
shared data beside the repository (<repo>/../shared)."""
from __future__ import annotations

from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"
BILLBOARD = SHARED / "data" / "billboard" / "billboard_yearend_1950_2015_lyrics.jsonl"


def _need_shared() -> None:
    if not BILLBOARD.exists():
        pytest.skip(f"shared data not found at {SHARED.resolve()}")


@pytest.fixture(scope="session")
def vocab():
    """Billboard 1950-2015 artists and titles plus the few the labelled set adds."""
    _need_shared()
    from benchmarks.nlu_bench import labelled_vocab
    return labelled_vocab()


@pytest.fixture(scope="session")
def big_vocab():
    """4,000 artists (Billboard topped up with Deezer mood-set artists) for latency."""
    _need_shared()
    from benchmarks.nlu_bench import latency_vocab
    return latency_vocab(4000)
