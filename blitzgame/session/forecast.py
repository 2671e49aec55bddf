"""The orders forecast: what a lab's orders would do this quarter, and which of its figures
nothing but the orders decide.

``forecast`` resolves the quarter with the real engine on a copy of the real state, as the
rivals played last quarter and with dice of its own (the figures shown); then against rivals
doing nothing and asking for everything, under every side of every chance (fixed-luck keys,
``engine.rng.fixed_luck``). A figure the same in all of those runs is certain: the quarter
will show exactly it.
"""

import math
from dataclasses import dataclass

import numpy as np

from blitzgame.engine import layout as F
from blitzgame.engine import params as P
from blitzgame.engine.markets import blocked, debt_room, heat_slices, installed_price
from blitzgame.engine.metrics import (
    COVENANT_WARNING,
    burn,
    covenant_headroom,
    covenant_line,
    customers_pay,
    mw_building,
    runway,
)
from blitzgame.engine.people import in_death_zone, researchers_needed, talent_density
from blitzgame.engine.rng import STREAM_EVENT, STREAM_EXPORT, STREAM_MUSIC, STREAM_TRAIN, STREAM_TRAIN_GAIN, fixed_luck, game_key
from blitzgame.engine.turn import interest_rate, regime_slices, resolve_quarter, schedule_row, tier_ceiling
from blitzgame.formats import count, ledger_values, listed, money, money_apart, quarters, researchers
from blitzgame.limits import MAX_GPU_ORDER, MAX_MONEY, MAX_MW_ORDER, MAX_PEOPLE
from blitzgame.schemas.orders import Orders
from blitzgame.session.crash import (
    chance_sources,
    crash_chance,
    crash_next,
    crash_scheduled,
    opening_world,
    round_mood,
)
from blitzgame.session.game import Game
from blitzgame.session.report import cloud_ran_out, financing_lines, lapsed, sales, sovereign_words, tier_lift
from blitzgame.session.views import RUNWAY_SHORT, Preview, idle_total
from blitzgame.session.world import World

PREVIEW_GAME = 0x5EED_0F_0BE5  # a game id of its own: previews never show the real dice
CRASH_WARNING = 0.03  # the forecast warns of a chance crash this likely or more in the quarter (HQ always shows it)
PLAIN_TRIES = 8  # dice tried for the figures shown, the first without a heatwave or a chance crash kept (the range shows them)
OVERSTAFFED = 1.5  # the forecast warns of hiring to more researchers than this times what the compute needs (M6)
UNDERSTAFFED = 0.8  # and of orders that thin talent density out below this (HQ marks it there too)
TECH_DEBT_JUMP = 0.1  # the forecast warns of tech debt rising this much or more in the quarter (M6)
FORECAST_EXACT = 1e-9  # relative: a figure that moves less than this between the forecast's runs is certain
# the draws that decide by a threshold (a run succeeds, an outage strikes, the music stops, export
# controls start): the forecast tries every combination of each one's two sides
THRESHOLD_STREAMS = (STREAM_TRAIN, STREAM_TRAIN_GAIN, STREAM_EVENT, STREAM_MUSIC, STREAM_EXPORT)


def luck_to_try(params: np.ndarray, hubs: np.ndarray, lab: int = -1) -> list[int]:
    """Fixed-luck keys (``engine.rng.fixed_luck``) that between them take every side of every
    chance of a quarter: each combination of the threshold draws' two sides with no heatwave
    (and, for ``lab``, each with its own draws on the other side from its rivals': its run fails
    where theirs succeed), then a draw in each heatwave slice and each endgame slice with every
    threshold low, then high."""
    past_heat = max([hi for _, hi in heat_slices(hubs)] + [0.0])
    no_heat = (past_heat + 1.0) / 2.0
    keys = []
    for combo in range(1 << len(THRESHOLD_STREAMS)):
        high = sum(1 << stream for k, stream in enumerate(THRESHOLD_STREAMS) if combo >> k & 1)
        keys.append(fixed_luck(high, no_heat))
        if lab >= 0:
            keys.append(fixed_luck(high, no_heat, lab))
    every = sum(1 << stream for stream in THRESHOLD_STREAMS)
    for lo, hi in heat_slices(hubs) + regime_slices(params):
        if hi > lo:
            keys += [fixed_luck(0, (lo + hi) / 2.0), fixed_luck(every, (lo + hi) / 2.0)]
    return keys


def all_out(hub_ids: tuple[str, ...]) -> Orders:
    """A rival asking for everything the orders form allows: every GPU, MW, rented GPU, hire,
    dollar of equity and of debt, at the top price and pay (the forecast's harshest rival)."""
    return Orders(gpus={hub: MAX_GPU_ORDER for hub in hub_ids}, power_mw={hub: MAX_MW_ORDER for hub in hub_ids},
                  premium=1.0, rent=MAX_GPU_ORDER, hire=MAX_PEOPLE, package=100.0, equity=MAX_MONEY,
                  debt=MAX_MONEY, bid=MAX_MONEY)


def rivals_to_try(last: list[Orders], hub_ids: tuple[str, ...]) -> list[list[Orders]]:
    """The rivals the forecast plays against, each a list of every lab's orders: as last quarter,
    doing nothing, and asking for everything (also without GPUs, and without GPUs or power: a
    rival's cash goes to GPUs first, so only then does it press on the grid, then on the cloud
    and the talent pool); and each of those with and without a bid for a lab in distress (a bid
    decides between a sale to a rival and a fire sale)."""
    n = len(last)
    everything = all_out(hub_ids)
    no_gpus = everything.model_copy(update={"gpus": {}})
    no_build = no_gpus.model_copy(update={"power_mw": {}})
    out = []
    for orders in (last, [Orders()] * n, [everything] * n, [no_gpus] * n, [no_build] * n):
        out.append(orders)
        out.append([o.model_copy(update={"bid": 0.0 if o.bid > 0.0 else MAX_MONEY}) for o in orders])
    return out


def forecast_figures(labs: np.ndarray, world: np.ndarray, lab: int, orders: Orders, w: World) -> dict[str, float]:
    """The figures the orders forecast shows, read off lab ``lab`` after a quarter (``Preview``).
    The same function reads the real quarter's outcome, so forecast and outcome are compared alike."""
    row = labs[lab]
    hubs = range(len(w.hub_ids))
    room = power_room(labs, lab, w)
    # a GPU runs only on its own hub's power: spare power elsewhere is no help (a hub is short by
    # half a GPU or more: exactly full power is not "short" by a rounding error)
    short = sum(r for r in room if r <= -0.5)
    return {
        "spend": float(sum(row[f] for f in (F.OUT_GPUS, F.OUT_POWER_BUILD, F.OUT_RENTAL, F.OUT_HIRING,
                                            F.OUT_EFFICIENCY_RND, F.OUT_SILICON_RND))),
        "cash_after": float(row[F.CASH]),
        "runway": float(runway(labs, lab)),
        "gpus_arriving": float(row[F.GPUS_DELIVERED]),
        "gpus_online": float(row[F.ONLINE]),
        "revenue": float(row[F.REVENUE]),
        "stranded": float(idle_total(row[F.GPUS], row[F.ONLINE])),  # whole, as HQ will write them
        # (spare: each hub's whole GPUs, as the form writes each hub's room, so the total is theirs;
        # none where export controls stop vendors shipping: no GPU could come to use it)
        "power_headroom": float(short if short < 0.0 else sum(whole_room(r) for h, r in enumerate(room)
                                                              if not blocked(world, w.hubs, h))),
        "grid_headroom_mw": float(sum(world[F.HEADROOM + h] for h in (ordered_in(orders, w) or hubs))),
        "hires": float(row[F.HIRES_WON]),
        "rented": float(row[F.RENTED]),  # (the rental warning's: what rivals rent shares the cloud's pool)
        "equity_in": float(row[F.IN_EQUITY]),
        "debt_in": float(row[F.IN_DEBT]),
        "valuation": float(row[F.VALUATION]),
        "score": float(row[F.SCORE]),
    }


def ordered_in(orders: Orders, w: World) -> list[int]:
    """The hubs ``orders`` buy GPUs or build power in: the grids the forecast's headroom adds up."""
    return [h for h, hub in enumerate(w.hub_ids) if orders.gpus.get(hub, 0) > 0 or orders.power_mw.get(hub, 0) > 0]


def power_room(labs: np.ndarray, lab: int, w: World) -> list[float]:
    """Per hub: GPUs more that its built and building power could run than the lab owns and has
    on order there (below 0: that many without power)."""
    per_mw = w.hubs[:, F.HP_GPUS_PER_MW]
    row = labs[lab]
    return [hub_room(row[F.HUB_MW + h], mw_building(labs, lab, h), per_mw[h], row[F.HUB_GPUS + h], row[F.HUB_BACKLOG + h])
            for h in range(len(w.hub_ids))]


@dataclass(frozen=True)
class Terms:
    """What this quarter's orders meet as it opens (the orders form's figures above its sections):
    with the scenario's crash scheduled for it, the market the crash leaves (``crash.opening_world``)."""

    lend: float  # $M lenders would lend on top of the lab's debt (before the quarter's pool is shared)
    rate: float  # the interest they charge a year
    spot: float  # the GPU spot price multiple this quarter's orders pay
    installed: float  # $M a GPU costs installed at that spot (racks and network included)
    crash: bool  # the scenario's crash opens the quarter (the figures are after it)


def terms(game: Game, lab: int) -> Terms:
    """What this quarter's loans and GPU orders meet (``Terms``)."""
    labs, params, w = game.state_labs, game.world.params, game.world
    world = opening_world(labs, game.state_world, params, w.sched)
    return Terms(float(debt_room(labs, lab, world, params)),
                 float(interest_rate(world, params)), float(world[F.SPOT]),
                 float(installed_price(world, params, world[F.SPOT], 0.0)), crash_scheduled(game))


def cash_ran_out(row: np.ndarray) -> str:
    """How a lab's quarter (its state row after it) ended if it ran the lab out of cash: "rescue"
    (a backer's, M8), "fire sale" (GPUs sold, or the lab wound up), "" if it did not."""
    if row[F.IN_RESCUE] > 0.0:
        return "rescue"
    return "fire sale" if row[F.FIRE_SOLD] > 0.0 or row[F.STATUS] != F.ALIVE else ""


def hub_room(mw: float, building: float, gpus_per_mw: float, gpus: float, backlog: float) -> float:
    """GPUs more that a hub's built and building power (``mw``, ``building``) could run than the
    ``gpus`` owned and the ``backlog`` on order there (below 0: that many without power)."""
    return float((mw + building) * gpus_per_mw - gpus - backlog)


def whole_room(room: float) -> int:
    """A hub's room (``hub_room``, 0 and up) in whole GPUs, rounded down: ordering them all strands none."""
    return math.floor(max(room, 0.0) + 1e-9)


def forecast(game: Game, lab: int, orders: Orders) -> Preview:
    """What ``orders`` would do for ``lab`` this quarter (see ``Preview``).

    The real engine resolves the quarter on a copy of the real state: first with the rivals
    playing last quarter's orders and dice of the forecast's own (the figures shown), then
    with the rivals playing as last quarter, doing nothing, and asking for everything the
    orders form allows, each under every luck of ``luck_to_try``. A figure the same in all of
    them depends on neither the rivals nor the dice (``Preview.certain``); the others show
    the range seen."""
    w = game.world
    last = game.orders_log[-1] if game.orders_log else [Orders()] * game.n_labs
    scheduled = crash_scheduled(game)
    for attempt in range(PLAIN_TRIES):  # the figures shown: dice of its own, without a heatwave or a chance crash
        shown, labs, world = _resolve(game, lab, orders, _table(game, lab, orders, last),
                                      game_key(game.seed, PREVIEW_GAME + attempt))
        crashed = world[F.MUSIC_STOPPED] > game.state_world[F.MUSIC_STOPPED] and not scheduled
        if labs[lab, F.HEAT_DARK] <= 0.0 and not crashed:  # (chances, not plans: the warnings say how likely)
            break
    seen = [shown]
    ceilings = [tier_ceiling(labs, lab)]  # the tier ceiling the quarter's training met, run by run
    bought: set[int] = set()  # rivals the lab's bid buys in one of the runs (M9)
    short_in = []  # how the runs where the lab runs out of cash end: "rescue", "fire sale" (M8)
    luck = luck_to_try(w.params, w.hubs, lab)
    for rivals in rivals_to_try(last, w.hub_ids):
        table = _table(game, lab, orders, rivals)
        for key in luck:
            figures, run_labs, _ = _resolve(game, lab, orders, table, key)
            how = cash_ran_out(run_labs[lab])
            if how == "rescue":  # the range shows the cash left before a backer's rescue, not the rescue's money
                figures["cash_after"] = max(figures["cash_after"] - run_labs[lab, F.IN_RESCUE], 0.0)
            if how:
                short_in.append(how)
            seen.append(figures)
            ceilings.append(tier_ceiling(run_labs, lab))
            if orders.bid > 0.0:
                bought.update(k for k, buyer in sales(game.state_labs, run_labs) if buyer == lab)
    low = {name: min(f[name] for f in seen) for name in shown}
    high = {name: max(f[name] for f in seen) for name in shown}
    certain = frozenset(name for name in shown if high[name] - low[name] <= FORECAST_EXACT * max(1.0, abs(high[name])))
    bankrupt = labs[lab, F.STATUS] != F.ALIVE
    warnings = _warnings(game, lab, orders, labs, world, shown, low, high, bankrupt, max(ceilings))
    if short_in and not cash_ran_out(labs[lab]):  # (when the figures shown run out, the warnings say how)
        how = ("a strategic backer would rescue it, once (the cash range shows what is left before its money)"
               if "rescue" in short_in else "GPUs would be sold at fire-sale prices to pay the bills")
        warnings.insert(0, f"With more GPUs arriving than the figures show (up to {count(high['gpus_arriving'])}, paid "
                           f"on delivery, first) or rivals taking the investors' and lenders' money, these orders "
                           f"could run the lab out of cash this quarter: {how} (M8).")
    if bought:
        names = listed([game.names[k] for k in sorted(bought)], "or")
        who, whose = ("it", "its") if len(bought) == 1 else ("one", "that lab's")
        warnings.append(f"Your bid could buy {names} this quarter, if {who} falls into "
                        f"distress (M9): {whose} GPUs, power, customers and some of its "
                        "researchers would become yours, which is why some ranges here run so high; so would their "
                        "running costs from next quarter (energy, payroll, overhead).")
    return Preview(
        spend=shown["spend"], cash_after=shown["cash_after"], runway=shown["runway"],
        gpus_arriving=shown["gpus_arriving"], gpus_online=shown["gpus_online"], revenue=shown["revenue"],
        stranded=shown["stranded"],
        power_headroom=shown["power_headroom"], grid_headroom_mw=shown["grid_headroom_mw"], hires=shown["hires"],
        rented=shown["rented"],
        bankrupt=bool(bankrupt), burning=bool(burn(labs, lab) > 0.0), equity_in=shown["equity_in"],
        debt_in=shown["debt_in"], valuation=shown["valuation"], score=shown["score"], warnings=warnings,
        certain=certain, low=low, high=high,
        grid_hubs=tuple(w.hub_names[h] for h in ordered_in(orders, w)),
    )


def controls_when(chance: float, due: str | None = None) -> str:
    """When export controls may start (M11), as the orders form and the forecast say it: by chance
    (``chance`` a quarter) and, if the scenario schedules them, at the end of quarter ``due`` ('2024Q3')."""
    if due is None:
        return f"export controls may start at the end of any quarter (≈{chance:.0%} a quarter, M11)"
    before = f"; ≈{chance:.0%} a quarter by chance before then" if chance > 0.0 else ""
    return f"export controls start at the end of {due} (a scenario event{before}; M11)"


def _coming_events(w: World, quarter: int) -> list[str]:
    """The scenario's GPU supply events and mood shifts that open this quarter or the next, and the
    grid changes that open the next (this quarter's are said with the hub's figures): a scenario's
    schedule is in its briefing, so the form says it before it bites."""
    label = w.label(quarter)
    following = w.label(quarter + 1) if quarter + 1 < w.quarters else None
    out = []
    for shock in w.scenario.shocks:
        when = ("as this quarter opens" if shock.quarter == label else
                "as next quarter opens" if shock.quarter == following else None)
        why = shock.why.rstrip(".")
        if when is None:
            continue
        if shock.kind == "gpu_supply" and shock.multiplier is not None:
            counted = "; the figures here count it" if shock.quarter == label else (
                ": GPUs ordered now wait in a queue that ships less")
            out.append(f"A scenario event {when}: {why} (vendors ship {shock.multiplier:.0%} of their output for "
                       f"{quarters(shock.quarters)}){counted} (M4).")
        elif shock.kind == "sentiment" and shock.delta is not None:
            out.append(f"A scenario event {when}: {why} (investor mood {shock.delta:+.2f}; M8).")
        elif shock.kind == "power_cap" and shock.quarter == following and shock.hub in w.hub_ids:
            out.append(f"A scenario event as next quarter opens: {why} (the grid in "
                       f"{w.hub_names[w.hub_ids.index(shock.hub)]}; M5).")
    return out


def _warnings(game: Game, lab: int, orders: Orders, labs: np.ndarray, world: np.ndarray, shown: dict[str, float],
              low: dict[str, float], high: dict[str, float], bankrupt: bool, top_ceiling: float) -> list[str]:
    """What the forecast warns of, worst first: running out of cash, a short runway, GPUs without
    power, grids too full, the scenario's events, the covenant, the death zone, the music, orders
    the lab cannot carry out in full. ``labs``, ``world``: the quarter as the figures shown played
    it; ``low``, ``high``: each figure's lowest and highest over the forecast's runs; ``bankrupt``: whether the lab failed in it;
    ``top_ceiling``: the highest tier ceiling the quarter's training met in any of the runs."""
    w = game.world
    row = labs[lab]
    warnings = []
    this_quarter = w.sched[schedule_row(w.sched, game.quarter)]  # the scenario's events this quarter
    short_funded = ""  # a round that would come in short is why cash runs out, often: said first, why below
    if orders.equity > 0.0 and row[F.IN_EQUITY] < orders.equity - 0.05:
        put, of = money_apart(row[F.IN_EQUITY], orders.equity)
        short_funded = f" Investors would put in {put} of the {of} asked (why: below)."
    if bankrupt:
        warnings.append("These orders run the lab out of cash this quarter." + short_funded)
    elif row[F.IN_RESCUE] > 0.0:  # out of cash, saved once by a backer: Cash after counts the rescue
        stake = game.state_labs[lab, F.STAKE]
        warnings.append(f"These orders run the lab out of cash this quarter: a strategic backer would rescue it with "
                        f"{money(row[F.IN_RESCUE])} (Cash after counts it), buying in at "
                        f"{w.params[P.RESCUE_PRICE]:.0%} of your valuation, so your founders' stake falls from "
                        f"{stake:.0%} to {row[F.STAKE]:.0%}. A backer does this once (M8)." + short_funded)
    elif row[F.FIRE_SOLD] > 0.0:
        warnings.append(f"These orders run the lab out of cash this quarter: {count(row[F.FIRE_SOLD])} GPUs would be "
                        f"sold at fire-sale prices to pay the bills (M8)." + short_funded)
    if not bankrupt and runway(labs, lab) < RUNWAY_SHORT:
        warnings.append(f"Runway after this quarter: {runway(labs, lab):.1f} quarters.")
    if shown["power_headroom"] < -0.5:
        short = [(w.hub_names[h], round(-r)) for h, r in enumerate(power_room(labs, lab, w)) if r < -0.5]
        where = ", ".join(f"{n:,} in {name}" for name, n in short)  # (the total is theirs: the parts add up to it)
        warnings.append(f"{sum(n for _, n in short):,} GPUs owned or on order have no power built or building at "
                        f"their hub ({where}).")
    if shown["stranded"] >= 0.5:  # this quarter: GPUs in before the power that runs them is finished
        hubs = range(len(w.hub_ids))  # each hub's, whole, adding up to the total as the hubs view adds them
        _, parts, _ = ledger_values("gpus", 0.0, [row[F.HUB_STRANDED + h] for h in hubs], shown["stranded"])
        where = ", ".join(f"{count(parts[h])} in {w.hub_names[h]}" for h in hubs if parts[h] >= 0.5)
        warnings.append(f"About {count(shown['stranded'])} GPUs would sit idle this quarter for want of running power "
                        f"({where}; power still being built runs nothing yet): they earn nothing, and count at a "
                        "fire-sale price, until power runs them.")
    was, now = customers_pay(game.state_labs, lab), customers_pay(labs, lab)
    running = game.state_labs[lab, F.ONLINE] > 0.0  # (a lab with none running has no price to lower yet)
    cheaper = [f"{w.hub_names[h]} (x{w.hubs[h, F.HP_REVENUE_FACTOR]:.2f})" for h, hub in enumerate(w.hub_ids)
               if running and orders.gpus.get(hub, 0.0) > 0.0 and w.hubs[h, F.HP_REVENUE_FACTOR] < was - 0.005]
    if cheaper:  # GPUs where customers pay less price all the revenue lower, once they run
        when = (f"x{now:.2f} with the GPUs that run this quarter" if now < was - 0.005
                else "lower once they run (power first)")
        warnings.append(f"Customers pay less for compute served from {listed(cheaper)}: your revenue is priced at the "
                        f"average over the hubs your GPUs run in, x{was:.2f} last quarter, {when}, on every customer, "
                        "not only those these GPUs serve (M2).")
    cut = this_quarter[F.S_HEADROOM_DELTA:F.S_HEADROOM_DELTA + len(w.hub_ids)]
    for h, hub in enumerate(w.hub_ids):
        asked = orders.power_mw.get(hub, 0.0)
        free = max(0.0, float(game.state_world[F.HEADROOM + h] + cut[h]))  # after this quarter's scheduled change
        if asked > free + 0.5:
            event = " after this quarter's scheduled scenario event" if cut[h] < 0.0 else ""
            warnings.append(f"{w.hub_names[h]}: you ask for {asked:,.0f} MW but its grid has "
                            f"{free:,.0f} MW free{event} (shared with rivals building there): at most that is connected.")
    label = w.label(game.quarter)
    for shock in w.scenario.shocks:  # a grid that grows or shrinks this quarter: say why the figures show it
        if shock.kind == "power_cap" and shock.quarter == label and shock.hub in w.hub_ids:
            h = w.hub_ids.index(shock.hub)
            change = f"{cut[h]:,.0f} MW more" if cut[h] > 0.0 else f"up to {-cut[h]:,.0f} MW less"
            warnings.append(f"A scenario event as this quarter opens: {shock.why.rstrip('.')} ({change} free grid in "
                            f"{w.hub_names[h]}); the figures here count it.")
    warnings += _coming_events(w, game.quarter)
    due = w.controls_due(game.quarter)  # a scenario's export controls, due at the end of that quarter
    risky = [h for h in range(len(w.hub_ids)) if orders.gpus.get(w.hub_ids[h], 0.0) > 0.0
             and w.export_controlled(h) and (w.hubs[h, F.HP_EXPORT_RISK] > 0.0 or due is not None)]
    if risky and game.state_world[F.EXPORT_CONTROLS] == 0.0 and due != game.quarter:
        when = controls_when(max(w.hubs[h, F.HP_EXPORT_RISK] for h in risky), None if due is None else w.label(due))
        warnings.append(f"{when[0].upper()}{when[1:]}: "
                        f"from then vendors ship nothing to {listed([w.hub_names[h] for h in risky])}, GPUs still on "
                        "order there included; GPUs running there keep running.")
    if game.state_world[F.EXPORT_CONTROLS] == 0.0 and due == game.quarter:
        closed = [w.hub_names[h] for h in range(len(w.hub_ids)) if w.export_controlled(h)]
        warnings.append(f"Export controls are scheduled to start at the end of this quarter (a scenario event): "
                        f"from next quarter vendors ship nothing to {', '.join(closed)}, GPUs still on order there "
                        "included.")
    if low["runway"] < RUNWAY_SHORT <= runway(labs, lab) and not bankrupt:
        warnings.append(f"Runway after this quarter could be as short as {low['runway']:.1f} quarters, depending on "
                        f"rivals and luck (cash after as low as {money(low['cash_after'])}).")
    if row[F.COVENANT_CALLED] > 0.0:
        warnings.append(f"Lenders would call {money(row[F.COVENANT_CALLED])} of debt this quarter: it is past your "
                        f"covenant line, so the excess is repaid at once from your cash, or GPUs sold at fire-sale prices "
                        "if the cash falls short (Cash after counts it; M8).")
    elif row[F.STATUS] == F.ALIVE and row[F.DEBT] > 0.0 and covenant_headroom(labs, lab, world, w.params) < COVENANT_WARNING:
        line = covenant_line(labs, lab, world, w.params)
        now = covenant_line(game.state_labs, lab, game.state_world, w.params)
        moved = f"; {money(now)} as the quarter opens" if money(now) != money(line) else ""
        warnings.append(f"Debt after this quarter, {money(row[F.DEBT])}, is {row[F.DEBT] / max(line, 1e-9):.0%} of your "
                        f"covenant line after it ({money(line)}, as this quarter's revenue and GPUs move what lenders "
                        f"would lend{moved}): past it, lenders call the excess at once (M8).")
    before_online, online = float(game.state_labs[lab, F.ONLINE]), float(row[F.ONLINE])
    if not in_death_zone(before_online) and in_death_zone(online) and before_online < online:
        warnings.append(f"This quarter would take you into the death zone (≈{count(online)} GPUs online, with the GPUs and "
                        "power already on their way): researchers leave and cost retention grants, customers defect, "
                        "more each quarter you stay (M7).")
    retained = float(game.state_labs[lab, F.RETENTION])
    if in_death_zone(before_online) and not in_death_zone(online) and online > before_online and retained > 0.0:
        short = (f"; with fewer GPUs arriving, as in some of its runs (as few as {count(low['gpus_online'])} online), "
                 "you would still be in it" if in_death_zone(low["gpus_online"]) else "")
        warnings.append(f"This quarter would take you out of the death zone (≈{count(online)} GPUs online{short}): no "
                        f"more retention grants, {money(retained)} of last quarter's payroll, which Cash after counts "
                        "(M7).")
    ceiling = tier_ceiling(labs, lab)  # the quarter's own, as its training run meets it (GPUs arriving lift it)
    quality = float(game.state_labs[lab, F.QUALITY])
    if orders.train_split > 0.0 and quality >= ceiling and row[F.STATUS] == F.ALIVE:
        at = "at" if quality < ceiling + 0.005 else "above"  # (above when the fleet shrank to a lower tier)
        if top_ceiling > quality:  # rented or partner GPUs, or deliveries, reach the next tier in some runs
            warnings.append(f"Your model ({quality:.2f}) is {at} your tier ceiling of {ceiling:.0f} as the figures shown "
                            f"have it, but in some of the forecast's runs the GPUs you train on this quarter (rented and "
                            f"partner compute included) reach the next tier, a ceiling of {top_ceiling:.0f}: whether "
                            "training adds anything depends on how many of them you get (M1).")
        else:
            unserved = row[F.DEMAND] - row[F.REVENUE]  # what customers wanted that the serving compute could not
            cost = (f"the {orders.train_split:.0%} of compute it takes serves no customers, and ≈{money(unserved)} of "
                    "what they wanted goes unserved (M1, M2)" if unserved >= 0.05 else
                    f"your customers are served either way, so the {orders.train_split:.0%} of compute it takes "
                    "costs no revenue (M1)")
            warnings.append(f"Your model ({quality:.2f}) is {at} your tier ceiling of {ceiling:.0f} "
                            f"({tier_lift(int(ceiling))}): a training run adds nothing this quarter; {cost}.")
    debt_before, debt_after = float(game.state_labs[lab, F.TECH_DEBT]), float(row[F.TECH_DEBT])
    if row[F.STATUS] == F.ALIVE and debt_after >= debt_before + TECH_DEBT_JUMP:
        fewer = (f"; fewer in other runs, as few as {count(low['gpus_arriving'] + row[F.GPUS_CUSTOM])}, add less"
                 if low["gpus_arriving"] < shown["gpus_arriving"] - 0.5 else "")
        warnings.append(f"Tech debt would rise {debt_before:.2f} -> {debt_after:.2f}: the GPUs arriving this quarter "
                        f"(≈{count(row[F.GPUS_DELIVERED] + row[F.GPUS_CUSTOM])}, powered or not{fewer}) grow the fleet faster "
                        "than engineers keep up, and tech debt brings outages and lowers utilization until it is paid "
                        "down (efficiency R&D pays it faster; M6).")
    warnings += lapsed(game.state_labs[lab], orders, coming=True)
    chance = crash_chance(game)
    if crash_scheduled(game):
        warnings.append(f"The music stops this quarter: the scenario's crash is scheduled for {game.label}. Funding "
                        "freezes, valuations crash and GPUs glut (M8).")
    elif crash_next(game):
        debt = ""
        if row[F.STATUS] == F.ALIVE and row[F.DEBT] >= 0.05:  # the covenant line the crash leaves (M8)
            after = covenant_line(labs, lab, world, w.params) * w.params[P.CRASH_LENDING]
            debt = (f" Lenders then lend {w.params[P.CRASH_LENDING]:.0%} as much, so your covenant line falls to "
                    f"≈{money(after)}: " + (f"below your ≈{money(row[F.DEBT])} of debt, the excess is called that "
                                             "quarter, from cash, else a rescue or a fire sale of GPUs."
                                             if row[F.DEBT] > after + 0.05 else
                                             f"your ≈{money(row[F.DEBT])} of debt stays under it."))
        warnings.append(f"The music stops as next quarter opens: the scenario's crash is scheduled for "
                        f"{game.world.label(game.quarter + 1)}. This quarter's rounds are the last sold before it "
                        f"(M8).{debt}")
    elif chance >= CRASH_WARNING:
        warnings.append(f"The music may stop this quarter: ≈{chance:.1%}, from {chance_sources(game)}; more "
                        "each quarter the pressure stays (M8).")
    staff = float(game.state_labs[lab, F.RESEARCHERS])
    if orders.layoff > staff + 0.5:
        warnings.append(f"You ask to let {orders.layoff:,.0f} researchers go but have {staff:,.0f}: "
                        "at most those who stay this quarter are let go.")
    if orders.layoff > 0.0 and orders.hire > 0.0:
        warnings.append(f"You both hire {orders.hire:,.0f} and let {min(orders.layoff, staff):,.0f} researchers go "
                        "this quarter: both happen, so you pay hiring bonuses and severance at once (M6); hiring "
                        "fewer, or letting fewer go, would leave you the same team for less.")
    ordered = sum(orders.gpus.values())
    if row[F.GPUS_WANTED] < ordered - 0.5:
        warnings.append(f"You cannot pay for all the GPUs ordered: your cash covers ≈{count(row[F.GPUS_WANTED])} at "
                        f"this quarter's price, of the {count(ordered)} ordered. Vendors queue only what a lab can pay "
                        "for, so in a shortage your share is of those, and they are paid before payroll, power and "
                        "rent, which come out of what is left (M4).")
    if orders.open_source and game.state_labs[lab, F.OPEN_SOURCE] <= 0.0:
        p = w.params
        warnings.append(f"Releasing open weights: customers find your model {p[P.OPEN_APPEAL]:.0%} as appealing, but "
                        f"each pays {p[P.OPEN_PRICE]:.0%} of the price, and rivals catch up to the frontier faster (M10).")
    if orders.rent > 0.5 and low["rented"] < orders.rent - 0.5:
        pool = count(game.state_world[F.CLOUD_POOL])
        if row[F.RENTED] >= orders.rent - 0.5:  # all of it as rivals rented last quarter, less if they rent more
            warnings.append(f"The cloud may rent you fewer than the {count(orders.rent)} GPUs asked for: its pool of "
                            f"{pool} is shared among the labs that rent in proportion to what each asks, and rivals "
                            f"renting more than last quarter would leave you as few as {count(low['rented'])} (M13).")
        else:
            seen = ("" if round(low["rented"]) == round(high["rented"]) else
                    f" ({count(low['rented'])} to {count(high['rented'])} as rivals rent more or less)")
            why = (f"its pool of {pool} would run out, shared among the labs that rent in proportion to what each "
                   "asks (rivals as they rented last quarter): asking for less gets you less, not the same"
                   if cloud_ran_out(game.state_world, world)
                   else "your cash would cover no more (rent is paid from what GPUs ordered leave)")
            warnings.append(f"The cloud would rent you about {count(row[F.RENTED])} of the {count(orders.rent)} GPUs "
                            f"asked for{seen}: {why} (M13).")
    # the compute it runs, or will once what it owns and has on order is delivered and powered: staff hired
    # ahead of a jump is not past what it needs (M1 and M6 say hire before it)
    owned = labs[lab:lab + 1].copy()  # the lab as if every GPU it owns or has on order ran: the rule's own count
    owned[0, F.ONLINE] = row[F.GPUS] + row[F.BACKLOG]
    needed = max(researchers_needed(labs, lab, w.params), researchers_needed(owned, 0, w.params))
    if orders.hire > 0.0 and row[F.RESEARCHERS] > OVERSTAFFED * max(needed, 10.0):
        building = sum(mw_building(labs, lab, h) for h in range(len(w.hub_ids))) >= 0.05
        warnings.append(f"You would have ≈{count(row[F.RESEARCHERS])} researchers where the compute you run, and the "
                        f"GPUs you own or have on order once powered, need ≈{count(needed)} "
                        f"({w.params[P.RESEARCHERS_PER_KGPU]:g} per 1,000 GPUs, M6): talent density stops at 100%, "
                        "so those past it add pay, not speed"
                        + (" (power being built counts only once GPUs are ordered for it)." if building else "."))
    density, density_now = talent_density(labs, lab, w.params), talent_density(game.state_labs, lab, w.params)
    if density < UNDERSTAFFED and density < density_now - 0.05:  # the orders (GPUs, a layoff, a pay cut) thin the team out
        short = math.ceil(researchers_needed(labs, lab, w.params) * UNDERSTAFFED / max(row[F.TALENT_QUALITY], 1e-9)
                          - row[F.RESEARCHERS])
        warnings.append(f"Your talent density would fall from {density_now:.0%} to ≈{density:.0%}: your researchers, each at "
                        f"its quality, over the ≈{count(researchers_needed(labs, lab, w.params))} your compute needs "
                        f"({w.params[P.RESEARCHERS_PER_KGPU]:g} per 1,000 GPUs). Training runs fail more often and GPUs "
                        f"sit less used (M6); about {researchers(max(short, 1))} more would keep it at "
                        f"{UNDERSTAFFED:.0%}.")
    if row[F.PARTNER_GPUS] >= 0.5:
        take = (row[F.OUT_PARTNER] / row[F.REVENUE] if row[F.REVENUE] > 0.0
                else orders.partnership * w.params[P.PARTNER_REVENUE_TAKE])
        warnings.append(f"Your compute partner would supply ≈{count(row[F.PARTNER_GPUS])} GPU-equivalents for "
                        f"{take:.0%} of your revenue: ≈{money(row[F.OUT_PARTNER])} of the Revenue shown goes to it, "
                        "which Cash after counts (M13).")
    if row[F.RENTED] >= 0.5 or row[F.PARTNER_GPUS] >= 0.5:
        density = talent_density(labs, lab, w.params)
        own = labs.copy()
        own[lab, F.RENTED] = own[lab, F.PARTNER_GPUS] = 0.0
        without = talent_density(own, lab, w.params)
        if density < without - 0.005:
            which = ("Rented and partner GPUs" if row[F.RENTED] >= 0.5 and row[F.PARTNER_GPUS] >= 0.5
                     else "Rented GPUs" if row[F.RENTED] >= 0.5 else "Partner GPUs")
            warnings.append(f"{which} need researchers too (M6): with them your talent density would be "
                            f"{density:.0%} (your researchers over those your compute needs), against {without:.0%} "
                            "without, so your model copies the frontier and trains more slowly.")
    before = game.state_labs[lab]
    if orders.cancel > 0.0 and before[F.BACKLOG] < 0.5:
        warnings.append(f"You ask to cancel {orders.cancel:.0%} of your GPU backlog, but nothing is on order.")
    if orders.debt < 0.0 and -orders.debt > before[F.DEBT] + 0.05:
        asked, debt = money_apart(-orders.debt, before[F.DEBT])  # ($725.0M against $724.5M, not $725M twice)
        owed = f"owe {debt}: at most that is repaid" if before[F.DEBT] >= 0.05 else "owe nothing"
        warnings.append(f"You ask to repay {asked} of debt but {owed}.")
    short = (orders.equity > 0 and row[F.IN_EQUITY] < orders.equity - 0.5
             or orders.debt > 0 and row[F.IN_DEBT] < orders.debt - 0.5)
    if short:  # the report's own words for a round or a loan that falls short
        mood = round_mood(game.state_labs, game.state_world, w.params, w.sched)
        backing = sovereign_words(game.state_labs, lab, w)
        warnings += [f"As the figures shown play it (rivals asking the pools for more would leave you less): {line}"
                     if line.startswith(("Investors put in", "Lenders")) else line
                     for line in financing_lines(game.state_labs[lab], row, game.state_world, world,
                                                 orders.debt, w.params, mood, backing)
                     if not line.startswith(("Raised", "Borrowed", "Repaid"))]
    return warnings


def _table(game: Game, lab: int, orders: Orders, rivals: list[Orders]) -> np.ndarray:
    """The quarter's orders table: ``lab`` plays ``orders``, every other lab its entry of ``rivals``."""
    table = np.zeros((game.n_labs, F.ORDER_FIELDS))
    for other in range(game.n_labs):
        (orders if other == lab else rivals[other]).to_array(game.world.hub_ids, table[other])
    return table


def _resolve(game: Game, lab: int, orders: Orders, table: np.ndarray, key) -> tuple[dict[str, float], np.ndarray,
                                                                                 np.ndarray]:
    """One resolution of the quarter on a copy of the state with the orders ``table`` and dice
    ``key``. Returns the forecast's figures for ``lab``, the labs and the world."""
    w = game.world
    labs = game.state_labs.copy()
    world = game.state_world.copy()
    resolve_quarter(labs, world, table, w.params, w.hubs, w.sched, key)
    return forecast_figures(labs, world, lab, orders, w), labs, world


__all__ = ["FORECAST_EXACT", "PREVIEW_GAME", "Terms", "all_out", "forecast", "forecast_figures", "luck_to_try",
           "rivals_to_try", "terms"]
