"""PlaylistStore: CRUD, hostile names, ownership, friendly errors, all-or-nothing writes."""
from __future__ import annotations

import sqlite3

import pytest

from storage.errors import InputError, NotFoundError, StorageError
from storage.playlists import MAX_ITEMS, MAX_NAME, PlaylistStore, SongRef, clean_name
from tests.storage.helpers import raw_rows, songs

TRICKY_NAMES = [
    "'; DROP TABLE playlists; --",
    "Robert'); DELETE FROM playlist_items; --",
    '"quotes" and \'apostrophes\'',
    "a/b", "../../etc/passwd", "C:\\Windows\\system32",
    "%", "_", "100% _wild_ %%", "rainy days 🌧️🎵", "👨‍👩‍👧 family",  # ZWJ emoji sequence (Cf is allowed)
    "Äpfel & Öl", "x" * MAX_NAME, "<script>alert(1)</script>", "NULL", "*",
]


def test_create_show_list(playlists):
    pl = playlists.create("u", "  Rainy Days  ")
    assert pl.name == "Rainy Days" and pl.items == ()
    assert playlists.add("u", "rainy days", songs("s1", "s2")) == 2
    shown = playlists.show("u", "RAINY DAYS")
    assert shown.name == "Rainy Days" and shown.id == pl.id
    assert [(i.position, i.song_id, i.artist, i.title, i.year) for i in shown.items] == [
        (1, "s1", "Artist s1", "Title s1", 1990), (2, "s2", "Artist s2", "Title s2", 1991)]
    playlists.create("u", "alpha")
    assert playlists.list("u") == [("alpha", 0), ("Rainy Days", 2)]


@pytest.mark.parametrize("name", TRICKY_NAMES)
def test_tricky_names_are_just_names(playlists, db_path, name):
    playlists.create("u", name)
    playlists.create("u", "other")
    assert playlists.add("u", name, songs("s1")) == 1
    assert playlists.show("u", name).name == name
    assert sorted(playlists.list("u")) == sorted([(name, 1), ("other", 0)])
    # LIKE wildcards and SQL fragments must not match other playlists
    with pytest.raises(NotFoundError):
        playlists.show("u", (name + "z")[-MAX_NAME:])
    renamed = (name + " 2")[-MAX_NAME:]
    playlists.rename("u", name, renamed)
    assert playlists.show("u", renamed).items[0].song_id == "s1"
    playlists.delete("u", renamed)
    assert playlists.list("u") == [("other", 0)]
    tables = {r[0] for r in raw_rows(db_path, "SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"playlists", "playlist_items"} <= tables


@pytest.mark.parametrize("name", ["", "   ", "a\x00b", "line\nbreak", "tab\there", "esc\x1b[31m",
                                  "x" * (MAX_NAME + 1), None, 42, "\ud800"])
def test_bad_names_rejected_with_friendly_message(playlists, name):
    with pytest.raises(InputError) as err:
        playlists.create("u", name)
    assert err.value.user_message and "sqlite" not in err.value.user_message.lower()
    assert playlists.list("u") == []


def test_name_is_trimmed_and_length_counts_characters():
    assert clean_name("  🎵  ") == "🎵"
    assert clean_name("é" * MAX_NAME) == "é" * MAX_NAME


def test_duplicate_names_case_insensitive_including_non_ascii(playlists):
    playlists.create("u", "Äpfel")
    for dup in ("Äpfel", "äpfel", "ÄPFEL", "A\u0308pfel"):  # the last is the decomposed form
        with pytest.raises(InputError) as err:
            playlists.create("u", dup)
        assert "already have a playlist called 'Äpfel'" in err.value.user_message
    assert playlists.show("u", "äpfel").name == "Äpfel"
    playlists.create("u", "Straße")
    assert playlists.show("u", "STRASSE").name == "Straße"


def test_not_found_lists_your_playlists(playlists):
    with pytest.raises(NotFoundError) as err:
        playlists.show("u", "x")
    assert err.value.user_message == "You have no playlist called 'x'. You have no playlists yet."
    playlists.create("u", "b")
    playlists.create("u", "a")
    with pytest.raises(NotFoundError) as err:
        playlists.show("u", "x")
    assert err.value.user_message == "You have no playlist called 'x'. Your playlists: a, b"
    for op in (lambda: playlists.add("u", "x", songs("s1")), lambda: playlists.delete("u", "x"),
               lambda: playlists.rename("u", "x", "y"), lambda: playlists.remove("u", "x", 1)):
        with pytest.raises(NotFoundError):
            op()


def test_not_found_message_is_capped(playlists):
    for i in range(15):
        playlists.create("u", f"p{i:02d}")
    with pytest.raises(NotFoundError) as err:
        playlists.show("u", "x")
    assert err.value.user_message.endswith("p09 (+5 more)")


def test_owner_only(playlists):
    playlists.create("alice", "mine")
    playlists.add("alice", "mine", songs("s1"))
    with pytest.raises(NotFoundError) as err:
        playlists.show("bob", "mine")
    assert err.value.user_message == "You have no playlist called 'mine'. You have no playlists yet."  # not alice's
    for op in (lambda: playlists.add("bob", "mine", songs("s2")), lambda: playlists.delete("bob", "mine"),
               lambda: playlists.rename("bob", "mine", "stolen"), lambda: playlists.remove("bob", "mine", 1)):
        with pytest.raises(NotFoundError):
            op()
    assert [i.song_id for i in playlists.show("alice", "mine").items] == ["s1"]
    # the same name can exist independently for bob
    playlists.create("bob", "mine")
    assert playlists.list("bob") == [("mine", 0)] and playlists.list("alice") == [("mine", 1)]


def test_add_ignores_duplicates_and_keeps_order(playlists):
    playlists.create("u", "p")
    assert playlists.add("u", "p", songs("s1", "s2", "s1")) == 2
    assert playlists.add("u", "p", songs("s2", "s3")) == 1
    assert playlists.add("u", "p", []) == 0
    assert [(i.position, i.song_id) for i in playlists.show("u", "p").items] == [(1, "s1"), (2, "s2"), (3, "s3")]


def test_add_cleans_song_fields(playlists):
    playlists.create("u", "p")
    playlists.add("u", "p", [SongRef("s1", "Bad\nArtist\x00", "T\tle", "1999"), SongRef("s2", "A", "T", "n/a")])
    a, b = playlists.show("u", "p").items
    assert (a.artist, a.title, a.year) == ("Bad Artist", "T le", 1999)
    assert b.year is None
    with pytest.raises(InputError):
        playlists.add("u", "p", [SongRef("", "A", "T")])


def test_add_is_all_or_nothing_when_the_db_fails_mid_way(playlists, db, db_path):
    """A trigger makes the 3rd insert fail after two rows went in: the whole add must vanish."""
    playlists.create("u", "p")
    playlists.add("u", "p", songs("s0"))
    with db.transaction() as conn:
        conn.execute("CREATE TRIGGER boom BEFORE INSERT ON playlist_items WHEN NEW.song_id = 'bad' "
                     "BEGIN SELECT RAISE(ABORT, 'simulated disk failure'); END")
    with pytest.raises(StorageError):
        playlists.add("u", "p", songs("s1", "s2", "bad", "s3"))
    assert raw_rows(db_path, "SELECT song_id FROM playlist_items ORDER BY position") == [("s0",)]
    assert [i.song_id for i in playlists.show("u", "p").items] == ["s0"]
    # the connection is healthy afterwards
    assert playlists.add("u", "p", songs("s1")) == 1


def test_bad_song_in_a_batch_writes_nothing(playlists, db_path):
    """Every ref is validated before the first insert, so one bad ref refuses the whole batch."""
    playlists.create("u", "p")
    with pytest.raises(InputError):
        playlists.add("u", "p", songs("s1", "s2") + [SongRef("", "A", "T")])
    assert raw_rows(db_path, "SELECT COUNT(*) FROM playlist_items") == [(0,)]


def test_playlist_capacity(playlists, monkeypatch):
    monkeypatch.setattr("storage.playlists.MAX_ITEMS", 3)
    playlists.create("u", "p")
    assert playlists.add("u", "p", songs("a", "b")) == 2
    with pytest.raises(InputError):
        playlists.add("u", "p", songs("c", "d"))
    assert len(playlists.show("u", "p").items) == 2  # nothing of the refused add
    assert playlists.add("u", "p", songs("a", "c")) == 1
    assert MAX_ITEMS >= 100


def test_playlist_count_limit(playlists, monkeypatch):
    monkeypatch.setattr("storage.playlists.MAX_PLAYLISTS", 2)
    playlists.create("u", "a")
    playlists.create("u", "b")
    with pytest.raises(InputError):
        playlists.create("u", "c")
    playlists.create("v", "c")  # per user


def test_remove_by_position_and_song_id_renumbers(playlists):
    playlists.create("u", "p")
    playlists.add("u", "p", songs("s1", "s2", "s3", "s4"))
    removed = playlists.remove("u", "p", 2)
    assert removed.song_id == "s2"
    assert [(i.position, i.song_id) for i in playlists.show("u", "p").items] == [(1, "s1"), (2, "s3"), (3, "s4")]
    assert playlists.remove("u", "p", "s1").position == 1
    assert [(i.position, i.song_id) for i in playlists.show("u", "p").items] == [(1, "s3"), (2, "s4")]
    assert playlists.add("u", "p", songs("s5")) == 1
    assert [i.position for i in playlists.show("u", "p").items] == [1, 2, 3]


@pytest.mark.parametrize("target", [0, -1, 4, "nope"])
def test_remove_missing_item(playlists, target):
    playlists.create("u", "Mix")
    playlists.add("u", "mix", songs("s1", "s2", "s3"))
    with pytest.raises(NotFoundError) as err:
        playlists.remove("u", "mix", target)
    assert "'Mix' has no" in err.value.user_message and "3 songs" in err.value.user_message
    assert len(playlists.show("u", "mix").items) == 3


def test_remove_from_empty_playlist(playlists):
    playlists.create("u", "Mix")
    with pytest.raises(NotFoundError) as err:
        playlists.remove("u", "mix", 1)
    assert err.value.user_message == "'Mix' has no #1 — it is empty."


def test_rename(playlists):
    playlists.create("u", "old")
    playlists.add("u", "old", songs("s1"))
    playlists.create("u", "taken")
    with pytest.raises(InputError):
        playlists.rename("u", "old", "TAKEN")
    playlists.rename("u", "old", "OLD")  # a case change of itself is fine
    playlists.rename("u", "old", "new")
    assert playlists.list("u") == [("new", 1), ("taken", 0)]
    with pytest.raises(InputError):
        playlists.rename("u", "new", "  ")


def test_delete_cascades_items_and_spotify_rows(playlists, db, db_path):
    pl = playlists.create("u", "p")
    playlists.add("u", "p", songs("s1", "s2"))
    with db.transaction() as conn:
        conn.execute("INSERT INTO spotify_exports VALUES ('u', ?, 'sp1', 'snap', 'now')", (pl.id,))
        conn.execute("INSERT INTO spotify_export_items VALUES (?, 's1', 'spotify:track:1')", (pl.id,))
    assert playlists.delete("u", "p") == 2
    for table in ("playlists", "playlist_items", "spotify_exports", "spotify_export_items"):
        assert raw_rows(db_path, f"SELECT COUNT(*) FROM {table}") == [(0,)], table


def test_ids_are_not_reused_after_delete(playlists):
    first = playlists.create("u", "a")
    playlists.delete("u", "a")
    assert playlists.create("u", "a").id > first.id


def test_user_row_recorded(playlists, db_path):
    playlists.create("u", "p")
    assert raw_rows(db_path, "SELECT user_id FROM users") == [("u",)]


def test_schema_rejects_what_the_store_would(db):
    # the CHECK constraint backs up clean_name for writers that bypass the store
    with pytest.raises(StorageError) as err:
        with db.transaction() as conn:
            conn.execute("INSERT INTO playlists (user_id, name, name_key, created_at) VALUES ('u', '', '', 'x')")
    assert isinstance(err.value.__cause__, sqlite3.IntegrityError)


def test_stores_share_one_database(db):
    a, b = PlaylistStore(db), PlaylistStore(db)
    a.create("u", "p")
    assert b.list("u") == [("p", 0)]


def test_ensure_creates_once_and_keeps_existing_items(tmp_path):
    from storage.db import Database
    from storage.playlists import PlaylistStore, SongRef

    db = Database(tmp_path / "m.sqlite3")
    store = PlaylistStore(db)
    store.ensure("u", "Rainy Days")
    store.add("u", "rainy days", [SongRef("s1", "A", "B", 1990)])
    store.ensure("u", "RAINY DAYS")           # same name by name_key: nothing new, nothing lost
    assert store.list("u") == [("Rainy Days", 1)]
    db.close()
