"""Hybrid search: description vectors + lyric-chunk vectors + full text + mood space, fused and
re-ranked with the request's moods/themes and the person's feedback; diverse, explained picks."""
from __future__ import annotations

import logging
import os
import re
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Sequence

import numpy as np

from nlu.request import Request
from retrieval.catalog import Catalog, unpack_list
from retrieval.describe import SONG_MOODS, THEMES
from retrieval.embedder import Embedder, get_embedder
from retrieval.features import STOPWORDS, is_vocable, words
from retrieval.filters import filter_terms, to_expr, to_mask
from retrieval.taste import fit_preference, preference_scores, song_features
from retrieval.textnorm import norm_artist, norm_title


@dataclass
class Feedback:
    """One person's taste, handed in by the caller (retrieval never reads storage itself)."""

    liked_ids: Sequence[str] = ()
    disliked_ids: Sequence[str] = ()
    # feedback given in the current conversation thread: it also steers *what is retrieved*
    # (Rocchio on the query vector and a pull in mood space), not only the re-ranking
    session_liked: Sequence[str] = ()
    session_disliked: Sequence[str] = ()
    demoted_artists: Sequence[str] = ()     # normalised artist names


@dataclass
class Pick:
    rank: int
    song_id: str
    artist: str
    title: str
    year: int | None
    score: float
    why: str
    moods: list[str] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    genres: list[str] = field(default_factory=list)
    valence: float = 0.0
    energy: float = 0.0

    def to_dict(self) -> dict:
        return {"rank": self.rank, "song_id": self.song_id, "artist": self.artist,
                "title": self.title, "year": self.year, "score": round(self.score, 4),
                "why": self.why}


@dataclass
class SearchResult:
    picks: list[Pick]
    request: Request
    notes: list[str] = field(default_factory=list)   # things to say back ("I don't have Boris")


log = logging.getLogger("moodtape.search")
_BLAS_LIMITED = False


def single_threaded_blas() -> None:
    """numpy's BLAS on one thread, process-wide, once. Search does matrix-vector products (a few
    ms each); OpenBLAS threads spin for a while after each call and starve the embedding model's
    threads on a small machine (measured on 2 cores: query embedding p50 8 -> 18 ms, p95 11 ->
    112 ms right after a product), and many callers at once thrash."""
    global _BLAS_LIMITED
    if not _BLAS_LIMITED:
        _BLAS_LIMITED = True
        if os.environ.get("OPENBLAS_NUM_THREADS", "1") != "1":
            return   # the person running it chose
        # BLAS libraries loaded from now on (scipy's own OpenBLAS, say) read this when they load;
        # threadpoolctl limits the ones already loaded
        os.environ["OPENBLAS_NUM_THREADS"] = "1"
        try:
            from threadpoolctl import threadpool_limits

            threadpool_limits(limits=1, user_api="blas")
        except Exception:  # noqa: BLE001 - a tuning step must never stop search
            log.debug("could not limit BLAS threads", exc_info=True)


def _decade(year) -> int:
    return int(year) // 10 * 10 if year else 0


FILTERED_NPROBES = 40   # IVF partitions probed by a filtered ANN search (LanceDB's default is 20)
_FTS_TOKEN = re.compile(r"[a-z]{3,}")
# shared by all searches of the process; LanceDB does the work natively, off the GIL
_SEARCH_POOL = ThreadPoolExecutor(max_workers=5, thread_name_prefix="moodtape-search")
_SCALAR_COLUMNS = ["song_id", "artist", "title", "artist_norm", "title_norm", "year", "genres",
                   "valence", "energy", "emotions", "themes", "moods", "keywords"]


def _mood_target(req: Request) -> tuple[float | None, float | None]:
    """The request's valence/energy target; derived from its moods when the parser left it out."""
    v, e = req.valence, req.energy
    if (v is None or e is None) and req.moods:
        try:
            from nlu.lexicon import MOODS  # the parser's richer vocabulary, when present
        except ImportError:  # pragma: no cover
            MOODS = {}
        vs, es, ws = 0.0, 0.0, 0.0
        for mood, w in req.moods.items():
            info = MOODS.get(mood)
            ve = (info.valence, info.energy) if info is not None else SONG_MOODS.get(mood)
            if ve is None:
                continue
            vs, es, ws = vs + w * ve[0], es + w * ve[1], ws + w
        if ws:
            v = vs / ws if v is None else v
            e = es / ws if e is None else e
    return v, e


class Recommender:
    """Searches one Catalog. Thread-safe; share one per process."""

    def __init__(self, catalog: Catalog, embedder: Embedder | None = None) -> None:
        single_threaded_blas()
        self.catalog = catalog
        self.embedder = embedder or get_embedder()
        self._stats: tuple[float, float, float, float] | None = None
        self._lock = threading.Lock()

    # ---- calibration ---------------------------------------------------------------------------
    def mood_stats(self) -> tuple[float, float, float, float]:
        """Mean/std of song valence and energy: targets in [-1, 1] are mapped onto the catalog's
        own spread, so 'sad' means 'sad for this catalog' whatever the estimator's bias."""
        with self._lock:
            if self._stats is None:
                t = self.catalog.songs.search().select(["valence", "energy"]) \
                    .limit(max(1, self.catalog.count())).to_arrow()
                v = np.asarray(t.column("valence").to_pylist() or [0.0], np.float32)
                e = np.asarray(t.column("energy").to_pylist() or [0.0], np.float32)
                self._stats = (float(v.mean()), float(v.std() or 1.0),
                               float(e.mean()), float(e.std() or 1.0))
            return self._stats

    def to_raw(self, v: float | None, e: float | None) -> tuple[float | None, float | None]:
        vm, vs, em, es = self.mood_stats()
        return (None if v is None else vm + 1.6 * vs * v, None if e is None else em + 1.6 * es * e)

    def from_raw(self, v: float, e: float) -> tuple[float, float]:
        vm, vs, em, es = self.mood_stats()
        return (float(np.clip((v - vm) / (1.6 * vs), -1, 1)), float(np.clip((e - em) / (1.6 * es), -1, 1)))

    # ---- query text ----------------------------------------------------------------------------
    @staticmethod
    def describe_request(req: Request) -> str:
        moods = sorted(req.moods, key=lambda m: -req.moods[m])
        about = req.themes + req.scenes
        text = f"A {', '.join(moods)} song" if moods else "A song"
        if about:
            text += " about " + ", ".join(about)
        return text + "."

    # ---- search --------------------------------------------------------------------------------
    def recommend(self, req: Request, *, k: int = 10, feedback: Feedback | None = None,
                  exclude_ids: Sequence[str] = (), anchor_ids: Sequence[str] = (),
                  max_per_artist: int | None = None, restrict_ids: Sequence[str] | None = None,
                  pool: int = 200) -> SearchResult:
        feedback = feedback or Feedback()
        k = max(1, min(int(k), 50))
        excluded = set(exclude_ids) | set(feedback.disliked_ids)
        terms = filter_terms(year_min=req.year_min, year_max=req.year_max,
                             exclude_years=req.exclude_years, genres_in=req.genres_in,
                             genres_out=req.genres_out, artists_in=req.artists_in,
                             artists_out=req.artists_out, languages=req.languages,
                             song_ids=restrict_ids)
        expr = to_expr(terms)
        semantic = (req.query_text or "").strip()
        desc_text = self.describe_request(req)
        texts = [desc_text, semantic or desc_text]
        qv = self.embedder.encode_queries(texts)
        q_desc, q_raw = qv[0], qv[1]
        q = q_desc + q_raw
        q /= np.linalg.norm(q) or 1.0
        anchors = self._vectors(list(anchor_ids) + list(req.like_songs))
        liked = self._vectors(feedback.liked_ids)
        disliked = self._vectors(feedback.disliked_ids)
        if len(anchors):
            a = anchors.mean(axis=0)
            q = q + 1.5 * a / (np.linalg.norm(a) or 1.0)
            q /= np.linalg.norm(q) or 1.0
        s_rows, s_vecs = self.catalog.fetch(
            list(dict.fromkeys([*feedback.session_liked, *feedback.session_disliked])),
            ["valence", "energy", "emotions", "genres", "year"], ("vec_lyrics",))
        fb_ids = [k for k in dict.fromkeys([*feedback.session_liked, *feedback.session_disliked]) if k in s_rows]
        sl_idx = [i for i, sid in enumerate(fb_ids) if sid in set(feedback.session_liked)]
        sd_idx = [i for i, sid in enumerate(fb_ids) if sid not in set(feedback.session_liked)]
        # decades this person keeps liking in this thread (at least twice, more 👍 than 👎): said
        # in the "why" of picks from them, so the steering is visible
        liked_dec = Counter(_decade(s_rows[fb_ids[i]].get("year")) for i in sl_idx)
        disliked_dec = Counter(_decade(s_rows[fb_ids[i]].get("year")) for i in sd_idx)
        fav_decades = {d for d, n in liked_dec.items() if d and n >= 2 and n > disliked_dec.get(d, 0)}
        if sl_idx or sd_idx:
            shift = np.zeros_like(q)
            if sl_idx:
                shift += 0.8 * s_vecs["vec_lyrics"][sl_idx].mean(axis=0)
            if sd_idx:
                shift -= 0.4 * s_vecs["vec_lyrics"][sd_idx].mean(axis=0)
            q = q + shift
            q /= np.linalg.norm(q) or 1.0
            q_raw = q_raw + shift
            q_raw /= np.linalg.norm(q_raw) or 1.0
        n_pool = pool + len(excluded)
        chunk_sim: dict[str, float] = {}
        chunk_text: dict[str, str] = {}
        fts: dict[str, float] = {}

        def vector_hits(table, column, vec, limit, columns):
            query = table.search(vec.tolist(), vector_column_name=column).distance_type("cosine")
            if expr is None:
                return query.limit(limit).select(columns).to_arrow().to_pylist()
            # Big catalogs only (small ones are searched in memory). Try the index with the filter
            # applied after it, which suits broad filters ("no rap"). If that leaves too few, the
            # index with the filter applied first, probing more partitions (measured on 100k
            # songs / 377k chunks, decade filters: recall of the exact top-200 0.91-1.00 in ~50 ms,
            # where an exact filtered scan of the chunks took 350-800 ms); if that still finds too
            # few, the filter is narrow (an artist, a few ids) and an exact scan inside it is cheap.
            rows = query.where(expr, prefilter=False).limit(limit * 3).select(columns) \
                .to_arrow().to_pylist()[:limit]
            if len(rows) >= limit // 2:
                return rows
            if (table.name, column) in self.catalog.ann_columns:
                rows = (table.search(vec.tolist(), vector_column_name=column).distance_type("cosine")
                        .where(expr, prefilter=True).nprobes(FILTERED_NPROBES).limit(limit)
                        .select(columns).to_arrow().to_pylist())
                if len(rows) >= limit // 2:
                    return rows
            exact = table.search(vec.tolist(), vector_column_name=column).distance_type("cosine") \
                .where(expr, prefilter=True).bypass_vector_index()
            return exact.limit(limit).select(columns).to_arrow().to_pylist()

        # searches return ids and scores only; the union is fetched once below, vectors as numpy
        v_t, e_t = _mood_target(req)
        if sl_idx:
            # what the person liked in this thread pulls the mood target halfway toward it
            lv, le = self.from_raw(float(np.mean([s_rows[fb_ids[i]]["valence"] for i in sl_idx])),
                                   float(np.mean([s_rows[fb_ids[i]]["energy"] for i in sl_idx])))
            v_t = lv if v_t is None else 0.5 * v_t + 0.5 * lv
            e_t = le if e_t is None else 0.5 * e_t + 0.5 * le
        rv, re_ = self.to_raw(v_t, e_t)
        tokens = [t for t in _FTS_TOKEN.findall(" ".join([semantic, desc_text]).lower())
                  if t not in STOPWORDS][:24]
        if tokens or expr is not None:
            self.catalog.ensure_indexes()   # once per process: FTS, and which columns have ANN indexes

        def mood_hits():
            if rv is None and re_ is None:
                return []
            mv = [rv if rv is not None else 0.0, re_ if re_ is not None else 0.0]
            query = self.catalog.songs.search(mv, vector_column_name="mood_vec").distance_type("l2")
            if expr is not None:
                query = query.where(expr, prefilter=True)
            return query.limit(n_pool // 2).select(["song_id", "_distance"]).to_arrow().to_pylist()

        def fts_hits():
            if not tokens:
                return []
            try:
                query = self.catalog.songs.search(" ".join(tokens), query_type="fts",
                                                  fts_columns="search_text")
                if expr is not None:
                    query = query.where(expr, prefilter=True)
                return query.limit(n_pool // 2).select(["song_id", "_score"]).to_arrow().to_pylist()
            except Exception:  # FTS is a bonus; a missing index must not break search
                return []

        hot = self.catalog.hot_index()
        if hot is not None:
            # a small catalog: the four vector searches are exact matrix products in memory,
            # under a numpy mask compiled from the same filter terms; full-text stays in LanceDB
            fts_job = _SEARCH_POOL.submit(fts_hits)
            mask = to_mask(terms, hot.columns, hot.known)
            if excluded:
                mask = np.ones(len(hot.ids), bool) if mask is None else mask.copy()
                mask[[hot.pos[sid] for sid in excluded if sid in hot.pos]] = False

            def song_rows(scores, limit):
                return [{"song_id": hot.ids[i], "_distance": 1.0 - float(scores[i])}
                        for i in hot.top(scores, mask, limit)]

            with hot.lock:   # one product at a time: BLAS threads from many callers thrash
                s_desc_all = hot.vectors["vec_desc"] @ q
                s_lyr_all = hot.vectors["vec_lyrics"] @ q_raw
                c_all = hot.chunk_vectors @ q_raw
            desc_rows = song_rows(s_desc_all, n_pool)
            lyric_rows = song_rows(s_lyr_all, n_pool // 2)
            top_c = hot.top(c_all, None if mask is None else mask[hot.chunk_song], n_pool)
            chunk_rows = [{"song_id": hot.ids[hot.chunk_song[i]], "text": hot.chunk_text[int(i)].as_py(),
                           "_distance": 1.0 - float(c_all[i])} for i in top_c]
            mood_rows = []
            if rv is not None or re_ is not None:
                mv = np.asarray([rv if rv is not None else 0.0, re_ if re_ is not None else 0.0], np.float32)
                d = ((hot.mood - mv) ** 2).sum(axis=1)
                mood_rows = song_rows(-d, n_pool // 2)
            fts_rows = fts_job.result()
        else:
            # the five searches are independent and LanceDB releases the GIL: run them side by side
            jobs = [
                lambda: vector_hits(self.catalog.songs, "vec_desc", q, n_pool, ["song_id", "_distance"]),
                lambda: vector_hits(self.catalog.songs, "vec_lyrics", q_raw, n_pool // 2,
                                    ["song_id", "_distance"]),
                lambda: vector_hits(self.catalog.chunks, "vector", q_raw, n_pool,
                                    ["song_id", "text", "_distance"]),
                mood_hits, fts_hits,
            ]
            desc_rows, lyric_rows, chunk_rows, mood_rows, fts_rows = [
                f.result() for f in [_SEARCH_POOL.submit(job) for job in jobs]]
        found: list[str] = [r["song_id"] for r in desc_rows] + [r["song_id"] for r in lyric_rows]
        for row in chunk_rows:
            sim = 1.0 - float(row["_distance"])
            if sim > chunk_sim.get(row["song_id"], -1.0):
                chunk_sim[row["song_id"]] = sim
                chunk_text[row["song_id"]] = row["text"] or ""
        found.extend(chunk_sim)
        found.extend(r["song_id"] for r in mood_rows)
        for row in fts_rows:
            fts[row["song_id"]] = float(row.get("_score") or 0.0)
            found.append(row["song_id"])
        ids = [sid for sid in dict.fromkeys(found) if sid not in excluded]
        if not ids:
            return SearchResult([], req)
        rows, vecs = self.catalog.fetch(ids, _SCALAR_COLUMNS, ("vec_desc", "vec_lyrics"))
        ids = [sid for sid in ids if sid in rows]
        rows = [rows[sid] for sid in ids]
        vd, vl = vecs["vec_desc"], vecs["vec_lyrics"]
        s_desc = vd @ q
        s_lyr = vl @ q_raw
        s_chunk = np.asarray([chunk_sim.get(s, float(s_lyr[i])) for i, s in enumerate(ids)])
        sem = 0.5 * s_desc + 0.3 * s_chunk + 0.2 * s_lyr
        score = sem.copy()
        has_mood = v_t is not None or e_t is not None
        if has_mood:
            sv = np.asarray([r["valence"] for r in rows], np.float32)
            se = np.asarray([r["energy"] for r in rows], np.float32)
            nv, ne = self.from_raw_arrays(sv, se)
            d = np.zeros(len(rows), np.float32)
            if v_t is not None:
                d += (nv - v_t) ** 2
            if e_t is not None:
                d += (ne - e_t) ** 2
            mood_fit = 1.0 - np.sqrt(d) / 2.0
            w_mood = 0.45 if req.moods or req.scenes else 0.25
            score = (1 - w_mood) * score + w_mood * mood_fit
        wanted_themes = set(req.themes)
        if wanted_themes:
            tf = np.asarray([len(wanted_themes & set(unpack_list(r["themes"]))) / len(wanted_themes)
                             for r in rows], np.float32)
            score += 0.12 * tf
        if fts:
            top = max(fts.values()) or 1.0
            score += 0.05 * np.asarray([fts.get(s, 0.0) / top for s in ids], np.float32)
        if len(liked):
            score += 0.2 * np.clip((vl @ liked.T).max(axis=1), 0, 1)
        if sl_idx:
            score += 0.2 * np.clip((vl @ s_vecs["vec_lyrics"][sl_idx].T).max(axis=1), 0, 1)
        if sl_idx and sd_idx:
            # relative nearest neighbours: closer to what was liked than to what was disliked
            sims_l = vl @ s_vecs["vec_lyrics"][sl_idx].T
            sims_d = vl @ s_vecs["vec_lyrics"][sd_idx].T
            n_fb = len(sl_idx) + len(sd_idx)
            score += min(1.5, 0.1 * n_fb) * (sims_l.max(axis=1) - sims_d.max(axis=1))
            fb_rows = [s_rows[sid] for sid in fb_ids]
            fv, fe = self.from_raw_arrays(np.asarray([r["valence"] for r in fb_rows], np.float32),
                                          np.asarray([r["energy"] for r in fb_rows], np.float32))
            fx = song_features(fb_rows, fv, fe)
            w = fit_preference(fx[sl_idx], fx[sd_idx])
            if w is not None:
                cv, ce = self.from_raw_arrays(np.asarray([r["valence"] for r in rows], np.float32),
                                              np.asarray([r["energy"] for r in rows], np.float32))
                # the more the person rated, the more their own model counts
                weight = min(0.6, 0.06 * len(fb_ids))
                score += weight * preference_scores(w, song_features(rows, cv, ce))
        if len(disliked):
            score -= 0.15 * np.clip((vl @ disliked.T).max(axis=1), 0, 1)
        if len(anchors):
            score += 0.25 * (vl @ anchors.T).max(axis=1)
        demoted = set(feedback.demoted_artists)
        if demoted:
            score -= 0.12 * np.asarray([r["artist_norm"] in demoted for r in rows], np.float32)

        order = np.argsort(-score)
        cap = max_per_artist if max_per_artist is not None else (k if req.artists_in else 2)
        picks: list[Pick] = []
        seen_keys: set[str] = set()
        per_artist: dict[str, int] = {}
        q_words = set(words(semantic)) | {w for t in req.themes for w in THEMES.get(t, ("", ()))[1]}
        for i in order:
            r = rows[i]
            key = f"{norm_artist(r['artist'])}||{norm_title(r['title'])}"
            a = norm_artist(r["artist"])
            if key in seen_keys or per_artist.get(a, 0) >= cap:
                continue
            seen_keys.add(key)
            per_artist[a] = per_artist.get(a, 0) + 1
            nv, ne = self.from_raw(float(r["valence"]), float(r["energy"]))
            pick = Pick(rank=len(picks) + 1, song_id=r["song_id"], artist=r["artist"],
                        title=r["title"], year=r["year"] or None, score=float(score[i]), why="",
                        moods=unpack_list(r["moods"]), themes=unpack_list(r["themes"]),
                        genres=unpack_list(r["genres"]), valence=nv, energy=ne)
            pick.why = self.explain(req, r, pick, q_words, chunk_text.get(r["song_id"], ""))
            if _decade(r["year"]) in fav_decades and not (req.year_min or req.year_max):
                pick.why = f"{_decade(r['year'])}s, like the ones you liked · {pick.why}"
            picks.append(pick)
            if len(picks) >= k:
                break
        return SearchResult(picks, req)

    def from_raw_arrays(self, v: np.ndarray, e: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        vm, vs, em, es = self.mood_stats()
        return np.clip((v - vm) / (1.6 * vs), -1, 1), np.clip((e - em) / (1.6 * es), -1, 1)

    def _vectors(self, song_ids: Sequence[str]) -> np.ndarray:
        if not song_ids:
            return np.zeros((0, self.catalog.dim), np.float32)
        rows = self.catalog.get(list(song_ids)[-50:], ["vec_lyrics"])
        if not rows:
            return np.zeros((0, self.catalog.dim), np.float32)
        return np.asarray([r["vec_lyrics"] for r in rows.values()], np.float32)

    def explain(self, req: Request, row: dict, pick: Pick, q_words: set[str], chunk: str) -> str:
        """'nostalgic, melancholic · about rain, night · words: rain, window' (short, human);
        for catalogs that hold lyric text, the best-matching line of the best chunk."""
        parts: list[str] = []
        wanted = set(req.moods)
        matched = [m for m in pick.moods if m in wanted] or pick.moods[:2]
        if matched:
            parts.append(", ".join(matched[:3]))
        themes = [t for t in pick.themes if t in set(req.themes)] or pick.themes[:2]
        if themes:
            parts.append("about " + ", ".join(themes[:3]))
        kws = [w for w in (row.get("keywords") or "").split() if not is_vocable(w)]
        hits = [w for w in kws if w in q_words][:3]
        if hits:
            parts.append("words: " + ", ".join(hits))
        elif kws:
            parts.append("words: " + ", ".join(kws[:3]))
        if req.artists_in and row["artist"] in req.artists_in:
            parts.append(f"by {row['artist']}")
        line = best_line(chunk, q_words | set(wanted) | set(req.themes))
        why = " · ".join(parts)[:200]
        return f"{why} · “{line}”" if line else why


def best_line(chunk: str, vocabulary: set[str], *, max_len: int = 90) -> str:
    """The line of a lyric chunk that shares most words with the request (first line if none)."""
    lines = [ln.strip() for ln in (chunk or "").splitlines() if len(ln.split()) >= 3]
    if not lines:
        return ""
    scored = max(lines, key=lambda ln: (len(set(words(ln)) & vocabulary), -lines.index(ln)))
    return scored if len(scored) <= max_len else scored[: max_len - 1].rstrip() + "…"
