"""What a lab can see at the start of a quarter: its own state in full, rivals' public figures.

Built by the session from the state arrays (``Game.observe``); bots receive it.
"""

from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field, model_serializer

from blitzgame.schemas.errors import did_you_mean

Status = Literal["alive", "bankrupt", "acquired"]  # a lab in the race, wound up, or bought by a rival (M9)


class _View(BaseModel):
    model_config = ConfigDict(frozen=True)

    if not TYPE_CHECKING:  # (type checkers name a misspelt field themselves)

        def __getattr__(self, name: str):
            try:
                return super().__getattr__(name)
            except AttributeError as error:  # a misspelt field: say which one was meant
                if name.startswith("__"):  # (a protocol probed: copy's __deepcopy__, and the like)
                    raise
                raise AttributeError(f"{error}{did_you_mean(name, type(self).model_fields)}", name=name,
                                     obj=self) from None


class HubView(_View):
    """A hub as everyone sees it, with this lab's own footprint there."""

    id: str
    name: str
    power_price: float = Field(description="$/MWh")
    pue: float
    headroom_mw: float = Field(description="grid capacity still free for new builds (shared)")
    build_lead_quarters: int
    build_cost_per_mw: float = Field(description="$M")
    gpus_per_mw: float = Field(description="GPUs one MW of power runs here (IT power per GPU x PUE)")
    export_blocked: bool = Field(description="vendor deliveries stopped by export controls")
    export_risk: float = Field(default=0.0, description="chance a quarter that export controls start and stop vendor "
                                                        "deliveries here, GPUs on order included (M11); 0 where "
                                                        "none apply")
    regulatory_risk: float = Field(default=0.0, description="chance a quarter that a regulator fines a lab running "
                                                            "GPUs here, by its share of running GPUs here (M11)")
    revenue_factor: float = Field(default=1.0, description="what customers pay for compute served from here (latency, "
                                                           "customers nearby): a lab's revenue is priced at the "
                                                           "average over its running GPUs' hubs (M2)")
    talent_factor: float = Field(default=1.0, description="the local talent pipeline: a lab's pull on researchers "
                                                          "counts the average over its running GPUs' hubs (M6)")
    subsidy_per_gpu: float = Field(default=0.0, description="$M a quarter a state pays a lab for each GPU running here "
                                                            "(M3: regulatory capture); 0 in most hubs")
    sovereign_funding: float = Field(default=0.0, description="how much more equity a round may sell for the sovereign "
                                                              "funds here (2.0: triple), weighted by the share of the "
                                                              "lab's power built here (M11); 0 in most hubs")
    gpus: float = Field(description="this lab's GPUs installed here")
    online: float
    stranded: float
    backlog: float = Field(description="GPUs ordered for this hub, not yet delivered")
    mw: float = Field(description="power built")
    mw_building: float = Field(description="power under construction")


class LastQuarter(_View):
    """What happened to the lab in the quarter just played (all zero before the first): its
    orders as the markets took them, its outcomes, and every cash flow, in $M. The inflows less
    the outflows are the change of its cash. Read it as ``obs.me.last_quarter.in_revenue``
    (``obs.me.last_quarter["in_revenue"]`` works too)."""

    equity_asked: float = Field(default=0.0, description="$M of new equity the lab asked investors for")
    equity_cap: float = Field(default=0.0,
                              description="$M of equity its valuation and the mood let it sell, before the pool was shared (M8)")
    equity_plan: float = Field(default=0.0,
                               description="$M of that its spending justified: cash up to equity_plan_quarters of it (M8)")
    debt_asked: float = Field(default=0.0, description="$M it asked to borrow")
    debt_cap: float = Field(default=0.0, description="$M lenders would still lend it, before the pool is shared")
    gpus_ordered: float = Field(default=0.0, description="new orders placed this quarter")
    gpus_wanted: float = Field(default=0.0, description="backlog the lab could pay for")
    gpus_delivered: float = Field(default=0.0, description="from vendors, this quarter")
    gpus_custom: float = Field(default=0.0, description="from the lab's own silicon")
    unit_price: float = Field(default=0.0, description="$M per GPU paid this quarter, installed")
    rented: float = Field(default=0.0, description="cloud GPU-equivalents this quarter")
    partner_gpus: float = Field(default=0.0, description="compute from a partnership")
    online_talent: float = Field(default=0.0, description="GPUs online weighted by each hub's talent factor")
    online_revenue: float = Field(default=0.0, description="GPUs online weighted by each hub's revenue factor")
    online_energy: float = Field(default=0.0, description="$M of power its running GPUs used")
    online_subsidy: float = Field(default=0.0, description="$M of subsidy its running GPUs earned")
    online_risk: float = Field(default=0.0, description="GPUs online weighted by each hub's regulatory risk")
    online_fine: float = Field(default=0.0, description="$M a regulator would fine its running GPUs")
    mw_asked: float = Field(default=0.0, description="MW of new power it asked the grids for")
    mw_granted: float = Field(default=0.0, description="MW the grids granted (M5)")
    attrition: float = Field(default=0.0, description="researchers who left")
    raided: float = Field(default=0.0, description="of which poached by rivals")
    laid_off: float = Field(default=0.0, description="researchers it laid off")
    hires_asked: float = Field(default=0.0, description="researchers it tried to hire")
    hires_won: float = Field(default=0.0, description="researchers it hired")
    staff_growth: float = Field(default=0.0, description="this quarter, as a share of last quarter's staff")
    poached: float = Field(default=0.0, description="of the hires, taken from rivals")
    train_run: float = Field(default=0.0, description="the training run: 0 none, 1 succeeded, -1 failed (M6)")
    train_chance: float = Field(default=0.0, description="the run's chance of success (M6)")
    quality_gain: float = Field(default=0.0, description="this quarter's change of model quality: the three below")
    quality_trained: float = Field(default=0.0, description="of it, the training run's gain (M1, M2)")
    quality_diffused: float = Field(default=0.0, description="copied from the best model (M3)")
    quality_lost: float = Field(default=0.0, description="lost to a disruptive new paradigm (M9)")
    heat_dark: float = Field(default=0.0, description="GPUs a heatwave took down this quarter (counted in STRANDED)")
    value_customers: float = Field(
        default=0.0, description="$M of its valuation from its customers (a year of the revenue it keeps, after a compute "
                                 "partner's share, at the mood's multiple, M8)")
    value_running: float = Field(default=0.0, description="$M of its valuation from its running GPUs")
    value_idle: float = Field(default=0.0, description="$M of its valuation from its idle GPUs, at a fire-sale price")
    value_net_cash: float = Field(default=0.0, description="$M of its valuation from its cash less its debt")
    covenant_called: float = Field(default=0.0, description="$M of debt past the covenant line that lenders called (M8)")
    demand: float = Field(default=0.0, description="$M of revenue customers wanted from this lab")
    share_churned: float = Field(default=0.0, description="market share lock-in did not hold: customers shopping around (M2)")
    share_won: float = Field(default=0.0, description="share won from them by the lab's appeal (M2, M3)")
    share_defected: float = Field(default=0.0, description="share lost to death-zone defection (M7)")
    share_unserved: float = Field(default=0.0, description="share that drifted away for want of serving compute (M2)")
    share_outage: float = Field(default=0.0, description="share an outage sent away (M6)")
    event: float = Field(default=0.0, description="code of this quarter's event (0: none)")
    fire_sold: float = Field(default=0.0, description="GPUs sold at fire-sale prices")
    sale_gpus: float = Field(default=0.0, description="GPUs that moved to the rival that bought the lab (M9)")
    sale_researchers: float = Field(default=0.0, description="researchers who moved with them")
    sale_share: float = Field(default=0.0, description="market share that moved with them")
    retention: float = Field(default=0.0, description="$M of this quarter's payroll that was death-zone retention grants (M7)")
    driver: float = Field(
        default=0.0, description="the flywheel link that moved most: 0 compute, 1 talent, 2 models, 3 customers, 4 revenue (M2)")
    in_equity: float = Field(default=0.0, description="$M in: equity raised")
    in_debt: float = Field(default=0.0, description="$M in: debt raised")
    in_parent: float = Field(default=0.0, description="$M in: a parent company's funding")
    in_subsidy: float = Field(default=0.0, description="$M in: subsidies")
    in_revenue: float = Field(default=0.0, description="$M in: revenue")
    in_fire_sale: float = Field(default=0.0, description="$M in: GPUs sold at a fire-sale price")
    in_rescue: float = Field(default=0.0, description="$M in: a strategic backer's rescue round")
    in_write_off: float = Field(default=0.0, description="$M in: a bankrupt lab's deficit absorbed by creditors")
    in_sale: float = Field(default=0.0, description="$M in: what a rival paid for the lab in distress (M9)")
    out_repay: float = Field(default=0.0, description="$M out: debt repaid")
    out_gpus: float = Field(default=0.0, description="$M out: GPUs bought and installed")
    out_rental: float = Field(default=0.0, description="$M out: cloud rental")
    out_power_build: float = Field(default=0.0, description="$M out: power built")
    out_hiring: float = Field(default=0.0, description="$M out: signing bonuses and severance")
    out_partner: float = Field(default=0.0, description="$M out: revenue share owed to a compute partner")
    out_power: float = Field(default=0.0, description="$M out: electricity")
    out_payroll: float = Field(default=0.0, description="$M out: payroll (death-zone retention included)")
    out_overhead: float = Field(default=0.0, description="$M out: overhead")
    out_interest: float = Field(default=0.0, description="$M out: interest")
    out_efficiency_rnd: float = Field(default=0.0, description="$M out: efficiency R&D")
    out_silicon_rnd: float = Field(default=0.0, description="$M out: custom silicon R&D")
    out_events: float = Field(default=0.0, description="$M out: fines and outages")
    out_acquisition: float = Field(default=0.0, description="$M out: paid for a rival bought in distress (M9)")

    def __getitem__(self, name: str) -> float:
        if name not in type(self).model_fields:  # (read as a dict, as it once was: a KeyError)
            raise KeyError(f"{name!r} is not a figure of the last quarter{did_you_mean(name, type(self).model_fields)}")
        return getattr(self, name)


class LabView(_View):
    """The observing lab's own state, in full."""

    index: int
    name: str
    status: Status = Field(description="alive / bankrupt / acquired")
    position: str
    cash: float = Field(description="$M")
    debt: float = Field(description="$M owed to lenders; interest is paid on it every quarter (M8)")
    debt_room: float = Field(
        description="$M lenders would lend on top of its debt at today's terms, before the quarter's loan pool is shared (M8)")
    valuation: float = Field(description="$M: what investors value the lab at (its customers, GPUs and net cash, M8)")
    stake: float = Field(description="founders' share, 0..1: every equity round sold dilutes it; the score is this share "
                                     "of the lab's value")
    runway: float = Field(description="quarters at last quarter's burn (99 = cash-flow positive)")
    burn: float = Field(description="$M net operating outflow last quarter")
    gpus: float = Field(description="GPUs installed, all hubs: online + stranded")
    online: float = Field(description="GPUs running: powered, and not taken down by a heatwave (M5)")
    stranded: float = Field(description="GPUs installed but idle: no power for them, or a heatwave took them dark "
                                        "(``unpowered`` is the first part, M5, M11)")
    backlog: float = Field(description="GPUs ordered from vendors, not yet delivered (M4)")
    stage: int = Field(description="0 Experiment .. 4 Dominator (M1)")
    stage_name: str
    researchers: float = Field(description="top researchers employed (a count, kept fractional)")
    talent_quality: float = Field(description="their mean quality: 1.0 is a researcher hired at the market's "
                                              "reference pay; paying more hires better (M6)")
    talent_density: float = Field(description="0..1: the researchers, each at its quality, over those the lab's "
                                              "compute needs (market.researchers_per_kgpu per 1,000 GPUs); below 1 "
                                              "training runs fail more often and GPUs sit less used (M6)")
    staff: float = Field(description="engineering and operations headcount: grows with researchers and GPUs, "
                                     "and is paid in the payroll")
    package: float = Field(description="$M/yr per researcher")
    quality: float = Field(description="model quality (tier ceiling = stage + 1)")
    quality_rank: int = Field(description="1 = best model among living labs")
    share: float = Field(description="share of the customers, 0..1: the lab's demand is this share of the AI "
                                     "revenue pool, served as far as its compute goes (M2)")
    revenue: float = Field(description="$M last quarter")
    culture: float = Field(description="0.1..1: diluted by fast hiring, burnout and layoffs, recovers slowly; low "
                                       "culture makes researchers leave and hires harder to win (M6)")
    tech_debt: float = Field(description="0..1: grows with each doubling of the fleet, paid down by efficiency R&D; "
                                         "it lowers utilization and training success and raises outages (M6)")
    utilization: float = Field(description="share of compute doing useful work, 0..1: rises with talent density, "
                                           "falls with tech debt (M6)")
    efficiency: float = Field(description="multiplier on effective compute, 1 and up: efficiency R&D raises it (M12)")
    silicon: float = Field(description="custom-silicon progress 0..1")
    ecosystem: float = Field(description="0..1: control of the developer ecosystem, built by open weights and "
                                         "share; it draws customers and researchers (M13)")
    open_source: bool = Field(description="the lab releases its model weights (M13)")
    death_zone_quarters: int = Field(description="quarters spent so far with 1,000-9,999 GPUs online, the death zone: "
                                                 "the longer, the faster researchers and customers leave (M7)")
    rescued: bool = Field(description="a strategic backer has rescued the lab already (it happens once, M8)")
    velocity: float = Field(description="growth of compute and revenue, smoothed: what investors watch when pools are short (M8)")
    spending: float = Field(
        description="$M a quarter it has been spending, smoothed: a round tops cash up to equity_plan_quarters of it (M8)")
    escape_in: int = Field(
        description="quarters of dominance left before escape velocity (docs/design.md §4); -1 while not dominant")
    score: float = Field(description="founders' equity value in points ($100M each)")
    rank: int = Field(
        description="1 = first in the standings; before the first quarter every score is 0 and ranks follow seat order")
    hubs: list[HubView]
    last_quarter: LastQuarter = Field(description="every outcome and cash flow of the quarter just played")

    # ``hubs`` and ``last_quarter`` are numbers a bot may never read: the session may leave
    # them out (it leaves ``last_quarter``, ~60 of them) and put ``{name: (make, *args)}`` in
    # the private slot instead, each made as ``make(*args)`` on first use, by any route
    # (attribute, dump, copy, pickle, equality, repr), so a bot never sees the difference.
    # (Hidden from type checkers, as pydantic hides its own, so that a misspelt field is an
    # error there, not ``Any``.)
    if not TYPE_CHECKING:

        def __getattr__(self, name: str):
            later = self.__pydantic_private__
            if later and name in later:
                make, *args = later.pop(name)
                self.__dict__[name] = value = make(*args)
                if not later:
                    object.__setattr__(self, "__pydantic_private__", None)
                return value
            return super().__getattr__(name)

    def _complete(self) -> None:
        """Make the fields left for later, if any."""
        later = self.__pydantic_private__
        if later:
            for name, (make, *args) in later.items():
                self.__dict__[name] = make(*args)
            object.__setattr__(self, "__pydantic_private__", None)

    @model_serializer(mode="wrap")
    def _dump(self, handler):
        self._complete()
        return handler(self)

    def __eq__(self, other: object) -> bool:
        self._complete()
        if isinstance(other, LabView):
            other._complete()
        return super().__eq__(other)

    __hash__ = None  # as a pydantic model's: views are compared by value, not hashed

    def __iter__(self):
        self._complete()
        return super().__iter__()

    def __repr_args__(self):
        self._complete()
        return super().__repr_args__()

    def __copy__(self):
        self._complete()
        return super().__copy__()

    def __deepcopy__(self, memo=None):
        self._complete()
        return super().__deepcopy__(memo)

    def __getstate__(self):
        self._complete()
        return super().__getstate__()

    @property
    def unpowered(self) -> float:
        """GPUs idle for lack of power: the stranded ones less those a heatwave took dark (M5, M11)."""
        return self.stranded - self.last_quarter.heat_dark


class RivalView(_View):
    """What the press knows about a rival."""

    index: int
    name: str
    status: Status = Field(description="alive / bankrupt / acquired (bought by a rival in distress, M9)")
    gpus: float = Field(description="GPUs online (announced clusters)")
    stage: int
    stage_name: str
    share: float = Field(description="share of the customers, 0..1 (M2)")
    revenue: float = Field(description="$M last quarter")
    partner_take: float = Field(default=0.0, description="$M of that revenue its compute partner took (deals are public, "
                                                          "M13); investors value the rest")
    valuation: float = Field(description="$M, as investors value it")
    quality_rank: int = Field(description="1 = best model among living labs")
    open_source: bool
    escape_in: int = Field(description="quarters of dominance left before it reaches escape velocity; -1 while not dominant")
    score: float = Field(description="founders' equity value in points ($100M each)")
    rank: int = Field(
        description="1 = first in the standings; before the first quarter every score is 0 and ranks follow seat order")


class MarketView(_View):
    """Public market figures."""

    list_price: float = Field(description="$M per GPU")
    spot: float = Field(description="multiplier on list")
    lead_time: float = Field(description="quarters to clear the industry backlog")
    vendor_supply: float = Field(description="GPUs vendors make a quarter, before any scenario event's cut; "
                                             "it grows every quarter")
    vendor_shipments: float = Field(description="GPUs vendors ship this quarter, shared by priority (M4): their "
                                                "output under the scenario's supply events, plus resold_gpus")
    resold_gpus: float = Field(description="GPUs fire-sold last quarter, back on sale this quarter among vendor_shipments")
    cloud_price: float = Field(description="$M per GPU-quarter of rent at today's spot (the GPU market moves it before you rent)")
    cloud_price_hour: float = Field(description="$ per GPU-hour: the same price as clouds quote it")
    gpu_installed_cost: float = Field(description="$M per GPU bought now at spot, racks and network included (no premium)")
    market_pay: float = Field(description="$M/yr: the reference package for a top researcher")
    average_pay: float = Field(description="$M/yr: the labs' packages on average; paying less loses researchers faster (M6)")
    researchers_per_kgpu: float = Field(description="researchers a lab needs per 1,000 GPUs to use them well")
    equity_plan_quarters: float = Field(description="a round tops cash up to this many quarters of me.spending, at most (M8)")
    cloud_pool: float = Field(description="GPU-equivalents clouds rent out this quarter, shared among the labs that "
                                          "rent (M13)")
    talent_pool: float = Field(description="top researchers in the world")
    talent_free: float = Field(description="of them, employed by no lab: hires come from here; a lab the pool cannot "
                                           "satisfy poaches from rivals (M6)")
    revenue_pool: float = Field(description="$M AI revenue per quarter")
    frontier: float = Field(description="the best model quality among the labs; others' models copy toward it (M3)")
    sentiment: float = Field(description="the capital market's mood, 0..2, 1 = normal: it sets valuations, the "
                                         "pools and whether equity sells at all (M8)")
    sentiment_peak: float = Field(description="the highest sentiment so far in the campaign")
    revenue_gap: float = Field(description="industry capex / AI revenue over 4 quarters")
    gap_comfort: float = Field(description="the revenue gap investors are comfortable with (M8)")
    music_gap: float = Field(description="past this gap, pressure for the music to stop builds (M8)")
    equity_shut_below: float = Field(description="sentiment below which no equity round is sold (M8)")
    music_stopped: bool = Field(description="the crash has happened: funding freezes, valuations fall (M8)")
    music_quarter: str | None = Field(description="the quarter it happened, e.g. 2026Q3; None while the music plays")
    regime: str = Field(description="the endgame (M9): undecided until it shows, then consolidation, "
                                    "commoditization or disruption")
    export_controls: bool = Field(description="export controls are on: vendors stop shipping to controlled hubs "
                                              "(a hub's export_blocked, M11)")
    equity_pool: float = Field(description="$M investors offered AI labs last quarter (M8, M11)")
    loan_pool: float = Field(description="$M lenders offered AI labs last quarter")


class Observation(_View):
    quarter: int = Field(description="0 = the first quarter of the campaign")
    label: str = Field(description="e.g. 2025Q3")
    quarters: int
    quarters_left: int
    scenario: str
    seed: int = Field(description="for the bot's own random numbers (random.Random(obs.seed)): the same in every "
                                   "quarter and every replay of this game and lab, another in another game or "
                                   "lab; made one-way from the game's seed, so it tells nothing of the game's dice")
    me: LabView
    rivals: list[RivalView]
    market: MarketView
