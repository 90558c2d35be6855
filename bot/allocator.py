"""Native memory: cap glibc malloc's per-thread arenas and give Arrow the system allocator, once,
before any worker thread exists or pyarrow allocates.

Why: searches run on a thread pool (`retrieval.search._SEARCH_POOL`), LanceDB adds its own tokio
threads and torch its intra-op threads. glibc gives a thread that allocates while the others hold
the lock an arena of its own, up to 8 per core (16 on a 2-core machine), and each arena keeps the
free space at its top (tens of MB) resident: `malloc_trim` only trims the main heap's top, never a
thread arena's. With every search going through LanceDB, `python -m benchmarks.stress` measured
+98 MB in use between turn 100 and turn 10,000 (16 arenas, almost all free space). With the cap,
2 arenas, ~250 MB less resident, and +7-8 MB from turn 100 to 10,000 (+2.5 MB from turn 1,000).
Search latency with 2 arenas was the same as with 16 (600 searches: p50 24-25 ms, p95 56-59 ms
either way); fixed mmap/trim thresholds (the other usual fix) made every search fault in fresh
pages (p95 +40-100 %), and a single arena cost +40 % p95.

pyarrow's default pool is mimalloc, which keeps its own 1 GiB reservation and the pages it freed
(`malloc_trim` cannot touch them): after materialising the built-in catalog it held ~150 MB
resident, and it grew a little with every search. The system pool puts Arrow buffers in the same
(capped, trimmable) malloc heaps; search latency was the same with either pool.

`MALLOC_ARENA_MAX` / `ARROW_DEFAULT_MEMORY_POOL` in the environment win (we then leave that one
alone); the arena cap is only applied on Linux glibc.
"""
from __future__ import annotations

import ctypes
import os
import sys

ARENA_MAX = 2
_M_ARENA_MAX = -8          # from glibc's malloc.h
_applied: int | None = None


def _glibc():
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(None)
        libc.gnu_get_libc_version        # glibc only (musl has no arenas to cap)
        libc.mallopt
    except (OSError, AttributeError):
        return None
    return libc


def limit_malloc_arenas(n: int = ARENA_MAX) -> int | None:
    """Cap glibc's malloc arenas at `n` for this process; returns the cap in force, or None when
    it was left alone (not glibc, or MALLOC_ARENA_MAX set by the user). Idempotent.

    glibc fixes the arena limit the first time a thread needs a new arena, so this has to run
    before the first worker thread allocates: front ends get it from importing `bot`."""
    global _applied
    if _applied is not None:
        return _applied
    if os.environ.get("MALLOC_ARENA_MAX"):
        return None
    libc = _glibc()
    if libc is None:
        return None
    if libc.mallopt(_M_ARENA_MAX, int(n)) == 1:
        _applied = int(n)
    return _applied


def use_system_arrow_pool() -> bool:
    """Make the system allocator pyarrow's default pool (unless ARROW_DEFAULT_MEMORY_POOL is set).
    Before pyarrow is imported this only sets the variable pyarrow reads; after, it also switches
    the pool in place (buffers already made keep the pool they came from)."""
    if os.environ.get("ARROW_DEFAULT_MEMORY_POOL", "system") != "system":
        return False
    os.environ["ARROW_DEFAULT_MEMORY_POOL"] = "system"
    pa = sys.modules.get("pyarrow")
    if pa is not None:
        try:
            pa.set_memory_pool(pa.system_memory_pool())
        except Exception:  # noqa: BLE001 - a tuning step must never stop the program
            return False
    return True


def tune_native_memory() -> None:
    """What every front end runs first (from `bot/__init__.py`)."""
    limit_malloc_arenas()
    use_system_arrow_pool()


def malloc_arena_count() -> int | None:
    """How many malloc arenas (heaps) this process has, from glibc's malloc_info; None if unknown."""
    libc = _glibc()
    if libc is None:
        return None
    import re
    import tempfile

    try:
        libc.fopen.restype = ctypes.c_void_p
        libc.fopen.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
        libc.fclose.argtypes = [ctypes.c_void_p]
        libc.malloc_info.argtypes = [ctypes.c_int, ctypes.c_void_p]
        with tempfile.NamedTemporaryFile(suffix=".xml") as tmp:
            fp = libc.fopen(tmp.name.encode(), b"w")
            if not fp:
                return None
            try:
                libc.malloc_info(0, fp)
            finally:
                libc.fclose(fp)
            text = open(tmp.name, encoding="utf-8", errors="replace").read()
    except (OSError, AttributeError):
        return None
    return len(re.findall(r'<heap nr="\d+"', text)) or None
