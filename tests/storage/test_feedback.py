"""FeedbackStore: latest vote wins, artist demotion, user isolation, and agreement with retrieval."""
from __future__ import annotations

import pytest

from storage._text import norm_artist
from storage.errors import InputError
from storage.feedback import DEMOTE_AFTER, FeedbackStore, UserTaste
from tests.storage.helpers import raw_rows


def test_empty_user(feedback):
    taste = feedback.for_user("nobody")
    assert taste == UserTaste() and taste.empty


def test_like_and_dislike(feedback):
    feedback.record("u", "s1", "Adele", 1)
    feedback.record("u", "s2", "Queen", -1)
    taste = feedback.for_user("u")
    assert taste.liked == {"s1"} and taste.disliked == {"s2"}
    assert taste.liked_artists == {"adele"}
    assert taste.demoted_artists == frozenset()  # one dislike is about the song, not the artist


def test_latest_vote_wins(feedback, db_path):
    feedback.record("u", "s1", "Adele", 1)
    feedback.record("u", "s1", "Adele", -1)
    taste = feedback.for_user("u")
    assert taste.liked == frozenset() and taste.disliked == {"s1"}
    feedback.record("u", "s1", "Adele", 1)
    assert feedback.for_user("u").liked == {"s1"}
    assert raw_rows(db_path, "SELECT COUNT(*) FROM feedback") == [(1,)]  # one row, updated in place


def test_artist_demoted_after_two_dislikes_normalised(feedback):
    feedback.record("u", "s1", "The Weeknd", -1)
    assert "weeknd" not in feedback.for_user("u").demoted_artists
    feedback.record("u", "s2", "the weeknd (feat. Daft Punk)", -1)
    taste = feedback.for_user("u")
    assert DEMOTE_AFTER == 2
    assert taste.demoted_artists == {"weeknd"}
    assert taste.disliked_artists == {"weeknd": 2}


def test_changing_mind_undoes_demotion(feedback):
    feedback.record("u", "s1", "Queen", -1)
    feedback.record("u", "s2", "Queen", -1)
    assert feedback.for_user("u").demoted_artists == {"queen"}
    feedback.record("u", "s2", "Queen", 1)
    taste = feedback.for_user("u")
    assert taste.demoted_artists == frozenset() and taste.liked_artists == {"queen"}


def test_disliking_the_same_song_twice_is_one_dislike(feedback):
    feedback.record("u", "s1", "Queen", -1)
    feedback.record("u", "s1", "Queen", -1)
    assert feedback.for_user("u").demoted_artists == frozenset()


def test_non_latin_artists_are_not_demoted_as_empty_string(feedback):
    # norm_artist folds to ASCII, so these all normalise to "": demoting "" would demote all of them
    feedback.record("u", "s1", "宇多田ヒカル", -1)
    feedback.record("u", "s2", "Земфира", -1)
    assert "" not in feedback.for_user("u").demoted_artists


def test_users_are_isolated(feedback):
    feedback.record("alice", "s1", "Adele", 1)
    feedback.record("bob", "s1", "Adele", -1)
    assert feedback.for_user("alice").liked == {"s1"}
    assert feedback.for_user("bob").disliked == {"s1"}
    assert feedback.clear("alice") == 1
    assert feedback.for_user("alice").empty and feedback.for_user("bob").disliked == {"s1"}


def test_int_user_ids_match_their_text(feedback):
    feedback.record(123456789012345678, "s1", "Adele", 1)
    assert feedback.for_user("123456789012345678").liked == {"s1"}


@pytest.mark.parametrize("value", [0, 2, "up", True, None, 1.5])
def test_bad_values_rejected(feedback, value):
    with pytest.raises(InputError):
        feedback.record("u", "s1", "Adele", value)


@pytest.mark.parametrize("user, song", [("", "s1"), ("u", ""), ("u\x00", "s1"), ("u", None), (None, "s1")])
def test_bad_ids_rejected(feedback, user, song):
    with pytest.raises(InputError):
        feedback.record(user, song, "Adele", 1)


def test_taste_is_immutable(feedback):
    feedback.record("u", "s1", "Queen", -1)
    taste = feedback.for_user("u")
    with pytest.raises(Exception):
        taste.liked = frozenset({"x"})  # type: ignore[misc]
    with pytest.raises(TypeError):
        taste.disliked_artists["queen"] = 9  # type: ignore[index]


def test_records_user_row(feedback, db_path):
    feedback.record("u", "s1", "Queen", 1)
    assert raw_rows(db_path, "SELECT user_id FROM users") == [("u",)]


@pytest.mark.parametrize("artist", ["The Beatles", "Beyoncé", "AC/DC", "Simon & Garfunkel",
                                    "Drake feat. Rihanna", "Guns N' Roses", "  The  The  ", "P!nk",
                                    "Mötley Crüe", "宇多田ヒカル", "Earth, Wind & Fire (live)"])
def test_artist_normalisation_matches_retrieval(artist):
    """Demoted artists are compared with the catalog's artist_norm = norm_artist(cut=False)."""
    textnorm = pytest.importorskip("retrieval.textnorm")
    assert norm_artist(artist) == textnorm.norm_artist(artist, cut=False)


def test_store_survives_reopen(db_path):
    from storage.db import Database

    db = Database(db_path)
    FeedbackStore(db).record("u", "s1", "Queen", 1)
    db.close()
    db = Database(db_path)
    assert FeedbackStore(db).for_user("u").liked == {"s1"}
    db.close()
