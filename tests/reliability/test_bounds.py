"""Resource bounds: what a session remembers is capped, and nothing per user grows without bound in
the engine. (Memory after 10,000 turns vs after 100 is measured by `python -m benchmarks.stress`.)"""
from __future__ import annotations

import gc
import json

from bot.engine.session import MAX_LIST, MAX_SHOWN, SessionState
from tests.reliability.conftest import make_engine


def test_shown_list_is_capped_and_keeps_the_newest():
    state = SessionState()
    for i in range(3 * MAX_SHOWN // 5):
        state.remember([{"song_id": f"s{i}-{j}", "rank": j + 1} for j in range(5)])
    assert len(state.shown) == MAX_SHOWN
    assert state.shown[-1] == f"s{3 * MAX_SHOWN // 5 - 1}-4"
    assert len(state.picks) == 5
    loaded = SessionState.from_json({"shown": [f"x{i}" for i in range(5 * MAX_SHOWN)], "picks": []})
    assert len(loaded.shown) == MAX_SHOWN and loaded.shown[-1] == f"x{5 * MAX_SHOWN - 1}"


def test_picks_per_answer_are_capped(engine):
    turn = engine.text("greedy", "c", "give me 500 sad songs")
    assert 1 <= len(turn.picks) <= 25
    assert len(engine.sessions.load("greedy", "c")["picks"]) <= 25


class _NoSearch:
    """A recommender that finds nothing: lets a test run hundreds of real parse + merge + save turns
    without paying for hundreds of searches."""

    def recommend(self, request, **kwargs):
        from retrieval.search import SearchResult

        return SearchResult([], request)


def test_refinements_do_not_grow_the_session_without_bound(warm_services, tmp_path):
    eng = make_engine(warm_services, tmp_path / "home")
    eng.services.__dict__["recommender"] = _NoSearch()
    try:
        eng.text("talker", "c", "sad songs")
        sizes = []
        for i in range(360):
            # each of these adds to the remembered request (unknown artists, exclusions)
            text = [f"something like Zorblax{i} Quuxington{i}", f"no songs from {1900 + i}",
                    f"no more Blorfen{i} Wexley"][i % 3]
            eng.text("talker", "c", text)
            if i % 90 == 89 and i >= 179:   # once the lists have reached the cap
                sizes.append(len(json.dumps(eng.sessions.load("talker", "c"))))
        state = eng.sessions.load("talker", "c")
        lists = {k: len(v) for k, v in state["last_request"].items() if isinstance(v, list)}
        assert max(lists.values()) <= MAX_LIST, lists
        assert lists["unknown_mentions"] == MAX_LIST      # they really accumulated, up to the cap
        assert sizes[-1] < 20_000 and sizes[-1] <= sizes[0] * 1.1, sizes
        # a refinement still works on the capped state
        assert eng.text("talker", "c", "more upbeat").kind in ("text", "help")
    finally:
        eng.services.close()


def test_session_locks_do_not_accumulate(engine):
    for i in range(2000):
        engine.text(f"drive-by-{i}", f"chan-{i % 7}", "my playlists")
    gc.collect()
    assert len(engine._locks) < 10, len(engine._locks)
