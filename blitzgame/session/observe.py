"""Observations: the state arrays seen from one lab's seat (own state in full, rivals' public)."""

import hashlib
from dataclasses import dataclass, field
from operator import itemgetter

import numpy as np
from pydantic import BaseModel

from blitzgame.engine import figures as X
from blitzgame.engine import layout as F
from blitzgame.engine import params as P
from blitzgame.engine.markets import cloud_rate, installed_price, shipments
from blitzgame.engine.people import market_pay
from blitzgame.engine.turn import schedule_row
from blitzgame.schemas.observation import HubView, LabView, LastQuarter, MarketView, Observation, RivalView

POSITION_NAMES = ("startup", "challenger", "incumbent")
_OUTCOMES = list(LastQuarter.model_fields)  # the lab's outcome fields a bot sees (not the engine's scratch)
_OUTCOME_ROW = itemgetter(*(F.LAB_FIELD_NAMES[name] for name in _OUTCOMES))  # their values, from a state row


def construct(cls, values: dict, later: dict | None = None):
    """A view model from a dict of every one of its fields, trusted (the values come from the
    engine's state): what ``model_construct`` makes, without its per-field pass for defaults,
    which made building observations most of a Python bot's time. ``later``: ``LabView``'s
    fields made on first use, each as ``{name: (make, *args)}``."""
    view = _new(cls)
    _set_dict(view, values)
    # every field is set: one set per view class, shared (views are frozen; pydantic copies it before a change)
    _set_fields(view, _ALL_FIELDS.get(cls) or _ALL_FIELDS.setdefault(cls, set(cls.model_fields)))
    _set_extra(view, None)
    _set_private(view, later)
    return view


# a model's four slots, set through their own descriptors (``object.__setattr__`` finds them first, each time)
_new = object.__new__
_set_dict, _set_fields, _set_extra, _set_private = (
    BaseModel.__dict__[slot].__set__
    for slot in ("__dict__", "__pydantic_fields_set__", "__pydantic_extra__", "__pydantic_private__"))
_ALL_FIELDS: dict[type, set] = {}


@dataclass(frozen=True)
class Fixed:
    """What observations show that no quarter changes: each hub's traits and the market's
    numbers from the balance. Made once a game (``Game.refresh_views`` forgets them).
    ``hub_views`` keeps every hub view made so far in the game by everything it shows
    (``_hubs``): a lab whose footprint at a hub is what it was, at a hub whose headroom is
    too, gets the same view again (views are frozen)."""

    hubs: list[dict]  # each hub's shared figures in ``HubView``'s order, the quarter's (headroom, export block) None
    controlled: list[bool]  # whether export controls, once on, stop shipments to each hub
    market: dict  # the balance's numbers ``MarketView`` shows
    seeds: list[int] = field(default_factory=list)  # each lab's ``Observation.seed`` (``bot_seeds``)
    hub_views: dict = field(default_factory=dict)  # (hub, headroom, blocked, the lab's six figures there) -> HubView


def fixed_views(game) -> Fixed:
    """The parts of every observation of ``game`` that no quarter changes."""
    w = game.world
    hubs, params = w.hubs.tolist(), w.params.tolist()
    return Fixed(
        [{"id": hub_id, "name": w.hub_names[h], "power_price": hubs[h][F.HP_POWER_PRICE], "pue": hubs[h][F.HP_PUE],
          "headroom_mw": None, "build_lead_quarters": int(hubs[h][F.HP_BUILD_LEAD]),
          "build_cost_per_mw": hubs[h][F.HP_BUILD_COST], "gpus_per_mw": hubs[h][F.HP_GPUS_PER_MW], "export_blocked": None,
          "export_risk": hubs[h][F.HP_EXPORT_RISK] if w.export_controlled(h) else 0.0,
          "regulatory_risk": hubs[h][F.HP_REGULATORY_RISK], "revenue_factor": hubs[h][F.HP_REVENUE_FACTOR],
          "talent_factor": hubs[h][F.HP_TALENT_FACTOR], "subsidy_per_gpu": hubs[h][F.HP_SUBSIDY_PER_GPU],
          "sovereign_funding": hubs[h][F.HP_SOVEREIGN_FUNDING]}
         for h, hub_id in enumerate(w.hub_ids)],
        [w.export_controlled(h) for h in range(len(w.hub_ids))],
        {"market_pay": params[P.PACKAGE_REF], "researchers_per_kgpu": params[P.RESEARCHERS_PER_KGPU],
         "equity_plan_quarters": params[P.EQUITY_PLAN_QUARTERS], "gap_comfort": params[P.GAP_COMFORT],
         "music_gap": params[P.MUSIC_GAP], "equity_shut_below": params[P.EQUITY_MIN_SENTIMENT],
         "hours_per_quarter": params[P.HOURS_PER_QUARTER]},
        bot_seeds(game.seed, game.game_id, game.n_labs))


def bot_seeds(seed: int, game_id: int, labs: int) -> list[int]:
    """Each lab's ``Observation.seed`` in game ``seed``, ``game_id``: 63 bits of a BLAKE2b hash, so
    a bot's random numbers replay with the game and tell nothing of the game's own dice."""
    return [int.from_bytes(hashlib.blake2b(f"{seed}:{game_id}:{lab}".encode(), digest_size=8,
                                           person=b"blitzgame-bots").digest(), "little") >> 1 for lab in range(labs)]


def _hub_parts(fixed: Fixed, world: list[float]) -> list[dict]:
    """Each hub's figures that every lab sees alike this quarter (its traits, headroom, export controls);
    ``world``: the world's state as a list. A copy of the game's traits keeps ``HubView``'s order."""
    controls = world[F.EXPORT_CONTROLS] > 0
    parts = []
    for h, traits in enumerate(fixed.hubs):
        part = traits.copy()
        part["headroom_mw"] = world[F.HEADROOM + h]
        part["export_blocked"] = controls and fixed.controlled[h]
        parts.append(part)
    return parts


# where a lab's footprint at hub h is, read for every hub of every observation
_HUB_GPUS, _HUB_ONLINE, _HUB_STRANDED, _HUB_BACKLOG, _HUB_MW = F.HUB_GPUS, F.HUB_ONLINE, F.HUB_STRANDED, F.HUB_BACKLOG, F.HUB_MW
_MW_BUILDING = X.FIG_MW_BUILDING


def _hubs(public: "Public", row: list[float], figures: list[float], made: dict) -> list[HubView]:
    """The hubs as lab ``row`` (its state as a list) sees them: the shared parts and its footprint there
    (``figures``: its ``lab_figures``, with its MW under construction at each). ``made``: the game's views so far,
    by all they show (``Fixed.hub_views``): a view shows what it was made with, so one that shows the same serves
    again (a hub where a lab has nothing, for every such lab; a lab's hub where nothing moved, quarter after
    quarter), and half the views need not be made."""
    views = []
    for h, shared in enumerate(public.hubs):
        key = (h, shared["headroom_mw"], shared["export_blocked"], row[_HUB_GPUS + h], row[_HUB_ONLINE + h],
               row[_HUB_STRANDED + h], row[_HUB_BACKLOG + h], row[_HUB_MW + h], figures[_MW_BUILDING + h])
        view = made.get(key)
        if view is None:
            gpus, online, stranded, backlog, mw, mw_building = key[3:]
            view = made[key] = construct(HubView, dict(shared, gpus=gpus, online=online, stranded=stranded,
                                                       backlog=backlog, mw=mw, mw_building=mw_building))
        views.append(view)  # (dict(shared, ...) is faster than {**shared, ...})
    return views


def _last_quarter(labs: np.ndarray, lab: int) -> LastQuarter:
    """What happened to lab ``lab`` in the quarter just played (``labs``: a copy of the state)."""
    return construct(LastQuarter, dict(zip(_OUTCOMES, _OUTCOME_ROW(labs[lab].tolist()))))


def market_view(game, fixed: Fixed, world: list[float]) -> MarketView:
    """The market as every lab sees it; ``world``: the world's state as a list."""
    music, balance = world[F.MUSIC_QUARTER], fixed.market
    rate = float(cloud_rate(game.state_world))  # rent at today's spot
    return construct(MarketView, {  # in the model's field order, as a dump lists them
        "list_price": world[F.LIST_PRICE], "spot": world[F.SPOT],
        "lead_time": world[F.LEAD_TIME], "vendor_supply": world[F.VENDOR_SUPPLY],
        "vendor_shipments": float(shipments(game.state_world, game.world.sched, schedule_row(game.world.sched, game.quarter))),
        "resold_gpus": world[F.SECONDARY], "cloud_price": rate,
        "cloud_price_hour": rate * 1e6 / balance["hours_per_quarter"],
        "gpu_installed_cost": float(installed_price(game.state_world, game.world.params, world[F.SPOT], 0.0)),
        "market_pay": balance["market_pay"], "average_pay": float(market_pay(game.state_labs)),
        "researchers_per_kgpu": balance["researchers_per_kgpu"],
        "equity_plan_quarters": balance["equity_plan_quarters"], "cloud_pool": world[F.CLOUD_POOL],
        "talent_pool": world[F.TALENT_POOL], "talent_free": world[F.TALENT_FREE],
        "revenue_pool": world[F.REVENUE_POOL], "frontier": world[F.FRONTIER],
        "sentiment": world[F.SENTIMENT], "sentiment_peak": world[F.SENTIMENT_PEAK], "revenue_gap": world[F.REVENUE_GAP],
        "gap_comfort": balance["gap_comfort"], "music_gap": balance["music_gap"],
        "equity_shut_below": balance["equity_shut_below"],
        "music_stopped": world[F.MUSIC_STOPPED] > 0, "music_quarter": game.world.label(int(music)) if music >= 0 else None,
        "regime": F.REGIME_NAMES[int(world[F.REGIME])], "export_controls": world[F.EXPORT_CONTROLS] > 0,
        "equity_pool": world[F.EQUITY_POOL], "loan_pool": world[F.LOAN_POOL],
    })


@dataclass(slots=True)  # (not frozen: a frozen dataclass's ``__init__`` costs four times as much, once a quarter)
class Public:
    """What every lab sees alike in a quarter: each lab's quality rank and stage, each lab as the
    press sees it (a rival's view), and the market. Made once a quarter and shared by every
    lab's observation (the views are frozen; each observation has its own list of rivals).
    Read, never changed."""

    ranks: list[int]
    stages: list[int]
    press: list[RivalView]
    market: MarketView
    hubs: list[dict]  # each hub's shared figures (``_hub_parts``)
    quarter: int  # quarters played
    label: str  # the quarter, e.g. 2025Q3
    quarters: int  # the campaign's
    scenario: str  # its id
    seeds: list[int]  # each lab's ``Observation.seed``
    rows: list[list[float]]  # each lab's state row, up to its outcomes
    labs: np.ndarray  # a copy of the state, for the outcomes a bot may read
    figures: list[list[float]]  # each lab's ``engine.figures.lab_figures``
    hub_views: dict  # the game's hub views so far (``Fixed.hub_views``)


def public_views(game, fixed: Fixed | None = None) -> Public:
    """What every lab sees alike this quarter; ``fixed``: the game's ``fixed_views``, if the caller keeps them."""
    labs = game.state_labs
    out = np.empty((labs.shape[0], X.FIGURES))
    X.lab_figures(labs, game.state_world, game.world.params, out)
    figures = out.tolist()
    ranks = [int(f[X.FIG_QUALITY_RANK]) for f in figures]
    stages = [int(f[X.FIG_STAGE]) for f in figures]
    rows = labs[:, :F.FIRST_OUTCOME].tolist()  # what observations show of every lab; its outcomes when read
    names = game.names
    press = [
        construct(RivalView, {
            "index": k, "name": names[k], "status": F.STATUS_NAMES[row[F.STATUS]], "gpus": row[F.ONLINE],
            "stage": stages[k], "stage_name": F.STAGE_NAMES[stages[k]], "share": row[F.SHARE], "revenue": row[F.REVENUE],
            "partner_take": float(labs[k, F.OUT_PARTNER]), "valuation": row[F.VALUATION], "quality_rank": ranks[k],
            "open_source": row[F.OPEN_SOURCE] > 0,
            "escape_in": int(figures[k][X.FIG_ESCAPE_IN]), "score": row[F.SCORE], "rank": int(row[F.RANK]),
        })
        for k, row in enumerate(rows)
    ]
    world = game.state_world.tolist()
    fixed = fixed_views(game) if fixed is None else fixed
    return Public(ranks, stages, press, market_view(game, fixed, world), _hub_parts(fixed, world), game.quarter,
                  game.label, game.world.quarters, game.world.scenario.id, fixed.seeds, rows, labs.copy(), figures,
                  fixed.hub_views)


def observe(game, lab: int, public: Public | None = None) -> Observation:
    """What lab ``lab`` sees: its own state in full, the others as the press sees them.
    ``public``: this quarter's ``public_views``, if the caller keeps them."""
    if public is None:
        public = public_views(game)
    row, figures = public.rows[lab], public.figures[lab]
    ranks, stages = public.ranks, public.stages
    stage, press = stages[lab], public.press[lab]
    # (cash: no lab ends a quarter owing cash, the bankruptcy phase sees to it, but the flows it is
    # added up from can leave a rounding's -3e-14, which a bot's ``bid=0.5 * cash`` would be refused for)
    me = {  # in the model's field order, as a dump lists them
        "index": lab, "name": press.name, "status": F.STATUS_NAMES[row[F.STATUS]],
        "position": POSITION_NAMES[int(row[F.POSITION])], "cash": max(row[F.CASH], 0.0), "debt": row[F.DEBT],
        "debt_room": figures[X.FIG_DEBT_ROOM], "valuation": row[F.VALUATION], "stake": row[F.STAKE],
        "runway": figures[X.FIG_RUNWAY], "burn": figures[X.FIG_BURN],
        "gpus": row[F.GPUS], "online": row[F.ONLINE], "stranded": row[F.STRANDED], "backlog": row[F.BACKLOG],
        "stage": stage, "stage_name": F.STAGE_NAMES[stage], "researchers": row[F.RESEARCHERS],
        "talent_quality": row[F.TALENT_QUALITY], "talent_density": figures[X.FIG_TALENT_DENSITY],
        "staff": row[F.STAFF], "package": row[F.PACKAGE],
        "quality": row[F.QUALITY], "quality_rank": ranks[lab], "share": row[F.SHARE], "revenue": row[F.REVENUE],
        "culture": row[F.CULTURE], "tech_debt": row[F.TECH_DEBT], "utilization": row[F.UTILIZATION],
        "efficiency": row[F.EFFICIENCY], "silicon": row[F.SILICON], "ecosystem": row[F.ECOSYSTEM],
        "open_source": row[F.OPEN_SOURCE] > 0, "death_zone_quarters": int(row[F.DEATH_ZONE_QUARTERS]),
        "rescued": row[F.RESCUED] > 0, "velocity": row[F.VELOCITY], "spending": row[F.SPENDING],
        "escape_in": press.escape_in, "score": row[F.SCORE], "rank": int(row[F.RANK]),
    }
    me["hubs"] = _hubs(public, row, figures, public.hub_views)
    me = construct(LabView, me, {"last_quarter": (_last_quarter, public.labs, lab)})  # the last quarter made when read
    q, quarters = public.quarter, public.quarters
    return construct(Observation, {
        "quarter": q, "label": public.label, "quarters": quarters, "quarters_left": quarters - q,
        "scenario": public.scenario, "seed": public.seeds[lab], "me": me, "rivals": public.press[:lab] + public.press[lab + 1:],
        "market": public.market,
    })
