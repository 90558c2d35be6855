"""The one exception tree of Moodtape.

    MoodtapeError                 base: every error we raise on purpose
    ├── ConfigError               bad or missing settings (token, paths, ...)
    ├── InputError                the user's input cannot be used (friendly message)
    │   └── NotFoundError         an unknown playlist, pick number, song id, ...
    ├── IngestError               a catalog file cannot be read at all (unknown format, missing column)
    ├── CatalogError              the LanceDB catalog is missing, corrupt or locked
    ├── StorageError              SQLite problems (locked, integrity)
    └── ExportError               an exporter failed (file or Spotify)
        └── SpotifyError          the Spotify API refused or failed

`user_message` is the sentence a person sees; `str(exc)` may carry more detail for logs.
Third-party exceptions are wrapped at the package boundary so front ends catch one type.
"""
from __future__ import annotations


class MoodtapeError(Exception):
    """Base class. `user_message` is always safe to show to a person."""

    def __init__(self, message: str, *, user_message: str | None = None) -> None:
        super().__init__(message)
        self.user_message = user_message or message


class ConfigError(MoodtapeError):
    pass


class InputError(MoodtapeError):
    pass


class NotFoundError(InputError):
    pass


class IngestError(MoodtapeError):
    pass


class CatalogError(MoodtapeError):
    pass


class StorageError(MoodtapeError):
    pass


class ExportError(MoodtapeError):
    pass


class SpotifyError(ExportError):
    pass


__all__ = [
    "MoodtapeError", "ConfigError", "InputError", "NotFoundError", "IngestError",
    "CatalogError", "StorageError", "ExportError", "SpotifyError",
]
