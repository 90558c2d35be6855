"""Tokens, codes, PKCE verifiers and the client secret never reach a log line or an error text."""
from __future__ import annotations

import logging

import pytest

from storage.spotify import SpotifyRelinkRequired
from tests.spotify.conftest import CLIENT_SECRET, USER, link, make_playlist


def test_nothing_secret_is_logged_through_link_export_refresh_and_faults(
        linker, callback, exporter, db, fake_spotify, caplog):
    caplog.set_level(logging.DEBUG)
    for name in ("urllib3", "urllib3.connectionpool", "requests", "spotipy", "spotipy.oauth2",
                 "spotipy.client", "moodtape", "moodtape.spotify"):
        caplog.set_level(logging.DEBUG, logger=name)
    errors: list[str] = []

    assert link(linker, fake_spotify).status == 200
    uri = fake_spotify.add_track("Song", "Band")
    make_playlist(db, "Mix", [("Band", "Song")])
    fake_spotify.expire_access_tokens()                          # 401 -> refresh (rotates both tokens)
    fake_spotify.fail("search", 429, retry_after="0")
    fake_spotify.fail("add-items-to-playlist", 503)
    result = exporter.export(USER, "Mix")
    assert fake_spotify.playlists[result.spotify_playlist_id].uris == [uri]
    fake_spotify.expire_access_tokens()
    fake_spotify.revoke_refresh_tokens()
    with pytest.raises(SpotifyRelinkRequired) as info:
        exporter.export(USER, "Mix")
    errors += [str(info.value), repr(info.value), info.value.user_message]

    loggers = {r.name for r in caplog.records}
    assert "urllib3.connectionpool" in loggers and "moodtape.spotify" in loggers   # we did listen
    text = caplog.text + "\n".join(errors)
    secrets = [s for s in fake_spotify.secrets_issued if s] + [CLIENT_SECRET]
    assert len(secrets) >= 7       # code, verifier, 2 access + 2 refresh tokens, the client secret
    leaked = [s[:12] + "…" for s in secrets if s in text]
    assert leaked == []
