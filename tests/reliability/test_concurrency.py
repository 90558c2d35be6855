"""Concurrency: 100 users through one Engine at once (threads), nothing crosses between them, and
the p95 turn latency under that load is printed; two `chat --jsonl` processes on one data
directory either work or refuse with a clear message, never corrupt it."""
from __future__ import annotations

import json
import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from tests.reliability.conftest import ChatProcess, integrity_ok, sqlite_rows

TOPICS = ["rain", "summer", "the sea", "a broken heart", "dancing", "trains", "the city at night", "home",
          "friendship", "winter", "a road trip", "the moon", "fire", "dreams", "money", "freedom", "war",
          "a wedding", "childhood", "flowers"]
USERS = 100
BUSY = "Saved data is busy right now — please try again in a moment."


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) >= 2 else (values or [0.0])[0]


def run_user(engine, i: int, barrier: threading.Barrier) -> dict:
    user, chan = f"member{i:03d}", f"chan{i % 3}"
    lat: list[float] = []

    def timed(fn, *a, **k):
        t = time.perf_counter()
        turn = fn(*a, **k)
        lat.append((time.perf_counter() - t) * 1000)
        return turn

    barrier.wait(timeout=120)
    search = timed(engine.text, user, chan, f"songs about {TOPICS[i % len(TOPICS)]}")
    down = timed(engine.feedback, user, chan, "down", pick=1)
    up = timed(engine.feedback, user, chan, "up", pick=2)
    created = timed(engine.playlist, user, chan, {"op": "create", "name": "mine"})
    add3 = timed(engine.text, user, chan, "add #3 to mine")
    add4 = timed(engine.playlist, user, chan, {"op": "add", "name": "mine", "pick": 4})
    shown = timed(engine.playlist, user, chan, {"op": "show", "name": "mine"})
    return {"user": user, "chan": chan, "search": search, "down": down, "up": up, "created": created,
            "adds": (add3, add4), "shown": shown, "latency": lat}


def test_hundred_users_at_once_nothing_crosses(engine):
    barrier = threading.Barrier(USERS)
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=USERS) as pool:
        results = list(pool.map(lambda i: run_user(engine, i, barrier), range(USERS)))
    elapsed = time.perf_counter() - started
    lat = [x for r in results for x in r["latency"]]
    search_lat = [r["latency"][0] for r in results]
    print(f"\n{USERS} users at once: {len(lat)} turns in {elapsed:.1f} s; turn latency p50 "
          f"{statistics.median(lat):.0f} ms, p95 {p95(lat):.0f} ms; search turns p95 {p95(search_lat):.0f} ms")

    picks_of = {}
    for r in results:
        user, picks = r["user"], r["search"].picks
        assert len(picks) == 5, (user, r["search"].reply)
        picks_of[user] = picks
        # each reply is about this user's own picks
        assert f"{picks[0]['artist']} – {picks[0]['title']}" in r["down"].reply
        assert f"{picks[1]['artist']} – {picks[1]['title']}" in r["up"].reply
        assert r["created"].kind == "playlist" and all(t.kind == "playlist" for t in r["adds"])
        # the session holds exactly what this user was shown
        state = engine.sessions.load(user, r["chan"])
        assert [p["song_id"] for p in state["picks"]] == [p["song_id"] for p in picks]
        # feedback: exactly this user's two votes
        rows = sqlite_rows(engine.services.settings.sqlite_path,
                           "SELECT song_id, value FROM feedback WHERE user_id = ?", (user,))
        assert dict(rows) == {picks[0]["song_id"]: -1, picks[1]["song_id"]: 1}
        # playlist: exactly what this user added, in order
        items = engine.playlists.show(user, "mine").items
        assert [it.song_id for it in items] == [picks[2]["song_id"], picks[3]["song_id"]]
        assert [n for n, _ in engine.playlists.list(user)] == ["mine"]
    assert sqlite_rows(engine.services.settings.sqlite_path, "SELECT COUNT(*) FROM playlists") == [(USERS,)]
    assert sqlite_rows(engine.services.settings.sqlite_path, "SELECT COUNT(*) FROM feedback") == [(2 * USERS,)]
    assert integrity_ok(engine.services.settings.sqlite_path)


def test_two_processes_on_one_data_dir_work_or_refuse_clearly(tmp_path, builtin_db_dir, catalog_songs):
    home = tmp_path / "home"
    procs = {name: ChatProcess(home, builtin_db_dir, stderr_path=tmp_path / f"{name}.log") for name in ("A", "B")}
    try:
        for name, p in procs.items():                 # both up and answering (model loaded)
            assert "reply" in p.ask({"user": f"{name}-user", "playlist": {"op": "list"}})

        def stream(name: str) -> list[tuple[dict, dict]]:
            p, out = procs[name], []
            events = []
            for i in range(120):
                sid = catalog_songs[i % len(catalog_songs)][0]
                if i % 4 == 0:
                    events.append({"user": f"{name}-user", "feedback": "up", "song_id": sid})
                elif i % 4 == 1:   # both processes write the same user's playlists: real contention
                    events.append({"user": "shared", "playlist": {"op": "add", "name": f"both {i % 3}",
                                                                  "song_id": f"{sid}" if name == "A" else catalog_songs[-1 - i % 30][0]}})
                elif i % 4 == 2:
                    events.append({"user": "shared", "playlist": {"op": "create", "name": f"{name} {i}"}})
                else:
                    events.append({"user": "shared", "feedback": "down" if name == "A" else "up",
                                   "song_id": catalog_songs[(i + (0 if name == "A" else 30)) % 60][0]})
            payload = "".join(json.dumps(e) + "\n" for e in events).encode()
            threading.Thread(target=p.send_raw, args=(payload,), daemon=True).start()
            for e in events:
                out.append((e, p.recv(timeout=120)))
            return out

        with ThreadPoolExecutor(2) as pool:
            a, b = pool.map(stream, ["A", "B"])
        for p in procs.values():
            assert p.close() == 0, p.stderr_tail()
    finally:
        for p in procs.values():
            if p.proc.poll() is None:
                p.kill()
    db = home / "moodtape.sqlite3"
    assert integrity_ok(db)
    refused = 0
    playlists = set(sqlite_rows(db, "SELECT user_id, name FROM playlists"))
    items = set(sqlite_rows(db, "SELECT p.user_id, p.name, i.song_id FROM playlist_items i "
                                "JOIN playlists p ON p.id = i.playlist_id"))
    votes = {(u, s): v for u, s, v in sqlite_rows(db, "SELECT user_id, song_id, value FROM feedback")}
    for event, reply in a + b:
        if "error" in reply:
            # allowed: a clear refusal when the other process held the lock too long
            assert reply["error"] == BUSY, (event, reply)
            refused += 1
            continue
        if "feedback" in event and event["user"] != "shared":
            assert votes[(event["user"], event["song_id"])] == 1
        elif "feedback" in event:
            assert (event["user"], event["song_id"]) in votes
        elif event["playlist"]["op"] == "add":
            assert ("shared", event["playlist"]["name"], event["playlist"]["song_id"]) in items, event
        else:
            assert ("shared", event["playlist"]["name"]) in playlists, event
    print(f"\ntwo processes, one data dir: {len(a) + len(b)} writes, {refused} refused as busy, none lost")
    assert refused <= (len(a) + len(b)) // 10
