"""The TUI's figures for ``blitzgame bench``: how fast the game's window opens and answers.

``measure(quick)`` returns:

``tui_ready_ratio`` (target <= 1.5)
    ``tui_ready_s`` / ``bare_textual_ready_s``. Each is the time from launching a new Python
    process to the app being ready with its first screen drawn, headless at 120x40. The
    parent reads the system-wide monotonic clock (``time.perf_counter``, CLOCK_MONOTONIC on
    Linux, the same clock in every process) just before it starts the child; the child reads
    it when Textual's ``Ready`` event has arrived (the DOM is ready and the first frame is
    on screen) and, for the game, the title screen is the screen drawn; it writes the time
    and exits. The game's child imports ``blitzgame.cli`` and the real ``BlitzApp`` as
    ``blitzgame play`` does and runs it as ``play`` builds it (a subclass adds the clock and
    nothing else), so every import and the engine warm-up's start count. The bare app is
    Textual's ``App`` with a ``Header`` and a ``Footer`` (both are ``child.py``'s ``tui-game``
    and ``tui-bare``). The two are launched in turn (bare, game, bare, game, ...), after one
    untimed launch of each (so bytecode and the page cache are warm for both), and the
    medians are compared.

``quarter_to_report_ms`` (target <= 100)
    In this process, ``BlitzApp.run_test`` at 120x40 with a fixed-seed campaign: the time
    from confirming "end the quarter" (the key press) to the quarter report screen being
    drawn (the first frame the app composes with the report on top). It includes the bots'
    decisions, the compiled quarter, the autosave and building the report. The report screen
    is built at the campaign's first report and filled in again after (``BlitzApp._report_screen``),
    so the first quarter, left out as a warm-up, builds it. Median over the quarters after it.
    Each timed quarter must have advanced the game by one quarter and left the report as the
    active screen.
"""

from __future__ import annotations

import math
import os
import statistics
import subprocess
import sys
import tempfile
import time

from blitzgame.bench.child import READY_MARK
from blitzgame.bench.harness import child_argv, child_env

TARGETS = {
    "tui_ready_ratio": ("<=", 1.5),
    "quarter_to_report_ms": ("<=", 100.0),
    "orders_open_ms": ("<=", 100.0),
}
ROWS = (
    ("tui_ready_ratio", "game ready / bare Textual ready (launch to first screen)"),
    ("tui_ready_s", "  game: launch to interactive title screen (s)"),
    ("bare_textual_ready_s", "  bare Textual app, Header + Footer (s)"),
    ("quarter_to_report_ms", "end quarter -> report drawn (ms)"),
    ("orders_open_ms", "o at HQ -> orders form drawn, focused (ms, built once)"),
    ("orders_first_open_ms", "  its first opening, built while HQ is read (ms)"),
)
SIZE = (120, 40)
READY_RUNS = {True: 2, False: 7}  # launches of each app, quick / full
REPORT_QUARTERS = {True: 3, False: 8}  # timed quarters, after one warm-up quarter
CHILD_TIMEOUT_S = 300  # a first launch may compile the engine's kernels
SEED = 20240101
READ_HQ = 1.0  # seconds a player spends on HQ before pressing o for the first time


class TuiBenchError(RuntimeError):
    """The TUI benchmark's work did not happen as it should; its numbers would mean nothing."""


# --- launch to ready ------------------------------------------------------------------------
def _launch_to_ready(argv: list[str], env: dict, what: str) -> tuple[float, str]:
    """Seconds from starting ``python *argv`` to the moment it says it is ready, and the name
    of the screen it had on top."""
    command = [sys.executable, *argv]
    start = time.perf_counter()
    proc = subprocess.run(command, check=False, capture_output=True, text=True, env=env,
                          stdin=subprocess.DEVNULL, timeout=CHILD_TIMEOUT_S)
    if proc.returncode != 0:
        raise TuiBenchError(f"{what}: the child process failed:\n{proc.stderr.strip()[-2000:]}")
    marks = [line.split() for line in proc.stdout.splitlines() if line.startswith(READY_MARK)]
    if len(marks) != 1:
        raise TuiBenchError(f"{what}: the child did not report ready once:\n{proc.stdout[-2000:]}{proc.stderr[-2000:]}")
    _, ready_at, screen = marks[0]
    seconds = float(ready_at) - start
    if not math.isfinite(seconds) or seconds <= 0.0:
        raise TuiBenchError(f"{what}: ready {seconds} s after launch")
    return seconds, screen


def _child_env(saves: str) -> dict:
    env = child_env(disable_jit=False)
    env["BLITZGAME_SAVES"] = saves  # the title screen lists saves: an empty folder, the same every run
    for name in ("TEXTUAL", "TEXTUAL_DEVTOOLS_PORT"):  # no devtools connection in the measurement
        env.pop(name, None)
    return env


def ready_times(runs: int) -> dict:
    """Launch the bare app and the game in turn, ``runs`` times each (after one untimed
    launch of each), and compare the medians."""
    bare, game = [], []
    with tempfile.TemporaryDirectory(prefix="blitzgame-bench-tui-") as saves:
        env = _child_env(saves)
        for run in range(runs + 1):
            b, _ = _launch_to_ready(child_argv("tui-bare", *SIZE), env, "bare Textual app")
            g, screen = _launch_to_ready(child_argv("tui-game", *SIZE), env, "blitzgame's title screen")
            if screen != "TitleScreen":
                raise TuiBenchError(f"the game reported ready with {screen} on top, not the title screen")
            if run:  # the first launch of each warms bytecode and the page cache
                bare.append(b)
                game.append(g)
    tui, plain = statistics.median(game), statistics.median(bare)
    return {
        "tui_ready_ratio": tui / plain,
        "tui_ready_s": tui,
        "bare_textual_ready_s": plain,
        "tui_ready_runs": runs,
        "tui_ready_method": (
            f"new Python process to Textual's Ready event with the first screen drawn, headless "
            f"{SIZE[0]}x{SIZE[1]}, timed on the system-wide monotonic clock from just before the "
            f"launch; the game (blitzgame.cli and the real BlitzApp imported as `blitzgame play` "
            f"does, the title screen on top) and a bare Textual App with Header and Footer "
            f"launched in turn, {runs} times each after one untimed launch of each; medians"),
    }


# --- end quarter to report ------------------------------------------------------------------
async def _time_quarters(quarters: int) -> tuple[list[float], list[float]]:
    """Play ``quarters`` + 1 quarters through the app's keys; the seconds from confirming each
    to its report's first frame (the first quarter is the warm-up, left out), and from pressing
    ``o`` at HQ to the orders form's first frame, once a quarter (the first opening first)."""
    import asyncio
    import inspect

    from blitzgame.session.campaign import Campaign, Human
    from blitzgame.tui.app import BlitzApp
    from blitzgame.tui.screens.confirm import ConfirmScreen
    from blitzgame.tui.screens.hq import HQScreen
    from blitzgame.tui.screens.orders import OrdersScreen
    from blitzgame.tui.screens.report import ReportScreen

    drawn: list[float] = []
    timed = [ReportScreen]  # the screen whose first frame is awaited

    class Timed(BlitzApp):
        _BASE_PATH = inspect.getfile(BlitzApp)  # BlitzApp's CSS_PATH is relative to its own module

        def _display(self, screen, renderable) -> None:
            super()._display(screen, renderable)
            if renderable is not None and isinstance(screen, timed[0]) and screen is self.screen and not drawn:
                drawn.append(time.perf_counter())

    async def first_frame(start: float, what: str) -> float:
        deadline = start + 30.0
        while not drawn and time.perf_counter() < deadline:
            await asyncio.sleep(0)
        if not drawn or not isinstance(app.screen, timed[0]):
            raise TuiBenchError(f"{what}: nothing drawn; {type(app.screen).__name__} is on top")
        return drawn[0] - start

    async def open_orders() -> float:
        if not isinstance(app.screen, HQScreen):
            raise TuiBenchError(f"orders: {type(app.screen).__name__} is on top, not HQ")
        timed[0] = OrdersScreen
        drawn.clear()
        start = time.perf_counter()
        await pilot.press("o")
        seconds = await first_frame(start, "orders")
        form = app.screen
        if form.observation.label != campaign.game.label or app.focused is not form.fields[0].input:
            raise TuiBenchError(f"orders: the form shows {form.observation.label}, focus on {app.focused!r}")
        await pilot.press("escape")
        await pilot.pause()
        timed[0] = ReportScreen
        return seconds

    campaign = Campaign.new([Human("Bench Labs")], seed=SEED, rivals=4)
    app = Timed(campaign, warm=False)  # warmed by the caller
    times, opens = [], []
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(READ_HQ)  # a player reads HQ before the first orders: the form is built meanwhile
        for played in range(quarters + 1):
            opens.append(await open_orders())
            before = campaign.game.quarter
            if campaign.game.over or not campaign.alive_humans():
                raise TuiBenchError(f"end quarter: the campaign ended after {before} quarters")
            await pilot.press("e")
            await pilot.pause()
            if not isinstance(app.screen, ConfirmScreen):
                raise TuiBenchError(f"end quarter: e showed {type(app.screen).__name__}, not the confirmation")
            drawn.clear()
            start = time.perf_counter()
            await pilot.press("y")
            seconds = await first_frame(start, "end quarter")
            if campaign.game.quarter != before + 1:
                raise TuiBenchError(f"end quarter: the game went from quarter {before} to {campaign.game.quarter}")
            if played:
                times.append(seconds)
            await pilot.press("escape")  # back to HQ for the next quarter
            await pilot.pause()
    return times, opens


def quarter_to_report(quarters: int) -> dict:
    """End a quarter with the keys and time it to the report on screen; median of ``quarters``."""
    import asyncio

    from blitzgame.session.campaign import SAVES_ENV, warm_up

    warm_up()  # the compiled core is loaded, as it is once the title screen says "engine ready"
    before = os.environ.get(SAVES_ENV)
    with tempfile.TemporaryDirectory(prefix="blitzgame-bench-tui-saves-") as saves:
        os.environ[SAVES_ENV] = saves  # every quarter autosaves: not into the player's folder
        try:
            times, opens = asyncio.run(_time_quarters(quarters))
        finally:
            if before is None:
                os.environ.pop(SAVES_ENV, None)
            else:
                os.environ[SAVES_ENV] = before
    return {
        "quarter_to_report_ms": statistics.median(times) * 1000.0,
        "quarter_to_report_quarters": len(times),
        "quarter_to_report_method": (
            f"BlitzApp.run_test at {SIZE[0]}x{SIZE[1]}, a {SEED}-seed base-2024 campaign, 1 human and 4 bots, "
            f"the engine warmed first: from pressing y on the end-quarter confirmation to the first frame "
            f"composed with the report on top (bots' decisions, the quarter, the autosave and the report "
            f"included; the report screen is built at the first report and filled in again after); "
            f"median of {len(times)} quarters after one untimed quarter, each checked to have "
            f"advanced the game one quarter and left the report on top"),
        "orders_open_ms": statistics.median(opens[1:]) * 1000.0,
        "orders_first_open_ms": opens[0] * 1000.0,
        "orders_open_method": (
            f"the same app, once a quarter before ending it: from pressing o at HQ to the first frame with "
            f"the orders form on top, checked to show that quarter with its first field focused; the form "
            f"is built off screen while the player reads HQ ({READ_HQ:g} s before the first o; "
            f"orders_first_open_ms) and filled in again after that; "
            f"median of the {len(opens) - 1} openings after the first"),
    }


def measure(quick: bool) -> dict:
    """Both TUI figures (see the module's docstring); raises ``TuiBenchError`` if the work failed."""
    results = ready_times(READY_RUNS[quick]) | quarter_to_report(REPORT_QUARTERS[quick])
    for name, value in results.items():
        if isinstance(value, float) and not (math.isfinite(value) and value > 0.0):
            raise TuiBenchError(f"{name} = {value}: every measured figure must be finite and positive")
    return results
