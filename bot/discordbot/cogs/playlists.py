"""/playlist create|add|remove|show|list|rename|delete|export.

Playlists belong to one member: every call goes to the engine under the caller's own id, so a
member can only see and change their own (the store keys every lookup by user). Answers are
ephemeral; an export arrives as an attached file, or (format spotify) as a link to the playlist
on the member's own Spotify account (see /spotify link).
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Literal, Optional

import discord
from discord import app_commands
from discord.ext import commands

from bot.discordbot import render, replies
from bot.discordbot.ratelimit import LIGHT, SEARCH

if TYPE_CHECKING:
    from bot.discordbot.client import MoodtapeBot

NAME = app_commands.Range[str, None, 100]
Format = Literal["m3u8", "xspf", "json", "csv", "spotify"]


class Playlists(commands.GroupCog, group_name="playlist", group_description="Your own playlists."):
    def __init__(self, bot: "MoodtapeBot") -> None:
        self.bot = bot

    async def _do(self, interaction: discord.Interaction, op: dict, *, cost: float = LIGHT) -> None:
        for key in ("name", "new_name"):
            if key in op:
                op[key] = " ".join(str(op[key] or "").split())
                if not op[key]:
                    await replies.answer(interaction, "Which playlist? Give it a name." if key == "name"
                                         else "What should the new name be?")
                    return
        wait = self.bot.limiter.hit(interaction.user.id, cost)
        if wait:
            await replies.answer(interaction, replies.slow_down(wait))
            return
        await replies.defer(interaction, ephemeral=True)
        turn = await self.bot.call(self.bot.engine.playlist, replies.user_key(interaction.user),
                                   replies.channel_key(interaction.channel_id), op)
        await replies.send_turn(self.bot, interaction, turn, picks_public=False)

    async def name_autocomplete(self, interaction: discord.Interaction,
                                current: str) -> list[app_commands.Choice[str]]:
        """The member's own playlists, filtered by what they typed so far."""
        names = await self.bot.call(self._names, replies.user_key(interaction.user))
        typed = (current or "").casefold().strip()
        hits = [n for n in names if typed in n.casefold()]
        hits.sort(key=lambda n: (not n.casefold().startswith(typed), n.casefold()))
        return [app_commands.Choice(name=render.clip(n, 100), value=n) for n in hits[:25] if len(n) <= 100]

    def _names(self, user: str) -> list[str]:
        return [name for name, _ in self.bot.engine.playlists.list(user)]

    @app_commands.command(name="create", description="Make a new, empty playlist.")
    @app_commands.describe(name="e.g. rainy days")
    async def create(self, interaction: discord.Interaction, name: NAME) -> None:
        await self._do(interaction, {"op": "create", "name": name})

    @app_commands.command(name="add", description="Add a pick from your last set here (or all of them).")
    @app_commands.describe(name="Your playlist (created if new)", pick="The pick's number, e.g. 2",
                           all="Add every pick of your last set")
    @app_commands.autocomplete(name=name_autocomplete)
    async def add(self, interaction: discord.Interaction, name: NAME,
                  pick: Optional[app_commands.Range[int, 1, 25]] = None, all: bool = False) -> None:
        if pick is None and not all:
            await replies.answer(interaction, "Say which pick (`pick: 2`) or add them all (`all: True`).")
            return
        op = {"op": "add", "name": name, "all": True} if all else {"op": "add", "name": name, "pick": pick}
        await self._do(interaction, op)

    @app_commands.command(name="remove", description="Remove a song from a playlist by its number.")
    @app_commands.describe(name="Your playlist", position="The song's number in /playlist show")
    @app_commands.autocomplete(name=name_autocomplete)
    async def remove(self, interaction: discord.Interaction, name: NAME,
                     position: app_commands.Range[int, 1, 1000]) -> None:
        await self._do(interaction, {"op": "remove", "name": name, "pick": position})

    @app_commands.command(name="show", description="List the songs in a playlist.")
    @app_commands.describe(name="Your playlist")
    @app_commands.autocomplete(name=name_autocomplete)
    async def show(self, interaction: discord.Interaction, name: NAME) -> None:
        await self._do(interaction, {"op": "show", "name": name})

    @app_commands.command(name="list", description="Your playlists.")
    async def list_(self, interaction: discord.Interaction) -> None:
        await self._do(interaction, {"op": "list"})

    @app_commands.command(name="rename", description="Rename a playlist.")
    @app_commands.describe(name="Your playlist", new_name="Its new name")
    @app_commands.autocomplete(name=name_autocomplete)
    async def rename(self, interaction: discord.Interaction, name: NAME, new_name: NAME) -> None:
        await self._do(interaction, {"op": "rename", "name": name, "new_name": new_name})

    @app_commands.command(name="delete", description="Delete a playlist.")
    @app_commands.describe(name="Your playlist")
    @app_commands.autocomplete(name=name_autocomplete)
    async def delete(self, interaction: discord.Interaction, name: NAME) -> None:
        await self._do(interaction, {"op": "delete", "name": name})

    @app_commands.command(name="export", description="Get a playlist as a file (M3U8, XSPF, JSON, CSV) or put it "
                                                     "on your Spotify.")
    @app_commands.describe(name="Your playlist", format="File format (default m3u8), or spotify (after /spotify link)")
    @app_commands.autocomplete(name=name_autocomplete)
    async def export(self, interaction: discord.Interaction, name: NAME, format: Format = "m3u8") -> None:
        # a Spotify export makes one search per song on Spotify: priced like a search
        await self._do(interaction, {"op": "export", "name": name, "format": format},
                       cost=SEARCH if format == "spotify" else LIGHT)


async def setup(bot: "MoodtapeBot") -> None:
    await bot.add_cog(Playlists(bot))
