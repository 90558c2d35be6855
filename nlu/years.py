"""Year constraints in requests: decades ("90s", "nineties", "años 80", "80er", "années 80"),
ranges ("2010-2015"), bounds ("before 1990", "after 2000", "since the 80s") and single years.

`find_years` works on folded text and returns spans; negation is decided by the parser (a negated
decade is excluded, a negated "before 1990" means "from 1990").
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_DECADE_WORDS = {
    "twenties": 1920, "thirties": 1930, "forties": 1940, "fifties": 1950, "sixties": 1960,
    "seventies": 1970, "eighties": 1980, "nineties": 1990, "noughties": 2000, "two thousands": 2000,
    "aughts": 2000, "zwanziger": 1920, "funfziger": 1950, "sechziger": 1960, "siebziger": 1970,
    "achtziger": 1980, "neunziger": 1990, "zwanzigern": 1920, "funfzigern": 1950, "sechzigern": 1960,
    "siebzigern": 1970, "achtzigern": 1980, "neunzigern": 1990,
}
# number words that name a decade after "años / anos / annees"
_FOREIGN_DECADES = {
    "cincuenta": 1950, "sesenta": 1960, "setenta": 1970, "ochenta": 1980, "noventa": 1990,
    "cinquenta": 1950, "sessenta": 1960, "oitenta": 1980,
    "cinquante": 1950, "soixante": 1960, "soixante dix": 1970, "quatre vingt": 1980,
    "quatre vingts": 1980, "quatre vingt dix": 1990,
}

_Y4 = r"(?:19[0-9]{2}|20[0-9]{2})"
_DEC_NUM = r"(?:(?:19|20)?[0-9]0 ?'?s|'[0-9]0s?|[0-9]0(?:er|ern|ies))"
_DEC_WORD = "|".join(sorted(map(re.escape, _DECADE_WORDS), key=len, reverse=True))
_DEC_FOREIGN = (r"(?:anos|annees|anni|decada de|decada dos|decennie|los|les annees|la decada de los)"
                r" ?(?:(?:19|20)?[0-9]0s?|" + "|".join(sorted(_FOREIGN_DECADES, key=len, reverse=True)) + ")")
_DEC_GERMAN = r"(?:19|20)?[0-9]0(?:er|ern)(?: jahre| jahren)?"
_PART = r"(?:(?P<part>early|late|mid|the early|the late|the mid|fruhe|spate|mitte der) )?"
DECADE = rf"(?:{_DEC_FOREIGN}|{_DEC_GERMAN}|{_DEC_NUM}|{_DEC_WORD})"
_WHEN = rf"(?:{_Y4}|(?:the )?{DECADE})"

_BEFORE = r"(?:before|pre|prior to|older than|earlier than|antes de(?: los)?|antes del|vor|vor den|avant|avant les)"
_UNTIL = r"(?:until|up to|up until|till|til|through|no later than|hasta|bis|jusqu a|ate)"
_AFTER = r"(?:after|post|newer than|later than|despues de(?: los)?|nach|nach den|apres|apres les|depois de|depois dos)"
_SINCE = r"(?:since|from|starting|starting from|desde|seit|depuis|a partir de|a partir dos|ab)"
_ONWARD = r"(?: ?\+| on| onwards?| or later| or newer| and later| and newer| and up| y posteriores| und neuer)"

_PATTERNS = [
    ("range", re.compile(rf"\b(?:between |from |de |von |entre )?(?P<a>{_Y4}) ?(?:-|to|until|till|through|thru|and|a|bis|und|et|e|y|ate|hasta) ?(?P<b>{_Y4})\b")),
    ("range", re.compile(rf"\b(?:between |from )?(?P<a>{_Y4}) ?- ?(?P<b>[0-9]{{2}})\b")),
    ("range", re.compile(rf"\b(?:between |from )?(?:the )?(?P<da>{DECADE}) ?(?:-|to|until|till|through|thru|and|a|bis|und|et|e|y|ate|hasta) ?(?:the )?(?P<db>{DECADE})(?![a-z0-9])")),
    ("before", re.compile(rf"\b{_BEFORE} (?:the )?(?P<w>{_Y4}|{DECADE})(?![a-z0-9])")),
    ("until", re.compile(rf"\b{_UNTIL} (?:the )?(?P<w>{_Y4}|{DECADE})(?![a-z0-9])")),
    ("after", re.compile(rf"\b{_AFTER} (?:the )?(?P<w>{_Y4}|{DECADE})(?![a-z0-9])")),
    ("since", re.compile(rf"\b(?:{_SINCE} )?(?P<w>{_Y4}){_ONWARD}(?![a-z0-9])")),
    ("since", re.compile(rf"\b(?:since|seit|depuis|desde|a partir de|a partir do|a partir dos|starting from|starting in|ab) (?:the |den |les |los |os )?(?P<w>{_Y4}|{DECADE})(?![a-z0-9])")),
    ("decade", re.compile(rf"(?<![a-z0-9]){_PART}(?P<w>{DECADE})(?![a-z0-9])")),
    ("year", re.compile(rf"(?<![a-z0-9#])(?P<w>{_Y4})(?![a-z0-9])")),
]


@dataclass
class YearSpan:
    start: int
    end: int
    kind: str                 # range, before, after (bounds), decade and year are ranges
    lo: int | None
    hi: int | None


def decade_start(text: str) -> int | None:
    """'90s' -> 1990, 'nineties' -> 1990, 'anos 80' -> 1980, '80er jahre' -> 1980."""
    t = text.strip()
    for word, year in _DECADE_WORDS.items():
        if word in t:
            return year
    for word, year in sorted(_FOREIGN_DECADES.items(), key=lambda kv: -len(kv[0])):
        if t.endswith(word):
            return year
    m = re.search(r"(19|20)?([0-9])0", t)
    if not m:
        return None
    if m.group(1):
        return int(m.group(1) + m.group(2) + "0")
    d = int(m.group(2))
    return 2000 + 10 * d if d <= 1 else 1900 + 10 * d  # 00s, 10s -> 2000s, 2010s; 20s -> 1920s


def _when(text: str) -> tuple[int, int] | None:
    t = text.strip()
    if t.startswith("the "):
        t = t[4:]
    if re.fullmatch(_Y4, t):
        return int(t), int(t)
    start = decade_start(t)
    return (start, start + 9) if start is not None else None


def find_years(folded: str) -> list[YearSpan]:
    """Every year expression, longest first, without overlaps, in text order."""
    taken: list[tuple[int, int]] = []
    out: list[YearSpan] = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(folded):
            s, e = m.span()
            if any(s < te and ts < e for ts, te in taken):
                continue
            span = _interpret(kind, m)
            if span is not None:
                taken.append((s, e))
                out.append(span)
    return sorted(out, key=lambda y: y.start)


def _interpret(kind: str, m: re.Match) -> YearSpan | None:
    s, e = m.span()
    g = m.groupdict()
    if kind == "range" and g.get("a"):
        a, b = int(g["a"]), g["b"]
        bi = int(b) if len(b) == 4 else (a // 100) * 100 + int(b)
        lo, hi = min(a, bi), max(a, bi)
        return YearSpan(s, e, "range", lo, hi)
    if kind == "range":
        da, db = _when(g["da"]), _when(g["db"])
        if not da or not db:
            return None
        return YearSpan(s, e, "range", min(da[0], db[0]), max(da[1], db[1]))
    when = _when(g["w"])
    if when is None:
        return None
    lo, hi = when
    if kind == "before":
        return YearSpan(s, e, "before", None, lo - 1)
    if kind == "until":
        return YearSpan(s, e, "before", None, hi)
    if kind == "after":
        return YearSpan(s, e, "after", hi + 1, None)
    if kind == "since":
        return YearSpan(s, e, "after", lo, None)
    if kind == "decade":
        part = (g.get("part") or "").replace("the ", "")
        if part in ("early", "fruhe"):
            hi = lo + 4
        elif part in ("late", "spate"):
            lo = lo + 5
        elif part in ("mid", "mitte der"):
            lo, hi = lo + 3, lo + 7
        return YearSpan(s, e, "range", lo, hi)
    return YearSpan(s, e, "range", lo, hi)


__all__ = ["YearSpan", "find_years", "decade_start", "DECADE"]
