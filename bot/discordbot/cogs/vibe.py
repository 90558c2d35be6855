"""Asking for songs: /vibe, /more, /refine, and plain sentences (mention, reply or DM)."""
from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Optional

import discord
from discord import app_commands
from discord.ext import commands

from bot.discordbot import replies
from bot.discordbot.ratelimit import SEARCH

if TYPE_CHECKING:
    from bot.discordbot.client import MoodtapeBot
    from bot.engine import Engine, Turn

log = logging.getLogger("moodtape.discord.vibe")

EMPTY_REQUEST = ("Tell me a mood, a scene or an artist — e.g. `/vibe request: something nostalgic "
                 "for a rainy night`.")
MAX_REQUEST = 300
MAX_COUNT = 10


def _search_text(request: str, count: int | None) -> str:
    # The engine takes the count from the words, as it would from a chat message.
    return f"{count} songs: {request}" if count else request


def refine_turn(engine: "Engine", user: str, channel: str, text: str) -> "Turn":
    """A follow-up only makes sense after a first request in this channel."""
    from bot.engine import Turn

    state = engine.sessions.load(user, channel) or {}
    if not state.get("last_request"):
        return Turn("There's nothing to refine yet — start with `/vibe`.", kind="error")
    return engine.text(user, channel, text)


class Vibe(commands.Cog):
    def __init__(self, bot: "MoodtapeBot") -> None:
        self.bot = bot
        self._mention = re.compile(r"<@!?(\d+)>")

    # ---- slash commands -------------------------------------------------------------------------
    @app_commands.command(name="vibe", description="Find songs whose lyrics fit a mood, a scene or an artist.")
    @app_commands.describe(request="e.g. something nostalgic for a rainy night · sad 80s songs, no rap",
                           count=f"How many songs (1–{MAX_COUNT}, default 5)")
    async def vibe(self, interaction: discord.Interaction,
                   request: app_commands.Range[str, None, MAX_REQUEST],
                   count: Optional[app_commands.Range[int, 1, MAX_COUNT]] = None) -> None:
        text = " ".join((request or "").split())
        if not text:
            await replies.answer(interaction, EMPTY_REQUEST)
            return
        await self._search(interaction, self.bot.engine.text, _search_text(text, count))

    @app_commands.command(name="more", description="More songs like the last set (none you've seen).")
    @app_commands.describe(count="How many songs (1–10, default 5)")
    async def more(self, interaction: discord.Interaction,
                   count: Optional[app_commands.Range[int, 1, MAX_COUNT]] = None) -> None:
        await self._search(interaction, self._refine, f"another {count or self.bot.engine.k}")

    @app_commands.command(name="refine", description="Steer the last set: happier, only 90s, no Drake…")
    @app_commands.describe(text="e.g. more upbeat · sadder · only 90s · different artists · more like #2")
    async def refine(self, interaction: discord.Interaction,
                     text: app_commands.Range[str, None, MAX_REQUEST]) -> None:
        text = " ".join((text or "").split())
        if not text:
            await replies.answer(interaction, "Tell me how to steer — e.g. `/refine text: more upbeat`.")
            return
        await self._search(interaction, self._refine, text)

    def _refine(self, user: str, channel: str, text: str) -> "Turn":
        return refine_turn(self.bot.engine, user, channel, text)

    async def _search(self, interaction: discord.Interaction, call, text: str) -> None:
        wait = self.bot.limiter.hit(interaction.user.id, SEARCH)
        if wait:
            await replies.answer(interaction, replies.slow_down(wait))
            return
        await replies.defer(interaction, ephemeral=False)
        turn = await self.bot.call(call, replies.user_key(interaction.user),
                                   replies.channel_key(interaction.channel_id), text)
        await replies.send_turn(self.bot, interaction, turn)

    # ---- chat -----------------------------------------------------------------------------------
    def addressed_text(self, message: discord.Message) -> str | None:
        """The text meant for the bot, or None when the message is not for it: a DM, a message that
        mentions the bot, or a reply to one of the bot's messages."""
        me = self.bot.user
        if me is None or message.author.bot or message.webhook_id is not None:
            return None
        content = message.content or ""
        mentioned = any(u.id == me.id for u in message.mentions)
        ref = message.reference.resolved if message.reference else None
        replied = isinstance(ref, discord.Message) and ref.author.id == me.id
        if message.guild is not None and not (mentioned or replied):
            return None
        text = self._mention.sub(lambda m: "" if int(m[1]) == me.id else m[0], content)
        return " ".join(text.split())

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        if not self.bot.settings.discord_chat:
            return
        text = self.addressed_text(message)
        if text is None:
            return
        try:
            wait = self.bot.limiter.hit(message.author.id, SEARCH)
            if wait:
                await message.reply(replies.slow_down(wait), mention_author=False)
                return
            turn = await self.bot.call(self.bot.engine.text, replies.user_key(message.author),
                                       replies.channel_key(message.channel.id), text)
            await replies.reply_turn(self.bot, message, turn)
        except Exception as exc:
            log.error("chat failed (user=%s guild=%s channel=%s message=%s)", message.author.id,
                      message.guild.id if message.guild else None, message.channel.id, message.id,
                      exc_info=exc)
            try:
                await message.reply(replies.OOPS, mention_author=False)
            except discord.HTTPException:
                pass


async def setup(bot: "MoodtapeBot") -> None:
    await bot.add_cog(Vibe(bot))
