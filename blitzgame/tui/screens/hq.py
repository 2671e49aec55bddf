"""HQ: one quarter of the campaign at a glance, for the human lab at the keyboard."""

from textual.app import ComposeResult
from textual.containers import Grid, Vertical, VerticalScroll
from textual.markup import escape
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static

from blitzgame.formats import apart, count, listed, money, quarters
from blitzgame.session.campaign import (
    DEATH_ZONE_HIGH,
    RUNWAY_SHORT,
    STAGE_NAMES,
    CapitalMarket,
    CovenantRisk,
    Dominance,
    contender_line,
)
from blitzgame.session.series import game_series
from blitzgame.tui.screens.charts import mount_race, music_marks
from blitzgame.tui.screens.tables import race_status
from blitzgame.tui.widgets.flywheel import FlywheelPanel
from blitzgame.tui.widgets.gauge import CapitalGauge
from blitzgame.tui.widgets.header import Header
from blitzgame.tui.widgets.lab_summary import LabSummary, burn_words
from blitzgame.tui.widgets.orders_summary import OrdersSummary
from blitzgame.tui.widgets.race_chart import QuarterChart
from blitzgame.tui.widgets.stage_badge import StageBadge


def phase_title(phase: str) -> str:
    """'gpu market' -> 'GPU market'; the victory phase's news (dominance, escape velocity, the
    campaign's end) as 'The race': most campaigns end without a victory."""
    if phase == "victory":
        return "The race"
    return (phase[0].upper() + phase[1:]).replace("Gpu", "GPU")


def escape_line(d: Dominance, lab: int) -> str:
    """The warning for a lab heading to escape velocity, seen from ``lab``'s seat."""
    quarters = "1 quarter" if d.quarters_left == 1 else f"{d.quarters_left} quarters"
    through = "this quarter" if d.quarters_left == 1 else f"the next {d.quarters_left} quarters"
    terms = (f"{count(d.online)} GPUs online against the next lab's {count(d.rival_best)} ({d.lead:g}x needed) "
             f"and {d.share:.0%} of the market ({d.share_needed:.0%} needed)")
    part = "a quarter" if d.lead == 4 else f"1/{d.lead:g}"
    if d.lab == lab:
        return (f"[b]ESCAPE VELOCITY: you are {quarters} from it.[/] Stay dominant through {through} and you win "
                f"the race: {terms}. It breaks if a rival passes {count(d.rival_break)} GPUs online, your share "
                f"falls under {d.share_needed:.0%} or your GPUs online under {count(d.gpus_needed)}.")
    return (f"[b]ESCAPE VELOCITY: {escape(d.name)} is {quarters} from winning the race.[/] Still dominant through "
            f"{through}, it wins and the game ends: {terms}. Stop it: a lab past {count(d.rival_break)} GPUs online "
            f"({part} of its fleet), or its share under {d.share_needed:.0%}.")


def covenant_warning(risk: CovenantRisk) -> str:
    """The warning for the lab's own debt close to its covenant line (M8)."""
    if risk.crash_due is not None and risk.crash_lending is not None:
        after = risk.line * risk.crash_lending
        where = "below your debt" if risk.debt > after + 0.5 else f"{1.0 - risk.debt / after:.0%} above your debt"
        margin = (f"The music stops {risk.crash_due} (the scenario's schedule), and lenders then lend "
                  f"{risk.crash_lending:.0%} as much: your line falls to {money(after)}, {where}")
    elif risk.debt > risk.line + 0.5:
        margin = "It is past the line now"
    elif risk.headroom <= 0.0:
        margin = "It is at the line now (lenders called what was past it): any fall in what they lend crosses it"
    else:
        margin = f"A {risk.headroom:.0%} fall in what lenders would lend (less revenue, cheaper GPUs) crosses it"
    crash = ("" if risk.crash_lending is None or risk.crash_due is not None else
             f"; once the music stops they lend {risk.crash_lending:.0%} as much")
    return (f"[b]DEBT COVENANT (M8):[/] debt {money(risk.debt)} is {risk.debt / risk.line:.0%} of your covenant line "
            f"{money(risk.line)} ({risk.covenant:.0%} of what lenders would lend you today{crash}). {margin}: the "
            f"excess is due at once, from cash, else a rescue or a fire sale of GPUs.")


def runway_warning(me, market) -> str | None:
    """The warning for a short runway, or None when the lab has enough (or no burn yet).
    ``market`` (the observation's): with equity markets shut, it says so instead of "raise"."""
    if me.status != "alive" or me.burn <= 0 or me.runway >= RUNWAY_SHORT:
        return None
    shut = market.sentiment <= market.equity_shut_below
    act = (f"Equity markets are shut (sentiment {market.sentiment:.2f}): borrow if lenders will, or spend less"
           if shut else "Raise equity or borrow while investors still listen, or spend less")
    return (f"[b]RUNWAY:[/] {me.runway:.1f} quarters of cash at last quarter's burn ({burn_words(me)}). "
            f"{act} (GPUs, power, hires, layoffs): "
            f"a lab that runs out of cash sells GPUs at a fire-sale price, then goes bankrupt or is bought.")


def gap_warning(market: CapitalMarket) -> str | None:
    """The warning for the revenue gap past the danger line before the music stops (M8), or None."""
    if market.music_stopped or market.revenue_gap <= market.danger_gap:
        return None
    odds = "every quarter it stays there the crash grows more likely" if market.chance_crash else market.crash_rule
    after = (" When the music stops, investors' money dries up, lending halves and valuations fall: keep runway."
             if market.music_can_stop else "")
    gap, line = apart(market.revenue_gap, market.danger_gap)
    return (f"[b]REVENUE GAP (M8):[/] the industry spends {gap}x its AI revenue on capex, past the "
            f"{line.removesuffix('.0')}x danger line: {odds}.{after}")


class HQScreen(Screen):
    """The lab's headquarters: cash, GPUs, stage, flywheel, capital market, news, the race.

    It shows ``app.campaign`` from the seat of ``app.lab`` and redraws with ``show()``
    whenever the campaign moves (a quarter, a rewind, a load, the next hot-seat player).
    """

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide"), (170, "-huge")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (48, "-tall"), (58, "-taller")]  # big terminals also chart the race
    DEFAULT_CSS = """
    HQScreen #hq-body { height: 1fr; }
    HQScreen #hq-grid {
        layout: grid;
        grid-size: 1;
        grid-rows: auto;
        grid-gutter: 0 1;
        height: auto;
        padding: 0 1;
    }
    HQScreen.-wide #hq-grid { grid-size: 2; }
    HQScreen.-huge #hq-grid { grid-size: 3; }
    HQScreen #status-col { height: auto; }
    HQScreen.-wide #news, HQScreen.-wide #race-box, HQScreen.-huge #race-box { column-span: 2; }
    HQScreen.-huge #news { column-span: 3; }
    HQScreen #death-zone {
        display: none;
        background: $error-muted;
        color: $text;
        border: heavy $error;
        padding: 0 1;
        height: auto;
    }
    HQScreen.-death-zone #death-zone { display: block; }
    HQScreen #escape, HQScreen #covenant, HQScreen #runway-warning, HQScreen #gap-warning {
        display: none;
        background: $warning-muted;
        color: $text;
        border: heavy $warning;
        padding: 0 1;
        height: auto;
    }
    HQScreen.-escape #escape, HQScreen.-covenant #covenant { display: block; }
    HQScreen.-runway-short #runway-warning, HQScreen.-gap #gap-warning { display: block; }
    HQScreen.-escape-mine #escape { background: $success-muted; border: heavy $success; }
    HQScreen #out {
        display: none;
        background: $error;
        color: $text;
        text-style: bold;
        padding: 0 1;
        height: auto;
    }
    HQScreen.-out #out { display: block; }
    HQScreen #class-line {
        display: none; background: $primary-muted; color: $text; padding: 0 1; height: auto;
    }
    HQScreen.-class #class-line { display: block; }
    HQScreen #news, HQScreen #race-box { height: auto; border: round $secondary; padding: 0 1; }
    HQScreen #race-chart-box { display: none; height: 20; border: round $secondary; padding: 0 1; }
    HQScreen.-huge.-tall #race-chart-box, HQScreen.-huge.-taller #race-chart-box { display: block; }
    HQScreen.-taller #race-chart-box { height: 1fr; min-height: 20; max-height: 32; }
    HQScreen #race { height: auto; max-height: 12; }
    """

    stale = False  # the campaign moved while another screen was on top
    _drawn_for: tuple[int, int] | None = None  # the quarter and lab HQ last drew (a new one scrolls to the top)

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="hq-body"):
            yield Static(id="class-line")
            yield Static(id="out")
            yield Static(id="escape")
            yield Static(id="covenant")
            yield Static(id="runway-warning")
            yield Static(id="gap-warning")
            yield Static(id="death-zone")
            with Grid(id="hq-grid"):
                yield LabSummary(id="summary")
                with Vertical(id="status-col"):
                    yield StageBadge(id="stage")
                    yield OrdersSummary(id="orders")
                yield FlywheelPanel(id="flywheel")
                yield CapitalGauge(id="gauge")
                with VerticalScroll(id="race-box"):
                    yield DataTable(id="race", cursor_type="row", zebra_stripes=True)
                with Vertical(id="race-chart-box"):
                    yield QuarterChart("GPUs online", log_scale=True, id="hq-race-chart")
                yield Static(id="news")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        table = self.query_one("#race", DataTable)
        table.add_columns("#", "Lab", "Score", "Stage", "GPUs online", "Share", "Model", "Status", "Revenue/qtr",
                          "Valuation")
        self.query_one("#race-box").border_title = "The race"
        self.query_one("#race-chart-box").border_title = "GPU race (c for all charts)"
        self._draw()

    def on_screen_resume(self) -> None:
        if self.stale:
            self._draw()

    def show(self, now: bool = True) -> None:
        """Redraw everything from the app's campaign and the lab at the keyboard; with
        ``now=False`` (a screen is about to cover HQ) only when HQ is next on top."""
        if now and self.is_mounted:
            self._draw()
        else:
            self.stale = True  # nobody sees HQ under the report or the handoff: draw it when it is back

    def _draw(self) -> None:
        self.stale = False
        campaign = getattr(self.app, "campaign", None)
        if campaign is None:
            return
        lab = self.app.lab
        game = campaign.game
        obs = game.observe(lab)
        me = obs.me
        hot_seat = len(campaign.humans) > 1
        self.title = f"Blitzgame · {me.name}"  # the header shows plain text
        played = f"quarter {min(game.quarter + 1, game.world.quarters)} of {game.world.quarters}"
        self.sub_title = (f"campaign {game.progress}" if game.over else f"{obs.label}, {played}") + (
            " · hot seat" if hot_seat else "")
        quarter = "Campaign over" if game.over else f"{obs.label} ({played})"
        self.query_one(LabSummary).show(me, quarter, None if game.over else obs.quarters_left, played=game.quarter > 0,
                                        frontier=obs.market.frontier)
        self.query_one(StageBadge).show(campaign.stage_outlook(lab))
        self.query_one(FlywheelPanel).show(campaign.flywheel(lab))
        self.query_one(CapitalGauge).show(campaign.capital_market())
        hubs = dict(zip(game.world.hub_ids, game.world.hub_names))
        pending, over = campaign.pending(lab), game.over or me.status != "alive"
        asks = pending is not None and not over and (pending.equity > 0 or pending.debt > 0)
        self.query_one(OrdersSummary).show(pending, hubs, last_quarter=bool(campaign.last_orders(lab).compact()),
                                           over=over, preview=campaign.preview(lab, pending) if asks else None)
        out = me.status != "alive"
        self.set_class(out, "-out")
        self.query_one("#out", Static).update(
            f"{escape(me.name)} is {me.status}: out of the race.")
        danger = campaign.in_death_zone(lab) and not out and not game.over
        self.set_class(danger, "-death-zone")
        dark = me.last_quarter.heat_dark if danger else 0.0  # (read only when shown: the last quarter is made on use)
        way_out = (f"{count(dark)} of your GPUs went dark in last quarter's heatwave and run again when it passes, "
                   f"which takes you past {count(DEATH_ZONE_HIGH)} (M11). " if me.online + dark >= DEATH_ZONE_HIGH else
                   f"Grow past {count(DEATH_ZONE_HIGH)} fast: GPUs are not sold back, so the way out is up (rented and "
                   "partner compute do not count toward it, M13).")
        self.query_one("#death-zone", Static).update(
            f"DEATH ZONE (M7): {count(me.online)} GPUs online is big enough to burn like a leader, too small to keep "
            f"talent and customers, and those who stay cost retention grants on top of their pay. "
            + (f"{quarters(me.death_zone_quarters)} in it so far. " if me.death_zone_quarters >= 1 else
               "You enter this quarter in it. ")
            + way_out)
        self._show_warnings(campaign, lab, out or game.over, me, obs.market)
        self.show_class_line()
        self._show_race(obs, {c.lab for c in campaign.closing_in()})
        if self._race_chart_shown():
            self._show_race_chart(game, lab)
        if (game.quarter, lab) != self._drawn_for:  # a new quarter (or the next player's seat) starts at the top
            self._drawn_for = (game.quarter, lab)
            self.query_one("#hq-body", VerticalScroll).scroll_home(animate=False)
        self._show_news(campaign, lab)

    def show_class_line(self) -> None:
        """A shared class's quarter: whether the team's orders are in, who is awaited, the time left."""
        campaign = getattr(self.app, "campaign", None)
        line = None if campaign is None else campaign.class_line(self.app.lab)
        self.set_class(line is not None, "-class")
        for shown in self.query("#class-line").results(Static):  # none while the screen is built or taken down
            shown.update(line or "")

    def _show_warnings(self, campaign, lab: int, done: bool, me, market) -> None:
        """A lab heading to escape velocity (any player's, docs/design.md §4), the lab's own debt covenant
        close to tripping (M8), its runway short, the revenue gap past the danger line (M8): every
        figure from the campaign, which reads the engine. None once the lab is out or the campaign
        over (``done``): advice for quarters that will not be played."""
        racing, closing = ([], []) if done else (campaign.dominance(), campaign.closing_in())
        self.set_class(bool(racing or closing), "-escape")
        self.set_class(any(d.lab == lab for d in [*racing, *closing]), "-escape-mine")
        self.query_one("#escape", Static).update("\n".join([*(escape_line(d, lab) for d in racing),
                                                            *(escape(contender_line(c, lab)) for c in closing)]))
        risk = None if done else campaign.covenant_risk(lab)
        self.set_class(risk is not None, "-covenant")
        self.query_one("#covenant", Static).update(covenant_warning(risk) if risk is not None else "")
        for name, css, text in (("#runway-warning", "-runway-short", None if done else runway_warning(me, market)),
                                ("#gap-warning", "-gap", None if done else gap_warning(campaign.capital_market()))):
            self.set_class(text is not None, css)
            self.query_one(name, Static).update(text or "")

    def on_resize(self) -> None:
        self.call_after_refresh(self._race_chart_if_shown)  # once the breakpoint classes follow the new size

    def _race_chart_shown(self) -> bool:
        return self.has_class("-huge") and (self.has_class("-tall") or self.has_class("-taller"))

    def _race_chart_if_shown(self) -> None:
        if self._race_chart_shown() and getattr(self.app, "campaign", None) is not None:
            self._show_race_chart(self.app.campaign.game, self.app.lab)

    def _show_race_chart(self, game, lab: int) -> None:
        series = game_series(game)
        mount_race(self.query_one("#hq-race-chart", QuarterChart), series, lab, music_marks(series))

    def _show_race(self, obs, closing: set[int]) -> None:
        """The race table; ``closing``: the labs closing in on dominance (their status reads "EV near",
        a dominant lab's its countdown, as on the rivals screen)."""
        table = self.query_one("#race", DataTable)
        table.clear()
        me = obs.me
        rows = [(me.rank, me.name, me.score, me.stage_name, me.online, me.share, me.quality_rank, me.status,
                 me.escape_in, me.index, me.revenue, me.valuation, True)]
        rows += [(r.rank, r.name, r.score, STAGE_NAMES[r.stage], r.gpus, r.share, r.quality_rank, r.status,
                  r.escape_in, r.index, r.revenue, r.valuation, False) for r in obs.rivals]
        ranked = obs.quarter > 0  # before the first quarter every lab scores 0: no rank yet
        # ranked by score (the founders' equity value created, points of $100M; r for the rules)
        for (rank, name, score, stage, gpus, share, quality, status, escape_in, k, revenue, valuation,
             mine) in sorted(rows):
            label = f"[b]{escape(name)} (you)[/]" if mine else escape(name)
            table.add_row(str(rank) if ranked else "–", label, f"{score:,.1f}", stage if status == "alive" else "-",
                          count(gpus), f"{share:.1%}",
                          f"#{quality}" if status == "alive" else "-", race_status(status, escape_in, k in closing),
                          money(revenue), money(valuation))

    def _show_news(self, campaign, lab: int) -> None:
        news = self.query_one("#news", Static)
        game = campaign.game
        if not game.reports:
            news.border_title = "News"
            gone, many = campaign.left_out(), len(campaign.humans) > 1
            who = "The class's teams take" if campaign.live else "The players’ labs take" if many else "Your lab takes"
            seats = (f" {who} the seat{'s' if len(gone) > 1 else ''} of the scenario's {escape(listed(gone))}, which "
                     f"sit{'' if len(gone) > 1 else 's'} this campaign out." if gone else "")
            then = "send them (e)" if campaign.live else "end the quarter (e)"  # (a shared class's quarter ends for all)
            news.update(f"[$foreground-muted]The campaign starts. Set your orders (o), then {then}.{seats}[/]")
            return
        report = game.reports[-1]
        news.border_title = f"News of {report.label} (n for all)"
        lines, phase = [], None
        for item in report.for_lab(lab):
            if item.phase != phase:
                phase = item.phase
                lines.append(f"[b $accent]{phase_title(phase)}[/]")
            who = "[$foreground-muted]World:[/] " if item.lab is None else ""
            lines.append(f"  {who}{escape(item.text)}")
        cash = report.cash[lab]
        lines.append(f"[b $accent]Cash[/]\n  {money(cash.start)} -> {money(cash.end)} over the quarter (r for rivals, m market)")
        news.update("\n".join(lines))

