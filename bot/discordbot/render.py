"""What a set of picks looks like on Discord, and how a message's buttons map back to song ids.

Pure functions (no network, no engine): embeds within Discord's caps, the custom_id codec of the
pick buttons, and reading song ids back out of a message after a restart.

custom_id layout: ``mt:<action>:<ref>`` with action ``up`` (👍), ``dn`` (👎), ``pl`` (➕ playlist) or
``ml`` (more like this). ``ref`` is the song id itself when it fits Discord's 100-character cap
(94 characters after the prefix; every built-in id does). A longer id becomes ``~`` + 20 characters
of its SHA-256 (url-safe base64), and the full id is written on a small ``-# ref`` line under that
pick in the embed, so it resolves after a restart too (in memory first, then from the message).
"""
from __future__ import annotations

import base64
import hashlib
import re
from collections import OrderedDict
from typing import Iterable, Sequence

import discord

# Discord's caps (https://discord.com/developers/docs/resources/message#embed-object-embed-limits)
EMBED_TOTAL = 6000
EMBED_TITLE = 256
EMBED_DESCRIPTION = 4096
FIELD_NAME = 256
FIELD_VALUE = 1024
FOOTER = 2048
CUSTOM_ID = 100
PICKS_PER_MESSAGE = 5        # one row of buttons per pick, 5 rows a message

# ours: a footer or description this long is already unreadable
_FOOTER_CAP = 300
_DESCRIPTION_CAP = 1000

ACTIONS = ("up", "dn", "pl", "ml")
PREFIX = "mt"
CUSTOM_ID_RE = re.compile(rf"{PREFIX}:(?P<action>{'|'.join(ACTIONS)}):(?P<ref>.+)", re.S)
_MAX_REF = CUSTOM_ID - len(f"{PREFIX}:up:")
_REF_LINE = "-# ref "
COLOUR = discord.Colour(0x9B59B6)


def clip(text: object, limit: int) -> str:
    """`text` in at most `limit` characters, cut at a word edge with an ellipsis when it can."""
    s = "" if text is None else str(text)
    if len(s) <= limit:
        return s
    if limit <= 1:
        return s[:limit]
    cut = s[: limit - 1]
    space = cut.rfind(" ")
    if space > limit * 0.6:
        cut = cut[:space]
    return cut.rstrip() + "…"


# ---- custom ids -------------------------------------------------------------------------------
def digest(song_id: str) -> str:
    raw = hashlib.sha256(song_id.encode("utf-8")).digest()[:15]
    return "~" + base64.urlsafe_b64encode(raw).decode("ascii")


def song_ref(song_id: str) -> str:
    """The part of a custom_id that names the song: the id itself, or `~digest` when too long."""
    if len(song_id) <= _MAX_REF and not song_id.startswith("~"):
        return song_id
    return digest(song_id)


def custom_id(action: str, song_id: str) -> str:
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}; expected one of {ACTIONS}")
    cid = f"{PREFIX}:{action}:{song_ref(song_id)}"
    assert len(cid) <= CUSTOM_ID
    return cid


def is_hashed(ref: str) -> bool:
    return ref.startswith("~")


class LRU:
    """A small bounded mapping: the bot's memory of recent messages and long song ids."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._data: OrderedDict = OrderedDict()

    def get(self, key, default=None):
        try:
            self._data.move_to_end(key)
        except KeyError:
            return default
        return self._data[key]

    def put(self, key, value) -> None:
        self._data[key] = value
        self._data.move_to_end(key)
        while len(self._data) > self.size:
            self._data.popitem(last=False)

    def __len__(self) -> int:
        return len(self._data)

    def __contains__(self, key) -> bool:
        return key in self._data


class PickIndex:
    """message id -> the song ids it shows, and digest -> long song id. In memory, bounded; after a
    restart everything is recovered from the message itself (`ids_from_message`)."""

    def __init__(self, messages: int = 5000, refs: int = 20000) -> None:
        self.messages = LRU(messages)
        self.refs = LRU(refs)

    def remember(self, message_id: int, song_ids: Sequence[str]) -> None:
        self.messages.put(int(message_id), tuple(song_ids))
        for sid in song_ids:
            if is_hashed(song_ref(sid)):
                self.refs.put(song_ref(sid), sid)

    def songs(self, message_id: int) -> tuple[str, ...] | None:
        return self.messages.get(int(message_id))

    def resolve(self, ref: str, message: discord.Message | None = None) -> str | None:
        """The full song id of a custom_id `ref`, or None when it cannot be recovered."""
        if not is_hashed(ref):
            return ref
        sid = self.refs.get(ref)
        if sid is None and message is not None:
            for candidate in _ref_lines(message):
                if digest(candidate) == ref:
                    sid = candidate
                    self.refs.put(ref, sid)
                    break
        return sid


def _ref_lines(message: discord.Message) -> Iterable[str]:
    for embed in message.embeds:
        for f in embed.fields:
            for line in (f.value or "").splitlines():
                if line.startswith(_REF_LINE):
                    yield line[len(_REF_LINE):]


def ids_from_message(message: discord.Message, index: PickIndex | None = None) -> list[str]:
    """The song ids a picks message shows, in order, read from its buttons (and `-# ref` lines)."""
    index = index or PickIndex()
    out: list[str] = []
    for row in message.components:
        for child in getattr(row, "children", [row]):
            m = CUSTOM_ID_RE.fullmatch(getattr(child, "custom_id", None) or "")
            if m is None or m["action"] != "up":
                continue
            sid = index.resolve(m["ref"], message)
            if sid and sid not in out:
                out.append(sid)
    return out


# ---- embeds -----------------------------------------------------------------------------------
def chunks(picks: Sequence[dict], size: int = PICKS_PER_MESSAGE) -> list[list[dict]]:
    return [list(picks[i:i + size]) for i in range(0, len(picks), size)]


def request_summary(parsed: dict | None) -> str:
    """'nostalgic · rain, night · 1990s': the request as the engine understood it."""
    if not parsed:
        return ""
    try:
        from bot.engine.session import request_from_dict

        req = request_from_dict(parsed)
        summary = req.summary() if req is not None else ""
    except Exception:  # an older or partial dict: fall back to the words typed
        summary = ""
    if not summary or summary == "anything":
        summary = str(parsed.get("text") or "")
    return summary


def pick_field(pick: dict) -> tuple[str, str]:
    esc = discord.utils.escape_markdown
    year = f" ({pick['year']})" if pick.get("year") else ""
    name = f"{pick.get('rank', '•')}. {esc(str(pick.get('title') or '?'))} — {esc(str(pick.get('artist') or '?'))}"
    name = clip(name, FIELD_NAME - len(year)) + year
    ref_line = ""
    sid = str(pick.get("song_id") or "")
    if is_hashed(song_ref(sid)):
        ref_line = "\n" + _REF_LINE + sid   # raw on purpose: read back verbatim after a restart
    why = clip(esc(str(pick.get("why") or "—")), FIELD_VALUE - len(ref_line))
    return name, why + ref_line


def picks_embed(picks: Sequence[dict], *, reply: str = "", summary: str = "",
                part: tuple[int, int] = (1, 1)) -> discord.Embed:
    """One embed for one set of at most five picks, inside every Discord cap."""
    n, total = part
    title = "🎧 Your picks" + (f" ({n}/{total})" if total > 1 else "")
    embed = discord.Embed(title=clip(title, EMBED_TITLE), colour=COLOUR,
                          description=clip(reply, _DESCRIPTION_CAP) if reply else None)
    fields = [pick_field(p) for p in picks[:PICKS_PER_MESSAGE]]
    footer = clip(f"I heard: {summary}", _FOOTER_CAP) if summary else None
    # shrink the "why" texts evenly if the whole would pass 6,000 characters
    fixed = len(embed.title or "") + len(embed.description or "") + len(footer or "") \
        + sum(len(name) for name, _ in fields)
    if fields and fixed + sum(len(v) for _, v in fields) > EMBED_TOTAL:
        share = max(20, (EMBED_TOTAL - fixed) // len(fields))
        fields = [(name, _shrink_value(v, share)) for name, v in fields]
    for name, value in fields:
        embed.add_field(name=name, value=value, inline=False)
    if footer:
        embed.set_footer(text=footer)
    return embed


def _shrink_value(value: str, limit: int) -> str:
    if len(value) <= limit:
        return value
    why, sep, ref = value.partition("\n" + _REF_LINE)
    tail = (sep + ref) if sep else ""
    return clip(why, max(1, limit - len(tail))) + tail


def text_embed(title: str, text: str = "", *, colour: discord.Colour | None = None) -> discord.Embed:
    return discord.Embed(title=clip(title, EMBED_TITLE), description=clip(text, EMBED_DESCRIPTION) or None,
                         colour=colour or COLOUR)


def taste_embed(taste: dict, *, name: str = "you") -> discord.Embed:
    embed = text_embed(f"🎚️ What I know about {name}")
    liked, disliked = int(taste.get("liked") or 0), int(taste.get("disliked") or 0)
    if not liked and not disliked:
        embed.description = ("Nothing yet. Rate picks with 👍 / 👎 (buttons or reactions) and I'll "
                             "learn what you like.")
        return embed
    embed.add_field(name="Ratings", value=f"👍 {liked} · 👎 {disliked}", inline=False)
    for label, key in (("Artists you like", "liked_artists"), ("Artists I play less", "demoted_artists"),
                       ("Moods you like", "moods"), ("Themes you like", "themes")):
        items = [str(x) for x in taste.get(key) or []]
        if items:
            embed.add_field(name=label, value=clip(", ".join(items), FIELD_VALUE), inline=False)
    embed.set_footer(text="Only you can see this. /forget-me erases it.")
    return embed


def export_note(reply: str, path: str) -> str:
    """The engine says where it wrote the file; on Discord the file is attached, the path is private."""
    return reply.replace(f" to {path}", "").strip()
