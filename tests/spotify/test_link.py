"""Linking: PKCE authorize URL, single-use expiring state bound to the asking user, the callback page."""
from __future__ import annotations

import json
import urllib.parse

import pytest
import requests

from storage.errors import ConfigError, SpotifyError
from storage.forget import forget_user
from storage.spotify import CallbackServer, SpotifyLinker, check_redirect_uri
from storage.spotify.tokens import SQLiteCacheHandler
from tests.spotify.conftest import USER, browse, consent, link
from tests.spotify.fake_spotify import User


def _stored(db, user=USER):
    return SQLiteCacheHandler(db, user).get_cached_token()


def test_link_stores_token_for_the_asking_user_and_shows_a_friendly_page(linker, callback, fake_spotify, db):
    request = linker.begin(USER)
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(request.url).query))
    assert query["scope"].split() == ["playlist-modify-private", "playlist-modify-public"]
    assert query["code_challenge_method"] == "S256" and query["redirect_uri"] == callback.url

    page = browse(consent(fake_spotify, request.url))

    assert page.status == 200
    assert "Your Spotify account is linked to Moodtape" in page.text and "close this tab" in page.text
    assert "Alice Example" in page.text
    assert page.headers["Cache-Control"] == "no-store" and page.headers["Referrer-Policy"] == "no-referrer"
    token = _stored(db)
    assert token["access_token"] in fake_spotify.secrets_issued
    assert token["refresh_token"] in fake_spotify.secrets_issued
    assert linker.is_linked(USER) and not linker.is_linked("someone-else")
    assert token["access_token"] not in page.text


def test_state_binds_the_callback_to_the_user_who_asked(linker, callback, fake_spotify, db):
    fake_spotify.users["bob.spotify"] = User("bob.spotify", "Bob")
    url_a = linker.begin("discord-A").url
    url_b = linker.begin("discord-B").url
    fake_spotify.consenting_user = "bob.spotify"
    back_b = consent(fake_spotify, url_b)
    fake_spotify.consenting_user = "alice.spotify"
    back_a = consent(fake_spotify, url_a)

    assert "Bob" in browse(back_b).text          # B's callback first
    assert "Alice Example" in browse(back_a).text
    a, b = _stored(db, "discord-A"), _stored(db, "discord-B")
    assert a["access_token"] != b["access_token"]
    # each token belongs to the Spotify account that consented on that user's link
    who = lambda t: requests.get(fake_spotify.url + "/v1/me", timeout=5,  # noqa: E731
                                 headers={"Authorization": f"Bearer {t['access_token']}"}).json()["id"]
    assert (who(a), who(b)) == ("alice.spotify", "bob.spotify")


def test_unknown_state_is_refused_without_calling_spotify(linker, callback, fake_spotify, db):
    page = browse(callback.url + "?state=forged-state&code=whatever")
    assert page.status == 400
    assert "not valid" in page.text and "linked to Moodtape" not in page.text
    assert fake_spotify.calls_to("token") == []
    assert not linker.is_linked(USER)
    assert browse(callback.url + "?code=x").status == 400     # no state at all


def test_replayed_state_is_refused(linker, callback, fake_spotify, db):
    back = consent(fake_spotify, linker.begin(USER).url)
    assert browse(back).status == 200
    first = _stored(db)

    again = browse(back)

    assert again.status == 400 and "already used" in again.text
    assert _stored(db) == first
    assert len(fake_spotify.calls_to("token")) == 1     # the code was never sent a second time


def test_expired_state_is_refused(db, settings, fake_spotify):
    now = [1_000_000.0]
    linker = SpotifyLinker(db, settings, state_ttl_s=600, clock=lambda: now[0])
    with CallbackServer(linker):
        back = consent(fake_spotify, linker.begin(USER).url)
        now[0] += 601
        page = browse(back)
    assert page.status == 400 and "expired" in page.text
    assert fake_spotify.calls_to("token") == [] and not linker.is_linked(USER)


def test_a_newer_link_replaces_the_older_one(linker, callback, fake_spotify):
    old = consent(fake_spotify, linker.begin(USER).url)
    new = consent(fake_spotify, linker.begin(USER).url)
    assert browse(old).status == 400
    assert browse(new).status == 200


def test_denied_consent_links_nothing(linker, callback, fake_spotify):
    page = link(linker, fake_spotify, decision="deny")
    assert page.status == 400 and "not granted" in page.text
    assert not linker.is_linked(USER) and fake_spotify.calls_to("token") == []


def test_development_mode_user_not_on_allowlist_is_told_at_link_time(linker, callback, fake_spotify):
    fake_spotify.users["alice.spotify"].allowlisted = False
    page = link(linker, fake_spotify)
    assert page.status == 400
    assert "Developer Dashboard" in page.text and "User Management" in page.text
    assert not linker.is_linked(USER)


def test_complete_is_callable_directly_and_raises_spotify_error(linker):
    with pytest.raises(SpotifyError) as info:
        linker.complete("nope", "code")
    assert "not valid" in info.value.user_message


def test_unlink_and_forget_me_remove_the_token(linker, linked, db, fake_spotify):
    assert linker.unlink(USER) is True
    assert not linker.is_linked(USER) and linker.unlink(USER) is False
    assert link(linker, fake_spotify).status == 200       # link again, then /forget-me
    assert forget_user(db, USER)["spotify_tokens"] == 1
    assert not linker.is_linked(USER)


def test_token_is_stored_as_json_in_sqlite_and_db_file_is_private(linked, db, settings):
    import os
    import sqlite3
    conn = sqlite3.connect(str(settings.sqlite_path))
    (raw,) = conn.execute("SELECT token_json FROM spotify_tokens WHERE user_id = ?", (USER,)).fetchone()
    conn.close()
    assert set(json.loads(raw)) >= {"access_token", "refresh_token", "expires_at", "scope"}
    assert os.stat(settings.sqlite_path).st_mode & 0o777 == 0o600
    assert "access_token" not in repr(SQLiteCacheHandler(db, USER))


@pytest.mark.parametrize("uri", ["http://localhost:8765/callback", "http://127.0.0.1/callback",
                                 "http://example.com:8765/callback", "ftp://127.0.0.1:1/x", "https:///x",
                                 "http://127.0.0.1:notaport/callback"])
def test_redirect_uris_spotify_refuses_are_refused_at_start(uri):
    with pytest.raises(ConfigError):
        check_redirect_uri(uri)


@pytest.mark.parametrize("uri", ["http://127.0.0.1:8765/callback", "http://[::1]:8765/cb",
                                 "https://moodtape.example/spotify/callback"])
def test_redirect_uris_spotify_accepts(uri):
    assert check_redirect_uri(uri) == uri


def test_callback_server_answers_only_its_path_and_never_logs_the_code(linker, callback, fake_spotify, caplog):
    caplog.set_level("DEBUG")
    assert browse(callback.url.replace("/callback", "/other")).status == 404
    back = consent(fake_spotify, linker.begin(USER).url)
    code = urllib.parse.parse_qs(urllib.parse.urlsplit(back).query)["code"][0]
    assert browse(back).status == 200
    assert "callback GET /callback" in caplog.text
    assert code not in caplog.text


def test_names_on_the_callback_page_are_escaped(linker, callback, fake_spotify):
    fake_spotify.users["alice.spotify"].display_name = "<script>alert(1)</script>"
    page = link(linker, fake_spotify)
    assert page.status == 200
    assert "<script>" not in page.text and "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert "default-src 'none'" in page.headers["Content-Security-Policy"]


def test_wait_for_link_returns_when_the_callback_completes(linker, callback, fake_spotify):
    import threading
    url = linker.begin(USER).url
    got = []
    waiter = threading.Thread(target=lambda: got.append(linker.wait_for_link(USER, 10)))
    waiter.start()
    assert browse(consent(fake_spotify, url)).status == 200
    waiter.join(10)
    assert got and got[0].user_id == USER and got[0].display_name == "Alice Example"
    assert linker.wait_for_link(USER, 0.05) is None          # consumed; nothing new arrives
