"""Spotify through the conversation engine: link, export, faults, not configured. The real engine
on the built-in catalog, the strict local Spotify over real HTTP, and a real SQLite per test."""
from __future__ import annotations

import logging

import pytest

from bot.engine import Engine
from bot.engine.spotify import NOT_CONFIGURED
from bot.services import Services
from storage.settings import Settings
from tests.spotify.harness import (approve, authorize_url, fake_redirect_uri, fake_spotify,  # noqa: F401
                                   spec_validator)

REQUEST = "songs about summer love"


def spotify_settings(data_dir, fake) -> Settings:
    return Settings(data_dir=data_dir, spotify_client_id=fake.client_id,
                    spotify_redirect_uri=fake_redirect_uri(fake), spotify_api_base=fake.url + "/v1",
                    spotify_accounts_base=fake.url)


def make_engine(settings: Settings, shared: Services) -> Engine:
    services = Services(settings)
    services.__dict__["catalog"] = shared.catalog           # the heavy parts are shared, SQLite is not
    services.__dict__["recommender"] = shared.recommender
    return Engine(services, k=5)


@pytest.fixture
def engine(builtin_services, tmp_path, fake_spotify):
    eng = make_engine(spotify_settings(tmp_path, fake_spotify), builtin_services)
    yield eng
    eng.close()
    eng.services.close()


@pytest.fixture
def loud(caplog):
    """Every log line, ours and the HTTP libraries', so a leak would be caught."""
    for name in ("", "moodtape", "urllib3", "urllib3.connectionpool", "requests"):
        caplog.set_level(logging.DEBUG, logger=name)
    return caplog


def link(engine: Engine, fake, user: str) -> None:
    turn = engine.spotify_link(user)
    assert turn.kind == "spotify", turn.reply
    page = approve(fake, authorize_url(turn.reply))
    assert page.status == 200 and "linked to Moodtape" in page.text, page.text


def playlist_with_picks(engine: Engine, fake, user: str, name: str, on_spotify: int) -> list[dict]:
    """A playlist of the picks for REQUEST; the first `on_spotify` of them exist on the fake."""
    picks = engine.text(user, "c1", REQUEST).picks
    assert len(picks) == 5
    assert "Added 5 songs" in engine.text(user, "c1", f"add all to {name}").reply
    for p in picks[:on_spotify]:
        fake.add_track(p["title"], p["artist"])
    return picks


def leaked(fake, *texts: str) -> list[str]:
    blob = "\n".join(texts)
    return [s[:10] + "…" for s in fake.secrets_issued if s and s in blob]


def test_link_then_export_and_reexport_through_the_engine(engine, fake_spotify, loud):
    assert engine.spotify_status("ann") is False
    first = engine.spotify_link("ann")
    assert first.kind == "spotify" and "10 minutes" in first.reply and not first.files
    page = approve(fake_spotify, authorize_url(first.reply))     # the consent step, then the callback
    assert page.status == 200 and "Alice Example" in page.text
    assert engine.spotify_status("ann") and not engine.spotify_status("bob")

    picks = playlist_with_picks(engine, fake_spotify, "ann", "rainy days", on_spotify=4)
    turn = engine.playlist("ann", "c1", {"op": "export", "name": "rainy days", "format": "spotify"})

    assert turn.kind == "playlist" and turn.files == []
    assert "Created the Spotify playlist 'rainy days' with 4 of 5 songs" in turn.reply
    (remote,) = fake_spotify.playlists.values()
    assert f"https://open.spotify.com/playlist/{remote.id}" in turn.reply
    assert len(remote.uris) == 4 and not remote.public
    assert f"Not found on Spotify: {picks[4]['artist']} – {picks[4]['title']}" in turn.reply

    # plain words reach the same export; a re-export updates the same playlist, adds only what is new
    fake_spotify.add_track(picks[4]["title"], picks[4]["artist"])
    engine.text("ann", "c1", "remove #1 from rainy days")
    again = engine.text("ann", "c1", "export rainy days to spotify")
    assert again.kind == "playlist" and "Updated the Spotify playlist" in again.reply, again.reply
    assert list(fake_spotify.playlists) == [remote.id]
    # a song looked up once and not found is remembered as unmatched, not searched again
    assert f"Not found on Spotify: {picks[4]['artist']} – {picks[4]['title']}" in again.reply
    assert len(remote.uris) == 3               # #1 removed there too

    assert leaked(fake_spotify, loud.text, first.reply, turn.reply, again.reply) == []


def test_jsonl_style_events_link_status_unlink(engine, fake_spotify):
    out = engine.handle({"user": "u1", "spotify": "status"})
    assert out.kind == "spotify" and "isn't linked" in out.reply
    out = engine.handle({"user": "u1", "spotify": "link"})
    assert approve(fake_spotify, authorize_url(out.reply)).status == 200
    assert "is linked" in engine.handle({"user": "u1", "spotify": "status"}).reply
    assert "Unlinked" in engine.handle({"user": "u1", "spotify": "unlink"}).reply
    assert engine.spotify_status("u1") is False
    bad = engine.handle({"user": "u1", "spotify": "dance"})
    assert bad.kind == "error" and "link" in bad.reply
    # chat words
    assert engine.text("u1", "c1", "/spotify link").kind == "spotify"
    assert engine.text("u1", "c1", "spotify status").kind == "spotify"


def test_export_before_linking_says_how_to_link(engine):
    engine.text("ann", "c1", REQUEST)
    engine.text("ann", "c1", "add all to mix")
    turn = engine.playlist("ann", "c1", {"op": "export", "name": "mix", "format": "spotify"})
    assert turn.kind == "error" and "isn't linked yet" in turn.reply


def test_rate_limit_and_revoked_access_give_a_friendly_reply(engine, fake_spotify, loud):
    link(engine, fake_spotify, "ann")
    playlist_with_picks(engine, fake_spotify, "ann", "mix", on_spotify=5)
    fake_spotify.fail("search", 429, retry_after="3600")

    limited = engine.playlist("ann", "c1", {"op": "export", "name": "mix", "format": "spotify"})

    assert limited.kind == "error"
    assert limited.reply == ("Spotify is limiting how fast Moodtape may call it. "
                             "Please try again in about 1 hour.")
    assert engine.playlist("ann", "c1", {"op": "export", "name": "mix", "format": "spotify"}).kind == "playlist"

    fake_spotify.expire_access_tokens()       # 401 ...
    fake_spotify.revoke_refresh_tokens()      # ... and the refresh is refused: only a new link helps
    revoked = engine.text("ann", "c1", "export mix to spotify")

    assert revoked.kind == "error" and "no longer accepts" in revoked.reply and "new Spotify link" in revoked.reply
    assert engine.spotify_status("ann") is False
    assert "Traceback" not in loud.text
    assert leaked(fake_spotify, loud.text, limited.reply, revoked.reply) == []


def test_not_configured_is_a_friendly_sentence_everywhere(builtin_services, tmp_path, caplog):
    engine = make_engine(Settings(data_dir=tmp_path), builtin_services)
    try:
        engine.text("ann", "c1", REQUEST)
        engine.text("ann", "c1", "add all to mix")
        turns = [engine.spotify_link("ann"), engine.text("ann", "c1", "link spotify"),
                 engine.handle({"user": "ann", "spotify": "link"}),
                 engine.playlist("ann", "c1", {"op": "export", "name": "mix", "format": "spotify"}),
                 engine.text("ann", "c1", "export mix to spotify")]
        for turn in turns:
            assert (turn.kind, turn.reply) == ("error", NOT_CONFIGURED)
        assert "SPOTIFY_CLIENT_ID" in NOT_CONFIGURED and "README" in NOT_CONFIGURED
        assert engine.spotify_status("ann") is False
        assert engine.spotify_unlink("ann").kind == "spotify"     # nothing to unlink, no error
        assert "Traceback" not in caplog.text and not [r for r in caplog.records if r.levelno >= logging.ERROR]
    finally:
        engine.close()
        engine.services.close()
