"""The Discord front end: `MoodtapeBot`, `run_bot` (for `moodtape bot`) and `check_config`
(for `moodtape bot --check`).

The bot holds no business logic: the conversation engine is handed in through the constructor
and every call into it runs in a worker thread, because the engine blocks (embedding, LanceDB,
SQLite) and the event loop must keep answering other members meanwhile.
"""
from __future__ import annotations

import asyncio
import logging
import re
from typing import TYPE_CHECKING, Any, Callable, TypeVar

import discord
from discord import app_commands
from discord.ext import commands

from bot.discordbot import render, replies
from bot.discordbot.ratelimit import RateLimiter
from storage.errors import ConfigError, MoodtapeError
from storage.settings import Settings

if TYPE_CHECKING:
    from bot.engine import Engine

log = logging.getLogger("moodtape.discord")
T = TypeVar("T")

EXTENSIONS = (
    "bot.discordbot.cogs.vibe",
    "bot.discordbot.cogs.playlists",
    "bot.discordbot.cogs.spotify",
    "bot.discordbot.cogs.taste",
    "bot.discordbot.cogs.reactions",
    "bot.discordbot.cogs.help",
)

# three base64url parts: the bot's user id, a timestamp, an HMAC
_TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{18,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{20,}")


def make_intents(settings: Settings) -> discord.Intents:
    """Only what the features use. `message_content` is privileged: it is requested only when chat
    is on, so a slash-commands-only bot needs no privileged intent at all."""
    intents = discord.Intents.none()
    intents.guilds = True                 # channels and the command tree
    intents.guild_messages = True         # mentions and replies to the bot
    intents.dm_messages = True            # direct messages
    intents.guild_reactions = True        # 👍/👎 reactions on picks
    intents.dm_reactions = True
    intents.message_content = settings.discord_chat
    return intents


class MoodtapeBot(commands.Bot):
    def __init__(self, engine: "Engine", settings: Settings | None = None, *,
                 limiter: RateLimiter | None = None, sync_commands: bool = True) -> None:
        self.engine = engine
        self.settings = settings or engine.services.settings
        self.limiter = limiter or RateLimiter()
        self.picks = render.PickIndex()
        self.sync_commands = sync_commands
        super().__init__(command_prefix=commands.when_mentioned, intents=make_intents(self.settings),
                         help_command=None, allowed_mentions=discord.AllowedMentions.none(),
                         activity=discord.Activity(type=discord.ActivityType.listening, name="/vibe"))

    async def setup_hook(self) -> None:
        for extension in EXTENSIONS:
            await self.load_extension(extension)
        from bot.discordbot.cogs.vibe_views import PickButton

        self.add_dynamic_items(PickButton)      # buttons of any earlier message work after restarts
        self.tree.on_error = self.on_app_command_error
        if not self.sync_commands:
            return
        guild_id = self.settings.discord_dev_guild
        if guild_id:
            # a dev guild sees changes at once; global commands can take up to an hour to appear
            guild = discord.Object(id=guild_id)
            self.tree.copy_global_to(guild=guild)
            await self.tree.sync(guild=guild)
        else:
            await self.tree.sync()

    async def on_ready(self) -> None:
        log.info("connected as %s (id=%s) to %d guild(s)", self.user, self.user.id if self.user else None,
                 len(self.guilds))

    async def on_message(self, message: discord.Message, /) -> None:
        """No prefix commands: chat is handled by the vibe cog's listener."""

    async def call(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        """Run a blocking engine call off the event loop."""
        return await asyncio.to_thread(fn, *args, **kwargs)

    async def on_app_command_error(self, interaction: discord.Interaction,
                                   error: app_commands.AppCommandError) -> None:
        if isinstance(error, app_commands.CommandOnCooldown):
            await replies.answer(interaction, replies.slow_down(error.retry_after))
            return
        if isinstance(error, app_commands.TransformerError):
            await replies.answer(interaction, f"I couldn't use “{render.clip(error.value, 50)}” there.")
            return
        if isinstance(error, app_commands.CheckFailure):
            await replies.answer(interaction, "You can't use that here.")
            return
        await replies.report(interaction, error, "app command")

    async def on_error(self, event_method: str, /, *args: Any, **kwargs: Any) -> None:
        # Never re-raise, never print to Discord: log which event failed, with ids only.
        import sys

        log.error("event %s failed", event_method, exc_info=sys.exc_info()[1])


def check_config(settings: Settings) -> list[str]:
    """Problems that would stop the bot, checked without connecting to Discord. Empty = ready."""
    problems: list[str] = []
    token = settings.discord_token.reveal() if settings.discord_token else ""
    if not token:
        problems.append("DISCORD_TOKEN is not set (put it in the environment or in .env).")
    elif token.lower().startswith("bot "):
        problems.append("DISCORD_TOKEN starts with “Bot ” — give the token alone.")
    elif token != token.strip() or not _TOKEN_SHAPE.fullmatch(token):
        problems.append("DISCORD_TOKEN does not look like a bot token (three dot-separated parts). "
                        "Copy it again from the Developer Portal → Bot → Reset Token.")
    from bot.services import Services

    services = Services(settings)
    try:
        try:
            n = services.catalog.count()
            if not n:
                problems.append("The song catalog is empty — run `moodtape ingest` or unset MOODTAPE_DB.")
        except MoodtapeError as exc:
            problems.append(f"The song catalog does not open: {exc.user_message}")
        except Exception as exc:  # a third-party error we have not wrapped: show its kind only
            problems.append(f"The song catalog does not open ({type(exc).__name__}).")
        try:
            if not services.db.integrity_check():
                problems.append(f"The database at {settings.sqlite_path} fails its integrity check.")
        except MoodtapeError as exc:
            problems.append(f"The database does not open: {exc.user_message}")
        except Exception as exc:
            problems.append(f"The database does not open ({type(exc).__name__}).")
    finally:
        services.close()
    return problems


def run_bot(settings: Settings) -> None:
    """Connect and serve until stopped. Raises ConfigError for a config Discord rejects."""
    problems = [p for p in check_config(settings)]
    if problems:
        raise ConfigError("; ".join(problems), user_message="\n".join(problems))
    from bot.engine import Engine
    from bot.services import Services

    services = Services(settings)
    engine = Engine(services)
    try:
        services.warm_up()               # load the model before the first member waits for it
        bot = MoodtapeBot(engine, settings)
        try:
            bot.run(settings.discord_token.reveal(), log_handler=None)
        except discord.LoginFailure:
            raise ConfigError("login failed", user_message="Discord rejected DISCORD_TOKEN. "
                              "Reset the token in the Developer Portal and update it.") from None
        except discord.PrivilegedIntentsRequired:
            raise ConfigError("privileged intent", user_message=(
                "Discord refused the Message Content intent. Enable it in the Developer Portal → Bot → "
                "Privileged Gateway Intents, or set MOODTAPE_DISCORD_CHAT=0 to run without chat.")) from None
    finally:
        engine.close()                   # the Spotify callback page, if anyone linked
        services.close()
