"""The conversation engine on the built-in catalog, with a real SQLite in a temp dir."""
import statistics

import pytest

from bot.engine import Engine
from bot.services import Services
from storage.settings import Settings


@pytest.fixture()
def engine(builtin_services, tmp_path):
    # the catalog and model are shared; the SQLite database is fresh per test
    services = Services(Settings(data_dir=tmp_path))
    services.__dict__["catalog"] = builtin_services.catalog
    services.__dict__["recommender"] = builtin_services.recommender
    yield Engine(services, k=5)
    services.close()


def years(turn):
    return [p["year"] for p in turn.picks]


def test_first_turn_gives_explained_picks_and_the_parsed_request(engine):
    turn = engine.text("ann", "c1", "something nostalgic for a rainy night")
    assert turn.kind == "text" and len(turn.picks) == 5
    assert all(p["why"] for p in turn.picks)
    assert "nostalgic" in turn.parsed["moods"]
    assert "rain" in turn.parsed["themes"]
    assert turn.latency_ms > 0


def test_refinement_keeps_constraints_and_moves_the_mood(engine):
    first = engine.text("ann", "c1", "sad songs from the 80s")
    assert first.picks and all(1980 <= y <= 1989 for y in years(first))
    up = engine.text("ann", "c1", "more upbeat")
    assert up.picks and all(1980 <= y <= 1989 for y in years(up))
    assert statistics.fmean(p["energy"] for p in up.picks) > statistics.fmean(p["energy"] for p in first.picks)
    assert not {p["song_id"] for p in first.picks} & {p["song_id"] for p in up.picks}
    only90 = engine.text("ann", "c1", "only 90s")
    assert only90.picks and all(1990 <= y <= 1999 for y in years(only90))


def test_another_five_shows_new_songs(engine):
    first = engine.text("ann", "c1", "love songs")
    more = engine.text("ann", "c1", "another 5")
    assert len(more.picks) == 5
    assert not {p["song_id"] for p in first.picks} & {p["song_id"] for p in more.picks}


def test_no_more_artist_and_different_artists(engine):
    first = engine.text("ann", "c1", "party songs")
    artist = first.picks[0]["artist"]
    nxt = engine.text("ann", "c1", f"no more {artist}")
    assert nxt.picks and artist not in {p["artist"] for p in nxt.picks}
    diff = engine.text("ann", "c1", "different artists")
    assert not {p["artist"] for p in nxt.picks} & {p["artist"] for p in diff.picks}


def test_more_like_pick_anchors_on_that_song(engine):
    first = engine.text("ann", "c1", "songs about the sea")
    like = engine.text("ann", "c1", "more like #2")
    assert like.picks and first.picks[1]["song_id"] not in {p["song_id"] for p in like.picks}


def test_disliked_song_never_returns_and_users_are_isolated(engine):
    first = engine.text("ann", "c1", "heartbreak ballads")
    disliked = first.picks[0]
    assert engine.feedback("ann", "c1", "down", pick=1).kind == "feedback"
    engine.text("ann", "c1", "start over")
    again = engine.text("ann", "c1", "heartbreak ballads")
    assert disliked["song_id"] not in {p["song_id"] for p in again.picks}
    bob = engine.text("bob", "c1", "heartbreak ballads")
    assert disliked["song_id"] in {p["song_id"] for p in bob.picks}
    assert engine.feedback_store.for_user("bob").disliked == frozenset() or not engine.feedback_store.for_user("bob").disliked


def test_bad_input_gets_a_clear_reply(engine):
    assert engine.text("ann", "c1", "").kind == "help"
    assert engine.text("ann", "c1", "   \x00\x07  ").kind == "help"
    long = engine.text("ann", "c1", "rain " * 2000)
    assert long.kind in ("text", "help") and long.reply
    emoji = engine.text("ann", "c1", "🌧️🌙😢")
    assert emoji.reply
    fb = engine.feedback("zed", "c1", "up", pick=1)
    assert fb.kind == "error" and "no picks" in fb.reply.lower()
    engine.text("ann", "c1", "happy songs")
    out = engine.feedback("ann", "c1", "up", pick=99)
    assert out.kind == "error" and "#99" in out.reply and "1 to 5" in out.reply
    unknown = engine.playlist("ann", "c1", {"op": "show", "name": "nope"})
    assert unknown.kind == "error" and "nope" in unknown.reply
    spanish = engine.text("ann", "c1", "algo triste para llorar")
    assert spanish.picks


def test_playlists_in_plain_words_and_exports(engine, tmp_path):
    engine.text("ann", "c1", "rainy day songs")
    name = 'rainy "days" / vol. 1'
    assert engine.text("ann", "c1", f"create playlist {name}").kind == "playlist"
    assert "Added" in engine.text("ann", "c1", f"add #3 to {name}").reply
    assert engine.playlist("ann", "c1", {"op": "add", "name": name, "all": True}).kind == "playlist"
    shown = engine.playlist("ann", "c1", {"op": "show", "name": name})
    assert shown.reply.count("\n") == 5       # title line + 5 distinct songs
    listed = engine.text("ann", "c1", "my playlists")
    assert name in listed.reply and "5 songs" in listed.reply
    for fmt in ("m3u8", "xspf", "json", "csv"):
        turn = engine.playlist("ann", "c1", {"op": "export", "name": name, "format": fmt})
        assert turn.files, turn.reply
        path = turn.files[0]
        assert path.startswith(str(tmp_path / "exports"))
    assert engine.playlist("bob", "c1", {"op": "show", "name": name}).kind == "error"


def test_older_newer_move_the_window(engine):
    engine.text("ann", "c1", "songs from the 90s about love")
    older = engine.text("ann", "c1", "older")
    assert older.picks and all(1980 <= y <= 1989 for y in years(older))
    newer = engine.text("ann", "c1", "newer")
    assert newer.picks and all(1990 <= y <= 1999 for y in years(newer))


def test_sadder_and_like_the_first_one_but_happier(engine):
    first = engine.text("ann", "c1", "songs about the city")
    sad = engine.text("ann", "c1", "sadder")
    mean_v = lambda t: statistics.fmean(p["valence"] for p in t.picks)
    assert mean_v(sad) < mean_v(first)
    happier = engine.text("ann", "c1", "something like the first one but happier")
    assert happier.picks and mean_v(happier) > mean_v(sad)
    assert happier.parsed["like_picks"] == [1]


def test_an_artist_disliked_twice_is_demoted(engine):
    first = engine.text("cat", "c1", "love songs by Elvis Presley")
    assert len(first.picks) >= 2 and {p["artist"] for p in first.picks} == {"Elvis Presley"}
    engine.feedback("cat", "c1", "down", pick=1)
    engine.feedback("cat", "c1", "down", pick=2)
    taste = engine.feedback_store.for_user("cat")
    assert "elvis presley" in taste.demoted_artists
    later = engine.text("cat", "c1", "start over")
    later = engine.text("cat", "c1", "rock and roll songs from the 50s")
    control = engine.text("dan", "c1", "rock and roll songs from the 50s")
    rank = lambda t: [p["artist"] for p in t.picks].index("Elvis Presley") if "Elvis Presley" in [p["artist"] for p in t.picks] else 99
    assert rank(later) > rank(control)


def test_an_internal_failure_costs_one_answer_not_the_session(engine, monkeypatch, caplog):
    def boom(*a, **k):
        raise RuntimeError("lance exploded")

    monkeypatch.setattr(engine.services.recommender, "recommend", boom)
    turn = engine.text("ann", "c1", "happy songs")
    assert turn.kind == "error" and "Traceback" not in turn.reply and "lance" not in turn.reply
    assert "engine.text failed" in caplog.text
    monkeypatch.undo()
    assert engine.text("ann", "c1", "happy songs").picks


def test_thumbs_in_a_thread_teach_the_era_without_it_being_said(engine):
    """A listener who never says "80s" but likes only 1980s songs and dislikes the rest gets
    more 1980s songs as the thread goes on (the per-thread taste model learns decades)."""
    def in_80s(p):
        return 1980 <= (p["year"] or 0) <= 1989

    turn = engine.text("eve", "c1", "love songs")
    first = sum(map(in_80s, turn.picks))
    for _ in range(3):
        for p in turn.picks:
            engine.feedback("eve", "c1", "up" if in_80s(p) else "down", pick=p["rank"])
        turn = engine.text("eve", "c1", "another 5")
    assert sum(map(in_80s, turn.picks)) >= max(3, first + 2)
    # and it says so in the "why" of those picks (only those)
    for p in turn.picks:
        assert ("1980s, like the ones you liked" in p["why"]) == in_80s(p)
    # someone else asking the same thing is not steered by eve's thumbs
    other = engine.text("bob", "c1", "love songs")
    assert sum(map(in_80s, other.picks)) == first


def test_taste_model_separates_decades():
    import numpy as np

    from retrieval.taste import fit_preference, preference_scores, song_features

    def rows(years):
        return [{"year": y, "emotions": [0.1] * 8, "genres": "pop"} for y in years]

    liked, disliked = rows([1982, 1986, 1989]), rows([1965, 1995, 2004, 1972])
    z = np.zeros
    w = fit_preference(song_features(liked, z(3), z(3)), song_features(disliked, z(4), z(4)))
    s = preference_scores(w, song_features(rows([1984, 1999, 1961]), z(3), z(3)))
    assert s[0] > 0.3 and s[1] < 0 and s[2] < 0


def test_a_rating_can_be_taken_back(engine):
    first = engine.text("ann", "c1", "songs about the sea")
    sid = first.picks[1]["song_id"]
    engine.text("ann", "c1", "👎 2")
    assert sid in engine.feedback_store.for_user("ann").disliked
    r = engine.text("ann", "c1", "undo 2")
    assert r.kind == "feedback" and "Took back" in r.reply
    assert engine.feedback_store.for_user("ann").empty
    assert "had not rated" in engine.text("ann", "c1", "undo 2").reply
    # a taken-back 👎 no longer keeps the song away
    assert sid in {p["song_id"] for p in engine.text("ann", "c2", "songs about the sea").picks}
    # clear-up only takes back a 👍
    engine.feedback("ann", "c1", "down", pick=2)
    engine.feedback("ann", "c1", "clear-up", pick=2)
    assert sid in engine.feedback_store.for_user("ann").disliked
    engine.feedback("ann", "c1", "clear", song_id=sid)
    assert engine.feedback_store.for_user("ann").empty
    assert engine.feedback("ann", "c1", "sideways", pick=2).kind == "error"
