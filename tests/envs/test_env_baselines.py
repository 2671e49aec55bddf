"""What an agent has to beat in the learning environments' own seat (the README's "What to beat").

The agent plays a startup in seat 0 against the default rivals in the roster's seats; the
archetypes are played in that same seat, on the same seeds, for the figures the README gives.
"""

import numpy as np
import pytest

from blitzgame.engine import layout as F
from blitzgame.envs.batched import BatchedEnv
from blitzgame.envs.common import single_agent_table
from blitzgame.limits import MAX_LABS
from blitzgame.session.world import LabSetup, default_setups
from blitzgame.tournament.batch import play_batch

GAMES = 400


def _env_rank(action_of) -> float:
    env = BatchedEnv(num_games=GAMES, seed=1)
    env.reset(seed=1)
    done, rank = np.zeros(GAMES, dtype=bool), np.zeros(GAMES)
    while not done.all():
        _, _, ended, _, info = env.step(action_of(env))
        new = ended & ~done
        rank[new] = info["final_info"]["rank"][new]
        done |= ended
    return float(rank.mean())


@pytest.mark.slow
def test_doing_nothing_in_the_agents_seat_places_behind_the_median_archetype_played_there():
    table = single_agent_table()
    roster = [s for s in default_setups(table.world, MAX_LABS + 1) if s.name != "Agent"]
    setups = [LabSetup("Agent", "startup", "virginia")] + roster[:len(table.bots)]
    seeds = np.arange(1, GAMES + 1, dtype=np.uint64)  # as the env plays game g: seed 1 + g
    seats = np.tile(np.arange(len(setups)), (GAMES, 1))
    archetypes = {name: float(play_batch(table.world, setups, (name, *table.bots), seats, seeds).labs[:, 0, F.RANK].mean())
                  for name in ("sprinter", "platform", "integrator", "pure", "defender", "efficient")}
    median = float(np.median(list(archetypes.values())))
    nothing = _env_rank(lambda env: env.no_op_action())
    zeros = _env_rank(lambda env: np.zeros((GAMES, len(env.action_names))))
    assert median + 0.3 < zeros < nothing, (median, zeros, nothing, archetypes)
    assert archetypes["integrator"] > nothing  # the README says so: no startup's plan
    assert min(archetypes.values()) < median - 0.3  # the best of them, well clear
