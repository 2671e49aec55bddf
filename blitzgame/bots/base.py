"""The bot interface and the registry of built-in bots."""

import numpy as np

from blitzgame.engine import layout as F
from blitzgame.schemas.observation import Observation
from blitzgame.schemas.orders import Orders


class Bot:
    """Subclass and implement ``decide``. ``name`` and ``summary`` show in listings."""

    name = "bot"
    summary = ""

    def decide(self, obs: Observation) -> Orders:
        raise NotImplementedError

    def orders_for(self, game, lab: int) -> Orders:
        """The orders this bot gives for ``lab`` in ``game`` (by default: decide on the observation)."""
        return self.decide(game.observe(lab))


class CompiledBot(Bot):
    """A bot whose policy is a compiled kernel over the state arrays (see ``bots.baseline``)."""


    @staticmethod
    def policy(labs, world, params, hubs, lab, orders):  # pragma: no cover - replaced by subclasses
        raise NotImplementedError

    def orders_for(self, game, lab: int) -> Orders:
        w = game.world
        orders = np.zeros((game.n_labs, F.ORDER_FIELDS))
        type(self).policy(game.state_labs, game.state_world, w.params, w.hubs, lab, orders)
        return Orders.from_array(orders[lab], w.hub_ids)

    def decide(self, obs: Observation) -> Orders:
        raise TypeError(f"{self.name} is a compiled bot: it plays from the state arrays (orders_for)")


class BaselineBot(CompiledBot):
    name = "baseline"
    summary = "Prudent growth: a year of runway in reserve, GPUs and power bought with the rest."

    @staticmethod
    def policy(labs, world, params, hubs, lab, orders):
        from blitzgame.bots.baseline import baseline_orders

        baseline_orders(labs, world, params, hubs, lab, orders)


_BUILTIN: dict[str, type[Bot]] = {"baseline": BaselineBot}


def available_bots() -> dict[str, type[Bot]]:
    """Built-in bots by name."""
    return dict(_BUILTIN)


def make_bot(name: str) -> Bot:
    """A new bot by name; an unknown name raises ValueError listing the known ones."""
    try:
        return _BUILTIN[name]()
    except KeyError:
        raise ValueError(f"unknown bot {name!r}; choose one of: {', '.join(sorted(_BUILTIN))}") from None
