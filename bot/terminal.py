"""`moodtape chat` (rich terminal) and `moodtape chat --jsonl` (one JSON object per line).

Both are thin: they read input, hand it to the Engine and print what it returns."""
from __future__ import annotations

import json
import re
import sys
from typing import IO

from bot.engine import Engine, Turn

_THUMBS = re.compile(r"^\s*([+\-]|👍|👎)\s*#?\s*(\d{1,4})\s*$")


def run_jsonl(engine: Engine, stdin: IO[str] = sys.stdin, stdout: IO[str] = sys.stdout) -> int:
    """Every input line gets exactly one output line, flushed; nothing else goes to stdout."""
    if hasattr(stdin, "reconfigure"):
        stdin.reconfigure(errors="replace")  # bytes that are not UTF-8 make a bad line, not a crash
    for raw in stdin:
        line = raw.strip()
        if not line:
            continue
        try:
            event = json.loads(line)
        except (ValueError, RecursionError) as exc:  # ValueError: JSONDecodeError, or an int over 4300 digits
            reason = getattr(exc, "msg", None) or (
                "too deeply nested" if isinstance(exc, RecursionError) else "a number is too long")
            out = {"error": f"malformed JSON: {reason}"}
        else:
            if not isinstance(event, dict):
                out = {"error": "each line must be a JSON object"}
            else:
                turn = engine.handle(event)
                out = turn.to_json()
                if turn.kind == "error":
                    out["error"] = turn.reply
        text = json.dumps(out, ensure_ascii=False)
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate from the input: \u escapes are valid JSON
            text = json.dumps(out)
        stdout.write(text + "\n")
        stdout.flush()
    return 0


def run_terminal(engine: Engine, *, user: str = "you", channel: str = "terminal") -> int:
    from rich.console import Console
    from rich.panel import Panel

    from bot.render import picks_table

    console = Console()
    console.print(Panel.fit("[bold]Moodtape[/bold] — tell me a mood, a scene or an artist.\n"
                            "Try “something nostalgic for a rainy night”. /help for more, Ctrl-D to quit.",
                            border_style="magenta"))
    while True:
        try:
            text = console.input("[bold magenta]you ›[/bold magenta] ")
        except (EOFError, KeyboardInterrupt):
            console.print("\nBye! Your feedback and playlists are saved.")
            return 0
        if text.strip().lower() in ("/quit", "/exit", "quit", "exit"):
            console.print("Bye! Your feedback and playlists are saved.")
            return 0
        try:
            turn = _dispatch(engine, user, channel, text)
        except KeyboardInterrupt:
            console.print("\nBye! Your feedback and playlists are saved.")
            return 0
        _show(console, turn, picks_table)


def _dispatch(engine: Engine, user: str, channel: str, text: str) -> Turn:
    m = _THUMBS.match(text)
    if m:
        value = "up" if m.group(1) in ("+", "👍") else "down"
        return engine.feedback(user, channel, value, pick=int(m.group(2)))
    return engine.text(user, channel, text)


def _show(console, turn: Turn, picks_table) -> None:
    style = "red" if turn.kind == "error" else "cyan"
    # a reply with a link (Spotify) is not wrapped by rich, so the URL copies as one piece
    console.print(f"[{style}]moodtape ›[/{style}] {turn.reply}", highlight=False, soft_wrap="://" in turn.reply)
    if turn.picks and turn.kind == "text":
        heard = _heard(turn.parsed)
        console.print(picks_table(turn.picks, title=f"I heard: {heard}" if heard else None))
        console.print("[dim]👍 / 👎 with +N / -N · “more like #2” · “add #3 to <playlist>”[/dim]")
    console.print(f"[dim]{turn.latency_ms:.0f} ms[/dim]")


def _heard(parsed: dict) -> str:
    try:
        from bot.engine.session import request_from_dict

        req = request_from_dict(parsed)
        return req.summary() if req else ""
    except Exception:
        return ""
