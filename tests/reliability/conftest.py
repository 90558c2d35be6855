"""Fixtures for the reliability suite (issue 7): the real model and built-in catalog, shared once
per test session; a fresh SQLite per engine; helpers to drive `moodtape` as a real subprocess."""
from __future__ import annotations

import json
import os
import queue
import signal
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.conftest import ROOT

REPLY_TIMEOUT_S = 180.0   # the first reply of a subprocess includes loading the model on 2 shared cores


@pytest.fixture(scope="session")
def warm_services(builtin_services):
    builtin_services.warm_up()
    return builtin_services


def make_engine(warm, data_dir: Path, **settings):
    """An Engine sharing the loaded model and the built-in catalog, with its own SQLite."""
    from bot.engine import Engine
    from bot.services import Services
    from storage.settings import Settings

    services = Services(Settings(data_dir=Path(data_dir), **settings))
    services.__dict__["catalog"] = warm.catalog
    services.__dict__["recommender"] = warm.recommender
    return Engine(services, k=5)


@pytest.fixture
def engine(warm_services, tmp_path):
    eng = make_engine(warm_services, tmp_path / "home")
    yield eng
    eng.services.close()


@pytest.fixture(scope="module")
def module_engine(warm_services, tmp_path_factory):
    """For hypothesis tests (function-scoped fixtures are not reset between examples anyway)."""
    eng = make_engine(warm_services, tmp_path_factory.mktemp("rel-home"))
    yield eng
    eng.services.close()


@pytest.fixture(scope="session")
def catalog_songs(warm_services):
    """(song_id, artist, title) of 60 real catalog songs, for feedback / playlist writes by id."""
    titles = warm_services.catalog.vocab().titles
    step = max(1, len(titles) // 60)
    return [(sid, artist, title) for sid, title, artist in titles[::step][:60]]


@pytest.fixture(scope="session")
def builtin_db_dir(warm_services) -> Path:
    """The materialised built-in catalog, handed to subprocesses as MOODTAPE_DB so that each one
    does not materialise its own copy."""
    return Path(warm_services.catalog.path)


# ---- SQLite, read directly ----------------------------------------------------------------------
def sqlite_rows(path: Path, sql: str, params: tuple = ()) -> list[tuple]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def integrity_ok(path: Path) -> bool:
    conn = sqlite3.connect(str(path), timeout=10)
    try:
        return (conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
                and not conn.execute("PRAGMA foreign_key_check").fetchall())
    finally:
        conn.close()


def user_tables(path: Path) -> list[str]:
    """Every table that has a user_id column."""
    names = [r[0] for r in sqlite_rows(path, "SELECT name FROM sqlite_master WHERE type = 'table'")]
    return [n for n in names
            if any(c[1] == "user_id" for c in sqlite_rows(path, f'PRAGMA table_info("{n}")'))]


def is_traceback(text: str) -> bool:
    return "Traceback (most recent call last)" in text or 'File "' in text


# ---- `moodtape chat --jsonl` as a subprocess -----------------------------------------------------
def subprocess_env(home: Path, db: Path | None = None, **extra: str) -> dict:
    env = dict(os.environ, MOODTAPE_HOME=str(home), HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1",
               LANCE_LOG="error", PYTHONUNBUFFERED="1", LANG="C.UTF-8", LC_ALL="C.UTF-8")
    env.pop("MOODTAPE_DB", None)
    if db is not None:
        env["MOODTAPE_DB"] = str(db)
    env.update(extra)
    return env


class ChatProcess:
    """`python -m bot.cli chat --jsonl`: write lines, read replies as they arrive (a reader thread
    puts each stdout line on a queue), SIGKILL it whenever."""

    def __init__(self, home: Path, db: Path | None = None, *, stderr_path: Path | None = None,
                 **extra_env: str) -> None:
        self.stderr_path = stderr_path or (Path(home).parent / f"chat-stderr-{os.getpid()}-{id(self)}.log")
        self._stderr = open(self.stderr_path, "wb")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "chat", "--jsonl", "--k", "5"], cwd=ROOT,
            env=subprocess_env(home, db, **extra_env), stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=self._stderr)
        self.lines: "queue.Queue[bytes | None]" = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.lines.put(line)
        self.lines.put(None)

    def send_raw(self, data: bytes) -> None:
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def send(self, obj) -> None:
        self.send_raw((obj if isinstance(obj, str) else json.dumps(obj)).encode("utf-8") + b"\n")

    def recv(self, timeout: float = REPLY_TIMEOUT_S) -> dict:
        line = self.lines.get(timeout=timeout)
        if line is None:
            raise EOFError(f"chat exited (rc={self.proc.poll()}): {self.stderr_tail()}")
        return json.loads(line)

    def ask(self, obj, timeout: float = REPLY_TIMEOUT_S) -> dict:
        self.send(obj)
        return self.recv(timeout)

    def kill(self) -> None:
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=30)
        self._close_files()

    def close(self, timeout: float = 60) -> int:
        try:
            self.proc.stdin.close()
        except OSError:
            pass
        try:
            rc = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            rc = self.proc.returncode
        self._close_files()
        return rc

    def _close_files(self) -> None:
        self._reader.join(timeout=10)
        if not self._stderr.closed:
            self._stderr.close()

    def stderr_tail(self, n: int = 3000) -> str:
        try:
            return self.stderr_path.read_text(errors="replace")[-n:]
        except OSError:
            return ""

    def __enter__(self) -> "ChatProcess":
        return self

    def __exit__(self, *exc) -> None:
        if self.proc.poll() is None:
            self.kill()
        self._close_files()
