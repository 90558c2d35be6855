"""One typed settings object, read once at start-up from the environment (and .env) and passed down.

Secrets are `SecretStr`-like: `repr()` never shows them.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path


class Secret(str):
    """A string whose repr/str in logs is masked. Use `.reveal()` to get the value."""

    def __new__(cls, value: str) -> "Secret":
        obj = super().__new__(cls, "**********" if value else "")
        obj._value = value  # type: ignore[attr-defined]
        return obj

    def reveal(self) -> str:
        return self._value  # type: ignore[attr-defined]

    def __repr__(self) -> str:
        return "Secret('**********')" if self._value else "Secret('')"  # type: ignore[attr-defined]

    def __bool__(self) -> bool:
        return bool(self._value)  # type: ignore[attr-defined]


def _read_dotenv(path: Path) -> dict[str, str]:
    out: dict[str, str] = {}
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return out
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.partition("=")
        out[key.strip()] = value.strip().strip('"').strip("'")
    return out


def default_data_dir() -> Path:
    return Path(os.environ.get("MOODTAPE_HOME", Path.home() / ".moodtape"))


@dataclass(frozen=True)
class Settings:
    data_dir: Path = field(default_factory=default_data_dir)
    db_dir: Path | None = None          # LanceDB catalog; None = the built-in catalog
    k: int = 5
    discord_token: Secret = field(default_factory=lambda: Secret(""))
    discord_dev_guild: int | None = None
    discord_chat: bool = True           # mention / DM chat (needs the message-content intent)
    spotify_client_id: str = ""
    spotify_client_secret: Secret = field(default_factory=lambda: Secret(""))
    spotify_redirect_uri: str = "http://127.0.0.1:8765/callback"
    spotify_api_base: str = "https://api.spotify.com/v1"
    spotify_accounts_base: str = "https://accounts.spotify.com"
    spotify_callback_host: str = ""     # where the callback page listens; "" = the redirect URI's host
    spotify_callback_port: int | None = None   # None = the redirect URI's port (needed for https URIs)
    llm_provider: str = ""              # "", "ollama", "openai", "gguf"
    llm_model: str = ""
    llm_url: str = ""
    llm_timeout_s: float = 4.0

    @property
    def sqlite_path(self) -> Path:
        return self.data_dir / "moodtape.sqlite3"

    @property
    def export_dir(self) -> Path:
        return self.data_dir / "exports"

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None, *, dotenv: Path | None = Path(".env"),
                 **overrides) -> "Settings":
        merged: dict[str, str] = {}
        if dotenv is not None:
            merged.update(_read_dotenv(dotenv))
        merged.update(os.environ if env is None else env)

        def get(name: str, default: str = "") -> str:
            return merged.get(name, default)

        data_dir = Path(get("MOODTAPE_HOME") or default_data_dir())
        db = get("MOODTAPE_DB")
        guild = get("MOODTAPE_DEV_GUILD")
        callback_port = get("SPOTIFY_CALLBACK_PORT").strip()
        kwargs = dict(
            data_dir=data_dir,
            db_dir=Path(db) if db else None,
            k=int(get("MOODTAPE_K", "5") or 5),
            discord_token=Secret(get("DISCORD_TOKEN")),
            discord_dev_guild=int(guild) if guild.isdigit() else None,
            discord_chat=get("MOODTAPE_DISCORD_CHAT", "1") not in ("0", "false", "no"),
            spotify_client_id=get("SPOTIFY_CLIENT_ID"),
            spotify_client_secret=Secret(get("SPOTIFY_CLIENT_SECRET")),
            spotify_redirect_uri=get("SPOTIFY_REDIRECT_URI", "http://127.0.0.1:8765/callback"),
            spotify_api_base=get("SPOTIFY_API_BASE", "https://api.spotify.com/v1"),
            spotify_accounts_base=get("SPOTIFY_ACCOUNTS_BASE", "https://accounts.spotify.com"),
            spotify_callback_host=get("SPOTIFY_CALLBACK_HOST").strip(),
            spotify_callback_port=int(callback_port) if callback_port.isdigit() else None,
            # MOODTAPE_LLM_GGUF=/path/model.gguf alone is enough to use a local GGUF model
            llm_provider=get("MOODTAPE_LLM_PROVIDER") or ("gguf" if get("MOODTAPE_LLM_GGUF") else ""),
            llm_model=get("MOODTAPE_LLM_MODEL") or get("MOODTAPE_LLM_GGUF"),
            llm_url=get("MOODTAPE_LLM_URL"),
            llm_timeout_s=float(get("MOODTAPE_LLM_TIMEOUT", "4") or 4),
        )
        kwargs.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**kwargs)
