"""Exporters: every format parses back, file names never escape dest_dir, writes are atomic and private."""
from __future__ import annotations

import csv
import json
import os
import stat
import xml.etree.ElementTree as ET

import pytest

from storage.errors import ExportError, InputError
from storage.exporters import EXPORTERS, Exporter, get_exporter, slugify
from storage.playlists import Playlist, PlaylistItem

NS = {"x": "http://xspf.org/ns/0/"}
HOSTILE_NAMES = ["../../etc/passwd", "a/b", "a\\b", '"quotes"', "nul\x00byte", "🎵🎶", "宇多田", ".hidden",
                 "..", ".", "CON", "x" * 300, "rainy days 🌧️", "'; DROP TABLE x; --", "/abs/path", "~/home"]


def item(pos: int, song_id: str, artist: str, title: str, year: int | None) -> PlaylistItem:
    return PlaylistItem(pos, song_id, artist, title, year, "2024-01-01T00:00:00.000+00:00")


def playlist(name: str = "Rainy Days") -> Playlist:
    return Playlist(1, "u", name, "2024-01-01", (
        item(1, "s1", "Simon & Garfunkel", "The Sound of Silence", 1964),
        item(2, "s2", "AC/DC", '<Back> in "Black" & \'more\'', 1980),
        item(3, "s3", "Beyoncé", "=HYPERLINK(\"http://evil\")", None),
        item(4, "s4", "宇多田ヒカル", "First Love, with a comma", 1999),
        item(5, "s5", "Bad\nNewline", "Title\r\n#EXTINF:-1,Injected - Entry", 2001),
    ))


def test_registry_and_lookup():
    assert set(EXPORTERS) == {"m3u8", "xspf", "json", "csv"}
    assert all(isinstance(e, Exporter) for e in EXPORTERS.values())
    assert get_exporter(" .CSV ").format == "csv" and get_exporter("m3u").format == "m3u8"
    with pytest.raises(InputError) as err:
        get_exporter("pdf")
    assert err.value.user_message == "I can't export as 'pdf'. Formats: m3u8, xspf, json, csv."


def test_m3u8_parses_back(tmp_path):
    path = get_exporter("m3u8").export(playlist(), tmp_path)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "#EXTM3U"
    extinf = [ln for ln in lines if ln.startswith("#EXTINF:")]
    assert len(extinf) == 5  # the newline in a title did not create a 6th entry
    assert extinf[0] == "#EXTINF:-1,Simon & Garfunkel - The Sound of Silence"
    assert extinf[4] == "#EXTINF:-1,Bad Newline - Title #EXTINF:-1,Injected - Entry"
    locations = [ln for ln in lines if ln and not ln.startswith("#")]
    assert locations == [f"moodtape:song:s{i}" for i in range(1, 6)]
    # every #EXTINF is followed by its location
    for i, ln in enumerate(lines):
        if ln.startswith("#EXTINF:"):
            assert lines[i + 1].startswith("moodtape:song:")


def test_xspf_is_valid_escaped_xml(tmp_path):
    path = get_exporter("xspf").export(playlist(), tmp_path)
    root = ET.parse(path).getroot()
    assert root.tag == "{http://xspf.org/ns/0/}playlist" and root.get("version") == "1"
    assert root.findtext("x:title", namespaces=NS) == "Rainy Days"
    tracks = root.findall("x:trackList/x:track", NS)
    assert [t.findtext("x:creator", namespaces=NS) for t in tracks][:4] == [
        "Simon & Garfunkel", "AC/DC", "Beyoncé", "宇多田ヒカル"]
    assert tracks[1].findtext("x:title", namespaces=NS) == '<Back> in "Black" & \'more\''
    assert tracks[0].findtext("x:identifier", namespaces=NS) == "moodtape:song:s1"
    assert b"<Back>" not in path.read_bytes()  # really escaped, not CDATA or raw


def test_xspf_drops_characters_xml_cannot_hold(tmp_path):
    pl = Playlist(1, "u", "p", "now", (item(1, "s1", "A\x00B\x1bC", "T\x0bU", None),))
    root = ET.parse(get_exporter("xspf").export(pl, tmp_path)).getroot()
    track = root.find("x:trackList/x:track", NS)
    assert track.findtext("x:creator", namespaces=NS) == "ABC"


def test_json_parses_back(tmp_path):
    path = get_exporter("json").export(playlist(), tmp_path)
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["name"] == "Rainy Days" and doc["version"] == 1
    assert [(i["position"], i["song_id"], i["artist"], i["title"], i["year"]) for i in doc["items"]] == [
        (it.position, it.song_id, it.artist, it.title, it.year) for it in playlist().items]


def test_csv_parses_back_with_formula_guard(tmp_path):
    path = get_exporter("csv").export(playlist(), tmp_path)
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 5
    assert rows[0] == {"position": "1", "song_id": "s1", "artist": "Simon & Garfunkel",
                       "title": "The Sound of Silence", "year": "1964"}
    assert rows[1]["title"] == '<Back> in "Black" & \'more\''
    assert rows[2]["title"] == "'=HYPERLINK(\"http://evil\")" and rows[2]["year"] == ""
    assert rows[3]["title"] == "First Love, with a comma"
    assert rows[4]["artist"] == "Bad\nNewline"  # quoted, so a newline stays inside its cell


def test_empty_playlist_exports(tmp_path):
    pl = Playlist(1, "u", "empty", "now", ())
    for fmt, exporter in EXPORTERS.items():
        path = exporter.export(pl, tmp_path / fmt)
        assert path.stat().st_size > 0


@pytest.mark.parametrize("name", HOSTILE_NAMES)
@pytest.mark.parametrize("fmt", sorted(EXPORTERS))
def test_file_name_is_safe_and_inside_dest(tmp_path, fmt, name):
    dest = tmp_path / "exports"
    path = get_exporter(fmt).export(playlist(name), dest)
    assert path.parent.resolve() == dest.resolve()
    assert path.name == f"{slugify(name)}.{EXPORTERS[fmt].extension}"
    assert not path.name.startswith(".") and "\x00" not in path.name and "/" not in path.name
    assert len(path.name) <= 80
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == [path.name]  # nothing else, no temp file


def test_slugify():
    assert slugify("Rainy Days 🌧️") == "rainy-days"
    assert slugify("../../etc/passwd") == "etc-passwd"
    assert slugify("Beyoncé's Best") == "beyonce-s-best"
    assert slugify("CON") == "con-playlist"
    assert slugify("🎵") != slugify("🎶") and slugify("🎵").startswith("playlist-")
    assert slugify("🎵") == slugify("🎵")  # stable


def test_file_is_private_and_dest_created_private(tmp_path):
    dest = tmp_path / "new" / "exports"
    path = get_exporter("json").export(playlist(), dest)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(dest.stat().st_mode) == 0o700


def test_overwrite_is_atomic_and_failure_keeps_the_old_file(tmp_path, monkeypatch):
    exporter = get_exporter("json")
    path = exporter.export(playlist(), tmp_path)
    before = path.read_bytes()

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr("storage.exporters.os.replace", broken_replace)
    with pytest.raises(ExportError) as err:
        exporter.export(Playlist(1, "u", "Rainy Days", "now", ()), tmp_path)
    assert err.value.user_message == "I couldn't write the export file."
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # temp file cleaned up


def test_symlink_planted_at_target_is_not_followed(tmp_path):
    dest, outside = tmp_path / "exports", tmp_path / "outside.txt"
    dest.mkdir()
    outside.write_text("precious")
    os.symlink(outside, dest / "rainy-days.json")
    with pytest.raises(ExportError):
        get_exporter("json").export(playlist(), dest)
    assert outside.read_text() == "precious"


def test_unwritable_dest_is_export_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(ExportError):
        get_exporter("csv").export(playlist(), blocker / "sub")


def test_export_of_a_stored_playlist(playlists, tmp_path):
    playlists.create("u", "a/b")
    from tests.storage.helpers import songs

    playlists.add("u", "a/b", songs("s1", "s2"))
    path = get_exporter("m3u8").export(playlists.show("u", "a/b"), tmp_path)
    assert path == tmp_path / "a-b.m3u8"
    assert path.read_text().count("#EXTINF") == 2


def test_exporter_interface_is_small(tmp_path):
    """A new format only implements render(); naming, safety and atomic writes come with the base."""
    class Text(Exporter):
        format, extension = "txt", "txt"

        def render(self, playlist: Playlist) -> bytes:
            return playlist.name.encode()

    path = Text().export(playlist("../x"), tmp_path)
    assert path == tmp_path / "x.txt" and path.read_bytes() == b"../x"
