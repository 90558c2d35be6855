"""Database: pragmas, file modes, migrations, transactions, error wrapping, package boundaries."""
from __future__ import annotations

import os
import re
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from storage.db import MIGRATIONS_DIR, Database, load_migrations, split_sql
from storage.errors import StorageError
from tests.storage.helpers import raw_rows

TABLES = {"users", "feedback", "sessions", "playlists", "playlist_items", "spotify_tokens",
          "spotify_exports", "spotify_export_items"}


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_pragmas(db):
    with db.read() as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == 5000
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL


def test_wal_persists_in_the_file(db, db_path):
    # journal_mode=WAL is stored in the file: a plain connection sees it too
    assert raw_rows(db_path, "PRAGMA journal_mode") == [("wal",)]


def test_files_and_created_dirs_are_private(tmp_path):
    path = tmp_path / "new" / "deeper" / "m.sqlite3"
    db = Database(path)
    try:
        with db.transaction() as conn:  # make sure -wal and -shm exist
            conn.execute("INSERT INTO users (user_id, created_at) VALUES ('u', 'now')")
        for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            assert p.exists(), p
            assert mode(p) == 0o600, (p, oct(mode(p)))
        assert mode(tmp_path / "new") == 0o700
        assert mode(tmp_path / "new" / "deeper") == 0o700
    finally:
        db.close()


def test_existing_loose_file_is_tightened(tmp_path):
    path = tmp_path / "m.sqlite3"
    sqlite3.connect(str(path)).close()
    os.chmod(path, 0o644)
    Database(path).close()
    assert mode(path) == 0o600


def test_existing_parent_dir_is_left_alone(tmp_path):
    os.chmod(tmp_path, 0o755)
    Database(tmp_path / "m.sqlite3").close()
    assert mode(tmp_path) == 0o755


def test_schema_created_and_versioned(db, db_path):
    names = {r[0] for r in raw_rows(db_path, "SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert TABLES <= names
    assert db.version == len(load_migrations()) == 1
    assert raw_rows(db_path, "PRAGMA user_version") == [(1,)]


def test_migrations_idempotent_on_reopen(db_path):
    db = Database(db_path)
    with db.transaction() as conn:
        conn.execute("INSERT INTO users (user_id, created_at) VALUES ('keep-me', 'now')")
    db.close()
    for _ in range(3):
        db = Database(db_path)
        assert db.version == 1
        with db.read() as conn:
            assert conn.execute("SELECT user_id FROM users").fetchall() == [("keep-me",)]
        db.close()


def test_newer_schema_is_refused(db_path):
    Database(db_path).close()
    conn = sqlite3.connect(str(db_path))
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    with pytest.raises(StorageError) as err:
        Database(db_path)
    assert "newer" in err.value.user_message


def _write_migrations(directory: Path, files: dict[str, str]) -> Path:
    directory.mkdir()
    for name, sql in files.items():
        (directory / name).write_text(sql)
    return directory


def test_failed_migration_rolls_back_completely(tmp_path):
    good = "CREATE TABLE a (x INTEGER);\n"
    bad = "CREATE TABLE b (x INTEGER);\nINSERT INTO no_such_table VALUES (1);\n"
    mig = _write_migrations(tmp_path / "mig", {"0001_a.sql": good, "0002_b.sql": bad})
    path = tmp_path / "m.sqlite3"
    with pytest.raises(StorageError):
        Database(path, migrations_dir=mig)
    # 0001 committed, 0002 not at all: no table b, version still 1
    assert raw_rows(path, "PRAGMA user_version") == [(1,)]
    tables = {r[0] for r in raw_rows(path, "SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "a" in tables and "b" not in tables
    # fixing the file lets the next start finish the job
    (mig / "0002_b.sql").write_text("CREATE TABLE b (x INTEGER);\n")
    db = Database(path, migrations_dir=mig)
    assert db.version == 2
    db.close()


@pytest.mark.parametrize("files", [
    {"0001_a.sql": "SELECT 1;", "0003_c.sql": "SELECT 1;"},   # gap
    {"0002_b.sql": "SELECT 1;"},                               # does not start at 1
    {"1_a.sql": "SELECT 1;"},                                  # bad name
    {},                                                        # none at all (packaging mistake)
])
def test_misnumbered_migrations_fail_loudly(tmp_path, files):
    mig = _write_migrations(tmp_path / "mig", files)
    with pytest.raises(StorageError):
        Database(tmp_path / "m.sqlite3", migrations_dir=mig)


def test_split_sql_handles_triggers_comments_and_semicolons_in_strings():
    script = """-- comment; with a semicolon
CREATE TABLE t (x TEXT DEFAULT 'a;b');
CREATE TRIGGER tr AFTER INSERT ON t BEGIN
  UPDATE t SET x = 'c;d';
END;
-- trailing comment
"""
    parts = split_sql(script)
    assert len(parts) == 2 and parts[1].startswith("CREATE TRIGGER") and parts[1].endswith("END;")
    with pytest.raises(StorageError):
        split_sql("CREATE TABLE t (x")


def test_shipped_migrations_have_no_transaction_control():
    for _, name, sql in load_migrations(MIGRATIONS_DIR):
        for stmt in split_sql(sql):
            first = " ".join(line for line in stmt.splitlines() if not line.strip().startswith("--")).split()[0]
            assert first.upper() not in ("BEGIN", "COMMIT", "ROLLBACK", "END"), name


def test_transaction_commits_and_rolls_back(db, db_path):
    with db.transaction() as conn:
        conn.execute("INSERT INTO users (user_id, created_at) VALUES ('a', 'now')")
    with pytest.raises(RuntimeError):
        with db.transaction() as conn:
            conn.execute("INSERT INTO users (user_id, created_at) VALUES ('b', 'now')")
            raise RuntimeError("boom")
    assert raw_rows(db_path, "SELECT user_id FROM users") == [("a",)]
    with db.read() as conn:
        assert not conn.in_transaction or conn.execute("SELECT 1").fetchone()


def test_nested_transaction_is_a_savepoint(db, db_path):
    with db.transaction() as conn:
        conn.execute("INSERT INTO users (user_id, created_at) VALUES ('outer', 'now')")
        with pytest.raises(ValueError):
            with db.transaction() as inner:
                inner.execute("INSERT INTO users (user_id, created_at) VALUES ('inner', 'now')")
                raise ValueError
        with db.read() as r:  # a read inside a write shares it and sees its rows
            assert r.execute("SELECT COUNT(*) FROM users").fetchone()[0] == 1
    assert raw_rows(db_path, "SELECT user_id FROM users") == [("outer",)]


def test_write_inside_read_is_refused(db):
    with db.read():
        with pytest.raises(StorageError):
            with db.transaction():
                pass
    with db.transaction():  # and the connection is still usable afterwards
        pass


def test_sqlite_errors_are_wrapped(db):
    with pytest.raises(StorageError) as err:
        with db.transaction() as conn:
            conn.execute("INSERT INTO feedback (user_id, song_id, value, created_at) VALUES ('u', 's', 7, 'x')")
    assert isinstance(err.value.__cause__, sqlite3.IntegrityError)
    assert "sqlite" not in err.value.user_message.lower()
    with pytest.raises(StorageError):
        with db.read() as conn:
            conn.execute("SELECT * FROM no_such_table")


def test_foreign_keys_enforced(db):
    with pytest.raises(StorageError):
        with db.transaction() as conn:
            conn.execute("INSERT INTO playlist_items (playlist_id, position, song_id, artist, title, added_at) "
                         "VALUES (12345, 1, 's', 'a', 't', 'now')")


def test_closed_database_raises_storage_error(db_path):
    db = Database(db_path)
    db.close()
    db.close()  # idempotent
    with pytest.raises(StorageError):
        with db.read():
            pass
    with pytest.raises(StorageError):
        db.integrity_check()


def test_context_manager_closes(db_path):
    with Database(db_path) as db:
        assert db.integrity_check()
    assert "closed" in repr(db)


def test_unopenable_path_is_storage_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StorageError):
        Database(blocker / "sub" / "m.sqlite3")  # parent is a regular file


def test_not_a_database_is_storage_error(tmp_path):
    path = tmp_path / "m.sqlite3"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StorageError):
        Database(path)


def test_integrity_check_true_on_fresh_db(db):
    assert db.integrity_check() is True


def test_storage_never_imports_front_ends_or_retrieval():
    root = Path(__file__).resolve().parents[2]
    code = ("import sys, storage.db, storage.feedback, storage.playlists, storage.sessions, "
            "storage.exporters, storage.forget, storage.errors, storage.settings\n"
            "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('bot', 'discord', 'retrieval', 'nlu'))\n"
            "print(bad); sys.exit(1 if bad else 0)")
    res = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, timeout=60)
    assert res.returncode == 0, res.stdout + res.stderr
    forbidden = re.compile(r"^\s*(import|from)\s+(bot|discord|retrieval|nlu)\b", re.M)  # lazy imports too
    for py in (root / "storage").rglob("*.py"):
        assert not forbidden.search(py.read_text()), py
