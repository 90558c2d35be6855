"""👍 / 👎 reactions on a set of picks rate every song in that set, for the member who reacted;
removing the reaction takes those ratings back (only ratings of that sign: a 👎 given since on
one of the songs stays)."""
from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord.ext import commands

from bot.discordbot import render, replies
from bot.discordbot.ratelimit import LIGHT

if TYPE_CHECKING:
    from bot.discordbot.client import MoodtapeBot

log = logging.getLogger("moodtape.discord.reactions")

UP = {"👍", "👍🏻", "👍🏼", "👍🏽", "👍🏾", "👍🏿"}
DOWN = {"👎", "👎🏻", "👎🏼", "👎🏽", "👎🏾", "👎🏿"}


class Reactions(commands.Cog):
    def __init__(self, bot: "MoodtapeBot") -> None:
        self.bot = bot

    async def song_ids(self, payload: discord.RawReactionActionEvent) -> list[str]:
        """The songs of the reacted message, if it is one of our picks messages."""
        me = self.bot.user
        if payload.message_author_id is not None and me is not None and payload.message_author_id != me.id:
            return []
        known = self.bot.picks.songs(payload.message_id)
        if known is not None:
            return list(known)
        # Not in memory (a restart, or an old message), or the event did not say who wrote the
        # message: read it. Its buttons carry the song ids.
        channel = self.bot.get_channel(payload.channel_id) or self.bot.get_partial_messageable(
            payload.channel_id, guild_id=payload.guild_id)
        try:
            message = await channel.fetch_message(payload.message_id)  # type: ignore[union-attr]
        except discord.HTTPException:
            return []
        if me is None or message.author.id != me.id:
            return []
        ids = render.ids_from_message(message, self.bot.picks)
        if ids:
            self.bot.picks.remember(message.id, ids)
        return ids

    @commands.Cog.listener()
    async def on_raw_reaction_add(self, payload: discord.RawReactionActionEvent) -> None:
        await self._on_reaction(payload, removed=False)

    @commands.Cog.listener()
    async def on_raw_reaction_remove(self, payload: discord.RawReactionActionEvent) -> None:
        await self._on_reaction(payload, removed=True)

    async def _on_reaction(self, payload: discord.RawReactionActionEvent, *, removed: bool) -> None:
        emoji = str(payload.emoji)
        if emoji not in UP and emoji not in DOWN:
            return
        if self.bot.user is not None and payload.user_id == self.bot.user.id:
            return
        try:
            ids = await self.song_ids(payload)
            # taking a reaction back is never rate-limited: a dropped removal would leave ratings
            # the member withdrew (and a removal only ever deletes)
            if not ids or (not removed and self.bot.limiter.hit(payload.user_id, LIGHT)):
                return
            value = "up" if emoji in UP else "down"
            if removed:
                value = f"clear-{value}"
            await self.bot.call(self._rate, replies.user_key(payload.user_id),
                                replies.channel_key(payload.channel_id), value, ids)
        except Exception as exc:
            log.error("reaction failed (user=%s guild=%s channel=%s message=%s)", payload.user_id,
                      payload.guild_id, payload.channel_id, payload.message_id, exc_info=exc)

    def _rate(self, user: str, channel: str, value: str, ids: list[str]) -> None:
        for sid in ids:
            turn = self.bot.engine.feedback(user, channel, value, song_id=sid)
            if turn.kind == "error":
                log.info("reaction feedback refused: %s (user=%s)", turn.reply, user)


async def setup(bot: "MoodtapeBot") -> None:
    await bot.add_cog(Reactions(bot))
