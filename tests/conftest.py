"""Shared fixtures: the real embedding model, real LanceDB and SQLite in temp dirs."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("LANCE_LOG", "error")

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
SHARED = ROOT.parent / "shared"


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory, monkeypatch):
    """No test reads or writes the developer's ~/.moodtape or a .env."""
    home = tmp_path_factory.getbasetemp() / "moodtape-home"
    monkeypatch.setenv("MOODTAPE_HOME", str(home))
    for var in ("MOODTAPE_DB", "DISCORD_TOKEN", "SPOTIFY_CLIENT_SECRET"):
        monkeypatch.delenv(var, raising=False)


@pytest.fixture(scope="session")
def fixture_catalog(tmp_path_factory):
    """A real LanceDB catalog ingested from the three committed fixture layouts."""
    from retrieval.catalog import Catalog
    from retrieval.ingest import ingest_file

    db = tmp_path_factory.mktemp("catalog")
    catalog = Catalog(db, create=True)
    reports = {name: ingest_file(FIXTURES / name, catalog, batch_size=16)
               for name in ("spotify_million.csv", "multilingual.csv", "billboard_like.jsonl")}
    return catalog, reports


@pytest.fixture(scope="session")
def builtin_services(tmp_path_factory):
    """Services on the built-in catalog, materialised once into a temp data dir."""
    from bot.services import Services
    from storage.settings import Settings

    data = tmp_path_factory.mktemp("data")
    services = Services(Settings(data_dir=data))
    services.catalog  # materialise now
    yield services
    services.close()
