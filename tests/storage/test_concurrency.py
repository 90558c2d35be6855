"""Concurrent writers: threads on one Database, two Database objects on one file, two processes.

The invariant checked each time is one a lost update or a torn write would break: a playlist's
positions are exactly 1..n with no duplicate, every song is there once, and SQLite's own
integrity check passes.
"""
from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from storage.db import Database
from storage.errors import InputError, StorageError
from storage.feedback import FeedbackStore
from storage.playlists import PlaylistStore
from tests.storage.helpers import raw_rows, songs

ROOT = Path(__file__).resolve().parents[2]
N = 60


def assert_playlist_consistent(db_path: Path, expected_ids: set[str]) -> None:
    rows = raw_rows(db_path, "SELECT position, song_id FROM playlist_items ORDER BY position")
    assert [p for p, _ in rows] == list(range(1, len(rows) + 1))
    assert {s for _, s in rows} == expected_ids and len(rows) == len(expected_ids)
    assert raw_rows(db_path, "PRAGMA integrity_check") == [("ok",)]


def run_threads(*targets) -> None:
    errors: list[BaseException] = []
    start = threading.Barrier(len(targets))

    def wrap(fn):
        def run():
            try:
                start.wait()
                fn()
            except BaseException as exc:  # surfaced in the main thread below
                errors.append(exc)
        return run

    threads = [threading.Thread(target=wrap(t)) for t in targets]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors


def writer(db: Database, tag: str):
    store, fb = PlaylistStore(db), FeedbackStore(db)

    def work():
        for i in range(N):
            store.add("u", "shared", songs(f"{tag}{i}"))
            fb.record(f"user-{tag}", f"{tag}{i}", "Artist", 1 if i % 2 else -1)
            assert store.show("u", "shared").items  # reads interleaved with writes
    return work


def test_two_threads_one_database(db, db_path):
    PlaylistStore(db).create("u", "shared")
    run_threads(writer(db, "a"), writer(db, "b"))
    assert_playlist_consistent(db_path, {f"{t}{i}" for t in "ab" for i in range(N)})
    assert db.integrity_check()
    assert len(FeedbackStore(db).for_user("user-a").liked) == N // 2


def test_two_database_objects_on_one_file(db_path):
    db1, db2 = Database(db_path), Database(db_path)
    try:
        PlaylistStore(db1).create("u", "shared")
        run_threads(writer(db1, "a"), writer(db2, "b"))
        assert_playlist_consistent(db_path, {f"{t}{i}" for t in "ab" for i in range(N)})
        assert db1.integrity_check() and db2.integrity_check()
        # each sees the other's commits
        assert len(PlaylistStore(db1).show("u", "shared").items) == len(PlaylistStore(db2).show("u", "shared").items)
    finally:
        db1.close()
        db2.close()


def test_second_writer_waits_for_the_first(db_path):
    db1, db2 = Database(db_path), Database(db_path)
    held = threading.Event()

    def hold():
        with db1.transaction() as conn:
            conn.execute("INSERT INTO users (user_id, created_at) VALUES ('first', 'now')")
            held.set()
            time.sleep(0.5)

    t = threading.Thread(target=hold)
    t.start()
    held.wait(10)
    began = time.perf_counter()
    with db2.transaction() as conn:  # blocks on the busy timeout, then succeeds
        conn.execute("INSERT INTO users (user_id, created_at) VALUES ('second', 'now')")
    waited = time.perf_counter() - began
    t.join()
    assert waited > 0.2
    assert sorted(raw_rows(db_path, "SELECT user_id FROM users")) == [("first",), ("second",)]
    db1.close()
    db2.close()


def test_writer_that_waits_too_long_gets_a_friendly_storage_error(db_path, monkeypatch):
    db1 = Database(db_path)
    monkeypatch.setattr("storage.db.BUSY_TIMEOUT_S", 0.2)
    db2 = Database(db_path)
    try:
        with db1.transaction():
            with pytest.raises(StorageError) as err:
                with db2.transaction():
                    pass
        assert "busy" in err.value.user_message
        with db2.transaction():  # usable again once the lock is gone
            pass
    finally:
        db1.close()
        db2.close()


def test_readers_do_not_block_on_a_writer(db_path):
    """WAL: a reader in another connection reads the last committed state while a write is open."""
    db1, db2 = Database(db_path), Database(db_path)
    try:
        PlaylistStore(db1).create("u", "p")
        with db1.transaction() as conn:
            conn.execute("UPDATE playlists SET name = 'uncommitted', name_key = 'uncommitted'")
            began = time.perf_counter()
            assert PlaylistStore(db2).list("u") == [("p", 0)]
            assert time.perf_counter() - began < 1.0
    finally:
        db1.close()
        db2.close()


WORKER = textwrap.dedent("""
    import sys, time
    from storage.db import Database
    from storage.errors import InputError
    from storage.feedback import FeedbackStore
    from storage.playlists import PlaylistStore, SongRef

    path, tag, n, start_at = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
    time.sleep(max(0.0, start_at - time.time()))   # both processes start together, even on a fresh file
    db = Database(path)
    store, fb = PlaylistStore(db), FeedbackStore(db)
    try:
        store.create("u", "shared")
    except InputError:
        pass                                       # the other process created it first
    for i in range(n):
        store.add("u", "shared", [SongRef(f"{tag}{i}", "A", "T", None)])
        fb.record("u", f"{tag}{i}", "A", 1)
    db.close()
    print("ok")
""")


def test_two_processes_write_to_one_fresh_file(tmp_path):
    db_path = tmp_path / "data" / "m.sqlite3"   # does not exist yet: migrations race too
    start_at = time.time() + 1.0
    procs = [subprocess.Popen([sys.executable, "-c", WORKER, str(db_path), tag, str(N), str(start_at)],
                              cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for tag in ("a", "b")]
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0 and out.strip() == "ok", err
    assert_playlist_consistent(db_path, {f"{t}{i}" for t in "ab" for i in range(N)})
    assert raw_rows(db_path, "PRAGMA user_version") == [(1,)]
    assert raw_rows(db_path, "SELECT COUNT(*) FROM playlists") == [(1,)]
    assert raw_rows(db_path, "SELECT COUNT(*) FROM feedback") == [(2 * N,)]
    db = Database(db_path)
    assert db.integrity_check()
    db.close()


def test_create_race_yields_one_playlist(db_path):
    """Two Database objects creating the same name at once: one wins, the other gets InputError."""
    db1, db2 = Database(db_path), Database(db_path)
    outcomes: list[str] = []
    lock = threading.Lock()

    def create(db):
        def run():
            try:
                PlaylistStore(db).create("u", "Same Name")
                result = "created"
            except InputError:
                result = "exists"
            with lock:
                outcomes.append(result)
        return run

    try:
        run_threads(create(db1), create(db2))
    finally:
        db1.close()
        db2.close()
    assert sorted(outcomes) == ["created", "exists"]
    assert raw_rows(db_path, "SELECT COUNT(*) FROM playlists") == [(1,)]


CHILD_WRITE = textwrap.dedent("""
    import sys
    from storage.db import Database
    db = Database(sys.argv[1])
    with db.transaction() as conn:
        conn.execute("INSERT INTO users (user_id, created_at) VALUES ('child', 'now')")
    db.close()   # if it believes it is the last connection, it checkpoints and deletes the WAL
""")
CHILD_READ = ("import sqlite3, sys; conn = sqlite3.connect(sys.argv[1]); "
              "print(sorted(r[0] for r in conn.execute('SELECT user_id FROM users')))")


def _child(code: str, db_path: Path) -> str:
    res = subprocess.run([sys.executable, "-c", code, str(db_path)], cwd=ROOT, capture_output=True, text=True,
                         timeout=60)
    assert res.returncode == 0, res.stderr
    return res.stdout.strip()


def _lost_commit_scenario(db_path: Path, between=lambda: None) -> str:
    db1 = Database(db_path)
    with db1.transaction() as conn:
        conn.execute("INSERT INTO users (user_id, created_at) VALUES ('before', 'now')")
    db2 = Database(db_path)      # a second Database on the same file, same process
    between()
    _child(CHILD_WRITE, db_path)
    with db1.transaction() as conn:
        conn.execute("INSERT INTO users (user_id, created_at) VALUES ('after', 'now')")
    seen = _child(CHILD_READ, db_path)   # another process, while db1 is still open
    db2.close()
    db1.close()
    return seen


def test_opening_the_file_again_keeps_this_process_locks(db_path):
    """Regression: opening (and closing) a descriptor of the db file drops this process's POSIX
    locks, another process then deletes the WAL on close and later commits are lost."""
    assert _lost_commit_scenario(db_path) == "['after', 'before', 'child']"


def test_the_lost_commit_scenario_really_detects_dropped_locks(tmp_path):
    """The scenario above is meaningful: simulate the old bug and see the commit vanish."""
    path = tmp_path / "m.sqlite3"

    def drop_locks():
        import os
        os.close(os.open(path, os.O_RDWR))

    assert _lost_commit_scenario(path, drop_locks) != "['after', 'before', 'child']"
