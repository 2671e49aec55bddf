"""Observations for a bot's unit tests, from real games.

    from blitzgame.bots import Orders
    from blitzgame.testing import observation, orders_from

    def test_my_bot_raises_money_when_runway_is_short():
        obs = observation(quarter=4, cash=50.0)       # a real 2025Q1 observation, cash changed
        orders = orders_from(MyBot(), obs)            # checked as the game checks them
        assert orders.equity > 0

``observation`` plays a real game (``base-2024`` by default, the built-in baseline bot in every
seat) to the quarter asked for and returns what a lab sees then; keyword arguments replace
fields of ``obs.me`` (the lab's own figures), so a test can set up the case it needs. The
result is a true ``Observation``: the same model, checked by pydantic, that a bot gets in a game.
"""

from typing import TYPE_CHECKING

from blitzgame.bots.base import Bot

if TYPE_CHECKING:
    from blitzgame.schemas.observation import Observation
    from blitzgame.schemas.orders import Orders
    from blitzgame.session.game import SetupError


def observation(scenario: str = "base-2024", seed: int = 0, quarter: int = 0, lab: int = 0,
                labs: int | None = None, bots: "str | type[Bot] | list[str | type[Bot]]" = "baseline",
                market: dict | None = None, rivals: dict | None = None, **me) -> "Observation":
    """What lab ``lab`` sees at the start of quarter ``quarter`` (0: the first) of a game whose
    labs are played by ``bots`` (names, ``file.py:Class`` specs or ``Bot`` classes, one or a list;
    a string may list several as ``sim --bots`` does, "sprinter,defender"; cycled over the labs as
    ``sim --bots`` cycles them); ``me`` replaces fields of ``obs.me`` (e.g. ``cash=50.0``;
    ``last_quarter={"in_revenue": 0.0}`` replaces only the outcomes it names), ``market`` fields
    of ``obs.market`` (e.g. ``market={"sentiment": 0.5}``), ``rivals`` fields of rivals' views,
    each rival named by its place in ``obs.rivals`` or its name (e.g. ``rivals={0: {"status":
    "bankrupt"}}``). A figure derived from those given follows them unless it is given too:
    ``runway`` is the cash over the burn, ``talent_density`` the researchers over what the compute
    needs, a rival's ``stage`` its GPUs, as the game computes them, and ``music_quarter`` says
    the music stopped last quarter when ``music_stopped`` is set. A field that does not exist is
    refused, with the nearest name if there is one; a value the game could not show (a status
    that is none, a negative count, a share above 1) is refused with ``SetupError`` naming it."""
    from blitzgame._jit_cache import announce_compile
    from blitzgame.assets import AssetError
    from blitzgame.bots.loader import BotLoadError
    from blitzgame.session.game import Game, SetupError
    from blitzgame.session.headless import VIEW_KERNELS, kernels_for

    try:  # (a scenario or a bot that cannot be loaded is a setting it does not know, too)
        specs = _bot_list(bots)
        kernels = kernels_for(specs)
        game = Game.new(scenario, seed=seed, labs=labs)
        if not 0 <= quarter <= game.world.quarters - 1:
            raise SetupError(f"quarter must be 0..{game.world.quarters - 1} in {scenario}, got {quarter}")
        if isinstance(lab, bool) or not isinstance(lab, int) or not 0 <= lab < game.n_labs:
            raise SetupError(f"lab must be 0..{game.n_labs - 1} ({game.n_labs} labs in {scenario}), got {lab!r}")
        players = [_fresh(specs[k % len(specs)]) for k in range(game.n_labs)]
    except (AssetError, BotLoadError) as error:
        raise SetupError(str(error)) from None
    announce_compile(*dict.fromkeys(kernels + VIEW_KERNELS))  # (it makes an observation)
    while game.quarter < quarter and not game.over:
        for k, bot in enumerate(players):
            if game.alive(k):
                game.submit(k, bot.orders_for(game, k))
        game.advance()
    obs = game.observe(lab)
    return _changed(obs, game, quarter, lab, market, rivals, me)


def _validated(model, values: dict, where: str):
    """``model.model_validate(values)``; a value the game could not show (a status that is none) is
    refused with ``SetupError`` naming the field, as the view's own check words it."""
    from pydantic import ValidationError

    from blitzgame.session.game import SetupError

    try:
        return model.model_validate(values)
    except ValidationError as error:
        problem = error.errors()[0]
        field = ".".join(str(part) for part in problem["loc"])
        raise SetupError(f"{where}.{field}: {problem['msg']} (got {problem['input']!r})") from None


# fields of obs.me, a rival's view and the market that may be below 0 (the rest are counts, amounts, shares, levels)
_SIGNED = frozenset({"burn", "velocity", "score", "escape_in"})  # (escape_in: -1 while not dominant)
_FRACTIONS = frozenset({"stake", "share", "talent_density", "culture", "tech_debt", "utilization", "silicon",
                       "ecosystem"})  # 0..1


def _in_range(given: dict, where: str) -> None:
    """Refuse a number the game could not show: below 0 where it cannot be, above 1 for a fraction."""
    from blitzgame.session.game import SetupError

    for name, value in given.items():
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            continue
        if value < 0 and name not in _SIGNED:
            raise SetupError(f"{where}.{name} cannot be below 0, got {value!r}")
        if value > 1 and name in _FRACTIONS:
            raise SetupError(f"{where}.{name} is 0..1, got {value!r}")


def _changed(obs, game, quarter: int, lab: int, market: dict | None, rivals: dict | None, me: dict) -> "Observation":
    """``obs`` with ``observation``'s changes made (see there)."""
    from blitzgame.engine import layout as F
    from blitzgame.engine.metrics import NO_BURN_RUNWAY
    from blitzgame.engine.people import talent_density
    from blitzgame.schemas.observation import LabView, LastQuarter, MarketView

    if market:
        _known(market, MarketView, "obs.market")
        _in_range(market, "obs.market")
        derived = {}
        if "music_stopped" in market and "music_quarter" not in market:
            derived["music_quarter"] = (obs.market.music_quarter or game.world.label(max(quarter - 1, 0))
                                        if market["music_stopped"] else None)
        obs = obs.model_copy(update={"market": _validated(MarketView, {**obs.market.model_dump(), **derived, **market},
                                                          "obs.market")})
    if rivals:
        obs = obs.model_copy(update={"rivals": _rivals(obs, rivals)})
    if me:
        hint = (" (the market's fields go in market={...})"
                if (set(me) - set(LabView.model_fields)) & set(MarketView.model_fields) else "")
        _known(me, LabView, "obs.me", hint)
        _in_range(me, "obs.me")
        derived = {}
        if "runway" not in me and ("cash" in me or "burn" in me):
            cash, burn = me.get("cash", obs.me.cash), me.get("burn", obs.me.burn)
            derived["runway"] = min(NO_BURN_RUNWAY, max(cash, 0.0) / burn) if burn > 0 else NO_BURN_RUNWAY
        staffing = {"researchers": F.RESEARCHERS, "talent_quality": F.TALENT_QUALITY, "online": F.ONLINE}
        if "talent_density" not in me and set(me) & set(staffing):  # the game's own rule, on the figures given
            labs = game.state_labs.copy()
            for name, column in staffing.items():
                if name in me:
                    labs[lab, column] = me[name]
            derived["talent_density"] = float(talent_density(labs, lab, game.world.params))
        if isinstance(me.get("last_quarter"), dict):  # the outcomes named; the rest as they were
            _known(me["last_quarter"], LastQuarter, "obs.me.last_quarter")
            me["last_quarter"] = {**obs.me.last_quarter.model_dump(), **me["last_quarter"]}
        mine = _validated(LabView, {**obs.me.model_dump(), **derived, **me}, "obs.me")
        obs = obs.model_copy(update={"me": mine})
    return obs


def _rivals(obs: "Observation", changes: dict) -> list:
    """``obs.rivals`` with ``changes`` ({place in obs.rivals or name: {field: value}}) made, checked."""
    from blitzgame.engine import layout as F
    from blitzgame.engine.turn import stage
    from blitzgame.schemas.observation import LabView, RivalView
    from blitzgame.session.game import SetupError

    if not isinstance(changes, dict):
        who = " (the bots that play the game are bots=...)" if isinstance(changes, (str, list, type)) else ""
        raise SetupError(f"rivals is a dict, {{place in obs.rivals or name: {{field: value}}}}, not {changes!r}{who}")
    views = list(obs.rivals)
    names = [view.name for view in views]
    for who, fields in changes.items():
        if isinstance(who, str) and who in names:
            place = names.index(who)
        elif isinstance(who, int) and not isinstance(who, bool) and 0 <= who < len(views):
            place = who
        else:
            raise SetupError(f"rivals: no rival {who!r}; obs.rivals are 0..{len(views) - 1}: {', '.join(names)}")
        if not isinstance(fields, dict):
            raise SetupError(f"rivals[{who!r}] is a dict of the rival's fields, not {fields!r}")
        private = (set(fields) - set(RivalView.model_fields)) & set(LabView.model_fields)
        _known(fields, RivalView, f"obs.rivals[{place}]",
               " (a rival's own books are private: a rival's view holds what the press sees)" if private else "")
        _in_range(fields, f"obs.rivals[{place}]")
        derived = {}
        if "gpus" in fields and "stage" not in fields:
            derived["stage"] = int(stage(float(fields["gpus"])))
        if "stage_name" not in fields and ("stage" in fields or "stage" in derived):
            number = fields.get("stage", derived.get("stage"))
            if isinstance(number, int) and 0 <= number < len(F.STAGE_NAMES):
                derived["stage_name"] = F.STAGE_NAMES[number]
        views[place] = _validated(RivalView, {**views[place].model_dump(), **derived, **fields}, f"obs.rivals[{place}]")
    return views


def _bot_list(bots) -> list:
    """``observation``'s ``bots`` as a list of specs and classes; ``SetupError`` for anything else."""
    from blitzgame.session.game import SetupError

    if isinstance(bots, str):
        bots = [spec.strip() for spec in bots.split(",")] if "," in bots else [bots]
    elif isinstance(bots, type) or isinstance(bots, Bot):
        bots = [bots]
    try:
        bots = list(bots)
    except TypeError:
        bots = [bots]
    if not bots:
        raise SetupError("bots: name at least one bot")
    for bot in bots:
        if isinstance(bot, Bot):
            raise SetupError(f"bots: give the bot's class ({type(bot).__name__}), not an instance: the game "
                             "seats a fresh one at each lab it plays")
        if not (isinstance(bot, str) or isinstance(bot, type) and issubclass(bot, Bot)):
            raise SetupError(f"bots: a bot is a name, a 'file.py:Class' spec or a Bot class, not {bot!r}")
    return bots


def _fresh(bot) -> Bot:
    """A new instance of a bot given by spec or class."""
    from blitzgame.bots.loader import make_bot

    return make_bot(bot) if isinstance(bot, str) else bot()


def _known(given: dict, model, where: str, hint: str = "") -> None:
    """Refuse fields ``model`` lacks, naming the nearest field when there is one."""
    from difflib import get_close_matches

    from blitzgame.session.game import SetupError

    unknown = sorted(set(given) - set(model.model_fields))
    if unknown:
        named = [name + "".join(f" (did you mean {close!r}?)" for close in get_close_matches(name, model.model_fields, 1))
                 for name in unknown]
        raise SetupError(f"{where} has no field {', '.join(named)}{hint}")


def orders_from(bot: "Bot | type[Bot] | str", obs: "Observation") -> "Orders":
    """The bot's answer to ``obs``, checked as the game checks it: ``Orders``, or ``OrdersError``
    saying what is wrong (an exception inside ``decide`` propagates, with the bot's traceback).
    ``bot``: an instance (one that remembers earlier quarters), or a class or a name or spec, for
    a fresh one."""
    from blitzgame.bots.base import CompiledBot
    from blitzgame.bots.loader import BotLoadError, decide_site
    from blitzgame.bots.sandbox import _check
    from blitzgame.schemas.orders import OrdersError
    from blitzgame.session.game import SetupError

    if not isinstance(bot, Bot):
        if not (isinstance(bot, str) or isinstance(bot, type) and issubclass(bot, Bot)):
            raise SetupError(f"orders_from: a bot is a Bot, a Bot class, a name or a 'file.py:Class' spec, not {bot!r}")
        try:
            bot = _fresh(bot)
        except BotLoadError as error:
            raise SetupError(str(error)) from None
    if isinstance(bot, CompiledBot):
        raise SetupError(f"orders_from: {bot.name} is a built-in compiled bot, which plays from the state arrays, "
                         "not from an observation: give a Python bot (one whose decide reads the Observation)")
    decision = _check(bot.decide(obs), tuple(hub.id for hub in obs.me.hubs), 0.0, None, decide_site(type(bot)))
    if decision.orders is None:
        raise OrdersError(decision.message)  # as the game words it
    return decision.orders


if not TYPE_CHECKING:  # (hidden from type checkers, so that a misspelt name is an error there, not ``Any``)

    def __getattr__(name: str) -> object:  # the error ``observation`` raises for a bad argument, loaded lazily
        if name == "SetupError":
            from blitzgame.session.game import SetupError

            return SetupError
        raise AttributeError(f"module 'blitzgame.testing' has no attribute {name!r}")


__all__ = ["SetupError", "observation", "orders_from"]
