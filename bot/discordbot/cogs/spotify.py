"""/spotify link|unlink|status: connect a member's own Spotify account, for `/playlist export
format: spotify`.

The authorization link is bound (by its `state`) to the member who ran the command and goes out
in an ephemeral message, so nobody else sees it or can finish it for them. The engine owns the
linker and the callback page; this cog only asks it, from a worker thread.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.discordbot import render, replies
from bot.discordbot.ratelimit import LIGHT, SEARCH

if TYPE_CHECKING:
    from bot.discordbot.client import MoodtapeBot


class Spotify(commands.GroupCog, group_name="spotify",
              group_description="Connect your Spotify account to export playlists to it."):
    def __init__(self, bot: "MoodtapeBot") -> None:
        self.bot = bot

    async def _start(self, interaction: discord.Interaction, cost: float) -> bool:
        wait = self.bot.limiter.hit(interaction.user.id, cost)
        if wait:
            await replies.answer(interaction, replies.slow_down(wait))
            return False
        await replies.defer(interaction, ephemeral=True)
        return True

    @app_commands.command(name="link", description="Get a private link that connects your Spotify account.")
    async def link(self, interaction: discord.Interaction) -> None:
        # a link costs a pending state on the server: priced like a search, not like a 👍
        if not await self._start(interaction, SEARCH):
            return
        turn = await self.bot.call(self.bot.engine.spotify_link, replies.user_key(interaction.user))
        text = turn.reply
        if turn.kind != "error":
            text += ("\nAfterwards, `/playlist export format: spotify` puts a playlist on your Spotify. "
                     "Don't share this link: it connects whoever opens it to *your* Moodtape.")
        await replies.answer(interaction, render.clip(text, 2000), ephemeral=True)

    @app_commands.command(name="unlink", description="Disconnect your Spotify account from Moodtape.")
    async def unlink(self, interaction: discord.Interaction) -> None:
        if not await self._start(interaction, LIGHT):
            return
        turn = await self.bot.call(self.bot.engine.spotify_unlink, replies.user_key(interaction.user))
        await replies.answer(interaction, render.clip(turn.reply, 2000), ephemeral=True)

    @app_commands.command(name="status", description="Is your Spotify account connected?")
    async def status(self, interaction: discord.Interaction) -> None:
        if not await self._start(interaction, LIGHT):
            return
        linked = await self.bot.call(self.bot.engine.spotify_status, replies.user_key(interaction.user))
        await replies.answer(interaction, "✅ Your Spotify account is linked." if linked else
                             "Your Spotify account isn't linked. Use `/spotify link` to connect it.",
                             ephemeral=True)


async def setup(bot: "MoodtapeBot") -> None:
    await bot.add_cog(Spotify(bot))
