"""/taste (what the bot learned about you) and /forget-me (erase it, after a confirm button)."""
from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.discordbot import render, replies
from bot.discordbot.ratelimit import LIGHT

if TYPE_CHECKING:
    from bot.discordbot.client import MoodtapeBot

log = logging.getLogger("moodtape.discord.taste")


class ForgetConfirm(discord.ui.View):
    """Two buttons on an ephemeral message; only the member who asked can press them."""

    def __init__(self, bot: "MoodtapeBot", owner_id: int) -> None:
        super().__init__(timeout=120)
        self.bot, self.owner_id = bot, owner_id
        self.message: discord.Message | None = None

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if interaction.user.id == self.owner_id:
            return True
        await replies.answer(interaction, "Only the member who asked can confirm this.")
        return False

    async def on_error(self, interaction: discord.Interaction, error: Exception, item, /) -> None:
        await replies.report(interaction, error, "forget-me")

    async def on_timeout(self) -> None:
        if self.message is not None:
            try:
                await self.message.edit(content="Cancelled — nothing was deleted.", view=None)
            except discord.HTTPException:
                pass

    @discord.ui.button(label="Yes, forget me", style=discord.ButtonStyle.danger, emoji="🗑️")
    async def confirm(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        self.stop()
        await interaction.response.edit_message(content="Forgetting…", view=None)
        counts = await self.bot.call(self.bot.engine.forget, replies.user_key(interaction.user))
        total = sum(int(v) for v in counts.values()) if isinstance(counts, dict) else 0
        log.info("forgot user=%s (%s rows)", interaction.user.id, total)
        await interaction.edit_original_response(
            content="Done — your ratings, conversations, playlists and Spotify link are gone. "
                    "I'll start from scratch next time.")

    @discord.ui.button(label="Cancel", style=discord.ButtonStyle.secondary)
    async def cancel(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        self.stop()
        await interaction.response.edit_message(content="Cancelled — nothing was deleted.", view=None)


class Taste(commands.Cog):
    def __init__(self, bot: "MoodtapeBot") -> None:
        self.bot = bot

    @app_commands.command(name="taste", description="What I've learned about your taste (only you see it).")
    async def taste(self, interaction: discord.Interaction) -> None:
        wait = self.bot.limiter.hit(interaction.user.id, LIGHT)
        if wait:
            await replies.answer(interaction, replies.slow_down(wait))
            return
        await replies.defer(interaction, ephemeral=True)
        taste = await self.bot.call(self.bot.engine.taste, replies.user_key(interaction.user))
        await replies.answer(interaction, embed=render.taste_embed(taste, name=interaction.user.display_name))

    @app_commands.command(name="forget-me", description="Erase your ratings, conversations, playlists and Spotify link.")
    async def forget_me(self, interaction: discord.Interaction) -> None:
        view = ForgetConfirm(self.bot, interaction.user.id)
        await interaction.response.send_message(
            "This deletes your 👍/👎 ratings, conversations, playlists and Spotify link for good "
            "(playlists already on your Spotify stay there). Sure?",
            view=view, ephemeral=True)
        view.message = await interaction.original_response()


async def setup(bot: "MoodtapeBot") -> None:
    await bot.add_cog(Taste(bot))
