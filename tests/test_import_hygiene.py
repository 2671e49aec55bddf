"""The layers import only what is below them (docs/design.md §6).

Each check runs in a fresh interpreter, so modules other tests imported do not count.
"""

import json
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from blitzgame.engine import layout as F

PREAMBLE = """\
import json, sys


def loaded(*roots):
    return sorted(m for m in sys.modules if m.split(".")[0] in roots)
"""


def _run(code: str, *args: str) -> dict:
    """Run ``code`` in a fresh interpreter (warnings are errors); it prints one JSON line."""
    source = PREAMBLE + textwrap.dedent(code)
    result = subprocess.run([sys.executable, "-W", "error", "-c", source, *args],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_engine_loads_and_resolves_a_quarter_without_textual_or_pydantic(world, tmp_path):
    """The core gets plain arrays (saved here by the session) and needs nothing above it."""
    game_arrays = tmp_path / "game.npz"
    from blitzgame.session.game import Game

    game = Game.new(world, seed=1, labs=3)
    orders = np.zeros((3, F.ORDER_FIELDS))
    orders[:, F.O_TRAIN_SPLIT] = 0.5
    orders[0, F.O_GPUS + 2] = 1000.0
    np.savez(game_arrays, labs=game.state_labs, world=game.state_world, orders=orders,
             params=world.params, hubs=world.hubs, sched=world.sched)
    found = _run('''
        import numpy as np
        import blitzgame.engine
        from blitzgame.engine import game_key, resolve_quarter, layout as F

        data = np.load(sys.argv[1])
        labs, world = data["labs"].copy(), data["world"].copy()
        resolve_quarter(labs, world, data["orders"], data["params"], data["hubs"], data["sched"],
                        game_key(1, 0))
        print(json.dumps({"quarter": float(world[F.QUARTER]), "gpus": float(labs[0, F.GPUS]),
                          "loaded": loaded("textual", "pydantic", "pydantic_core", "blitzgame")}))
    ''', str(game_arrays))
    assert found["quarter"] == 1.0
    assert found["gpus"] > game.state_labs[0, F.GPUS]  # the quarter really ran
    assert not [m for m in found["loaded"] if m.split(".")[0] in ("textual", "pydantic", "pydantic_core")]
    blitz = [m for m in found["loaded"] if m.startswith("blitzgame.")]
    assert all(m.startswith(("blitzgame.engine", "blitzgame._jit_cache")) for m in blitz), blitz


@pytest.mark.parametrize("module", [
    "blitzgame.session.game", "blitzgame.session.headless", "blitzgame.session.observe",
    "blitzgame.session.report", "blitzgame.session.world", "blitzgame.bots",
    "blitzgame.schemas.orders", "blitzgame.assets", "blitzgame.session.campaign", "blitzgame.session.series",
    "blitzgame.session.debrief", "blitzgame.encyclopedia", "blitzgame.tournament.runner",
])
def test_the_session_layer_does_not_import_textual(module):
    found = _run(f'''
        import {module}
        print(json.dumps({{"loaded": loaded("textual")}}))
    ''')
    assert found["loaded"] == [], f"{module} pulls in {found['loaded'][:5]}"


def test_a_headless_game_runs_without_textual():
    found = _run('''
        from blitzgame.session.game import Game
        from blitzgame.session.headless import bots_for, play_headless

        game = play_headless(Game.new("base-2024", seed=2, labs=3), bots_for(["baseline"], 3))
        print(json.dumps({"over": game.over, "loaded": loaded("textual")}))
    ''')
    assert found == {"over": True, "loaded": []}


def test_the_engine_does_not_load_the_parallel_kernels_until_asked():
    """Compiling a prange kernel is slow: importing the engine must not do it."""
    found = _run('''
        import blitzgame.engine
        from blitzgame.engine import resolve_games, resolve_quarter
        import blitzgame.bots.campaign

        print(json.dumps({"loaded": loaded("blitzgame")}))
    ''')
    assert "blitzgame.engine.parallel" not in found["loaded"]
    assert "blitzgame.bots.campaign_parallel" not in found["loaded"]


def test_the_command_line_builds_its_parser_without_pydantic_numba_or_textual():
    """`blitzgame` starts the game through this parser: heavy imports here would slow every
    launch before the title screen (bench: tui_ready_ratio)."""
    found = _run('''
        from blitzgame.cli import build_parser

        build_parser()
        print(json.dumps({"loaded": loaded("pydantic", "numba", "textual", "numpy", "matplotlib")}))
    ''')
    assert found["loaded"] == [], found["loaded"][:5]
