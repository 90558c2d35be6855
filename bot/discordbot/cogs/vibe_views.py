"""The buttons under a set of picks, and the ➕ playlist picker they open.

Imported by the cogs and by `MoodtapeBot.setup_hook` (which registers `PickButton`); not an
extension itself, so the `PickButton` class is one class for the life of the process.

`PickButton` is a `DynamicItem`: its custom_id (``mt:<action>:<song ref>``, see `render`) is all the
state it needs, so a button on a week-old message works after any number of restarts. Whatever a
button does, it does for the member who clicked it, never for the member who asked.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Sequence

import discord

from bot.discordbot import render, replies
from bot.discordbot.ratelimit import LIGHT, SEARCH

if TYPE_CHECKING:
    from bot.discordbot.client import MoodtapeBot
    from bot.engine import Engine, Turn

_STYLE = {"up": (discord.ButtonStyle.secondary, "👍"), "dn": (discord.ButtonStyle.secondary, "👎"),
          "pl": (discord.ButtonStyle.secondary, "➕"), "ml": (discord.ButtonStyle.primary, None)}
_NEW = "__new__"
MAX_PLAYLIST_OPTIONS = 24    # + "New playlist…" = Discord's 25 options


class PickButton(discord.ui.DynamicItem[discord.ui.Button], template=render.CUSTOM_ID_RE):
    def __init__(self, action: str, ref: str, *, rank: int | None = None, row: int | None = None) -> None:
        style, emoji = _STYLE[action]
        label = None
        if action == "ml":
            label = f"More like #{rank}" if rank else "More like this"
        super().__init__(discord.ui.Button(style=style, emoji=emoji, label=label,
                                           custom_id=f"{render.PREFIX}:{action}:{ref}"), row=row)
        self.action = action
        self.ref = ref

    @classmethod
    def for_pick(cls, action: str, pick: dict, row: int) -> "PickButton":
        return cls(action, render.song_ref(str(pick["song_id"])), rank=pick.get("rank"), row=row)

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction, item: discord.ui.Button,
                             match: re.Match[str], /) -> "PickButton":
        return cls(match["action"], match["ref"])

    async def callback(self, interaction: discord.Interaction) -> None:  # type: ignore[override]
        try:
            await self._run(interaction)
        except Exception as exc:
            await replies.report(interaction, exc, f"button {self.action}")

    async def _run(self, interaction: discord.Interaction) -> None:
        bot: MoodtapeBot = interaction.client  # type: ignore[assignment]
        wait = bot.limiter.hit(interaction.user.id, SEARCH if self.action == "ml" else LIGHT)
        if wait:
            await replies.answer(interaction, replies.slow_down(wait))
            return
        song_id = bot.picks.resolve(self.ref, interaction.message)
        if song_id is None:
            await replies.answer(interaction, "I can't find that song any more — ask me for a fresh set.")
            return
        user, channel = replies.user_key(interaction.user), replies.channel_key(interaction.channel_id)
        engine = bot.engine
        if self.action in ("up", "dn"):
            await replies.defer(interaction, ephemeral=True)
            turn = await bot.call(engine.feedback, user, channel, "up" if self.action == "up" else "down",
                                  song_id=song_id)
            await replies.answer(interaction, turn.reply)
        elif self.action == "pl":
            await replies.defer(interaction, ephemeral=True)
            names, song = await bot.call(_playlist_choices, engine, user, song_id)
            if song is None:
                await replies.answer(interaction, "I don't know that song any more.")
                return
            view = PlaylistPicker(bot, interaction.user.id, channel, song_id, names)
            text = f"Add **{render.clip(song, 150)}** to which playlist?"
            view.message = await replies.answer(interaction, text, view=view)
        else:
            await replies.defer(interaction, ephemeral=False)
            turn = await bot.call(more_like, engine, user, channel, song_id)
            await replies.send_turn(bot, interaction, turn)


def picks_view(picks: Sequence[dict]) -> discord.ui.View:
    """Four buttons a pick, one row a pick: at most 5 rows x 4 buttons (Discord allows 5 x 5)."""
    view = discord.ui.View(timeout=None)
    for row, pick in enumerate(picks[: render.PICKS_PER_MESSAGE]):
        for action in render.ACTIONS:
            view.add_item(PickButton.for_pick(action, pick, row))
    return view


# ---- blocking helpers: run in a worker thread ---------------------------------------------------
def _song_label(engine: "Engine", song_id: str) -> str | None:
    row = engine.services.catalog.get([song_id], ["artist", "title"]).get(song_id)
    return None if row is None else f"{row['artist']} – {row['title']}"


def _playlist_choices(engine: "Engine", user: str, song_id: str) -> tuple[list[str], str | None]:
    return [name for name, _ in engine.playlists.list(user)], _song_label(engine, song_id)


def more_like(engine: "Engine", user: str, channel: str, song_id: str) -> "Turn":
    """"More like this" as the clicker's next turn. When the song is on the clicker's own screen
    the engine anchors on it directly ("more like #2"); otherwise it is asked for by name."""
    from bot.engine import Turn

    state = engine.sessions.load(user, channel) or {}
    ids = [p.get("song_id") for p in state.get("picks") or []]
    if song_id in ids:
        return engine.text(user, channel, f"more like #{ids.index(song_id) + 1}")
    row = engine.services.catalog.get([song_id], ["artist", "title"]).get(song_id)
    if row is None:
        return Turn("I don't know that song any more.", kind="error")
    return engine.text(user, channel, f"songs like {row['title']} by {row['artist']}")


# ---- ➕: the member's playlists, or a new one -----------------------------------------------------
class PlaylistPicker(discord.ui.View):
    """An ephemeral select of the clicker's own playlists plus "New playlist…"."""

    def __init__(self, bot: "MoodtapeBot", owner_id: int, channel: str, song_id: str,
                 names: Sequence[str]) -> None:
        super().__init__(timeout=300)
        self.bot, self.owner_id, self.channel, self.song_id = bot, owner_id, channel, song_id
        self.names = list(names)[:MAX_PLAYLIST_OPTIONS]
        self.message: discord.Message | None = None
        options = [discord.SelectOption(label=render.clip(n, 100), value=f"p{i}", emoji="🎵")
                   for i, n in enumerate(self.names)]
        options.append(discord.SelectOption(label="New playlist…", value=_NEW, emoji="🆕"))
        placeholder = "Choose a playlist" if self.names else "You have no playlists yet — make one"
        self.choice = discord.ui.Select(placeholder=placeholder, options=options)
        self.choice.callback = self._chosen
        self.add_item(self.choice)

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if interaction.user.id == self.owner_id:
            return True
        await replies.answer(interaction, "That menu belongs to someone else.")
        return False

    async def on_error(self, interaction: discord.Interaction, error: Exception, item, /) -> None:
        await replies.report(interaction, error, "playlist picker")

    async def on_timeout(self) -> None:
        if self.message is not None:
            try:
                await self.message.edit(content="This menu expired — press ➕ again.", view=None)
            except discord.HTTPException:
                pass

    async def _chosen(self, interaction: discord.Interaction) -> None:
        value = self.choice.values[0]
        if value == _NEW:
            # a modal must be the first answer to an interaction, so no defer here
            await interaction.response.send_modal(NewPlaylistModal(self.bot, self.channel, self.song_id))
            return
        name = self.names[int(value[1:])]
        await add_to_playlist(self.bot, interaction, self.channel, name, self.song_id)


class NewPlaylistModal(discord.ui.Modal, title="New playlist"):
    name = discord.ui.TextInput(label="Name", placeholder="rainy days", min_length=1, max_length=100,
                                custom_id="moodtape:new-playlist-name")

    def __init__(self, bot: "MoodtapeBot", channel: str, song_id: str) -> None:
        super().__init__(timeout=600)
        self.bot, self.channel, self.song_id = bot, channel, song_id

    async def on_submit(self, interaction: discord.Interaction) -> None:
        name = " ".join(str(self.name.value or "").split())
        if not name:
            await replies.answer(interaction, "A playlist needs a name.")
            return
        await add_to_playlist(self.bot, interaction, self.channel, name, self.song_id)

    async def on_error(self, interaction: discord.Interaction, error: Exception, /) -> None:
        await replies.report(interaction, error, "new playlist modal")


async def add_to_playlist(bot: "MoodtapeBot", interaction: discord.Interaction, channel: str, name: str,
                          song_id: str) -> None:
    wait = bot.limiter.hit(interaction.user.id, LIGHT)
    if wait:
        await replies.answer(interaction, replies.slow_down(wait))
        return
    await replies.defer(interaction, ephemeral=True)
    turn = await bot.call(bot.engine.playlist, replies.user_key(interaction.user), channel,
                          {"op": "add", "name": name, "song_id": song_id})
    await replies.answer(interaction, turn.reply)
