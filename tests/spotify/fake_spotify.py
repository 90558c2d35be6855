"""A strict local stand-in for Spotify (accounts service + Web API) on 127.0.0.1.

Strict means: every Web API request and every response it sends are validated against the
published OpenAPI description (shared/spotify/openapi.yml) with openapi-core, plus the rules the
description states only in prose (<= 100 URIs per add/remove, search limit <= 10) and the 2026
deprecations (the /tracks forms, /users/{id}/playlists). The accounts endpoints are not in the
description and are checked by hand (PKCE S256 verifier, exact redirect URI, single-use codes,
rotating refresh tokens). Anything wrong is recorded in `violations`; the `fake_spotify` fixture
fails the test at teardown if any are left, so a client that drifts from the API cannot pass.

Faults are injected with `fail(...)`, `expire_access_tokens()`, `revoke_refresh_tokens()` and
`users[...].allowlisted = False`.
"""
from __future__ import annotations

import base64
import hashlib
import html
import json
import re
import secrets
import threading
import time
import unicodedata
import urllib.parse
import warnings
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import jsonschema
import yaml
from openapi_core import OpenAPI
from openapi_core.templating.responses.exceptions import ResponseNotFound
from openapi_core.testing import MockRequest, MockResponse
from rapidfuzz import fuzz

SPEC_HOST = "https://api.spotify.com"        # the description's server is https://api.spotify.com/v1
SCOPES_KNOWN = {"playlist-modify-private", "playlist-modify-public", "playlist-read-private",
                "user-read-private", "user-read-email"}
_B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_TRACK_URI = re.compile(r"^spotify:track:[0-9A-Za-z]{22}$")
_VERIFIER = re.compile(r"^[A-Za-z0-9\-._~]{43,128}$")


def b62_id(seed: str) -> str:
    n = int.from_bytes(hashlib.sha256(seed.encode()).digest(), "big")
    out = ""
    for _ in range(22):
        n, r = divmod(n, 62)
        out += _B62[r]
    return out


def fold(text: str) -> str:
    """The fake's own normaliser (deliberately not the one under test)."""
    t = unicodedata.normalize("NFKD", text.lower())
    t = "".join(c for c in t if not unicodedata.combining(c)).replace("'", "").replace("’", "")
    return " ".join(re.sub(r"[^\w\s]+", " ", t).split())


class SpecValidator:
    """openapi-core over the shared description. Loaded once per test session (≈1 s)."""

    def __init__(self, path: Path) -> None:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        self.patched = _map_discriminators(raw)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            self.openapi = OpenAPI.from_dict(raw, base_uri=path.as_uri())
        self.raw_paths = raw["paths"]
        error_object = raw["components"]["schemas"]["ErrorObject"]
        # For statuses the description does not list for an operation (404, 5xx): Spotify's
        # documented error envelope, checked with the description's own ErrorObject schema.
        self.error_schema = {"type": "object", "required": ["error"],
                             "properties": {"error": error_object}}

    @staticmethod
    def _request(method: str, path: str, query: list[tuple[str, str]], headers: dict[str, str],
                 body: bytes) -> MockRequest:
        return MockRequest(SPEC_HOST, method, path, args=query, headers=headers, data=body or None,
                           content_type=(headers.get("Content-Type") or "").split(";")[0] or "application/json")

    def check_request(self, method, path, query, headers, body) -> list[str]:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")   # "Unsupported scheme type" (oauth2): we check Bearer ourselves
            try:
                self.openapi.validate_request(self._request(method, path, query, headers, body))
            except Exception as exc:
                return [f"request {method} {path}: {type(exc).__name__}: {_why(exc)}"]
        return []

    def check_response(self, method, path, query, headers, body, status: int, resp_body: bytes,
                       content_type: str) -> list[str]:
        request = self._request(method, path, query, headers, body)
        response = MockResponse(resp_body, status_code=status, content_type=content_type)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                self.openapi.validate_response(request, response)
            except ResponseNotFound:
                return self._undocumented(method, path, status, resp_body)
            except Exception as exc:
                return [f"response {status} to {method} {path}: {type(exc).__name__}: {_why(exc)}"]
        return []

    def _undocumented(self, method: str, path: str, status: int, resp_body: bytes) -> list[str]:
        if status not in (400, 404, 500, 502, 503):
            return [f"response {status} to {method} {path} is not in the description"]
        try:
            doc = json.loads(resp_body)
            jsonschema.validate(doc, self.error_schema)
            assert doc["error"]["status"] == status
        except Exception as exc:
            return [f"error response {status} to {method} {path} is not an ErrorObject: {exc}"]
        return []

    def deprecated(self, method: str, template: str) -> bool:
        op = (self.raw_paths.get(template) or {}).get(method.lower()) or {}
        return bool(op.get("deprecated"))


_ITEM_TYPES = {"#/components/schemas/TrackObject": "track", "#/components/schemas/EpisodeObject": "episode"}


def _map_discriminators(node: Any) -> int:
    """The description's `item`/`track` unions say `discriminator: {propertyName: type}` without a
    mapping, so a validator looks the value "track" up as `#/components/schemas/track`, which does
    not exist: every correct playlist-items answer would be rejected. Add the mapping the
    description means (type "track" -> TrackObject, "episode" -> EpisodeObject). Any other
    unmapped discriminator is a new gap: fail loudly rather than guess."""
    count = 0
    if isinstance(node, dict):
        disc = node.get("discriminator")
        if isinstance(disc, dict) and "mapping" not in disc:
            refs = [o.get("$ref") for o in node.get("oneOf") or []]
            if disc.get("propertyName") != "type" or not refs or any(r not in _ITEM_TYPES for r in refs):
                raise ValueError(f"unexpected discriminator without mapping: {node}")
            disc["mapping"] = {_ITEM_TYPES[r]: r for r in refs}
            count += 1
        for value in node.values():
            count += _map_discriminators(value)
    elif isinstance(node, list):
        for value in node:
            count += _map_discriminators(value)
    return count


def _why(exc: BaseException) -> str:
    """The schema errors (what is wrong and where), not the whole offending document."""
    cause: BaseException | None = exc
    while cause is not None:
        errors = getattr(cause, "schema_errors", None)
        if errors:
            return "; ".join(f"{'/'.join(map(str, e.absolute_path))}: {e.message[-200:]}" for e in errors)[:800]
        cause = cause.__cause__
    return str(exc)[:400]


# ---- state ------------------------------------------------------------------------------------------
@dataclass
class User:
    id: str
    display_name: str
    allowlisted: bool = True


@dataclass
class Track:
    id: str
    name: str
    artists: tuple[str, ...]
    album: str

    @property
    def uri(self) -> str:
        return f"spotify:track:{self.id}"


@dataclass
class RemotePlaylist:
    id: str
    owner: str
    name: str
    public: bool
    description: str
    uris: list[str] = field(default_factory=list)
    version: int = 1

    @property
    def snapshot_id(self) -> str:
        return base64.b64encode(f"{self.id}:{self.version}".encode()).decode()


@dataclass
class Fault:
    op: str                     # operation id (spec operationId, or "token" / "authorize"), or "*"
    status: int | str           # HTTP status, or "drop" (close the connection without answering)
    times: int = 1
    after: int = 0              # let this many matching requests through first
    retry_after: str | None = None
    message: str = ""
    apply: bool = False         # for "drop": perform the operation before dropping the answer


@dataclass
class Call:
    op: str
    method: str
    path: str
    query: dict[str, list[str]]
    body: Any
    status: int | str = 0


class FakeSpotify:
    client_id = "moodtape-test-client"

    def __init__(self, validator: SpecValidator) -> None:
        self.validator = validator
        self.lock = threading.RLock()
        self.violations: list[str] = []
        self.calls: list[Call] = []
        self.redirect_uris: set[str] = set()
        self.users: dict[str, User] = {"alice.spotify": User("alice.spotify", "Alice Example")}
        self.consenting_user = "alice.spotify"      # who is "logged in" at the consent page
        self.tracks: list[Track] = []
        self.playlists: dict[str, RemotePlaylist] = {}
        self.faults: list[Fault] = []
        self.code_ttl_s = 60.0
        self._auth_requests: dict[str, dict[str, str]] = {}
        self._codes: dict[str, dict[str, Any]] = {}
        self._access: dict[str, dict[str, Any]] = {}
        self._refresh: dict[str, dict[str, Any]] = {}
        self.secrets_issued: list[str] = []          # every token/code handed out, for leak checks
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # ---- lifecycle ----------------------------------------------------------------------------------
    def start(self) -> "FakeSpotify":
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _make_handler(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.1},
                                        daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    # ---- test controls --------------------------------------------------------------------------------
    def add_track(self, name: str, *artists: str, album: str = "") -> str:
        track = Track(b62_id(f"{name}|{artists}|{album}|{len(self.tracks)}"), name, tuple(artists),
                      album or f"{name} (Album)")
        self.tracks.append(track)
        return track.uri

    def fail(self, op: str, status: int | str, **kw: Any) -> Fault:
        fault = Fault(op, status, **kw)
        self.faults.append(fault)
        return fault

    def expire_access_tokens(self) -> None:
        with self.lock:
            for t in self._access.values():
                t["expired"] = True

    def revoke_refresh_tokens(self) -> None:
        with self.lock:
            self._refresh.clear()

    def take_violations(self) -> list[str]:
        with self.lock:
            out, self.violations = self.violations, []
            return out

    def calls_to(self, op: str) -> list[Call]:
        return [c for c in self.calls if c.op == op]

    def violate(self, text: str) -> None:
        self.violations.append(text)

    def _fault_for(self, op: str) -> Fault | None:
        for fault in self.faults:
            if fault.times > 0 and fault.op in (op, "*"):
                if fault.after > 0:
                    fault.after -= 1
                    return None
                fault.times -= 1
                return fault
        return None

    def _new_secret(self, prefix: str) -> str:
        value = prefix + secrets.token_urlsafe(24)
        self.secrets_issued.append(value)
        return value

    # ---- objects --------------------------------------------------------------------------------------
    def _user_obj(self, user: User) -> dict[str, Any]:
        return {"id": user.id, "display_name": user.display_name, "type": "user",
                "uri": f"spotify:user:{user.id}", "href": f"{SPEC_HOST}/v1/users/{user.id}",
                "external_urls": {"spotify": f"https://open.spotify.com/user/{user.id}"},
                "country": "SE", "product": "premium", "images": [],
                "followers": {"href": None, "total": 0}, "explicit_content":
                    {"filter_enabled": False, "filter_locked": False}}

    def _track_obj(self, t: Track) -> dict[str, Any]:
        album_id = b62_id("album|" + t.album)
        artists = [{"id": aid, "name": a, "type": "artist", "uri": f"spotify:artist:{aid}",
                    "href": f"{SPEC_HOST}/v1/artists/{aid}",
                    "external_urls": {"spotify": f"https://open.spotify.com/artist/{aid}"}}
                   for a, aid in ((a, b62_id("artist|" + a)) for a in t.artists)]
        return {
            "id": t.id, "name": t.name, "type": "track", "uri": t.uri, "href": f"{SPEC_HOST}/v1/tracks/{t.id}",
            "external_urls": {"spotify": f"https://open.spotify.com/track/{t.id}"},
            "artists": artists, "disc_number": 1, "track_number": 1, "duration_ms": 200000,
            "explicit": False, "is_local": False, "is_playable": True, "external_ids": {"isrc": "SE0000000000"},
            "album": {"album_type": "album", "total_tracks": 10, "available_markets": ["SE"],
                      "external_urls": {"spotify": f"https://open.spotify.com/album/{album_id}"},
                      "href": f"{SPEC_HOST}/v1/albums/{album_id}", "id": album_id, "images": [],
                      "name": t.album, "release_date": "1999", "release_date_precision": "year",
                      "type": "album", "uri": f"spotify:album:{album_id}", "artists": artists},
        }

    def _paging(self, href: str, items: list, limit: int, offset: int, total: int) -> dict[str, Any]:
        def link(o: int) -> str:
            return f"{href}?offset={o}&limit={limit}"
        return {"href": link(offset), "items": items, "limit": limit, "offset": offset, "total": total,
                "next": link(offset + limit) if offset + limit < total else None,
                "previous": link(max(0, offset - limit)) if offset > 0 else None}

    def _playlist_items(self, pl: RemotePlaylist, limit: int, offset: int) -> dict[str, Any]:
        by_uri = {t.uri: t for t in self.tracks}
        owner = self.users[pl.owner]
        page = [{"added_at": "2026-06-01T12:00:00Z", "is_local": False,
                 "added_by": {"id": owner.id, "type": "user", "uri": f"spotify:user:{owner.id}",
                              "href": f"{SPEC_HOST}/v1/users/{owner.id}", "external_urls": {}},
                 "item": self._track_obj(by_uri[u])} for u in pl.uris[offset:offset + limit]]
        return self._paging(f"{SPEC_HOST}/v1/playlists/{pl.id}/items", page, limit, offset, len(pl.uris))

    def _playlist_obj(self, pl: RemotePlaylist) -> dict[str, Any]:
        owner = self.users[pl.owner]
        return {"id": pl.id, "name": pl.name, "public": pl.public, "collaborative": False,
                "description": pl.description, "type": "playlist", "uri": f"spotify:playlist:{pl.id}",
                "href": f"{SPEC_HOST}/v1/playlists/{pl.id}", "images": [], "snapshot_id": pl.snapshot_id,
                "external_urls": {"spotify": f"https://open.spotify.com/playlist/{pl.id}"},
                "followers": {"href": None, "total": 0},
                "owner": {"id": owner.id, "display_name": owner.display_name, "type": "user",
                          "uri": f"spotify:user:{owner.id}", "href": f"{SPEC_HOST}/v1/users/{owner.id}",
                          "external_urls": {"spotify": f"https://open.spotify.com/user/{owner.id}"}},
                "items": self._playlist_items(pl, 100, 0)}

    # ---- search ---------------------------------------------------------------------------------------
    def search(self, q: str, limit: int, offset: int) -> tuple[list[Track], int]:
        fields = {"": []}
        key = ""
        for part in re.split(r"\b(track|artist|album|year|isrc|genre):", q):
            if part in ("track", "artist", "album", "year", "isrc", "genre"):
                key = part
                fields.setdefault(key, [])
            else:
                fields.setdefault(key, []).append(part)
        wanted = {k: fold(" ".join(v)) for k, v in fields.items() if fold(" ".join(v))}
        hits: list[tuple[float, int, Track]] = []
        for i, t in enumerate(self.tracks):
            text = {"track": fold(t.name), "artist": fold(" ".join(t.artists)), "album": fold(t.album)}
            text[""] = " ".join(text.values())
            scores = []
            for k, v in wanted.items():
                s = fuzz.token_set_ratio(v, text.get(k, ""))
                if s < (70 if k == "" else 80):
                    break
                scores.append(s)
            else:
                if scores:
                    hits.append((-sum(scores) / len(scores), i, t))
        hits.sort(key=lambda h: (h[0], h[1]))
        return [t for _, _, t in hits[offset:offset + limit]], len(hits)


def _error(status: int, message: str) -> tuple[int, dict[str, Any]]:
    return status, {"error": {"status": status, "message": message}}


def _make_handler(fake: FakeSpotify) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True   # headers and body are two writes: avoid 40 ms delayed-ACK stalls

        def log_message(self, *args: Any) -> None:
            pass

        def _read(self) -> bytes:
            n = int(self.headers.get("Content-Length") or 0)
            return self.rfile.read(n) if n else b""

        def _send(self, status: int, body: bytes, content_type: str, extra: dict[str, str] | None = None) -> None:
            self.send_response(status)
            if body or content_type:
                self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for k, v in (extra or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(body)

        def _drop(self) -> None:
            self.close_connection = True    # no status line at all: the client sees a lost connection

        def do_GET(self) -> None:
            self._dispatch("GET")

        def do_POST(self) -> None:
            self._dispatch("POST")

        def do_PUT(self) -> None:
            self._dispatch("PUT")

        def do_DELETE(self) -> None:
            self._dispatch("DELETE")

        def _dispatch(self, method: str) -> None:
            parts = urllib.parse.urlsplit(self.path)
            body = self._read()
            with fake.lock:
                if parts.path.startswith("/v1/") or parts.path == "/v1":
                    self._api(method, parts, body)
                elif parts.path == "/api/token":
                    self._token(method, body)
                elif parts.path in ("/authorize", "/authorize/decision"):
                    self._authorize(method, parts, body)
                elif parts.path == "/favicon.ico":    # browsers ask for it; not a client mistake
                    self._send(404, b"", "text/plain")
                else:
                    fake.violate(f"unknown endpoint {method} {parts.path}")
                    self._send(404, b"not found", "text/plain")

        # ---- accounts: /authorize (consent page) ----------------------------------------------
        def _authorize(self, method: str, parts: urllib.parse.SplitResult, body: bytes) -> None:
            if parts.path == "/authorize" and method == "GET":
                q = dict(urllib.parse.parse_qsl(parts.query))
                problems = []
                if q.get("client_id") != fake.client_id:
                    problems.append("unknown client_id")
                if q.get("response_type") != "code":
                    problems.append("response_type must be code")
                if q.get("redirect_uri") not in fake.redirect_uris:
                    problems.append("INVALID_CLIENT: Invalid redirect URI")
                if q.get("code_challenge_method") != "S256":
                    problems.append("code_challenge_method must be S256")
                if not re.fullmatch(r"[A-Za-z0-9_-]{43}", q.get("code_challenge", "")):
                    problems.append("code_challenge must be base64url(sha256) without padding")
                scopes = q.get("scope", "").split(" ")
                if not q.get("scope") or not set(scopes) <= SCOPES_KNOWN:
                    problems.append(f"bad scope {q.get('scope')!r}")
                if not q.get("state"):
                    problems.append("no state")
                if problems:
                    fake.violate("authorize: " + "; ".join(problems))
                    self._send(400, f"<h1>Error</h1><p>{html.escape('; '.join(problems))}</p>".encode(),
                               "text/html; charset=utf-8")
                    return
                rid = secrets.token_urlsafe(12)
                fake._auth_requests[rid] = q
                user = fake.users[fake.consenting_user]
                page = (f"<!doctype html><html><head><title>Spotify – Authorize</title></head><body>"
                        f"<h1>Moodtape would like to</h1><ul>{''.join(f'<li>{html.escape(s)}</li>' for s in scopes)}"
                        f"</ul><p>Logged in as {html.escape(user.display_name)}</p>"
                        f"<form method='post' action='/authorize/decision'>"
                        f"<input type='hidden' name='request' value='{rid}'>"
                        f"<button id='agree' name='decision' value='allow'>Agree</button>"
                        f"<button id='cancel' name='decision' value='deny'>Cancel</button></form></body></html>")
                self._send(200, page.encode(), "text/html; charset=utf-8")
                return
            if parts.path == "/authorize/decision" and method == "POST":
                form = dict(urllib.parse.parse_qsl(body.decode()))
                q = fake._auth_requests.pop(form.get("request", ""), None)
                if q is None:
                    self._send(400, b"<h1>Unknown request</h1>", "text/html; charset=utf-8")
                    return
                if form.get("decision") == "allow":
                    code = fake._new_secret("code-")
                    fake._codes[code] = {"q": q, "user": fake.consenting_user, "at": time.time()}
                    params = {"code": code, "state": q["state"]}
                else:
                    params = {"error": "access_denied", "state": q["state"]}
                sep = "&" if "?" in q["redirect_uri"] else "?"
                self._send(303, b"", "", {"Location": q["redirect_uri"] + sep + urllib.parse.urlencode(params)})
                return
            fake.violate(f"authorize: unexpected {method} {parts.path}")
            self._send(405, b"", "text/plain")

        # ---- accounts: /api/token -------------------------------------------------------------------
        def _token(self, method: str, body: bytes) -> None:
            fake.calls.append(Call("token", method, "/api/token", {}, None))
            ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip()
            if method != "POST" or ctype != "application/x-www-form-urlencoded":
                fake.violate(f"token: {method} with Content-Type {ctype!r}")
                return self._token_error(400, "invalid_request", "bad method or content type")
            form = dict(urllib.parse.parse_qsl(body.decode()))
            if "client_secret" in form or (self.headers.get("Authorization") or "").startswith("Basic "):
                fake.violate("token: a client secret was sent on the PKCE flow")
            if form.get("client_id") != fake.client_id:
                fake.violate("token: missing or wrong client_id")
                return self._token_error(400, "invalid_client", "Invalid client")
            fault = fake._fault_for("token")
            if fault is not None:
                return self._send(int(fault.status), json.dumps({"error": "server_error"}).encode(), "application/json")
            grant = form.get("grant_type")
            if grant == "authorization_code":
                entry = fake._codes.pop(form.get("code", ""), None)
                if entry is None:
                    fake.violate("token: unknown or reused authorization code")
                    return self._token_error(400, "invalid_grant", "Invalid authorization code")
                q = entry["q"]
                if time.time() - entry["at"] > fake.code_ttl_s:
                    return self._token_error(400, "invalid_grant", "Authorization code expired")
                if form.get("redirect_uri") != q["redirect_uri"]:
                    fake.violate("token: redirect_uri differs from the one authorized")
                    return self._token_error(400, "invalid_grant", "Invalid redirect URI")
                verifier = form.get("code_verifier", "")
                fake.secrets_issued.append(verifier)     # a secret too: must never reach a log
                challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")
                if not _VERIFIER.match(verifier) or challenge != q["code_challenge"]:
                    fake.violate("token: PKCE code_verifier does not match the code_challenge")
                    return self._token_error(400, "invalid_grant", "code_verifier was incorrect")
                return self._issue(entry["user"], q["scope"])
            if grant == "refresh_token":
                entry = fake._refresh.pop(form.get("refresh_token", ""), None)   # rotated: single use
                if entry is None:
                    return self._token_error(400, "invalid_grant", "Refresh token revoked")
                return self._issue(entry["user"], entry["scope"])
            fake.violate(f"token: unsupported grant_type {grant!r}")
            return self._token_error(400, "unsupported_grant_type", "grant_type")

        def _token_error(self, status: int, error: str, description: str) -> None:
            self._send(status, json.dumps({"error": error, "error_description": description}).encode(),
                       "application/json")

        def _issue(self, user: str, scope: str) -> None:
            access, refresh = fake._new_secret("at-"), fake._new_secret("rt-")
            fake._access[access] = {"user": user, "scope": scope, "expired": False}
            fake._refresh[refresh] = {"user": user, "scope": scope}
            self._send(200, json.dumps({"access_token": access, "token_type": "Bearer", "scope": scope,
                                        "expires_in": 3600, "refresh_token": refresh}).encode(),
                       "application/json")

        # ---- Web API ---------------------------------------------------------------------------------
        def _api(self, method: str, parts: urllib.parse.SplitResult, raw: bytes) -> None:
            query_pairs = urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
            query = urllib.parse.parse_qs(parts.query, keep_blank_values=True)
            headers = {k: v for k, v in self.headers.items()}
            op, template, args = _route(method, parts.path)
            try:
                body = json.loads(raw) if raw else None
            except ValueError:
                body = None
                fake.violate(f"{method} {parts.path}: body is not JSON")
            call = Call(op, method, parts.path, query, body)
            fake.calls.append(call)

            fake.violations.extend(fake.validator.check_request(method, parts.path, query_pairs, headers, raw))
            if template and fake.validator.deprecated(method, template):
                fake.violate(f"{method} {template} is deprecated (403 for development-mode apps since 2026)")
            self._prose_rules(op, query, body)
            if raw and not (headers.get("Content-Type") or "").startswith("application/json"):
                fake.violate(f"{method} {parts.path}: body sent as {headers.get('Content-Type')!r}")

            status, doc, extra = self._api_answer(op, method, args, query, body, headers)
            call.status = status
            if status == "drop":
                return self._drop()
            resp = b"" if doc is None else json.dumps(doc).encode()
            ctype = "application/json" if doc is not None else ""
            fake.violations.extend(fake.validator.check_response(
                method, parts.path, query_pairs, headers, raw, status, resp, ctype or "application/json"))
            self._send(status, resp, ctype, extra)

        def _prose_rules(self, op: str, query: dict[str, list[str]], body: Any) -> None:
            if op == "search":
                if int((query.get("limit") or ["5"])[0] or 0) > 10:
                    fake.violate("search: limit > 10 (capped at 10 since 2026)")
            if op == "add-items-to-playlist":
                if "uris" in query:
                    fake.violate("add items: URIs must go in the body, not the query string")
                uris = body.get("uris") if isinstance(body, dict) else None
                if not isinstance(uris, list) or not uris:
                    fake.violate(f"add items: body must be {{\"uris\": [...]}}, got {type(body).__name__}")
                elif len(uris) > 100:
                    fake.violate(f"add items: {len(uris)} URIs in one request (max 100)")
            if op == "remove-items-playlist":
                items = body.get("items") if isinstance(body, dict) else None
                if isinstance(items, list) and len(items) > 100:
                    fake.violate(f"remove items: {len(items)} in one request (max 100)")

        def _api_answer(self, op, method, args, query, body, headers):
            auth = headers.get("Authorization", "")
            token = fake._access.get(auth[7:]) if auth.startswith("Bearer ") else None
            if token is None:
                return (*_error(401, "Invalid access token"), None)
            if token["expired"]:
                return (*_error(401, "The access token expired"), None)
            user = fake.users[token["user"]]
            if not user.allowlisted:
                return (*_error(403, "Check settings on developer.spotify.com/dashboard, "
                                     "the user may not be registered."), None)
            fault = fake._fault_for(op)
            if fault is not None and fault.status != "drop":
                extra = {"Retry-After": fault.retry_after} if fault.retry_after is not None else None
                return (*_error(int(fault.status), fault.message or "injected fault"), extra)
            if fault is not None and not fault.apply:
                return "drop", None, None
            status, doc = self._operation(op, method, args, query, body, user, token)
            if fault is not None:    # drop after applying: the change happened, the answer is lost
                return "drop", None, None
            return status, doc, None

        def _operation(self, op, method, args, query, body, user: User, token):
            first = lambda k, d=None: (query.get(k) or [d])[0]  # noqa: E731
            body = body if isinstance(body, dict) else {}   # a bad body is already a violation
            if op == "get-current-users-profile":
                return 200, fake._user_obj(user)
            if op == "search":
                if "track" not in (first("type") or "").split(","):
                    fake.violate("search: type must include track")
                limit, offset = int(first("limit", "5")), int(first("offset", "0"))
                found, total = fake.search(first("q", ""), limit, offset)
                return 200, {"tracks": fake._paging(f"{SPEC_HOST}/v1/search", [fake._track_obj(t) for t in found],
                                                    limit, offset, total)}
            if op == "create-playlist":
                public = body.get("public", True)
                need = "playlist-modify-public" if public else "playlist-modify-private"
                if need not in token["scope"].split():
                    return _error(403, "Insufficient client scope")
                pl = RemotePlaylist(b62_id(secrets.token_hex(8)), user.id, str(body.get("name")), bool(public),
                                    body.get("description", ""))
                fake.playlists[pl.id] = pl
                return 201, fake._playlist_obj(pl)
            pl = fake.playlists.get(args.get("playlist_id", ""))
            if pl is None:
                return _error(404, "Resource not found")
            if op == "get-playlist":
                return 200, fake._playlist_obj(pl)
            if op == "get-playlists-items":
                limit, offset = int(first("limit", "20")), int(first("offset", "0"))
                return 200, fake._playlist_items(pl, limit, offset)
            if pl.owner != user.id:
                return _error(403, "You cannot modify a playlist you don't own")
            if op == "change-playlist-details":
                if "name" in body:
                    pl.name = body["name"]
                pl.version += 1
                return 200, None
            if op == "add-items-to-playlist":
                uris = body.get("uris") or []
                known = {t.uri for t in fake.tracks}
                bad = [u for u in uris if not _TRACK_URI.match(str(u)) or u not in known]
                if bad or len(uris) > 100:
                    fake.violate(f"add items: invalid or unknown URIs {bad[:3]}")
                    return _error(400, "Invalid base62 id" if bad else "Too many ids requested")
                pl.uris.extend(uris)
                pl.version += 1
                return 201, {"snapshot_id": pl.snapshot_id}
            if op == "remove-items-playlist":
                doomed = {i.get("uri") for i in body.get("items") or []}
                pl.uris = [u for u in pl.uris if u not in doomed]
                pl.version += 1
                return 200, {"snapshot_id": pl.snapshot_id}
            fake.violate(f"the fake does not implement {method} ({op})")
            return _error(404, "Not implemented by the fake")

    return Handler


_ROUTES = [
    ("GET", r"/v1/me", "get-current-users-profile", "/me"),
    ("GET", r"/v1/search", "search", "/search"),
    ("POST", r"/v1/me/playlists", "create-playlist", "/me/playlists"),
    ("GET", r"/v1/playlists/(?P<playlist_id>[^/]+)", "get-playlist", "/playlists/{playlist_id}"),
    ("PUT", r"/v1/playlists/(?P<playlist_id>[^/]+)", "change-playlist-details", "/playlists/{playlist_id}"),
    ("GET", r"/v1/playlists/(?P<playlist_id>[^/]+)/items", "get-playlists-items", "/playlists/{playlist_id}/items"),
    ("POST", r"/v1/playlists/(?P<playlist_id>[^/]+)/items", "add-items-to-playlist", "/playlists/{playlist_id}/items"),
    ("DELETE", r"/v1/playlists/(?P<playlist_id>[^/]+)/items", "remove-items-playlist",
     "/playlists/{playlist_id}/items"),
    ("POST", r"/v1/playlists/(?P<playlist_id>[^/]+)/tracks", "add-tracks-to-playlist",
     "/playlists/{playlist_id}/tracks"),
    ("POST", r"/v1/users/(?P<user_id>[^/]+)/playlists", "create-playlist-for-user", "/users/{user_id}/playlists"),
]


def _route(method: str, path: str) -> tuple[str, str, dict[str, str]]:
    for m, rx, op, template in _ROUTES:
        match = re.fullmatch(rx, path)
        if m == method and match:
            return op, template, match.groupdict()
    return f"{method} {path}", "", {}
