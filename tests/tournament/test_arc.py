"""The campaign plays out its arc (boom, strain, the music stopping, an endgame) in the 40
games ``blitzgame sim --seed 0..39`` plays, and in fields of the archetypes too."""

import numpy as np
import pytest

from blitzgame.engine import layout as F
from blitzgame.session.world import compile_world, default_setups
from blitzgame.tournament.batch import play_batch
from blitzgame.tournament.fidelity import ARCHETYPES, FIELD
from blitzgame.tournament.schedule import game_seeds, lineups


def arc(bots: tuple[str, ...], seeds: np.ndarray, seats: np.ndarray) -> dict[str, float]:
    world = compile_world("base-2024")
    batch = play_batch(world, default_setups(world), bots, seats, seeds)
    return {"median_quarters": float(np.median(batch.played)),
            "music_stopped": float((batch.worlds[:, F.MUSIC_STOPPED] > 0).mean()),
            "escape_velocity": float((batch.worlds[:, F.WINNER] >= 0).mean())}


def test_forty_default_sims_play_out_the_arc():
    """``blitzgame sim --seed s`` for s in 0..39 (its default bots): the median game runs at
    least 24 of 32 quarters, the music stops in at least half, escape velocity ends at most 40%."""
    figures = arc(("baseline",), np.arange(40, dtype=np.uint64), np.zeros((40, 5), dtype=np.int64))
    assert figures["median_quarters"] >= 24 and figures["music_stopped"] >= 0.5 and figures["escape_velocity"] <= 0.4, figures


@pytest.mark.parametrize("bots", [ARCHETYPES, FIELD], ids=["archetypes", "mixed"])
def test_fields_of_archetypes_play_out_the_arc_too(bots):
    games = 600
    figures = arc(bots, game_seeds(3, games), lineups(len(bots), 5, 0, games))
    assert figures["median_quarters"] >= 24 and figures["music_stopped"] >= 0.5 and figures["escape_velocity"] <= 0.4, figures
