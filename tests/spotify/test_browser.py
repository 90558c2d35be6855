"""The whole link flow in a real headless Chromium: authorize URL -> the fake's consent page ->
click "Agree" -> Moodtape's callback page. Driven over the DevTools protocol with aiohttp (already
installed), so no chromedriver or npm package is needed. Skips when Chromium is absent
(install it with scripts/setup-test-deps.sh)."""
from __future__ import annotations

import asyncio
import itertools
import json
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from tests.spotify.conftest import USER

CHROMIUM = next((p for p in (shutil.which("chromium"), shutil.which("chromium-browser"), "/usr/bin/chromium")
                 if p and Path(p).is_file()), None)
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
         "--no-default-browser-check", "--remote-debugging-port=0"]

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed "
                                "(scripts/setup-test-deps.sh installs it)")


@pytest.fixture
def chromium(tmp_path):
    profile = tmp_path / "chromium-profile"
    proc = subprocess.Popen([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "about:blank"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        port_file = profile / "DevToolsActivePort"   # written once the DevTools server listens
        deadline = time.monotonic() + 30
        while not (port_file.is_file() and port_file.read_text().strip()):
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"chromium did not start (exit code {proc.poll()})")
            time.sleep(0.1)
        yield int(port_file.read_text().split()[0])
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


class Page:
    """The few DevTools calls the test needs."""

    def __init__(self, ws) -> None:
        self.ws = ws
        self.ids = itertools.count(1)

    async def call(self, method: str, **params):
        msg_id = next(self.ids)
        await self.ws.send_str(json.dumps({"id": msg_id, "method": method, "params": params}))
        while True:
            msg = json.loads((await self.ws.receive(timeout=20)).data)
            if msg.get("id") == msg_id:
                if "error" in msg:
                    raise AssertionError(f"{method}: {msg['error']}")
                return msg.get("result", {})

    async def js(self, expression: str):
        result = await self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        return result.get("result", {}).get("value")

    async def wait_for(self, expression: str, timeout: float = 20.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = await self.js(expression)
            if value:
                return value
            await asyncio.sleep(0.1)
        raise AssertionError(f"timed out waiting for {expression}: page is {await self.js('location.href')}")


async def _link_in_browser(port: int, authorize_url: str, callback_url: str) -> tuple[str, str]:
    import aiohttp
    async with aiohttp.ClientSession() as http:
        async with http.get(f"http://127.0.0.1:{port}/json/list") as resp:
            target = next(t for t in await resp.json() if t["type"] == "page")
        async with http.ws_connect(target["webSocketDebuggerUrl"], max_msg_size=0) as ws:
            page = Page(ws)
            await page.call("Page.navigate", url=authorize_url)
            await page.wait_for("document.getElementById('agree') !== null")     # the consent page
            await page.js("document.getElementById('agree').click()")
            await page.wait_for(f"location.href.startsWith({json.dumps(callback_url)}) && "
                                "document.readyState === 'complete' && document.querySelector('main') !== null")
            return await page.js("document.title"), await page.js("document.body.innerText")


def test_link_flow_in_headless_chromium(chromium, linker, callback, fake_spotify):
    title, text = asyncio.run(_link_in_browser(chromium, linker.begin(USER).url, callback.url))
    assert title == "Moodtape · Spotify linked"
    assert "Your Spotify account is linked to Moodtape" in text and "Alice Example" in text
    assert linker.is_linked(USER)
