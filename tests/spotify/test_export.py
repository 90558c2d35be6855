"""Exporting playlists to the strict fake Spotify: matching, chunking, re-export, resume, faults."""
from __future__ import annotations

import itertools
import time

import pytest

from storage.errors import InputError, NotFoundError, SpotifyError
from storage.playlists import PlaylistStore, SongRef
from storage.spotify import (SpotifyForbidden, SpotifyNotLinked, SpotifyRateLimited,
                             SpotifyRelinkRequired, SpotifyUnavailable)
from storage.spotify.tokens import SQLiteCacheHandler
from tests.spotify.conftest import USER, make_playlist

ADJ = ["Amber", "Brittle", "Cobalt", "Dusty", "Electric", "Frozen", "Golden", "Hollow", "Ivory", "Jagged",
       "Kinetic", "Lunar", "Midnight", "Neon", "Obsidian", "Paper", "Quiet", "Restless", "Silver", "Tidal"]
NOUN = ["Avenue", "Bridges", "Canyon", "Dreams", "Engines", "Fields", "Gardens", "Harbor", "Islands", "Jungle",
        "Kingdom", "Lanterns", "Mirrors"]


def big_catalog(fake, n: int) -> list[tuple[str, str, str]]:
    """n distinct songs, all on the fake Spotify: (artist, title, uri)."""
    songs = []
    for i, (a, b) in enumerate(itertools.islice(itertools.product(NOUN, ADJ), n)):
        artist, title = f"The {NOUN[i % len(NOUN)]} Society {i // 20}", f"{b} {a}"
        songs.append((artist, title, fake.add_track(title, artist)))
    return songs


def remote(fake, result):
    return fake.playlists[result.spotify_playlist_id]


def journal(db, name="Mix"):
    pid = PlaylistStore(db).show(USER, name).id
    with db.read() as conn:
        return dict(conn.execute("SELECT song_id, spotify_uri FROM spotify_export_items WHERE playlist_id = ?",
                                 (pid,)).fetchall())


def test_matching_prefers_originals_and_lists_unmatched(exporter, db, fake_spotify, linked):
    f = fake_spotify
    # decoys first, as a popularity-ranked search often returns them
    f.add_track("Don't Stop Believin' (Karaoke Version)", "Karaoke All Stars", album="Karaoke Hits 80s")
    f.add_track("Don't Stop Believin' (Originally Performed by Journey)", "Journey Tribute Band")
    f.add_track("Don't Stop Believin' - Live", "Journey", album="Live in Houston 1981")
    journey = f.add_track("Don't Stop Believin'", "Journey", album="Escape")
    f.add_track("Hey Jude - Live At Shea", "The Beatles")
    jude = f.add_track("Hey Jude - Remastered 2015", "The Beatles", album="1")
    f.add_track("Dancing Queen - Cover", "ABBA Tribute Orchestra")
    f.add_track("Dancing Queen (Karaoke Version)", "ABBA")            # mislabelled, as happens
    queen = f.add_track("Dancing Queen", "ABBA", album="Arrival")
    live_only = f.add_track("Somewhere Only Live (Live at Wembley)", "Kettle Band", album="Live at Wembley")
    f.add_track("Yesterday Once More", "Carpenters")
    make_playlist(db, "Mix", [("Journey", "Dont Stop Believing"),          # near-miss spelling
                              ("The Beatles", "Hey Jude"),
                              ("Abba", "Dancing Queen (2001 Remaster)"),
                              ("Kettle Band", "Somewhere Only Live"),      # only a live version exists
                              ("The Beatles", "Yesterday"),                 # not on this Spotify
                              ("Nobody Known", "No Such Song")])

    result = exporter.export(USER, "Mix")

    assert remote(f, result).uris == [journey, jude, queen, live_only]
    assert result.unmatched == ("The Beatles – Yesterday", "Nobody Known – No Such Song")
    assert (result.created, result.action, result.matched, result.added) == (True, "created", 4, 4)
    assert result.url == f"https://open.spotify.com/playlist/{result.spotify_playlist_id}"
    assert remote(f, result).public is False and remote(f, result).name == "Mix"
    assert "Not found on Spotify: The Beatles – Yesterday" in result.summary()
    assert all(int(c.query["limit"][0]) <= 10 for c in f.calls_to("search"))


def test_230_songs_go_in_three_chunks(exporter, db, fake_spotify, linked):
    songs = big_catalog(fake_spotify, 230)
    make_playlist(db, "Mix", [(a, t) for a, t, _ in songs])

    seen: list[tuple[int, int]] = []
    result = exporter.export(USER, "Mix", progress=lambda done, total: seen.append((done, total)))

    assert seen[0] == (0, 230) and seen[-1] == (230, 230)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    adds = fake_spotify.calls_to("add-items-to-playlist")
    assert [len(c.body["uris"]) for c in adds] == [100, 100, 30]
    assert remote(fake_spotify, result).uris == [u for _, _, u in songs]
    assert (result.matched, result.added, result.unmatched) == (230, 230, ())
    assert sum(1 for u in journal(db).values() if u) == 230


def test_reexport_updates_the_same_playlist(exporter, db, fake_spotify, linked):
    songs = big_catalog(fake_spotify, 6)
    make_playlist(db, "Mix", [(a, t) for a, t, _ in songs[:4]])
    first = exporter.export(USER, "Mix")
    store = PlaylistStore(db)
    store.remove(USER, "Mix", "s1")
    store.add(USER, "Mix", [SongRef("n4", songs[4][0], songs[4][1]), SongRef("n5", songs[5][0], songs[5][1])])
    store.rename(USER, "Mix", "Mix 2")
    fake_spotify.calls.clear()

    second = exporter.export(USER, "Mix 2")

    assert second.spotify_playlist_id == first.spotify_playlist_id and len(fake_spotify.playlists) == 1
    assert (second.created, second.action, second.added, second.removed) == (False, "updated", 2, 1)
    pl = remote(fake_spotify, second)
    assert pl.uris == [songs[0][2], songs[2][2], songs[3][2], songs[4][2], songs[5][2]]
    assert pl.name == "Mix 2"
    assert fake_spotify.calls_to("create-playlist") == []
    assert len(fake_spotify.calls_to("search")) == 2      # only the two new songs were looked up
    third = exporter.export(USER, "Mix 2")                  # nothing changed: nothing sent
    assert (third.added, third.removed, pl.uris) == (0, 0, [songs[i][2] for i in (0, 2, 3, 4, 5)])


def test_tracks_added_by_hand_in_spotify_are_left_alone(exporter, db, fake_spotify, linked):
    songs = big_catalog(fake_spotify, 3)
    make_playlist(db, "Mix", [(a, t) for a, t, _ in songs])
    result = exporter.export(USER, "Mix")
    by_hand = fake_spotify.add_track("Hand Picked", "Someone")
    remote(fake_spotify, result).uris.append(by_hand)
    PlaylistStore(db).remove(USER, "Mix", "s0")
    exporter.export(USER, "Mix")
    assert remote(fake_spotify, result).uris == [songs[1][2], songs[2][2], by_hand]


def test_a_deleted_remote_playlist_is_recreated(exporter, db, fake_spotify, linked):
    songs = big_catalog(fake_spotify, 3)
    make_playlist(db, "Mix", [(a, t) for a, t, _ in songs])
    first = exporter.export(USER, "Mix")
    del fake_spotify.playlists[first.spotify_playlist_id]
    second = exporter.export(USER, "Mix")
    assert second.created and second.spotify_playlist_id != first.spotify_playlist_id
    assert remote(fake_spotify, second).uris == [u for _, _, u in songs]


@pytest.mark.parametrize("applied", [False, True], ids=["lost-request", "lost-answer"])
def test_export_that_dies_half_way_resumes_without_duplicates(exporter, db, fake_spotify, linked, applied):
    songs = big_catalog(fake_spotify, 230)
    make_playlist(db, "Mix", [(a, t) for a, t, _ in songs])
    # chunk 1 succeeds; chunk 2's connection drops, before (lost-request) or after (lost-answer)
    # Spotify applied it
    fake_spotify.fail("add-items-to-playlist", "drop", after=1, apply=applied)

    with pytest.raises(SpotifyUnavailable) as info:
        exporter.export(USER, "Mix")
    assert "continues where it stopped" in info.value.user_message
    (pid,) = fake_spotify.playlists
    assert len(fake_spotify.playlists[pid].uris) == (200 if applied else 100)
    assert sum(1 for u in journal(db).values() if u) == 100        # only the confirmed chunk
    fake_spotify.calls.clear()

    result = exporter.export(USER, "Mix")

    assert result.resumed and not result.created and result.spotify_playlist_id == pid
    uris = fake_spotify.playlists[pid].uris
    assert uris == [u for _, _, u in songs]                         # all, in order, none twice
    assert result.added == (30 if applied else 130) and result.matched == 230
    assert fake_spotify.calls_to("create-playlist") == []
    assert len(fake_spotify.calls_to("search")) == 130               # journaled songs not searched again
    assert exporter.export(USER, "Mix").resumed is False            # the run above finished cleanly


def test_429_once_is_waited_for(exporter, db, fake_spotify, linked):
    songs = big_catalog(fake_spotify, 3)
    make_playlist(db, "Mix", [(a, t) for a, t, _ in songs])
    fake_spotify.fail("add-items-to-playlist", 429, retry_after="1")
    start = time.monotonic()
    result = exporter.export(USER, "Mix")
    assert time.monotonic() - start >= 1.0
    assert [c.status for c in fake_spotify.calls_to("add-items-to-playlist")] == [429, 201]
    assert remote(fake_spotify, result).uris == [u for _, _, u in songs]


def test_long_retry_after_fails_fast_and_says_when(exporter, db, fake_spotify, linked):
    songs = big_catalog(fake_spotify, 3)
    make_playlist(db, "Mix", [(a, t) for a, t, _ in songs])
    fake_spotify.fail("search", 429, retry_after="3600")
    start = time.monotonic()
    with pytest.raises(SpotifyRateLimited) as info:
        exporter.export(USER, "Mix")
    assert time.monotonic() - start < 3
    assert info.value.retry_after_s == 3600 and "about 1 hour" in info.value.user_message
    assert info.value.retry_at == pytest.approx(time.time() + 3600, abs=10)


def test_repeated_429s_stop_at_the_wait_cap(db, settings, fake_spotify, linked):
    from storage.spotify import SpotifyExporter
    songs = big_catalog(fake_spotify, 2)
    make_playlist(db, "Mix", [(a, t) for a, t, _ in songs])
    fake_spotify.fail("search", 429, retry_after="1", times=100)
    start = time.monotonic()
    with pytest.raises(SpotifyRateLimited) as info:
        SpotifyExporter(db, settings, wait_budget_s=1.5).export(USER, "Mix")
    assert 1.0 <= time.monotonic() - start < 2.5     # one 1 s wait fits the budget, a second would not
    assert [c.status for c in fake_spotify.calls_to("search")] == [429, 429]
    assert "1 second" in info.value.user_message


def test_expired_access_token_is_refreshed_once(exporter, db, fake_spotify, linked):
    songs = big_catalog(fake_spotify, 2)
    make_playlist(db, "Mix", [(a, t) for a, t, _ in songs])
    before = SQLiteCacheHandler(db, USER).get_cached_token()
    fake_spotify.expire_access_tokens()
    result = exporter.export(USER, "Mix")
    after = SQLiteCacheHandler(db, USER).get_cached_token()
    assert remote(fake_spotify, result).uris == [u for _, _, u in songs]
    assert len(fake_spotify.calls_to("token")) == 2                 # the link's exchange + one refresh
    assert after["access_token"] != before["access_token"]
    assert after["refresh_token"] != before["refresh_token"]         # the rotated one was saved


def test_token_near_expiry_is_refreshed_before_use(exporter, db, fake_spotify, linked):
    cache = SQLiteCacheHandler(db, USER)
    token = cache.get_cached_token()
    cache.save_token_to_cache({**token, "expires_at": int(time.time()) + 5})
    make_playlist(db, "Mix", [(a, t) for a, t, _ in big_catalog(fake_spotify, 1)])
    exporter.export(USER, "Mix")
    assert [c.status for c in fake_spotify.calls if c.op == "get-current-users-profile"][-1] == 200
    assert all(c.status != 401 for c in fake_spotify.calls if c.op != "token")


def test_revoked_refresh_token_asks_to_relink(exporter, db, fake_spotify, linked, linker):
    make_playlist(db, "Mix", [(a, t) for a, t, _ in big_catalog(fake_spotify, 1)])
    fake_spotify.expire_access_tokens()
    fake_spotify.revoke_refresh_tokens()
    with pytest.raises(SpotifyRelinkRequired) as info:
        exporter.export(USER, "Mix")
    assert "new Spotify link" in info.value.user_message
    assert not linker.is_linked(USER)


def test_401_after_refresh_asks_to_relink(exporter, db, fake_spotify, linked):
    make_playlist(db, "Mix", [(a, t) for a, t, _ in big_catalog(fake_spotify, 1)])
    fake_spotify.fail("get-current-users-profile", 401, times=2)
    with pytest.raises(SpotifyRelinkRequired):
        exporter.export(USER, "Mix")
    assert len(fake_spotify.calls_to("token")) == 2                 # refreshed exactly once


def test_two_5xx_then_success(exporter, db, fake_spotify, linked):
    songs = big_catalog(fake_spotify, 3)
    make_playlist(db, "Mix", [(a, t) for a, t, _ in songs])
    fake_spotify.fail("search", 502, times=2)
    fake_spotify.fail("add-items-to-playlist", 503, times=2)
    result = exporter.export(USER, "Mix")
    assert remote(fake_spotify, result).uris == [u for _, _, u in songs]
    assert [c.status for c in fake_spotify.calls_to("add-items-to-playlist")] == [503, 503, 201]


def test_persistent_5xx_gives_up_with_bounded_retries(exporter, db, fake_spotify, linked):
    make_playlist(db, "Mix", [(a, t) for a, t, _ in big_catalog(fake_spotify, 1)])
    fake_spotify.fail("get-current-users-profile", 500, times=100)
    fake_spotify.calls.clear()
    start = time.monotonic()
    with pytest.raises(SpotifyUnavailable):
        exporter.export(USER, "Mix")
    assert [c.status for c in fake_spotify.calls] == [500] * 4      # 1 try + 3 retries, then give up
    assert time.monotonic() - start < 2


def test_403_explains_development_mode(exporter, db, fake_spotify, linked):
    make_playlist(db, "Mix", [(a, t) for a, t, _ in big_catalog(fake_spotify, 1)])
    fake_spotify.users["alice.spotify"].allowlisted = False
    with pytest.raises(SpotifyForbidden) as info:
        exporter.export(USER, "Mix")
    assert "development mode" in info.value.user_message and "User Management" in info.value.user_message


def test_not_linked_unknown_and_empty_playlists(exporter, db, fake_spotify):
    make_playlist(db, "Mix", [("A", "B")])
    with pytest.raises(SpotifyNotLinked) as info:
        exporter.export(USER, "Mix")
    assert "isn't linked" in info.value.user_message
    with pytest.raises(NotFoundError):
        exporter.export(USER, "Nope")
    PlaylistStore(db).create(USER, "Empty")
    with pytest.raises(InputError):
        exporter.export(USER, "Empty")
    assert fake_spotify.calls == []
    assert issubclass(SpotifyNotLinked, SpotifyError)


def test_relinking_another_spotify_account_exports_into_a_new_playlist(exporter, db, fake_spotify, linked,
                                                                       linker):
    from tests.spotify.conftest import link
    from tests.spotify.fake_spotify import User
    songs = big_catalog(fake_spotify, 3)
    make_playlist(db, "Mix", [(a, t) for a, t, _ in songs])
    first = exporter.export(USER, "Mix")
    fake_spotify.users["bob.spotify"] = User("bob.spotify", "Bob")
    fake_spotify.consenting_user = "bob.spotify"
    assert linker.unlink(USER) and link(linker, fake_spotify).status == 200

    second = exporter.export(USER, "Mix")

    assert second.created and second.spotify_playlist_id != first.spotify_playlist_id
    assert fake_spotify.playlists[second.spotify_playlist_id].owner == "bob.spotify"
    assert remote(fake_spotify, second).uris == [u for _, _, u in songs]
    assert remote(fake_spotify, first).uris == [u for _, _, u in songs]      # Alice's copy untouched
