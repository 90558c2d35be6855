"""Spotify tests: the real code against a strict local Spotify (tests/spotify/fake_spotify.py) over
real HTTP on 127.0.0.1, and a real SQLite file. Nothing is mocked."""
from __future__ import annotations

import pytest

from storage.db import Database
from storage.playlists import PlaylistStore, SongRef
from storage.settings import Secret, Settings
from storage.spotify import CallbackServer, SpotifyExporter, SpotifyLinker
from tests.spotify.fake_spotify import FakeSpotify
# The harness is shared with the engine, terminal and Discord tests; re-exported here.
from tests.spotify.harness import (CLIENT_SECRET, SPEC, Page, browse, consent,  # noqa: F401
                                   fake_redirect_uri, fake_spotify, free_port, spec_validator)

USER = "discord-111"


@pytest.fixture
def settings(tmp_path, fake_spotify) -> Settings:
    redirect = fake_redirect_uri(fake_spotify)
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
