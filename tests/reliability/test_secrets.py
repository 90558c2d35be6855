"""Secrets: DISCORD_TOKEN never appears in logs (all of them, at DEBUG), in anything shown to a user
(replies, Discord messages, errors) or in exports and data files; Settings never shows it; data
files are created private (0600 files, 0700 dirs).

The Spotify client secret and user tokens are covered by the Spotify exporter's own suite
(tests/spotify/test_no_secrets_in_logs.py); SPOTIFY_SECRET_HOOK below adds the client secret to
this scan where the same Settings object carries it.
"""
from __future__ import annotations

import asyncio
import dataclasses
import json
import logging
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from storage.settings import Secret, Settings
from tests.conftest import ROOT
from tests.reliability.conftest import make_engine, subprocess_env

TOKEN = "MTAxMDEw.fake.token-value-xyz"
SHAPED_TOKEN = "MTAxMDEwMTAxMDEwMTAxMDEw.GfAkE1.fake-token-value-xyz-0123456789"   # passes the shape check
SPOTIFY_SECRET_HOOK = "fake-spotify-client-secret-5up3r"   # TODO(spotify): user tokens are scanned in tests/spotify


def _needles(*tokens: str) -> list[str]:
    out = []
    for t in tokens:
        out += [t, t[:12] + "", t[-12:], json.dumps(t)[1:-1]]
    return [n for n in out if len(n) >= 8]


def _scan(text: str, *tokens: str) -> None:
    for needle in _needles(*tokens):
        assert needle not in text, f"secret fragment {needle!r} leaked"


class _Everything(logging.Handler):
    """Formats every record, with its traceback, the way a file handler would."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture
def all_logs(caplog):
    handler = _Everything()
    root = logging.getLogger()
    old = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    caplog.set_level(logging.DEBUG)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
        root.setLevel(old)


def test_settings_never_show_secrets():
    s = Settings.from_env({"DISCORD_TOKEN": TOKEN, "SPOTIFY_CLIENT_SECRET": SPOTIFY_SECRET_HOOK,
                           "MOODTAPE_HOME": "/tmp/x"}, dotenv=None)
    assert s.discord_token.reveal() == TOKEN and s.spotify_client_secret.reveal() == SPOTIFY_SECRET_HOOK
    shown = [repr(s), str(s), f"{s}", "%s %r" % (s, s), str(dataclasses.asdict(s)), str(vars(s)),
             repr(s.discord_token), str(s.discord_token), f"{s.discord_token!s}{s.discord_token!r}",
             "{}".format(s.discord_token), s.discord_token + "", s.discord_token.upper(),
             json.dumps(str(s.discord_token)), json.dumps({"t": s.discord_token})]
    for text in shown:
        _scan(text, TOKEN, SPOTIFY_SECRET_HOOK)
    assert bool(s.discord_token) and not Secret("")
    assert "**********" in repr(s)


def test_a_full_session_never_leaks_the_token(warm_services, tmp_path, all_logs, monkeypatch):
    from bot.discordbot import MoodtapeBot
    from bot.discordbot.ratelimit import RateLimiter
    from tests.discordbot.conftest import simulated

    monkeypatch.setenv("DISCORD_TOKEN", TOKEN)
    monkeypatch.setenv("SPOTIFY_CLIENT_SECRET", SPOTIFY_SECRET_HOOK)
    settings = Settings.from_env(dotenv=None, data_dir=tmp_path / "home")
    assert settings.discord_token.reveal() == TOKEN
    eng = make_engine(warm_services, tmp_path / "home", discord_token=settings.discord_token,
                      spotify_client_secret=settings.spotify_client_secret)
    logging.getLogger("moodtape").debug("starting with %s / %r", settings, settings)
    replies: list[str] = []

    def note(turn):
        replies.append(json.dumps(turn.to_json(), ensure_ascii=False))
        return turn

    for user in ("ann", "bob"):
        note(eng.text(user, "c", "something nostalgic for a rainy night"))
        note(eng.text(user, "c", "more upbeat"))
        note(eng.feedback(user, "c", "up", pick=1))
        note(eng.feedback(user, "c", "down", pick=2))
        note(eng.text(user, "c", "add all to rainy days"))
        for fmt in ("m3u8", "xspf", "json", "csv"):
            note(eng.text(user, "c", f"export rainy days as {fmt}"))
        note(eng.text(user, "c", "show playlist nope"))
        note(eng.feedback(user, "c", "down", pick=99))
        note(eng.handle({"user": user, "feedback": ["up"]}))
        note(eng.handle({"user": user, "playlist": {"op": "export", "name": "rainy days", "format": "exe"}}))

    # an unexpected failure whose message carries the settings: logged with a traceback, masked
    def boom(*a, **k):
        raise RuntimeError(f"exploded with {eng.services.settings!r} {eng.services.settings.discord_token}")

    monkeypatch.setattr(eng.feedback_store, "record", boom)
    crashed = note(eng.feedback("ann", "c", "up", pick=1))
    assert crashed.kind == "error" and "exploded" not in crashed.reply
    monkeypatch.undo()

    # the Discord front end with the same settings, driven by simcord
    async def discord_session() -> list[str]:
        bot = MoodtapeBot(eng, settings, limiter=RateLimiter(1000, 1))
        async with simulated(bot) as w:
            alice = w.member("alice")
            r = await alice.slash(w.channel, "vibe", request="songs about trains")
            await alice.slash(w.channel, "playlist create", name="trains")
            await alice.slash(w.channel, "playlist show", name="nope")
            await alice.slash(w.channel, "taste")
            await alice.send(w.channel, f"{bot.user.mention} more upbeat")
            out = [m.content for m in w.channel.history()]
            out += [json.dumps(e.to_dict()) for m in w.channel.history() for e in m.embeds]
            out += [json.dumps(getattr(req, "json", None), default=str) for req in w.env.http_requests]
            out.append(str(r))
            w.env.errors
            return out

    discord_text = asyncio.run(discord_session())
    files = [p for p in (tmp_path / "home").rglob("*") if p.is_file()]   # -wal/-shm exist while open
    data = "\n".join(p.read_bytes().decode("utf-8", "replace") for p in files)
    eng.services.close()
    data += "\n".join(p.read_bytes().decode("utf-8", "replace") for p in (tmp_path / "home").rglob("*")
                      if p.is_file())

    logs = "\n".join(all_logs.lines)
    assert "exploded" in logs and "Traceback" in logs   # the crash really was logged, with its traceback
    user_visible = "\n".join(replies + discord_text)
    assert "Traceback" not in user_visible and "exploded" not in user_visible
    assert any(p.suffix == ".xspf" for p in files) and any(p.name.endswith(".sqlite3-wal") for p in files)
    for text in (logs, user_visible, data):
        _scan(text, TOKEN, SPOTIFY_SECRET_HOOK)


@pytest.mark.parametrize("token", [TOKEN, SHAPED_TOKEN])
def test_bot_check_never_prints_the_token(builtin_db_dir, tmp_path, token):
    env = subprocess_env(tmp_path / "home", builtin_db_dir, DISCORD_TOKEN=token)
    res = subprocess.run([sys.executable, "-m", "bot.cli", "-v", "bot", "--check"], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=300)
    assert res.returncode == (0 if token == SHAPED_TOKEN else 2), res.stderr[-2000:]
    _scan(res.stdout + res.stderr, token)


def _mode(p: Path) -> int:
    return stat.S_IMODE(p.stat().st_mode)


def test_data_files_and_dirs_are_private(warm_services, tmp_path):
    """A fresh MOODTAPE_HOME the way `moodtape chat` creates it: the catalog first, then SQLite,
    then an export."""
    from bot.engine import Engine
    from bot.services import Services

    old = os.umask(0o022)   # a typical umask: privacy must not depend on the user's
    try:
        home = tmp_path / "fresh" / "home"
        services = Services(Settings(data_dir=home))
        services.catalog            # materialises the built-in catalog: may create MOODTAPE_HOME
        services.__dict__["recommender"] = warm_services.recommender
        eng = Engine(services, k=5)
        eng.text("ann", "c", "songs about summer")
        eng.text("ann", "c", "add all to summer")
        turn = eng.text("ann", "c", "export summer as csv")
        [export] = turn.files
        db = services.settings.sqlite_path
        for p in (db, Path(f"{db}-wal"), Path(f"{db}-shm"), Path(export)):
            assert p.exists() and _mode(p) == 0o600, (p, oct(_mode(p)))
        for d in (home, home / "catalogs", services.settings.export_dir, Path(export).parent):
            assert _mode(d) == 0o700, (d, oct(_mode(d)))
        assert not [p for p in Path(export).parent.iterdir() if p.name.startswith(".export-")]
        services.close()
    finally:
        os.umask(old)
