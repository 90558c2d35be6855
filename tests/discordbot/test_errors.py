"""Errors stay friendly and private; the rate limit; configuration checks without connecting."""
from __future__ import annotations

import dataclasses
import logging

import simcord
from typer.testing import CliRunner

from bot.discordbot import check_config
from bot.discordbot.ratelimit import RateLimiter
from tests.discordbot.conftest import button, private_text, public_picks, simulated

SECRET = "MTA5ODc2NTQzMjEwOTg3NjU0.GabcdE.abcdefghijklmnopqrstuvwxyz12345"


async def test_a_crash_never_reaches_discord_and_is_logged_with_context(make_bot, engine, monkeypatch, caplog):
    bot = make_bot()
    async with simulated(bot) as w:
        alice = w.member("alice")
        msg = public_picks(await alice.slash(w.channel, "vibe", request="songs about trains"))[0]

        def boom(*a, **k):
            raise RuntimeError("database exploded")

        monkeypatch.setattr(engine, "text", boom)
        monkeypatch.setattr(engine, "feedback", boom)
        with caplog.at_level(logging.INFO, logger="moodtape"):
            r = await alice.slash(w.channel, "vibe", request="songs about boats")
            assert "went wrong on my side" in private_text(r) and not public_picks(r)
            r = await alice.click(msg, custom_id=button(msg, "up", 1))
            assert "went wrong on my side" in private_text(r)
            await alice.send(w.channel, f"{bot.user.mention} songs about planes")
            assert "went wrong on my side" in w.channel.last_message.content
        everything = " ".join(m.content for m in w.channel.history()) + private_text(r)
        assert "Traceback" not in everything and "exploded" not in everything
        logged = caplog.text
        assert "exploded" in logged and f"user={alice.id}" in logged and f"channel={w.channel.id}" in logged
        assert "command='vibe'" in logged
        w.env.errors   # acknowledge the (handled) errors simcord captured


async def test_unknown_playlist_and_bad_input_are_private_sentences(make_bot):
    bot = make_bot()
    async with simulated(bot) as w:
        alice = w.member("alice")
        r = await alice.slash(w.channel, "playlist show", name="does not exist")
        assert r.ephemeral and "no playlist called" in private_text(r)
        r = await alice.slash(w.channel, "playlist add", name="x", pick=3)
        assert r.ephemeral and "ask me for some songs first" in private_text(r)


async def test_rate_limit_says_slow_down_per_member(make_bot):
    now = [0.0]
    bot = make_bot(limiter=RateLimiter(5, 10, clock=lambda: now[0]))
    async with simulated(bot) as w:
        alice, bob = w.member("alice"), w.member("bob")
        for _ in range(5):
            await alice.send(w.channel, f"{bot.user.mention} songs about rain")
            assert w.channel.last_message.embeds
        r = await alice.slash(w.channel, "vibe", request="songs about rain")
        assert r.ephemeral and "Slow down" in private_text(r)
        await alice.send(w.channel, f"{bot.user.mention} songs about snow")
        assert "Slow down" in w.channel.last_message.content
        r = await bob.slash(w.channel, "vibe", request="songs about rain")     # bob is not alice
        assert public_picks(r)
        now[0] += 2.5
        r = await alice.slash(w.channel, "vibe", request="songs about rain")
        assert public_picks(r)


async def test_dev_guild_gets_the_commands(make_bot, engine):
    bot = make_bot(settings=dataclasses.replace(engine.services.settings, discord_dev_guild=424242424242424242))
    async with simcord.run(bot, settle_timeout=60) as env:
        guild = env.create_guild("dev", id=424242424242424242)
        channel = guild.create_text_channel("dev")
        alice = guild.add_member(env.create_user("alice"))
        assert "vibe" in alice.available_commands(channel)
        puts = [r.path for r in env.http_requests if r.method == "PUT"]
        assert any("/guilds/424242424242424242/commands" in p for p in puts)
        r = await alice.slash(channel, "help")
        assert r.ephemeral


def test_check_config_validates_without_connecting(warm_services, tmp_path):
    from storage.settings import Secret, Settings

    base = Settings(data_dir=warm_services.settings.data_dir)
    assert any("DISCORD_TOKEN is not set" in p for p in check_config(base))
    bad = check_config(Settings(data_dir=base.data_dir, discord_token=Secret("not-a-token")))
    assert any("does not look like" in p for p in bad) and not any("not-a-token" in p for p in bad)
    assert any("“Bot ”" in p for p in check_config(Settings(data_dir=base.data_dir,
                                                           discord_token=Secret("Bot " + SECRET))))
    assert check_config(Settings(data_dir=base.data_dir, discord_token=Secret(SECRET))) == []
    broken = tmp_path / "nothing-here"
    problems = check_config(Settings(data_dir=base.data_dir, db_dir=broken, discord_token=Secret(SECRET)))
    assert problems and "catalog" in problems[0]


def test_cli_bot_check(warm_services, monkeypatch):
    from bot.cli import app

    monkeypatch.setenv("MOODTAPE_HOME", str(warm_services.settings.data_dir))
    runner = CliRunner()
    result = runner.invoke(app, ["bot", "--check"])
    assert result.exit_code == 2 and "DISCORD_TOKEN is not set" in result.output
    monkeypatch.setenv("DISCORD_TOKEN", SECRET)
    result = runner.invoke(app, ["bot", "--check"])
    assert result.exit_code == 0, result.output
    assert "✓" in result.output and SECRET not in result.output
