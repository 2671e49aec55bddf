"""A shared class in real browsers: ``blitzgame class serve`` on a shared class, two teams join
their pages with their join codes in headless Chromium, both send their orders, and both pages
show the same resolved quarter. Chromium as in test_serve_browser.py."""

from __future__ import annotations

import ipaddress
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

from blitzgame.classroom.shared import SharedClass, new_shared_class
from blitzgame.web import lan_address, public_url

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT_S = 60.0


@pytest.mark.slow
async def test_two_teams_join_in_browsers_and_see_the_same_quarter(tmp_path: Path):
    address = lan_address()
    if ipaddress.ip_address(address).is_loopback:
        pytest.skip("this machine has no network address but the loopback")
    folder = tmp_path / "room"
    manifest = new_shared_class(folder, team_names=["Red", "Blue"], scenario="base-2024", seed=3,
                                rivals=["defender"], quarters=4)
    port = free_port()  # Red's page; Blue's is the next port
    log = tmp_path / "class-serve.log"
    with log.open("wb") as out:
        server = start([sys.executable, "-m", "blitzgame", "class", "serve", str(folder), "--host", "0.0.0.0",
                        "--port", str(port)], cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    try:
        for k in range(2):
            await wait_until(lambda k=k: port_open(port + k), "class serve", START_TIMEOUT_S, server, log_of(log))
        printed = log_of(log)()
        assert "Each team's page asks for its join code" in printed
        assert f"{public_url('0.0.0.0', port)}   join code {manifest.teams[0].code}" in printed
        (tmp_path / "red").mkdir()
        (tmp_path / "blue").mkdir()
        async with chromium_page(tmp_path / "red") as red, chromium_page(tmp_path / "blue") as blue:
            pages = {"Red": (red, port, manifest.teams[0].code), "Blue": (blue, port + 1, manifest.teams[1].code)}
            for page, team_port, _ in pages.values():
                await page.call("Page.addScriptToEvaluateOnNewDocument", source=KEEP_TERMINAL)
                await page.call("Page.navigate", url=f"{public_url('0.0.0.0', team_port)}/")

            def shows(page, *words):
                async def check():
                    text = "\n".join((await page.evaluate(READ_TERMINAL)) or [])
                    return text if all(word in text for word in words) else None
                return check

            async def keys(page, text):
                await page.evaluate("window.__blitzTerminal.focus()")
                await page.type(text)

            for team, (page, _, code) in pages.items():
                await wait_until(shows(page, f"Join {team}"), f"{team}'s join screen", START_TIMEOUT_S, server,
                                 log_of(log))
                await keys(page, "not-the-code\r")
                await wait_until(shows(page, f"That is not {team}'s join code"), "the wrong code refused", 20,
                                 server, log_of(log))
                await keys(page, code + "\r")
                await wait_until(shows(page, "Your orders are not in yet"), f"{team}'s HQ", 30, server, log_of(log))
            with SharedClass(folder) as shared:
                assert set(shared.state().playing) == {"Red", "Blue"}
            await keys(red, "e")
            await wait_until(shows(red, "Send your orders for 2024Q1?"), "Red's confirmation", 20, server, log_of(log))
            await keys(red, "y")
            await wait_until(shows(red, "Your orders are in", "waiting for Blue"), "Red's orders in", 20, server,
                             log_of(log))
            await keys(blue, "e")
            await wait_until(shows(blue, "Send your orders for 2024Q1?"), "Blue's confirmation", 20, server,
                             log_of(log))
            await keys(blue, "y")
            for team, (page, _, _) in pages.items():  # the quarter resolved in Blue's process: both see it
                await wait_until(shows(page, "Quarter report", f"2024Q1 for {team}"), f"{team}'s report", 20,
                                 server, log_of(log))
        with SharedClass(folder) as shared:
            assert shared.game.quarter == 1 and shared.sources(0) == ["team", "team", "bot"]
    finally:
        stop(server)
