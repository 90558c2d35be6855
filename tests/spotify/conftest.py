"""Spotify tests: the real code against a strict local Spotify (tests/spotify/fake_spotify.py) over
real HTTP on 127.0.0.1, and a real SQLite file. Nothing is mocked."""
from __future__ import annotations

import re
import socket
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from storage.db import Database
from storage.playlists import PlaylistStore, SongRef
from storage.settings import Secret, Settings
from storage.spotify import CallbackServer, SpotifyExporter, SpotifyLinker
from tests.spotify.fake_spotify import FakeSpotify, SpecValidator

# CI runs in a fresh clone with shared/ beside it: <repo>/../shared/spotify/openapi.yml
SPEC = Path(__file__).resolve().parents[2].parent / "shared" / "spotify" / "openapi.yml"
CLIENT_SECRET = "client-secret-that-must-never-be-logged"
USER = "discord-111"


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


@pytest.fixture
def settings(tmp_path, fake_spotify) -> Settings:
    redirect = f"http://127.0.0.1:{free_port()}/callback"
    fake_spotify.redirect_uris.add(redirect)
    return Settings(data_dir=tmp_path / "data", spotify_client_id=fake_spotify.client_id,
                    spotify_client_secret=Secret(CLIENT_SECRET), spotify_redirect_uri=redirect,
                    spotify_api_base=fake_spotify.url + "/v1", spotify_accounts_base=fake_spotify.url)


@pytest.fixture
def db(settings):
    database = Database(settings.sqlite_path)
    yield database
    database.close()


@pytest.fixture
def linker(db, settings) -> SpotifyLinker:
    return SpotifyLinker(db, settings)


@pytest.fixture
def callback(linker):
    with CallbackServer(linker) as server:
        yield server


@pytest.fixture
def exporter(db, settings) -> SpotifyExporter:
    return SpotifyExporter(db, settings, backoff_base_s=0.01)


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


def link(linker: SpotifyLinker, fake: FakeSpotify, user: str = USER, decision: str = "allow") -> Page:
    """The whole link flow over HTTP: begin -> consent page -> callback page."""
    return browse(consent(fake, linker.begin(user).url, decision))


@pytest.fixture
def linked(linker, callback, fake_spotify) -> str:
    page = link(linker, fake_spotify)
    assert page.status == 200, page.text
    return USER


def make_playlist(db: Database, name: str, songs: list[tuple[str, str]], user: str = USER) -> None:
    store = PlaylistStore(db)
    store.create(user, name)
    store.add(user, name, [SongRef(f"s{i}", artist, title) for i, (artist, title) in enumerate(songs)])
