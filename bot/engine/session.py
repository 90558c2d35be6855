"""Per (user, channel) conversation state, kept small and persisted as JSON."""
from __future__ import annotations

from dataclasses import dataclass, field, fields

from nlu.request import ArtistMention, Request

MAX_SHOWN = 1000       # songs remembered as "already shown" per session
MAX_TEXT = 2000        # characters of a message that reach the parser


@dataclass
class SessionState:
    last_request: Request | None = None
    shown: list[str] = field(default_factory=list)
    picks: list[dict] = field(default_factory=list)   # the picks on screen, in order
    turns: int = 0

    def remember(self, picks: list[dict]) -> None:
        self.picks = picks
        seen = set(self.shown)
        self.shown.extend(p["song_id"] for p in picks if p["song_id"] not in seen)
        if len(self.shown) > MAX_SHOWN:
            del self.shown[: len(self.shown) - MAX_SHOWN]

    def to_json(self) -> dict:
        return {"last_request": self.last_request.to_dict() if self.last_request else None,
                "shown": self.shown, "picks": self.picks, "turns": self.turns}

    @classmethod
    def from_json(cls, data: dict | None) -> "SessionState":
        if not data:
            return cls()
        return cls(last_request=request_from_dict(data.get("last_request")),
                   shown=list(data.get("shown") or [])[-MAX_SHOWN:],
                   picks=list(data.get("picks") or []), turns=int(data.get("turns") or 0))


def request_from_dict(data: dict | None) -> Request | None:
    if not data:
        return None
    known = {f.name for f in fields(Request)}
    kwargs = {k: v for k, v in data.items() if k in known}
    kwargs["artist_mentions"] = [ArtistMention(**m) if isinstance(m, dict) else m
                                 for m in kwargs.get("artist_mentions", [])]
    kwargs["exclude_years"] = [tuple(r) for r in kwargs.get("exclude_years", [])]
    return Request(**kwargs)
