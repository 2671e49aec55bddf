"""Headless Chromium for the tests that look at a page: ``blitzgame serve``'s terminal
(tests/tui/test_serve_browser.py) and the class report's charts (tests/classroom).

Chromium is Debian's ``chromium`` package (``.ci/run`` installs it), driven over the
DevTools protocol with aiohttp's websocket client (aiohttp comes with textual-serve).
Without Chromium a test is skipped on a workstation, but fails under CI (``CI`` set, as CI
services do): it must not be skipped there without anyone noticing.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import pytest


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


class DevTools:
    """The smallest DevTools protocol client: one page, one command at a time."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse, browser: subprocess.Popen, log: Path):
        self.ws = ws
        self.browser = browser  # for `wait_until`: the page is gone if Chromium is
        self.log = log
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

    async def type(self, text: str) -> None:
        """Type ``text`` into the page's focused element, a key at a time (a carriage return is Enter)."""
        for char in text:
            if char == "\r":
                for kind in ("keyDown", "keyUp"):
                    await self.call("Input.dispatchKeyEvent", type=kind, key="Enter", code="Enter",
                                    windowsVirtualKeyCode=13, nativeVirtualKeyCode=13,
                                    **({"text": "\r"} if kind == "keyDown" else {}))
            else:
                await self.call("Input.insertText", text=char)


@contextlib.asynccontextmanager
async def chromium_page(tmp_path: Path, size: str = "1280,900") -> AsyncIterator[DevTools]:
    """Headless Chromium with a throwaway profile in ``tmp_path``; yields its blank page's
    DevTools (Page events enabled) and stops Chromium afterwards."""
    path = chromium_or_skip()
    profile = tmp_path / "chromium-profile"
    log = tmp_path / "chromium.log"
    argv = [path, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            f"--user-data-dir={profile}", "--remote-debugging-port=0",  # Chromium picks a port: no race
            f"--window-size={size}", "about:blank"]
    with log.open("wb") as out:
        browser = start(argv, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    try:
        active = profile / "DevToolsActivePort"

        async def devtools_port():
            text = active.read_text() if active.exists() else ""
            return int(text.split()[0]) if text.strip() else None

        debug_port = await wait_until(devtools_port, "chromium's DevTools", 60, browser, log_of(log))
        async with aiohttp.ClientSession() as http:
            async with http.get(f"http://127.0.0.1:{debug_port}/json/list") as response:
                targets = await response.json()
            page = next(target for target in targets if target["type"] == "page")
            async with http.ws_connect(page["webSocketDebuggerUrl"], max_msg_size=0) as ws:
                devtools = DevTools(ws, browser, log)
                await devtools.call("Page.enable")
                yield devtools
    finally:
        stop(browser)
