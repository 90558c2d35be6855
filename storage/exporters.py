"""Playlist files: M3U8, XSPF, JSON and CSV behind one small interface.

Safety: the file name comes from a user-chosen playlist name, so it is slugified to [a-z0-9-] and
joined to `dest_dir` only after that; it can never contain a separator, "..", a NUL or start with
a dot. Files are written to a temp file in the same directory and moved into place with
os.replace, so a reader never sees half a file; they are created 0600 (mkstemp) in a 0700 dir.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import tempfile
import unicodedata
import xml.etree.ElementTree as ET
from abc import ABC, abstractmethod
from pathlib import Path

from storage.db import ensure_private_dir, utcnow
from storage.errors import ExportError, InputError
from storage.playlists import Playlist

MAX_SLUG = 60
_WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}
# XML 1.0 cannot carry these at all, escaped or not.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_CSV_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def slugify(name: str) -> str:
    """A file-name stem from any playlist name: ASCII letters/digits and single dashes.
    Names with nothing Latin in them (emoji, CJK) get a stable hash so they stay distinct."""
    text = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:MAX_SLUG].strip("-")
    if not slug:
        slug = "playlist-" + hashlib.sha1(str(name).encode("utf-8", "surrogatepass")).hexdigest()[:8]
    if slug in _WINDOWS_RESERVED:
        slug += "-playlist"
    return slug


def _line(text: object) -> str:
    """One line of text: no CR/LF or control characters that could start a new M3U entry."""
    return " ".join("".join(" " if unicodedata.category(c) == "Cc" else c for c in str(text or "")).split())


class Exporter(ABC):
    """Writes one playlist to one file in `dest_dir` and returns its path."""

    format: str = ""
    extension: str = ""

    @abstractmethod
    def render(self, playlist: Playlist) -> bytes:
        ...

    def filename(self, playlist: Playlist) -> str:
        return f"{slugify(playlist.name)}.{self.extension}"

    def export(self, playlist: Playlist, dest_dir: Path | str) -> Path:
        dest = Path(dest_dir)
        data = self.render(playlist)
        try:
            ensure_private_dir(dest)
            target = dest / self.filename(playlist)
            # Defence in depth: the slug already cannot escape, but never write outside dest.
            if target.resolve().parent != dest.resolve():
                raise ExportError(f"refusing to write {target} outside {dest}")
            fd, tmp = tempfile.mkstemp(dir=dest, prefix=".export-", suffix=".tmp")  # 0600
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(data)
                    fh.flush()
                    os.fsync(fh.fileno())
                os.replace(tmp, target)
            except BaseException:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass
                raise
        except OSError as exc:
            raise ExportError(f"export to {dest} failed: {exc}",
                              user_message="I couldn't write the export file.") from exc
        return target


class M3U8Exporter(Exporter):
    """Extended M3U in UTF-8. There are no local files, so each entry's location is a
    `moodtape:song:<id>` URI; importers key on the #EXTINF "Artist - Title" line."""

    format, extension = "m3u8", "m3u8"

    def render(self, playlist: Playlist) -> bytes:
        lines = ["#EXTM3U", f"#PLAYLIST:{_line(playlist.name)}"]
        for it in playlist.items:
            lines.append(f"#EXTINF:-1,{_line(it.artist)} - {_line(it.title)}")
            lines.append(f"moodtape:song:{_line(it.song_id)}")
        return ("\n".join(lines) + "\n").encode("utf-8")


class XSPFExporter(Exporter):
    """XSPF 1 (http://xspf.org/ns/0/). ElementTree escapes &, <, >, quotes; characters XML cannot
    hold at all are dropped first."""

    format, extension = "xspf", "xspf"
    NS = "http://xspf.org/ns/0/"

    def render(self, playlist: Playlist) -> bytes:
        def sub(parent: ET.Element, tag: str, text: object) -> None:
            ET.SubElement(parent, f"{{{self.NS}}}{tag}").text = _XML_INVALID.sub("", str(text))

        ET.register_namespace("", self.NS)
        root = ET.Element(f"{{{self.NS}}}playlist", version="1")
        sub(root, "title", playlist.name)
        sub(root, "creator", "Moodtape")
        sub(root, "date", utcnow())
        tracks = ET.SubElement(root, f"{{{self.NS}}}trackList")
        for it in playlist.items:
            track = ET.SubElement(tracks, f"{{{self.NS}}}track")
            sub(track, "identifier", f"moodtape:song:{it.song_id}")
            sub(track, "title", it.title)
            sub(track, "creator", it.artist)
            sub(track, "trackNum", it.position)
        return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


class JSONExporter(Exporter):
    format, extension = "json", "json"

    def render(self, playlist: Playlist) -> bytes:
        doc = {"format": "moodtape.playlist", "version": 1, "name": playlist.name, "exported_at": utcnow(),
               "items": [{"position": it.position, "song_id": it.song_id, "artist": it.artist,
                          "title": it.title, "year": it.year} for it in playlist.items]}
        return (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


class CSVExporter(Exporter):
    """RFC 4180 CSV, UTF-8. Cells that a spreadsheet would run as a formula (=, +, -, @) get a
    leading apostrophe (OWASP CSV injection advice): titles come from a public catalog."""

    format, extension = "csv", "csv"
    COLUMNS = ("position", "song_id", "artist", "title", "year")

    @staticmethod
    def _cell(value: object) -> object:
        if isinstance(value, str) and value.startswith(_CSV_FORMULA):
            return "'" + value
        return "" if value is None else value

    def render(self, playlist: Playlist) -> bytes:
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerow(self.COLUMNS)
        for it in playlist.items:
            writer.writerow([self._cell(v) for v in (it.position, it.song_id, it.artist, it.title, it.year)])
        return buf.getvalue().encode("utf-8")


EXPORTERS: dict[str, Exporter] = {e.format: e for e in (M3U8Exporter(), XSPFExporter(), JSONExporter(), CSVExporter())}
_ALIASES = {"m3u": "m3u8"}


def get_exporter(fmt: str) -> Exporter:
    """The exporter for a format name ("m3u8", ".CSV", "m3u" all work)."""
    key = str(fmt or "").strip().lower().lstrip(".")
    key = _ALIASES.get(key, key)
    if key not in EXPORTERS:
        valid = ", ".join(EXPORTERS)
        raise InputError(f"unknown export format {fmt!r}",
                         user_message=f"I can't export as '{_line(fmt)[:20]}'. Formats: {valid}.")
    return EXPORTERS[key]
