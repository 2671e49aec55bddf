"""Observations: the state arrays seen from one lab's seat (own state in full, rivals' public)."""

import numpy as np

from blitzgame.engine import layout as F
from blitzgame.engine import params as P
from blitzgame.engine.markets import installed_price
from blitzgame.engine.metrics import burn, quality_rank, quarters_to_escape, runway
from blitzgame.engine.turn import stage
from blitzgame.schemas.observation import HubView, LabView, LastQuarter, MarketView, Observation, RivalView

POSITION_NAMES = ("startup", "challenger", "incumbent")
_OUTCOMES = list(LastQuarter.model_fields)  # the lab's outcome fields a bot sees (not the engine's scratch)


def quality_ranks(labs: np.ndarray) -> list[int]:
    """Each lab's ``metrics.quality_rank``: 1 = the best model among living labs."""
    return [int(quality_rank(labs, i)) for i in range(labs.shape[0])]


def _hubs(game, row: np.ndarray) -> list[HubView]:
    w, world = game.world, game.state_world
    views = []
    for h, hub_id in enumerate(w.hub_ids):
        pipe = row[F.HUB_MW_PIPE + h * F.PIPE: F.HUB_MW_PIPE + (h + 1) * F.PIPE]
        views.append(HubView.model_construct(
            id=hub_id, name=w.hub_names[h],
            power_price=float(w.hubs[h, F.HP_POWER_PRICE]), pue=float(w.hubs[h, F.HP_PUE]),
            headroom_mw=float(world[F.HEADROOM + h]),
            build_lead_quarters=int(w.hubs[h, F.HP_BUILD_LEAD]),
            build_cost_per_mw=float(w.hubs[h, F.HP_BUILD_COST]),
            gpus_per_mw=float(w.hubs[h, F.HP_GPUS_PER_MW]),
            export_blocked=bool(world[F.EXPORT_CONTROLS] > 0 and w.hubs[h, F.HP_EXPORT_CONTROLLED] > 0),
            gpus=float(row[F.HUB_GPUS + h]), online=float(row[F.HUB_ONLINE + h]),
            stranded=float(row[F.HUB_STRANDED + h]), backlog=float(row[F.HUB_BACKLOG + h]),
            mw=float(row[F.HUB_MW + h]), mw_building=float(pipe.sum()),
        ))
    return views


def market_view(game) -> MarketView:
    world, params = game.state_world, game.world.params
    music = world[F.MUSIC_QUARTER]
    return MarketView.model_construct(
        list_price=float(world[F.LIST_PRICE]), spot=float(world[F.SPOT]),
        lead_time=float(world[F.LEAD_TIME]), vendor_supply=float(world[F.VENDOR_SUPPLY]),
        cloud_price=float(world[F.CLOUD_PRICE]), cloud_pool=float(world[F.CLOUD_POOL]),
        cloud_price_hour=float(world[F.CLOUD_PRICE] * 1e6 / params[P.HOURS_PER_QUARTER]),
        gpu_installed_cost=float(installed_price(world, params, world[F.SPOT], 0.0)),
        market_pay=float(params[P.PACKAGE_REF]), researchers_per_kgpu=float(params[P.RESEARCHERS_PER_KGPU]),
        equity_plan_quarters=float(params[P.EQUITY_PLAN_QUARTERS]),
        talent_pool=float(world[F.TALENT_POOL]), talent_free=float(world[F.TALENT_FREE]),
        revenue_pool=float(world[F.REVENUE_POOL]), frontier=float(world[F.FRONTIER]),
        sentiment=float(world[F.SENTIMENT]), sentiment_peak=float(world[F.SENTIMENT_PEAK]),
        revenue_gap=float(world[F.REVENUE_GAP]), music_stopped=bool(world[F.MUSIC_STOPPED] > 0),
        gap_comfort=float(params[P.GAP_COMFORT]), music_gap=float(params[P.MUSIC_GAP]),
        equity_shut_below=float(params[P.EQUITY_MIN_SENTIMENT]),
        music_quarter=game.world.label(int(music)) if music >= 0 else None,
        regime=F.REGIME_NAMES[int(world[F.REGIME])], export_controls=bool(world[F.EXPORT_CONTROLS] > 0),
        equity_pool=float(world[F.EQUITY_POOL]), loan_pool=float(world[F.LOAN_POOL]),
    )


def observe(game, lab: int) -> Observation:
    labs = game.state_labs
    row = labs[lab]
    ranks = quality_ranks(labs)
    stages = [int(stage(online)) for online in labs[:, F.ONLINE]]
    me = LabView.model_construct(
        index=lab, name=game.names[lab], status=F.STATUS_NAMES[row[F.STATUS]],
        position=POSITION_NAMES[int(row[F.POSITION])],
        cash=float(row[F.CASH]), debt=float(row[F.DEBT]), valuation=float(row[F.VALUATION]),
        stake=float(row[F.STAKE]), runway=float(runway(labs, lab)), burn=float(burn(labs, lab)),
        gpus=float(row[F.GPUS]), online=float(row[F.ONLINE]), stranded=float(row[F.STRANDED]),
        backlog=float(row[F.BACKLOG]), stage=stages[lab], stage_name=F.STAGE_NAMES[stages[lab]],
        researchers=float(row[F.RESEARCHERS]), talent_quality=float(row[F.TALENT_QUALITY]),
        staff=float(row[F.STAFF]), package=float(row[F.PACKAGE]), quality=float(row[F.QUALITY]),
        quality_rank=ranks[lab], share=float(row[F.SHARE]), revenue=float(row[F.REVENUE]),
        culture=float(row[F.CULTURE]), tech_debt=float(row[F.TECH_DEBT]),
        utilization=float(row[F.UTILIZATION]), efficiency=float(row[F.EFFICIENCY]),
        silicon=float(row[F.SILICON]), ecosystem=float(row[F.ECOSYSTEM]),
        open_source=bool(row[F.OPEN_SOURCE] > 0), death_zone_quarters=int(row[F.DEATH_ZONE_QUARTERS]),
        rescued=bool(row[F.RESCUED] > 0), velocity=float(row[F.VELOCITY]),
        spending=float(row[F.SPENDING]),
        escape_in=int(quarters_to_escape(labs, lab, game.world.params)),
        score=float(row[F.SCORE]), rank=int(row[F.RANK]), hubs=_hubs(game, row),
        last_quarter=LastQuarter.model_construct(**{name: float(row[F.LAB_FIELD_NAMES[name]]) for name in _OUTCOMES}),
    )
    rivals = [
        RivalView.model_construct(
            index=k, name=game.names[k], status=F.STATUS_NAMES[labs[k, F.STATUS]],
            gpus=float(labs[k, F.ONLINE]), stage=stages[k], stage_name=F.STAGE_NAMES[stages[k]],
            share=float(labs[k, F.SHARE]),
            revenue=float(labs[k, F.REVENUE]), valuation=float(labs[k, F.VALUATION]),
            quality_rank=ranks[k], open_source=bool(labs[k, F.OPEN_SOURCE] > 0),
            escape_in=int(quarters_to_escape(labs, k, game.world.params)),
            score=float(labs[k, F.SCORE]), rank=int(labs[k, F.RANK]),
        )
        for k in range(game.n_labs) if k != lab
    ]
    q = game.quarter
    return Observation.model_construct(
        quarter=q, label=game.label, quarters=game.world.quarters, quarters_left=game.world.quarters - q,
        scenario=game.world.scenario.id, me=me, rivals=rivals, market=market_view(game),
    )
