"""The SQLite database: one file, one connection per `Database`, numbered migrations.

Concurrency model
  * threads: one connection (`check_same_thread=False`) guarded by an RLock; every use goes through
    `transaction()` or `read()`, which hold the lock for the whole block.
  * processes / several `Database` objects on one file: WAL lets readers run beside one writer, the
    busy timeout makes a second writer wait instead of failing, and writes start with
    BEGIN IMMEDIATE so two writers never both hold a read lock and deadlock on the upgrade.
`sqlite3.Error` never leaves this module: it becomes `StorageError` here.
"""
from __future__ import annotations

import logging
import os
import re
import sqlite3
import stat
import threading
import time
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

from storage.errors import StorageError

log = logging.getLogger("moodtape.storage")

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
BUSY_TIMEOUT_S = 5.0
_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


def utcnow() -> str:
    """UTC ISO-8601 with milliseconds: sorts as text and reads well in the sqlite3 CLI."""
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


def ensure_private_dir(path: Path) -> None:
    """Create `path` and any missing parents as 0700. Existing directories are left alone:
    the data dir may be one the user chose (the cwd, a shared volume) and is not ours to chmod."""
    missing = []
    p = path
    while not p.exists():
        missing.append(p)
        p = p.parent
    for d in reversed(missing):
        try:
            d.mkdir(mode=0o700)
        except FileExistsError:  # another process won the race; fine
            continue
        os.chmod(d, 0o700)  # mkdir's mode is filtered by the umask; be explicit


_CREATE_LOCK = threading.Lock()


def _make_private_file(path: Path) -> None:
    """Create the db file as 0600 before SQLite opens it: SQLite gives -wal/-shm the mode of the
    database file, so this one choice keeps all three private.

    Never open() a db file that may already be open: closing *any* descriptor of a file drops all
    of this process's POSIX locks on it, so another process would think our connection gone,
    checkpoint and delete the WAL under us (lost commits; a test caught this). O_EXCL only opens
    a file that did not exist a moment ago, and the lock keeps our own threads from connecting
    to it before the descriptor is closed. Existing files are only chmod-ed (no descriptor)."""
    with _CREATE_LOCK:
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            os.close(fd)
    _tighten(path)


def _tighten(path: Path) -> None:
    for p in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        try:
            if stat.S_IMODE(p.stat().st_mode) != 0o600:
                os.chmod(p, 0o600)  # an older or hand-made file: make it private
        except FileNotFoundError:
            pass
        except OSError as exc:  # not our file (e.g. read-only mount); SQLite will still work
            log.warning("could not make %s private: %s", p, exc)


def _is_busy(exc: sqlite3.Error) -> bool:
    return isinstance(exc, sqlite3.OperationalError) and any(w in str(exc).lower() for w in ("locked", "busy"))


def _retry_busy(conn: sqlite3.Connection, *statements: str) -> list:
    """Run statements that take the first lock of a transaction, retrying on SQLITE_BUSY until the
    busy timeout. SQLite skips the busy handler in a few cases (switching to WAL, another
    connection running WAL recovery or its last-close checkpoint). Only safe because nothing has
    been done yet: on failure we roll back to a clean state and start over."""
    deadline = time.monotonic() + BUSY_TIMEOUT_S
    delay = 0.005
    while True:
        try:
            return [conn.execute(sql).fetchall() for sql in statements]
        except sqlite3.OperationalError as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            if not _is_busy(exc) or time.monotonic() >= deadline:
                raise
            time.sleep(delay)
            delay = min(delay * 2, 0.1)


def _user_message(exc: sqlite3.Error) -> str:
    if _is_busy(exc):
        return "Saved data is busy right now — please try again in a moment."
    return "Something went wrong with saved data — please try again."


@contextmanager
def _translated() -> Iterator[None]:
    """The package boundary: callers only ever see StorageError."""
    try:
        yield
    except sqlite3.Error as exc:
        raise StorageError(f"sqlite: {type(exc).__name__}: {exc}", user_message=_user_message(exc)) from exc


def load_migrations(directory: Path = MIGRATIONS_DIR) -> list[tuple[int, str, str]]:
    """(version, file name, sql) sorted; versions must run 1..N with no gaps or duplicates,
    so a mis-packaged or mis-numbered file fails loudly at start-up instead of skipping."""
    found = []
    for p in sorted(directory.glob("*.sql")):
        m = _MIGRATION_NAME.match(p.name)
        if not m:
            raise StorageError(f"bad migration file name {p.name!r}")
        found.append((int(m.group(1)), p.name, p.read_text(encoding="utf-8")))
    if not found:  # e.g. a wheel built without package-data for storage/migrations/*.sql
        raise StorageError(f"no migrations found in {directory}")
    if [v for v, _, _ in found] != list(range(1, len(found) + 1)):
        raise StorageError(f"migrations in {directory} are not numbered 1..N: {[n for _, n, _ in found]}")
    return found


def split_sql(script: str) -> list[str]:
    """Statements of a script, one per `execute()`. Not `executescript()`: it COMMITs first, which
    would break the one-transaction-per-migration guarantee. Statements end at a line end."""
    out, buf = [], ""
    for line in script.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            if buf.strip().rstrip(";").strip():
                out.append(buf.strip())
            buf = ""
    if buf.strip() and not all(ln.strip().startswith("--") or not ln.strip() for ln in buf.splitlines()):
        raise StorageError(f"unterminated SQL statement: {buf.strip()[:80]!r}")
    return out


class Database:
    """`with db.transaction() as conn:` for writes, `with db.read() as conn:` for reads."""

    def __init__(self, path: Path | str, *, migrations_dir: Path | None = None) -> None:
        self.path = Path(path)
        self._lock = threading.RLock()
        self._modes: list[str] = []      # open blocks on this thread-locked connection: "read"/"write"
        self._conn: sqlite3.Connection | None = None
        try:
            ensure_private_dir(self.path.parent)
            _make_private_file(self.path)
        except OSError as exc:
            raise StorageError(f"cannot create {self.path}: {exc}",
                               user_message="I can't open my data file — check the data directory.") from exc
        with _translated():
            # isolation_level=None: no implicit BEGINs from the sqlite3 module; we issue them.
            conn = sqlite3.connect(str(self.path), timeout=BUSY_TIMEOUT_S, isolation_level=None,
                                   check_same_thread=False)
            try:
                # busy_timeout first, so switching to WAL waits for a process holding the file.
                conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
                mode = _retry_busy(conn, "PRAGMA journal_mode = WAL")[0][0][0]
                if str(mode).lower() != "wal":
                    raise StorageError(f"could not enable WAL (journal_mode={mode})")
                conn.execute("PRAGMA foreign_keys = ON")
                # NORMAL is safe with WAL: a power cut may lose the last commits, never corrupts
                conn.execute("PRAGMA synchronous = NORMAL")
            except BaseException:
                conn.close()
                raise
        self._conn = conn
        try:
            self._migrate(load_migrations(migrations_dir or MIGRATIONS_DIR))
        except BaseException:
            self.close()
            raise
        _tighten(self.path)  # -wal/-shm exist now; make sure they are private too

    # ---- migrations -----------------------------------------------------------------------------
    @property
    def version(self) -> int:
        with self.read() as conn:
            return int(conn.execute("PRAGMA user_version").fetchone()[0])

    def _migrate(self, migrations: list[tuple[int, str, str]]) -> None:
        latest = len(migrations)
        for number, name, sql in migrations:
            # One transaction per migration, and the version is re-read under the write lock, so two
            # processes starting together apply each migration exactly once.
            with self.transaction() as conn:
                current = int(conn.execute("PRAGMA user_version").fetchone()[0])
                if current > latest:
                    raise StorageError(
                        f"{self.path} has schema version {current}, this code knows {latest}",
                        user_message="My data file was written by a newer Moodtape; please upgrade.")
                if current >= number:
                    continue
                log.info("applying migration %s", name)
                for statement in split_sql(sql):
                    conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {number}")  # transactional: rolls back with the rest

    # ---- access ---------------------------------------------------------------------------------
    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            raise StorageError("database is closed", user_message="Saved data is not available right now.")
        return self._conn

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE ... COMMIT; ROLLBACK on any exception. Nested blocks become savepoints,
        so a store method can be called inside a larger transaction (e.g. forget_user)."""
        with self._lock, _translated():
            conn = self._connection()
            if self._modes and self._modes[0] == "read":
                # a deferred read transaction cannot safely upgrade to a write (no busy wait)
                raise StorageError("db.transaction() opened inside db.read()")
            depth = len(self._modes)
            if depth == 0:
                _retry_busy(conn, "BEGIN IMMEDIATE")
            else:
                conn.execute(f"SAVEPOINT sp{depth}")
            self._modes.append("write")
            try:
                yield conn
            except BaseException:
                self._modes.pop()
                self._undo(conn, depth)
                raise
            self._modes.pop()
            try:
                conn.execute("COMMIT" if depth == 0 else f"RELEASE sp{depth}")
            except BaseException:  # e.g. SQLITE_BUSY on COMMIT: never leave a transaction open
                self._undo(conn, depth)
                raise

    @staticmethod
    def _undo(conn: sqlite3.Connection, depth: int) -> None:
        try:
            if depth == 0:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
            else:
                conn.execute(f"ROLLBACK TO sp{depth}")
                conn.execute(f"RELEASE sp{depth}")
        except sqlite3.Error as exc:  # keep the original error, which is the interesting one
            log.warning("rollback failed: %s", exc)

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """A consistent snapshot for several SELECTs (a deferred transaction). For reads only."""
        with self._lock, _translated():
            conn = self._connection()
            if self._modes:  # inside another block: share it (and see its uncommitted writes)
                yield conn
                return
            # reading sqlite_master takes the read snapshot now, inside the retry, not in the body
            _retry_busy(conn, "BEGIN", "SELECT 1 FROM sqlite_master LIMIT 1")
            self._modes.append("read")
            try:
                yield conn
            finally:
                self._modes.pop()
                if conn.in_transaction:
                    conn.execute("COMMIT")

    def integrity_check(self) -> bool:
        """True when SQLite finds no corruption and no dangling foreign keys."""
        with self.read() as conn:
            rows = conn.execute("PRAGMA integrity_check").fetchall()
            fk = conn.execute("PRAGMA foreign_key_check").fetchall()
        return rows == [("ok",)] and not fk

    def close(self) -> None:
        """Idempotent; waits for a block running on another thread. The last connection to close
        checkpoints the WAL into the main file (SQLite does that itself)."""
        with self._lock:
            conn, self._conn = self._conn, None
            if conn is not None:
                conn.close()

    def __enter__(self) -> "Database":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Database({str(self.path)!r}{'' if self._conn else ', closed'})"


def ensure_user(conn: sqlite3.Connection, user_id: str) -> None:
    """Record that we hold data about `user_id` (the `users` table lists whom forget_user may need)."""
    conn.execute("INSERT OR IGNORE INTO users (user_id, created_at) VALUES (?, ?)", (user_id, utcnow()))
