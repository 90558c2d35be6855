"""A plain in-memory CatalogVocab (tests, benchmarks, small catalogs)."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable


@dataclass
class SimpleVocab:
    """Implements nlu.request.CatalogVocab: artists, (song_id, title, artist) titles, genres."""

    artists: list[str] = field(default_factory=list)
    titles: list[tuple[str, str, str]] = field(default_factory=list)
    genres: list[str] = field(default_factory=list)

    @classmethod
    def from_songs(cls, songs: Iterable[tuple[str, str, str]], genres: Iterable[str] = ()) -> "SimpleVocab":
        """From (song_id, title, artist) rows; artists in first-seen order."""
        titles = [(str(i), str(t), str(a)) for i, t, a in songs]
        return cls(list(dict.fromkeys(a for _, _, a in titles)), titles, list(genres))

    @classmethod
    def from_jsonl(cls, path: Path | str, *, id_field: str = "key") -> "SimpleVocab":
        """Artist/title metadata of a JSONL catalog (the lyrics are never kept)."""
        rows = []
        with open(path, encoding="utf-8") as fh:
            for n, line in enumerate(fh):
                if not line.strip():
                    continue
                rec = json.loads(line)
                rows.append((str(rec.get(id_field) or n), str(rec.get("title", "")), str(rec.get("artist", ""))))
        return cls.from_songs(rows)


__all__ = ["SimpleVocab"]
