"""Plain sentences: DMs, mentions and replies go through the conversation engine, several turns deep."""
from __future__ import annotations

import dataclasses
import json

from tests.discordbot.conftest import bot_replies_to, simulated, song_ids


async def test_dm_conversation_over_several_turns(make_bot, engine):
    bot = make_bot()
    async with simulated(bot) as w:
        alice = w.member("alice")
        dm = alice.user.dm_channel

        await alice.send_dm("sad songs from the 80s")
        first = dm.last_message
        assert first.author.bot and first.embeds and "I heard" in first.embeds[0].footer.text
        ids = song_ids(first)
        assert len(ids) == 5

        await alice.send_dm("more upbeat")
        second = dm.last_message
        assert second.id != first.id and second.embeds
        assert not set(song_ids(second)) & set(ids)

        await alice.send_dm("👍 2")
        assert "Noted" in dm.last_message.content
        assert engine.feedback_store.for_user(str(alice.id)).liked == {song_ids(second)[1]}

        await alice.send_dm("create playlist night drive")
        assert "Created" in dm.last_message.content
        await alice.send_dm("add #1 to night drive")
        assert "Added" in dm.last_message.content
        await alice.send_dm("export night drive as json")
        export = dm.last_message
        assert export.attachments and export.attachments[0].filename.endswith(".json")
        assert song_ids(second)[0] in json.dumps(json.loads(await export.attachments[0].read()))

        # the buttons under a DM answer work too
        r = await alice.user.click(second, custom_id=[c.custom_id for c in second.components[2].children][1])
        assert r.ephemeral
        assert song_ids(second)[2] in engine.feedback_store.for_user(str(alice.id)).disliked


async def test_mention_and_reply_conversation_in_a_channel(make_bot, engine):
    bot = make_bot()
    async with simulated(bot) as w:
        alice, bob = w.member("alice"), w.member("bob")
        asked = await alice.send(w.channel, f"{bot.user.mention} songs about a summer road trip")
        [answer] = bot_replies_to(w.channel, asked.id)
        assert answer.embeds and len(song_ids(answer)) == 5

        # a reply to the bot needs no mention
        follow = await alice.send(w.channel, "only 90s", reply_to=answer)
        [answer2] = bot_replies_to(w.channel, follow.id)
        years = [f.name for f in answer2.embeds[0].fields]
        assert all("(199" in y for y in years), years

        # not addressed to the bot: no answer
        before = len(w.channel.history())
        await bob.send(w.channel, "songs about nothing in particular")
        assert len(w.channel.history()) == before + 1

        # a mention alone gets a hint, not an error
        hello = await bob.send(w.channel, f"{bot.user.mention}")
        [hint] = bot_replies_to(w.channel, hello.id)
        assert hint.content and not hint.embeds

        # the sessions are per member: bob's mention did not touch alice's conversation
        state = engine.sessions.load(str(alice.id), str(w.channel.id))
        assert [p["song_id"] for p in state["picks"]] == song_ids(answer2)


async def test_chat_off_means_no_message_content_intent_and_no_chat(make_bot, engine):
    settings = dataclasses.replace(engine.services.settings, discord_chat=False)
    bot = make_bot(settings=settings)
    assert not bot.intents.message_content
    async with simulated(bot) as w:
        alice = w.member("alice")
        await alice.send(w.channel, f"{bot.user.mention} sad songs")
        assert not [m for m in w.channel.history() if m.author.bot]
        r = await alice.slash(w.channel, "help")       # slash commands still work
        assert r.ephemeral
