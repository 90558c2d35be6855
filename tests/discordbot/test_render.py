"""The pure parts: embeds inside Discord's caps, the custom_id codec, the rate limiter."""
from __future__ import annotations

import discord
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.discordbot import render
from bot.discordbot.cogs.vibe_views import PickButton, picks_view
from bot.discordbot.ratelimit import LIGHT, RateLimiter


def _pick(i: int, **kw) -> dict:
    return {"rank": i, "song_id": f"artist {i}||song {i}", "artist": f"Artist {i}", "title": f"Song {i}",
            "year": 1990 + i, "score": 0.5, "why": "rain on the window", **kw}


text = st.text(min_size=0, max_size=5000)


@settings(max_examples=60, deadline=None)
@given(title=text, artist=text, why=text, reply=text, summary=text, sid=st.text(min_size=1, max_size=400))
def test_embed_always_within_discord_caps(title, artist, why, reply, summary, sid):
    picks = [_pick(i, title=title, artist=artist, why=why, song_id=f"{sid}{i}") for i in range(1, 6)]
    embed = render.picks_embed(picks, reply=reply, summary=summary)
    assert len(embed) <= render.EMBED_TOTAL
    assert len(embed.title or "") <= render.EMBED_TITLE
    assert len(embed.description or "") <= render.EMBED_DESCRIPTION
    assert len(embed.fields) == 5
    for f in embed.fields:
        assert 0 < len(f.name) <= render.FIELD_NAME
        assert 0 < len(f.value) <= render.FIELD_VALUE
    assert len(embed.footer.text or "") <= render.FOOTER
    view = picks_view(picks)
    rows = {}
    for item in view.children:
        assert len(item.custom_id) <= render.CUSTOM_ID
        rows.setdefault(item.row, []).append(item)
    assert len(rows) <= 5 and all(len(r) <= 5 for r in rows.values())


def test_five_picks_a_message_four_buttons_a_pick():
    sets = render.chunks([_pick(i) for i in range(1, 12)])
    assert [len(s) for s in sets] == [5, 5, 1]
    view = picks_view(sets[0])
    assert len(view.children) == 20
    assert {i.row for i in view.children} == {0, 1, 2, 3, 4}
    assert all(i.custom_id.startswith("mt:") for i in view.children)
    with pytest.raises(ValueError):     # a 6th row does not exist on Discord
        view.add_item(PickButton("up", "x", row=5))


def test_long_song_ids_are_hashed_and_resolved_from_the_message():
    long_id = "a very long artist name " * 5 + "||" + "and a title that goes on " * 3 + "forever"
    short = "nat king cole||mona lisa"
    assert render.custom_id("up", short) == f"mt:up:{short}"
    cid = render.custom_id("up", long_id)
    assert len(cid) <= 100 and cid.startswith("mt:up:~")
    m = render.CUSTOM_ID_RE.fullmatch(cid)
    assert m and m["action"] == "up"
    # in memory
    index = render.PickIndex()
    index.remember(1, [long_id, short])
    assert index.resolve(m["ref"]) == long_id
    # after a restart: from the embed's ref line
    embed = render.picks_embed([_pick(1, song_id=long_id), _pick(2, song_id=short)])
    assert f"-# ref {long_id}" in embed.fields[0].value
    message = type("M", (), {"embeds": [embed], "components": []})()
    assert render.PickIndex().resolve(m["ref"], message) == long_id
    assert render.PickIndex().resolve(m["ref"]) is None


def test_clip_keeps_words_and_marks_the_cut():
    assert render.clip("short", 10) == "short"
    out = render.clip("the quick brown fox jumps over", 16)
    assert len(out) <= 16 and out.endswith("…") and out == "the quick brown…"


def test_footer_says_what_was_understood():
    parsed = {"text": "sad 90s", "moods": {"sad": 1.0}, "year_min": 1990, "year_max": 1999}
    embed = render.picks_embed([_pick(1)], summary=render.request_summary(parsed))
    assert embed.footer.text == "I heard: sad · 1990s"
    assert render.request_summary({"text": "zzz"}) == "zzz"


def test_rate_limiter_bursts_then_refills():
    now = [0.0]
    rl = RateLimiter(5, 10, clock=lambda: now[0])
    assert [rl.hit("a") for _ in range(5)] == [0.0] * 5
    wait = rl.hit("a")
    assert wait == pytest.approx(2.0)
    assert rl.hit("b") == 0.0            # one member's burst does not slow another
    now[0] += 2.0
    assert rl.hit("a") == 0.0
    assert rl.hit("a", LIGHT) > 0        # empty again; even a light action waits
    now[0] += 0.5
    assert rl.hit("a", LIGHT) == 0.0


def test_intents_are_minimal():
    from bot.discordbot import make_intents
    from storage.settings import Settings

    chat = make_intents(Settings(discord_chat=True))
    quiet = make_intents(Settings(discord_chat=False))
    assert chat.message_content and not quiet.message_content
    for intents in (chat, quiet):
        assert intents.guilds and intents.guild_messages and intents.dm_messages and intents.guild_reactions
        assert not intents.members and not intents.presences and not intents.typing
    assert discord.Intents.none().value < quiet.value < chat.value
