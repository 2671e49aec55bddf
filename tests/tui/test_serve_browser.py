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

import base64
import ipaddress
import os
import subprocess
import sys
from pathlib import Path

import pytest
from browser_tools import (
    KEEP_TERMINAL,
    READ_TERMINAL,
    chromium_page,
    free_port,
    log_of,
    port_open,
    start,
    stop,
    wait_until,
)

from blitzgame.tui.screens.title import LOGO
from blitzgame.web import lan_address, public_url

ROOT = Path(__file__).resolve().parents[2]
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
START_TIMEOUT_S = 60.0  # the first start may load (or compile) the numba kernels
# the title screen's logo (it spells BLITZGAME in block letters) and its menu
TITLE_WORDS = (*LOGO.splitlines(), "New game", "Load a save")

@pytest.fixture
def served_game(tmp_path: Path):
    """``blitzgame serve --host 0.0.0.0`` (as in a lab room) on a free port, saves in a temporary
    folder; yields (process, port, log)."""
    port = free_port()
    log = tmp_path / "serve.log"
    env = {**os.environ, "BLITZGAME_SAVES": str(tmp_path / "saves")}
    with log.open("wb") as out:
        server = start([sys.executable, "-m", "blitzgame", "serve", "--host", "0.0.0.0", "--port", str(port)],
                       cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    try:
        yield server, port, log
    finally:
        stop(server)


@pytest.mark.slow
async def test_blitzgame_serve_draws_the_title_screen_in_chromium(served_game, tmp_path: Path):
    """Opened as another machine in the room would: at the LAN address ``serve`` prints, not the
    loopback (the page's script and websocket come from that address too)."""
    server, port, server_log = served_game
    await wait_until(lambda: port_open(port), "blitzgame serve", START_TIMEOUT_S, server, log_of(server_log))
    address = lan_address()
    if ipaddress.ip_address(address).is_loopback:
        pytest.skip("this machine has no network address but the loopback")
    url = public_url("0.0.0.0", port)  # the LAN address, as another machine would open it
    assert f"Serving Blitzgame at {url} (listening on every interface)" in log_of(server_log)()

    async with chromium_page(tmp_path) as devtools:
        await devtools.call("Page.addScriptToEvaluateOnNewDocument", source=KEEP_TERMINAL)
        await devtools.call("Page.navigate", url=f"{url}/")

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
