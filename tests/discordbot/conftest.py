"""Fixtures for the Discord front end: the real engine on the built-in catalog, driven by simcord.

The real model loads once per test session (`builtin_services`); every test gets its own SQLite
(fresh feedback, sessions and playlists) while sharing the catalog and the recommender.
pytest-asyncio is not installed, so `async def` tests here run through `asyncio.run` (hook below).
"""
from __future__ import annotations

import asyncio
import inspect
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

import pytest

SETTLE_S = 120.0     # the real model on two shared cores: a slow turn is not a hung bot


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem):
    if inspect.iscoroutinefunction(pyfuncitem.obj):
        args = {name: pyfuncitem.funcargs[name] for name in pyfuncitem._fixtureinfo.argnames}
        asyncio.run(pyfuncitem.obj(**args))
        return True
    return None


@pytest.fixture(scope="session")
def warm_services(builtin_services):
    builtin_services.warm_up()
    return builtin_services


@pytest.fixture
def engine(warm_services, tmp_path):
    from bot.engine import Engine
    from bot.services import Services
    from storage.settings import Settings

    services = Services(Settings(data_dir=tmp_path / "home"))
    # share the heavy, read-only parts; the SQLite file is this test's own
    services.__dict__["catalog"] = warm_services.catalog
    services.__dict__["recommender"] = warm_services.recommender
    yield Engine(services, k=5)
    services.close()


@dataclass
class World:
    env: object
    guild: object
    channel: object
    members: dict = field(default_factory=dict)

    def member(self, name: str):
        if name not in self.members:
            self.members[name] = self.guild.add_member(self.env.create_user(name))
        return self.members[name]


@pytest.fixture
def make_bot(engine):
    from bot.discordbot import MoodtapeBot
    from bot.discordbot.ratelimit import RateLimiter

    def make(*, limiter=None, settings=None, **kw):
        # a generous default limit: the rate-limit test builds its own
        return MoodtapeBot(engine, settings, limiter=limiter or RateLimiter(1000, 1), **kw)

    return make


@asynccontextmanager
async def simulated(bot, **options):
    import simcord

    options.setdefault("settle_timeout", SETTLE_S)
    async with simcord.run(bot, **options) as env:
        guild = env.create_guild("Moodtape Test")
        channel = guild.create_text_channel("music")
        yield World(env, guild, channel)


# ---- reading what the bot said -----------------------------------------------------------------
def said(result) -> list:
    """Every message an interaction produced (the original response first), deleted ones left out."""
    return [m for m in [result.response, *result.followups] if m is not None]


def private_text(result) -> str:
    return "\n".join(m.content for m in said(result) if m.ephemeral)


def public_picks(result) -> list:
    """The public picks messages an interaction produced, as discord.Message objects."""
    return [m.message for m in said(result) if not m.ephemeral and m.embeds]


def custom_ids(message) -> list[str]:
    return [c.custom_id for row in message.components for c in row.children]


def song_ids(message) -> list[str]:
    from bot.discordbot.render import ids_from_message

    return ids_from_message(message)


def button(message, action: str, n: int = 1) -> str:
    """The custom_id of `action` (up, dn, pl, ml) on the n-th pick of a picks message."""
    ids = [c for c in custom_ids(message) if c.startswith(f"mt:{action}:")]
    return ids[n - 1]


def bot_replies_to(channel, message_id: int) -> list:
    return [m for m in channel.history() if m.author.bot and m.reference
            and m.reference.message_id == message_id]


def first_response_types(env) -> list[int]:
    """The type of each interaction callback the bot made: 5 = deferred ("thinking…")."""
    return [r.json.get("type") for r in env.http_requests
            if r.method == "POST" and r.path.startswith("/interactions/") and r.path.endswith("/callback")]
