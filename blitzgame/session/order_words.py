"""A lab's orders in words, one phrase per thing they ask for: HQ, the end-quarter confirm and
the debrief's timeline all say orders this way; and the orders form's labels, which the form
and the encyclopedia's page on it share."""

from blitzgame.formats import count, money, researchers, with_article

# the orders form: (field, label, unit) of each hub's orders, then of the quarter-wide orders by section
HUB_FIELDS: tuple[tuple[str, str, str], ...] = (("gpus", "GPUs to order", "GPUs"), ("power_mw", "Power to build", "MW"))
FORM_SECTIONS: dict[str, list[tuple[str, str, str]]] = {
    "Compute": [
        ("premium", "Price premium", "share over spot"),
        ("cancel", "Cancel backlog", "share of GPUs on order"),
        ("rent", "Cloud rental", "GPU-eq this quarter"),
        ("train_split", "Training share", "0..1; the rest serves"),
    ],
    "People": [
        ("hire", "Hire", "researchers"),
        ("package", "Package", "$M/yr per researcher"),
        ("layoff", "Lay off", "researchers"),
    ],
    "Money": [
        ("equity", "Raise equity", "$M"),
        ("debt", "Debt", "$M: + borrow, − repay"),
        ("bid", "Bid for a rival", "$M at most, if one fails"),
    ],
    "Strategy": [
        ("efficiency_rnd", "Efficiency R&D", "$M this quarter"),
        ("silicon_rnd", "Custom-silicon R&D", "$M this quarter"),
        ("partnership", "Partnership depth", "0 none .. 1 deep"),
    ],
}
OPEN_SOURCE_LABEL = "Open-source weights"  # the Strategy section's switch


def form_labels() -> dict[str, str]:
    """Each orders field as the form names it, with where it is: "Hire (People)"."""
    labels = {name: f"{label} (per hub)" for name, label, _ in HUB_FIELDS}
    labels |= {name: f"{label} ({section})" for section, fields in FORM_SECTIONS.items() for name, label, _ in fields}
    return labels | {"open_source": f"{OPEN_SOURCE_LABEL} (Strategy)"}


def order_phrases(orders, hub_names: dict[str, str]) -> list[tuple[str, str]]:
    """(orders field, phrase) for each thing ``orders`` ask for, in the form's order; the compute
    split, which every quarter has, comes last."""
    out: list[tuple[str, str]] = []
    for hub, n in orders.gpus.items():
        if n > 0:
            out.append(("gpus", f"Order {count(n)} GPUs for {hub_names.get(hub, hub)}"))
    if orders.premium > 0:
        out.append(("premium", f"Offer {with_article(f'{orders.premium:.0%}')} premium over spot for priority"))
    if orders.cancel > 0:
        out.append(("cancel", f"Cancel {orders.cancel:.0%} of the GPU backlog"))
    if orders.rent > 0:
        out.append(("rent", f"Rent {count(orders.rent)} cloud GPUs"))
    for hub, mw in orders.power_mw.items():
        if mw > 0:
            # in the form's tenths of a MW (16.5 read "16" beside a field holding 16.5); a bot's sliver as it is
            shown = f"{mw:,.1f}".removesuffix(".0") if mw >= 0.1 else f"{mw:.2g}"
            out.append(("power_mw", f"Build {shown} MW of power in {hub_names.get(hub, hub)}"))
    pay = f"${orders.package:,.2f}M".replace(".00M", "M") if orders.package else ""  # as the form's field: $2.85M
    if orders.hire > 0:
        package = f" at {pay}/yr each" if orders.package else ""
        out.append(("hire", f"Hire {researchers(orders.hire)}{package}"))
    elif orders.package:
        out.append(("package", f"Pay researchers {pay}/yr"))
    if orders.layoff > 0:
        out.append(("layoff", f"Lay off {researchers(orders.layoff)}"))
    if orders.equity > 0:
        out.append(("equity", f"Raise {money(orders.equity)} of equity"))
    if orders.debt > 0:
        out.append(("debt", f"Borrow {money(orders.debt)}"))
    elif orders.debt < 0:
        out.append(("debt", f"Repay {money(-orders.debt)} of debt"))
    if orders.efficiency_rnd > 0:
        out.append(("efficiency_rnd", f"Spend {money(orders.efficiency_rnd)} on efficiency R&D"))
    if orders.silicon_rnd > 0:
        out.append(("silicon_rnd", f"Spend {money(orders.silicon_rnd)} on custom-silicon R&D"))
    if orders.open_source:
        out.append(("open_source", "Release the model's weights (open source)"))
    if orders.partnership > 0:
        out.append(("partnership", f"Compute partnership at depth {orders.partnership:.0%}"))
    if orders.bid > 0:
        out.append(("bid", f"Offer up to {money(orders.bid)} for a rival in distress"))
    out.append(("train_split", f"Compute split: {orders.train_split:.0%} training, "
                               f"{1 - orders.train_split:.0%} serving customers"))
    return out


__all__ = ["order_phrases"]
