"""The bot rivals of a new campaign: the archetypes, and who is drawn at each difficulty."""

import numpy as np

from blitzgame.assets import load_archetypes
from blitzgame.bots.base import archetype_names
from blitzgame.schemas.assets import DIFFICULTY_LEVELS
from blitzgame.session.game import SetupError

ARCHETYPES = archetype_names()
# who "random rivals" are drawn from at each difficulty (assets/archetypes.toml)
DIFFICULTIES = {level: tuple(load_archetypes().difficulty[level]) for level in DIFFICULTY_LEVELS}


# the rival a difficulty seats however few labs there are: "hard" means a planner among them
ALWAYS = {"hard": "strategist"}


def draw_rivals(count: int, seed: int, difficulty: str = "normal") -> list[str]:
    """``count`` rivals from the difficulty's pool, each archetype once before any twice; with
    ``ALWAYS`` naming one for the difficulty and none drawn (a small game), the last drawn gives
    it its seat."""
    pool = list(DIFFICULTIES[difficulty])
    rng = np.random.default_rng(seed)
    picks: list[str] = []
    while len(picks) < count:
        picks += [pool[k] for k in rng.permutation(len(pool))]
    picks = picks[:count]
    must = ALWAYS.get(difficulty)
    if picks and must is not None and must not in picks:
        picks[-1] = must
    return picks


def with_rivals(seated: int, labs: int, seed: int, difficulty: str) -> list[str]:
    """The rivals drawn (``draw_rivals``) for the labs after the first ``seated`` of ``labs``, which
    the caller's own bots play; ``SetupError`` for an unknown difficulty or too many bots."""
    if difficulty not in DIFFICULTIES:
        raise SetupError(f"unknown difficulty {difficulty!r}; expected one of {', '.join(DIFFICULTIES)}")
    if seated > labs:
        raise SetupError(f"{seated} bots for {labs} labs: with a difficulty each bot plays one lab "
                         "and the difficulty's rivals the others")
    return draw_rivals(labs - seated, seed, difficulty)


__all__ = ["ALWAYS", "ARCHETYPES", "DIFFICULTIES", "draw_rivals", "with_rivals"]
