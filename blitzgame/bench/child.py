"""The benchmark's child processes: ``python -m blitzgame.bench.child <what> <args>``.

Each is timed from the parent, most from the moment it is spawned, so this module imports
only the standard library at top level (and the package's ``__init__`` imports nothing):
every child imports what it measures itself, inside its timed region. Each prints one JSON
line (the TUI children a ``READY_MARK`` line) and exits non-zero if its work failed.

- ``warm-start STATE``: import the engine, load the start state the parent saved, resolve the
  first quarter (``warm_start_first_quarter_s``).
- ``new-game SCENARIO SEED LABS``: ``Game.new`` and its first quarter through the session
  (``new_game_first_quarter_s``).
- ``numba-floor FOLDER``: import numba and call the trivial cached kernel the parent wrote to
  ``FOLDER`` (``warm_start_numba_floor_s``).
- ``interpreted FOLDER``: under ``NUMBA_DISABLE_JIT=1``, time the mid-game quarter in plain
  Python and count its flops (``compiled_vs_interpreted``, ``flops_per_lab_quarter``).
- ``tui-bare WIDTH HEIGHT`` and ``tui-game WIDTH HEIGHT``: a bare Textual app and the game to
  their first screen drawn (``tui_ready_ratio``).
"""

import os
import sys
import time

READY_MARK = "BLITZGAME-READY"


def warm_start(state: str) -> None:
    """Import the engine, load the saved start state and resolve its first quarter."""
    t0 = time.monotonic()
    import numpy as np

    import blitzgame.engine.turn as turn

    t1 = time.monotonic()
    from blitzgame.engine import layout as F

    saved = dict(np.load(state, allow_pickle=False))
    lab, w = saved["lab"], saved["world"]
    t2 = time.monotonic()
    turn.resolve_quarter(lab, w, saved["orders"], saved["params"], saved["hubs"], saved["sched"], int(saved["key"]))
    t3 = time.monotonic()
    if not (w[F.QUARTER] == 1.0 and np.isfinite(lab).all() and np.isfinite(w).all()):
        raise SystemExit("warm start: the first quarter did not resolve to a finite state")
    import json

    misses = sum(turn.resolve_quarter.stats.cache_misses.values())
    print(json.dumps({"start": t0, "import_turn_s": t1 - t0, "load_state_s": t2 - t1, "first_quarter_s": t3 - t2,
                      "done": t3, "quarter": float(w[F.QUARTER]), "cache_misses": misses}), flush=True)


def new_game(scenario: str, seed: str, labs: str) -> None:
    """A new game through the session (assets, pydantic) and its first quarter."""
    t0 = time.monotonic()
    from blitzgame.session.game import Game

    t1 = time.monotonic()
    game = Game.new(scenario, seed=int(seed), labs=int(labs))
    t2 = time.monotonic()
    game.advance()
    t3 = time.monotonic()
    if game.quarter != 1:
        raise SystemExit(f"new game: advance played to quarter {game.quarter}, not 1")
    import json

    from blitzgame.engine.turn import resolve_quarter

    print(json.dumps({"start": t0, "import_s": t1 - t0, "build_s": t2 - t1, "first_quarter_s": t3 - t2,
                      "done": t3, "quarter": float(game.quarter),
                      "cache_misses": sum(resolve_quarter.stats.cache_misses.values())}), flush=True)


def numba_floor(folder: str) -> None:
    """Import numba and call one trivial cached kernel, outside the engine (in ``folder``)."""
    t0 = time.monotonic()
    sys.path.insert(0, folder)
    import trivial_kernel

    trivial_kernel.add_one(1.0)
    print(f'{{"start": {t0!r}, "done": {time.monotonic()!r}}}', flush=True)


def interpreted(folder: str) -> None:
    """With ``NUMBA_DISABLE_JIT=1`` every kernel (engine, policy, floor) is plain Python: time
    the mid-game quarter from ``folder/in.npz`` (its end state to ``out.npz``), then count flops."""
    import json
    from pathlib import Path

    import numpy as np
    from numba.core import config

    if not config.DISABLE_JIT:
        raise SystemExit("the interpreted child must run with NUMBA_DISABLE_JIT=1")
    from blitzgame.bench.flops import count
    from blitzgame.bench.harness import median
    from blitzgame.engine.turn import resolve_quarter

    d = dict(np.load(Path(folder) / "in.npz"))
    params, hubs, sched = d["params"], d["hubs"], d["sched"]
    key = int(d["key"])
    reps = int(d["reps"])
    lab, w = d["lab_mid"].copy(), d["world_mid"].copy()
    times = []
    for _ in range(reps):
        np.copyto(lab, d["lab_mid"])
        np.copyto(w, d["world_mid"])
        t0 = time.perf_counter_ns()
        resolve_quarter(lab, w, d["orders_mid"], params, hubs, sched, key)
        times.append(time.perf_counter_ns() - t0)
    np.savez(Path(folder) / "out.npz", lab=lab, world=w)
    print(json.dumps({"interpreted_us": median(times) / 1e3, "interpreted_reps": reps, **count(d)}))


class ReadyClock:
    """Mixin for a Textual app: once it is Ready and ``first_screen_drawn`` holds, write the
    clock to the real stdout (Textual may capture ``sys.stdout``) and exit."""

    _clock_ready = False  # (App has a _ready method of its own)
    _clock_reported = False

    def first_screen_drawn(self, screen) -> bool:
        return True

    def on_ready(self) -> None:
        self._clock_ready = True
        if self.first_screen_drawn(self.screen):
            self._clock_report()

    def _display(self, screen, renderable) -> None:
        super()._display(screen, renderable)
        if renderable is not None and self._clock_ready and self.first_screen_drawn(screen):
            self._clock_report()

    def _clock_report(self) -> None:
        if not self._clock_reported:
            self._clock_reported = True
            os.write(1, f"{READY_MARK} {time.perf_counter()!r} {type(self.screen).__name__}\n".encode())
            self.exit()


def tui_bare(width: str, height: str) -> None:
    """Textual's ``App`` with a ``Header`` and a ``Footer``, headless, to its first screen."""
    from textual.app import App
    from textual.widgets import Footer, Header

    class Bare(ReadyClock, App):
        def compose(self):
            yield Header()
            yield Footer()

    app = Bare()
    app.run(headless=True, size=(int(width), int(height)))
    raise SystemExit(app.return_code or 0)


def tui_game(width: str, height: str) -> None:
    """``blitzgame play`` as the CLI runs it, headless, to its title screen drawn."""
    import inspect

    import blitzgame.cli
    import blitzgame.tui.app
    from blitzgame.tui.screens.title import TitleScreen

    size = (int(width), int(height))

    class Timed(ReadyClock, blitzgame.tui.app.BlitzApp):
        _BASE_PATH = inspect.getfile(blitzgame.tui.app.BlitzApp)  # its CSS_PATH is relative to its own module

        def first_screen_drawn(self, screen) -> bool:
            return isinstance(screen, TitleScreen) and screen is self.screen

        def run(self, **options):
            return super().run(**(options | {"headless": True, "size": size}))

    blitzgame.tui.app.BlitzApp = Timed  # `blitzgame play` imports it when it runs
    blitzgame.cli.in_terminal = lambda: True  # (it runs headless: no terminal for `play` to refuse)
    raise SystemExit(blitzgame.cli.main(["play"]))


CHILDREN = {
    "warm-start": warm_start,
    "new-game": new_game,
    "numba-floor": numba_floor,
    "interpreted": interpreted,
    "tui-bare": tui_bare,
    "tui-game": tui_game,
}


def main(argv: list[str]) -> None:
    if not argv or argv[0] not in CHILDREN:
        raise SystemExit(f"usage: python -m blitzgame.bench.child {{{','.join(CHILDREN)}}} ARGS...")
    CHILDREN[argv[0]](*argv[1:])


if __name__ == "__main__":
    main(sys.argv[1:])
