"""MomentumBot: an example Blitzgame bot that rides the market's mood, in plain Python.

It reads only its ``Observation`` and answers with ``Orders``:

- it keeps a year (four quarters) of running costs in the bank and spends from the rest:
  a third of it a quarter while sentiment is rising, a tenth while it falls, nothing on
  new GPUs once the music has stopped;
- GPUs only where it has power to run them; new power at the open hub with the cheapest
  energy (each quarter of build lead time counted against it);
- researchers to match its cluster, at a tenth over the market's pay;
- equity while investors are euphoric, a bridge round when runway runs short (never more
  than its plan justifies: ``market.equity_plan_quarters`` x ``me.spending`` less its cash),
  debt when the market is closed.

Play it:  blitzgame sim --bots examples/momentum_bot.py:MomentumBot,baseline
"""

from blitzgame.bots import Bot, HubView, Observation, Orders

PAY_OVER_MARKET = 1.1  # a tenth over the market's reference package
RESERVE_QUARTERS = 4.0


def energy_cost(hub: HubView) -> float:
    """Running cost of a GPU at this hub, made worse by every quarter we wait for the power."""
    return hub.power_price * hub.pue * (1.0 + 0.5 * hub.build_lead_quarters)


class MomentumBot(Bot):
    name = "momentum"
    summary = "Rides the mood: grows hard while sentiment rises, keeps a year of runway, raises at the top."

    def __init__(self) -> None:
        self.last_sentiment: float | None = None  # a new instance plays each game, so this is per game

    def decide(self, obs: Observation) -> Orders:
        me, market = obs.me, obs.market
        rising = self.last_sentiment is None or market.sentiment >= self.last_sentiment
        self.last_sentiment = market.sentiment

        payroll = me.researchers * me.package / 4.0  # $M a quarter
        running = max(me.burn, 0.0) + payroll
        spare = me.cash - RESERVE_QUARTERS * running
        share = 0.0 if market.music_stopped or spare <= 0 else (0.33 if rising else 0.1)
        budget = spare * share

        # GPUs where power already runs them, unless our orders would only join a long queue
        unit = market.gpu_installed_cost
        queue_ok = me.backlog < 2.0 * market.vendor_shipments / (len(obs.rivals) + 1)  # (a supply event cuts it)
        gpus: dict[str, float] = {}
        open_hubs = [hub for hub in me.hubs if not hub.export_blocked]
        for hub in open_hubs:
            room = hub.mw * hub.gpus_per_mw - hub.gpus - hub.backlog
            if room >= 1.0 and budget > unit and queue_ok:
                gpus[hub.id] = min(room, budget / unit)
                budget -= gpus[hub.id] * unit

        # power for the next quarters' GPUs at the cheapest open hub with grid to spare
        power: dict[str, float] = {}
        buildable = [hub for hub in open_hubs if hub.headroom_mw >= 1.0]
        if buildable and budget > 0:
            hub = min(buildable, key=energy_cost)
            mw = budget / (hub.build_cost_per_mw + unit * hub.gpus_per_mw)  # leave money for its GPUs
            power[hub.id] = min(mw, hub.headroom_mw)

        # people: staff to the cluster, a quarter more at most each quarter
        target = max(20.0, me.online / 1000.0 * market.researchers_per_kgpu)
        hire = min(target - me.researchers, 0.25 * target + 5.0) if me.researchers < target else 0.0

        # money: sell stock while the market is hot, bridge when short, borrow when it is shut;
        # investors fund a plan, not a pile: never more than they would give (M8)
        equity = debt = 0.0
        room = max(0.0, market.equity_plan_quarters * me.spending - me.cash)
        if market.sentiment > 1.0 and rising and me.cash < 0.1 * me.valuation:
            equity = min(0.15 * me.valuation, room)
        elif running > 0 and me.cash < 6.0 * running and market.sentiment > 0.5:
            equity = min(8.0 * running, room)
        if running > 0 and me.cash < 2.0 * running and market.sentiment <= 0.5:
            debt = 2.0 * running

        return Orders(
            gpus=gpus,
            power_mw=power,
            hire=hire,
            package=PAY_OVER_MARKET * market.market_pay,
            train_split=0.6 if me.quality_rank > 1 else 0.45,  # catch up, or cash in the lead
            equity=equity,
            debt=debt,
            efficiency_rnd=min(0.02 * spare, 100.0) if spare > 0 else 0.0,
            layoff=0.2 * me.researchers if market.music_stopped and me.cash < running else 0.0,
        )
