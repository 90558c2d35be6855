"""NLU benchmark: per-field precision/recall and whole-request exact match on the labelled set
(tests/nlu/data/requests.jsonl), parse latency with a 4,000-artist vocab, and mention
precision/recall on MusicRecoNER (Deezer, EACL 2023; MIT).

    python -m benchmarks.nlu_bench

Scoring of the labelled set: a field named in a case's "expect" is scored on that case. The hard
constraints (HARD_FIELDS) are scored on every case, absent meaning "nothing": a parser that invents
an artist or a year where none was asked loses precision. Lists are compared as sets (mentions
case-insensitively), moods by their names, valence/energy and shifts by sign ("+", "-", "0").
"""
from __future__ import annotations

import csv
import json
import re
import statistics
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from nlu.parser import parse_detailed, parse_request
from nlu.text import fold
from nlu.vocab import SimpleVocab

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
LABELLED = ROOT / "tests" / "nlu" / "data" / "requests.jsonl"
BILLBOARD = SHARED / "data" / "billboard" / "billboard_yearend_1950_2015_lyrics.jsonl"
DEEZER = SHARED / "data" / "mood-labels" / "deezer"
MUSICRECONER = SHARED / "data" / "requests" / "musicreconer"

# artists and songs the labelled set names that the 1950-2015 Billboard list lacks
EXTRA_SONGS = [
    ("extra-adele-hello", "Hello", "Adele"), ("extra-adele-someone", "Someone Like You", "Adele"),
    ("extra-billie-badguy", "Bad Guy", "Billie Eilish"), ("extra-drake-hotline", "Hotline Bling", "Drake"),
    ("extra-drake-gods-plan", "God's Plan", "Drake"), ("extra-rosalia-malamente", "Malamente", "Rosalía"),
    ("extra-stromae-alors", "Alors on danse", "Stromae"), ("extra-rammstein-sonne", "Sonne", "Rammstein"),
    ("extra-badbunny-titi", "Tití Me Preguntó", "Bad Bunny"), ("extra-queen-bohemian", "Bohemian Rhapsody", "Queen"),
]
HARD_FIELDS = ("year_min", "year_max", "exclude_years", "genres_in", "genres_out", "artists_in",
               "artists_out", "count", "ops", "like_picks", "like_songs", "unknown_mentions")
SIGN_FIELDS = ("valence", "energy", "valence_shift", "energy_shift")


def labelled_vocab() -> SimpleVocab:
    vocab = SimpleVocab.from_jsonl(BILLBOARD)
    return SimpleVocab.from_songs(list(vocab.titles) + EXTRA_SONGS)


def latency_vocab(size: int = 4000) -> SimpleVocab:
    """Billboard artists topped up with Deezer mood-set artists to `size` names."""
    vocab = labelled_vocab()
    artists = list(vocab.artists)
    seen = set(artists)
    for split in ("train", "validation", "test"):
        with open(DEEZER / f"{split}.csv", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                if len(artists) >= size:
                    break
                if row["artist_name"] not in seen:
                    seen.add(row["artist_name"])
                    artists.append(row["artist_name"])
    return SimpleVocab(artists[:size], list(vocab.titles), [])


def load_cases(path: Path = LABELLED) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip() and not line.startswith("//")]


# ---- labelled set ------------------------------------------------------------------------------
def _sign(x) -> str | None:
    if x is None:
        return None
    return "+" if x > 0.05 else "-" if x < -0.05 else "0"


def _as_set(name: str, value) -> set:
    if value is None:
        return set()
    if name == "moods":
        return set(value)
    if name == "exclude_years":
        return {tuple(v) for v in value}
    if name == "unknown_mentions":
        return {str(v).lower() for v in value}
    return set(value) if isinstance(value, (list, tuple, set, dict)) else {value}


def _compare(name: str, got, want) -> tuple[int, int, int]:
    """(tp, fp, fn) of one field on one case."""
    if name in SIGN_FIELDS:
        got, want = _sign(got), want if isinstance(want, str) or want is None else _sign(want)
        if name.endswith("_shift"):
            got, want = (None if got == "0" else got), (None if want == "0" else want)
    if name in ("query_has", "query_lacks"):
        return 0, 0, 0
    if isinstance(want, list) or isinstance(want, dict) or name in HARD_FIELDS and name not in (
            "year_min", "year_max", "count"):
        g, w = _as_set(name, got), _as_set(name, want)
        return len(g & w), len(g - w), len(w - g)
    if got == want:
        return (1, 0, 0) if want is not None else (0, 0, 0)
    return (0, 1 if got is not None else 0, 1 if want is not None else 0)


@dataclass
class FieldScore:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


@dataclass
class LabelledReport:
    fields: dict[str, FieldScore] = field(default_factory=lambda: defaultdict(FieldScore))
    cases: int = 0
    exact: int = 0
    failures: list[tuple[str, dict]] = field(default_factory=list)

    @property
    def exact_match(self) -> float:
        return self.exact / self.cases if self.cases else 0.0


def case_errors(case: dict, vocab) -> dict[str, tuple]:
    """Field -> (got, wanted) for every field of `case` the parser gets wrong."""
    previous = parse_request(case["previous"], vocab=vocab) if case.get("previous") else None
    req = parse_request(case["text"], vocab=vocab, previous=previous)
    got = req.to_dict()
    expect = case["expect"]
    errors: dict[str, tuple] = {}
    for name in set(expect) | set(HARD_FIELDS):
        want = expect.get(name)
        if name == "query_has":
            q = req.query_text.lower()
            missing = [w for w in want if w.lower() not in q]
            if missing:
                errors[name] = (req.query_text, want)
            continue
        if name == "query_lacks":
            q = req.query_text.lower().split()
            if any(w.lower() in q for w in want):
                errors[name] = (req.query_text, want)
            continue
        tp, fp, fn = _compare(name, got.get(name), want)
        if fp or fn:
            errors[name] = (got.get(name), want)
    return errors


def score_labelled(cases: list[dict], vocab) -> LabelledReport:
    report = LabelledReport()
    for case in cases:
        previous = parse_request(case["previous"], vocab=vocab) if case.get("previous") else None
        got = parse_request(case["text"], vocab=vocab, previous=previous).to_dict()
        expect = case["expect"]
        for name in set(expect) | set(HARD_FIELDS):
            if name in ("query_has", "query_lacks"):
                continue
            tp, fp, fn = _compare(name, got.get(name), expect.get(name))
            s = report.fields[name]
            s.tp, s.fp, s.fn = s.tp + tp, s.fp + fp, s.fn + fn
        errors = case_errors(case, vocab)
        report.cases += 1
        if errors:
            report.failures.append((case["text"], errors))
        else:
            report.exact += 1
    return report


# ---- latency -----------------------------------------------------------------------------------
def latency_ms(texts: list[str], vocab, *, rounds: int = 1) -> tuple[float, float]:
    parse_request("warm up", vocab=vocab)          # builds the vocab index once
    times = []
    for _ in range(rounds):
        for t in texts:
            start = time.perf_counter()
            parse_request(t, vocab=vocab)
            times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, int(0.95 * len(times)))]


# ---- MusicRecoNER ------------------------------------------------------------------------------
_NORM = re.compile(r"[^a-z0-9]+")


def norm_mention(s: str) -> str:
    return _NORM.sub(" ", fold(s).replace("'", "")).strip()


def read_musicreconer(dataset: str) -> list[dict]:
    """Queries with their gold mentions [(type, text)] from the BIO file."""
    base = MUSICRECONER / dataset
    with open(base / "queries.csv", encoding="utf-8") as fh:
        queries = list(csv.DictReader(fh))
    blocks: list[list[tuple[str, str]]] = []
    current: list[tuple[str, str]] = []
    for line in (base / "ground-truth.bio").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            if current:
                blocks.append(current)
                current = []
            continue
        tok, _, tag = line.partition("\t")
        current.append((tok, tag.strip()))
    if current:
        blocks.append(current)
    # the BIO file and queries.csv are not always in the same order: join on the tokens
    originals = {" ".join(q["preprocessed"].split()): q["original"] for q in queries}
    out = []
    for block in blocks:
        pre = " ".join(tok for tok, _ in block)
        q = {"preprocessed": pre, "original": originals.get(pre, pre)}
        gold, span, kind = [], [], None
        for tok, tag in block + [("", "O")]:
            if tag.startswith("I-") and span and tag[2:] == kind:
                span.append(tok)
                continue
            if span:
                gold.append((kind, " ".join(span)))
            span, kind = ([tok], tag[2:]) if tag.startswith(("B-", "I-")) else ([], None)
        out.append({"original": q["original"], "preprocessed": q["preprocessed"], "gold": gold})
    return out


def predicted_mentions(text: str, vocab) -> list[tuple[str, str | None]]:
    """(mention text, catalog artist or None) for every name the parser found."""
    req, state = parse_detailed(text, vocab=vocab)
    found = [(m.text, m.artist) for m in req.artist_mentions]
    found += [(state.original(it.start, it.end), None) for it in state.items if it.kind == "title"]
    found += [(u, None) for u in req.unknown_mentions if all(norm_mention(u) != norm_mention(f) for f, _ in found)]
    return found


def score_musicreconer(dataset: str, vocab, *, column: str = "original") -> dict:
    from nlu.artists import index_for, normalize_name

    index = index_for(vocab)
    tp = fp = fn = partial_tp = 0
    held = held_linked = gold_artists = 0
    for q in read_musicreconer(dataset):
        pred = predicted_mentions(q[column], vocab)
        gold = [norm_mention(g) for _, g in q["gold"]]
        pred_norm = [norm_mention(p) for p, _ in pred]
        unmatched = list(gold)
        for p in pred_norm:
            if p in unmatched:
                unmatched.remove(p)
                tp += 1
            else:
                fp += 1
        fn += len(unmatched)
        for g in gold:
            if any(set(g.split()) & set(p.split()) for p in pred_norm):
                partial_tp += 1
        for kind, g in q["gold"]:
            if kind != "Artist":
                continue
            gold_artists += 1
            names = index.exact_artist(normalize_name(g))
            if names:
                held += 1
                if any(a in names for _, a in pred):
                    held_linked += 1
    n_gold = tp + fn
    return {
        "precision": tp / (tp + fp) if tp + fp else 1.0, "recall": tp / n_gold if n_gold else 1.0,
        "partial_recall": partial_tp / n_gold if n_gold else 1.0, "gold": n_gold, "predicted": tp + fp,
        "gold_artists": gold_artists, "held_by_catalog": held, "held_and_linked": held_linked,
    }


def main() -> None:
    vocab = labelled_vocab()
    cases = load_cases()
    report = score_labelled(cases, vocab)
    print(f"labelled set: {report.cases} requests ({LABELLED.relative_to(ROOT)})")
    print(f"{'field':18} {'prec':>6} {'recall':>6} {'tp':>5} {'fp':>4} {'fn':>4}")
    for name in sorted(report.fields):
        s = report.fields[name]
        print(f"{name:18} {s.precision:6.3f} {s.recall:6.3f} {s.tp:5d} {s.fp:4d} {s.fn:4d}")
    print(f"whole-request exact match: {report.exact_match:.3f} ({report.exact}/{report.cases})")
    big = latency_vocab()
    texts = [c["text"] for c in cases]
    for ds in ("dataset1", "dataset2"):
        texts += [q["original"] for q in read_musicreconer(ds)]
    p50, p95 = latency_ms(texts, big, rounds=2)
    print(f"latency ({len(big.artists)} artists, {len(texts)} messages x2): p50 {p50:.2f} ms, p95 {p95:.2f} ms")
    for ds in ("dataset1", "dataset2"):
        for column in ("original", "preprocessed"):
            r = score_musicreconer(ds, vocab, column=column)
            print(f"MusicRecoNER {ds} ({column}): mention precision {r['precision']:.3f} recall {r['recall']:.3f} "
                  f"(token-overlap recall {r['partial_recall']:.3f}; {r['predicted']} predicted, {r['gold']} gold "
                  f"Artist+WoA); catalog holds {r['held_by_catalog']}/{r['gold_artists']} gold artists, "
                  f"{r['held_and_linked']} linked to them")
    if report.failures:
        print(f"\nfailures ({len(report.failures)}), first 40:")
        for text, errors in report.failures[:40]:
            print(f"  {text!r}: " + "; ".join(f"{k} got {g!r} want {w!r}" for k, (g, w) in errors.items()))


if __name__ == "__main__":
    main()
