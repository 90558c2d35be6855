"""Read catalog files (CSV, JSON, JSONL) and map the columns of common lyrics datasets.

Known layouts (matched case-insensitively):
- Kaggle "Spotify Million Song Dataset": artist, song, link, text
- Kaggle "Multi-Lingual Lyrics for Genre Classification": Artist, Song, Genre, Language, Lyrics,
  optional Song year, Track_id
- Billboard JSONL in ../shared/data: artist, title, year, tags, lyrics, key
- anything with an artist, a title and a lyrics column under a common name
"""
from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import Iterator

from storage.errors import IngestError

# canonical field -> accepted column names, most specific first
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id", "song_id", "track_id", "key"),
    "artist": ("artist", "artist_name", "artists", "singer", "band"),
    "title": ("title", "song", "song_name", "track_name", "name", "track"),
    "lyrics": ("lyrics", "text", "lyric", "song_lyrics"),
    "year": ("year", "song year", "song_year", "release_year", "released"),
    "genre": ("genre", "tags", "genres", "tag"),
    "language": ("language", "lang"),
}
REQUIRED = ("artist", "title", "lyrics")


def map_columns(columns: list[str]) -> dict[str, str]:
    """canonical field -> the file's column name. Raises IngestError if a required one is absent."""
    lower = {c.strip().lower(): c for c in columns if isinstance(c, str)}
    mapping: dict[str, str] = {}
    for field, aliases in COLUMN_ALIASES.items():
        for alias in aliases:
            if alias in lower:
                mapping[field] = lower[alias]
                break
    missing = [f for f in REQUIRED if f not in mapping]
    if missing:
        names = ", ".join(f"'{m}' (one of: {', '.join(COLUMN_ALIASES[m])})" for m in missing)
        raise IngestError(f"missing required column {names}; the file has: {', '.join(columns)[:300]}")
    return mapping


def _sniff_format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in (".csv", ".tsv"):
        return suffix[1:]
    if suffix in (".jsonl", ".ndjson"):
        return "jsonl"
    if suffix == ".json":
        return "json"
    raise IngestError(f"unknown format '{suffix or path.name}': use .csv, .tsv, .json or .jsonl")


def read_rows(path: Path | str) -> tuple[dict[str, str], Iterator[dict], int | None]:
    """(column mapping, raw row iterator, row count if cheap). Errors are IngestError."""
    path = Path(path)
    if not path.is_file():
        raise IngestError(f"cannot read {path}: no such file")
    fmt = _sniff_format(path)
    try:
        if fmt in ("csv", "tsv"):
            csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
            fh = path.open(newline="", encoding="utf-8", errors="replace")
            reader = csv.DictReader(fh, delimiter="\t" if fmt == "tsv" else ",")
            if not reader.fieldnames:
                fh.close()
                raise IngestError(f"{path} is empty or has no header row")
            mapping = map_columns(list(reader.fieldnames))

            def gen() -> Iterator[dict]:
                with fh:
                    yield from reader
            return mapping, gen(), None
        if fmt == "jsonl":
            first = _first_jsonl_object(path)
            mapping = map_columns(list(first))

            def gen() -> Iterator[dict]:
                for obj, error in _jsonl_objects(path):
                    if isinstance(obj, dict):
                        yield obj
                    else:
                        yield {"__error__": "broken JSON line" if error else "not a JSON object"}
            return mapping, gen(), None
        data = json.loads(path.read_text(encoding="utf-8", errors="replace"))
        if isinstance(data, dict):  # {"songs": [...]} or similar
            lists = [v for v in data.values() if isinstance(v, list)]
            data = lists[0] if lists else []
        if not isinstance(data, list) or not data or not isinstance(data[0], dict):
            raise IngestError(f"{path}: expected a JSON list of song objects")
        mapping = map_columns(list(data[0]))
        return mapping, iter(data), len(data)
    except IngestError:
        raise
    except (OSError, UnicodeError, json.JSONDecodeError, csv.Error) as exc:
        raise IngestError(f"cannot read {path}: {exc}") from exc


def _jsonl_objects(path: Path) -> Iterator[tuple[object, str | None]]:
    """(parsed value or None, JSON error message or None) for each non-blank line."""
    with path.open(encoding="utf-8", errors="replace") as fh:
        for line in fh:
            line = line.strip()
            if not line:
                continue
            try:
                yield json.loads(line), None
            except json.JSONDecodeError as exc:
                yield None, exc.msg


def _first_jsonl_object(path: Path) -> dict:
    for obj, error in _jsonl_objects(path):
        if error is not None:
            raise IngestError(f"{path}: the first line is not JSON ({error})")
        if not isinstance(obj, dict):
            raise IngestError(f"{path}: expected one JSON object per line")
        return obj
    raise IngestError(f"{path} is empty")
