"""Plain-word commands recognised before the music NLU: thumbs, playlists, help.

"+2", "-3", "👍 2", "👎 3", "undo 2", "add #3 to rainy days", "add all to rainy days",
"create playlist rainy days", "show rainy days", "my playlists", "export rainy days as xspf",
"rename playlist a to b", "delete playlist a", "remove #2 from a",
"link spotify" / "/spotify link", "unlink spotify" / "/spotify unlink", "/spotify status".
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

_UP = r"(?:\+|👍|👍🏻|👍🏼|👍🏽|👍🏾|👍🏿|thumbs? ?up|like|love|good)"
_DOWN = r"(?:-|−|👎|👎🏻|👎🏼|👎🏽|👎🏾|👎🏿|thumbs? ?down|dislike|hate|bad|nope)"
_NUM = r"#?\s*(\d{1,4})"
_NAME = r"[\"'“”‘’]?(.+?)[\"'“”‘’]?"
_FORMATS = ("m3u8", "m3u", "xspf", "json", "csv", "spotify")

_PATTERNS: list[tuple[str, re.Pattern]] = [
    ("help", re.compile(r"^\s*/?(help|\?|commands)\s*$", re.I)),
    ("pick", re.compile(r"^\s*(?:#|number |no\.? ?|pick )\s*(\d{1,6})\s*$", re.I)),
    ("up", re.compile(rf"^\s*{_UP}\s*{_NUM}\s*$", re.I)),
    ("down", re.compile(rf"^\s*{_DOWN}\s*{_NUM}\s*$", re.I)),
    ("unrate", re.compile(rf"^\s*/?(?:undo|unrate|clear(?: rating(?: of| for)?)?|take back)\s*{_NUM}\s*$", re.I)),
    ("list", re.compile(r"^\s*/?(?:my playlists|list(?: my)? playlists|playlists|show(?: my)? playlists)\s*$", re.I)),
    ("create", re.compile(rf"^\s*/?(?:create|new|make)(?: a)? playlist(?: called| named)?\s+{_NAME}\s*$", re.I)),
    ("delete", re.compile(rf"^\s*/?(?:delete|remove) playlist\s+{_NAME}\s*$", re.I)),
    ("rename", re.compile(rf"^\s*/?rename(?: playlist)?\s+{_NAME}\s+to\s+{_NAME}\s*$", re.I)),
    ("add_all", re.compile(rf"^\s*/?(?:add|save|put) (?:all|them|these|everything|all of them|the whole set) (?:to|in|into)(?: (?:the|my))?(?: playlist)?\s+{_NAME}\s*$", re.I)),
    ("add", re.compile(rf"^\s*/?(?:add|save|put)(?: (?:song|number|pick|track))?\s+{_NUM}\s+(?:to|in|into)(?: (?:the|my))?(?: playlist)?\s+{_NAME}\s*$", re.I)),
    ("remove", re.compile(rf"^\s*/?(?:remove|delete|drop)(?: (?:song|number|track))?\s+{_NUM}\s+from(?: (?:the|my))?(?: playlist)?\s+{_NAME}\s*$", re.I)),
    ("export", re.compile(rf"^\s*/?export(?: playlist)?\s+{_NAME}(?:\s+(?:as|to|in)\s+({'|'.join(_FORMATS)}))?\s*$", re.I)),
    ("show", re.compile(rf"^\s*/?(?:show|open|view)(?: (?:the|my))?(?: playlist)\s+{_NAME}\s*$", re.I)),
    ("spotify_link", re.compile(r"^\s*/?(?:spotify\s+link|(?:link|connect)(?:\s+(?:my|to))?\s+spotify"
                                r"(?:\s+account)?)\s*[.!]?\s*$", re.I)),
    ("spotify_unlink", re.compile(r"^\s*/?(?:spotify\s+unlink|(?:unlink|disconnect)(?:\s+(?:my|from))?\s+"
                                  r"spotify(?:\s+account)?)\s*[.!]?\s*$", re.I)),
    ("spotify_status", re.compile(r"^\s*/?(?:spotify\s+status|is\s+(?:my\s+)?spotify\s+linked)\s*\??\s*$", re.I)),
]


@dataclass
class Intent:
    kind: str                       # help, up, down, unrate, list, create, delete, rename, add, add_all, remove, export, show,
                                    # spotify_link, spotify_unlink, spotify_status
    args: list[str] = field(default_factory=list)


def match_intent(text: str) -> Intent | None:
    for kind, pattern in _PATTERNS:
        m = pattern.match(text)
        if m:
            return Intent(kind, [g for g in m.groups() if g is not None])
    return None
