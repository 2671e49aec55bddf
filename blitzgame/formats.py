"""How the game writes its numbers for people: money, counts, researchers (and "a"/"an" before a word).

Reports, screens, the encyclopedia, the CLIs and the classroom's files all write a
figure the same way, so these live below all of them.
"""

from collections import Counter


def money(musd: float) -> str:
    """$M as a short label: $850M, $1.2B, -$40M (a debt too small to show is $0.0M, not -$0.0M)."""
    value = abs(musd)
    if value >= 999.5:  # (what would round to $1,000M reads $1.0B, as $1,000M and up do)
        text = f"${value / 1000:,.1f}B"
    elif value >= 9.95:
        text = f"${value:,.0f}M"
    else:
        text = f"${value:,.1f}M"
    return "-" + text if musd < 0 and text.strip("$0.,MB") else text


def money_apart(value: float, other: float) -> tuple[str, str]:
    """``money`` of two amounts, an order and what came of it, written in $M instead where
    ``money`` would hide what a player typed ($1,150M is not "$1.1B") or write them alike though
    they differ by $0.05M or more ("$1,100M" and "$1,150M", not "$1.1B" twice)."""
    shown = money(value), money(other)
    rounded = any(abs(x) >= 999.5 and abs(round(abs(x), -2) - abs(x)) >= 0.5 for x in (value, other))
    if not rounded and (shown[0] != shown[1] or abs(value - other) < 0.05):
        return shown
    for digits in (0, 1):
        shown = tuple(("-" if x < 0 else "") + f"${abs(x):,.{digits}f}M" for x in (value, other))
        if shown[0] != shown[1] or abs(value - other) < 0.05:
            break
    return shown


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


def listed(words: list[str], joint: str = "and") -> str:
    """Words as a sentence lists them: "A", "A and B", "A, B and C" ("" for none); ``joint="or"``
    for "A, B or C"."""
    return f" {joint} ".join([", ".join(words[:-1]), words[-1]] if len(words) > 2 else words)


def tallied(names: list[str]) -> str:
    """Names in their first order, a repeated one once with its count: "sprinter, strategist x3"."""
    return ", ".join(name if k == 1 else f"{name} x{k}" for name, k in Counter(names).items())  # (first-seen order)


def clock(seconds: float) -> str:
    """'4:05' (minutes and seconds) or '12 s', rounded up: a clock that says 0 s has run out."""
    seconds = int(seconds + 0.999)
    minutes, s = divmod(seconds, 60)
    return f"{minutes}:{s:02d}" if minutes else f"{s} s"


def possessive(name: str) -> str:
    """A name's possessive as it is written: "Helix's", "Hopper Labs'"."""
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def with_article(word: str) -> str:
    """The word after its indefinite article, as it is said: "a startup", "an incumbent", "a 20%
    premium", "an 80% premium", "an 11% premium" (eighty, eleven and eighteen start with a vowel)."""
    digits = word[:len(word) - len(word.lstrip("0123456789"))]
    vowel = digits.startswith("8") or digits in ("11", "18") if digits else word[:1].lower() in "aeiou"
    return f"{'an' if vowel else 'a'} {word}"


# --- ledgers: a start, the terms that moved it, an end, written so they add up as printed -----
LEDGER_KINDS = ("money", "gpus", "people", "quality", "share")


def ledger_step(kind: str, biggest: float) -> float:
    """The precision a ledger of ``kind`` whose biggest figure is ``biggest`` is written to."""
    return {"money": 0.1 if biggest < 1000 else 1.0, "gpus": 1.0, "people": 0.1 if biggest < 100 else 1.0,
            "quality": 0.01, "share": 0.0001}[kind]


def _ledger_units(kind: str, start: float, terms: list[float], end: float,
                  step: float | None, pinned: tuple[int, ...] = ()) -> tuple[float, int, list[int], int]:
    """``ledger``'s figures in whole steps of its precision: (step, start, terms, end). The terms
    at ``pinned`` keep their own rounding while another term can take up the difference."""
    if step is None:
        step = ledger_step(kind, max(abs(start), abs(end), *map(abs, terms)))
    first, last = round(start / step), round(end / step)
    exact = [t / step for t in terms]
    units = [round(x) for x in exact]
    short = (last - first) - sum(units)  # whole steps the rounded terms miss (a few at most)
    free = [k for k in range(len(units)) if k not in pinned] or list(range(len(units)))
    for k in sorted(free, key=lambda k: exact[k] - units[k], reverse=short > 0)[:abs(short)]:
        units[k] += 1 if short > 0 else -1
    return step, first, units, last


def ledger_values(kind: str, start: float, terms: list[float], end: float,
                  step: float | None = None, pinned: tuple[int, ...] = ()) -> tuple[float, list[float], float]:
    """``ledger``'s figures as numbers, rounded as it writes them (start, each term, end), for a
    caller that adds them up further or details one of them in a ledger of its own."""
    step, first, units, last = _ledger_units(kind, start, terms, end, step, pinned)
    return first * step, [n * step for n in units], last * step


def ledger(kind: str, start: float, terms: list[float], end: float,
           step: float | None = None, pinned: tuple[int, ...] = ()) -> tuple[str, list[str | None], str, str]:
    """A ledger's figures as written (``start``, each term's size, ``end``, and the change from
    start to end, signed, as the terms add it up), every one to the
    same precision and rounded so that they add up as printed: start + terms = end (the terms
    that rounding moved most take up the difference, as largest-remainder rounding does); a
    term that rounds to nothing is None (it adds nothing as written: a ledger leaves it out).
    ``kind``: money ($M, to $0.1M while the ledger stays under $1,000M, else to $1M, never in
    $B), gpus (whole), people (to a tenth under 100, else whole), quality (hundredths) or share;
    ``step`` sets the precision instead (``ledger_step``), for a ledger that details another's line;
    the terms at ``pinned`` (indices) are written as they round alone, as another ledger wrote
    them, while another term can take up the difference."""
    step, first, units, last = _ledger_units(kind, start, terms, end, step, pinned)
    decimals = {1.0: 0, 0.1: 1, 0.01: 2, 0.0001: 2}[step]

    def write(n: int) -> str:
        value = n * step
        if kind == "money":
            text = f"${abs(value):,.{decimals}f}M"
            return "-" + text if n < 0 else text
        if kind == "share":
            return f"{value:.{decimals}%}"
        text = f"{value:,.{decimals}f}"
        return "0" if n == 0 else text

    return write(first), [write(abs(n)) if n else None for n in units], write(last), write(last - first)


def apart(value: float, line: float, decimals: int = 1, most: int = 1) -> tuple[str, str]:
    """``value`` and the ``line`` it is measured against, to ``decimals``, or with up to ``most``
    more where they would read the same while they differ (a revenue gap of 7.04x past a 7.0x
    danger line)."""
    for places in range(decimals, decimals + most + 1):
        a, b = f"{value:.{places}f}", f"{line:.{places}f}"
        if a != b or value == line:
            break
    return a, b
