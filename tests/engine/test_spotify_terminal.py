"""Spotify from the terminal front ends, as subprocesses with SPOTIFY_* pointing at the local fake:
`moodtape chat --jsonl` (link, then export) and `moodtape spotify link|status|unlink`."""
from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading

import pytest

from tests.conftest import ROOT
from tests.spotify.harness import (approve, authorize_url, fake_redirect_uri, fake_spotify,  # noqa: F401
                                   spec_validator, spotify_env)

WAIT_S = 300      # the real model loading on two shared cores


class Proc:
    """A moodtape subprocess read line by line, with a timeout per line."""

    def __init__(self, args: list[str], env: dict[str, str]) -> None:
        self.p = subprocess.Popen([sys.executable, "-m", "bot.cli", *args], cwd=ROOT, env=env, text=True,
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.err: list[str] = []
        self.pumps = [threading.Thread(target=self._pump_stdout, daemon=True),
                      threading.Thread(target=lambda: self.err.extend(self.p.stderr), daemon=True)]
        for t in self.pumps:
            t.start()

    def _pump_stdout(self) -> None:
        for line in self.p.stdout:
            self.lines.put(line)
        self.lines.put(None)

    def readline(self, timeout: float = WAIT_S) -> str:
        line = self.lines.get(timeout=timeout)
        assert line is not None, "process ended early:\n" + "".join(self.err)[-3000:]
        return line

    def ask(self, event: dict) -> dict:
        self.p.stdin.write(json.dumps(event) + "\n")
        self.p.stdin.flush()
        return json.loads(self.readline())

    def finish(self, timeout: float = 60) -> int:
        if self.p.stdin and not self.p.stdin.closed:
            self.p.stdin.close()
        return self.p.wait(timeout=timeout)

    def kill(self) -> None:
        """Always called last: make sure the process is gone and everything it wrote is read."""
        if self.p.poll() is None:
            self.p.kill()
            self.p.wait(10)
        for t in self.pumps:
            t.join(10)


@pytest.fixture
def env(tmp_path, fake_spotify) -> dict[str, str]:
    return dict(os.environ, MOODTAPE_HOME=str(tmp_path / "home"),
                **spotify_env(fake_spotify, fake_redirect_uri(fake_spotify)))


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bot.cli", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)


def test_jsonl_links_then_exports_to_spotify(env, fake_spotify):
    proc = Proc(["--verbose", "chat", "--jsonl", "--k", "5"], env)     # --verbose: every log line we write
    try:
        assert "isn't linked" in proc.ask({"user": "u1", "spotify": "status"})["reply"]
        out = proc.ask({"user": "u1", "spotify": "link"})
        assert out["kind"] == "spotify" and "error" not in out
        page = approve(fake_spotify, authorize_url(out["reply"]))    # the callback runs in the chat process
        assert page.status == 200 and "Alice Example" in page.text
        assert "is linked" in proc.ask({"user": "u1", "spotify": "status"})["reply"]

        picks = proc.ask({"user": "u1", "text": "songs about summer love"})["picks"]
        assert len(picks) == 5
        proc.ask({"user": "u1", "playlist": {"op": "add", "all": True, "name": "summer"}})
        for p in picks[:3]:
            fake_spotify.add_track(p["title"], p["artist"])
        out = proc.ask({"user": "u1", "playlist": {"op": "export", "name": "summer", "format": "spotify"}})
        assert "error" not in out and out["files"] == [] and out["kind"] == "playlist"
        (remote,) = fake_spotify.playlists.values()
        assert f"https://open.spotify.com/playlist/{remote.id}" in out["reply"]
        assert "with 3 of 5 songs" in out["reply"] and f"{picks[3]['artist']} – {picks[3]['title']}" in out["reply"]
        again = proc.ask({"user": "u1", "text": "export summer to spotify"})
        assert "Updated" in again["reply"] and list(fake_spotify.playlists) == [remote.id]
        assert proc.finish() == 0
    finally:
        proc.kill()
    logs = "".join(proc.err)
    assert "moodtape" in logs and "Traceback" not in logs
    assert [s[:10] for s in fake_spotify.secrets_issued if s in logs] == []


def test_spotify_link_command_waits_for_the_browser_then_status_and_unlink(env, fake_spotify):
    proc = Proc(["spotify", "link", "--user", "sam"], env)
    try:
        url = authorize_url(proc.readline(60))
        assert approve(fake_spotify, url).status == 200
        assert proc.finish() == 0
    finally:
        proc.kill()
    assert "Spotify linked as Alice Example" in proc.readline(5)

    status = run(["spotify", "status", "--user", "sam", "--json"], env)
    assert status.returncode == 0 and json.loads(status.stdout) == {"user": "sam", "linked": True}
    assert run(["spotify", "status", "--user", "someone-else"], env).returncode == 1
    unlink = run(["spotify", "unlink", "--user", "sam"], env)
    assert unlink.returncode == 0 and "Unlinked" in unlink.stdout
    assert run(["spotify", "status", "--user", "sam"], env).returncode == 1


def test_spotify_link_command_is_cancelled_by_ctrl_c(env):
    proc = Proc(["spotify", "link"], env)
    try:
        authorize_url(proc.readline(60))
        proc.p.send_signal(signal.SIGINT)
        assert proc.p.wait(30) == 130
    finally:
        proc.kill()
    assert "cancelled" in "".join(proc.err) and "Traceback" not in "".join(proc.err)


def test_spotify_link_command_without_a_client_id_explains_what_to_set(tmp_path):
    env = dict(os.environ, MOODTAPE_HOME=str(tmp_path), SPOTIFY_CLIENT_ID="")
    res = run(["spotify", "link"], env)
    assert res.returncode == 2 and res.stdout == ""
    assert "SPOTIFY_CLIENT_ID" in res.stderr and "README" in res.stderr and "Traceback" not in res.stderr
