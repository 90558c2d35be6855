"""Shared resources, built once per process and handed to every front end (no globals)."""
from __future__ import annotations

import logging
import os
import threading
from functools import cached_property
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("LANCE_LOG", "error")

from storage.settings import Settings  # noqa: E402

log = logging.getLogger("moodtape")


class Services:
    """Settings, the catalog, the recommender and the databases. Heavy parts load lazily."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._lock = threading.Lock()

    @cached_property
    def catalog(self):
        from retrieval.builtin import open_builtin
        from retrieval.catalog import Catalog

        if self.settings.db_dir is not None:
            return Catalog(self.settings.db_dir)
        return open_builtin(self.settings.data_dir)

    @cached_property
    def recommender(self):
        from retrieval.search import Recommender

        return Recommender(self.catalog)

    @cached_property
    def db(self):
        from storage.db import Database

        return Database(self.settings.sqlite_path)

    @cached_property
    def llm_parser(self):
        """The optional LLM parser (settings.llm_provider), or None for the rules parser alone.
        A misconfigured provider is logged once and the rules parser carries on."""
        if not self.settings.llm_provider:
            return None
        from nlu.llm import LLMParser
        from storage.errors import ConfigError

        try:
            parser = LLMParser.from_settings(self.settings)
        except ConfigError as exc:
            log.warning("LLM parser disabled: %s", exc.user_message)
            return None
        return parser if parser.enabled else None

    def parse(self, text: str, previous=None):
        from nlu import parse_request

        vocab = self.catalog.vocab()
        if self.llm_parser is not None:
            return self.llm_parser.parse(text, vocab=vocab, previous=previous)
        return parse_request(text, vocab=vocab, previous=previous)

    def warm_up(self) -> None:
        """Load the model and open the catalog before the first request (startup, not per turn)."""
        self.recommender.embedder.encode(["warm up"])
        from nlu import parse_request

        parse_request("songs like warm up", vocab=self.catalog.vocab())   # builds the artist index
        self.recommender.mood_stats()
        self.catalog.warm()   # small catalogs: in-memory rows and search index (~0.5 s to build)

    def close(self) -> None:
        db = self.__dict__.get("db")
        if db is not None:
            db.close()


def make_settings(db: Path | None = None, k: int | None = None) -> Settings:
    return Settings.from_env(db_dir=db, k=k)
