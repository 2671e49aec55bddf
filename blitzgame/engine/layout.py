"""Where every number of the game state lives: the one place that names array indices.

The core keeps a game as plain float64 arrays (docs/design.md §6):

- ``lab[G, L, LAB_FIELDS]``   one row per lab: its state and this quarter's outcomes
- ``world[G, WORLD_FIELDS]``  markets shared by the labs of one game
- ``orders[G, L, ORDER_FIELDS]`` what each lab asked for this quarter
- ``params[PARAM_COUNT]``     balance numbers (``assets/balance.toml``)
- ``hubs[H, HUB_PARAM_COUNT]`` data-center hubs (``assets/hubs.toml``)
- ``sched[T, SCHED_FIELDS]``  the scenario's shocks, one row per quarter

Indices are module-level ints, so numba folds them into constants. Per-hub blocks
start at a base index: GPUs at hub ``h`` are ``lab[l, HUB_GPUS + h]``.
"""

MAX_HUBS = 6  # the data ships 5; room for one more without touching the core
PIPE = 4  # power under construction: one slot per quarter of remaining lead time


class _Registry:
    """Hands out consecutive indices and remembers their names, in order."""

    def __init__(self) -> None:
        self.names: dict[str, int] = {}
        self.size = 0

    def add(self, name: str, width: int = 1) -> int:
        index = self.size
        if width == 1:
            self.names[name] = index
        else:
            for k in range(width):
                self.names[f"{name}[{k}]"] = index + k
        self.size += width
        return index


# --- lab fields --------------------------------------------------------------
_lab = _Registry()
STATUS = _lab.add("status")  # ALIVE / BANKRUPT / ACQUIRED
POSITION = _lab.add("position")  # 0 startup, 1 challenger, 2 incumbent
CASH = _lab.add("cash")  # $M
DEBT = _lab.add("debt")  # $M
VALUATION = _lab.add("valuation")  # $M, equity value
STAKE = _lab.add("stake")  # founders' share of the equity, 0..1
PARENT_CF = _lab.add("parent_cf")  # $M per quarter from a parent company
HUB_GPUS = _lab.add("hub_gpus", MAX_HUBS)  # GPUs installed at each hub
HUB_BACKLOG = _lab.add("hub_backlog", MAX_HUBS)  # ordered, not yet delivered
HUB_MW = _lab.add("hub_mw", MAX_HUBS)  # power built and energised
HUB_MW_PIPE = _lab.add("hub_mw_pipe", MAX_HUBS * PIPE)  # [h*PIPE + t % PIPE]: comes online in quarter t
HUB_ONLINE = _lab.add("hub_online", MAX_HUBS)  # GPUs the hub's power can run
HUB_STRANDED = _lab.add("hub_stranded", MAX_HUBS)  # GPUs sitting idle for lack of power
GPUS = _lab.add("gpus")  # all GPUs owned
ONLINE = _lab.add("online")  # GPUs running
STRANDED = _lab.add("stranded")
BACKLOG = _lab.add("backlog")
# the five links of the flywheel (M2), side by side: link k is field COMPUTE + k
COMPUTE = _lab.add("compute")  # effective GPU-equivalents doing work
RESEARCHERS = _lab.add("researchers")
QUALITY = _lab.add("quality")  # model quality; its ceiling is the stage tier + 1
SHARE = _lab.add("share")  # share of the customers: its demand is that share of the AI revenue pool (M2)
REVENUE = _lab.add("revenue")  # $M this quarter
TALENT_QUALITY = _lab.add("talent_quality")  # mean researcher quality: 1.0 is one hired at the reference pay (M6)
STAFF = _lab.add("staff")  # engineering and operations headcount
CULTURE = _lab.add("culture")  # 0.1..1
TECH_DEBT = _lab.add("tech_debt")  # 0..1
UTILIZATION = _lab.add("utilization")  # share of compute doing useful work
EFFICIENCY = _lab.add("efficiency")  # multiplier on effective compute, >= 1
SILICON = _lab.add("silicon")  # custom-silicon progress, 0..1 (1 = own chips)
ECOSYSTEM = _lab.add("ecosystem")  # developer ecosystem control, 0..1
RELATIONSHIP = _lab.add("relationship")  # GPUs bought from vendors, ever
OPEN_SOURCE = _lab.add("open_source")  # 1 while weights are released
PACKAGE = _lab.add("package")  # $M/yr pay offered to researchers
DOMINANT_QUARTERS = _lab.add("dominant_quarters")
DEATH_ZONE_QUARTERS = _lab.add("death_zone_quarters")
PEAK_GPUS = _lab.add("peak_gpus")
VELOCITY = _lab.add("velocity")  # growth of compute and revenue, smoothed over quarters (investors watch it, M8)
SPENDING = _lab.add("spending")  # $M a quarter it spends (every outflow but debt repaid), smoothed: the plan investors fund (M8)
START_VALUE = _lab.add("start_value")  # $M the founders' stake was worth when the campaign began
BOUGHT_BY = _lab.add("bought_by")  # index + 1 of the rival that bought the lab in distress, 0 if none (M9)
RESCUED = _lab.add("rescued")  # quarter index + 1 when a strategic backer saved the lab, 0 if never
SCORE = _lab.add("score")
RANK = _lab.add("rank")  # 1 = best, refreshed every quarter
# this quarter's outcomes, reset at the start of each quarter
CASH_START = _lab.add("cash_start")
EQUITY_ASKED = _lab.add("equity_asked")
EQUITY_CAP = _lab.add("equity_cap")  # $M its valuation and the mood let it sell, before the pool is shared
EQUITY_PLAN = _lab.add("equity_plan")  # $M of that its spending justifies: cash up to equity_plan_quarters of it
DEBT_ASKED = _lab.add("debt_asked")  # $M it asked to borrow
DEBT_CAP = _lab.add("debt_cap")  # $M lenders would still lend it, before the pool is shared
GPUS_ORDERED = _lab.add("gpus_ordered")  # new orders placed this quarter
GPUS_WANTED = _lab.add("gpus_wanted")  # backlog the lab could pay for
GPUS_DELIVERED = _lab.add("gpus_delivered")  # from vendors, this quarter
GPUS_CUSTOM = _lab.add("gpus_custom")  # from the lab's own silicon
UNIT_PRICE = _lab.add("unit_price")  # $M per GPU paid this quarter, installed
RENTED = _lab.add("rented")  # cloud GPU-equivalents this quarter
PARTNER_GPUS = _lab.add("partner_gpus")  # compute from a partnership
# the running fleet weighted by hub traits (sum over hubs of online GPUs x trait), set in phase 3
ONLINE_TALENT = _lab.add("online_talent")  # x talent_factor
ONLINE_REVENUE = _lab.add("online_revenue")  # x revenue_factor
ONLINE_ENERGY = _lab.add("online_energy")  # x energy_per_gpu: $M of power this quarter
ONLINE_SUBSIDY = _lab.add("online_subsidy")  # x subsidy_per_gpu: $M of subsidy this quarter
ONLINE_RISK = _lab.add("online_risk")  # x regulatory_risk
ONLINE_FINE = _lab.add("online_fine")  # x fine_per_gpu: $M a regulator would fine
MW_ASKED = _lab.add("mw_asked")
MW_GRANTED = _lab.add("mw_granted")
ATTRITION = _lab.add("attrition")  # researchers who left
RAIDED = _lab.add("raided")  # of which poached by rivals
LAID_OFF = _lab.add("laid_off")
HIRES_ASKED = _lab.add("hires_asked")
HIRES_WON = _lab.add("hires_won")
STAFF_GROWTH = _lab.add("staff_growth")  # this quarter, as a share of last quarter's staff
POACHED = _lab.add("poached")  # of the hires, taken from rivals
TRAIN_RUN = _lab.add("train_run")  # 0 no run, 1 success, -1 failed
TRAIN_CHANCE = _lab.add("train_chance")  # the run's chance of success (M6)
QUALITY_GAIN = _lab.add("quality_gain")  # this quarter's change of model quality: the three below
QUALITY_TRAINED = _lab.add("quality_trained")  # of it, the training run's gain (M1, M2)
QUALITY_DIFFUSED = _lab.add("quality_diffused")  # copied from the best model (M3)
QUALITY_LOST = _lab.add("quality_lost")  # lost to a disruptive new paradigm (M9)
HEAT_DARK = _lab.add("heat_dark")  # GPUs a heatwave took down this quarter (counted in STRANDED)
VALUE_CUSTOMERS = _lab.add("value_customers")  # the valuation's parts when investors priced it (M8): its customers,
VALUE_RUNNING = _lab.add("value_running")  # its running GPUs,
VALUE_IDLE = _lab.add("value_idle")  # its idle GPUs at a fire-sale price,
VALUE_NET_CASH = _lab.add("value_net_cash")  # and its cash less its debt
COVENANT_CALLED = _lab.add("covenant_called")  # $M of debt past the covenant line that lenders called (M8)
DEMAND = _lab.add("demand")  # $M of revenue customers wanted from this lab
SHARE_CHURNED = _lab.add("share_churned")  # market share lock-in did not hold: customers shopping around (M2)
SHARE_WON = _lab.add("share_won")  # share won from them by the lab's appeal (M2, M3)
SHARE_DEFECTED = _lab.add("share_defected")  # share lost to death-zone defection (M7)
SHARE_UNSERVED = _lab.add("share_unserved")  # share that drifted away for want of serving compute (M2)
SHARE_OUTAGE = _lab.add("share_outage")  # share an outage sent away (M6)
EVENT = _lab.add("event")  # EV_* code of this quarter's event, 0 if none
FIRE_SOLD = _lab.add("fire_sold")  # GPUs sold at fire-sale prices
SALE_GPUS = _lab.add("sale_gpus")  # GPUs that moved to the rival that bought the lab (M9)
SALE_RESEARCHERS = _lab.add("sale_researchers")  # researchers who moved with them
SALE_SHARE = _lab.add("sale_share")  # market share that moved with them
RETENTION = _lab.add("retention")  # $M of this quarter's payroll that was death-zone retention grants (M7)
DRIVER = _lab.add("driver")  # flywheel link that moved most (LINK_*)
FLYWHEEL = _lab.add("flywheel", 5)  # change of each link this quarter (LINK_FIELDS)
WEIGHT = _lab.add("weight")  # scratch: priority in this quarter's markets
SCRATCH = _lab.add("scratch")  # scratch: a phase's working value
# cash flows of this quarter ($M); cash change == sum(IN) - sum(OUT)
IN_EQUITY = _lab.add("in_equity")
IN_DEBT = _lab.add("in_debt")
IN_PARENT = _lab.add("in_parent")
IN_SUBSIDY = _lab.add("in_subsidy")
IN_REVENUE = _lab.add("in_revenue")
IN_FIRE_SALE = _lab.add("in_fire_sale")
IN_RESCUE = _lab.add("in_rescue")  # a strategic backer's rescue round
IN_WRITE_OFF = _lab.add("in_write_off")  # creditors absorb a bankrupt lab's deficit
IN_SALE = _lab.add("in_sale")  # what a rival paid for the lab in distress (M9)
OUT_REPAY = _lab.add("out_repay")
OUT_GPUS = _lab.add("out_gpus")
OUT_RENTAL = _lab.add("out_rental")
OUT_POWER_BUILD = _lab.add("out_power_build")
OUT_HIRING = _lab.add("out_hiring")  # signing bonuses and severance
OUT_PARTNER = _lab.add("out_partner")  # revenue share owed to a compute partner
OUT_POWER = _lab.add("out_power")
OUT_PAYROLL = _lab.add("out_payroll")
OUT_OVERHEAD = _lab.add("out_overhead")
OUT_INTEREST = _lab.add("out_interest")
OUT_EFFICIENCY_RND = _lab.add("out_efficiency_rnd")
OUT_SILICON_RND = _lab.add("out_silicon_rnd")
OUT_EVENTS = _lab.add("out_events")  # fines, outages
OUT_ACQUISITION = _lab.add("out_acquisition")  # paid for a rival bought in distress (M9)
LAB_FIELDS = _lab.size
LAB_FIELD_NAMES = _lab.names
INFLOWS = (IN_EQUITY, IN_DEBT, IN_PARENT, IN_SUBSIDY, IN_REVENUE, IN_FIRE_SALE, IN_RESCUE, IN_WRITE_OFF, IN_SALE)
OUTFLOWS = (
    OUT_REPAY, OUT_GPUS, OUT_RENTAL, OUT_POWER_BUILD, OUT_HIRING, OUT_PARTNER, OUT_POWER,
    OUT_PAYROLL, OUT_OVERHEAD, OUT_INTEREST, OUT_EFFICIENCY_RND, OUT_SILICON_RND, OUT_EVENTS, OUT_ACQUISITION,
)
FIRST_FLOW = IN_EQUITY
LAST_FLOW = OUT_ACQUISITION
assert INFLOWS == tuple(range(FIRST_FLOW, OUT_REPAY)) and OUTFLOWS == tuple(range(OUT_REPAY, LAST_FLOW + 1))
FIRST_OUTCOME = CASH_START

# lab status
ALIVE = 0.0
BANKRUPT = 1.0
ACQUIRED = 2.0
STATUS_NAMES = {ALIVE: "alive", BANKRUPT: "bankrupt", ACQUIRED: "acquired"}

# scaling stages (M1), as returned by turn.stage
STAGE_NAMES = ("Experiment", "Startup", "Competitor", "Leader", "Dominator")
STAGE_FLOORS = (0.0, 100.0, 1000.0, 10000.0, 100000.0)  # M1: the GPUs online each stage starts at

# flywheel links (M2), in the order of FLYWHEEL
LINK_COMPUTE = 0
LINK_TALENT = 1
LINK_MODELS = 2
LINK_CUSTOMERS = 3
LINK_REVENUE = 4
LINK_NAMES = ("compute", "talent", "models", "customers", "revenue")
LINK_FIELDS = (COMPUTE, RESEARCHERS, QUALITY, SHARE, REVENUE)  # the state each link is measured by
assert LINK_FIELDS == tuple(range(COMPUTE, COMPUTE + 5))
LINK_FLOORS = (1.0, 1.0, 0.1, 0.01, 1.0)  # the smallest base a relative change is taken against

# events (phase 10)
EV_NONE = 0
EV_OUTAGE = 1  # tech debt bites: an outage costs revenue
EV_FINE = 2  # a regulator fines the lab at a risky hub
EV_EXPORT_SEIZED = 3  # export controls strand the lab's backlog at a controlled hub
EV_HEATWAVE = 4  # cooling fails at a hot hub: part of its GPUs go dark for the quarter
EVENT_NAMES = ("none", "outage", "fine", "export controls", "heatwave")

# endgame regimes (M9)
REGIME_NONE = 0
REGIME_CONSOLIDATION = 1
REGIME_COMMODITIZATION = 2
REGIME_DISRUPTION = 3
REGIME_NAMES = ("undecided", "consolidation", "commoditization", "disruption")

# --- world fields ---------------------------------------------------------------
_world = _Registry()
QUARTER = _world.add("quarter")  # quarters already resolved
N_QUARTERS = _world.add("n_quarters")
GAME_OVER = _world.add("game_over")  # 1 once the campaign has ended
WINNER = _world.add("winner")  # lab index of a dominance win, -1 if none
VENDOR_SUPPLY = _world.add("vendor_supply")  # new GPUs vendors ship this quarter
SECONDARY = _world.add("secondary")  # GPUs dumped by fire sales, resold next quarter
SUPPLY = _world.add("supply")  # vendor + secondary, this quarter
DEMAND_GPUS = _world.add("demand_gpus")  # payable backlog competing for supply
DELIVERED = _world.add("delivered")  # sum of vendor deliveries this quarter
LIST_PRICE = _world.add("list_price")  # $M per GPU before the spot premium
SPOT = _world.add("spot")  # spot multiplier on the list price
LEAD_TIME = _world.add("lead_time")  # quarters to clear the industry backlog
CLOUD_POOL = _world.add("cloud_pool")  # rentable GPU-equivalents
CLOUD_PRICE = _world.add("cloud_price")  # $M per GPU-quarter
CLOUD_RENTED = _world.add("cloud_rented")
TALENT_POOL = _world.add("talent_pool")  # top researchers in the world
TALENT_FREE = _world.add("talent_free")  # not employed by any lab
REVENUE_POOL = _world.add("revenue_pool")  # $M of AI revenue per quarter
FRONTIER = _world.add("frontier")  # best model quality
SENTIMENT = _world.add("sentiment")  # capital-market mood, 0..2 (1 = normal)
SENTIMENT_PEAK = _world.add("sentiment_peak")
EQUITY_POOL = _world.add("equity_pool")  # $M investors put into AI labs this quarter, at most (M8, M11)
LOAN_POOL = _world.add("loan_pool")  # $M lenders lend to AI labs this quarter, at most
EQUITY_SUPPLIED = _world.add("equity_supplied")  # sum of every quarter's equity pool so far
EQUITY_RAISED = _world.add("equity_raised")  # sum of the equity labs raised so far
LOANS_SUPPLIED = _world.add("loans_supplied")
LOANS_RAISED = _world.add("loans_raised")
REVENUE_GAP = _world.add("revenue_gap")  # capex / AI revenue, trailing 4 quarters
CAPEX_4Q = _world.add("capex_4q", 4)  # ring of the industry's last 4 quarters of capex
REVENUE_4Q = _world.add("revenue_4q", 4)
MUSIC_PRESSURE = _world.add("music_pressure")  # revenue gap past the danger line, piling up
MUSIC_STOPPED = _world.add("music_stopped")
MUSIC_QUARTER = _world.add("music_quarter")  # quarter index it stopped, -1 if not
REGIME = _world.add("regime")
REGIME_FIXED = _world.add("regime_fixed")  # 1 when the scenario fixes the regime
REGIME_QUARTER = _world.add("regime_quarter")  # quarter when the regime is drawn
EXPORT_CONTROLS = _world.add("export_controls")  # 1 while controls are on
HEADROOM = _world.add("headroom", MAX_HUBS)  # MW the grid can still connect, per hub
OPEN_MODELS = _world.add("open_models")  # labs releasing weights this quarter
ALIVE_LABS = _world.add("alive_labs")
WORLD_FIELDS = _world.size
WORLD_FIELD_NAMES = _world.names

# --- orders ---------------------------------------------------------------------
_orders = _Registry()
O_GPUS = _orders.add("gpus", MAX_HUBS)  # new GPU orders per hub
O_CANCEL = _orders.add("cancel")  # share of the backlog to cancel, 0..1
O_PREMIUM = _orders.add("premium")  # price premium offered, 0..1 over spot
O_RENT = _orders.add("rent")  # cloud GPU-equivalents for this quarter
O_MW = _orders.add("mw", MAX_HUBS)  # power to build per hub
O_HIRE = _orders.add("hire")  # researchers to hire
O_PACKAGE = _orders.add("package")  # $M/yr per researcher
O_LAYOFF = _orders.add("layoff")
O_TRAIN_SPLIT = _orders.add("train_split")  # share of compute spent training
O_EQUITY = _orders.add("equity")  # $M to raise
O_DEBT = _orders.add("debt")  # $M to borrow (> 0) or repay (< 0)
O_EFFICIENCY_RND = _orders.add("efficiency_rnd")  # $M
O_SILICON_RND = _orders.add("silicon_rnd")  # $M
O_OPEN_SOURCE = _orders.add("open_source")  # 0/1
O_PARTNERSHIP = _orders.add("partnership")  # 0..1 of a compute partnership
O_BID = _orders.add("bid")  # $M it would pay, at most, for a rival in distress (M9)
ORDER_FIELDS = _orders.size
ORDER_FIELD_NAMES = _orders.names

# --- hubs -------------------------------------------------------------------------
_hub = _Registry()
HP_POWER_PRICE = _hub.add("power_price")  # $/MWh
HP_PUE = _hub.add("pue")
HP_HEADROOM = _hub.add("headroom_mw")  # MW a new lab-wide build can still connect
HP_BUILD_LEAD = _hub.add("build_lead_quarters")  # 1..PIPE
HP_BUILD_COST = _hub.add("build_cost_per_mw")  # $M per MW
HP_REVENUE_FACTOR = _hub.add("revenue_factor")  # latency and customer proximity
HP_TALENT_FACTOR = _hub.add("talent_factor")  # local talent pipeline
HP_REGULATORY_RISK = _hub.add("regulatory_risk")  # chance per quarter of a fine
HP_FINE_PER_GPU = _hub.add("fine_per_gpu")  # $M per GPU when fined
HP_EXPORT_RISK = _hub.add("export_risk")  # chance per quarter that controls start
HP_EXPORT_CONTROLLED = _hub.add("export_controlled")  # 1: controls block deliveries here
HP_SOVEREIGN_FUNDING = _hub.add("sovereign_funding")  # extra equity capacity per share of MW
HP_SUBSIDY_PER_GPU = _hub.add("subsidy_per_gpu")  # $M per online GPU per quarter
HP_HEAT_RISK = _hub.add("heat_risk")  # chance per quarter of a cooling failure
HUB_PARAM_NAMES = dict(_hub.names)  # the numbers a hub's data file gives
# derived when a world is compiled, so the kernel multiplies instead of dividing
HP_GPUS_PER_MW = _hub.add("gpus_per_mw")  # 1000 / (kW per GPU x PUE)
HP_ENERGY_PER_GPU = _hub.add("energy_per_gpu")  # $M of power per running GPU-quarter
HUB_PARAM_COUNT = _hub.size

# --- scenario schedule (one row per quarter) ---------------------------------------
_sched = _Registry()
S_SUPPLY_MULT = _sched.add("supply_mult")  # multiplies vendor supply this quarter
S_SENTIMENT_SHOCK = _sched.add("sentiment_shock")  # added to sentiment this quarter
S_MUSIC_STOPS = _sched.add("music_stops")  # 1: the music stops this quarter
S_EXPORT_CONTROLS = _sched.add("export_controls")  # 1: controls start this quarter
S_HEADROOM_DELTA = _sched.add("headroom_delta", MAX_HUBS)  # MW added (or cut) per hub
SCHED_FIELDS = _sched.size
SCHED_FIELD_NAMES = _sched.names
