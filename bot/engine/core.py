"""The conversation engine: one per process, shared by the terminal, JSONL and Discord front ends.

Each call takes one user action and returns a `Turn` (reply, picks, parsed request, latency).
Sessions are per (user, channel); feedback and playlists are per user and persist in SQLite.
Calls are blocking and thread-safe (a lock per session); async front ends use a thread.
"""
from __future__ import annotations

import logging
import threading
import time
import unicodedata
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.engine.intents import Intent, match_intent
from bot.engine.refine import merge
from bot.engine.session import MAX_TEXT, SessionState
from bot.services import Services
from storage.errors import InputError, MoodtapeError, NotFoundError

log = logging.getLogger("moodtape.engine")

HELP = """I find songs by what their lyrics mean. Try:
• something nostalgic for a rainy night · songs for cleaning the house · sad 80s songs, no rap
• then steer: more upbeat · sadder · only 90s · no more <artist> · different artists · another 5 ·
  more like #2 · something like the first one but happier · start over
• 👍 2 / 👎 3 (or +2 / -3) teaches me your taste; “undo 2” takes a rating back
• playlists: create playlist rainy days · add #3 to rainy days · add all to rainy days ·
  show playlist rainy days · my playlists · remove #2 from rainy days ·
  rename playlist a to b · delete playlist a · export rainy days as m3u8 (xspf, json, csv)
• Spotify: link spotify · export rainy days to spotify · spotify status · unlink spotify"""


OOPS = "Something went wrong on my side — sorry! Please try again, or say “start over”."


@dataclass
class Turn:
    reply: str
    picks: list[dict] = field(default_factory=list)
    parsed: dict = field(default_factory=dict)
    latency_ms: float = 0.0
    files: list[str] = field(default_factory=list)
    kind: str = "text"      # text, feedback, playlist, help, error, spotify

    def to_json(self) -> dict[str, Any]:
        return {"reply": self.reply, "picks": [_public_pick(p) for p in self.picks],
                "parsed": self.parsed, "latency_ms": round(self.latency_ms, 2),
                "files": self.files, "kind": self.kind}


def _public_pick(p: dict) -> dict:
    return {k: p.get(k) for k in ("rank", "song_id", "artist", "title", "year", "score", "why")}


def clean_text(text: Any) -> str:
    """Printable text, capped: control characters and NULs never reach the parser or storage."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    text = unicodedata.normalize("NFKC", text[: MAX_TEXT * 4])
    text = "".join(ch if unicodedata.category(ch)[0] != "C" else " " for ch in text)
    return " ".join(text.split())[:MAX_TEXT]


class Engine:
    def __init__(self, services: Services, *, k: int | None = None) -> None:
        from storage.feedback import FeedbackStore
        from storage.playlists import PlaylistStore
        from storage.sessions import SessionStore

        self.services = services
        self.k = k or services.settings.k
        self.feedback_store = FeedbackStore(services.db)
        self.playlists = PlaylistStore(services.db)
        self.sessions = SessionStore(services.db)
        self._locks: "weakref.WeakValueDictionary[tuple[str, str], threading.RLock]" = weakref.WeakValueDictionary()
        self._locks_guard = threading.Lock()
        from bot.engine.spotify import SpotifyBridge

        self.spotify = SpotifyBridge(lambda: services.db, services.settings)   # builds nothing until used

    # ---- entry points ---------------------------------------------------------------------------
    def handle(self, event: dict) -> Turn:
        """One JSONL-style event: {"user", "text"} | {"user", "feedback", "pick"|"song_id"} |
        {"user", "playlist": {...}} | {"user", "spotify": "link"|"unlink"|"status"}; optional "channel"."""
        start = time.perf_counter()
        try:
            if not isinstance(event, dict):
                raise InputError("event is not an object", user_message="Each line must be a JSON object.")
            user = clean_text(event.get("user"))[:100]
            channel = clean_text(event.get("channel") or "cli")[:100]
            if not user:
                raise InputError("missing user", user_message='Each message needs a "user".')
            if "feedback" in event:
                turn = self.feedback(user, channel, event.get("feedback"), pick=event.get("pick"),
                                     song_id=event.get("song_id"))
            elif "playlist" in event:
                turn = self.playlist(user, channel, event.get("playlist"))
            elif "spotify" in event:
                turn = self._spotify_action(user, event.get("spotify"))
            elif "text" in event:
                turn = self.text(user, channel, event.get("text"))
            else:
                raise InputError("no action", user_message='Send "text", "feedback" or "playlist".')
        except MoodtapeError as exc:
            turn = Turn(exc.user_message, kind="error")
        except Exception:
            log.exception("engine.handle failed")
            turn = Turn(OOPS, kind="error")
        turn.latency_ms = (time.perf_counter() - start) * 1000
        return turn

    def text(self, user: str, channel: str, text: Any) -> Turn:
        return self._guarded("text", user, channel, self._text, clean_text(text))

    def feedback(self, user: str, channel: str, value: Any, *, pick: Any = None,
                 song_id: Any = None) -> Turn:
        return self._guarded("feedback", user, channel, self._feedback, value, pick, song_id)

    def playlist(self, user: str, channel: str, op: Any) -> Turn:
        return self._guarded("playlist", user, channel, self._playlist_op, op)

    def _guarded(self, name: str, user: str, channel: str, fn, *args) -> Turn:
        """Run one action under its session's lock; errors become a friendly Turn, timed."""
        start = time.perf_counter()
        with self._session_lock(user, channel):
            try:
                turn = fn(user, channel, *args)
            except MoodtapeError as exc:
                turn = Turn(exc.user_message, kind="error")
            except Exception:  # a bug must cost one answer, never the session or the process
                log.exception("engine.%s failed (user=%s channel=%s)", name, user, channel)
                turn = Turn(OOPS, kind="error")
        turn.latency_ms = (time.perf_counter() - start) * 1000
        return turn

    # ---- text -----------------------------------------------------------------------------------
    def _text(self, user: str, channel: str, text: str) -> Turn:
        if not text:
            return Turn("Tell me a mood, a scene or an artist, e.g. “something nostalgic for a rainy night”.",
                        kind="help")
        intent = match_intent(text)
        if intent is not None:
            return self._intent(user, channel, intent)
        state = self._load(user, channel)
        req = self.services.parse(text, previous=state.last_request)
        plan = merge(req, state.last_request, state.picks)
        if plan.reset:
            state = SessionState()
        elif plan.new_thread:
            state.thread_feedback = []
        request = plan.request
        notes = self._notes(request)
        if not request.has_content():
            state.last_request = None if plan.reset else state.last_request
            self._save(user, channel, state)
            if plan.reset:
                return Turn("Fresh start! What are you in the mood for?", parsed=request.to_dict())
            hint = " ".join(notes) + (" " if notes else "")
            return Turn(hint + "I didn't catch a mood, a scene or an artist there. Try “sad songs "
                        "from the 80s”, “music for cleaning the house” or “like Adele but happier”.",
                        parsed=request.to_dict(), kind="help")
        k = max(1, min(request.count or self.k, 25))
        taste = self.feedback_store.for_user(user)
        from retrieval.search import Feedback

        exclude = [] if plan.include_seen else list(state.shown)
        request.artists_out = list(dict.fromkeys(request.artists_out + plan.exclude_artists))
        result = self.services.recommender.recommend(
            request, k=k, exclude_ids=exclude, anchor_ids=plan.anchor_ids,
            max_per_artist=plan.max_per_artist,
            feedback=Feedback(liked_ids=sorted(taste.liked), disliked_ids=sorted(taste.disliked),
                              demoted_artists=sorted(taste.demoted_artists),
                              session_liked=[f[0] for f in state.thread_feedback if f[1] > 0],
                              session_disliked=[f[0] for f in state.thread_feedback if f[1] < 0]))
        request.artists_out = [a for a in request.artists_out if a not in plan.exclude_artists]
        picks = [{**p.to_dict(), "valence": round(p.valence, 3), "energy": round(p.energy, 3),
                  "moods": p.moods, "themes": p.themes} for p in result.picks]
        state.last_request = request
        state.turns += 1
        if picks:
            state.remember(picks)
        self._save(user, channel, state)
        if not picks:
            reply = ("I couldn't find songs for that" + (" that I haven't shown you already" if exclude else "")
                     + ". Try loosening a constraint (a wider decade, fewer exclusions) or say “start over”.")
        else:
            reply = f"Here {'is' if len(picks) == 1 else 'are'} {len(picks)} for {request.summary()}."
        if notes:
            reply = " ".join(notes) + " " + reply
        return Turn(reply, picks=picks, parsed=request.to_dict())

    def _notes(self, request) -> list[str]:
        unknown = list(dict.fromkeys(request.unknown_mentions))[:5]
        if not unknown:
            return []
        names = ", ".join(unknown)
        return [f"I don't have {names} in my catalog yet — here is what I found for the rest."
                if request.has_content() else f"I don't have {names} in my catalog yet."]

    # ---- feedback -------------------------------------------------------------------------------
    def _feedback(self, user: str, channel: str, value: Any, pick: Any, song_id: Any) -> Turn:
        sign = {"up": 1, "down": -1, "+": 1, "-": -1, 1: 1, -1: -1, "👍": 1, "👎": -1,
                "clear": 0, "undo": 0, "none": 0, 0: 0,
                "clear-up": 2, "clear-down": -2}.get(   # ±2: take back only a vote of that sign
            value.strip().lower() if isinstance(value, str)
            else value if isinstance(value, (int, float)) else None)  # a list/dict is not a vote (unhashable)
        if sign is None:
            raise InputError(f"bad feedback {value!r}", user_message='Feedback is "up", "down" or "clear".')
        state = self._load(user, channel)
        if song_id not in (None, ""):
            sid = clean_text(song_id)[:200]
            row = self.services.catalog.get([sid], ["song_id", "artist", "title", "year"]).get(sid)
            if row is None:
                raise NotFoundError(f"unknown song {sid!r}", user_message="I don't know that song id.")
            target = {"song_id": sid, "artist": row["artist"], "title": row["title"]}
        else:
            target = self._pick(state, pick)
        what = f"{target['artist']} – {target['title']}"
        if sign in (0, 2, -2):
            only = None if sign == 0 else sign // 2
            if self.feedback_store.unrecord(user, target["song_id"], only=only):
                state.note_feedback(target["song_id"], 0)
                self._save(user, channel, state)
                return Turn(f"↩️ Took back your rating of {what}.", picks=state.picks, kind="feedback")
            return Turn(f"You had not rated {what}" + ("." if only is None else " that way."),
                        picks=state.picks, kind="feedback")
        self.feedback_store.record(user, target["song_id"], target["artist"], sign)
        state.note_feedback(target["song_id"], sign)
        self._save(user, channel, state)
        reply = (f"👍 Noted: {what}. I'll bring more like it." if sign > 0
                 else f"👎 Noted: {what}. I won't suggest it again.")
        return Turn(reply, picks=state.picks, kind="feedback")

    def _pick(self, state: SessionState, pick: Any) -> dict:
        if not state.picks:
            raise InputError("no picks yet", user_message="There are no picks yet — ask me for some songs first.")
        try:
            n = int(str(pick).strip().lstrip("#"))
        except (TypeError, ValueError):
            raise InputError(f"bad pick {pick!r}", user_message=f"Say which pick: a number from 1 to {len(state.picks)}.") from None
        if not 1 <= n <= len(state.picks):
            raise NotFoundError(f"pick {n} out of range",
                                user_message=f"There is no #{n} — pick a number from 1 to {len(state.picks)}.")
        return state.picks[n - 1]

    # ---- playlists ------------------------------------------------------------------------------
    def _intent(self, user: str, channel: str, intent: Intent) -> Turn:
        a = intent.args
        if intent.kind == "help":
            return Turn(HELP, kind="help")
        if intent.kind in ("up", "down"):
            return self._feedback(user, channel, intent.kind, a[0], None)
        if intent.kind == "unrate":
            return self._feedback(user, channel, "clear", a[0], None)
        if intent.kind.startswith("spotify_"):
            return self._spotify_action(user, intent.kind.removeprefix("spotify_"))
        if intent.kind == "pick":
            p = self._pick(self._load(user, channel), a[0])
            n = p["rank"]
            return Turn(f"#{n} is {p['artist']} – {p['title']}" + (f" ({p['year']})" if p.get("year") else "")
                        + f". Say 👍 {n} or 👎 {n}, “more like #{n}” or “add #{n} to <playlist>”.", kind="help")
        ops = {
            "list": lambda: {"op": "list"},
            "create": lambda: {"op": "create", "name": a[0]},
            "delete": lambda: {"op": "delete", "name": a[0]},
            "rename": lambda: {"op": "rename", "name": a[0], "new_name": a[1]},
            "add": lambda: {"op": "add", "pick": a[0], "name": a[1]},
            "add_all": lambda: {"op": "add", "all": True, "name": a[0]},
            "remove": lambda: {"op": "remove", "pick": a[0], "name": a[1]},
            "export": lambda: {"op": "export", "name": a[0], "format": (a[1] if len(a) > 1 else "m3u8")},
            "show": lambda: {"op": "show", "name": a[0]},
        }
        return self._playlist_op(user, channel, ops[intent.kind]())

    def _playlist_op(self, user: str, channel: str, op: Any) -> Turn:
        from storage.playlists import SongRef

        if not isinstance(op, dict) or not isinstance(op.get("op"), str):
            raise InputError("bad playlist op", user_message='A playlist action needs an "op": '
                             'create, add, remove, show, list, rename, delete or export.')
        kind = clean_text(op["op"]).lower()  # echoed in the reply: no control chars or lone surrogates
        name = clean_text(op.get("name"))
        needs_name = kind in ("create", "add", "remove", "show", "rename", "delete", "export")
        if needs_name and not name:
            raise InputError("missing name", user_message="Which playlist? Give it a name.")
        if kind == "create":
            self.playlists.create(user, name)
            return Turn(f"Created playlist “{name}”. Add songs with “add #2 to {name}”.", kind="playlist")
        if kind == "list":
            items = self.playlists.list(user)
            if not items:
                return Turn("You have no playlists yet. Try “create playlist rainy days”.", kind="playlist")
            lines = [f"• {n} ({c} song{'s' if c != 1 else ''})" for n, c in items]
            return Turn("Your playlists:\n" + "\n".join(lines), kind="playlist")
        if kind == "show":
            pl = self.playlists.show(user, name)
            if not pl.items:
                return Turn(f"“{pl.name}” is empty.", kind="playlist")
            lines = [f"{i}. {it.artist} – {it.title}" + (f" ({it.year})" if it.year else "")
                     for i, it in enumerate(pl.items, 1)]
            return Turn(f"“{pl.name}”:\n" + "\n".join(lines), kind="playlist")
        if kind == "rename":
            new_name = clean_text(op.get("new_name"))
            if not new_name:
                raise InputError("missing new name", user_message="What should the new name be?")
            self.playlists.rename(user, name, new_name)
            return Turn(f"Renamed “{name}” to “{new_name}”.", kind="playlist")
        if kind == "delete":
            self.playlists.delete(user, name)
            return Turn(f"Deleted playlist “{name}”.", kind="playlist")
        if kind == "add":
            state = self._load(user, channel)
            if op.get("song_id"):
                sid = clean_text(op["song_id"])[:200]
                row = self.services.catalog.get([sid], ["song_id", "artist", "title", "year"]).get(sid)
                if row is None:
                    raise NotFoundError("unknown song", user_message="I don't know that song id.")
                chosen = [row]
            elif op.get("all"):
                if not state.picks:
                    raise InputError("no picks", user_message="There are no picks yet — ask me for some songs first.")
                chosen = state.picks
            else:
                chosen = [self._pick(state, op.get("pick"))]
            refs = [SongRef(p["song_id"], p["artist"], p["title"], p.get("year") or None) for p in chosen]
            if op.get("create", True):
                self.playlists.ensure(user, name)
            added = self.playlists.add(user, name, refs)
            what = (f"{refs[0].artist} – {refs[0].title}" if len(refs) == 1 else f"{added} songs")
            if added == 0:
                return Turn(f"Already in “{name}”: nothing new to add.", kind="playlist")
            return Turn(f"Added {what} to “{name}”.", kind="playlist")
        if kind == "remove":
            target = op.get("song_id") or op.get("pick") or op.get("position")
            if target in (None, ""):
                raise InputError("missing item", user_message="Which song? Give its number in the playlist.")
            if op.get("song_id"):
                self.playlists.remove(user, name, clean_text(op["song_id"]))
            else:
                try:
                    pos = int(str(target).lstrip("#"))
                except ValueError:
                    raise InputError("bad position", user_message="Give the song's number in the playlist.") from None
                self.playlists.remove(user, name, pos)
            return Turn(f"Removed #{target} from “{name}”.", kind="playlist")
        if kind == "export":
            fmt = clean_text(op.get("format") or "m3u8").lower()
            return self._export(user, name, fmt)
        raise InputError(f"unknown op {kind!r}", user_message=f"I don't know the playlist action “{kind[:30]}”. "
                         "Use create, add, remove, show, list, rename, delete or export.")

    def _export(self, user: str, name: str, fmt: str) -> Turn:
        from storage.exporters import get_exporter

        if fmt == "spotify":   # a link and a summary instead of a file; SpotifyError -> user_message
            return Turn(self.spotify.export(user, name), kind="playlist")
        pl = self.playlists.show(user, name)
        exporter = get_exporter("m3u8" if fmt == "m3u" else fmt)
        dest = self.services.settings.export_dir / _safe_dir(user)
        path = exporter.export(pl, dest)
        return Turn(f"Exported “{pl.name}” ({len(pl.items)} songs) to {path}.", files=[str(path)],
                    kind="playlist")

    # ---- misc -----------------------------------------------------------------------------------
    def taste(self, user: str) -> dict:
        taste = self.feedback_store.for_user(user)
        rows = self.services.catalog.get(sorted(taste.liked)[:200], ["artist", "moods", "themes"])
        from collections import Counter

        from retrieval.catalog import unpack_list

        moods = Counter(m for r in rows.values() for m in unpack_list(r["moods"]))
        themes = Counter(t for r in rows.values() for t in unpack_list(r["themes"]))
        return {"liked": len(taste.liked), "disliked": len(taste.disliked),
                "liked_artists": sorted(taste.liked_artists)[:10],
                "demoted_artists": sorted(taste.demoted_artists)[:10],
                "moods": [m for m, _ in moods.most_common(5)],
                "themes": [t for t, _ in themes.most_common(5)]}

    # ---- Spotify ------------------------------------------------------------------------------------
    def spotify_link(self, user: str) -> Turn:
        """Begin linking `user`'s Spotify account: the reply holds their private authorization URL.
        Starts this process's callback server on first use."""
        return self._spotify_action(user, "link")

    def spotify_unlink(self, user: str) -> Turn:
        return self._spotify_action(user, "unlink")

    def spotify_status(self, user: str) -> bool:
        return self.spotify.is_linked(clean_text(user)[:100])

    def spotify_wait(self, user: str, timeout_s: float | None = None) -> Turn:
        """Block until `user`'s latest link completes (default: until it expires). For a front end
        that confirms in place (`moodtape spotify link`); kind "error" when it did not."""
        start = time.perf_counter()
        try:
            account = self.spotify.wait(clean_text(user)[:100], timeout_s)
            turn = (Turn("Spotify linked" + (f" as {account.display_name}" if account.display_name else "")
                         + ". You can now say “export <playlist> to spotify”.", kind="spotify")
                    if account is not None else
                    Turn("The Spotify link wasn't used in time, so nothing was linked. "
                         "Ask for a new one with “link spotify”.", kind="error"))
        except MoodtapeError as exc:
            turn = Turn(exc.user_message, kind="error")
        turn.latency_ms = (time.perf_counter() - start) * 1000
        return turn

    def _spotify_action(self, user: str, action: Any) -> Turn:
        start = time.perf_counter()
        user = clean_text(user)[:100]
        action = clean_text(action).lower()
        try:
            if action == "link":
                turn = Turn(self.spotify.link(user), kind="spotify")
            elif action == "unlink":
                turn = Turn("Unlinked your Spotify account. Playlists already on Spotify stay there."
                            if self.spotify.unlink(user) else "Your Spotify account wasn't linked.", kind="spotify")
            elif action == "status":
                turn = Turn("Your Spotify account is linked." if self.spotify.is_linked(user) else
                            "Your Spotify account isn't linked. Say “link spotify” to connect it.", kind="spotify")
            else:
                raise InputError(f"unknown spotify action {action[:30]!r}",
                                 user_message='"spotify" is one of "link", "unlink" or "status".')
        except MoodtapeError as exc:
            turn = Turn(exc.user_message, kind="error")
        except Exception:  # a bug must cost one answer, never the process
            log.exception("engine.spotify %s failed", action[:30])
            turn = Turn(OOPS, kind="error")
        turn.latency_ms = (time.perf_counter() - start) * 1000
        return turn

    def close(self) -> None:
        """Stop what the engine started (the Spotify callback server). Services close separately."""
        self.spotify.close()

    def forget(self, user: str) -> dict:
        from storage.forget import forget_user

        return forget_user(self.services.db, user)

    def _load(self, user: str, channel: str) -> SessionState:
        return SessionState.from_json(self.sessions.load(user, channel))

    def _save(self, user: str, channel: str, state: SessionState) -> None:
        self.sessions.save(user, channel, state.to_json())

    def _session_lock(self, user: str, channel: str) -> threading.RLock:
        with self._locks_guard:
            lock = self._locks.get((user, channel))
            if lock is None:
                lock = threading.RLock()
                self._locks[(user, channel)] = lock
            return lock


def _safe_dir(user: str) -> str:
    import hashlib

    return "u" + hashlib.sha1(user.encode()).hexdigest()[:16]
