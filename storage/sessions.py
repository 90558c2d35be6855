"""Per (user, channel) conversation state, stored as JSON. The engine owns its shape and its caps
(e.g. how many shown song ids it keeps); storage only guarantees round-trip and a size limit."""
from __future__ import annotations

import json
import logging

from storage._text import ident, user_key
from storage.db import Database, ensure_user, utcnow
from storage.errors import StorageError

log = logging.getLogger("moodtape.storage")

MAX_STATE_BYTES = 1_000_000   # a runaway state must fail loudly, not grow the db without bound


class SessionStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    def load(self, user_id: str, channel: str) -> dict | None:
        with self.db.read() as conn:
            row = conn.execute("SELECT state_json FROM sessions WHERE user_id = ? AND channel = ?",
                               (user_key(user_id), ident(channel, "channel"))).fetchone()
        if row is None:
            return None
        try:
            state = json.loads(row[0])
        except ValueError:
            # A damaged session must not lock the user out: start them fresh, keep a trace.
            log.warning("unreadable session state for a user; starting fresh")
            return None
        return state if isinstance(state, dict) else None

    def save(self, user_id: str, channel: str, state: dict) -> None:
        if not isinstance(state, dict):
            raise StorageError(f"session state must be a dict, not {type(state).__name__}")
        try:
            # allow_nan=False: NaN/Infinity are not JSON and would not load back elsewhere
            text = json.dumps(state, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
        except (TypeError, ValueError) as exc:
            raise StorageError(f"session state is not JSON-serialisable: {exc}") from exc
        if len(text.encode("utf-8")) > MAX_STATE_BYTES:
            raise StorageError(f"session state is {len(text)} chars, over {MAX_STATE_BYTES} bytes")
        user, chan = user_key(user_id), ident(channel, "channel")
        with self.db.transaction() as conn:
            ensure_user(conn, user)
            conn.execute(
                "INSERT INTO sessions (user_id, channel, state_json, updated_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (user_id, channel) DO UPDATE SET "
                "state_json = excluded.state_json, updated_at = excluded.updated_at",
                (user, chan, text, utcnow()))

    def delete(self, user_id: str, channel: str) -> bool:
        with self.db.transaction() as conn:
            return conn.execute("DELETE FROM sessions WHERE user_id = ? AND channel = ?",
                                (user_key(user_id), ident(channel, "channel"))).rowcount > 0

    def delete_user(self, user_id: str) -> int:
        with self.db.transaction() as conn:
            return conn.execute("DELETE FROM sessions WHERE user_id = ?", (user_key(user_id),)).rowcount
