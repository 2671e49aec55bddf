"""The capital-market gauge (M8): sentiment against its peak, the revenue gap against the danger line."""

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.markup import escape
from textual.widgets import ProgressBar, Static

from blitzgame.formats import apart


def music_banner(market) -> str:
    """The banner once the music has stopped (M8): the freeze for the two quarters after it, then the slow thaw."""
    since = market.quarters_since_stop
    if since <= 2:
        return f"THE MUSIC HAS STOPPED ({market.music_quarter}): funding frozen, valuations crushed."
    return (f"THE MUSIC STOPPED in {market.music_quarter}, {since} quarters ago: investors' money comes back slowly "
            "with their mood.")


class CapitalGauge(Vertical):
    """Leading indicators of the music stopping, shown before it happens."""

    DEFAULT_CSS = """
    CapitalGauge {
        height: auto;
        border: round $secondary;
        padding: 0 1;
    }
    CapitalGauge ProgressBar { height: 1; }
    CapitalGauge Bar { width: 1fr; }
    CapitalGauge .-danger Bar > .bar--bar { color: $error; }
    CapitalGauge .-danger Bar > .bar--complete { color: $error; }
    CapitalGauge #music { text-style: bold; background: $error; color: $text; padding: 0 1; display: none; }
    CapitalGauge.-stopped #music { display: block; }
    """

    def compose(self) -> ComposeResult:
        yield Static(id="music")
        yield Static(id="sentiment-label")
        yield ProgressBar(total=100, show_eta=False, show_percentage=False, id="sentiment")
        yield Static(id="gap-label")
        yield ProgressBar(total=100, show_eta=False, show_percentage=False, id="gap")
        yield Static(id="regime")

    def show(self, market) -> None:
        """Draw a ``CapitalMarket`` from the campaign."""
        self.border_title = "Capital market (M8)"
        self.set_class(market.music_stopped, "-stopped")
        self.query_one("#music", Static).update(music_banner(market))
        peak = max(market.sentiment_peak, 1e-9)
        fall = 1.0 - market.sentiment / peak
        self.query_one("#sentiment-label", Static).update(
            f"Sentiment {market.sentiment:.2f} (peak {market.sentiment_peak:.2f}"
            + (f", {fall:.0%} off it)" if fall > 0.005 else ")"))
        sentiment = self.query_one("#sentiment", ProgressBar)
        sentiment.update(total=peak, progress=market.sentiment)
        sentiment.set_class(fall > 0.25, "-danger")
        over = market.revenue_gap > market.danger_gap
        gap, line = apart(market.revenue_gap, market.danger_gap)  # 7.04 past 7.0 must not read "7.0x, 7.0x"
        self.query_one("#gap-label", Static).update(
            f"Revenue gap {gap}x, danger line {line}x"
            + (("; past it, but the music has already stopped (it stops once)" if market.music_stopped
                else " [b $error]PAST IT: crash pressure builds[/]" if market.chance_crash
                else f"; [b]past it[/], but {escape(market.crash_rule)}") if over else ""))
        gap = self.query_one("#gap", ProgressBar)
        gap.update(total=market.danger_gap, progress=min(market.revenue_gap, market.danger_gap))
        gap.set_class(over, "-danger")
        regime = "undecided" if market.regime == "undecided" else f"[b]{market.regime}[/] (M9)"
        # (0 once the music stopped, and where only a schedule stops it)
        pressure = ("; [b $error]the music stops this quarter[/]: the scenario's crash is scheduled (M8)"
                    if market.crash_scheduled else
                    "; [b $warning]the music stops as next quarter opens[/]: the scenario's crash is scheduled, so "
                    "this quarter's rounds are the last before it (M8)"
                    if market.crash_next else
                    f"; [b]≈{market.crash_chance:.1%}[/] chance the music stops this quarter "
                    f"({escape(market.crash_sources)}; M8)"
                    if market.crash_chance > 0.0005 else "")
        self.query_one("#regime", Static).update(f"Endgame: {regime}{pressure}")
