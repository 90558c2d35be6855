"""How every cog answers: defer at once, reply once, never let an error reach Discord as a trace.

Picks go out as one embed per set of at most five, each with a row of buttons per pick; a set that
cannot be shown (an error, nothing found, bad input) becomes a short ephemeral sentence.
"""
from __future__ import annotations

import logging
import os
from typing import TYPE_CHECKING, Any

import discord

from bot.discordbot import render

if TYPE_CHECKING:
    from bot.discordbot.client import MoodtapeBot
    from bot.engine import Turn

log = logging.getLogger("moodtape.discord")

OOPS = "Something went wrong on my side — I've noted it. Please try again in a moment."
_EPHEMERAL_DEFER = "moodtape_ephemeral_defer"


def channel_key(channel_id: int | None) -> str:
    """The engine's session key: one conversation per user per channel (or DM)."""
    return str(channel_id or "dm")


def user_key(user: discord.abc.User | int) -> str:
    return str(getattr(user, "id", user))


def slow_down(retry_after: float) -> str:
    return f"Slow down a little — try again in {max(1, round(retry_after))} s."


async def defer(interaction: discord.Interaction, *, ephemeral: bool) -> None:
    """Acknowledge now (Discord allows 3 s); the real answer follows as a follow-up."""
    if interaction.response.is_done():
        return
    interaction.extras[_EPHEMERAL_DEFER] = ephemeral
    await interaction.response.defer(ephemeral=ephemeral, thinking=True)


async def answer(interaction: discord.Interaction, content: str | None = None, *, ephemeral: bool = True,
                 **kwargs: Any) -> discord.Message | None:
    """Reply to an interaction whether or not it was deferred.

    The first follow-up to a deferred interaction replaces the "thinking…" message and keeps the
    defer's visibility, whatever flags it carries. So an ephemeral answer to a *publicly* deferred
    interaction first completes and deletes that public placeholder; after that, follow-ups are
    new messages and honour the ephemeral flag."""
    if not interaction.response.is_done():
        await interaction.response.send_message(content, ephemeral=ephemeral, **kwargs)
        return None
    if ephemeral and interaction.extras.get(_EPHEMERAL_DEFER) is False:
        interaction.extras[_EPHEMERAL_DEFER] = None
        try:
            await interaction.edit_original_response(content="…")
            await interaction.delete_original_response()
        except discord.HTTPException:
            pass
    return await interaction.followup.send(content, ephemeral=ephemeral, wait=True, **kwargs)


def _picks_payloads(turn: "Turn") -> list[tuple[discord.Embed, discord.ui.View, list[str]]]:
    from bot.discordbot.cogs.vibe_views import picks_view

    sets = render.chunks(turn.picks)
    summary = render.request_summary(turn.parsed)
    out = []
    for n, picks in enumerate(sets, 1):
        embed = render.picks_embed(picks, reply=turn.reply if n == 1 else "", summary=summary,
                                   part=(n, len(sets)))
        out.append((embed, picks_view(picks), [p["song_id"] for p in picks]))
    return out


def _files(turn: "Turn") -> tuple[str, list[discord.File]]:
    reply, files = turn.reply, []
    for path in turn.files:
        reply = render.export_note(reply, path)
        if os.path.isfile(path):
            files.append(discord.File(path, filename=os.path.basename(path)))
    return reply, files


async def send_picks(bot: "MoodtapeBot", interaction: discord.Interaction, turn: "Turn") -> None:
    """A turn with picks, as public follow-ups (one message per set of five)."""
    for embed, view, ids in _picks_payloads(turn):
        msg = await interaction.followup.send(embed=embed, view=view, wait=True)
        interaction.extras[_EPHEMERAL_DEFER] = None     # the placeholder is now the picks
        bot.picks.remember(msg.id, ids)


async def send_turn(bot: "MoodtapeBot", interaction: discord.Interaction, turn: "Turn", *,
                    picks_public: bool = True) -> None:
    """Any engine turn as the answer to an interaction: picks publicly, everything else ephemeral."""
    if turn.picks and turn.kind == "text" and picks_public:
        await send_picks(bot, interaction, turn)
        return
    if turn.files:
        reply, files = _files(turn)
        await answer(interaction, render.clip(reply, 2000), files=files)
        return
    await answer(interaction, render.clip(turn.reply, 2000) or "Done.")


async def reply_turn(bot: "MoodtapeBot", message: discord.Message, turn: "Turn") -> None:
    """A chat turn as replies to the member's message."""
    if turn.picks and turn.kind == "text":
        first = True
        for embed, view, ids in _picks_payloads(turn):
            if first:
                sent = await message.reply(embed=embed, view=view, mention_author=False)
                first = False
            else:
                sent = await message.channel.send(embed=embed, view=view)
            bot.picks.remember(sent.id, ids)
        return
    if turn.files:
        reply, files = _files(turn)
        await message.reply(render.clip(reply, 2000), files=files, mention_author=False)
        return
    await message.reply(render.clip(turn.reply, 2000) or "…", mention_author=False)


def describe(interaction: discord.Interaction | None) -> str:
    """Log context for an interaction: ids only — never tokens, never message text."""
    if interaction is None:
        return ""
    cmd = getattr(interaction.command, "qualified_name", None)
    custom = (interaction.data or {}).get("custom_id") if isinstance(interaction.data, dict) else None
    return (f"command={cmd!r} custom_id={custom!r} user={interaction.user.id if interaction.user else None} "
            f"guild={interaction.guild_id} channel={interaction.channel_id}")


async def report(interaction: discord.Interaction, error: BaseException, where: str = "") -> None:
    """Log an unexpected error with context and tell the user one friendly sentence."""
    from storage.errors import MoodtapeError

    original = getattr(error, "original", error)
    if isinstance(original, MoodtapeError):
        text = original.user_message
        log.info("%s: %s (%s)", where or "interaction", original, describe(interaction))
    else:
        text = OOPS
        log.error("%s failed (%s)", where or "interaction", describe(interaction), exc_info=original)
    if interaction.type is discord.InteractionType.autocomplete:
        return      # nothing can be said to an autocomplete; the member just sees no choices
    try:
        await answer(interaction, text, ephemeral=True)
    except discord.HTTPException:
        log.warning("could not tell the user about an error (%s)", describe(interaction))
    except Exception:
        log.exception("error while reporting an error (%s)", describe(interaction))
