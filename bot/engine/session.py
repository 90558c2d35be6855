"""Per (user, channel) conversation state, kept small and persisted as JSON."""
from __future__ import annotations

from dataclasses import dataclass, field, fields

from nlu.request import ArtistMention, Request

MAX_SHOWN = 1000       # songs remembered as "already shown" per session
MAX_TEXT = 2000        # characters of a message that reach the parser
MAX_LIST = 50          # items per list of the remembered request: refinements add to artists_out,
                       # genres_out, exclude_years, unknown_mentions; the oldest go first
MAX_THREAD_FEEDBACK = 50


@dataclass
class SessionState:
    last_request: Request | None = None
    shown: list[str] = field(default_factory=list)
    picks: list[dict] = field(default_factory=list)   # the picks on screen, in order
    turns: int = 0
    thread_feedback: list[list] = field(default_factory=list)  # [song_id, +1|-1] in this thread

    def note_feedback(self, song_id: str, value: int) -> None:
        self.thread_feedback = [f for f in self.thread_feedback if f[0] != song_id]
        if value:   # 0 takes a vote back
            self.thread_feedback.append([song_id, value])
        del self.thread_feedback[:-MAX_THREAD_FEEDBACK]

    def remember(self, picks: list[dict]) -> None:
        self.picks = picks
        seen = set(self.shown)
        self.shown.extend(p["song_id"] for p in picks if p["song_id"] not in seen)
        if len(self.shown) > MAX_SHOWN:
            del self.shown[: len(self.shown) - MAX_SHOWN]

    def to_json(self) -> dict:
        return {"last_request": _capped(self.last_request.to_dict()) if self.last_request else None,
                "shown": self.shown, "picks": self.picks, "turns": self.turns,
                "thread_feedback": self.thread_feedback}

    @classmethod
    def from_json(cls, data: dict | None) -> "SessionState":
        if not data:
            return cls()
        return cls(last_request=request_from_dict(data.get("last_request")),
                   shown=list(data.get("shown") or [])[-MAX_SHOWN:],
                   picks=list(data.get("picks") or []), turns=int(data.get("turns") or 0),
                   thread_feedback=[list(f) for f in (data.get("thread_feedback") or [])
                                    if isinstance(f, (list, tuple)) and len(f) == 2][-MAX_THREAD_FEEDBACK:])


def request_from_dict(data: dict | None) -> Request | None:
    if not data:
        return None
    known = {f.name for f in fields(Request)}
    kwargs = {k: v for k, v in _capped(data).items() if k in known}
    kwargs["artist_mentions"] = [ArtistMention(**m) if isinstance(m, dict) else m
                                 for m in kwargs.get("artist_mentions", [])]
    kwargs["exclude_years"] = [tuple(r) for r in kwargs.get("exclude_years", [])]
    return Request(**kwargs)


def _capped(data: dict) -> dict:
    return {k: v[-MAX_LIST:] if isinstance(v, list) else v for k, v in data.items()}
