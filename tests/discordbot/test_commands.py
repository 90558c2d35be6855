"""Slash commands end to end: the real engine on the built-in catalog, Discord simulated by simcord."""
from __future__ import annotations

import json
import re

from tests.discordbot.conftest import (custom_ids, first_response_types, private_text, public_picks, said, simulated,
                                       song_ids)

ALL = {"vibe", "more", "refine", "taste", "forget-me", "help", "playlist create", "playlist add",
       "playlist remove", "playlist show", "playlist list", "playlist rename", "playlist delete",
       "playlist export"}


async def test_every_command_is_synced_and_described(make_bot):
    bot = make_bot()
    async with simulated(bot) as w:
        alice = w.member("alice")
        assert ALL <= set(alice.available_commands(w.channel))
        for cmd in bot.tree.walk_commands():
            assert cmd.description and len(cmd.description) <= 100
            for p in getattr(cmd, "parameters", []):
                assert p.description and p.description != "…", (cmd.qualified_name, p.name)


async def test_vibe_posts_one_embed_per_five_picks_with_buttons(make_bot, engine):
    bot = make_bot()
    async with simulated(bot) as w:
        alice = w.member("alice")
        r = await alice.slash(w.channel, "vibe", request="something nostalgic for a rainy night", count=7)
        assert first_response_types(w.env)[-1] == 5      # deferred at once, answered after the search
        msgs = public_picks(r)
        assert [len(m.embeds[0].fields) for m in msgs] == [5, 2]
        first = msgs[0]
        embed = first.embeds[0]
        assert embed.footer.text.startswith("I heard: ")
        assert re.match(r"1\. .+ — .+", embed.fields[0].name)
        assert len(first.components) == 5 and len(custom_ids(first)) == 20
        assert all(len(c) <= 100 for c in custom_ids(first))
        shown = song_ids(msgs[0]) + song_ids(msgs[1])
        assert len(set(shown)) == 7
        # the session is alice's in this channel, and holds what she was shown
        state = engine.sessions.load(str(alice.id), str(w.channel.id))
        assert [p["song_id"] for p in state["picks"]] == shown


async def test_more_and_refine_continue_the_conversation(make_bot):
    bot = make_bot()
    async with simulated(bot) as w:
        alice = w.member("alice")
        early = await alice.slash(w.channel, "refine", text="more upbeat")
        assert "nothing to refine" in private_text(early)
        first = public_picks(await alice.slash(w.channel, "vibe", request="sad songs about the sea"))
        more = public_picks(await alice.slash(w.channel, "more"))
        assert more and not set(song_ids(more[0])) & set(song_ids(first[0]))
        steered = public_picks(await alice.slash(w.channel, "refine", text="more upbeat"))
        assert steered and len(song_ids(steered[0])) == 5
        three = public_picks(await alice.slash(w.channel, "more", count=3))
        assert len(song_ids(three[0])) == 3


async def test_empty_blank_and_hopeless_requests_get_a_private_sentence(make_bot):
    bot = make_bot()
    async with simulated(bot) as w:
        alice = w.member("alice")
        for request in ("", "   "):          # simcord lets "" through a required option
            r = await alice.slash(w.channel, "vibe", request=request)
            assert r.ephemeral and "Tell me a mood" in private_text(r)
        r = await alice.slash(w.channel, "refine", text="")
        assert "how to steer" in private_text(r)
        r = await alice.slash(w.channel, "vibe", request="?!")
        assert private_text(r) and not public_picks(r)
        # the public "thinking…" placeholder is gone: nothing public was left in the channel
        assert not [m for m in w.channel.history() if m.author.bot and not m.flags.ephemeral]


async def test_playlists_commands_autocomplete_and_export(make_bot, engine):
    bot = make_bot()
    async with simulated(bot) as w:
        alice, bob = w.member("alice"), w.member("bob")
        picks = public_picks(await alice.slash(w.channel, "vibe", request="songs about summer love"))
        ids = song_ids(picks[0])
        r = await alice.slash(w.channel, "playlist create", name="Rainy Days")
        assert r.ephemeral and "Created" in private_text(r)
        await alice.slash(w.channel, "playlist create", name="Road trip")
        r = await alice.slash(w.channel, "playlist add", name="Rainy Days", pick=2)
        assert "Added" in private_text(r)
        r = await alice.slash(w.channel, "playlist add", name="Rainy Days")
        assert "Say which pick" in private_text(r)
        await alice.slash(w.channel, "playlist add", name="Road trip", all=True)

        choices = await alice.autocomplete(w.channel, "playlist show", "name", "rai")
        assert [c["value"] for c in choices] == ["Rainy Days"]
        everything = await alice.autocomplete(w.channel, "playlist add", "name", "")
        assert {c["value"] for c in everything} == {"Rainy Days", "Road trip"}
        assert await bob.autocomplete(w.channel, "playlist show", "name", "") == []   # only your own

        r = await alice.slash(w.channel, "playlist show", name="Rainy Days")
        assert r.ephemeral and "1." in private_text(r)
        r = await alice.slash(w.channel, "playlist list")
        assert "Rainy Days (1 song)" in private_text(r) and "Road trip (5 songs)" in private_text(r)

        # bob can neither see nor change alice's playlist
        r = await bob.slash(w.channel, "playlist show", name="Rainy Days")
        assert r.ephemeral and "Rainy Days" not in [p for p, _ in engine.playlists.list(str(bob.id))]
        r = await bob.slash(w.channel, "playlist delete", name="Road trip")
        assert r.ephemeral
        assert ("Road trip", 5) in engine.playlists.list(str(alice.id))

        r = await alice.slash(w.channel, "playlist export", name="Road trip", format="json")
        files = [a for m in said(r) for a in m.attachments]
        assert r.ephemeral and [a.filename for a in files] and files[0].filename.endswith(".json")
        data = json.loads(await files[0].read())
        assert ids[0] in json.dumps(data)
        assert "/" not in private_text(r)            # the server's path stays private

        r = await alice.slash(w.channel, "playlist rename", name="Rainy Days", new_name="Grey skies")
        assert "Renamed" in private_text(r)
        r = await alice.slash(w.channel, "playlist remove", name="Grey skies", position=1)
        assert "Removed" in private_text(r)
        r = await alice.slash(w.channel, "playlist delete", name="Grey skies")
        assert "Deleted" in private_text(r)
        r = await alice.slash(w.channel, "playlist show", name="Grey skies")
        assert r.ephemeral and private_text(r)      # unknown playlist: a friendly sentence
        r = await alice.slash(w.channel, "playlist create", name="")
        assert "name" in private_text(r)


async def test_taste_and_forget_me(make_bot, engine):
    bot = make_bot()
    async with simulated(bot) as w:
        alice = w.member("alice")
        r = await alice.slash(w.channel, "taste")
        assert r.ephemeral and "Nothing yet" in said(r)[0].embeds[0].description
        msg = public_picks(await alice.slash(w.channel, "vibe", request="happy songs for a sunny day"))[0]
        await alice.click(msg, custom_id=[c for c in custom_ids(msg) if c.startswith("mt:up:")][0])
        r = await alice.slash(w.channel, "taste")
        assert "👍 1" in said(r)[0].embeds[0].fields[0].value

        r = await alice.slash(w.channel, "forget-me")
        assert r.ephemeral and "Sure?" in r.response.content
        c = await alice.click(r.response, label="Cancel")
        assert engine.feedback_store.for_user(str(alice.id)).liked
        r = await alice.slash(w.channel, "forget-me")
        await alice.click(r.response, label="Yes, forget me")
        assert "Done" in r.response.content
        assert engine.feedback_store.for_user(str(alice.id)).empty


async def test_help_is_private_and_lists_the_commands(make_bot):
    bot = make_bot()
    async with simulated(bot) as w:
        r = await w.member("alice").slash(w.channel, "help")
        assert r.ephemeral
        text = json.dumps(r.response.embeds[0].to_dict())
        for name in ("/vibe", "/more", "/refine", "/playlist", "/taste", "/forget-me", "Just talk"):
            assert name in text
