"""Conversation benchmarks.

    python -m benchmarks.chat [--turns 60]

1. Per-turn latency p50/p95 through `moodtape chat --jsonl` (a real subprocess on the built-in
   catalog), next to the floor measured in the same run: query embedding + exact vector search.
2. A simulated user with a hidden target (songs whose listener labels say sad, from the 1980s
   or any decade) who gives 👍 to picks that fit and 👎 to the rest over 5 turns of "another 5";
   precision@5 per turn, averaged over several opening requests.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

from benchmarks.common import ROOT, deezer_quadrants, ml4q_quadrants, percentile

TEXTS = ["something nostalgic for a rainy night", "more upbeat", "only 90s", "songs for cleaning the house",
         "sadder", "different artists", "another 5", "start over", "calm songs for falling asleep",
         "no more rock", "love songs from the 60s", "more like #2"]


def bench_jsonl(turns: int) -> dict:
    env = dict(os.environ, MOODTAPE_HOME=tempfile.mkdtemp(prefix="moodtape-bench-"))
    proc = subprocess.Popen([sys.executable, "-m", "bot.cli", "chat", "--jsonl"], cwd=ROOT, env=env,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            text=True, bufsize=1)
    wall, reported = [], []
    try:
        for i in range(turns):
            line = json.dumps({"user": f"u{i % 3}", "text": TEXTS[i % len(TEXTS)]})
            t0 = time.perf_counter()
            proc.stdin.write(line + "\n")
            proc.stdin.flush()
            out = json.loads(proc.stdout.readline())
            wall.append((time.perf_counter() - t0) * 1000)
            reported.append(out["latency_ms"])
    finally:
        proc.stdin.close()
        proc.wait(timeout=60)
    # the floor, measured in this run on the same catalog
    from bot.services import Services, make_settings

    services = Services(make_settings())
    services.warm_up()
    floor, parse = [], []
    for i in range(turns):
        q = TEXTS[i % len(TEXTS)]
        t0 = time.perf_counter()
        services.parse(q)
        parse.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        qv = services.recommender.embedder.encode([q])[0]
        services.catalog.songs.search(qv.tolist(), vector_column_name="vec_desc").distance_type("cosine") \
            .limit(10).select(["song_id", "_distance"]).to_arrow()
        floor.append((time.perf_counter() - t0) * 1000)
    services.close()
    return {"turns": turns, "wall_p50_ms": percentile(wall, 50), "wall_p95_ms": percentile(wall, 95),
            "turn_p50_ms": percentile(reported, 50), "turn_p95_ms": percentile(reported, 95),
            "floor_p50_ms": percentile(floor, 50), "floor_p95_ms": percentile(floor, 95),
            "parse_p95_ms": percentile(parse, 95)}


def bench_simulated_user(rounds: int = 5) -> dict:
    from bot.engine import Engine
    from bot.services import Services, make_settings
    from retrieval.textnorm import join_key

    labels = {**ml4q_quadrants(), **deezer_quadrants(("train", "validation", "test"))}
    home = tempfile.mkdtemp(prefix="moodtape-sim-")
    os.environ["MOODTAPE_HOME"] = home
    services = Services(make_settings())
    engine = Engine(services, k=5)
    rows = services.catalog.songs.search().select(["song_id", "artist", "title", "year"]) \
        .limit(services.catalog.count() + 1).to_arrow().to_pylist()
    truth = {r["song_id"]: (labels.get(join_key(r["artist"], r["title"])), r["year"]) for r in rows}
    scenarios = [
        ("sad", None, ["songs to listen to on a gloomy day", "music for a long drive", "songs about love",
                       "something for tonight"]),
        ("sad", (1980, 1989), ["songs from the 80s", "80s love songs", "music from the eighties"]),
        ("happy", None, ["songs about the night", "something for the weekend"]),
        ("calm", None, ["songs for tonight", "music about home"]),
    ]
    per_turn = [[] for _ in range(rounds)]
    for s_i, (quad, years, openers) in enumerate(scenarios):
        for o_i, opener in enumerate(openers):
            user = f"sim-{s_i}-{o_i}"

            def fits(sid):
                q, y = truth.get(sid, (None, None))
                return q == quad and (years is None or (y and years[0] <= y <= years[1]))

            turn = engine.text(user, "bench", opener)
            for t in range(rounds):
                picks = turn.picks
                per_turn[t].append(sum(fits(p["song_id"]) for p in picks) / 5 if picks else 0.0)
                for p in picks:
                    engine.feedback(user, "bench", "up" if fits(p["song_id"]) else "down", pick=p["rank"])
                turn = engine.text(user, "bench", "another 5")
    services.close()
    return {"sessions": len(per_turn[0]), "precision_at_5_per_turn": [float(np.mean(x)) for x in per_turn]}


def main(argv=None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--turns", type=int, default=60)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    out = {"jsonl": bench_jsonl(args.turns), "simulated_user": bench_simulated_user()}
    if args.json:
        print(json.dumps(out, indent=1))
    else:
        j = out["jsonl"]
        print(f"chat --jsonl per-turn latency ({j['turns']} turns): engine p50 {j['turn_p50_ms']:.1f} ms, "
              f"p95 {j['turn_p95_ms']:.1f} ms; wall (pipe round trip) p50 {j['wall_p50_ms']:.1f} ms, "
              f"p95 {j['wall_p95_ms']:.1f} ms")
        print(f"  floor (query embedding + exact vector search): p50 {j['floor_p50_ms']:.1f} ms, "
              f"p95 {j['floor_p95_ms']:.1f} ms; NLU p95 {j['parse_p95_ms']:.2f} ms")
        s = out["simulated_user"]
        print(f"simulated user ({s['sessions']} sessions, 👍 fits / 👎 rest, 'another 5' each turn):")
        print("  precision@5 per turn: " + "  ".join(f"t{i + 1} {p:.3f}" for i, p in enumerate(s["precision_at_5_per_turn"])))
    return out


if __name__ == "__main__":
    main()
