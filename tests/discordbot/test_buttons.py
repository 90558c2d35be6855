"""Pick buttons and reactions: feedback lands on whoever clicked, and old buttons survive restarts."""
from __future__ import annotations

from tests.discordbot.conftest import (button, private_text, public_picks, said, simulated, song_ids)


def taste(engine, member):
    return engine.feedback_store.for_user(str(member.id))


async def test_two_members_click_the_same_message_feedback_is_theirs(make_bot, engine):
    bot = make_bot()
    async with simulated(bot) as w:
        alice, bob, carol = w.member("alice"), w.member("bob"), w.member("carol")
        msg = public_picks(await alice.slash(w.channel, "vibe", request="songs about leaving home"))[0]
        ids = song_ids(msg)
        r = await bob.click(msg, custom_id=button(msg, "up", 1))
        assert r.ephemeral and "👍" in private_text(r)
        r = await carol.click(msg, custom_id=button(msg, "dn", 2))
        assert r.ephemeral and "👎" in private_text(r)
        await bob.click(msg, custom_id=button(msg, "dn", 3))
        assert taste(engine, bob).liked == {ids[0]} and taste(engine, bob).disliked == {ids[2]}
        assert taste(engine, carol).disliked == {ids[1]} and not taste(engine, carol).liked
        assert taste(engine, alice).empty        # asking is not rating


async def test_plus_opens_the_clickers_playlists_and_a_new_playlist_modal(make_bot, engine):
    bot = make_bot()
    async with simulated(bot) as w:
        alice, bob = w.member("alice"), w.member("bob")
        await alice.slash(w.channel, "playlist create", name="alice only")
        msg = public_picks(await alice.slash(w.channel, "vibe", request="songs for a night drive"))[0]
        ids = song_ids(msg)

        r = await bob.click(msg, custom_id=button(msg, "pl", 1))
        menu = said(r)[-1]
        assert menu.ephemeral
        options = [o["label"] for o in menu.components[0]["components"][0]["options"]]
        assert options == ["New playlist…"]            # bob's playlists, not alice's
        shown = await bob.select(menu, ["__new__"])
        assert shown.modal is not None
        done = await bob.submit_modal(shown, {"moodtape:new-playlist-name": "bob's mix"})
        assert "Added" in private_text(done)

        r = await bob.click(msg, custom_id=button(msg, "pl", 2))
        menu = said(r)[-1]
        options = [o["label"] for o in menu.components[0]["components"][0]["options"]]
        assert options == ["bob's mix", "New playlist…"]
        done = await bob.select(menu, ["p0"])
        assert "Added" in private_text(done)

        pl = engine.playlists.show(str(bob.id), "bob's mix")
        assert [it.song_id for it in pl.items] == ids[:2]
        assert engine.playlists.list(str(alice.id)) == [("alice only", 0)]


async def test_more_like_this_answers_the_clicker(make_bot, engine):
    bot = make_bot()
    async with simulated(bot) as w:
        alice, bob = w.member("alice"), w.member("bob")
        msg = public_picks(await alice.slash(w.channel, "vibe", request="songs about dancing all night"))[0]
        ids = song_ids(msg)
        r = await alice.click(msg, label="More like #1")
        mine = public_picks(r)
        assert mine and ids[0] not in song_ids(mine[0])
        r = await bob.click(msg, label="More like #2")     # bob never asked: his own new session
        assert public_picks(r)
        state = engine.sessions.load(str(bob.id), str(w.channel.id))
        assert [p["song_id"] for p in state["picks"]] == song_ids(public_picks(r)[0])


async def test_reactions_rate_the_whole_set_for_the_reactor(make_bot, engine):
    bot = make_bot()
    async with simulated(bot) as w:
        alice, bob, carol = w.member("alice"), w.member("bob"), w.member("carol")
        msg = public_picks(await alice.slash(w.channel, "vibe", request="songs about friendship"))[0]
        ids = song_ids(msg)
        await bob.react(msg, "👍")
        await carol.react(msg, "👎🏽")
        await carol.react(msg, "🎉")                      # not a rating
        assert taste(engine, bob).liked == set(ids)
        assert taste(engine, carol).disliked == set(ids)
        assert taste(engine, alice).empty
        # taking a reaction back takes those ratings back, but not a 👎 given since by button
        r = await bob.click(msg, custom_id=button(msg, "dn", 2))
        assert "👎" in private_text(r)
        await bob.unreact(msg, "👍")
        assert taste(engine, bob).liked == set() and taste(engine, bob).disliked == {ids[1]}
        await carol.unreact(msg, "👎🏽")
        assert taste(engine, carol).empty
        await carol.unreact(msg, "🎉")
        # a reaction on someone else's message means nothing to the bot
        mine = await alice.send(w.channel, "hello everyone")
        await bob.react(mine, "👎")
        assert taste(engine, bob).disliked == {ids[1]}


async def test_old_buttons_and_reactions_work_after_a_restart(make_bot, engine):
    bot = make_bot()
    async with simulated(bot) as w:
        alice, bob, carol = w.member("alice"), w.member("bob"), w.member("carol")
        msg = public_picks(await alice.slash(w.channel, "vibe", request="songs about the ocean"))[0]
        ids = song_ids(msg)
        fresh = make_bot()
        await w.env.restart_bot(fresh)
        assert fresh.picks.songs(msg.id) is None          # nothing carried over in memory
        old = w.channel.history()[-1]
        r = await bob.click(old, custom_id=button(old, "up", 4))
        assert "👍" in private_text(r)
        assert taste(engine, bob).liked == {ids[3]}
        # the reaction event lacks message_author_id (simcord): the bot fetches the message
        await carol.react(old, "👍")
        assert taste(engine, carol).liked == set(ids)
        r = await bob.click(old, label="More like #1")
        assert public_picks(r)
