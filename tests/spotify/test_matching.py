"""Candidate scoring on its own: normalisation, version penalties, thresholds."""
from __future__ import annotations

import pytest

from storage.spotify.errors import human_wait
from storage.spotify.matching import best_match, fold, search_queries, split_title


def track(name, *artists, album="Album", uri=None, playable=True):
    return {"type": "track", "uri": uri or f"spotify:track:{abs(hash((name, artists, album))):022d}"[:36],
            "name": name, "artists": [{"name": a} for a in artists], "album": {"name": album},
            "is_playable": playable}


def pick(title, artist, *tracks):
    best = best_match(title, artist, tracks)
    return None if best is None else best.candidate.name


@pytest.mark.parametrize("title,artist,spotify_title,spotify_artist", [
    ("Dont Stop Believing", "Journey", "Don't Stop Believin'", "Journey"),
    ("Hey Jude", "Beatles", "Hey Jude - Remastered 2015", "The Beatles"),
    ("Beyonce Song", "Beyonce", "Beyoncé Song", "Beyoncé"),
    ("Umbrella", "Rihanna feat. Jay-Z", "Umbrella", "Rihanna"),
    ("The Sound of Silence", "Simon & Garfunkel", "The Sound of Silence", "Simon and Garfunkel"),
    ("夜に駆ける", "YOASOBI", "夜に駆ける", "YOASOBI"),
])
def test_near_miss_spellings_match(title, artist, spotify_title, spotify_artist):
    assert pick(title, artist, track(spotify_title, spotify_artist)) == spotify_title


@pytest.mark.parametrize("title,artist,spotify_title,spotify_artist", [
    ("Yesterday", "The Beatles", "Yesterday Once More", "Carpenters"),
    ("Help!", "The Beatles", "Help Me", "The Beatles"),
    ("Bohemian Rhapsody", "Queen", "Bohemian Rhapsody", "Queen Latifah"),
    ("Hello", "Adele", "Hello", "Lionel Richie"),
])
def test_different_songs_do_not_match(title, artist, spotify_title, spotify_artist):
    assert pick(title, artist, track(spotify_title, spotify_artist)) is None


def test_original_beats_live_karaoke_remix_and_cover_listed_first():
    decoys = [track("Wonderwall (Karaoke Version)", "Oasis"),
              track("Wonderwall - Live at Knebworth", "Oasis"),
              track("Wonderwall (Remix)", "Oasis"),
              track("Wonderwall (Originally Performed by Oasis)", "Party Tyme Karaoke"),
              track("Wonderwall", "Oasis", album="Live from Maine Road"),
              track("Wonderwall", "Oasis", album="(What's the Story) Morning Glory?")]
    best = best_match("Wonderwall", "Oasis", decoys)
    assert best.candidate.album == "(What's the Story) Morning Glory?"


def test_live_is_a_fallback_but_karaoke_never_is():
    assert pick("Wonderwall", "Oasis", track("Wonderwall - Live", "Oasis")) == "Wonderwall - Live"
    assert pick("Wonderwall", "Oasis", track("Wonderwall (Karaoke Version)", "Oasis")) is None
    assert pick("Wonderwall", "Oasis", track("Wonderwall", "Karaoke All Stars")) is None


def test_asking_for_the_live_version_gets_it():
    assert pick("Wonderwall (Live)", "Oasis", track("Wonderwall", "Oasis"),
                track("Wonderwall - Live", "Oasis")) in ("Wonderwall", "Wonderwall - Live")
    best = best_match("Wonderwall (Live)", "Oasis", [track("Wonderwall - Live", "Oasis")])
    assert best.penalty == 0


def test_words_in_the_title_itself_are_not_version_markers():
    best = best_match("Live and Let Die", "Wings", [track("Live And Let Die - 2018 Remaster", "Wings",
                                                          album="Live Through This")])
    assert best is not None and best.penalty == 0


def test_unplayable_and_non_track_results_are_skipped():
    assert pick("Song", "Band", track("Song", "Band", playable=False)) is None
    assert pick("Song", "Band", {"type": "episode", "uri": "spotify:episode:x", "name": "Song"}) is None


def test_helpers():
    assert split_title("Hey Jude - Remastered 2015") == ("hey jude", "remastered 2015")
    assert split_title("(I Can't Get No) Satisfaction") == ("satisfaction", "i cant get no")
    assert fold("Beyoncé & Jay‐Z!") == "beyonce and jay z"
    assert search_queries('Say "Hi": Now (Live)', "A feat. B") == ["track:Say Hi Now artist:A", "Say Hi Now A"]
    assert [human_wait(s) for s in (0.2, 45, 61, 3600, 3900)] == [
        "1 second", "45 seconds", "about 2 minutes", "about 1 hour", "about 1 hour 5 minutes"]


def test_storage_spotify_imports_no_front_end_or_engine_package():
    import subprocess
    import sys
    code = ("import sys, storage.spotify; "
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'bot', 'discord', 'retrieval', 'nlu'}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                         cwd=__import__("pathlib").Path(__file__).resolve().parents[2])
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
