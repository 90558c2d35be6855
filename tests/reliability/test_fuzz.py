"""Property-based tests over everything a person or a program can send the engine.

Properties: no input raises; every JSONL input line gets exactly one JSON output line; replies are
non-empty strings without traceback text; search picks never hold a song the user disliked; one
user's state never shows up for another user. The model and catalog are shared (session fixture);
example counts are modest so the suite stays fast on two cores.
"""
from __future__ import annotations

import io
import itertools
import json
import math
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from bot.engine.core import OOPS
from bot.terminal import run_jsonl
from tests.reliability.conftest import is_traceback

FUZZ = settings(max_examples=60, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.data_too_large])
CHEAP = settings(FUZZ, max_examples=150)
_counter = itertools.count()

ADVERSARIAL = [
    "", " ", "\x00", "\x00" * 50, "a\x00b", "\r\n\t\x0b\x0c\x1b[31mred", "\u202e\u200b\ufeff",
    "x' OR '1'='1", "'; DROP TABLE playlists; --", "Robert'); DROP TABLE feedback;--", "%", "_", "%%",
    "a%", "%_%", "\\", "\\'", '"', "'", "``", "../../../etc/passwd", "..", "/abs/path", "~/x",
    "a" * 10_000, "sad " * 3000, "🎧" * 500, "\ud800", "x\udcffy", "#" * 100, "+99999", "-0", "👍 0",
    "👎 999999", "add #0 to x", "add #99999 to ../../x", "remove #-1 from x", "export .. as csv",
    "export % as xspf", "create playlist " + "x" * 500, "rename playlist % to _", "show playlist %",
    "delete playlist '; DROP TABLE playlists; --", "more like #0", "more like #4294967296",
    "songs by x' OR '1'='1", "no more %", "only 1e309s", "nothing before -1", "give me 10000000 songs",
    "{\"user\": \"other\"}", "null", "NaN", "/help", "?", "start over", "another 5",
]

any_char = st.characters(codec=None, categories=None)              # every code point, surrogates too
texts = st.one_of(
    st.sampled_from(ADVERSARIAL),
    st.text(any_char, max_size=300),
    st.text(st.sampled_from(list("%_'\"\\/.;-#+ \x00\n\r\tabc😀")), max_size=60),
    st.builds(lambda a, b: a + b, st.sampled_from(["songs about ", "no more ", "add #2 to ", "👎 ",
                                                  "create playlist ", "export ", "more like #"]),
              st.text(any_char, max_size=80)),
)
json_scalars = st.one_of(st.none(), st.booleans(), st.integers(min_value=-(10 ** 40), max_value=10 ** 40),
                         st.floats(allow_nan=False, allow_infinity=False), st.text(any_char, max_size=40))
json_values = st.recursive(json_scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)), max_leaves=12)
pick_values = st.one_of(
    st.integers(min_value=-(10 ** 30), max_value=10 ** 30), st.integers(min_value=-3, max_value=8),
    st.floats(allow_nan=True, allow_infinity=True), st.none(), st.booleans(),
    st.text(any_char, max_size=12), st.sampled_from(["1", "#2", " 3 ", "٣", "３", "1e3", "0x2", "2.0", "-1"]),
    st.lists(st.integers(), max_size=2), st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)


def fresh_user(tag: str) -> str:
    return f"{tag}-{next(_counter)}"


def check_turn(turn) -> None:
    assert isinstance(turn.reply, str) and turn.reply.strip(), turn
    assert not is_traceback(turn.reply)
    assert turn.reply != OOPS, "an unexpected exception reached the catch-all (see the log)"
    assert turn.kind in {"text", "feedback", "playlist", "help", "error"}
    line = json.dumps(turn.to_json(), ensure_ascii=False, allow_nan=False)
    line.encode("utf-8")        # what chat --jsonl writes must be encodable
    for p in turn.picks:
        assert isinstance(p["song_id"], str) and p["song_id"]


# ---- texts ------------------------------------------------------------------------------------------
@FUZZ
@given(text=texts)
def test_any_text_gets_a_clean_reply(module_engine, text):
    turn = module_engine.text(fresh_user("t"), "c", text)
    check_turn(turn)


@FUZZ
@given(user=st.one_of(st.text(any_char, max_size=30), json_scalars), channel=st.one_of(json_scalars, st.none()),
       text=st.sampled_from(["+1", "my playlists", "", "\x00", "%", "/help"]))
def test_any_user_and_channel_ids(module_engine, user, channel, text):
    turn = module_engine.handle({"user": user, "channel": channel, "text": text})
    check_turn(turn)


# ---- JSONL ------------------------------------------------------------------------------------------
def _event_line():
    field_values = st.one_of(json_values, texts)
    event = st.fixed_dictionaries({"user": st.one_of(st.sampled_from(["j1", "j2"]), json_scalars)},
                                  optional={"text": st.sampled_from(["+1", "-2", "my playlists", "",
                                                                     "show playlist %", "#3", "\x00"]),
                                            "feedback": st.one_of(st.sampled_from(["up", "down", "👍", "-", 1, -1]),
                                                                  json_values),
                                            "pick": pick_values, "song_id": field_values,
                                            "channel": json_scalars,
                                            "playlist": st.one_of(json_values, st.fixed_dictionaries(
                                                {"op": st.one_of(st.sampled_from(
                                                    ["create", "add", "remove", "show", "list", "rename",
                                                     "delete", "export", "nope", " ADD "]), json_scalars)},
                                                optional={"name": field_values, "new_name": field_values,
                                                          "pick": pick_values, "all": json_values,
                                                          "format": field_values, "song_id": field_values,
                                                          "position": pick_values}))})
    return st.one_of(event.map(json.dumps), json_values.map(json.dumps))


broken_lines = st.one_of(
    st.text(any_char, max_size=80),
    st.sampled_from(["{", "}", "[", "{not json", '{"user": "a", "text": }', '{"user": "a"', "nul\x00l",
                     "[" * 5000 + "]" * 5000, '{"a":' * 3000 + "1" + "}" * 3000, "1" * 5000,
                     '{"user": "a", "pick": ' + "9" * 5000 + "}", "NaN", "Infinity", '"\\ud800"',
                     '{"user": "\\ud800", "text": "\\udcff"}', '{"user": "a", "playlist": {"op": "\\ud800"}}',
                     '{"user": "a", "feedback": ["up"], "pick": 1}', '{"user": "a", "feedback": {"x": 1}}',
                     "\ufeff{}", "  \t  "]),
).map(lambda s: s.replace("\n", " ").replace("\r", " "))


@CHEAP
@given(lines=st.lists(st.one_of(_event_line(), broken_lines), min_size=1, max_size=8))
def test_jsonl_every_line_gets_exactly_one_json_object(module_engine, lines):
    stdin = io.TextIOWrapper(io.BytesIO("".join(line + "\n" for line in lines).encode("utf-8", "surrogatepass")),
                             encoding="utf-8", errors="strict")
    stdout = io.StringIO()
    assert run_jsonl(module_engine, stdin, stdout) == 0
    out = stdout.getvalue().splitlines()
    expected = sum(1 for line in lines if line.strip())
    assert len(out) == expected, (lines, out)
    for raw in out:
        raw.encode("utf-8")                       # what a UTF-8 stdout can carry
        obj = json.loads(raw)
        assert isinstance(obj, dict)
        assert "error" in obj or "reply" in obj
        if "reply" in obj:
            assert isinstance(obj["reply"], str) and obj["reply"].strip()
        assert not is_traceback(raw)
        assert OOPS not in raw


# ---- pick numbers -------------------------------------------------------------------------------------
def _as_pick_number(value) -> int | None:
    """What the engine may accept as a pick number: an int, or text that is one."""
    if isinstance(value, bool) or isinstance(value, (float, list, dict)) or value is None:
        return None
    try:
        return int(str(value).strip().lstrip("#"))
    except ValueError:
        return None


@CHEAP
@given(pick=pick_values, how=st.sampled_from(["up", "down", "add", "remove", "text"]))
def test_pick_numbers(module_engine, picks_user, pick, how):
    user = picks_user
    eng = module_engine
    picks = eng.sessions.load(user, "c")["picks"]   # a "#<junk>" text may have searched again
    if how in ("up", "down"):
        turn = eng.feedback(user, "c", how, pick=pick)
    elif how == "add":
        turn = eng.playlist(user, "c", {"op": "add", "name": "fuzz picks", "pick": pick})
    elif how == "remove":
        turn = eng.playlist(user, "c", {"op": "remove", "name": "fuzz picks", "pick": pick})
    else:
        turn = eng.text(user, "c", f"#{pick}")
    check_turn(turn)
    n = _as_pick_number(pick)
    if how in ("up", "down", "add") and turn.kind != "error":
        assert n is not None and 1 <= n <= len(picks), (pick, turn.reply)
        target = picks[n - 1]
        if how in ("up", "down"):
            taste = eng.feedback_store.for_user(user)
            assert target["song_id"] in (taste.liked if how == "up" else taste.disliked)
        else:
            assert target["song_id"] in {it.song_id for it in eng.playlists.show(user, "fuzz picks").items}
    if how in ("up", "down", "add") and (n is None or not 1 <= n <= len(picks)):
        assert turn.kind == "error"



@pytest.fixture(scope="module")
def picks_user(module_engine):
    turn = module_engine.text("picker", "c", "songs about summer")
    assert len(turn.picks) == 5
    return "picker"


# ---- playlist names -----------------------------------------------------------------------------------
names = st.one_of(st.sampled_from(ADVERSARIAL[:40] + ["  pad  ", "Ä", "ä", "ß", "SS", "x" * 100, "x" * 101]),
                  st.text(any_char, max_size=120), json_scalars)


@FUZZ
@given(name=names, new_name=names, fmt=st.sampled_from(["m3u8", "m3u", "xspf", "json", "csv", ".CSV", "exe", "../x"]))
def test_playlist_names(module_engine, catalog_songs, name, new_name, fmt):
    eng = module_engine
    user = fresh_user("pl")
    sid = catalog_songs[next(_counter) % len(catalog_songs)][0]
    export_root = eng.services.settings.export_dir.resolve()
    turns = [eng.playlist(user, "c", {"op": "create", "name": name}),
             eng.playlist(user, "c", {"op": "add", "name": name, "song_id": sid}),
             eng.playlist(user, "c", {"op": "show", "name": name}),
             eng.playlist(user, "c", {"op": "export", "name": name, "format": fmt}),
             eng.playlist(user, "c", {"op": "rename", "name": name, "new_name": new_name}),
             eng.playlist(user, "c", {"op": "list"})]
    for turn in turns:
        check_turn(turn)
        for f in turn.files:
            assert Path(f).resolve().is_relative_to(export_root), f
            assert Path(f).is_file()
    # whatever was created belongs to this user only, and holds only what was added
    mine = eng.playlists.list(user)
    assert len(mine) <= 1
    for pl_name, count in mine:
        assert count <= 1
        eng.playlists.delete(user, pl_name)


# ---- feedback sequences -------------------------------------------------------------------------------
QUERIES = ["songs about summer", "sad love songs", "songs about the night", "happy songs", "songs about rain"]


@settings(FUZZ, max_examples=25)
@given(query=st.sampled_from(QUERIES),
       votes=st.lists(st.tuples(st.integers(min_value=1, max_value=5), st.sampled_from(["up", "down", "👍", "👎", "-", "+"])),
                      min_size=1, max_size=8),
       follow=st.sampled_from(["another 5", "start over", "more like #1", "show me songs I've seen", "same"]))
def test_feedback_sequences_disliked_songs_never_return(module_engine, query, votes, follow):
    eng = module_engine
    user = fresh_user("fb")
    first = eng.text(user, "c", query)
    check_turn(first)
    assume(len(first.picks) == 5)
    latest: dict[str, int] = {}
    for n, value in votes:
        turn = eng.feedback(user, "c", value, pick=n)
        check_turn(turn)
        assert turn.kind == "feedback"
        latest[first.picks[n - 1]["song_id"]] = 1 if value in ("up", "👍", "+") else -1
    taste = eng.feedback_store.for_user(user)
    assert taste.liked == {s for s, v in latest.items() if v > 0}
    assert taste.disliked == {s for s, v in latest.items() if v < 0}
    if follow == "start over":
        eng.text(user, "c", "start over")
        nxt = eng.text(user, "c", query)
    else:
        nxt = eng.text(user, "c", query if follow == "same" else follow)
    check_turn(nxt)
    assert not {p["song_id"] for p in nxt.picks} & taste.disliked


# ---- isolation between users -----------------------------------------------------------------------------
actions = st.lists(st.tuples(st.sampled_from([0, 1, 2]),
                             st.sampled_from(["create", "add", "up", "down", "delete", "list", "show", "forget_song"]),
                             st.integers(min_value=0, max_value=59), st.sampled_from(["mix", "%", "_", "a'b", "Mix"])),
                   min_size=1, max_size=20)


@settings(FUZZ, max_examples=60)
@given(script=actions)
def test_a_users_state_never_shows_up_for_another(module_engine, catalog_songs, script):
    eng = module_engine
    users = [fresh_user(f"iso{i}") for i in range(3)]
    model_playlists: list[dict[str, set]] = [{} for _ in users]
    model_votes: list[dict[str, int]] = [{} for _ in users]
    replies: list[list[str]] = [[] for _ in users]
    from storage.playlists import name_key

    for who, op, song, name in script:
        user, sid = users[who], catalog_songs[song][0]
        pls, votes = model_playlists[who], model_votes[who]
        key = name_key(name)
        if op == "create":
            turn = eng.playlist(user, "c", {"op": "create", "name": name})
            if key not in pls:
                pls[key] = set()
        elif op == "add":
            turn = eng.playlist(user, "c", {"op": "add", "name": name, "song_id": sid})
            pls.setdefault(key, set()).add(sid)
        elif op in ("up", "down"):
            turn = eng.feedback(user, "c", op, song_id=sid)
            votes[sid] = 1 if op == "up" else -1
        elif op == "delete":
            turn = eng.playlist(user, "c", {"op": "delete", "name": name})
            pls.pop(key, None)
        elif op == "list":
            turn = eng.text(user, "c", "my playlists")
        elif op == "show":
            turn = eng.playlist(user, "c", {"op": "show", "name": name})
        else:
            turn = eng.text(user, "c", "/help")
        check_turn(turn)
        replies[who].append(turn.reply)
    for i, user in enumerate(users):
        stored = {name_key(n): {it.song_id for it in eng.playlists.show(user, n).items}
                  for n, _ in eng.playlists.list(user)}
        assert stored == model_playlists[i]
        taste = eng.feedback_store.for_user(user)
        assert taste.liked == {s for s, v in model_votes[i].items() if v > 0}
        assert taste.disliked == {s for s, v in model_votes[i].items() if v < 0}
        for j, other in enumerate(users):
            if j != i:
                assert all(other not in r for r in replies[i])
    for user in users:
        eng.forget(user)


def test_no_nan_or_inf_in_any_output(module_engine):
    turn = module_engine.handle({"user": "nan", "feedback": "up", "pick": math.nan})
    check_turn(turn)
    json.dumps(turn.to_json(), allow_nan=False)
