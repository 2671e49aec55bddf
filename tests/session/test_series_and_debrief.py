"""Series and debriefs are read from the record the game keeps: every number traces to a snapshot."""

import math
import re

import pytest

from blitzgame.api import play as api_play
from blitzgame.bots import Bot, Orders
from blitzgame.bots.loader import make_bot
from blitzgame.engine import layout as F
from blitzgame.engine.metrics import runway
from blitzgame.engine.people import in_death_zone
from blitzgame.formats import count, money
from blitzgame.session.campaign import Campaign, Human
from blitzgame.session.debrief import OUTCOMES, debrief, order_book, timeline
from blitzgame.session.game import Game
from blitzgame.session.report import VENDORS
from blitzgame.session.series import PUBLIC_FIELDS, START_LABEL, game_series


def play(campaign: Campaign, bot: str | None = "baseline", quarters: int | None = None, orders=None) -> Campaign:
    """Play the human seat with a built-in bot's orders (or fixed ``orders``) for ``quarters`` or to the end."""
    player = make_bot(bot) if bot else None
    played = 0
    while not campaign.game.over and (quarters is None or played < quarters):
        lab = campaign.player
        if campaign.game.alive(lab):
            campaign.submit(lab, orders if orders is not None else player.orders_for(campaign.game, lab))
        campaign.end_quarter()
        played += 1
    return campaign


@pytest.fixture(scope="module")
def finished(tmp_path_factory) -> Campaign:
    """A whole base-2024 campaign, the human challenger played by the baseline bot."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BLITZGAME_SAVES", str(tmp_path_factory.mktemp("saves")))
        return play(Campaign.new([Human("Test Lab", "challenger", "nevada")], seed=1))


@pytest.fixture(scope="module")
def winter(tmp_path_factory) -> Campaign:
    """capital-winter, where the scenario stops the music in 2025Q3, played to the end."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BLITZGAME_SAVES", str(tmp_path_factory.mktemp("saves")))
        return play(Campaign.new([Human("Winter Lab", "startup", "nordics")], scenario="capital-winter", seed=4))


@pytest.fixture
def fresh(tmp_path, monkeypatch) -> Campaign:
    monkeypatch.setenv("BLITZGAME_SAVES", str(tmp_path))
    return Campaign.new([Human("Fresh Lab")], seed=2)


# --- series --------------------------------------------------------------------------------
def test_a_new_game_has_one_point_the_start(fresh):
    series = game_series(fresh.game)
    assert series.labels == [START_LABEL]
    assert series.quarters_played == 0
    assert all(len(s.gpus) == 1 for s in series.labs)
    assert series.music_point is None


@pytest.mark.parametrize("quarters", [1, 3])
def test_series_have_a_point_per_quarter_played_plus_the_start(fresh, quarters):
    play(fresh, quarters=quarters)
    game = fresh.game
    series = game_series(game)
    assert series.points == game.quarter + 1 == quarters + 1
    assert series.labels == [START_LABEL] + [r.label for r in game.reports]
    for s in series.labs:
        for name in ("gpus", "owned", "stranded", "cash", "runway", "share", "revenue", "valuation", "status"):
            assert len(getattr(s, name)) == series.points
    assert len(series.revenue_gap) == len(series.sentiment) == len(series.spot) == series.points


def test_series_values_are_the_snapshots(finished):
    game = finished.game
    series = game_series(game)
    for k, snap in enumerate(game.history):
        assert series.revenue_gap[k] == snap.world[F.REVENUE_GAP]
        assert series.sentiment[k] == snap.world[F.SENTIMENT]
        for i, s in enumerate(series.labs):
            row = snap.labs[i]
            assert s.name == game.names[i]
            assert (s.gpus[k], s.owned[k]) == (row[F.ONLINE], row[F.GPUS])
            assert (s.stranded[k], s.heat_dark[k]) == (row[F.STRANDED] - row[F.HEAT_DARK], row[F.HEAT_DARK])
            assert (s.cash[k], s.share[k], s.revenue[k], s.valuation[k]) == (
                row[F.CASH], row[F.SHARE], row[F.REVENUE], row[F.VALUATION])
            assert s.status[k] == F.STATUS_NAMES[float(row[F.STATUS])]
            expected = runway(snap.labs, i) if row[F.STATUS] == F.ALIVE else 0.0
            assert s.runway[k] == expected


def test_the_public_figures_are_what_a_rival_view_shows(fresh):
    play(fresh, quarters=2)
    series = game_series(fresh.game)
    obs = fresh.game.observe(fresh.player)
    for rival in obs.rivals:
        s = series.lab(rival.index)
        assert PUBLIC_FIELDS == ("gpus", "share", "revenue", "valuation")
        assert (s.gpus[-1], s.share[-1], s.revenue[-1], s.valuation[-1]) == (
            rival.gpus, rival.share, rival.revenue, rival.valuation)


def test_the_music_point_is_the_quarter_it_stopped(winter):
    game = winter.game
    series = game_series(game)
    stopped = int(game.history[-1].world[F.MUSIC_QUARTER])
    assert stopped == 6  # the scenario stops it in 2025Q3
    assert series.music_point == stopped + 1
    assert series.labels[series.music_point] == "2025Q3"


# --- debrief --------------------------------------------------------------------------------
def test_a_finished_campaign_names_its_outcome_from_the_record(finished):
    game = finished.game
    lab = finished.player
    report = debrief(game, lab, finished.seats)
    row = game.history[-1].labs[lab]
    assert game.over and report.over
    assert report.outcome in OUTCOMES
    expected = {F.BANKRUPT: "bankruptcy", F.ACQUIRED: "acquisition"}.get(float(row[F.STATUS]))
    if int(game.history[-1].world[F.WINNER]) == lab:
        expected = "dominance win"
    elif expected is None:
        expected = "survival" if game.history[-1].world[F.WINNER] >= 0 else "ranked finish"
    assert report.outcome == expected
    assert report.score == row[F.SCORE] and report.rank == row[F.RANK]
    assert [s.rank for s in report.standings] == sorted(s.rank for s in report.standings)
    assert set(report.rivals) == set(game.names) - {game.names[lab]}


def test_death_zone_lesson_counts_the_quarters_the_lab_spent_there(finished):
    game, lab = finished.game, finished.player
    lesson = debrief(game, lab).lesson("death_zone")
    assert lesson.mechanic == "M7"
    counted = sum(1 for k in range(1, len(game.history))
                  if game.history[k - 1].labs[lab, F.STATUS] == F.ALIVE
                  and game.history[k].labs[lab, F.STATUS] == F.ALIVE
                  and in_death_zone(game.history[k].labs[lab, F.ONLINE]))
    assert lesson.value == game.history[-1].labs[lab, F.DEATH_ZONE_QUARTERS] == counted
    assert counted > 0  # a challenger starts at 6,000 GPUs: inside it
    assert f"{counted} quarter" in lesson.text
    grants = sum(game.history[k].labs[lab, F.RETENTION] for k in range(1, len(game.history))
                 if game.history[k - 1].labs[lab, F.STATUS] == F.ALIVE)
    assert grants > 0.5  # the cost that weighs most there is said too
    assert f"Keeping the researchers who stayed cost {money(grants)} of retention grants on top of their pay." in lesson.text
    # the worst quarter's pull is the one the report's attrition line gave that quarter
    said = [float(m) for r in game.reports for n in r.news if n.lab == lab
            for m in re.findall(r"(\d+\.\d)% more in the death zone", n.text)]
    if said and max(said) >= 6.5:
        assert f"an extra {max(said) / 100:.0%} of researchers in your worst quarter there" in lesson.text


def test_lessons_count_failed_runs_idle_quarters_and_gpu_leadership(finished):
    game, lab = finished.game, finished.player
    report = debrief(game, lab)
    alive = [k for k in range(1, len(game.history)) if game.history[k - 1].labs[lab, F.STATUS] == F.ALIVE]
    after = [game.history[k].labs[lab] for k in alive]
    assert report.lesson("failed_runs").value == sum(1 for a in after if a[F.TRAIN_RUN] < 0)
    assert report.lesson("stranded").value == sum(1 for a in after if a[F.STRANDED] - a[F.HEAT_DARK] > 0.5)  # not heat
    leads = 0
    for snap in game.history[1:]:
        living = [i for i in range(game.n_labs) if snap.labs[i, F.STATUS] == F.ALIVE]
        top = max((snap.labs[i, F.ONLINE] for i in living), default=0.0)
        leads += lab in living and top > 0 and snap.labs[lab, F.ONLINE] == top
    assert report.lesson("gpu_leader").value == leads
    assert report.lesson("peak_stage").value == game.history[-1].labs[lab, F.PEAK_GPUS]
    assert report.lesson("efficiency").value == game.history[-1].labs[lab, F.EFFICIENCY]
    assert {lesson.mechanic for lesson in report.lessons} >= {"M1", "M3", "M4", "M5", "M6", "M7", "M8", "M12", "M13"}


def test_the_runway_lesson_reads_the_runway_hq_showed_as_the_crash_quarter_began(winter):
    """The runway a team noted from HQ while giving the crash quarter's orders is the one the
    debrief (and the class table) shows, not the one at that quarter's end."""
    game, lab = winter.game, winter.player
    lesson = debrief(game, lab).lesson("music")
    stopped = int(game.history[-1].world[F.MUSIC_QUARTER])
    start = game.history[stopped]  # the start of the quarter it stopped: what HQ showed
    assert game.history[stopped].labs[lab, F.STATUS] == F.ALIVE
    assert lesson.value == runway(start.labs, lab) != runway(game.history[stopped + 1].labs, lab)
    assert lesson.value == game.rewind(stopped).observe(lab).me.runway  # HQ's figure, as the quarter began
    assert "The music stopped in 2025Q3. As that quarter began" in lesson.text
    assert f"{money(start.labs[lab, F.CASH])} in cash and {lesson.value:.1f} quarters of runway" in lesson.text


@pytest.fixture(scope="module")
def rehearsal():
    """The teacher's rehearsal world: classroom-famine-crash, seed 2025, the six archetypes, a
    consolidation endgame and the music stopping on schedule in 2027Q1; every lab lives through it."""
    import blitzgame

    return blitzgame.play(bots=["sprinter", "platform", "integrator", "pure", "defender", "efficient"],
                          scenario="classroom-famine-crash", seed=2025, labs=6).game


def test_the_music_lesson_says_what_the_runway_did_for_the_lab(rehearsal):
    """A lab that lived through the crash is told so, with its cash and runway at the end, never
    that its runway "is how labs die"; one that ran out of cash after it is told when."""
    game = rehearsal
    stopped = int(game.history[-1].world[F.MUSIC_QUARTER])
    end = game.history[-1].labs
    for lab in range(game.n_labs):
        text = debrief(game, lab).lesson("music").text
        assert end[lab, F.STATUS] == F.ALIVE and "how labs die" not in text, text
        left = runway(end, lab)
        if left >= 2:
            assert (f"The lab lived through the crash to the end of the campaign: in 2027Q4 it had "
                    f"{money(end[lab, F.CASH])} and {left:.1f} quarters of runway.") in text, text
        else:
            assert f"only {left:.1f} quarters of runway left" in text, text
    saved = [game.history[k].labs[:, F.STATUS].copy() for k in range(len(game.history))]
    for k in range(stopped + 2, len(game.history)):  # as if every lab went bankrupt in the quarter after the crash
        game.history[k].labs[:, F.STATUS] = F.BANKRUPT
    try:
        lessons = [debrief(game, lab).lesson("music") for lab in range(game.n_labs)]
    finally:
        for k, status in enumerate(saved):
            game.history[k].labs[:, F.STATUS] = status
    for lesson in lessons:
        assert "lived" not in lesson.text
        if lesson.value >= 8:  # two years of runway or more: it was spent, not too short
            assert ("That runway did not last: your lab ran out of cash in 2027Q2, 1 quarter after the music stopped. "
                    "Funding stays scarce after a crash; spend as if it will not return.") in lesson.text
        else:
            assert ("Your lab ran out of cash in 2027Q2, 1 quarter after the music stopped: less than two years of "
                    "runway when funding freezes is how labs die") in lesson.text
    assert min(lesson.value for lesson in lessons) < 8 <= max(lesson.value for lesson in lessons)


def test_the_music_lesson_says_cash_flow_positive_only_without_a_burn(rehearsal):
    """Runway past its cap is "99+ quarters" while the lab still burns cash (HQ's words); only a lab
    with no net burn is "cash-flow positive"."""
    from blitzgame.engine.metrics import burn

    game = rehearsal
    end = game.history[-1].labs
    kept = end.copy()
    try:
        end[0, F.CASH] = 1e6  # a sea of cash: runway far past the cap, at whatever burn it has
        end[0, F.OUT_PAYROLL] += max(0.0, -burn(end, 0)) + 1.0  # burning a little
        text = debrief(game, 0).lesson("music").text
        assert "99+ quarters of runway" in text and "cash-flow positive" not in text, text
        end[0, F.IN_REVENUE] += burn(end, 0) + 1.0  # now taking in more than it spends
        assert "and cash-flow positive." in debrief(game, 0).lesson("music").text
    finally:
        end[:] = kept


def test_the_endgame_lesson_says_what_the_regime_does_and_what_happened(rehearsal):
    """No fixed claim ("the biggest clusters won"): the rule, then where the lab it favours finished."""
    game = rehearsal
    last = game.history[-1]
    assert last.world[F.REGIME] == F.REGIME_CONSOLIDATION
    biggest = int(last.labs[:, F.ONLINE].argmax())
    first = int(last.labs[:, F.RANK].argmin())
    assert biggest != first, "the world the teacher saw: the biggest lab did not finish first"
    for lab in range(game.n_labs):
        text = debrief(game, lab).lesson("endgame").text
        assert "biggest clusters won" not in text
        assert text.startswith("The endgame was consolidation (from 2026Q1): customers chase the best model harder.")
        name = "yours" if biggest == lab else game.names[biggest]
        leader = "you were" if first == lab else f"{game.names[first]} was"
        assert (f"the lab with the most GPUs online, {name} ({count(last.labs[biggest, F.ONLINE])} GPUs, "
                f"{last.labs[biggest, F.SHARE]:.1%} of the customers), ranked {int(last.labs[biggest, F.RANK])} of 6; "
                f"{leader} first, with {count(last.labs[first, F.ONLINE])} GPUs online.") in text, text
        assert "tiers, not GPUs" not in debrief(game, lab).lesson("peak_stage").text
    saved = last.world[F.REGIME]
    last.world[F.REGIME] = F.REGIME_COMMODITIZATION  # as if it had been the other endgame
    try:
        text = debrief(game, 0).lesson("endgame").text
    finally:
        last.world[F.REGIME] = saved
    efficient = max(range(game.n_labs), key=lambda i: last.labs[i, F.EFFICIENCY])
    assert "prices fall to 55% and customers favour the labs cheapest to serve" in text
    assert f"the most efficient lab, {game.names[efficient]} (efficiency x{last.labs[efficient, F.EFFICIENCY]:.2f})" in text


def test_the_hidden_costs_lesson_gives_the_runs_chance_and_blames_no_tech_debt_that_was_not_there(rehearsal):
    game, lab = rehearsal, 0
    played = [snap.labs[lab] for snap in game.history[1:]]
    runs = [a for a in played if a[F.TRAIN_RUN] != 0]
    text = debrief(game, lab).lesson("failed_runs").text
    chance = sum(a[F.TRAIN_CHANCE] for a in runs) / len(runs)
    debt = sum(a[F.TECH_DEBT] for a in played) / len(played)
    assert f"(their chance of success averaged {chance:.0%})" in text
    assert f"tech debt lowers both (yours averaged {debt:.2f}, " in text and "breaks runs" not in text


def test_the_music_lesson_says_it_has_not_stopped_yet_or_stopped_after_the_lab_left(fresh):
    play(fresh, quarters=2)
    lesson = debrief(fresh.game, fresh.player).lesson("music")
    assert lesson.value is None and "The music has not stopped yet (2 quarters played)" in lesson.text
    fresh.game.history[-1].labs[fresh.player, F.STATUS] = F.BANKRUPT  # as if it went bankrupt in its 2nd quarter
    lesson = debrief(fresh.game, fresh.player).lesson("music")
    label = fresh.game.world.label(1)
    assert f"Your lab left the race in {label}, before the music stopped" in lesson.text  # not "never"


def test_the_timeline_has_the_lab_decisions_and_the_world_events(winter):
    game, lab = winter.game, winter.player
    report = debrief(game, lab, winter.seats)
    crash = [m for m in report.timeline if "music stopped" in m.text]
    assert len(crash) == 1 and crash[0].label == "2025Q3" and crash[0].mechanic == "M8"
    raises = [q for q, quarter in enumerate(game.orders_log)
              if quarter[lab].equity > 0 and game.history[q].labs[lab, F.STATUS] == F.ALIVE]
    raised = [m for m in report.timeline if m.kind == "decision" and m.text.startswith("Raised")]
    assert [m.quarter for m in raised] == raises
    failed = [m for m in report.timeline if "training run failed" in m.text]
    assert len(failed) == debrief(game, lab).lesson("failed_runs").value
    assert [m.quarter for m in report.timeline] == sorted(m.quarter for m in report.timeline)
    # a training run is credited with what it trained, rivals' progress (M3) with what spread
    for moment in report.timeline:
        after = game.history[moment.quarter + 1].labs[lab]
        if moment.text.startswith("A training run lifted"):
            assert f"by {after[F.QUALITY_TRAINED]:.2f}" in moment.text and after[F.QUALITY_TRAINED] >= 0.25
        if moment.text.startswith("Rivals' progress spread"):
            assert after[F.QUALITY_DIFFUSED] >= 0.25 and moment.mechanic == "M3"
    # every run that moved the model is told, the small gains too, as every failure is (a player saw
    # nine failures and one success in a campaign where nine runs had succeeded)
    told = {m.quarter for m in report.timeline if m.text.startswith(("A training run lifted", "A training run succeeded"))
            or m.text.startswith("Rivals' progress spread") and "from a training run" in m.text}
    gained = {q for q in range(game.quarter) if game.history[q + 1].labs[lab, F.TRAIN_RUN] > 0
              and round(game.history[q + 1].labs[lab, F.QUALITY_TRAINED], 2) >= 0.01}
    assert gained and told == gained


def test_the_timeline_marks_a_big_delivery_from_earlier_orders(rehearsal):
    """GPUs that arrive in size from orders of earlier quarters are a moment of their own (the
    order was in the timeline when placed; its delivery was not)."""
    game = rehearsal
    seen = 0
    for lab in range(game.n_labs):
        for m in debrief(game, lab).timeline:
            if "against the backlog of earlier quarters' orders" in m.text:
                before, after = game.history[m.quarter].labs[lab], game.history[m.quarter + 1].labs[lab]
                assert m.kind == "event" and m.mechanic == "M4"
                assert m.text.startswith(f"{count(after[F.GPUS_DELIVERED])} GPUs arrived from vendors")
                assert after[F.GPUS_DELIVERED] >= max(1000.0, 0.5 * before[F.GPUS])
                assert sum(game.orders_log[m.quarter][lab].gpus.values()) < max(1000.0, 0.5 * before[F.GPUS])
                seen += 1
    assert seen


def test_a_lab_that_runs_out_of_cash_is_debriefed_as_bankrupt_or_bought(tmp_path, monkeypatch):
    monkeypatch.setenv("BLITZGAME_SAVES", str(tmp_path))
    campaign = Campaign.new([Human("Spendthrift", "startup", "nevada")], seed=3)
    play(campaign, bot=None, orders={"efficiency_rnd": 100000.0, "hire": 500.0, "package": 20.0}, quarters=8)
    game, lab = campaign.game, campaign.player
    assert not game.alive(lab)
    report = debrief(game, lab)
    status = game.history[-1].labs[lab, F.STATUS]
    assert report.outcome == ("bankruptcy" if status == F.BANKRUPT else "acquisition")
    assert any("Out of cash" in m.text for m in report.timeline)
    assert report.last_point < report.series.points - 1 or game.quarter == report.last_point


def test_a_dominance_win_is_named_as_such(finished):
    game, lab = finished.game, finished.player
    last = game.history[-1]
    saved = last.world[F.WINNER]
    last.world[F.WINNER] = lab  # as if the lab had reached escape velocity
    try:
        report = debrief(game, lab)
        assert report.outcome == "dominance win"
        assert [s.status for s in report.standings if s.name == game.names[lab]] == ["EV reached"]  # as the race says
        assert "EV reached" in report.to_markdown()
    finally:
        last.world[F.WINNER] = saved


def test_a_debrief_mid_campaign_is_survival_so_far(fresh):
    play(fresh, quarters=1)
    report = debrief(fresh.game, fresh.player)
    assert report.outcome == "survival" and not report.over
    assert "so far" in report.summary


def test_the_markdown_export_has_every_section(finished):
    report = debrief(finished.game, finished.player, finished.seats)
    text = report.to_markdown()
    for section in ("# Debrief: Test Lab", "## Outcome", "## Final standings", "## Timeline", "## Lessons",
                    "## Quarter by quarter"):
        assert section in text
    assert report.outcome.capitalize() in text
    for lesson in report.lessons:
        assert lesson.text in text
    for name in finished.game.names:
        assert f"| {name} |" in text
    rows = [line for line in text.splitlines() if line.startswith("| start") or line.startswith("| 20")]
    assert len(rows) == report.last_point + 1  # the table stops when the lab left the race
    assert not any(math.isnan(lesson.value) for lesson in report.lessons if lesson.value is not None)


def test_the_shortage_lesson_counts_each_gpu_once(finished):
    """GPUs ordered and delivered over the campaign add up: what was delivered, still on order
    at the end and cancelled is no more than what was ordered plus the backlog the lab began with
    (a quarter's "could pay for" carries the backlog over, so it is never summed)."""
    game, lab = finished.game, finished.player
    lesson = debrief(game, lab).lesson("shortage")
    after = [state.labs[lab] for state in game.history[1:]]
    ordered = sum(a[F.GPUS_ORDERED] for a in after)
    delivered = sum(a[F.GPUS_DELIVERED] for a in after)
    assert lesson.value == delivered
    assert delivered + game.history[-1].labs[lab, F.BACKLOG] <= ordered + game.history[0].labs[lab, F.BACKLOG] + 1.0
    if ordered >= 0.5:
        assert f"and ordered {count(ordered)}" in lesson.text
        assert re.search(r"vendors delivered [\d,]+", lesson.text)
    assert lesson.text.startswith(f"You started with {count(game.history[0].labs[lab, F.GPUS])} GPUs")


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_the_shortage_lesson_adds_up_as_written(seed):
    """On order at the start + ordered - cancelled - delivered - made - void = on order at the
    end, with the figures as the lesson writes them (a lab that cancels orders included)."""
    class Canceller(Bot):
        name = "canceller"

        def decide(self, obs):
            return Orders(gpus={"virginia": 2000.0}, cancel=0.5 if obs.quarter % 3 == 2 else 0.0)

    game = api_play([Canceller, "sprinter", "platform", "pure", "defender"], scenario="gpu-famine", seed=seed).game
    for lab in range(game.n_labs):
        began, ordered, cancelled, got, custom, void, still = order_book(game, lab)
        assert began + ordered - cancelled - got - custom - void == pytest.approx(still, abs=1e-6)
        assert all(float(x).is_integer() for x in (began, ordered, cancelled, got, custom, void, still))
        text = debrief(game, lab).lesson("shortage").text
        if ordered >= 0.5:
            assert f"ordered {count(ordered)}" in text and f"vendors delivered {count(got)}" in text
        assert (f"cancelled {count(cancelled)}" in text) == (cancelled >= 0.5)
    assert order_book(game, 0)[2] > 0.0, "the canceller cancelled"


def test_gpus_from_the_lab_own_silicon_are_said_where_vendors_delivered_fewer(tmp_path, monkeypatch):
    """A vertical integrator's fleet is mostly its own chips (M13): the shortage lesson and the
    quarter's order line say how many, beside what vendors delivered."""
    monkeypatch.setenv("BLITZGAME_SAVES", str(tmp_path))
    campaign = play(Campaign.new([Human("Chip Lab", "challenger", "virginia")], scenario="classroom-famine-crash",
                                 seed=2039, difficulty="normal"), bot="integrator")  # among archetypes
    game, lab = campaign.game, campaign.player
    after = [snap.labs[lab] for snap in game.history[1:]]
    custom = sum(a[F.GPUS_CUSTOM] for a in after)
    delivered = sum(a[F.GPUS_DELIVERED] for a in after)
    assert custom > delivered > 0
    text = debrief(game, lab).lesson("shortage").text
    _, ordered, _, got, made, _, _ = order_book(game, lab)  # (as a ledger rounds them: they add up)
    assert abs(got - delivered) <= 1.0 and abs(made - custom) <= 1.0
    assert (f"You started with 6,000 GPUs and ordered {count(ordered)}; vendors "
            f"delivered {count(got)} and your own custom silicon made {count(made)} (M13).") in text
    orders = [m for m in timeline(game, lab) if m.text.startswith("Ordered")]
    own = [m for m in orders if game.history[m.quarter + 1].labs[lab, F.GPUS_CUSTOM] >= 0.5]
    assert own, "a quarter whose order line met the lab's own chips"
    for m in orders:
        a = game.history[m.quarter + 1].labs[lab]
        ledger = next(acc for acc in game.reports[m.quarter].accounts[lab] if acc.name == "GPUs owned").shown()
        assert abs(ledger[VENDORS] - a[F.GPUS_DELIVERED]) <= 1.0  # as the quarter's report writes them, to add up
        assert f"{count(ledger[VENDORS])} arrived from vendors that quarter" in m.text
        assert (f"your own silicon made {count(a[F.GPUS_CUSTOM])} (M13)" in m.text) == (m in own), m.text


def test_a_score_that_jumps_when_the_lab_stops_releasing_weights_is_explained(tmp_path, monkeypatch):
    """Open weights earn a fraction of the price per customer (M10): the quarter a lab stops
    releasing them its revenue leaps at about the same share, and the debrief says so."""
    from blitzgame.engine import params as P

    monkeypatch.setenv("BLITZGAME_SAVES", str(tmp_path))
    campaign = Campaign.new([Human("Open Lab", "challenger", "virginia")], scenario="classroom-famine-crash", seed=2025)
    bot = make_bot("sprinter")
    while not campaign.game.over:  # weights released for the first eight quarters only
        orders = bot.orders_for(campaign.game, campaign.player)
        campaign.submit(campaign.player, orders.model_copy(update={"open_source": campaign.game.quarter < 8}))
        campaign.end_quarter()
    game, lab = campaign.game, campaign.player
    b, a = game.history[8].labs[lab], game.history[9].labs[lab]  # around 2026Q1, the first quarter closed
    moves = [abs(game.history[k].labs[lab, F.SCORE] - game.history[k - 1].labs[lab, F.SCORE])
             for k in range(1, len(game.history))]
    assert moves.index(max(moves)) == 8 and a[F.REVENUE] > 2 * b[F.REVENUE]
    price = game.world.params[P.OPEN_PRICE]
    lesson = debrief(game, lab).lesson("open_weights")
    assert lesson.mechanic == "M10" and lesson.value == 8
    assert (f"Your score's biggest move, {b[F.SCORE]:,.1f} -> {a[F.SCORE]:,.1f} in 2026Q1, came the quarter you "
            f"stopped releasing them: revenue {money(b[F.REVENUE])} -> {money(a[F.REVENUE])} a quarter, with a share "
            f"of the customers of {b[F.SHARE]:.1%} -> {a[F.SHARE]:.1%}.") in lesson.text
    assert f"earn {price:.0%} of the price per customer served" in lesson.text
    stopped = [m for m in timeline(game, lab) if m.text.startswith("Stopped releasing weights")]
    assert [m.label for m in stopped] == ["2026Q1"] and money(a[F.REVENUE]) in stopped[0].text


def test_the_timeline_leaves_no_order_out_and_never_records_a_refused_raise_as_raised():
    from blitzgame.schemas.orders import Orders

    campaign = Campaign.new([Human("Test Lab", "challenger", "nevada")], scenario="capital-winter", seed=4)
    hubs = campaign.game.world.hub_ids
    names = dict(zip(hubs, campaign.game.world.hub_names))
    given = []
    for q in range(10):
        orders = Orders(gpus={hubs[q % len(hubs)]: 100.0 + q}, power_mw={hubs[0]: 0.5}, hire=2.0,
                        equity=500.0, efficiency_rnd=3.0, bid=1.0 if q == 4 else 0.0)
        campaign.submit(campaign.player, orders)
        campaign.end_quarter()
        given.append(orders)
    moments = timeline(campaign.game, campaign.player)
    for q in range(len(given)):
        said = " ".join(m.text for m in moments if m.quarter == q and m.kind == "decision")
        assert names[hubs[q % len(hubs)]] in said and "0.5 MW" in said and "efficiency R&D" in said, said
        assert ("up to $1.0M for a rival" in said) == (q == 4), said
        raised = campaign.game.history[q + 1].labs[campaign.player, F.IN_EQUITY]
        assert "Raised $0.0M" not in said
        assert ("raised nothing" in said) == (raised < 0.05), said


@pytest.mark.parametrize("fixture", ["finished", "winter"])
def test_the_winner_lesson_names_the_first_lab_and_the_quarter_its_lead_began(fixture, request):
    campaign = request.getfixturevalue(fixture)
    game = campaign.game
    d = debrief(game, campaign.player)
    lesson = d.lesson("winner")
    last = game.history[-1].labs
    first = int(last[:, F.RANK].argmin())
    ranks = [snap.labs[first, F.RANK] for snap in game.history[1:]]
    since = int(lesson.value)
    assert all(r == 1.0 for r in ranks[since:]) and (since == 0 or ranks[since - 1] != 1.0)
    escaped = game.history[-1].world[F.WINNER] == first
    name = ("You " if first == campaign.player else f"{game.names[first]} ") + (
        "reached escape velocity" if escaped else "are first by score" if first == campaign.player else "is first by score")
    assert lesson.text.startswith(name), lesson.text
    assert (game.world.label(since) in lesson.text) or "the whole campaign" in lesson.text
    assert "enterprise value" not in d.summary  # ranks are by score, and the summary says so


def test_the_music_lesson_names_what_can_stop_the_music_in_this_world():
    """A scenario whose crash comes only on schedule is not said to be stopped by the revenue gap."""
    import blitzgame
    from blitzgame.session.crash import crash_rule

    scheduled = blitzgame.play(bots=["sprinter", "platform"], scenario="classroom-famine-crash", seed=1, labs=2).game
    assert crash_rule(scheduled) == "in this scenario only its schedule stops the music (2027Q1), not the revenue gap"
    chance = blitzgame.play(bots=["sprinter", "platform"], scenario="base-2024", seed=1, labs=2).game
    assert crash_rule(chance, 9.0).startswith("the revenue gap peaked at 9.0x (pressure builds past")


def test_quarters_renting_or_partnered_count_each_quarter_once():
    import blitzgame
    from blitzgame.session.debrief import debrief

    game = blitzgame.play(bots=["defender", "efficient"], scenario="classroom-famine-crash", seed=2, labs=2).game
    for lab in range(2):
        played = [game.history[k + 1].labs[lab] for k in range(game.quarter)]
        both = sum(1 for a in played if a[F.RENTED] > 0 and a[F.PARTNER_GPUS] > 0)
        either = sum(1 for a in played if a[F.RENTED] > 0 or a[F.PARTNER_GPUS] > 0)
        assert debrief(game, lab).lesson("alternatives").value == either <= game.quarter
    assert both > 0, "a lab that rented and partnered in the same quarters (the case once counted twice)"


def test_the_winner_lesson_says_escape_velocity_not_the_score_put_the_winner_first(finished):
    """A lab that reached escape velocity is first whatever the scores: the lesson says so, not
    that it is "first by score" with a lower score than the player's."""
    game = finished.game
    last = game.history[-1]
    first = int(last.labs[:, F.RANK].argmin())
    saved = last.world[F.WINNER]
    last.world[F.WINNER] = first  # as if the leader had reached escape velocity
    try:
        text = debrief(game, finished.player).lesson("winner").text
    finally:
        last.world[F.WINNER] = saved
    assert "reached escape velocity, " in text and "first by score" not in text


def test_labs_level_to_rounding_share_the_gpu_lead_and_a_level_field_has_no_leader():
    """Equal labs (a classroom world's start) lead nobody, and 6,299.999... GPUs is level with 6,300:
    "Quarters leading" and "Lost the lead" count real leads only."""
    import numpy as np

    from blitzgame.session.debrief import _gpu_leaders

    labs = np.zeros((3, F.LAB_FIELDS))
    labs[:, F.STATUS] = F.ALIVE
    labs[:, F.ONLINE] = [6300.0, 6299.999999999999, 6300.0]
    assert _gpu_leaders(labs) == set()
    labs[2, F.ONLINE] = 5000.0
    assert _gpu_leaders(labs) == {0, 1}
    labs[0, F.ONLINE] = 7000.0
    assert _gpu_leaders(labs) == {0}


def test_gpus_a_scenario_starts_without_power_are_said_to_be_its_own():
    """classroom-grid-and-borders starts every lab with GPUs bought ahead of their power: the power
    lesson says so, so that a team's first idle quarters are not blamed on its orders alone."""
    game = Game.new("classroom-grid-and-borders", seed=1)
    began = game.state_labs[0, F.STRANDED]
    assert began > 0.5
    while game.quarter < 3:
        game.advance()
    text = debrief(game, 0).lesson("stranded").text
    assert f"The campaign began with {count(began)} of your GPUs waiting for power, as the scenario set it up." in text


def test_the_power_lesson_says_when_every_grid_vendors_ship_to_filled_up():
    """A power-crunch player read a generic power lesson ("order power a build lead time ahead"): the
    scenario's lesson was that every grid filled in the second quarter."""
    game = Game.new("power-crunch", seed=11)
    while game.quarter < 4:
        game.advance()  # (nobody orders: the grid stays as the scenario left it)
    assert "every grid vendors ship to was full" not in debrief(game, 0).lesson("stranded").text
    full = game.history[2].world
    full[F.HEADROOM:F.HEADROOM + len(game.world.hub_ids)] = 0.0  # as the rush left it after the second quarter
    assert debrief(game, 0).lesson("stranded").text.endswith(
        "By the end of 2024Q2 every grid vendors ship to was full: from then on power came only from what labs had "
        "claimed (or a grid that grew later).")


def test_a_power_order_the_grid_cut_short_is_a_key_line_of_the_timeline_with_its_reason():
    """The report said "The grid connected 7.0 of the 10.0 MW you asked to build", the debrief
    listed the order among the others as if it were met: a cut order is a key line, with why."""

    class Builder(Bot):
        name = "builder"

        def decide(self, obs):
            return Orders(power_mw={"nordics": 8.0}, train_split=0.5)

    game = api_play([Builder, "sprinter", "platform", "pure", "defender"], seed=3).game
    cut = [q for q in range(game.quarter) if game.history[q + 1].labs[0, F.MW_GRANTED] < 8.0 - 0.05
           and game.history[q].labs[0, F.STATUS] == F.ALIVE]
    assert cut, "the Nordic grid ran out under the builder"
    lines = {m.quarter: m.text for m in timeline(game, 0) if "MW of power asked" in m.text}
    for q in cut:
        granted = game.history[q + 1].labs[0, F.MW_GRANTED]
        assert lines[q].startswith(f"Started building {granted:,.1f} of 8.0 MW of power asked: "), lines.get(q)
        assert "Nordic Countries" in lines[q] or "cash" in lines[q]


def test_a_lead_shared_with_labs_level_at_the_top_is_said_to_be_shared():
    """A debrief said "Took the lead in GPUs online" of a team level with three others at 6,300."""
    game = Game.new("classroom-famine-crash", seed=1)
    game.advance()
    game.history[1].labs[:4, F.ONLINE] = 6300.0  # four of six labs level at the top
    said = [m.text for m in timeline(game, 0) if "lead" in m.text]
    assert said == ["Shared the lead in GPUs online: 4 labs level at 6,300."]
    game.history[1].labs[0, F.ONLINE] = 6400.0
    assert [m.text for m in timeline(game, 0) if "lead" in m.text] == ["Took the lead in GPUs online."]


def test_the_debrief_counts_heatwaves_and_idle_gpus_as_the_reports_said_them():
    """A player read "6,626 GPUs went dark" in a report and 6,627 in the debrief's timeline, and
    summed the reports' idle GPUs to 28,530 against the debrief's 28,529 GPU-quarters."""
    game = api_play(bots=["sprinter", "platform", "integrator", "pure", "defender"], scenario="power-crunch",
                          seed=1).game
    number = re.compile(r"(\d[\d,]*) GPUs")
    checked = 0
    for lab in range(game.n_labs):
        said_dark = {r.label: int(number.search(n.text)[1].replace(",", "")) for r in game.reports for n in r.for_lab(lab)
                     if n.lab == lab and "GPUs went dark" in n.text}
        told_dark = {m.label: int(number.search(m.text)[1].replace(",", "")) for m in timeline(game, lab)
                     if m.text.startswith("A heatwave took")}
        assert told_dark == said_dark
        checked += len(told_dark)
        idle = sum(int(number.search(n.text)[1].replace(",", "")) for r in game.reports for n in r.for_lab(lab)
                   if n.lab == lab and "GPUs sit idle for lack of power" in n.text)
        lesson = debrief(game, lab).lesson("stranded").text
        if idle:
            assert f"{idle:,} GPU-quarters idle in all" in lesson
    assert checked >= 10  # (heatwaves hit every lab of this game)


def test_a_lab_that_never_entered_the_death_zone_is_not_said_to_have_lost_in_it(fresh):
    play(fresh, quarters=1)
    game, lab = fresh.game, fresh.player
    lesson = debrief(game, lab).lesson("death_zone")
    assert lesson.value == 0  # (a startup of 300 GPUs, one quarter in)
    assert lesson.text.startswith("You stayed clear of the death zone (1,000-9,999 GPUs online), where a lab loses")
    assert "You spent" not in lesson.text
