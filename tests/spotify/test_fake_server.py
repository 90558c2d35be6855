"""The strict fake must catch what the real Spotify would refuse; otherwise the export tests prove
nothing. Each test makes one wrong request and checks that it was recorded as a violation."""
from __future__ import annotations

import base64
import hashlib

import pytest
import requests
import spotipy

from storage.spotify.tokens import SQLiteCacheHandler
from tests.spotify.conftest import USER


@pytest.fixture
def token(linked, db) -> str:
    return SQLiteCacheHandler(db, USER).get_cached_token()["access_token"]


@pytest.fixture
def api(fake_spotify, token):
    s = requests.Session()
    s.headers["Authorization"] = f"Bearer {token}"
    base = fake_spotify.url + "/v1"
    yield lambda method, path, **kw: s.request(method, base + path, timeout=5, **kw)
    s.close()


@pytest.fixture
def playlist_id(api) -> str:
    created = api("POST", "/me/playlists", json={"name": "t", "public": False})
    assert created.status_code == 201
    return created.json()["id"]


def test_a_correct_request_is_not_a_violation(api, playlist_id, fake_spotify):
    uri = fake_spotify.add_track("Song", "Band")
    assert api("POST", f"/playlists/{playlist_id}/items", json={"uris": [uri]}).status_code == 201
    assert fake_spotify.take_violations() == []


def test_bare_array_body_is_caught(api, playlist_id, fake_spotify):
    uri = fake_spotify.add_track("Song", "Band")
    api("POST", f"/playlists/{playlist_id}/items", json=[uri])
    found = fake_spotify.take_violations()
    assert any("InvalidRequestBody" in v and "not of type 'object'" in v for v in found), found


def test_more_than_100_uris_is_caught(api, playlist_id, fake_spotify):
    uris = [fake_spotify.add_track(f"Song {i}", "Band") for i in range(101)]
    api("POST", f"/playlists/{playlist_id}/items", json={"uris": uris})
    assert any("101 URIs in one request" in v for v in fake_spotify.take_violations())


def test_search_limit_over_10_is_caught(api, fake_spotify):
    api("GET", "/search", params={"q": "x", "type": "track", "limit": 11})
    assert any("limit" in v for v in fake_spotify.take_violations())


def test_deprecated_and_undescribed_endpoints_are_caught(api, playlist_id, fake_spotify):
    uri = fake_spotify.add_track("Song", "Band")
    api("POST", f"/playlists/{playlist_id}/tracks", json={"uris": [uri]})
    api("GET", "/me/")
    found = fake_spotify.take_violations()
    assert any("deprecated" in v for v in found), found
    assert any("GET /v1/me/" in v and "PathNotFound" in v for v in found), found


def test_spotipy_quirks_seen_in_the_probe_are_caught(fake_spotify, token, playlist_id):
    """Why the exporter does not use spotipy's API methods: both would be refused here."""
    sp = spotipy.Spotify(auth=token, requests_timeout=5, retries=0, status_retries=0)
    sp.prefix = fake_spotify.url + "/v1/"
    uri = fake_spotify.add_track("Song", "Band")
    try:
        sp.me()
    except spotipy.SpotifyException:
        pass
    try:
        sp.playlist_add_items(playlist_id, [uri])
    except spotipy.SpotifyException:
        pass
    found = fake_spotify.take_violations()
    assert any("/v1/me/" in v for v in found), found
    assert any("not of type 'object'" in v for v in found), found


def test_a_response_that_breaks_the_description_is_caught(api, fake_spotify, monkeypatch):
    monkeypatch.setattr(fake_spotify, "_user_obj", lambda user: {"id": 42, "images": "none"})
    api("GET", "/me")
    found = fake_spotify.take_violations()
    assert any(v.startswith("response 200 to GET /v1/me") for v in found), found


def test_token_endpoint_checks_pkce_by_hand(fake_spotify, settings):
    """The accounts service is not in the description, so the fake checks it itself."""
    fake_spotify.redirect_uris.add("http://127.0.0.1:9/cb")
    verifier = "v" * 64
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")
    fake_spotify._codes["code-x"] = {"q": {"redirect_uri": "http://127.0.0.1:9/cb", "code_challenge": challenge,
                                           "scope": "playlist-modify-private"}, "user": "alice.spotify",
                                     "at": __import__("time").time()}
    token_url = fake_spotify.url + "/api/token"
    wrong = requests.post(token_url, timeout=5, data={
        "grant_type": "authorization_code", "code": "code-x", "redirect_uri": "http://127.0.0.1:9/cb",
        "client_id": fake_spotify.client_id, "code_verifier": "w" * 64, "client_secret": "nope"})
    assert wrong.status_code == 400 and wrong.json()["error"] == "invalid_grant"
    found = fake_spotify.take_violations()
    assert any("code_verifier does not match" in v for v in found), found
    assert any("client secret was sent" in v for v in found), found
    reused = requests.post(token_url, timeout=5, data={
        "grant_type": "authorization_code", "code": "code-x", "redirect_uri": "http://127.0.0.1:9/cb",
        "client_id": fake_spotify.client_id, "code_verifier": verifier})
    assert reused.status_code == 400                               # codes are single-use, even failed ones
    assert any("unknown or reused" in v for v in fake_spotify.take_violations())
