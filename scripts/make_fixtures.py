"""Regenerate the committed test fixtures in tests/fixtures/ from ../shared/data/license-clean.

Only public-domain hymns and CC BY / CC BY-SA Jamendo songs are used (see
tests/fixtures/ATTRIBUTION.md). The fixtures cover the three column layouts that `moodtape
ingest` maps and a handful of deliberately bad rows.
"""
from __future__ import annotations

import csv
import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CLEAN = ROOT.parent / "shared" / "data" / "license-clean"
OUT = ROOT / "tests" / "fixtures"


def hymns(n: int) -> list[dict]:
    out, seen = [], set()
    for line in (CLEAN / "hymns_openlyrics_pd" / "pd_hymns.jsonl").open():
        h = json.loads(line)
        if h["title"] in seen or h.get("copyright") != "Public Domain":
            continue
        seen.add(h["title"])
        author = (h.get("authors") or ["Traditional"])[0]
        year = re.search(r"(1[5-9]\d\d)", author)
        out.append({"artist": re.sub(r"\s*\(.*\)", "", author).strip() or "Traditional",
                    "title": h["title"], "year": int(year.group(1)) if year else None,
                    "lyrics": h["lyrics"], "songbook": h.get("songbook", "")})
        if len(out) >= n:
            break
    return out


def jamendo() -> list[dict]:
    base = CLEAN / "jamendolyrics"
    out = []
    with (base / "JamendoLyrics.csv").open(newline="") as fh:
        for r in csv.DictReader(fh):
            lic = r["LicenseType"].replace("CC", "").strip()
            if lic not in ("BY", "BY-SA"):
                continue
            stem = Path(r["Filepath"]).stem
            path = base / "lyrics" / f"{stem}.txt"
            if not path.exists():
                continue
            out.append({"artist": r["Artist"], "title": r["Title"], "genre": r["Genre"],
                        "language": r["Language"], "lyrics": path.read_text(encoding="utf-8"),
                        "license": f"CC {lic}", "url": r["URL"]})
    return out


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    hy = hymns(60)
    jam = jamendo()
    # 1) Kaggle "Spotify Million Song Dataset" layout: artist, song, link, text
    with (OUT / "spotify_million.csv").open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["artist", "song", "link", "text"])
        for h in hy[:20]:
            w.writerow([h["artist"], h["title"], "/pd/hymn", h["lyrics"]])
        w.writerow(["Nobody", "Empty Song", "/x", ""])                           # no lyrics
        w.writerow(["Broken", "Mojibake", "/x", "Ã©tÃ© Ã  la plage Ã©tÃ© " * 20])  # broken encoding
    # 2) Kaggle "Multi-Lingual Lyrics for Genre Classification" layout
    with (OUT / "multilingual.csv").open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["Artist", "Song", "Genre", "Language", "Lyrics", "Song year", "Track_id"])
        for i, j in enumerate(jam):
            w.writerow([j["artist"], j["title"], j["genre"], j["language"], j["lyrics"], 2010 + i % 6, f"jam{i:03d}"])
        for i, h in enumerate(hy[20:30]):
            w.writerow([h["artist"], h["title"], "Gospel", "English", h["lyrics"], h["year"] or "", f"hym{i:03d}"])
        w.writerow(["Time Traveller", "Far Future", "Pop", "English", hy[30]["lyrics"], 3021, "bad001"])  # absurd year
    # 3) Billboard JSONL layout: artist, title, year, tags, lyrics, key
    with (OUT / "billboard_like.jsonl").open("w") as fh:
        for h in hy[30:60]:
            fh.write(json.dumps({"artist": h["artist"], "title": h["title"], "year": h["year"] or 1900,
                                 "tags": "gospel|hymn|christian", "lyrics": h["lyrics"],
                                 "key": f"{h['artist'].lower()}||{h['title'].lower()}"}) + "\n")
        # an artist whose name holds a quote, for filter-injection tests
        fh.write(json.dumps({"artist": "Sinéad O'Brien'); DROP TABLE songs; --", "title": "Quoted Hymn",
                             "year": 1901, "tags": "folk", "lyrics": hy[0]["lyrics"], "key": "quote||hymn"}) + "\n")
        fh.write("{not json\n")
    with (OUT / "ATTRIBUTION.md").open("w") as fh:
        fh.write("# Test fixture sources\n\n"
                 "- Hymn texts: public domain, from the OpenLyricsHymnBooks repository "
                 "(DanielLeeMeeks/OpenLyricsHymnBooks), via ../shared/data/license-clean.\n"
                 "- Songs from JamendoLyrics (f90/jamendolyrics), each under its own Creative Commons "
                 "licence as listed below; lyrics used unchanged:\n\n")
        for j in jam:
            fh.write(f"  - \"{j['title']}\" by {j['artist']} — {j['license']} — {j['url']}\n")
    print(f"wrote fixtures: {len(hy)} hymns, {len(jam)} Jamendo songs -> {OUT}")


if __name__ == "__main__":
    main()
