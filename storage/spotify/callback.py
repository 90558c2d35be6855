"""The page Spotify redirects to after consent: `GET {redirect_uri}?code=..&state=..`.

stdlib `http.server` in a daemon thread, so it runs beside discord.py's event loop or the terminal
chat without sharing either. It only ever answers GET on the callback path. The query string holds
an authorization code, so it is never logged, the page says `Referrer-Policy: no-referrer`
(nothing on the page links out anyway) and `Cache-Control: no-store`.
"""
from __future__ import annotations

import html
import logging
import socket
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from storage.errors import MoodtapeError
from storage.spotify.auth import LinkedAccount, SpotifyLinker

log = logging.getLogger("moodtape.spotify")

_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body{{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;background:#121212;color:#eee;
margin:0;display:flex;min-height:100vh;align-items:center;justify-content:center}}
main{{max-width:32rem;padding:2rem;background:#1e1e1e;border-radius:12px;text-align:center}}
h1{{font-size:1.4rem;margin:.5rem 0 1rem}} .icon{{font-size:2.5rem}} p{{line-height:1.5}}
.ok h1{{color:#1ed760}} .err h1{{color:#ff8a80}}
</style></head>
<body><main class="{kind}" id="moodtape-{kind}"><div class="icon">{icon}</div>
<h1>{heading}</h1>{body}</main></body></html>
"""


def success_page(account: LinkedAccount) -> str:
    who = f" as <strong>{html.escape(account.display_name)}</strong>" if account.display_name else ""
    return _PAGE.format(title="Moodtape · Spotify linked", kind="ok", icon="🎧",
                        heading="Your Spotify account is linked to Moodtape",
                        body=f"<p>Signed in{who}. You can close this tab and go back to Moodtape — "
                             "your playlists can now be exported to Spotify.</p>")


def error_page(message: str, heading: str = "Spotify wasn't linked") -> str:
    return _PAGE.format(title="Moodtape · Spotify not linked", kind="err", icon="⚠️",
                        heading=html.escape(heading), body=f"<p>{html.escape(message)}</p>"
                        "<p>You can close this tab.</p>")


class _Handler(BaseHTTPRequestHandler):
    server: "_Server"
    server_version = "Moodtape"
    disable_nagle_algorithm = True   # headers and body go out as two writes
    sys_version = ""

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        parts = urllib.parse.urlsplit(self.path)
        if parts.path != self.server.callback_path:
            self._send(404, error_page("There is nothing here.", heading="Not found"))
            return
        query = urllib.parse.parse_qs(parts.query, keep_blank_values=True)
        first = lambda name: (query.get(name) or [None])[0]  # noqa: E731
        try:
            account = self.server.linker.complete(first("state"), first("code"), first("error"))
        except MoodtapeError as exc:
            log.info("Spotify link refused: %s", exc)
            self._send(400, error_page(exc.user_message))
            return
        except Exception:
            log.exception("Spotify callback failed")
            self._send(500, error_page("Something went wrong on Moodtape's side. Please ask for a "
                                       "new Spotify link and try again."))
            return
        self._send(200, success_page(account))

    def _send(self, status: int, page: str) -> None:
        body = page.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        # http.server would print the request line, code included, to stderr. Path only, at DEBUG.
        log.debug("callback %s %s", self.command, urllib.parse.urlsplit(self.path).path)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], linker: SpotifyLinker, callback_path: str) -> None:
        self.linker = linker
        self.callback_path = callback_path
        if ":" in address[0]:
            self.address_family = socket.AF_INET6   # redirect URI http://[::1]:PORT/...
        super().__init__(address, _Handler)


class CallbackServer:
    """`with CallbackServer(linker) as server:` or `.start()` / `.stop()`.

    By default listens where the redirect URI points (http://127.0.0.1:PORT/path). For an https
    redirect URI behind a reverse proxy, pass the local `host`/`port` to listen on."""

    def __init__(self, linker: SpotifyLinker, *, host: str | None = None, port: int | None = None) -> None:
        parts = urllib.parse.urlsplit(linker.redirect_uri)
        self.linker = linker
        self.host = host or (parts.hostname if parts.scheme == "http" else "127.0.0.1")
        self.port = parts.port if port is None and parts.scheme == "http" else (port or 0)
        self.path = parts.path or "/"
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("callback server not started")
        host, port = self._server.server_address[:2]
        host = f"[{host}]" if ":" in str(host) else host
        return f"http://{host}:{port}{self.path}"

    def start(self) -> str:
        if self._server is None:
            self._server = _Server((self.host, self.port), self.linker, self.path)
            self._thread = threading.Thread(target=self._server.serve_forever, name="spotify-callback",
                                            kwargs={"poll_interval": 0.2}, daemon=True)
            self._thread.start()
            log.info("Spotify callback server listening on %s", self.url)
        return self.url

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            server.shutdown()
            server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> "CallbackServer":
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
