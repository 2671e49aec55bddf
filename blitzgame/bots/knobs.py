"""The numbers that make an archetype: one row of ``knobs[K]`` per built-in bot.

Their values live in ``assets/archetypes.toml``; the compiled policy
(``bots.policies.archetype_orders``) reads them by these indices.
"""

from blitzgame.engine.layout import _Registry

_k = _Registry()
RESERVE = _k.add("reserve_quarters")  # quarters of running costs kept in the bank
GROWTH = _k.add("growth_share")  # share of the cash beyond the reserve spent on growth each quarter
DIP_GROWTH = _k.add("dip_growth_share")  # extra share when GPUs are cheap or the music has stopped
NICHE = _k.add("niche_gpus")  # stops growing its own cluster at this many GPUs (0: no limit)
MAX_SPOT = _k.add("max_spot")  # buys no new GPUs while the spot multiplier is above this
PREMIUM = _k.add("premium")  # price premium offered to jump the GPU queue, 0..1
HUBS = _k.add("hubs")  # how many hubs it builds power at
RISK = _k.add("risk_appetite")  # 0 avoids risky hubs, 1 chases cheap power and subsidies anywhere
RENT = _k.add("rent_share")  # share of the growth budget spent on cloud rental
SILICON = _k.add("silicon_share")  # share of the growth budget spent on custom silicon
EFFICIENCY = _k.add("efficiency_share")  # share of spare cash spent on efficiency R&D
OPEN_SOURCE = _k.add("open_source")  # 1: releases its weights
PARTNERSHIP = _k.add("partnership")  # 0..1 of a compute partnership with a big holder
PAY = _k.add("pay")  # researcher package, as a multiple of the market reference
STAFFING = _k.add("staffing")  # researchers wanted per the number its cluster needs
TRAIN = _k.add("train_split")  # share of compute spent training
RAISE = _k.add("raise_share")  # equity raised per round, as a share of valuation
RAISE_MOOD = _k.add("raise_sentiment")  # raises only while sentiment is at least this
LEVERAGE = _k.add("leverage")  # debt it carries, in quarters of running costs
BID = _k.add("bid_share")  # share of its spare cash it offers for a rival in distress (M9)
EFFICIENCY_CASH = _k.add("efficiency_cash")  # share of all its cash on efficiency R&D each quarter, beside efficiency_share's
RAISE_ALWAYS = _k.add("raise_always")  # equity asked every quarter at any mood, as a share of its valuation
# quarters of running costs kept beside reserve_quarters once investors gave less than half the round its plan justified
RATIONED_RESERVE = _k.add("rationed_reserve")
SERVE = _k.add("serve_margin")  # >0: serves this multiple of last quarter's demand and trains the rest (never below train_split)
KNOB_COUNT = _k.size
KNOB_NAMES = _k.names

# what a built-in bot is: the policy kernel that plays it
CODE_BASELINE = 0
CODE_ARCHETYPE = 1
CODE_GREEDY = 2
CODE_RANDOM = 3
CODE_ACTION = 4  # plays one fixed action (``bots.actions``) every quarter: its knobs are the action
CODE_STRATEGIST = 5  # plans by rollouts (``bots.strategist``): its knobs are its settings and its playbook
