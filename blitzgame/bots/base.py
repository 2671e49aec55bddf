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


def knob_row(entry, source: str = "assets/archetypes.toml") -> np.ndarray:
    """An archetype's knobs as the array its policy reads (zeros for the reference bots). A knob
    the policy lacks, or one it needs that is missing, raises ``AssetError`` naming the file,
    the bot and every known knob."""
    from blitzgame.assets import AssetError
    from blitzgame.bots.knobs import KNOB_COUNT, KNOB_NAMES

    if entry.code == "archetype":
        missing = [name for name in KNOB_NAMES if name not in entry.knobs]
        unknown = [name for name in entry.knobs if name not in KNOB_NAMES]
        if missing or unknown:
            raise AssetError(f"{source}: bot {entry.name}: knobs: " + "; ".join(
                ([f"missing {', '.join(missing)}"] if missing else [])
                + ([f"unknown {', '.join(unknown)} (known: {', '.join(KNOB_NAMES)})"] if unknown else [])))
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


def archetype_names() -> tuple[str, ...]:
    """The archetypes (the built-in bots that play ``policies.archetype_orders``), in file order."""
    from blitzgame.bots import knobs as K

    return tuple(name for name, bot in _builtin().items() if bot.code == K.CODE_ARCHETYPE)


def bot_table(bots: tuple) -> tuple[np.ndarray, np.ndarray]:
    """The kernel code and knobs of each bot: a built-in bot's name, or a compiled bot (anything
    with ``code`` and ``knobs``, such as the exploit hunt's fixed strategies). Knob rows are
    padded with zeros to the widest. A user bot raises ValueError."""
    builtin = _builtin()
    unknown = [b for b in bots if isinstance(b, str) and b not in builtin]
    if unknown:
        raise ValueError(f"not built-in bots (cannot run in compiled batches): {', '.join(unknown)}")
    table = [builtin[b] if isinstance(b, str) else b for b in bots]
    codes = np.array([b.code for b in table], dtype=np.int64)
    width = max((len(b.knobs) for b in table), default=0)
    knobs = np.zeros((len(table), width))
    for row, b in zip(knobs, table):
        row[:len(b.knobs)] = b.knobs
    return codes, knobs


def make_bot(name: str) -> Bot:
    """A new built-in bot by name; an unknown name raises ValueError listing the known ones."""
    known = _builtin()
    try:
        return known[name]()
    except KeyError:
        raise ValueError(f"unknown bot {name!r}; choose one of: {', '.join(known)}") from None
