"""Every figure the quarter report accounts for adds up: start + terms == end, for every lab in
every quarter of campaigns played by the archetypes and by random orders."""

import math

import numpy as np
import pytest
from test_forecast import random_orders

from blitzgame.engine import layout as F
from blitzgame.session.campaign import Campaign, Human

NAMES = ("Valuation", "GPUs owned", "GPUs running", "GPUs on order", "Researchers", "Model quality", "Market share",
         "Revenue per quarter")


@pytest.mark.slow
def test_each_account_of_each_lab_adds_up_every_quarter():
    seen = {name: 0 for name in NAMES}
    for seed in range(10):
        campaign = Campaign.new([Human("Accountant", position=("startup", "challenger")[seed % 2])], seed=seed,
                                rivals=4)
        game, lab = campaign.game, campaign.player
        rng = np.random.default_rng(seed)
        while not game.over:
            if game.alive(lab):
                me = game.observe(lab).me
                campaign.submit(lab, random_orders(rng, game.world.hub_ids, me.cash, me.researchers))
            report = campaign.end_quarter()
            game = campaign.game
            for i, accounts in enumerate(report.accounts):
                for account in accounts:
                    total = account.start + sum(amount for _, amount in account.terms)
                    assert math.isclose(total, account.end, rel_tol=1e-9, abs_tol=1e-6), (report.label, i, account)
                    seen[account.name] += bool(account.terms)
    assert all(count >= 50 for count in seen.values()), seen


def _play_to(game, until: str, names=("sprinter", "platform", "pure", "defender", "efficient", "integrator")):
    """Play ``game`` with archetypes up to quarter ``until``: each quarter's valuation account terms."""
    from blitzgame.bots.base import builtin_bot

    bots = [builtin_bot(names[k % len(names)])() for k in range(game.n_labs)]
    terms = {}
    while not game.over and game.label <= until:
        for lab, bot in enumerate(bots):
            if game.alive(lab):
                game.submit(lab, bot.orders_for(game, lab))
        game.advance()
        report = game.reports[-1]
        terms[report.label] = dict(report.accounts[0][0].terms)
    return terms


def test_a_crash_by_chance_reprices_the_parts_in_its_quarter_with_nothing_to_undo_the_next():
    """The quarter the music stops by chance, investors price every lab again at the crashed mood
    (M8): the report's customers line says so and the parts add up, with no gap between price and
    parts to undo the next quarter (a player once read -$3,463M then +$3,434M for one crash)."""
    from blitzgame.engine import layout as F
    from blitzgame.session.game import Game

    for seed in range(1, 40):  # a game where the music stops by chance (base-2024 has no schedule for it)
        game = Game.new("base-2024", seed=seed)
        terms = _play_to(game, "2031Q4")
        if game.state_world[F.MUSIC_STOPPED] > 0 and game.state_labs[0, F.STATUS] == F.ALIVE:
            break
    stop = game.world.label(int(game.state_world[F.MUSIC_QUARTER]))
    after = game.world.label(int(game.state_world[F.MUSIC_QUARTER]) + 1)
    customers = [(what, amount) for what, amount in terms[stop].items() if what.startswith("customers:")]
    assert len(customers) == 1 and customers[0][1] < 0 and "-> 0.25)" in customers[0][0]
    assert not any("lower than zero" in what or "floor at zero" in what or "mark-down" in what
                   for quarter in (stop, after) for what in terms[quarter])


def test_a_scheduled_crash_prices_its_quarter_at_the_crashed_mood():
    """A scenario's scheduled stop comes as its quarter opens: that quarter's valuation is priced from
    its parts at the crashed mood (the customers' part says so), with no mark-down to undo after."""
    from blitzgame.session.game import Game

    terms = _play_to(Game.new("classroom-famine-crash", seed=11), "2027Q2")  # the music stops on schedule in 2027Q1
    customers = [(what, amount) for what, amount in terms["2027Q1"].items() if what.startswith("customers:")]
    assert len(customers) == 1 and customers[0][1] < 0 and "-> 0.25)" in customers[0][0]
    assert not any("mark-down" in what or "no lower than zero" in what for q in ("2027Q1", "2027Q2") for what in terms[q])


def lab_quarters(game):
    """(report, state before, state after, lab) for every lab in every quarter of ``game``."""
    for q, report in enumerate(game.reports):
        for lab in range(game.n_labs):
            yield report, game.history[q], game.history[q + 1], lab


def test_the_idle_gpus_line_names_the_hub_short_of_power_not_the_one_a_heatwave_darkened():
    """GPUs a heatwave took dark are stranded too, at its one hub: the line about GPUs idle for
    lack of power names the hub with the most of those, the heatwave's left out."""
    import blitzgame
    from blitzgame.engine import layout as F
    from blitzgame.session.report import heat_hub

    checked = told_apart = 0  # lines checked; of them, where counting the heatwave would name another hub
    for seed in range(8):
        game = blitzgame.play(["sprinter", "pure", "greedy", "integrator", "random"], scenario="power-crunch",
                              seed=seed).game
        for report, before, after, lab in lab_quarters(game):
            a = after.labs[lab]
            idle = [n.text for n in report.for_lab(lab) if "sit idle for lack of power" in n.text]
            if not idle:
                continue
            stranded = a[F.HUB_STRANDED:F.HUB_STRANDED + len(game.world.hub_ids)]
            short = stranded.copy()
            if a[F.HEAT_DARK] > 0.0:
                short[heat_hub(game, before, lab)] -= a[F.HEAT_DARK]
            assert idle[0].endswith(f"most in {game.world.hub_names[int(np.argmax(short))]}).")
            checked += 1
            told_apart += int(np.argmax(short)) != int(np.argmax(stranded))
        if told_apart:
            break
    assert checked and told_apart  # a heatwave beside GPUs short of power, at another hub, was among them


def test_idle_and_dark_gpus_read_the_same_in_the_report_its_ledgers_and_at_hq():
    """A player read "1,184 GPUs sit idle" in a report whose ledger and HQ said 1,185, and 8,281 GPUs
    dark in a heatwave where HQ said 8,282, and a valuation's "235 more" running GPUs beside a
    ledger's +234: every line now writes the whole GPUs HQ writes (owned less running, as each
    is written)."""
    import re

    import blitzgame
    from blitzgame.formats import count
    from blitzgame.session.report import DARK, DARK_BACK, IDLE
    from blitzgame.session.views import idle_shown

    idle_lines = dark_lines = both = 0
    for seed in range(6):
        game = blitzgame.play(["sprinter", "pure", "greedy", "integrator", "random"], scenario="power-crunch",
                              seed=seed).game
        for report, before, after, lab in lab_quarters(game):
            a, b = after.labs[lab], before.labs[lab]
            if a[F.STATUS] != F.ALIVE:
                continue
            unpowered, dark = idle_shown(a[F.GPUS], a[F.ONLINE], a[F.STRANDED], a[F.HEAT_DARK])  # as HQ says them
            texts = [n.text for n in report.for_lab(lab)]
            idle = [t for t in texts if "sit idle for lack of power" in t]
            assert idle == [] if unpowered == 0 else idle[0].startswith(f"{count(unpowered)} GPUs sit idle")
            idle_lines += bool(idle)
            running = next(acc for acc in report.accounts[lab] if acc.name == "GPUs running")
            shown = running.shown()
            _, dark_before = idle_shown(b[F.GPUS], b[F.ONLINE], b[F.STRANDED], b[F.HEAT_DARK])
            # each heatwave's apart: the same count two quarters running is two heatwaves in the ledger, not none
            assert shown.get(DARK, 0.0) == -dark and shown.get(DARK_BACK, 0.0) == dark_before
            both += dark > 0 and dark_before > 0
            unpowered_before = round(b[F.GPUS]) - round(b[F.ONLINE]) - dark_before
            assert shown.get(IDLE, 0.0) == -(unpowered - unpowered_before)
            if a[F.HEAT_DARK] > 0.0:
                went = [t for t in texts if "GPUs went dark this quarter" in t]
                assert went and went[0].startswith(f"A heatwave overwhelmed cooling: {count(dark)} GPUs went dark")
                dark_lines += 1
            value = [what for what in report.accounts[lab][0].shown() if what.startswith("running GPUs")]
            moved = abs((round(a[F.ONLINE]) + dark) - (round(b[F.ONLINE]) + dark_before))
            assert not value or re.search(rf": {re.escape(count(moved))} (more|fewer), at ", value[0]), value
    assert idle_lines and dark_lines and both


def test_the_valuations_cash_line_is_the_cash_flows_and_events_after_pricing_are_named():
    """Investors price cash less debt before the quarter's events: the valuation's cash line is the
    cash flow's own change (less loans, plus repayments), and an event paid after the pricing is
    named the quarter it is paid and the next, when the price counts it."""
    from blitzgame.engine import layout as F

    events_seen = 0
    for seed in range(6):
        campaign = Campaign.new([Human("Accountant")], seed=seed, rivals=4)
        game = campaign.game
        while not game.over:
            report = campaign.end_quarter()
            game = campaign.game
            before, after = game.history[-2].labs, game.history[-1].labs
            for lab, accounts in enumerate(report.accounts):
                if not accounts or after[lab, F.STATUS] != F.ALIVE:
                    continue
                terms = dict(accounts[0].terms)
                cash = report.cash[lab]
                flow = sum(cash.inflows.values()) - sum(cash.outflows.values())
                net = flow - (after[lab, F.DEBT] - before[lab, F.DEBT])
                line = [v for what, v in terms.items() if what.startswith("cash less debt: the net change")]
                assert line == [] if abs(net) <= 1e-6 else line == [pytest.approx(net, abs=1e-6)]
                paid = after[lab, F.OUT_EVENTS]
                later = [v for what, v in terms.items() if what.startswith("this quarter's events")]
                if paid > 1e-6:
                    events_seen += 1
                    assert later == [pytest.approx(paid, rel=1e-6)]
                    assert "outage" in next(what for what in terms if what.startswith("this quarter's events"))
    assert events_seen >= 3


def test_the_running_costs_line_adds_up_as_written():
    """"Running costs $X: energy, payroll (researchers, staff), overhead, interest": the parts as
    written add up to the totals as written, to one precision."""
    import re

    import blitzgame

    def value(text: str) -> float:
        return float(text.strip("$M").replace(",", ""))

    checked = 0
    for seed in range(3):
        game = blitzgame.play(["sprinter", "defender", "pure", "integrator"], seed=seed, labs=4).game
        for report in game.reports:
            for line in (n.text for n in report.news if n.text.startswith("Running costs ")):
                m = re.match(r"Running costs (\S+): energy (\S+), payroll (\S+) \(researchers (\S+), [\d,]+ engineering "
                             r"and operations staff (\S+)\), overhead (\S+)(?: \([^)]*\))?, interest (\S+)(?: \([^)]*\))?\.$",
                             line)
                assert m, line
                total, energy, payroll, scientists, staff, overhead, interest = map(value, m.groups())
                assert round(energy + payroll + overhead + interest, 1) == total, line
                assert round(scientists + staff, 1) == payroll, line
                checked += 1
    assert checked > 100


def test_the_attrition_line_gives_the_rate_that_made_it():
    """"N researchers left: X% ... leave every quarter, Y% more as culture is below full, Z% more for pay under
    the market's, W% more in the death zone" is the rate the talent phase applied: without raids,
    the parts add up to the researchers who left over those there before."""
    import re

    from blitzgame.engine import layout as F
    from blitzgame.session.game import Game
    from blitzgame.session.headless import bots_for, play_headless

    checked = zone = 0
    for seed in range(3):
        game = play_headless(Game.new("base-2024", seed=seed), bots_for(["sprinter", "defender", "efficient"], 5))
        for k, report in enumerate(game.reports):
            before, after = game.history[k].labs, game.history[k + 1].labs
            for news in report.news:
                said = re.match(r"\d[\d,]* researchers? left: (.*)\.$", news.text)
                zone += bool(said) and "in the death zone" in news.text
                if news.lab is None or said is None or after[news.lab, F.RAIDED] > 0.5:
                    continue
                rate = sum(float(p) / 100 for p in re.findall(r"(\d+\.\d)%", said.group(1)))
                # (raids are said apart: a raid of under half a researcher is still taken off)
                actual = (after[news.lab, F.ATTRITION] - after[news.lab, F.RAIDED]) / before[news.lab, F.RESEARCHERS]
                assert abs(rate - actual) < 0.0016, (report.label, news.text, actual)  # each part rounded to 0.1%
                checked += 1
    assert checked > 100 and zone > 10


def test_revenue_that_jumps_as_weights_close_again_says_so():
    """A quarter with open weights earns less per customer (M10); closing them again is why revenue
    then jumps, and the customers line says so (it used to credit only the market's growth)."""
    from blitzgame.schemas.orders import Orders
    from blitzgame.session.game import Game

    game = Game.new("base-2024", seed=5)
    for open_weights in (False, True, False):
        game.submit(0, Orders(open_source=open_weights, train_split=0.0))  # every customer served
        game.advance()
    line = next(n.text for n in game.reports[-1].news if n.lab == 0 and n.text.startswith("Revenue "))
    assert "it rose because your weights are closed again, so each customer pays the full price (M10)" in line, line


def test_the_open_weights_switch_says_what_it_changes():
    from blitzgame.tui.screens.orders import switch_label

    assert switch_label(False) == "off: stay closed"
    assert switch_label(True) == "ON: released this quarter"
    assert switch_label(False, open_now=True) == "off: closed again this quarter"
    assert switch_label(True, open_now=True) == "ON: stay released"


def test_the_valuation_line_names_what_moved_it_the_way_it_went():
    """A valuation that rose is not said to have moved 'most' by a part that fell."""
    from blitzgame.session.report import Account, _valuation_movers

    def movers(terms, net):
        return _valuation_movers(Account("Valuation", "money", 1000.0, 1000.0 + net, terms), net)

    terms = [("customers: a year of revenue x ...", 1100.0), ("cash less debt: the net change ...", -855.0),
             ("running GPUs at what installing them costs", 0.0)]
    assert movers(terms, 245.0) == "up most from customers (+$1.1B)"
    terms = [("customers: ...", 300.0), ("cash less debt: ...", -855.0), ("running GPUs: at cost", 700.0)]
    assert movers(terms, 145.0) == "up most from running GPUs (+$700M), against cash less debt (-$855M)"
    assert movers(terms[:2], -555.0) == "down most from cash less debt (-$855M)"
    terms = [("customers: ...", 10.0), ("running GPUs: at cost", 1240.6), ("cash less debt: ...", 0.4)]
    assert movers(terms, 1251.0) == "up most from running GPUs (+$1.2B)"  # the ledger writes $1,241M


def test_a_fine_names_the_risky_hubs_the_lab_runs_gpus_in():
    from blitzgame.engine import layout as F
    from blitzgame.session.game import Game
    from blitzgame.session.headless import bots_for, play_headless

    for seed in range(30):
        game = play_headless(Game.new("sovereign-ai", seed=seed), bots_for(["sprinter", "pure"], 5))
        for k, report in enumerate(game.reports):
            for news in report.news:
                if news.text.startswith("A regulator fined you"):
                    after, hubs = game.history[k + 1].labs[news.lab], game.world.hubs
                    risky = [f"{name} ({hubs[h, F.HP_REGULATORY_RISK]:.0%} a quarter)"  # each with its odds
                             for h, name in enumerate(game.world.hub_names)
                             if hubs[h, F.HP_REGULATORY_RISK] > 0 and after[F.HUB_ONLINE + h] >= 0.5]
                    assert risky and all(name in news.text for name in risky), news.text
                    assert news.text.endswith("carry a risk of fines, each hub's odds counted by the share of your "
                                              "running GPUs there (M11).")
                    return
    raise AssertionError("no fine in 30 games of sovereign-ai")


def test_a_heatwave_is_reported_when_export_controls_come_in_the_same_quarter():
    """The quarter's event code keeps one event, and export controls (phase 10) come after a
    heatwave (phase 3): the report and the debrief still tell of both."""
    import blitzgame
    from blitzgame.engine import layout as F
    from blitzgame.formats import count
    from blitzgame.session.debrief import timeline
    from blitzgame.session.report import controlled_backlog, controlled_hubs, heat_hub

    for seed in range(80):  # the first game where a lab meets both in one quarter
        game = blitzgame.play(["sprinter", "platform", "integrator", "pure", "defender"], seed=seed).game
        both = [(q, lab) for q in range(game.quarter) for lab in range(game.n_labs)
                if game.history[q + 1].labs[lab, F.EVENT] == F.EV_EXPORT_SEIZED
                and game.history[q + 1].labs[lab, F.HEAT_DARK] > 0.0]
        if both:
            break
    q, lab = both[0]
    a = game.history[q + 1].labs[lab]
    hub = game.world.hub_names[heat_hub(game, game.history[q], lab)]
    lines = [n.text for n in game.reports[q].for_lab(lab)]
    assert any(line.startswith(f"A heatwave overwhelmed cooling: {count(a[F.HEAT_DARK])} GPUs went dark") for line in lines)
    assert any(line.startswith(f"Export controls came in at the quarter's end: from next quarter vendors ship nothing "
                               f"to your {count(controlled_backlog(game, a))} GPUs on order in {controlled_hubs(game, a)}")
               for line in lines)
    moments = [m.text for m in timeline(game, lab) if m.quarter == q]
    assert f"A heatwave took {count(a[F.HEAT_DARK])} GPUs offline in {hub} for the quarter." in moments
    assert (f"Export controls caught {count(controlled_backlog(game, a))} GPUs on order in {controlled_hubs(game, a)}: "
            "vendors ship none there now.") in moments


def test_cancelling_part_of_the_backlog_is_a_line_of_the_report(tmp_path, monkeypatch):
    from blitzgame.formats import count
    from blitzgame.schemas.orders import Orders

    monkeypatch.setenv("BLITZGAME_SAVES", str(tmp_path))
    campaign = Campaign.new([Human("Test Lab")], seed=1)
    campaign.submit(0, Orders(gpus={"virginia": 50000.0}, power_mw={"virginia": 60.0}))  # more than it can pay for
    campaign.end_quarter()
    backlog = campaign.game.observe(0).me.backlog
    campaign.submit(0, Orders(cancel=0.5))
    lines = [n.text for n in campaign.end_quarter().for_lab(0) if n.phase == "gpu market"]
    assert f"Cancelled {count(backlog / 2)} GPUs on order (50% of the backlog, at every hub alike): GPUs are paid on " \
           "delivery, so cancelling costs nothing (M4)." in lines


def test_a_lab_wound_up_is_news_for_every_lab_once():
    """A rival's bankruptcy is the world's news: every player reads it in that quarter's report
    (sim's headlines too), and the lab itself reads it once."""
    import blitzgame
    from blitzgame.engine import layout as F

    for seed in range(12):  # the first game where a lab is wound up
        game = blitzgame.play(["sprinter", "platform", "integrator", "pure", "random"], seed=seed,
                              scenario="capital-winter").game
        gone = [(q, k) for q in range(game.quarter) for k in range(game.n_labs)
                if game.history[q + 1].labs[k, F.STATUS] == F.BANKRUPT and game.history[q].labs[k, F.STATUS] == F.ALIVE]
        if gone:
            break
    assert gone
    q, k = gone[0]
    line = f"{game.names[k]} is wound up: out of cash, and no rival bid more than a fire sale of its GPUs would fetch"
    for lab in range(game.n_labs):
        assert sum(n.text.startswith(line) for n in game.reports[q].for_lab(lab)) == 1
    assert any(n.headline and n.text.startswith(line) for n in game.reports[q].news)


def test_a_lab_that_leaves_the_race_reads_its_quarter_as_it_played():
    """A lab wound up at a quarter's end lost its customers, people and GPUs only then: its
    report tells the quarter before that (the revenue it earned, the share and researchers it
    had), not the zeros leaving left, and names no flywheel or tier ceiling it no longer has."""
    import re

    import blitzgame
    from blitzgame.engine import layout as F
    from blitzgame.session.report import LET_GO
    from blitzgame.session.standings import standings

    game = blitzgame.play(["baseline"] * 5, seed=3).game  # two labs are wound up in the last quarter
    q = game.quarter - 1
    before, after = game.history[q].labs, game.history[q + 1].labs
    gone = [k for k in range(game.n_labs) if before[k, F.STATUS] == F.ALIVE and after[k, F.STATUS] == F.BANKRUPT]
    assert gone
    for k in gone:
        lines = {n.phase: n.text for n in game.reports[q].for_lab(k) if n.lab == k and n.phase != "bankruptcy"}
        earned = re.match(r"Revenue \$([\d,.]+)M \(was", lines["customers"])
        assert earned and float(earned.group(1).replace(",", "")) == round(after[k, F.IN_REVENUE]) > 0, lines["customers"]
        assert "lacked serving compute" not in lines["customers"]
        assert f"-> {0:.1%}" not in lines["customers"]
        assert not any(n.text.startswith("Flywheel") for n in game.reports[q].for_lab(k) if n.lab == k)
        assert "tier ceiling" not in lines["training"] and "density 0.00" not in lines["training"]
        let_go = next(acc for acc in game.reports[q].accounts[k] if acc.name == "Researchers").shown()[LET_GO]
        assert let_go < -1  # the researchers it had were let go as it left, not before
        assert standings(game, q + 1).labs[k].revenue == after[k, F.IN_REVENUE]  # sim's "Revenue (quarter)"


def test_the_training_line_adds_up_as_written():
    """start + the run + what was copied - what a new paradigm took = end, to the hundredth as
    the line writes them (the accounts' quality ledger rounding), whatever the regime."""
    import re

    import blitzgame

    pattern = re.compile(r"\+([\d.]+) from the run, ([\d.]+) -> ([\d.]+) over the quarter"
                         r"(?: with \+([\d.]+) copied from the frontier \(below\))?,?(?: less ([\d.]+) lost)?")
    checked = lost = 0
    for seed in range(12):
        if checked > 50 and lost:
            break
        game = blitzgame.play(["sprinter", "platform", "integrator", "pure", "defender"], seed=seed).game
        for report in game.reports:
            for news in report.news:
                if re.match(r"A training run succeeded \(\d+% chance; M6\): model quality \+", news.text):
                    run, start, end, copied, gone = (float(x or 0) for x in pattern.search(news.text).groups())
                    assert round(start + run + copied - gone, 2) == end, news.text
                    checked += 1
                    lost += gone > 0
    assert checked > 50 and lost > 0  # a disruption endgame among them


def test_running_gpus_in_the_valuation_are_told_apart_from_what_each_is_worth():
    """A player read 'running GPUs -$85M' in a quarter their running GPUs rose by 2,426: the spot had
    fallen. The walk says how many more run, at the start's price, and what each is worth now."""
    from blitzgame.session.game import Game

    terms = _play_to(Game.new("capital-winter", seed=8), "2025Q3")["2025Q3"]  # the crash opens it: spot x1.54 -> x0.70
    [(more, added)] = [(what, amount) for what, amount in terms.items() if what.startswith("running GPUs")]
    [(each, moved)] = [(what, amount) for what, amount in terms.items() if what.startswith("what a running GPU is worth")]
    assert added > 0 and " more, at $" in more and "k each as installing one cost at the start" in more
    assert moved < 0 and "k -> $" in each and each.endswith("(spot and list price)")


def test_lines_that_quote_an_account_say_what_its_ledger_writes():
    """A player read "5 researchers left" beside the ledger's "- 4 left", and "+0.24 copied from the
    frontier" above "+0.23 copied from the best model": each line quotes its account's term as the
    ledger writes it (rounded so the terms add up)."""
    import re

    import blitzgame
    from blitzgame.session.report import COPIED, HIRED, LEFT

    left = copied = hired = 0
    for seed in range(6):
        game = blitzgame.play(["sprinter", "platform", "integrator", "pure", "defender"], seed=seed).game
        for report in game.reports:
            for news in report.news:
                if news.lab is None:
                    continue
                shown = {account.name: account.shown() for account in report.accounts[news.lab]}
                if match := re.match(r"([\d.,]+) researchers? left", news.text):
                    assert float(match.group(1).replace(",", "")) == pytest.approx(-shown["Researchers"][LEFT]), news.text
                    left += 1
                if match := re.match(r"Hired ([\d.,]+) of", news.text):  # (a player read "Hired 18" by "+ 19 hired")
                    assert float(match.group(1).replace(",", "")) == pytest.approx(shown["Researchers"][HIRED]), news.text
                    hired += 1
                for said in re.findall(r"\+([\d.]+) copied from the (?:frontier|best model)", news.text):
                    assert float(said) == pytest.approx(shown["Model quality"][COPIED]), news.text
                    copied += 1
    assert left > 50 and copied > 50 and hired > 50


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def test_gpu_lines_quote_the_gpu_accounts_as_written():
    """A player read "32,605 of the 47,746 GPUs you could pay for; 15,142 still on order" beside a
    ledger's "+ 32,604 delivered by vendors", and "GPUs owned, net (the account above) 6,065"
    under an account above whose net was 6,066: GPUs the lines and accounts quote are written
    as the account that owns them writes them, and they add up."""
    import re

    import blitzgame
    from blitzgame.session.report import DARK, OWN_SILICON, OWNED_NET, VENDORS

    got = nets = dark = added = arrived = 0
    for seed in range(6):
        game = blitzgame.play(["sprinter", "pure", "greedy", "integrator", "random"], scenario="power-crunch",
                              seed=seed).game
        for report in game.reports:
            for lab, accounts in enumerate(report.accounts):
                if not accounts:
                    continue
                account = {acc.name: acc for acc in accounts}
                shown = {name: acc.shown() for name, acc in account.items()}
                owned_start, _, owned_end, _ = account["GPUs owned"].ledger()
                if OWNED_NET in shown["GPUs running"]:
                    assert shown["GPUs running"][OWNED_NET] == _number(owned_end) - _number(owned_start)
                    nets += 1
                for news in report.for_lab(lab):
                    if news.lab != lab:
                        continue
                    if match := re.match(r"You got ([\d,]+) of the ([\d,]+) GPUs you could pay for.*; ([\d,]+) still "
                                         r"on order\.", news.text):
                        assert _number(match.group(1)) == shown["GPUs owned"].get(VENDORS, 0.0), news.text
                        assert _number(match.group(3)) == _number(account["GPUs on order"].ledger()[2])
                        got += 1
                        if _number(match.group(1)) + _number(match.group(3)) == _number(match.group(2)):
                            added += 1
                    if match := re.match(r"A heatwave overwhelmed cooling: ([\d,]+) GPUs went dark", news.text):
                        if game.history[report.quarter].labs[lab, F.HEAT_DARK] <= 0.0 and DARK in shown["GPUs running"]:
                            assert _number(match.group(1)) == -shown["GPUs running"][DARK], news.text
                            dark += 1
                        said_dark = {_number(n) for n in re.findall(r"A heatwave took ([\d,]+) dark", " ".join(
                            n.text for n in report.for_lab(lab) if n.lab == lab))}
                        assert said_dark <= {_number(match.group(1))}, said_dark  # the stage line says the same
                    if match := re.search(r"([\d,]+) GPUs arrived (on a fleet|against)", news.text):
                        owned = shown["GPUs owned"]  # as the GPUs owned account writes them
                        assert _number(match.group(1)) == owned.get(VENDORS, 0.0) + owned.get(OWN_SILICON, 0.0), news.text
                        arrived += 1
    assert got > 100 and nets > 100 and dark > 0 and added > 10 and arrived > 10, (got, nets, dark, added, arrived)


def test_prices_per_gpu_that_moved_are_written_apart():
    from blitzgame.session.report import _thousands

    assert _thousands(0.030, 0.031) == ("$30k", "$31k")
    assert _thousands(0.03021, 0.02979) == ("$30.2k", "$29.8k")  # not "$30k -> $30k" for a move
    assert _thousands(0.030001, 0.030004) == ("$30.00k", "$30.00k")  # $10 at most


def test_the_running_costs_line_says_what_overhead_is():
    import re

    import blitzgame

    game = blitzgame.play(["sprinter", "platform"], seed=3).game
    params = game.world.params
    lines = [n.text for report in game.reports for n in report.news if n.text.startswith("Running costs")]
    said = [re.search(r"overhead \$[\d.,]+M \(\$([\d.]+)k a quarter for each of the ([\d,]+) GPUs you owned, idle ones "
                      r"too\)", text) for text in lines]
    assert lines and all(said), lines[0]
    from blitzgame.engine import params as P

    assert {float(m.group(1)) for m in said} == {params[P.OVERHEAD_PER_GPU] * 1000}


def test_a_valuation_that_fell_while_power_was_built_says_the_price_leaves_the_sites_out():
    """A player built $780M of power and read the valuation fall "down most from cash less debt" with
    no line for what the money bought: the line says power is priced only once GPUs run on it."""
    import blitzgame
    from blitzgame.engine import layout as F
    from blitzgame.formats import money

    for seed in range(10):
        game = blitzgame.play(["sprinter", "platform", "pure"], scenario="power-crunch", seed=seed).game
        for k, report in enumerate(game.reports):
            for news in report.news:
                if news.text.startswith("Valuation ") and "spent building power" in news.text:
                    b, a = game.history[k].labs[news.lab], game.history[k + 1].labs[news.lab]
                    assert a[F.VALUATION] < b[F.VALUATION] and a[F.OUT_POWER_BUILD] > 0.0
                    assert f"the {money(a[F.OUT_POWER_BUILD])} spent building power is in no part of the price" in news.text
                    return
    raise AssertionError("no valuation fell in a quarter of power building in 10 power-crunch games")


def test_pay_that_would_read_the_same_gets_the_digits_that_tell_it_apart():
    from blitzgame.session.report import _pay

    assert _pay(2.5, 2.6) == "$2.5M a year against $2.6M"
    assert _pay(2.4, 2.44) == "$2.40M a year against $2.44M"  # (it read "$2.400M a year against $2.440M")
    assert _pay(12.2, 12.4) == "$12.2M a year against $12.4M"
    assert _pay(2.4, 2.4) == "$2.4M a year against $2.4M"


def test_power_that_comes_online_is_a_line_of_the_report():
    """A player saw 15 MW come online (GPUs online 315 -> 5,899) with no word of it: the report
    says what power came online where, and it is all the power a lab gained that quarter."""
    import re

    import blitzgame
    from blitzgame.session.report import powered_up, sales

    said = 0
    for seed in range(3):
        game = blitzgame.play(["sprinter", "pure", "integrator", "defender", "efficient"], scenario="power-crunch",
                              seed=seed).game
        for report, before, after, lab in lab_quarters(game):
            if before.labs[lab, F.STATUS] != F.ALIVE or after.labs[lab, F.STATUS] != F.ALIVE:
                continue
            gained = after.labs[lab, F.HUB_MW:F.HUB_MW + len(game.world.hub_ids)] - \
                before.labs[lab, F.HUB_MW:F.HUB_MW + len(game.world.hub_ids)]
            if any(buyer == lab for _, buyer in sales(before.labs, after.labs)):
                continue  # (a bought lab's power comes with it: its own line)
            came = powered_up(game, before, lab)
            assert sum(mw for _, mw in came) == pytest.approx(gained.sum(), abs=0.1)
            lines = [n.text for n in report.for_lab(lab) if n.text.startswith("Power came online: ")]
            assert len(lines) == bool(came)
            if came:
                hub, mw = came[0]
                assert re.search(rf"{mw:,.1f} MW in {game.world.hub_names[hub]}", lines[0]) or mw >= 100
                said += 1
    assert said > 20


def test_a_rounds_line_says_what_else_diluted_the_founders_that_quarter():
    """A report read "Investors put in $84M ... Founders now hold 32%" where the round left 39%: a
    strategic backer's rescue later that quarter took the rest. The line says so."""
    from blitzgame.engine import layout as F
    from blitzgame.session.report import stake_after

    row = np.zeros(F.LAB_FIELDS)
    assert stake_after(row) == ""
    row[F.IN_RESCUE] = 637.0
    assert stake_after(row) == " at the quarter's end, after the strategic backer's rescue too"
    row[F.IN_PARENT] = 300.0
    assert stake_after(row) == (" at the quarter's end, after the parent company's funding and the strategic "
                                "backer's rescue too")


def test_what_lifts_a_tier_ceiling_is_the_next_stages_gpus():
    """At 67,000 GPUs (ceiling 4) it is 100,000 running, not "10x more"; the top tier has none."""
    from blitzgame.session.report import tier_lift

    assert tier_lift(4) == "running 100,000 GPUs lifts it, rented and partner ones too"
    assert tier_lift(3).startswith("running 10,000 GPUs") and tier_lift(5) == "the highest tier there is"


def test_a_lapsed_partnership_or_rental_and_an_idle_bid_are_reported_and_forecast():
    """Orders do not repeat: a partnership or rented GPUs not ordered again end, which the
    forecast warns of and the report says; a bid that bought nothing says why."""
    import blitzgame
    from blitzgame.bots import Bot, Orders
    from blitzgame.session.forecast import forecast
    from blitzgame.session.game import Game

    class Flicker(Bot):
        name = "flicker"

        def decide(self, obs):
            return Orders(partnership=0.5, rent=500.0, bid=2000.0) if obs.quarter % 2 == 0 else Orders()

    game = blitzgame.play([Flicker, "sprinter", "defender", "pure", "platform"], seed=2, labs=5).game
    first, second = ([n.text for n in report.for_lab(0) if n.lab == 0] for report in game.reports[:2])
    assert any(t.startswith("Your bid of $2.0B for a rival in distress bought nothing: no rival fell into distress")
               for t in first)
    assert not any("partnership ended" in t or "went back" in t for t in first)
    assert any(t.startswith("Your compute partnership ended: a partnership runs a quarter at a time") for t in second)
    assert any(t.startswith("The ") and "cloud GPUs rented last quarter went back" in t for t in second)
    assert not any(t.startswith("Your bid") for t in second)  # no bid, nothing to say
    replayed = Game.replay(game.world, game.seed, game.setups, game.orders_log[:1], game.game_id)
    warned = forecast(replayed, 0, Orders()).warnings
    assert any(w.startswith("Your compute partnership ends this quarter") for w in warned)
    assert not any("partnership ends" in w for w in forecast(replayed, 0, Orders(partnership=0.5)).warnings)


def test_the_tech_debt_line_gives_the_engines_parts_and_they_add_up_as_written():
    """M6: the report's tech-debt line is the organisation phase's own rule (``tech_debt_moves``), its
    parts add up to the change as written, and a quarter whose growth R&D paid down again says so."""
    import re

    from blitzgame.engine import params as P
    from blitzgame.engine.people import tech_debt_moves
    from blitzgame.session.game import Game
    from blitzgame.session.headless import bots_for, play_headless
    from blitzgame.session.report import sales

    said = {"held": 0, "added": 0, "paid": 0}
    sold_labs = 0
    for scenario, seed in (("sovereign-ai", 1), ("base-2024", 2), ("capital-winter", 3)):
        game = play_headless(Game.new(scenario, seed=seed), bots_for(["sprinter", "efficient", "platform", "pure"], 5))
        params = game.world.params
        for k, report in enumerate(game.reports):
            before, after = game.history[k].labs, game.history[k + 1].labs
            for i in range(game.n_labs):
                b, a = before[i], after[i]
                if b[F.STATUS] != F.ALIVE or a[F.STATUS] != F.ALIVE:
                    continue
                bought = sum(after[k, F.SALE_GPUS] for k, buyer in sales(before, after) if buyer == i)
                sold_labs += bought > 0
                added, paid = tech_debt_moves(a[F.GPUS_DELIVERED] + a[F.GPUS_CUSTOM],
                                              a[F.GPUS] + a[F.FIRE_SOLD] - bought, a[F.OUT_EFFICIENCY_RND], params)
                engine = min(max(b[F.TECH_DEBT] + added - paid - params[P.DEBT_DECAY], 0.0), 1.0)
                assert engine == a[F.TECH_DEBT], (report.label, i)  # bit for bit: the phase's own rule
                [line] = [n.text for n in report.news if n.lab == i and n.text.startswith("Tech debt")] or [""]
                if not line:
                    continue
                m = re.match(r"Tech debt (?:([\d.]+) -> |held at )([\d.]+): ", line)
                start, end = float(m[1] or m[2]), float(m[2])
                parts = {name: float(x[1]) if (x := re.search(pattern, line)) else 0.0 for name, pattern in
                         (("added", r"growth added ([\d.]+)"), ("paid", r"paid ([\d.]+) down"),
                          ("chipped", r"chipped ([\d.]+) away"))}
                if "cannot fall below 0" not in line and "cannot rise above 1" not in line:
                    assert round(start + parts["added"] - parts["paid"] - parts["chipped"], 2) == end, line
                said["held"] += "held at" in line
                said["added"] += parts["added"] > 0
                said["paid"] += parts["paid"] > 0
    assert min(said.values()) > 0 and sold_labs > 0, (said, sold_labs)


def test_a_run_in_the_disruption_endgame_says_what_efficiency_did_to_its_gain():
    """M9: in a disruption the run's gain is scaled by efficiency; a player found it only in the debrief."""
    from blitzgame.engine import params as P
    from blitzgame.session.game import Game
    from blitzgame.session.headless import bots_for, play_headless

    for seed in range(40):
        game = play_headless(Game.new("base-2024", seed=seed), bots_for(["efficient", "sprinter", "platform"], 5))
        for k, report in enumerate(game.reports):
            for news in report.news:
                if "The new paradigm scales" in news.text:
                    assert game.history[k].world[F.REGIME] == F.REGIME_DISRUPTION
                    a = game.history[k + 1].labs[news.lab]
                    paradigm = game.world.params[P.PARADIGM_EFFICIENCY]
                    assert f"efficiency over {paradigm:g} (x{a[F.EFFICIENCY] / paradigm:.2f} for you" in news.text
                    return
    raise AssertionError("no successful run in a disruption in 40 games")


def test_every_quarters_mood_is_explained_by_the_rule_that_moved_it():
    """M8: a player saw "Sentiment 0.44 -> 0.78" with no word on why. Every quarter's line gives the
    mood investors head for and its parts (``engine.turn.mood_pulls``), worked back to the mood the
    quarter reached; a scenario's mood shift and a crash's cap are said."""
    import re

    from blitzgame.session.game import Game
    from blitzgame.session.headless import bots_for, play_headless

    seen = {"shift": 0, "cap": 0, "gap": 0}
    for scenario, seed in (("capital-winter", 1), ("base-2024", 3)):
        game = play_headless(Game.new(scenario, seed=seed), bots_for(["sprinter", "efficient", "platform"], 5))
        for report in game.reports:
            [line] = [n.text for n in report.news if n.text.startswith("Sentiment ")]
            assert "(it moves 35% of the way each quarter toward " in line or "the music stopped" in line, line
            m = re.match(r"Sentiment ([\d.]+) -> ([\d.]+) \(it moves 35% of the way each quarter toward ([\d.]+)", line)
            if m:
                shift = re.search(r"mood shift ([+-][\d.]+)", line)
                start, end, toward = float(m[1]), float(m[2]), float(m[3])
                assert abs(start + 0.35 * (toward - start) + (float(shift[1]) if shift else 0.0) - end) <= 0.011, line
                head = re.search(r"(?:toward|not) ([\d.]+): 1(.*?)(?:, and the scenario|; M8)", line)
                parts = sum(float(v) * (1 if sign == "+" else -1) for sign, v in re.findall(r" ([+-]) ([\d.]+) for", head[2]))
                assert round(1.0 + parts, 2) == float(head[1]), line  # the parts add up as written
            seen["shift"] += "mood shift" in line
            seen["cap"] += "as high as the mood may be" in line
            seen["gap"] += "for the revenue gap past" in line
    assert min(seen.values()) > 0, seen


def test_a_layoff_says_the_staff_that_go_with_the_team():
    """A player laid off 15 researchers and saw engineering and operations staff fall 162 -> 98
    with no word on why."""
    from blitzgame.schemas.orders import Orders

    campaign = Campaign.new([Human("Cutter", position="challenger")], seed=3, rivals=4)
    before = float(campaign.game.state_labs[0, F.STAFF])
    campaign.submit(0, Orders(layoff=15.0))
    report = campaign.end_quarter()
    [line] = [n.text for n in report.news if n.lab == 0 and n.text.startswith("Laid off 15 researchers")]
    after = float(campaign.game.state_labs[0, F.STAFF])
    assert after < before and line.endswith(f"M6): {before:,.0f} -> {after:,.0f}.")
    assert "Engineering and operations staff follow the team and the fleet (3 a researcher, 4 per 1,000 GPUs" in line


def test_interest_gives_the_quarters_floating_rate():
    """A player borrowed at 10.2% and was later charged 11-13% with no word that the rate floats."""
    import re

    from blitzgame.engine.turn import interest_rate
    from blitzgame.session.crash import opening_world
    from blitzgame.session.game import Game
    from blitzgame.session.headless import bots_for, play_headless

    game = play_headless(Game.new("capital-winter", seed=2), bots_for(["pure", "integrator", "sprinter"], 5))
    rates = set()
    for k, report in enumerate(game.reports):
        before = game.history[k]
        rate = interest_rate(opening_world(before.labs, before.world, game.world.params, game.world.sched),
                             game.world.params)
        for news in report.news:
            if m := re.search(r", interest \$[\d.,]+M \(([\d.]+)% a year on your debt at this quarter's rate, which "
                              r"floats with investors' mood\)\.", news.text):
                assert float(m[1]) == round(100 * rate, 1)
                rates.add(m[1])
    assert len(rates) > 2, rates  # it moved over the campaign
