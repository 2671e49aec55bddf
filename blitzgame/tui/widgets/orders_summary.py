"""The orders a lab has pending, in words (HQ and the end-quarter confirm show them)."""

from textual.widgets import Static

from blitzgame.formats import money
from blitzgame.session.order_words import order_phrases

NO_ORDERS = "No orders: the lab does nothing this quarter."
REPEAT_HINT = "Last quarter's are not repeated unless you choose them (o, then ctrl+l)."


def describe_orders(orders, hub_names: dict[str, str]) -> list[str]:
    """One line per thing the orders ask for; ``[NO_ORDERS]`` when ``orders`` is None."""
    if orders is None:
        return [NO_ORDERS]
    return [phrase for _, phrase in order_phrases(orders, hub_names)]


class OrdersSummary(Static):
    """The lab's pending orders for this quarter."""

    DEFAULT_CSS = """
    OrdersSummary {
        height: auto;
        border: round $accent;
        padding: 0 1;
    }
    OrdersSummary.-none { color: $foreground-muted; }
    """

    def show(self, orders, hub_names: dict[str, str], last_quarter: bool = False, over: bool = False,
             preview=None) -> None:
        """``last_quarter``: the lab gave orders last quarter, which are not repeated unless chosen;
        ``over``: the lab gives no more orders (its campaign is over, or it is out of the race);
        ``preview``: the forecast of ``orders``, whose likely round and loan are said where they
        fall short of what was asked."""
        if over:
            self.border_title = "Orders"
            self.set_class(True, "-none")
            self.update("No more orders: this lab's campaign is over.")
            return
        self.border_title = "Orders this quarter (o to edit)"
        self.set_class(orders is None, "-none")
        lines = [f"• {line}" if orders is not None else line for line in describe_orders(orders, hub_names)]
        if orders is None and last_quarter:
            lines.append(REPEAT_HINT)
        if orders is not None and preview is not None:
            short = [_likely(what, asked, got, preview.low.get(key, got)) for what, asked, got, key in
                     (("equity asked", orders.equity, preview.equity_in, "equity_in"),
                      ("debt asked", orders.debt, preview.debt_in, "debt_in"))
                     if asked > 0 and got < asked - 0.5]
            if short:
                lines.append(f"[$foreground-muted]The forecast: ≈{'; ≈'.join(short)} (o for why).[/]")
        self.update("\n".join(lines))


def _likely(what: str, asked: float, got: float, least: float) -> str:
    """What the forecast expects of a round or a loan, and how little may come when rivals ask
    for much (investors' and lenders' pools are shared, M8)."""
    worst = f" (as little as {money(least)} if rivals ask for much)" if least < got - 0.5 else ""
    return f"{money(got)}{worst} of the {money(asked)} of {what}"
