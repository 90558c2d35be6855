"""The local Spotify as a reusable test harness: the `spec_validator` and `fake_spotify` fixtures
and a stdlib "browser" that walks the consent page. `tests/spotify/conftest.py` uses it, and so
do the engine, terminal and Discord tests that export to Spotify: a test module there imports the
two fixtures by name (`from tests.spotify.harness import fake_spotify, spec_validator`)."""
from __future__ import annotations

import re
import socket
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.spotify.fake_spotify import FakeSpotify, SpecValidator

# CI runs in a fresh clone with shared/ beside it: <repo>/../shared/spotify/openapi.yml
SPEC = Path(__file__).resolve().parents[2].parent / "shared" / "spotify" / "openapi.yml"
CLIENT_SECRET = "client-secret-that-must-never-be-logged"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def spec_validator() -> SpecValidator:
    if not SPEC.is_file():
        pytest.skip(f"Spotify API description not found at {SPEC}: shared/ must sit beside the repo")
    return SpecValidator(SPEC)


@pytest.fixture
def fake_spotify(spec_validator):
    fake = FakeSpotify(spec_validator).start()
    yield fake
    fake.stop()
    leftover = fake.take_violations()
    assert not leftover, "requests/responses broke the Spotify API description:\n" + "\n".join(leftover)


def fake_redirect_uri(fake: FakeSpotify) -> str:
    """A loopback callback on a free port, registered with the fake like one in the dashboard."""
    redirect = f"http://127.0.0.1:{free_port()}/callback"
    fake.redirect_uris.add(redirect)
    return redirect


def spotify_env(fake: FakeSpotify, redirect_uri: str) -> dict[str, str]:
    """The SPOTIFY_* variables a Moodtape process needs to talk to the fake."""
    return {"SPOTIFY_CLIENT_ID": fake.client_id, "SPOTIFY_REDIRECT_URI": redirect_uri,
            "SPOTIFY_API_BASE": fake.url + "/v1", "SPOTIFY_ACCOUNTS_BASE": fake.url}


@dataclass
class Page:
    status: int
    headers: dict[str, str]
    text: str


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def browse(url: str, form: dict[str, str] | None = None) -> Page:
    """What the person's browser does. stdlib urllib on purpose: it does not log, so every
    urllib3/requests log line a test captures comes from Moodtape's own code."""
    data = urllib.parse.urlencode(form).encode() if form is not None else None
    try:
        with _opener.open(urllib.request.Request(url, data=data), timeout=10) as resp:
            return Page(resp.status, dict(resp.headers), resp.read().decode())
    except urllib.error.HTTPError as err:
        return Page(err.code, dict(err.headers), err.read().decode())


def consent(fake: FakeSpotify, url: str, decision: str = "allow") -> str:
    """Open the authorize URL, press a consent button; returns where Spotify redirects to."""
    page = browse(url)
    assert page.status == 200, page.text
    rid = re.search(r"name='request' value='([^']+)'", page.text).group(1)
    answer = browse(fake.url + "/authorize/decision", {"request": rid, "decision": decision})
    assert answer.status == 303
    return answer.headers["Location"]


def approve(fake: FakeSpotify, url: str) -> Page:
    """The whole browser side of a link: authorize URL -> consent -> follow the redirect to the callback."""
    return browse(consent(fake, url))


URL_IN_TEXT = re.compile(r"https?://\S+/authorize\?\S+")


def authorize_url(text: str) -> str:
    """The authorization link inside a reply (Discord markdown `<…>` or `(…)` around it tolerated)."""
    m = URL_IN_TEXT.search(text)
    assert m, f"no authorization URL in {text!r}"
    return m.group(0).rstrip(">).,")
