"""The orders a lab has pending, in words (HQ and the end-quarter confirm show them)."""

from textual.widgets import Static

from blitzgame.formats import count, money

NO_ORDERS = "No orders: the lab does nothing this quarter."
REPEAT_HINT = "Last quarter's are not repeated unless you choose them (o, then ctrl+l)."


def describe_orders(orders, hub_names: dict[str, str]) -> list[str]:
    """One line per thing the orders ask for; ``[NO_ORDERS]`` when ``orders`` is None."""
    if orders is None:
        return [NO_ORDERS]
    lines = []
    for hub, n in orders.gpus.items():
        if n > 0:
            lines.append(f"Order {count(n)} GPUs for {hub_names.get(hub, hub)}")
    if orders.premium > 0:
        lines.append(f"Offer a {orders.premium:.0%} premium over spot for priority")
    if orders.cancel > 0:
        lines.append(f"Cancel {orders.cancel:.0%} of the GPU backlog")
    if orders.rent > 0:
        lines.append(f"Rent {count(orders.rent)} cloud GPUs")
    for hub, mw in orders.power_mw.items():
        if mw > 0:
            lines.append(f"Build {mw:,.0f} MW of power in {hub_names.get(hub, hub)}")
    if orders.hire > 0:
        package = f" at {money(orders.package)}/yr each" if orders.package else ""
        lines.append(f"Hire {count(orders.hire)} researchers{package}")
    if orders.layoff > 0:
        lines.append(f"Lay off {count(orders.layoff)} researchers")
    if orders.equity > 0:
        lines.append(f"Raise {money(orders.equity)} of equity")
    if orders.debt > 0:
        lines.append(f"Borrow {money(orders.debt)}")
    elif orders.debt < 0:
        lines.append(f"Repay {money(-orders.debt)} of debt")
    if orders.efficiency_rnd > 0:
        lines.append(f"Spend {money(orders.efficiency_rnd)} on efficiency R&D")
    if orders.silicon_rnd > 0:
        lines.append(f"Spend {money(orders.silicon_rnd)} on custom-silicon R&D")
    if orders.open_source:
        lines.append("Release the model's weights (open source)")
    if orders.partnership > 0:
        lines.append(f"Compute partnership at depth {orders.partnership:.0%}")
    if orders.bid > 0:
        lines.append(f"Offer up to {money(orders.bid)} for a rival in distress")
    lines.append(f"Compute split: {orders.train_split:.0%} training, {1 - orders.train_split:.0%} serving customers")
    return lines


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

    def show(self, orders, hub_names: dict[str, str], last_quarter: bool = False) -> None:
        """``last_quarter``: the lab gave orders last quarter, which are not repeated unless chosen."""
        self.border_title = "Orders this quarter (o to edit)"
        self.set_class(orders is None, "-none")
        lines = [f"• {line}" if orders is not None else line for line in describe_orders(orders, hub_names)]
        if orders is None and last_quarter:
            lines.append(REPEAT_HINT)
        self.update("\n".join(lines))
