"""Native memory: the front ends cap glibc's malloc arenas before any worker thread allocates and
give Arrow the system allocator (bot/allocator.py). Without the cap, every search thread, LanceDB tokio thread and torch thread
could get an arena of its own (8 per core) and resident memory crept up over thousands of turns
(`python -m benchmarks.stress` prints RSS after 100 turns vs after 10,000)."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT

_PROBE = """
import json, sys, threading
import bot.cli  # what `moodtape ...` imports first
from bot.allocator import malloc_arena_count
barrier = threading.Barrier(8)
def work():
    keep = [bytearray(3000) for _ in range(200)]   # malloc from this thread while all 8 are alive
    barrier.wait()
threads = [threading.Thread(target=work) for _ in range(8)]
for t in threads: t.start()
for t in threads: t.join()
import pyarrow
print(json.dumps({"arenas": malloc_arena_count(), "arrow": pyarrow.default_memory_pool().backend_name}))
"""


def _probe(**env_extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("MALLOC_ARENA_MAX", "ARROW_DEFAULT_MEMORY_POOL")}
    env.update(env_extra, HF_HUB_OFFLINE="1", PYTHONPATH=str(ROOT))
    out = subprocess.run([sys.executable, "-c", _PROBE], cwd=ROOT, env=env, capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_front_ends_cap_malloc_arenas():
    n = _probe()["arenas"]
    if n is None:
        pytest.skip("not glibc: no malloc arenas to cap")
    from bot.allocator import ARENA_MAX

    assert n <= ARENA_MAX


def test_users_malloc_arena_max_wins():
    n = _probe(MALLOC_ARENA_MAX="3")["arenas"]
    if n is None:
        pytest.skip("not glibc: no malloc arenas to cap")
    assert n == 3


def test_front_ends_give_arrow_the_system_allocator():
    assert _probe()["arrow"] == "system"
    assert _probe(ARROW_DEFAULT_MEMORY_POOL="mimalloc")["arrow"] == "mimalloc"   # the user's choice wins
