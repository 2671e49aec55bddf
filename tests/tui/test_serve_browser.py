"""``blitzgame serve`` in a real browser: headless Chromium loads the page and the title screen is drawn.

Chromium is Debian's ``chromium`` package (``.ci/run`` installs it). The test drives it over
the DevTools protocol with aiohttp's websocket client (aiohttp comes with textual-serve).
textual-serve draws the terminal with xterm.js on a canvas, so the text is read from xterm's
buffer: a script run before the page's own (``Page.addScriptToEvaluateOnNewDocument``) keeps
a reference to the page's ``Terminal`` when textual-serve creates it.

Without Chromium the test is skipped on a workstation, but fails under CI (``CI`` set, as CI
services do): it must not be skipped there without anyone noticing.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import itertools
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import aiohttp
import pytest

from blitzgame.tui.screens.title import LOGO

ROOT = Path(__file__).resolve().parents[2]
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
START_TIMEOUT_S = 60.0  # the first start may load (or compile) the numba kernels
# the title screen's logo (it spells BLITZGAME in block letters) and its menu
TITLE_WORDS = (*LOGO.splitlines(), "New game", "Load a save")

# textual-serve's terminal is a local of its page script; catch it as it is assigned to
# `this.terminal` on the object that also holds the websocket URL (textual-serve's session).
KEEP_TERMINAL = """
Object.defineProperty(Object.prototype, "terminal", {
  configurable: true,
  get() { return undefined; },
  set(value) {
    Object.defineProperty(this, "terminal", {value, writable: true, configurable: true, enumerable: true});
    if ("websocket_url" in this) { window.__blitzTerminal = value; }
  },
});
"""
# The visible rows of xterm's buffer as text, or null before the terminal exists.
READ_TERMINAL = """
(() => {
  const term = window.__blitzTerminal;
  if (!term) { return null; }
  const buffer = term.buffer.active;
  const rows = [];
  for (let y = 0; y < term.rows; y++) {
    const line = buffer.getLine(buffer.viewportY + y);
    rows.push(line ? line.translateToString(true) : "");
  }
  return rows;
})()
"""


def chromium_or_skip() -> str:
    """Chromium's path; without it skip, except under CI where it must be there."""
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None and os.path.exists("/usr/bin/chromium"):
        path = "/usr/bin/chromium"
    if path is None:
        if os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no"):
            pytest.fail("chromium is not installed; .ci/run installs Debian's chromium package")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    return path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(argv: list[str], **kwargs) -> subprocess.Popen:
    """A process in a session of its own, so everything it starts can be stopped with it."""
    return subprocess.Popen(argv, start_new_session=True, **kwargs)


def stop(process: subprocess.Popen) -> None:
    """Stop a process started by `start` and whatever it started (its process group)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)
    with contextlib.suppress(ProcessLookupError):  # children that outlived their parent
        os.killpg(process.pid, signal.SIGKILL)


async def wait_until(ready, what: str, timeout: float, alive: subprocess.Popen, detail):
    """Poll the async `ready()` until it returns something truthy; fail (with `detail()`, e.g.
    the process's output) if the process `alive` ends first or after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if alive.poll() is not None:
            pytest.fail(f"{what}: the process ended with status {alive.returncode}\n{detail()}")
        result = await ready()
        if result:
            return result
        await asyncio.sleep(0.1)
    pytest.fail(f"{what}: not ready after {timeout:.0f} s\n{detail()}")


def log_of(path: Path):
    """A `detail` for `wait_until`: the log file's text."""
    return lambda: path.read_text(errors="replace") if path.exists() else ""


async def port_open(port: int) -> bool:
    try:
        _, writer = await asyncio.open_connection("127.0.0.1", port)
    except OSError:
        return False
    writer.close()
    await writer.wait_closed()
    return True


class DevTools:
    """The smallest DevTools protocol client: one page, one command at a time."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse):
        self.ws = ws
        self.ids = itertools.count(1)

    async def call(self, method: str, **params) -> dict:
        """Send a command and return its result; events that arrive meanwhile are dropped."""
        command_id = next(self.ids)
        await self.ws.send_json({"id": command_id, "method": method, "params": params})
        while True:
            message = await asyncio.wait_for(self.ws.receive_json(), timeout=30)
            if message.get("id") == command_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message["result"]

    async def evaluate(self, expression: str):
        result = await self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"page script failed: {result['exceptionDetails']}")
        return result["result"].get("value")


@pytest.fixture
def served_game(tmp_path: Path):
    """``blitzgame serve`` on a free port (saves in a temporary folder); yields (process, port, log)."""
    port = free_port()
    log = tmp_path / "serve.log"
    env = {**os.environ, "BLITZGAME_SAVES": str(tmp_path / "saves")}
    with log.open("wb") as out:
        server = start([sys.executable, "-m", "blitzgame", "serve", "--port", str(port)],
                       cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    try:
        yield server, port, log
    finally:
        stop(server)


@pytest.fixture
def chromium(tmp_path: Path):
    """Headless Chromium with a throwaway profile; yields (process, DevTools port, log)."""
    path = chromium_or_skip()
    profile = tmp_path / "chromium-profile"
    log = tmp_path / "chromium.log"
    argv = [path, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            f"--user-data-dir={profile}", "--remote-debugging-port=0",  # Chromium picks a port: no race
            "--window-size=1280,900", "about:blank"]
    with log.open("wb") as out:
        browser = start(argv, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    try:
        yield browser, profile / "DevToolsActivePort", log
    finally:
        stop(browser)


@pytest.mark.slow
async def test_blitzgame_serve_draws_the_title_screen_in_chromium(served_game, chromium, tmp_path: Path):
    server, port, server_log = served_game
    browser, active_port_file, browser_log = chromium

    async def devtools_port():
        text = active_port_file.read_text() if active_port_file.exists() else ""
        return int(text.split()[0]) if text.strip() else None

    debug_port = await wait_until(devtools_port, "chromium's DevTools", 30, browser, log_of(browser_log))
    await wait_until(lambda: port_open(port), "blitzgame serve", START_TIMEOUT_S, server, log_of(server_log))

    async with aiohttp.ClientSession() as http:
        async with http.get(f"http://127.0.0.1:{debug_port}/json/list") as response:
            targets = await response.json()
        page = next(target for target in targets if target["type"] == "page")
        async with http.ws_connect(page["webSocketDebuggerUrl"], max_msg_size=0) as ws:
            devtools = DevTools(ws)
            await devtools.call("Page.enable")
            await devtools.call("Page.addScriptToEvaluateOnNewDocument", source=KEEP_TERMINAL)
            await devtools.call("Page.navigate", url=f"http://127.0.0.1:{port}/")

            seen = [""]  # the terminal's text at the last look, for the failure message

            async def title_drawn():
                seen[0] = "\n".join((await devtools.evaluate(READ_TERMINAL)) or [])
                return seen[0] if all(word in seen[0] for word in TITLE_WORDS) else None

            def what_the_page_shows() -> str:
                return f"the terminal shows:\n{seen[0]}\n--- blitzgame serve's output:\n{log_of(server_log)()}"

            screen = await wait_until(title_drawn, "the title screen in the browser", START_TIMEOUT_S, server,
                                      what_the_page_shows)
            shot = await devtools.call("Page.captureScreenshot", format="png")

    for word in TITLE_WORDS:
        assert word in screen
    png = base64.b64decode(shot["data"])
    (tmp_path / "title.png").write_bytes(png)
    assert png.startswith(PNG_MAGIC) and len(png) > 1000
