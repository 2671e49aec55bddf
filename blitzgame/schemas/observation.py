"""What a lab can see at the start of a quarter: its own state in full, rivals' public figures.

Built by the session from the state arrays (``Game.observe``); bots receive it.
"""

from pydantic import BaseModel, ConfigDict


class _View(BaseModel):
    model_config = ConfigDict(frozen=True)


class HubView(_View):
    """A hub as everyone sees it, with this lab's own footprint there."""

    id: str
    name: str
    power_price: float  # $/MWh
    pue: float
    headroom_mw: float  # grid capacity still free for new builds (shared)
    build_lead_quarters: int
    build_cost_per_mw: float  # $M
    gpus_per_mw: float  # GPUs one MW of power runs here (IT power per GPU x PUE)
    export_blocked: bool  # vendor deliveries stopped by export controls
    gpus: float  # this lab's GPUs installed here
    online: float
    stranded: float
    backlog: float  # GPUs ordered for this hub, not yet delivered
    mw: float  # power built
    mw_building: float  # power under construction


class LabView(_View):
    """The observing lab's own state, in full."""

    index: int
    name: str
    status: str  # alive / bankrupt / acquired
    position: str
    cash: float  # $M
    debt: float
    valuation: float
    stake: float  # founders' share
    runway: float  # quarters at last quarter's burn (99 = cash-flow positive)
    burn: float  # $M net operating outflow last quarter
    gpus: float
    online: float
    stranded: float
    backlog: float
    stage: int  # 0 Experiment .. 4 Dominator (M1)
    stage_name: str
    researchers: float
    talent_quality: float
    staff: float
    package: float  # $M/yr per researcher
    quality: float  # model quality (tier ceiling = stage + 1)
    quality_rank: int  # 1 = best model among living labs
    share: float
    revenue: float  # $M last quarter
    culture: float
    tech_debt: float
    utilization: float
    efficiency: float
    silicon: float  # custom-silicon progress 0..1
    ecosystem: float
    open_source: bool
    death_zone_quarters: int
    rescued: bool  # a strategic backer has rescued the lab already (it happens once, M8)
    velocity: float  # growth of compute and revenue, smoothed: what investors watch when pools are short (M8)
    spending: float  # $M a quarter it has been spending, smoothed: a round tops cash up to equity_plan_quarters of it (M8)
    escape_in: int  # quarters of dominance left before escape velocity (docs/design.md §4); -1 while not dominant
    score: float  # founders' equity value in points ($100M each)
    rank: int
    hubs: list[HubView]
    last_quarter: dict[str, float]  # every outcome and cash flow of the quarter just played


class RivalView(_View):
    """What the press knows about a rival."""

    index: int
    name: str
    status: str
    gpus: float  # GPUs online (announced clusters)
    stage: int
    stage_name: str
    share: float
    revenue: float
    valuation: float
    quality_rank: int
    open_source: bool
    escape_in: int  # quarters of dominance left before it reaches escape velocity; -1 while not dominant
    score: float  # founders' equity value in points ($100M each)
    rank: int


class MarketView(_View):
    """Public market figures."""

    list_price: float  # $M per GPU
    spot: float  # multiplier on list
    lead_time: float  # quarters to clear the industry backlog
    vendor_supply: float  # GPUs vendors ship next quarter
    cloud_price: float  # $M per GPU-quarter
    cloud_price_hour: float  # $ per GPU-hour: the same price as clouds quote it
    gpu_installed_cost: float  # $M per GPU bought now at spot, racks and network included (no premium)
    market_pay: float  # $M/yr: the reference package for a top researcher
    researchers_per_kgpu: float  # researchers a lab needs per 1,000 GPUs to use them well
    equity_plan_quarters: float  # a round tops cash up to this many quarters of me.spending, at most (M8)
    cloud_pool: float
    talent_pool: float
    talent_free: float
    revenue_pool: float  # $M AI revenue per quarter
    frontier: float
    sentiment: float
    sentiment_peak: float
    revenue_gap: float  # industry capex / AI revenue over 4 quarters
    gap_comfort: float  # the revenue gap investors are comfortable with (M8)
    music_gap: float  # past this gap, pressure for the music to stop builds (M8)
    equity_shut_below: float  # sentiment below which no equity round is sold (M8)
    music_stopped: bool
    music_quarter: str | None
    regime: str
    export_controls: bool
    equity_pool: float  # $M investors offered AI labs last quarter (M8, M11)
    loan_pool: float  # $M lenders offered AI labs last quarter


class Observation(_View):
    quarter: int  # 0 = the first quarter of the campaign
    label: str  # e.g. 2025Q3
    quarters: int
    quarters_left: int
    scenario: str
    me: LabView
    rivals: list[RivalView]
    market: MarketView
