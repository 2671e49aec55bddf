"""The bot interface and the registry of built-in bots."""

from functools import cache
from typing import Any

import numpy as np

from blitzgame.bots.knobs import CODE_STRATEGIST
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

    def decide(self, obs: Observation) -> "Orders | dict[str, Any]":
        """This quarter's orders: ``Orders``, or a dict of the same fields (checked as ``Orders`` checks them)."""
        raise NotImplementedError

    def orders_for(self, game, lab: int) -> "Orders | dict[str, Any]":
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
        w = game.world
        orders = np.zeros((game.n_labs, F.ORDER_FIELDS))
        if self.code == CODE_STRATEGIST:
            from blitzgame.bots.strategist import plan_buffers, strategist_orders

            strategist_orders(self.knobs, game.state_labs, game.state_world, w.params, w.hubs, w.sched, lab, orders,
                              game.key, *plan_buffers(game.n_labs))
        else:
            from blitzgame.bots.policies import policy

            policy(self.code, self.knobs, game.state_labs, game.state_world, w.params, w.hubs, lab, orders, game.key)
        return Orders.from_array(orders[lab], w.hub_ids)

    def decide(self, obs: Observation) -> Orders:
        raise TypeError(f"{self.name} is a compiled bot: it plays from the state arrays (orders_for)")


def _unknown(given, known) -> str:
    """The names in ``given`` that are not ``known``, as an error's clause ("" if none)."""
    unknown = [name for name in given if name not in known]
    return f"unknown {', '.join(unknown)} (known: {', '.join(known)})" if unknown else ""


def knob_row(entry, source: str = "assets/archetypes.toml") -> np.ndarray:
    """An archetype's knobs as the array its policy reads (zeros for the reference bots). A knob
    the policy lacks, or one it needs that is missing, raises ``AssetError`` naming the file,
    the bot and every known knob."""
    from blitzgame.assets import AssetError
    from blitzgame.bots.knobs import KNOB_COUNT, KNOB_NAMES

    if entry.code == "archetype":
        missing = [name for name in KNOB_NAMES if name not in entry.knobs]
        problems = ([f"missing {', '.join(missing)}"] if missing else []) + [p for p in [_unknown(entry.knobs, KNOB_NAMES)] if p]
        if problems:
            raise AssetError(f"{source}: bot {entry.name}: knobs: " + "; ".join(problems))
    if entry.code == "strategist":
        return _strategist_row(entry, source)
    row = np.zeros(KNOB_COUNT)
    for name, value in entry.knobs.items():
        row[KNOB_NAMES[name]] = value
    return row


STRATEGIST_SETTINGS = ("determinizations", "horizon")


def _strategist_row(entry, source: str) -> np.ndarray:
    """A strategist's knobs: its settings, then the knobs of each play of its playbook (an
    archetype's, or a play of its own: an archetype's with the knobs it changes)."""
    from blitzgame.assets import AssetError, load_archetypes
    from blitzgame.bots.knobs import KNOB_NAMES
    from blitzgame.bots.strategist import strategist_row

    if problem := _unknown(entry.knobs, STRATEGIST_SETTINGS):
        raise AssetError(f"{source}: bot {entry.name}: knobs: {problem}")
    bots = {b.name: b for b in load_archetypes().bot}
    plays = []
    for name in entry.playbook:
        own = entry.plays.get(name)
        row = knob_row(bots[own.like if own else name], source)  # (a fresh row: changed in place below)
        if own:
            if problem := _unknown(own.knobs, KNOB_NAMES):
                raise AssetError(f"{source}: bot {entry.name}: plays.{name}.knobs: {problem}")
            for knob, value in own.knobs.items():
                row[KNOB_NAMES[knob]] = value
        plays.append(row)
    return strategist_row(plays, **{name: int(value) for name, value in entry.knobs.items()})


@cache
def _builtin() -> dict[str, type[CompiledBot]]:
    from blitzgame.assets import load_archetypes
    from blitzgame.bots import knobs as K

    codes = {"baseline": K.CODE_BASELINE, "archetype": K.CODE_ARCHETYPE, "greedy": K.CODE_GREEDY,
             "random": K.CODE_RANDOM, "strategist": K.CODE_STRATEGIST}
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


THINK_MARK = "@"  # "strategist@3": the strategist thinking three times as hard (``--think 3``)


def thinking(name: str, think: int) -> str:
    """The spec of built-in bot ``name`` given ``think`` times its thought: "strategist@3" for
    a strategist (``think`` 1: ``name`` itself); other bots do not think, so ``name``."""
    cls = _builtin().get(name)
    if cls is None or cls.code != CODE_STRATEGIST or think == 1:
        return name
    return f"{name}{THINK_MARK}{think}"


def with_think(specs: list[str], think: int) -> tuple[list[str], str]:
    """``--think N`` over a list of bot specs: each strategist as strategist@N; and a note to
    show when ``think`` asks for more thought but no strategist plays ('' otherwise)."""
    thought = [thinking(spec.strip(), think) for spec in specs]
    unchanged = think > 1 and thought == [spec.strip() for spec in specs]
    return thought, "--think changes only strategists, and none plays here" if unchanged else ""


@cache
def builtin_bot(name: str) -> type[CompiledBot] | None:
    """A built-in bot by name, a strategist's "name@N" included (N from 1 to ``MAX_THINK``:
    N times as many determinizations per play); None if there is no such bot."""
    from blitzgame.bots.strategist import S_DETERMINIZATIONS
    from blitzgame.limits import MAX_THINK

    base, mark, times = name.partition(THINK_MARK)
    cls = _builtin().get(base)
    if cls is None or not mark:
        return cls
    if cls.code != CODE_STRATEGIST or not times.isdigit() or not 1 <= int(times) <= MAX_THINK:
        return None
    knobs = cls.knobs.copy()
    knobs[S_DETERMINIZATIONS] *= int(times)
    knobs.setflags(write=False)
    return type(f"{cls.__name__}Think{times}", (cls,), {
        "name": name, "knobs": knobs, "title": f"{cls.title} (thinking ×{times})",
        "summary": f"The {base}, weighing {int(knobs[S_DETERMINIZATIONS])} futures per play instead of "
                   f"{int(cls.knobs[S_DETERMINIZATIONS])}: slower, stronger.",
        "__doc__": cls.__doc__, "__module__": __name__})


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
    unknown = [b for b in bots if isinstance(b, str) and builtin_bot(b) is None]
    if unknown:
        raise ValueError(f"not built-in bots (cannot run in compiled batches): {', '.join(unknown)}")
    table = [builtin_bot(b) if isinstance(b, str) else b for b in bots]
    codes = np.array([b.code for b in table], dtype=np.int64)
    width = max((len(b.knobs) for b in table), default=0)
    knobs = np.zeros((len(table), width))
    for row, b in zip(knobs, table):
        row[:len(b.knobs)] = b.knobs
    return codes, knobs


def make_bot(name: str) -> Bot:
    """A new built-in bot by name; an unknown name raises ValueError listing the known ones."""
    cls = builtin_bot(name)
    if cls is None:
        raise ValueError(f"unknown bot {name!r}; choose one of: {', '.join(_builtin())}")
    return cls()
