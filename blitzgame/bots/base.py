"""The bot interface and the registry of built-in bots."""

from functools import cache

import numpy as np

from blitzgame.engine import layout as F
from blitzgame.schemas.observation import Observation
from blitzgame.schemas.orders import Orders


class Bot:
    """Subclass and implement ``decide``. ``name`` and ``summary`` show in listings.

    A new instance plays each lab of each game, so a bot may keep what it learns
    during a game in ``self``.
    """

    name = "bot"
    summary = ""
    description = ""

    def decide(self, obs: Observation) -> Orders:
        raise NotImplementedError

    def orders_for(self, game, lab: int) -> Orders:
        """The orders this bot gives for ``lab`` in ``game`` (by default: decide on the observation)."""
        return self.decide(game.observe(lab))


class CompiledBot(Bot):
    """A built-in bot: a compiled policy (``bots.policies.policy``) over the state arrays.

    ``code`` picks the kernel and ``knobs`` are its numbers from ``assets/archetypes.toml``,
    so tournaments can run it inside compiled code with no Python per decision.
    """

    title = ""
    code = 0
    knobs = np.zeros(0)

    def orders_for(self, game, lab: int) -> Orders:
        from blitzgame.bots.policies import policy

        w = game.world
        orders = np.zeros((game.n_labs, F.ORDER_FIELDS))
        policy(self.code, self.knobs, game.state_labs, game.state_world, w.params, w.hubs, lab, orders, game.key)
        return Orders.from_array(orders[lab], w.hub_ids)

    def decide(self, obs: Observation) -> Orders:
        raise TypeError(f"{self.name} is a compiled bot: it plays from the state arrays (orders_for)")


def knob_row(entry) -> np.ndarray:
    """An archetype's knobs as the array its policy reads (zeros for the reference bots)."""
    from blitzgame.bots.knobs import KNOB_COUNT, KNOB_NAMES

    row = np.zeros(KNOB_COUNT)
    for name, value in entry.knobs.items():
        row[KNOB_NAMES[name]] = value
    return row


@cache
def _builtin() -> dict[str, type[CompiledBot]]:
    from blitzgame.assets import load_archetypes
    from blitzgame.bots import knobs as K

    codes = {"baseline": K.CODE_BASELINE, "archetype": K.CODE_ARCHETYPE, "greedy": K.CODE_GREEDY,
             "random": K.CODE_RANDOM}
    bots = {}
    for entry in load_archetypes().bot:
        knobs = knob_row(entry)
        knobs.setflags(write=False)
        attrs = {"name": entry.name, "title": entry.title, "summary": entry.summary,
                 "description": entry.description, "code": codes[entry.code], "knobs": knobs,
                 "__doc__": entry.summary, "__module__": __name__}
        class_name = "".join(part.title() for part in entry.name.replace("-", "_").split("_")) + "Bot"
        bots[entry.name] = type(class_name, (CompiledBot,), attrs)
    return bots


def available_bots() -> dict[str, type[Bot]]:
    """Built-in bots by name, in the order of ``assets/archetypes.toml``."""
    return dict(_builtin())


def make_bot(name: str) -> Bot:
    """A new built-in bot by name; an unknown name raises ValueError listing the known ones."""
    known = _builtin()
    try:
        return known[name]()
    except KeyError:
        raise ValueError(f"unknown bot {name!r}; choose one of: {', '.join(known)}") from None
