"""How the game writes its numbers for people: money, counts, researchers.

Reports, screens, the encyclopedia, the CLIs and the classroom's files all write a
figure the same way, so these live below all of them.
"""


def money(musd: float) -> str:
    """$M as a short label: $850M, $1.2B, -$40M (a debt too small to show is $0.0M, not -$0.0M)."""
    value = abs(musd)
    if value >= 1000:
        text = f"${value / 1000:,.1f}B"
    elif value >= 10:
        text = f"${value:,.0f}M"
    else:
        text = f"${value:,.1f}M"
    return "-" + text if musd < 0 and text.strip("$0.,MB") else text


def count(value: float) -> str:
    """A count with thousands separators, rounded: 12,400 (never "-0")."""
    text = f"{value:,.0f}"
    return "0" if text == "-0" else text


def quarters(value: int) -> str:
    """"1 quarter", "3 quarters"."""
    return f"{value:,} quarter" if value == 1 else f"{value:,} quarters"


def teams(value: int) -> str:
    """"1 team", "6 teams"."""
    return f"{value:,} team" if value == 1 else f"{value:,} teams"


def researchers(value: float) -> str:
    """"1 researcher", "12 researchers": the count as the player reads it."""
    text = count(value)
    return f"{text} researcher" if text == "1" else f"{text} researchers"
