"""Stress: thousands of generated inputs through one Engine on the built-in catalog.

    python -m benchmarks.stress [--inputs 10000] [--users 500] [--seed 7] [--concurrent-users 100] [--lancedb-only]

A seeded mix of searches and refinements (~17%: they cost ~50-150 ms each on a laptop CPU),
feedback, playlist operations, pick look-ups and junk (malformed events, broken JSON lines, SQL
fragments, control characters, huge strings) from many users, so sessions are numerous. Prints:
crashes (an exception out of the engine, a catch-all "went wrong" reply or an ERROR log: must be
0), the slowest turn and its input, p50/p95 turn latency, RSS after 100 turns vs after all of them,
and p95 turn latency with 100 users at once (threads). Exit code 1 when there was a crash.
Needs no shared data: only the built-in catalog.
"""
from __future__ import annotations

import argparse
import gc
import io
import json
import logging
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("LANCE_LOG", "error")

SEARCHES = ["something nostalgic for a rainy night", "songs for cleaning the house", "sad songs from the 80s, no rap",
            "happy songs about summer", "calm songs for falling asleep", "love songs from the 60s",
            "angry songs", "songs about the sea", "party songs", "songs about trains", "heartbreak ballads",
            "songs like Adele but happier", "something for a road trip", "songs about the moon", "upbeat 90s pop",
            "songs about friendship", "lonely songs about loss", "songs about dancing", "songs about money",
            "songs about home"]
REFINES = ["more upbeat", "sadder", "calmer", "older", "newer", "only 90s", "nothing before 1990", "no rap",
           "different artists", "another 5", "more like #2", "start over", "no more Drake",
           "something like the first one but happier"]
JUNK_TEXT = ["x' OR '1'='1", "'; DROP TABLE playlists; --", "%", "_", "../../etc/passwd", "\x00\x00", "a\x00b",
             "\x1b[31m", "🎧" * 50, "null", "{}", "[]", "\\", "\ud800", "+0", "-99999", "#0", "#999999", "/help"]
NAMES = ["rainy days", "gym", "%", "_", "x' OR '1'='1", "../../etc/x", "/abs", "..", "a\x00b", "Ä", "ä",
         "road trip", "sleep", "'; DROP TABLE playlists; --", "x" * 150, ""]
BROKEN_LINES = ["{", "{not json", '{"user": "a", "text": }', "[1, 2, 3]", "null", "1" * 5000, '"\\ud800"',
                '{"user": "a", "pick": ' + "9" * 5000 + "}", "[" * 3000 + "]" * 3000, "\x00", '{"text": "no user"}',
                '{"user": "a", "playlist": {"op": "\\ud800"}}', '{"user": "a", "feedback": ["up"]}']
MIX = {"search": 0.17, "feedback": 0.25, "playlist": 0.28, "pick": 0.05, "junk": 0.25}


def _status_mb(field: str) -> float:
    """A memory line of /proc/self/status (kB there), in MB."""
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return float("nan")


def rss_mb() -> float:
    return _status_mb("VmRSS")


def anon_rss_mb() -> float:
    """The anonymous part of RSS (heaps, arenas, Python objects): RSS without file-backed pages
    such as the memory-mapped model weights and shared libraries' code, touched for the first time
    by a new code path."""
    return _status_mb("RssAnon")


def trimmed_rss_mb() -> float:
    """RSS after gc and glibc's malloc_trim(0): memory still in use, not freed memory the allocator
    kept for reuse (torch and Lance free a lot of short-lived native buffers per search)."""
    gc.collect()
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):   # not glibc: plain RSS
        pass
    return rss_mb()


def percentile(values, q) -> float:
    s = sorted(values)
    if not s:
        return float("nan")
    return s[min(len(s) - 1, int(round(q / 100 * (len(s) - 1))))]


def generate(n: int, users: int, seed: int) -> list[tuple[str, object]]:
    """(category, input): input is an event dict for Engine.handle, or a raw line (str) for run_jsonl."""
    rng = random.Random(seed)
    cats, weights = zip(*MIX.items())
    out: list[tuple[str, object]] = []
    searched: list[tuple[str, str]] = []      # (user, channel) that have picks on screen
    for _ in range(n):
        cat = rng.choices(cats, weights)[0]
        if cat != "search" and searched and rng.random() < 0.85:
            user, chan = rng.choice(searched)   # mostly people who asked for songs first
        else:
            user, chan = f"u{rng.randrange(users)}", rng.choice(["c1", "c2"])
        if cat == "search":
            searched.append((user, chan))
        base = {"user": user, "channel": chan}
        if cat == "search":
            text = rng.choice(SEARCHES) if rng.random() < 0.55 else rng.choice(REFINES)
            out.append((cat, {**base, "text": text}))
        elif cat == "feedback":
            r = rng.random()
            if r < 0.6:
                out.append((cat, {**base, "feedback": rng.choice(["up", "down", "👍", "👎", "+", "-"]),
                                  "pick": rng.randint(1, 5)}))
            elif r < 0.85:
                out.append((cat, {**base, "text": f"{rng.choice(['+', '-', '👍 ', '👎 '])}{rng.randint(1, 6)}"}))
            else:
                out.append((cat, {**base, "feedback": rng.choice(["up", "down", "sideways", None, 0, ["up"]]),
                                  "pick": rng.choice([0, -1, 10 ** 12, "2", "#3", 2.5, None, "x", [1]])}))
        elif cat == "playlist":
            name = rng.choice(NAMES)
            op = rng.choices(["create", "add", "add_all", "remove", "show", "list", "rename", "delete", "export"],
                             [15, 30, 8, 8, 12, 10, 5, 7, 5])[0]
            if op == "add":
                pl = {"op": "add", "name": name, "pick": rng.randint(1, 6)}
            elif op == "add_all":
                pl = {"op": "add", "name": name, "all": True}
            elif op == "remove":
                pl = {"op": "remove", "name": name, "pick": rng.randint(0, 8)}
            elif op == "rename":
                pl = {"op": "rename", "name": name, "new_name": rng.choice(NAMES)}
            elif op == "export":
                pl = {"op": "export", "name": name, "format": rng.choice(["m3u8", "xspf", "json", "csv", "exe"])}
            else:
                pl = {"op": op, "name": name}
            if rng.random() < 0.3:   # the same operation typed in the chat
                text = {"create": f"create playlist {name}", "add": f"add #{pl.get('pick', 1)} to {name}",
                        "add_all": f"add all to {name}", "show": f"show playlist {name}", "list": "my playlists",
                        "delete": f"delete playlist {name}"}.get(op)
                if text and name:
                    out.append((cat, {**base, "text": text}))
                    continue
            out.append((cat, {**base, "playlist": pl}))
        elif cat == "pick":
            out.append((cat, {**base, "text": f"#{rng.choice([1, 2, 3, 4, 5, 0, 9, 123456])}"}))
        else:
            r = rng.random()
            if r < 0.35:
                out.append((cat, rng.choice(BROKEN_LINES)))
            elif r < 0.55:
                out.append((cat, {**base, "playlist": rng.choice([None, "create", {"op": None}, {"op": "nope"},
                                                                  {"op": "show", "name": "\x00" * 200},
                                                                  {"op": "add", "name": "n", "song_id": "x' OR '1'='1"}])}))
            elif r < 0.7:
                out.append((cat, {**base, "feedback": "down", "song_id": rng.choice(["%", "x' OR '1'='1", "../x", ""])}))
            elif r < 0.8:
                out.append((cat, {"user": rng.choice(["", None, 5, "\x00", "x" * 500]), "text": "hi"}))
            else:   # junk text: some of it is parsed and searched, like any text
                out.append((cat, {**base, "text": rng.choice(JUNK_TEXT)}))
    return out


class _ErrorCounter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def run_serial(engine, inputs, *, progress_every: int = 1000) -> dict:
    from bot.engine.core import OOPS
    from bot.terminal import run_jsonl

    errors = _ErrorCounter()
    logging.getLogger().addHandler(errors)
    latencies: list[float] = []
    crashes: list[str] = []
    searched = 0
    slowest = (0.0, "")
    rss_at: dict[int, float] = {}
    start = time.perf_counter()
    for i, (cat, item) in enumerate(inputs, 1):
        t0 = time.perf_counter()
        try:
            if isinstance(item, str):
                out = io.StringIO()
                run_jsonl(engine, io.StringIO(item + "\n"), out)
                lines = out.getvalue().splitlines()
                if len(lines) != (1 if item.strip() else 0):
                    crashes.append(f"{len(lines)} output lines for {item[:60]!r}")
                reply = lines[0] if lines else ""
            else:
                turn = engine.handle(item)
                reply = turn.reply
                searched += bool(turn.kind == "text" and turn.picks)
                if not reply.strip():
                    crashes.append(f"empty reply for {item!r:.80}")
            if OOPS in reply or "Traceback" in reply:
                crashes.append(f"{reply[:80]} <- {str(item)[:80]}")
        except Exception as exc:  # noqa: BLE001 - the point is to count them
            crashes.append(f"{type(exc).__name__}: {exc} <- {str(item)[:80]}")
        ms = (time.perf_counter() - t0) * 1000
        latencies.append(ms)
        if ms > slowest[0]:
            slowest = (ms, json.dumps(item, ensure_ascii=False) if not isinstance(item, str) else item)
        if i in (100, 1000, 2500, 5000, 7500):
            gc.collect()
            rss_at[i] = (rss_mb(), trimmed_rss_mb(), anon_rss_mb())
        if progress_every and i % progress_every == 0:
            print(f"  … {i} inputs, {time.perf_counter() - start:.0f} s, RSS {rss_mb():.0f} MB", file=sys.stderr)
    gc.collect()
    logging.getLogger().removeHandler(errors)
    crashes += [f"ERROR log: {r.getMessage()[:120]}" for r in errors.records]
    return {"latencies": latencies, "crashes": crashes, "slowest": slowest, "searched": searched,
            "rss_at": rss_at, "rss_end": (rss_mb(), trimmed_rss_mb(), anon_rss_mb()),
            "seconds": time.perf_counter() - start}


def run_concurrent(engine, n_users: int) -> dict:
    """n_users at once (threads): search, feedback, playlist writes; checks nothing crosses."""
    barrier = threading.Barrier(n_users)
    topics = SEARCHES

    def one(i: int) -> tuple[list[float], bool]:
        user, chan, lat = f"crowd{i}", "crowd", []

        def timed(fn, *a, **k):
            t = time.perf_counter()
            turn = fn(*a, **k)
            lat.append((time.perf_counter() - t) * 1000)
            return turn

        barrier.wait(timeout=300)
        s = timed(engine.text, user, chan, topics[i % len(topics)])
        timed(engine.feedback, user, chan, "down", pick=1)
        timed(engine.playlist, user, chan, {"op": "add", "name": "mine", "pick": 2})
        timed(engine.playlist, user, chan, {"op": "show", "name": "mine"})
        ok = (len(s.picks) > 1
              and [it.song_id for it in engine.playlists.show(user, "mine").items] == [s.picks[1]["song_id"]]
              and engine.feedback_store.for_user(user).disliked == {s.picks[0]["song_id"]})
        return lat, ok

    t0 = time.perf_counter()
    with ThreadPoolExecutor(max_workers=n_users) as pool:
        results = list(pool.map(one, range(n_users)))
    lat = [x for r, _ in results for x in r]
    return {"p50": percentile(lat, 50), "p95": percentile(lat, 95), "search_p95": percentile([r[0] for r, _ in results], 95),
            "crossed": sum(1 for _, ok in results if not ok), "seconds": time.perf_counter() - t0, "turns": len(lat)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--inputs", type=int, default=10_000)
    ap.add_argument("--users", type=int, default=500, help="distinct users (sessions are per user and channel)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--concurrent-users", type=int, default=100, help="0 skips the at-once phase")
    ap.add_argument("--lancedb-only", action="store_true",
                    help="search through LanceDB as for catalogs over 20k songs (no in-memory index)")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)

    from bot.engine import Engine
    from bot.services import Services
    from storage.settings import Settings

    if args.lancedb_only:
        import retrieval.catalog

        retrieval.catalog.HOT_CHUNKS = -1
        print("search path: LanceDB only (as for catalogs over 20k songs / 50k chunks)")
    home = Path(tempfile.mkdtemp(prefix="moodtape-stress-"))
    services = Services(Settings(data_dir=home))
    t0 = time.perf_counter()
    services.warm_up()
    engine = Engine(services, k=5)
    print(f"warm-up (model + built-in catalog): {time.perf_counter() - t0:.1f} s; data dir {home}")

    inputs = generate(args.inputs, args.users, args.seed)
    mix = Counter(cat for cat, _ in inputs)
    print(f"inputs: {len(inputs)} from {args.users} users x 2 channels; mix: "
          + ", ".join(f"{c} {mix[c]} ({100 * mix[c] / len(inputs):.0f}%)" for c in MIX))
    res = run_serial(engine, inputs)
    lat = res["latencies"]
    with services.db.read() as conn:
        n_sessions = conn.execute("SELECT COUNT(*) FROM sessions").fetchone()[0]
        n_playlists = conn.execute("SELECT COUNT(*) FROM playlists").fetchone()[0]
        n_feedback = conn.execute("SELECT COUNT(*) FROM feedback").fetchone()[0]
    ms, what = res["slowest"]
    print(f"ran {len(lat)} inputs in {res['seconds']:.0f} s ({res['searched']} turns searched and answered with picks); "
          f"stored: {n_sessions} sessions, {n_playlists} playlists, {n_feedback} votes")
    print(f"crashes: {len(res['crashes'])}")
    for c in res["crashes"][:10]:
        print(f"  {c}")
    print(f"slowest turn: {ms:.0f} ms  <- {what[:100]!r}")
    print(f"turn latency: p50 {percentile(lat, 50):.1f} ms, p95 {percentile(lat, 95):.1f} ms, "
          f"mean {statistics.fmean(lat):.1f} ms")
    at = {**res["rss_at"], len(lat): res["rss_end"]}
    print("RSS (raw / after malloc_trim) after " + "; ".join(f"{i:,} turns {m[0]:.1f} / {m[1]:.1f} MB"
                                                            for i, m in at.items()))
    end = res["rss_end"]
    for base in (100, 1000):
        if base in at and base < len(lat):
            print(f"RSS delta {base:,} -> {len(lat):,} turns: raw {end[0] - at[base][0]:+.1f} MB, "
                  f"in use (after malloc_trim) {end[1] - at[base][1]:+.1f} MB, "
                  f"anonymous memory (heaps, not mapped files) {end[2] - at[base][2]:+.1f} MB")
    import pyarrow

    from bot.allocator import ARENA_MAX, malloc_arena_count

    print(f"native memory: {malloc_arena_count() or 'unknown'} malloc arenas (cap "
          f"{os.environ.get('MALLOC_ARENA_MAX') or ARENA_MAX}), Arrow pool "
          f"{pyarrow.default_memory_pool().backend_name} (bot/allocator.py)")
    print(f"engine session locks held after the run: {len(engine._locks)}")
    if args.concurrent_users:
        c = run_concurrent(engine, args.concurrent_users)
        print(f"{args.concurrent_users} users at once: {c['turns']} turns in {c['seconds']:.1f} s; turn latency "
              f"p50 {c['p50']:.0f} ms, p95 {c['p95']:.0f} ms (search turns p95 {c['search_p95']:.0f} ms); "
              f"users whose state crossed: {c['crossed']}")
        if c["crossed"]:
            res["crashes"].append("state crossed between users")
    services.close()
    return 1 if res["crashes"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
