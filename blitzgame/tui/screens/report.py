"""The quarter report: what happened and why, the cash flow and the lab's other accounts (GPUs,
researchers, model quality: every term that moved them, adding up), and rivals' moves in the press."""

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.markup import escape
from textual.widgets import DataTable, Label, Static

from blitzgame.formats import count, ledger, money
from blitzgame.tui.screens.hq import phase_title
from blitzgame.tui.screens.kept import KeptScreen
from blitzgame.tui.widgets.footer import GameFooter
from blitzgame.tui.widgets.header import Header


def _right(text: str) -> Text:
    return Text(text, justify="right")


def _delta(before: float, after: float, fmt) -> str:
    if abs(after - before) < 1e-9:
        return fmt(after)
    return f"{fmt(before)} -> {fmt(after)}"


class ReportScreen(KeptScreen):
    """The report of the quarter just played, seen from ``lab``'s seat. Any of escape,
    enter or space closes it. Built once per campaign and filled in again each quarter
    (``load``)."""

    BINDINGS = [
        Binding("escape,enter,space", "close", "Continue", priority=True),
        Binding("1", "section('happened')", "What happened"),
        Binding("2", "section('cash')", "Cash and accounts"),
        Binding("3", "section('press')", "Rivals"),
        # a table wider than the screen (the rivals' at 80 columns) pans sideways: the body scrolls only up and down
        Binding("right", "pan(8)", show=False, priority=True),
        Binding("left", "pan(-8)", show=False, priority=True),
    ]
    DEFAULT_CSS = """
    ReportScreen #headline { padding: 0 1; background: $panel; height: auto; }
    ReportScreen #body { padding: 0 1; }
    ReportScreen .section { text-style: bold; color: $text; background: $primary-muted; width: 1fr; padding: 0 1;
                            margin-top: 1; }
    ReportScreen DataTable { height: auto; max-height: 999; margin: 1 0 0 0; }  /* (whole: the body scrolls, not the table) */
    ReportScreen #rounding { color: $text-muted; padding: 0 1; }
    """
    SECTIONS = {"happened": "What happened", "cash": "Cash and accounts: what moved each figure",
                "press": "The market, and the rivals in the press"}

    def __init__(self, campaign, lab: int) -> None:
        super().__init__()
        self.campaign = campaign
        self.lab = lab
        self._ledger_width: int | None = None  # the screen width the ledgers were last wrapped for

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="headline")
        with VerticalScroll(id="body"):  # one scroll, not tabs: it draws faster and reads top to bottom
            yield Label(self.SECTIONS["happened"], id="sec-happened", classes="section")
            yield Static(id="news")
            yield Label(self.SECTIONS["cash"], id="sec-cash", classes="section")
            yield DataTable(id="cash-table", cursor_type="none", zebra_stripes=True)
            yield DataTable(id="accounts-table", cursor_type="none", zebra_stripes=True)
            yield Static("Each ledger is rounded on its own so that it adds up as written: a figure in two ledgers "
                         "(or in the news) can differ in its last digit.", id="rounding", classes="caption")
            yield Label(self.SECTIONS["press"], id="sec-press", classes="section")
            yield Static(id="world")
            yield DataTable(id="press-table", cursor_type="none", zebra_stripes=True)
        yield GameFooter()

    def on_mount(self) -> None:
        self._fill()

    def load(self, lab: int) -> None:
        """Show the report of the quarter just played to ``lab``, in the screen built before."""
        self.lab = lab
        for table in self.query(DataTable):
            table.clear(columns=True)
        self._fill()
        self.query_one("#body", VerticalScroll).scroll_home(animate=False)

    def _fill(self) -> None:
        game = self.campaign.game
        report = game.reports[-1]
        name = game.names[self.lab]
        self.title = f"Quarter report · {name}"
        self.sub_title = report.label
        moves = self.campaign.press()
        mine = moves[self.lab]
        cash = report.cash[self.lab]
        headline = (f"[b]{report.label}[/] for [b]{escape(name)}[/]: cash {money(cash.start)} -> [b]{money(cash.end)}[/] · "
                    f"GPUs online {_delta(mine.gpus_before, mine.gpus, count)} · "
                    f"share {_delta(mine.share_before, mine.share, lambda v: f'{v:.1%}')}")
        if mine.status != mine.status_before:
            headline += f" · [b $error]{mine.status.upper()}[/]"
        note = self.campaign.report_note(self.lab)  # a shared class: whose orders played, and why it closed
        if note:
            headline += f"\n{escape(note)}"
        self.query_one("#headline", Static).update(headline)
        self._show_news(report)
        self._show_cash(cash)
        self._show_accounts(report.accounts[self.lab])
        self._show_press(report, moves)

    def _show_news(self, report) -> None:
        lines, phase = [], None
        for item in report.for_lab(self.lab):
            if item.phase != phase:
                phase = item.phase
                lines.append(f"\n[b $accent]{phase_title(phase)}[/]" if lines else f"[b $accent]{phase_title(phase)}[/]")
            who = "[$foreground-muted]World:[/] " if item.lab is None else ""
            lines.append(f"  {who}{escape(item.text)}")
        self.query_one("#news", Static).update("\n".join(lines) or "A quiet quarter.")

    def _show_cash(self, cash) -> None:
        """Cash at the start, every flow, the net change and the cash at the end, in $M to one
        precision, adding up as written (a flow too small to show at it is left out)."""
        flows = [(name, value) for name, value in cash.inflows.items() if abs(value) > 1e-6]
        flows += [(name, -value) for name, value in cash.outflows.items() if abs(value) > 1e-6]
        start, terms, end, net = ledger("money", cash.start, [value for _, value in flows], cash.end)
        rows = [("", start, "[b]Cash at the start[/]")]
        rows += [("+" if value >= 0 else "-", shown, escape(name)) for (name, value), shown in zip(flows, terms) if shown]
        rows += [("=", net, "[b]Net change[/]"), ("", end, "[b]Cash at the end[/]")]
        self._ledger(self.query_one("#cash-table", DataTable), "Cash flow", rows)

    def _show_accounts(self, accounts) -> None:
        """Valuation, GPUs owned and on order, researchers, model quality, market share and revenue:
        start, each term, end, each account to one precision, adding up as written."""
        rows = []
        for account in accounts:
            start, terms, end, _ = account.ledger()
            rows.append(("", start, f"[b]{account.name} at the start[/]"))
            rows += [("+" if amount >= 0 else "-", shown, escape(what))
                     for (what, amount), shown in zip(account.terms, terms) if shown]
            rows.append(("=", end, f"[b]{account.name} at the end[/]"))
        self._ledger(self.query_one("#accounts-table", DataTable), "Account", rows)

    def _ledger(self, table: DataTable, title: str, rows: list[tuple[str, str, str]]) -> None:
        """Sign, amount, then what it is: amounts first, so a long line never hides them, and a
        line too long for the screen wraps onto more rows rather than being cut."""
        amount = max(len("Amount"), *(len(row[1]) for row in rows))
        # the screen less the body's padding and scrollbar and each column's padding (1 a side)
        width = max(24, self.app.size.width - 4 - (1 + 2) - (amount + 2) - 2)
        table.add_column("", width=1)
        table.add_column(_right("Amount"), width=amount)
        table.add_column(title, width=width)
        for sign, figure, what in rows:
            table.add_row(sign, _right(figure), what, height=None if Text.from_markup(what).cell_len > width else 1)
        self._ledger_width = self.app.size.width

    def on_resize(self) -> None:
        """Wrap the ledgers again for the new width."""
        if self._ledger_width not in (None, self.app.size.width):
            report = self.campaign.game.reports[-1]
            for name in ("#cash-table", "#accounts-table"):
                self.query_one(name, DataTable).clear(columns=True)
            self._show_cash(report.cash[self.lab])
            self._show_accounts(report.accounts[self.lab])

    def _show_press(self, report, moves) -> None:
        world = [f"• {escape(n.text)}" for n in report.news if n.lab is None]
        self.query_one("#world", Static).update("\n".join(world))
        table = self.query_one("#press-table", DataTable)
        table.add_columns("Lab", "GPUs online", "Change", "Share", "Revenue/qtr", "Valuation", "Status")
        for move in moves:
            if move.lab == self.lab or move.status_before != "alive":
                continue
            change = move.gpus - move.gpus_before
            status = move.status if move.status == move.status_before else f"[b $error]{move.status}![/]"
            table.add_row(escape(move.name), _right(count(move.gpus)), _right(f"{change:+,.0f}"),
                          _right(_delta(move.share_before, move.share, lambda v: f"{v:.1%}")),
                          _right(money(move.revenue)), _right(_delta(move.valuation_before, move.valuation, money)),
                          status)

    def action_pan(self, columns: int) -> None:
        """Pan the report's tables sideways, all together (a table that fits does not move)."""
        for table in self.query(DataTable):
            table.scroll_relative(x=columns, animate=False)

    def action_section(self, name: str) -> None:
        """Scroll to a section of the report."""
        self.query_one("#body", VerticalScroll).scroll_to_widget(self.query_one(f"#sec-{name}"), top=True,
                                                                  animate=False)

    def action_close(self) -> None:
        self.dismiss(None)
