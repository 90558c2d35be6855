"""/spotify link|status|unlink and `/playlist export format: spotify` end to end: simcord for
Discord, the strict local Spotify for Spotify, the real engine on the built-in catalog."""
from __future__ import annotations

import asyncio
import logging

import pytest

from tests.discordbot.conftest import private_text, public_picks, said, simulated, song_ids
from tests.spotify.harness import (approve, authorize_url, fake_redirect_uri, fake_spotify,  # noqa: F401
                                   spec_validator)


@pytest.fixture
def engine(warm_services, tmp_path, fake_spotify):
    """The conftest engine, configured for the local Spotify (make_bot picks this one up)."""
    from bot.engine import Engine
    from bot.services import Services
    from storage.settings import Settings

    services = Services(Settings(data_dir=tmp_path / "home", spotify_client_id=fake_spotify.client_id,
                                 spotify_redirect_uri=fake_redirect_uri(fake_spotify),
                                 spotify_api_base=fake_spotify.url + "/v1", spotify_accounts_base=fake_spotify.url))
    services.__dict__["catalog"] = warm_services.catalog
    services.__dict__["recommender"] = warm_services.recommender
    eng = Engine(services, k=5)
    yield eng
    eng.close()
    services.close()


async def test_link_is_private_to_the_member_then_export_answers_with_the_playlist_link(
        make_bot, engine, fake_spotify, caplog):
    caplog.set_level(logging.DEBUG)
    bot = make_bot()
    async with simulated(bot) as w:
        alice, bob = w.member("alice"), w.member("bob")
        assert {"spotify link", "spotify unlink", "spotify status"} <= set(alice.available_commands(w.channel))

        r = await alice.slash(w.channel, "spotify status")
        assert r.ephemeral and "isn't linked" in private_text(r)
        r = await alice.slash(w.channel, "spotify link")
        assert r.ephemeral and "only for you" in private_text(r)
        url = authorize_url(private_text(r))
        assert not [m for m in w.channel.history() if m.author.bot]      # nothing public, no URL in the channel
        page = await asyncio.to_thread(approve, fake_spotify, url)        # consent, then the callback page
        assert page.status == 200 and "Alice Example" in page.text

        assert engine.spotify_status(str(alice.id)) and not engine.spotify_status(str(bob.id))
        r = await alice.slash(w.channel, "spotify status")
        assert "is linked" in private_text(r)
        r = await bob.slash(w.channel, "spotify status")
        assert "isn't linked" in private_text(r)

        picks = public_picks(await alice.slash(w.channel, "vibe", request="songs about summer love"))
        assert len(song_ids(picks[0])) == 5
        await alice.slash(w.channel, "playlist add", name="Summer", all=True)
        state = engine.sessions.load(str(alice.id), str(w.channel.id))
        for p in state["picks"][:4]:
            fake_spotify.add_track(p["title"], p["artist"])
        r = await alice.slash(w.channel, "playlist export", name="Summer", format="spotify")

        text = private_text(r)
        assert r.ephemeral and not [a for m in said(r) for a in m.attachments]
        (remote,) = fake_spotify.playlists.values()
        assert f"https://open.spotify.com/playlist/{remote.id}" in text and "4 of 5" in text, text
        last = state["picks"][4]
        assert f"Not found on Spotify: {last['artist']} – {last['title']}" in text
        assert len(remote.uris) == 4

        # alice's playlist is not bob's to export; his own one needs his own link
        r = await bob.slash(w.channel, "playlist export", name="Summer", format="spotify")
        assert r.ephemeral and "open.spotify.com" not in private_text(r)
        await bob.slash(w.channel, "vibe", request="songs about summer love")
        await bob.slash(w.channel, "playlist add", name="Mine", all=True)
        r = await bob.slash(w.channel, "playlist export", name="Mine", format="spotify")
        assert r.ephemeral and "isn't linked yet" in private_text(r)
        assert len(fake_spotify.playlists) == 1

        # /forget-me removes the Spotify token along with everything else
        r = await alice.slash(w.channel, "forget-me")
        assert "Spotify" in r.response.content
        await alice.click(r.response, label="Yes, forget me")
        assert not engine.spotify_status(str(alice.id))
        r = await alice.slash(w.channel, "spotify unlink")
        assert "wasn't linked" in private_text(r)

    assert [s[:10] for s in fake_spotify.secrets_issued if s in caplog.text] == []


async def test_unlink_and_a_refused_export_are_friendly(make_bot, engine, fake_spotify):
    bot = make_bot()
    async with simulated(bot) as w:
        alice = w.member("alice")
        r = await alice.slash(w.channel, "spotify link")
        assert (await asyncio.to_thread(approve, fake_spotify, authorize_url(private_text(r)))).status == 200
        await alice.slash(w.channel, "vibe", request="happy songs for a sunny day")
        await alice.slash(w.channel, "playlist add", name="Sun", all=True)
        fake_spotify.fail("search", 429, retry_after="120")
        r = await alice.slash(w.channel, "playlist export", name="Sun", format="spotify")
        assert r.ephemeral and "try again in about 2 minutes" in private_text(r)
        r = await alice.slash(w.channel, "spotify unlink")
        assert "Unlinked" in private_text(r) and not engine.spotify_status(str(alice.id))


async def test_spotify_not_configured_is_one_private_sentence(make_bot, warm_services, tmp_path):
    from bot.engine import Engine
    from bot.services import Services
    from storage.settings import Settings

    services = Services(Settings(data_dir=tmp_path / "bare"))
    services.__dict__["catalog"] = warm_services.catalog
    services.__dict__["recommender"] = warm_services.recommender
    from bot.discordbot import MoodtapeBot
    from bot.discordbot.ratelimit import RateLimiter

    bot = MoodtapeBot(Engine(services, k=5), limiter=RateLimiter(1000, 1))
    try:
        async with simulated(bot) as w:
            r = await w.member("alice").slash(w.channel, "spotify link")
            assert r.ephemeral and "SPOTIFY_CLIENT_ID" in private_text(r)
    finally:
        services.close()
