"""/help: what the bot does, in one ephemeral embed."""
from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.discordbot import render

if TYPE_CHECKING:
    from bot.discordbot.client import MoodtapeBot

COMMANDS = [
    ("/vibe request: [count:]", "Songs whose lyrics fit a mood, a scene or an artist — "
                                "“something nostalgic for a rainy night”, “sad 80s songs, no rap”."),
    ("/more [count:]", "More like the last set, none you've seen."),
    ("/refine text:", "Steer the last set: “more upbeat”, “sadder”, “only 90s”, “no more Drake”, "
                      "“different artists”, “more like #2”."),
    ("Buttons under each pick", "👍 / 👎 teach me your taste (yours, whoever asked) · ➕ adds the song "
                                "to one of your playlists · “More like #n” finds similar songs."),
    ("Reactions", "A 👍 or 👎 reaction on a set of picks rates every song in it."),
    ("/playlist …", "create · add · remove · show · list · rename · delete · export (as a file, or to "
                    "Spotify with `format: spotify`)."),
    ("/spotify …", "link (a private link that connects your Spotify account) · status · unlink."),
    ("/taste · /forget-me", "What I've learned about you · erase all of it."),
]


def help_embed(chat: bool) -> discord.Embed:
    embed = render.text_embed("🎧 Moodtape", "I find songs by what their lyrics mean.")
    for name, value in COMMANDS:
        embed.add_field(name=name, value=value, inline=False)
    if chat:
        embed.add_field(name="Just talk", value="Mention me, reply to me or DM me in plain sentences — "
                        "the same as /vibe, and you can steer with follow-ups.", inline=False)
    embed.set_footer(text="Your ratings and playlists are yours alone; /forget-me erases them.")
    return embed


class Help(commands.Cog):
    def __init__(self, bot: "MoodtapeBot") -> None:
        self.bot = bot

    @app_commands.command(name="help", description="How to use Moodtape.")
    async def help(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message(embed=help_embed(self.bot.settings.discord_chat),
                                                ephemeral=True)


async def setup(bot: "MoodtapeBot") -> None:
    await bot.add_cog(Help(bot))
