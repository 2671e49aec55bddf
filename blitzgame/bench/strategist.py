"""How long the strategist thinks (``strategist_decision_ms``, target <= 50).

The built-in strategist at its default setting in seat 0 of base-2024 (5 labs) against four
archetypes, whole games in the compiled arena, serial, on one core (``play_batch``,
``parallel=False``): 12 games (3 when quick) after one untimed game that loads the kernels.
``strategist_decision_ms`` is the wall time over the strategist's decisions (one per quarter
it was in the race; the archetypes' decisions and the quarters' resolution, a few
microseconds each, are counted in it too). ``strategist_first_decision_ms`` is its first
decision of a fresh game, the longest (every rollout plays the whole campaign), as a campaign
asks it (``CompiledBot.orders_for``, planning buffers allocated): median of 5. Checked: every
game finished, the strategist decided every quarter it was alive, and its first decision
gives orders (``checks.strategist_games_finished``).
"""

from __future__ import annotations

import statistics
import time

import numpy as np

from blitzgame.bench.harness import LABS, SCENARIO, SEED, check

TARGETS = {"strategist_decision_ms": ("<=", 50.0)}
ROWS = (
    ("strategist_decision_ms", "strategist, default setting: ms per decision, one core"),
    ("strategist_first_decision_ms", "  its first decision of a game, the longest (ms)"),
)
GAMES = {True: 3, False: 12}
RIVALS = ("platform", "pure", "integrator", "defender")


def measure(quick: bool, checks: dict) -> dict:
    """Time the strategist's decisions (see the module docstring)."""
    from blitzgame.bots.arena import ST_LAB_QUARTERS
    from blitzgame.bots.base import builtin_bot
    from blitzgame.engine import layout as F
    from blitzgame.session.game import Game
    from blitzgame.session.world import compile_world, default_setups
    from blitzgame.tournament.batch import play_batch
    from blitzgame.tournament.schedule import game_seeds

    world = compile_world(SCENARIO)
    setups = default_setups(world, LABS)
    bots = ("strategist", *RIVALS)
    games = GAMES[quick]

    def play(count: int, seed: int):
        seats = np.tile(np.arange(LABS, dtype=np.int64), (count, 1))
        return play_batch(world, setups, bots, seats, game_seeds(seed, count), parallel=False)

    play(1, SEED + 1)  # loads (or compiles) the kernels
    t0 = time.perf_counter()
    batch = play(games, SEED)
    seconds = time.perf_counter() - t0
    decisions = float(batch.stats[:, 0, ST_LAB_QUARTERS].sum())
    alive_quarters = float(((batch.labs[:, 0, F.STATUS] == F.ALIVE) * batch.played).sum())
    strategist = builtin_bot("strategist")()
    firsts, given = [], []
    for k in range(5):
        game = Game.new(world, seed=SEED + k, labs=LABS)
        t0 = time.perf_counter()
        orders = strategist.orders_for(game, 0)
        firsts.append(time.perf_counter() - t0)
        given.append(orders.model_dump() != type(orders)().model_dump())
    check(checks, "strategist_games_finished",
          bool((batch.worlds[:, F.GAME_OVER] > 0).all()) and decisions >= alive_quarters > 0 and all(given),
          "the strategist's games did not all finish, or it did not decide every quarter")
    return {"strategist_decision_ms": 1000.0 * seconds / decisions,
            "strategist_first_decision_ms": 1000.0 * statistics.median(firsts),
            "strategist_games": games, "strategist_decisions": int(decisions)}
