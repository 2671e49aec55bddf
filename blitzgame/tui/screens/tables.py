"""The table views: hubs (`h`), rivals (`r`) and the market (`m`), read from the lab's Observation.

Rivals are shown only through ``RivalView`` (what the press knows); the lab's own row uses
the same public figures, so the table compares like with like.
"""

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Static

from blitzgame.assets import load_archetypes, load_hubs
from blitzgame.formats import count, listed, money
from blitzgame.session.campaign import contender_line
from blitzgame.session.world import supply_events
from blitzgame.tui.fleet import footprint, idle_split
from blitzgame.tui.screens.view import ViewScreen
from blitzgame.tui.widgets.footer import GameFooter
from blitzgame.tui.widgets.header import Header

TABLE_CSS = """
{name} #body {{ height: 1fr; padding: 0 1; }}
{name} DataTable {{ height: auto; max-height: 70%; margin: 1 0 0 0; }}
{name} .caption {{ color: $text-muted; margin: 1 0 0 0; }}
{name} .detail {{ height: auto; margin: 1 0 0 0; padding: 0 1; border: round $secondary; }}
"""


def num(text: str, style: str = "") -> Text:
    """A right-aligned table cell."""
    return Text(text, style=style, justify="right")


def plain(text: str, style: str = "") -> Text:
    """A cell shown exactly as written (names are never read as markup)."""
    return Text(text, style=style)


def per_gpu(musd: float) -> str:
    """$M per GPU as dollars: 0.041 -> $41.0k."""
    return f"${musd * 1000:,.1f}k"


def who_plays(seat: str | None) -> tuple[str, str]:
    """A seat's archetype title and one-line summary (a human, a built-in bot, or a custom one)."""
    if seat is None:
        return "Human player", "Another player at this keyboard."
    for bot in load_archetypes().bot:
        if bot.name == seat:
            return bot.title, bot.summary
    return seat, "A custom bot."


def escape_label(escape_in: int) -> str:
    """A lab's escape-velocity countdown (docs/design.md §4): "EV in 2" while it dominates,
    "EV reached" once it has, else blank."""
    if escape_in < 0:
        return ""
    return f"EV in {escape_in}" if escape_in > 0 else "EV reached"


def race_status(status: str, escape_in: int, closing_in: bool) -> str:
    """A lab's status in a race table: its escape-velocity countdown while it dominates, "EV near"
    while it closes in on dominance (``session.race``), else its status (alive, bankrupt...)."""
    if escape_in >= 0:
        return escape_label(escape_in)
    return "EV near" if closing_in else status


class HubsScreen(ViewScreen):
    """Every hub: its power, grid headroom and build terms, and the lab's footprint there (M5)."""

    AUTO_FOCUS = "DataTable"  # arrows move through rows and scroll wide tables sideways
    DEFAULT_CSS = TABLE_CSS.format(name="HubsScreen")

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="body"):
            yield DataTable(id="hubs", cursor_type="row", zebra_stripes=True)
            yield Static(id="totals", classes="caption")
            yield Static(id="hub-detail", classes="detail")
        yield GameFooter()

    def on_mount(self) -> None:
        obs = self.game.observe(self.lab)
        self.title = f"Hubs · {obs.me.name} · {self.game.progress}"
        table = self.query_one("#hubs", DataTable)
        table.add_columns("Hub", num("$/MWh"), num("PUE"), num("Grid MW"), num("Lead"), num("$M/MW"),
                          num("GPUs"), num("Online"), num("Idle"), num("On order"), num("MW built"),
                          num("Building"), "Vendors")
        warn = self.colour("warning")
        me = obs.me
        shown = footprint(me)
        for hub, (gpus, online, idle, backlog) in zip(me.hubs, shown):
            table.add_row(
                plain(hub.name), num(f"{hub.power_price:.0f}"), num(f"{hub.pue:.2f}"),
                num(f"{hub.headroom_mw:,.0f}", warn if hub.headroom_mw < 50 else ""),
                num(f"{hub.build_lead_quarters}"), num(f"{hub.build_cost_per_mw:.1f}"),
                num(count(gpus)), num(count(online)), num(count(idle), warn if hub.stranded > 0.5 else ""),
                num(count(backlog)), num(f"{hub.mw:,.1f}"), num(f"{hub.mw_building:,.1f}"),
                plain("blocked" if hub.export_blocked else "open", warn if hub.export_blocked else ""),
                key=hub.id)
        owned, online, idle, backlog = (sum(column) for column in zip(*shown)) if shown else (0, 0, 0, 0)
        unpowered, darkened = idle_split(me)  # (as HQ says them: the idle column's total)
        self.query_one("#totals", Static).update(
            f"You own {count(owned)} GPUs: {count(online)} online, {count(idle)} idle"
            + (f" ({count(unpowered)} stranded for lack of power, {count(darkened)} dark in a heatwave, M11)"
               if darkened else " (stranded for lack of power)" if idle else "")
            + (f"; {count(backlog)} more on order" if backlog else "; none on order")
            + ". A GPU runs only where its hub has the power for it (M5, press ? for help). Lead: the quarters a power "
              "build there takes; $M/MW: what it costs."
            + (" Vendors: blocked where export controls stop deliveries (M11)." if any(h.export_blocked for h in me.hubs)
               else ""))
        self.show_hub(obs.me.hubs[0].id if obs.me.hubs else None)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.show_hub(event.row_key.value)

    def show_hub(self, hub_id: str | None) -> None:
        """The traits of the highlighted hub, under the table."""
        hub = next((h for h in load_hubs().hub if h.id == hub_id), None)
        detail = self.query_one("#hub-detail", Static)
        if hub is None:
            detail.update("")
            return
        detail.border_title = hub.name
        seen = next((h for h in self.game.observe(self.lab).me.hubs if h.id == hub_id), None)
        risk = seen.regulatory_risk if seen is not None else 0.0
        fines = (f"\nRegulators: a {risk:.0%} chance a quarter of a fine for a lab running GPUs here, counted by the "
                 "share of its running GPUs that run here (a lab with half of them here: half of it; M11)."
                 if risk > 0.0 else "")
        if seen is not None and seen.subsidy_per_gpu > 0.0:
            fines += (f"\nSubsidy: the state pays ${seen.subsidy_per_gpu * 1e6:,.0f} a quarter for each GPU a lab runs "
                      "here (regulatory capture, M3).")
        factors = "" if seen is None else (
            f"\nCustomers pay x{seen.revenue_factor:.2f} for compute served from here, researchers come at "
            f"x{seen.talent_factor:.2f}: your revenue is priced, and your pull on researchers weighed, at the average "
            "over the hubs your GPUs run in (M2, M6). Cheap power far from customers lowers the price of all of it.")
        detail.update(Text(hub.traits + factors + fines))


SCORE_CAPTION = ("Score: a point per $100M of equity value the founders created since the start: their stake of "
                 "what the lab is worth in a normal market, less their stake's worth at the start. A big lab can "
                 "score below zero when rounds diluted its founders, debt grew or cash burned faster than it built "
                 "(? then Winning). Labs are ranked from the end of the first quarter: labs still in the race "
                 "first, then labs bought by a rival, then bankrupt ones, each group by score.")

REVENUE_CAPTION = ("Revenue: the lab's share of the customers times what each pays (less with open weights, or once "
                   "models turn into a commodity), served only as far as its compute reaches: its own GPUs online, "
                   "and rented and partner GPUs this table does not show. So revenue need not follow share, nor "
                   "GPUs online (M2, M10, M13).")


def partners_line(obs) -> str:
    """The compute partners' takes of last quarter's revenue (public, as the deals are), or "": investors
    value only what a lab keeps (M13)."""
    took = [("you", obs.me.last_quarter.out_partner, obs.me.revenue)] + [
        (r.name, r.partner_take, r.revenue) for r in obs.rivals]
    said = [f"{who} {money(take)} ({take / revenue:.0%} of revenue)" for who, take, revenue in took
            if take > 0.0 and revenue > 0.0]
    if not said:
        return ""
    return (f" Compute partners took last quarter: {listed(said)}; investors value only the revenue a lab keeps "
            "(M13).")


class RivalsScreen(ViewScreen):
    """The race as the press sees it: every lab's public figures (with the escape-velocity
    countdown of a lab that dominates, docs/design.md §4), and who plays each rival (M10)."""

    AUTO_FOCUS = "DataTable"  # arrows move through rows and scroll wide tables sideways
    DEFAULT_CSS = TABLE_CSS.format(name="RivalsScreen")

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="body"):
            yield DataTable(id="rivals", cursor_type="row", zebra_stripes=True)
            yield Static(SCORE_CAPTION, id="score-caption", classes="caption")
            yield Static(REVENUE_CAPTION, id="revenue-caption", classes="caption")
            yield Static(id="escape-caption", classes="caption")
            yield Static(id="archetypes", classes="detail")
        yield GameFooter()

    def on_mount(self) -> None:
        obs = self.game.observe(self.lab)
        self.title = f"Rivals · {obs.me.name} · {self.game.progress}"
        table = self.query_one("#rivals", DataTable)
        # rank and score first (the one decides the other); a dominant lab's countdown replaces "alive"
        # (narrow enough for 120 columns: who plays by bot name, the panel below has the titles; open weights by the model)
        table.add_columns(num("Rank"), num("Score"), "Lab", "Status", "Plays as", "Stage", num("GPUs online"),
                          num("Share"), num("Revenue"), num("Valuation"), "Model")
        me = obs.me
        rows = [(me.rank, me.name, "you", me.status, me.escape_in, me.stage_name, me.online, me.share, me.revenue,
                 me.valuation, me.quality_rank, me.open_source, me.score, True)]
        for r in obs.rivals:
            seat = self.campaign.seats[r.index]
            rows.append((r.rank, r.name, "human" if seat is None else seat, r.status, r.escape_in, r.stage_name,
                         r.gpus, r.share, r.revenue, r.valuation, r.quality_rank, r.open_source, r.score, False))
        warn = self.colour("warning", "bold")
        closing = {c.lab: c for c in self.campaign.closing_in()}
        near = {self.game.names[k] for k in closing}
        for (rank, name, plays, status, escape_in, stage, gpus, share, revenue, valuation, model, open_, score,
             mine) in sorted(rows):
            style = "bold" if mine else ("dim" if status != "alive" else "")
            said = race_status(status, escape_in, name in near)
            shown_status = plain(said, style if said == status else warn)
            shown_rank = str(rank) if obs.quarter else "-"  # nobody has a rank before a quarter is played (HQ says so)
            table.add_row(num(shown_rank, style), num(f"{score:,.1f}", style), plain(name, style), shown_status,
                          plain(plays, style), plain(stage if status == "alive" else "-", style), num(count(gpus), style),
                          num(f"{share:.1%}", style),
                          num(money(revenue), style), num(money(valuation), style),
                          plain(f"#{model}" + (" open" if open_ else "") if status == "alive" else "-", style), key=name)
        self.query_one("#revenue-caption", Static).update(REVENUE_CAPTION + partners_line(obs))
        said = [self.campaign.escape_condition(), *(contender_line(c, self.lab) for c in closing.values())]
        self.query_one("#escape-caption", Static).update(
            " ".join(said) + ' Status "EV in N": dominant, N quarters from winning; "EV near": closing in. '
            'Model: the rank of its model among the labs ("open": it releases its weights, M10).')
        by_seat: dict[str | None, list[str]] = {}  # rivals played by the same bot share a line
        for r in obs.rivals:
            by_seat.setdefault(self.campaign.seats[r.index], []).append(r.name)
        lines = Text()
        for seat, names in by_seat.items():
            title, summary = who_plays(seat)
            if lines:
                lines.append("\n")
            lines.append(", ".join(names), style="bold")
            lines.append(f" · {title}" + (f" ({seat})" if seat is not None and seat != title else "") + f": {summary}")
        panel = self.query_one("#archetypes", Static)
        panel.border_title = "Who plays each rival"
        panel.update(lines)


def _shipments_note(m, events: str) -> str:
    """What the vendor supply figure is: this quarter's shipments, and why they differ from the
    vendors' output (the scenario's supply ``events`` this quarter, fire-sold GPUs back on sale)."""
    note = "GPUs vendors ship this quarter, shared by priority (M4)"
    made = m.vendor_shipments - m.resold_gpus
    if abs(made - m.vendor_supply) >= 0.5 and m.vendor_supply > 0.0:
        note += f": {made / m.vendor_supply:.0%} of their output of {count(m.vendor_supply)} a quarter ({events})"
    if m.resold_gpus >= 0.5:
        note += f"{',' if ':' in note else ':'} with {count(m.resold_gpus)} GPUs fire-sold last quarter, back on sale"
    return note


class MarketScreen(ViewScreen):
    """The public market: GPUs (M4), cloud (M13), talent, revenue and the capital market's mood (M8)."""

    AUTO_FOCUS = "DataTable"  # arrows move through rows and scroll wide tables sideways
    DEFAULT_CSS = TABLE_CSS.format(name="MarketScreen") + """
    MarketScreen DataTable { max-height: 100%; }
    """

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="body"):
            yield DataTable(id="market", cursor_type="row", zebra_stripes=True)
        yield GameFooter()

    def on_mount(self) -> None:
        self.title = f"Market · {self.game.progress}"
        self._width = 0
        self.fill()

    def on_resize(self) -> None:
        if self.size.width != self._width:
            self.fill()  # the meaning column wraps to the width there is

    def fill(self) -> None:
        """(Re)build the table, wrapping the last column to the screen's width."""
        self._width = self.size.width or self.app.size.width
        obs = self.game.observe(self.lab)
        m = obs.market
        warn = self.colour("warning", "bold")
        gap_line, comfort, shut = m.music_gap, m.gap_comfort, m.equity_shut_below
        held = obs.me.share + sum(r.share for r in obs.rivals if r.status == "alive")
        events = supply_events(self.game.world, self.game.quarter)
        rows = [
            ("GPU list price", per_gpu(m.list_price), "per GPU before the spot premium; falls as generations improve", False),
            ("GPU spot", f"x{m.spot:.2f}",
             "multiplier on list: rises in a shortage, falls in a glut, half the way a quarter (so it lags them)",
             m.spot > 1.5),
            ("Installed cost", per_gpu(m.gpu_installed_cost), "per GPU bought now at spot, racks and network included", False),
            ("Lead time", f"{m.lead_time:.1f} quarters", "to clear the industry's backlog of GPU orders", m.lead_time > 2),
            ("Vendor supply", count(m.vendor_shipments), _shipments_note(m, events), m.vendor_shipments < m.vendor_supply - 0.5),
            ("Cloud price", f"${m.cloud_price_hour:,.2f}/GPU-hour", f"${m.cloud_price * 1000:,.1f}k a GPU-quarter, as "
             "the orders form and the report count rent, at today's spot: rent moves with it, and the quarter's GPU "
             "market moves spot before you rent (M13)", False),
            ("Cloud pool", count(m.cloud_pool), "GPU-equivalents to rent, shared among the labs that ask", False),
            ("Talent pool", count(m.talent_pool), f"top researchers in the world; {count(m.talent_free)} not at a lab", False),
            ("Market pay", f"{money(m.market_pay)}/yr", "the reference package for a top researcher: what it hires at "
             "quality 1.0 (more pay hires better people, M6)", False),
            ("Average pay", f"{money(m.average_pay)}/yr", "the labs' packages on average, as they stand now (this "
             "quarter's orders can change them): a lab paying less loses researchers faster (M6)", False),
            ("Staffing guide", f"{m.researchers_per_kgpu:g} per 1,000 GPUs", "researchers a lab needs to use its GPUs",
             False),
            ("AI revenue pool", f"{money(m.revenue_pool)}/quarter",
             "what customers would spend at full price; labs earn their share of it, less open-weights and "
             "hub discounts and what they cannot serve; grows with the frontier", False),
            ("Shares held", f"{held:.0%}",
             f"of the customers are with the labs in the race; the other {1 - held:.0%} are with none of them (yet, or "
             "since a lab could not serve them or was in the death zone). Each quarter a part of the whole market "
             "picks a lab by its model's appeal, so the share held grows back (M2)", False),
            ("Frontier model", f"{m.frontier:.2f}", "the best model's quality", False),
            ("Sentiment", f"{m.sentiment:.2f} (peak {m.sentiment_peak:.2f})",
             f"investors' mood, 1 = normal; equity markets shut below {shut:.2f} (M8)", m.sentiment < 0.6),
            ("Revenue gap", f"{m.revenue_gap:.1f}x",
             f"industry capex / AI revenue over 4 quarters; comfortable to {comfort:g}x, pressure past {gap_line:g}x",
             m.revenue_gap > gap_line),
            ("The music", f"stopped in {m.music_quarter}" if m.music_stopped else "still playing",
             "when it stops: funding freezes, valuations crash, GPUs glut (M8)", m.music_stopped),
            ("Endgame", m.regime, "consolidation, commoditization or disruption (M9)", False),
            ("Export controls", "on" if m.export_controls else "off", "vendors stop shipping to controlled hubs (M11)",
             m.export_controls),
        ]
        table = self.query_one("#market", DataTable)
        table.clear(columns=True)
        name_width = max(len(r[0]) for r in rows)
        value_width = max(len(r[1]) for r in rows)
        table.add_column("Figure", width=name_width)
        table.add_column(num("Value"), width=value_width)
        table.add_column("What it means", width=max(24, self._width - name_width - value_width - 10))
        for name, value, meaning, alarm in rows:
            style = warn if alarm else ""
            table.add_row(plain(name, style), num(value, style), plain(meaning), key=name, height=None)


__all__ = ["HubsScreen", "MarketScreen", "RivalsScreen", "escape_label", "who_plays"]
