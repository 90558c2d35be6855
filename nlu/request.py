"""The typed request that every parser produces and retrieval / the engine consume.

This is a contract: fields may be added, never renamed or dropped (the JSON `parsed` object of
`chat --jsonl` and `recommend --json` is built from `Request.to_dict()`).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Protocol, Sequence


@dataclass
class ArtistMention:
    text: str                 # what the person typed ("ed sharon")
    artist: str | None        # the catalog's artist ("Ed Sheeran"), None when not in the catalog
    confidence: float = 0.0   # 0..1


@dataclass
class Request:
    text: str = ""                                   # the raw text (trimmed, capped)
    query_text: str = ""                             # the semantic part, constraints removed
    language: str = "en"                             # language of the request (en, es, de, fr, pt, ...)
    moods: dict[str, float] = field(default_factory=dict)   # mood -> weight (0..1)
    valence: float | None = None                     # target in [-1, 1] (sad .. happy)
    energy: float | None = None                      # target in [-1, 1] (calm .. intense)
    valence_shift: float = 0.0                       # relative refinement: + happier, - sadder
    energy_shift: float = 0.0                        # relative refinement: + more upbeat, - calmer
    themes: list[str] = field(default_factory=list)  # rain, night, summer, road, heartbreak, ...
    scenes: list[str] = field(default_factory=list)  # cleaning, workout, studying, ...
    year_min: int | None = None
    year_max: int | None = None
    exclude_years: list[tuple[int, int]] = field(default_factory=list)  # inclusive ranges
    year_shift: int = 0                              # relative: -1 older, +1 newer
    genres_in: list[str] = field(default_factory=list)
    genres_out: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)   # wanted lyric languages
    artists_in: list[str] = field(default_factory=list)  # canonical catalog names
    artists_out: list[str] = field(default_factory=list)
    artist_mentions: list[ArtistMention] = field(default_factory=list)
    unknown_mentions: list[str] = field(default_factory=list)  # artists/songs we do not hold
    like_songs: list[str] = field(default_factory=list)        # song ids ("songs like <title>")
    like_picks: list[int] = field(default_factory=list)        # 1-based picks on screen ("more like #2")
    count: int | None = None
    ops: list[str] = field(default_factory=list)     # refinement ops: reset, more, different_artists,
                                                     # show_seen, ...
    is_refinement: bool = False                      # relative to the previous turn
    parser: str = "rules"                            # which parser produced it

    def has_content(self) -> bool:
        """True when there is anything to search for (a mood, theme, artist, constraint...)."""
        return bool(
            self.query_text.strip() or self.moods or self.themes or self.scenes
            or self.valence is not None or self.energy is not None or self.artists_in
            or self.genres_in or self.like_songs or self.like_picks
            or self.year_min is not None or self.year_max is not None
        )

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["exclude_years"] = [list(r) for r in self.exclude_years]
        return d

    def summary(self) -> str:
        """'nostalgic · rain, night · 1990s' - what the front ends show as 'I heard'."""
        parts: list[str] = []
        if self.moods:
            parts.append(", ".join(sorted(self.moods, key=lambda m: -self.moods[m])))
        about = [t for t in dict.fromkeys(self.themes + self.scenes) if t not in self.moods]
        if about:   # "party songs": party is a mood and a scene; say it once
            parts.append(", ".join(about))
        if self.year_min is not None or self.year_max is not None:
            lo, hi = self.year_min, self.year_max
            if lo is not None and hi is not None and hi - lo == 9 and lo % 10 == 0:
                parts.append(f"{lo}s")
            else:
                parts.append(f"{lo or '…'}–{hi or '…'}")
        for lo, hi in self.exclude_years:
            parts.append(f"not {lo}–{hi}")
        if self.genres_in:
            parts.append("only " + ", ".join(self.genres_in))
        if self.genres_out:
            parts.append("no " + ", ".join(self.genres_out))
        if self.artists_in:
            parts.append("by " + ", ".join(self.artists_in))
        if self.artists_out:
            parts.append("not " + ", ".join(self.artists_out))
        return " · ".join(parts) or "anything"


class CatalogVocab(Protocol):
    """What a parser may know about the catalog (for fuzzy artist / title matching)."""

    @property
    def artists(self) -> Sequence[str]: ...

    @property
    def titles(self) -> Sequence[tuple[str, str, str]]:  # (song_id, title, artist)
        ...

    @property
    def genres(self) -> Sequence[str]: ...
