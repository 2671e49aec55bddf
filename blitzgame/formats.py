"""How the game writes its numbers for people: money, counts, researchers.

Reports, screens, the encyclopedia, the CLIs and the classroom's files all write a
figure the same way, so these live below all of them.
"""


def money(musd: float) -> str:
    """$M as a short label: $850M, $1.2B, -$40M."""
    sign = "-" if musd < 0 else ""
    value = abs(musd)
    if value >= 1000:
        return f"{sign}${value / 1000:,.1f}B"
    if value >= 10:
        return f"{sign}${value:,.0f}M"
    return f"{sign}${value:,.1f}M"


def count(value: float) -> str:
    """A count with thousands separators, rounded: 12,400."""
    return f"{value:,.0f}"


def researchers(value: float) -> str:
    """"1 researcher", "12 researchers": the count as the player reads it."""
    text = count(value)
    return f"{text} researcher" if text == "1" else f"{text} researchers"
