"""A lab's orders in words, one phrase per thing they ask for: HQ, the end-quarter confirm and
the debrief's timeline all say orders this way."""

from blitzgame.formats import count, money, researchers, with_article


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
            shown = f"{mw:,.0f}" if mw >= 10 else f"{mw:.1f}".removesuffix(".0")
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
