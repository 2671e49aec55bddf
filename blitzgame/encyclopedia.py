"""The encyclopedia: what each mechanic, rival archetype, hub, order and key means to a player.

Written topics are Markdown files in ``assets/encyclopedia/`` (shipped in the wheel with the
other assets). Their numbers are placeholders filled from ``assets/balance.toml`` when the
topic loads, so the text never disagrees with the rules: ``{{attrition_death_zone:pct}}``
reads as "6%". Formats: ``pct`` (a share), ``n`` (a count), ``money`` ($M as $850M / $2.4B),
``k`` ($M as thousands: $1.5k), ``quarters`` (a count of quarters: "1 quarter", "2 quarters"),
none (as is).

Topics for each archetype, each hub and the orders form are generated from their data
files and schemas. No Textual here: the help screen, the command palette and the CLI read it.
"""

import re
from dataclasses import dataclass
from functools import cache

from blitzgame.assets import AssetError, assets_dir, gpus_per_mw, load_archetypes, load_balance, load_hubs

FIRST = ("intro", "winning", "orders", "keys")  # the topics a new player reads first, in order
MECHANIC_FILE = re.compile(r"^m(\d\d)-[a-z0-9-]+$")
PLACEHOLDER = re.compile(r"\{\{\s*([a-z_]+)\s*(?::\s*([a-z]+))?\s*\}\}")

HUB_FIELDS = {  # hub number -> (what it means, its unit or how it is written: ``_hub_number``)
    "power_price": ("Power price", "$/MWh"),
    "pue": ("PUE (power per unit of IT load)", ""),
    "headroom_mw": ("Grid headroom, shared by all labs", "MW"),
    "build_lead_quarters": ("Power build lead time", "quarters"),
    "build_cost_per_mw": ("Build cost", "$M per MW"),
    "revenue_factor": ("Revenue factor (latency, customers)", "x"),
    "talent_factor": ("Talent factor (local pipeline)", "x"),
    "regulatory_risk": ("Chance of a fine per quarter", "pct"),
    "fine_per_gpu": ("Fine per GPU when fined", "k"),
    "export_risk": ("Chance export controls start, per quarter", "pct"),
    "export_controlled": ("Export controls, once on, stop deliveries here", "yes/no"),
    "sovereign_funding": ("Sovereign funding (extra equity capacity)", "x"),
    "subsidy_per_gpu": ("Subsidy per GPU online, per quarter", "k"),
    "heat_risk": ("Chance of a heatwave per quarter", "pct"),
}

KNOB_PHRASES = {  # archetype knob -> how to say it
    "reserve_quarters": "spends only what it has beyond {v:.1f} quarters of running costs",
    "growth_share": "spends {v:.0%} of the cash beyond that reserve on growth each quarter",
    "dip_growth_share": "spends {v:.0%} more when GPUs are cheap or the music has stopped",
    "niche_gpus": "stops growing its own cluster at {v:,.0f} GPUs",
    "max_spot": "buys no GPUs while spot is above x{v:.2f} list",
    "premium": "offers a {v:.1%} price premium to jump the GPU queue",
    "hubs": "builds power in {v:g} of the hubs",
    "risk_appetite": "risk appetite {v:g} (0 avoids risky hubs, 1 chases cheap power anywhere)",
    "rent_share": "puts {v:.0%} of its growth budget into cloud rental",
    "silicon_share": "puts {v:.0%} of its growth budget into custom silicon",
    "efficiency_share": "spends {v:.1%} of its spare cash on efficiency R&D",
    "open_source": "releases its weights",
    "partnership": "takes a compute partnership {v:.0%} deep",
    "pay": "pays researchers x{v:.2f} the market package",
    "staffing": "staffs x{v:.2f} the researchers its cluster needs",
    "train_split": "trains with at least {v:.0%} of its compute",
    "raise_share": "asks for {v:.0%} of its valuation in a round when its cash falls below that",
    "raise_sentiment": "asks for that round only while sentiment is at least {v:.2f} (a bridge when runway runs short)",
    "raise_always": "asks investors for {v:.1%} of its valuation every quarter, whatever the mood",
    "efficiency_cash": "spends {v:.1%} of all its cash on efficiency R&D every quarter, on top",
    "serve_margin": ("keeps compute serving x{v:.2g} what its customers wanted last quarter and trains with the rest "
                     "(at most 85%)"),
    "rationed_reserve": ("keeps {v:.1f} more quarters of running costs in the bank after investors gave less than half "
                         "of the round its plan justified (their pool ran short, or shut): money is scarce"),
    "leverage": "carries debt worth {v:.1f} quarters of running costs",
    "bid_share": "offers up to {v:.0%} of its spare cash for a rival in distress (M9)",
}

DESIGN_PATH = re.compile(r"docs/design\.md")


@dataclass(frozen=True)
class Topic:
    """One page of the encyclopedia."""

    id: str  # e.g. "m07-death-zone", "archetype-sprinter", "hub-nordics", "keys"
    title: str
    group: str  # "Playing", "Mechanics", "Rivals" or "Hubs"
    text: str  # Markdown, starting with a "# title" heading
    mechanic: str = ""  # "M7" for a mechanic topic


class UnknownTopic(KeyError):
    """A topic id the encyclopedia does not have."""


def fill_numbers(text: str, source: str = "encyclopedia") -> str:
    """Replace ``{{name}}`` / ``{{name:fmt}}`` with the balance number ``name``."""
    balance = load_balance()

    def number(match: re.Match) -> str:
        name, fmt = match.group(1), match.group(2) or ""
        try:
            value = balance.value(name)
        except KeyError:
            raise AssetError(f"{source}: unknown balance number {{{{{name}}}}}") from None
        return _format(value, fmt, source)

    return PLACEHOLDER.sub(number, text)


KEYS = r"`[a-z_]+\*?`(?:,\s*`[a-z_]+\*?`)*"  # `covenant`, `utilization_base`, `train_success_*`
KEYS_ALONE = re.compile(rf"\s*\(({KEYS})\)")  # " (`covenant`)": the aside goes, with the space before it
KEYS_LAST = re.compile(rf",\s*({KEYS})\)")  # "(debt above 50% of..., `covenant`)": the parenthesis stays
KEYS_FIRST = re.compile(rf"\(({KEYS}):\s*")  # "(`tech_debt_simple_fleet`: a few racks...)"
KEY_IS = re.compile(r"\s*\((`[a-z_]+`) =\s*[0-9.,]+\)")  # " (`share_beta` = 1.8)", its number said before


def balance_keys_aside(text: str) -> str:
    """The balance keys a page names beside its numbers ("(`covenant`)") taken out of the prose a
    player reads and listed once at its end, for whoever changes the balance."""
    balance = load_balance()
    found: list[str] = []

    def is_key(name: str) -> bool:
        if name.endswith("*"):  # a family: every key with this start
            return any(key.startswith(name[:-1]) for numbers in balance.sections.values() for key in numbers)
        try:
            balance.value(name)
        except KeyError:
            return False
        return True

    def aside(match: re.Match, keep: str) -> str:
        names = re.findall(r"`([a-z_]+\*?)`", match.group(1))
        if not all(is_key(name) for name in names):
            return match.group(0)  # not balance keys: order names, keys of the keyboard...
        found.extend(name for name in names if name not in found)
        return keep

    text = KEYS_ALONE.sub(lambda m: aside(m, ""), text)
    text = KEYS_LAST.sub(lambda m: aside(m, ")"), text)
    text = KEYS_FIRST.sub(lambda m: aside(m, "("), text)
    text = KEY_IS.sub(lambda m: aside(m, ""), text)
    if not found:
        return text
    keys = ", ".join(f"`{name}`" for name in found)
    return (text.rstrip("\n") + "\n\n---\n\n*For modders:* the numbers on this page come from the game's "
            f"balance file (`balance.toml`, each with its source), keys {keys}.\n")


def _format(value: float, fmt: str, source: str) -> str:
    if fmt == "pct":
        percent = value * 100
        return f"{percent:.0f}%" if abs(percent - round(percent)) < 1e-9 else f"{percent:.1f}%"
    if fmt == "n":
        return f"{value:,.0f}"
    if fmt == "k":  # $M as thousands of dollars: 0.0015 -> $1.5k
        return f"${value * 1000:,.3g}k"
    if fmt == "money":
        from blitzgame.formats import money

        return money(value)
    if fmt == "quarters":
        return f"{value:g} quarter" + ("" if value == 1 else "s")
    if fmt == "":
        return f"{value:g}"
    raise AssetError(f"{source}: unknown number format {fmt!r}; use pct, n, money, k or quarters")


def _title(text: str, fallback: str) -> str:
    for line in text.splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return fallback


def _written_topics() -> list[Topic]:
    folder = assets_dir() / "encyclopedia"
    if not folder.is_dir():
        raise AssetError(f"cannot find the encyclopedia folder {folder}")
    found = []
    for path in sorted(folder.glob("*.md")):
        text = balance_keys_aside(fill_numbers(path.read_text(encoding="utf-8"), str(path)))
        match = MECHANIC_FILE.match(path.stem)
        mechanic = f"M{int(match.group(1))}" if match else ""
        found.append(Topic(path.stem, _title(text, path.stem), "Mechanics" if mechanic else "Playing", text, mechanic))
    first = {name: k for k, name in enumerate(FIRST)}
    return sorted(found, key=lambda t: (t.group != "Playing", first.get(t.id, len(first)), t.id))


def _archetype_topics() -> list[Topic]:
    topics = []
    for bot in load_archetypes().bot:
        lines = [f"# {bot.title}", "", f"*{bot.summary}*", "", bot.description, ""]
        if bot.code == "strategist":
            lines += _how_the_strategist_thinks(bot, {b.name: b.title for b in load_archetypes().bot})
        elif bot.knobs:
            lines += ["## How it plays, in numbers", ""]
            for name, value in bot.knobs.items():
                if value == 0 and name in ("niche_gpus", "open_source", "partnership", "silicon_share", "dip_growth_share",
                                           "rent_share", "leverage", "raise_always", "efficiency_cash", "bid_share",
                                           "serve_margin", "rationed_reserve"):
                    continue  # say only what the archetype does
                lines.append(f"- {KNOB_PHRASES[name].format(v=value)}")  # every knob has one (tested)
            lines.append("")
        lines += [f"Bot name `{bot.name}`: pick it as a rival in a new game or with `blitzgame sim --bots {bot.name}`.",
                  "The rivals screen (`r`) shows which archetype plays each rival. See also "
                  "[rival archetypes](m10-archetypes).", "", f"Modelled on: {bot.source.removeprefix('design: ')}.", ""]
        group = "Rivals"
        topics.append(Topic(f"archetype-{bot.name}", bot.title, group, "\n".join(lines)))
    return topics


def _how_the_strategist_thinks(bot, titles: dict[str, str]) -> list[str]:
    draws = int(bot.knobs.get("determinizations", 1))
    horizon = int(bot.knobs.get("horizon", 0))
    ahead = "to the end of the campaign" if horizon <= 0 else f"{horizon} quarters ahead"
    plays = ", ".join(titles.get(name, name) for name in bot.playbook if name not in bot.plays)
    own = "".join(f" and one of its own, {name} ({play.summary})" for name, play in bot.plays.items())
    return [
        "## How it thinks", "",
        f"Its playbook holds {len(bot.playbook)} plays: the archetypes' ways of running a lab ({plays}){own}. "
        f"Each quarter it takes each play and plays the game forward {ahead}, {draws} times, on the game's own "
        "engine: each time under different luck and with each rival playing a different play of the playbook, "
        "since it cannot know who plays them. It follows, for this quarter only, the play whose futures "
        "finished best on average (its final place; its score breaks ties). Next quarter it thinks again, so "
        "it switches plays as the game turns: a sprint while the market is hot, a defender's reserve when the "
        "music is about to stop, a buyer's bid when rivals stumble.", "",
        "It sees what you see. A rival's cash it works out from the rival's published valuation (investors "
        "price a lab as its customers plus its running GPUs plus its net cash, and the first two are public), "
        "its founders' stake from its score, its researchers from the GPUs it runs, its GPUs on order from "
        "the industry's lead time. Whatever no figure reveals (culture, tech debt, pay) it assumes is like "
        "its own. Its futures never replay the game's own dice.", "",
        "A decision takes it a few milliseconds. `--think N` (in `blitzgame play`, `sim` and `tournament`) "
        "makes it weigh N times as many futures: slower, a little stronger. In a new game, the *hard* "
        "difficulty always seats one or two strategists.", "",
        "To beat it, do what it cannot foresee: its futures assume every lab plays one of the archetypes' "
        "styles, so a strategy none of them plays surprises it.", ""]


def _hub_topics() -> list[Topic]:
    kw_per_gpu = load_balance().value("kw_per_gpu")
    topics = []
    for hub in load_hubs().hub:
        n = {name: number.value for name, number in hub.numbers.items()}
        per_mw = gpus_per_mw(kw_per_gpu, n["pue"])
        lines = [f"# {hub.name}", "", hub.traits, "",
                 f"One MW here runs about {per_mw:,.0f} GPUs (1,000 kW / ({kw_per_gpu:g} kW per GPU x PUE {n['pue']:g})); "
                 f"100,000 GPUs need about {100000 / per_mw:,.0f} MW. See [power caps and hubs](m05-power).", "",
                 "| | In the base world |", "|---|---:|"]
        for name, (meaning, unit) in HUB_FIELDS.items():
            lines.append(f"| {meaning} | {_hub_number(hub.numbers[name].value, unit)} |")
        lines += ["", "## Where the numbers come from", ""]
        lines += [f"- {meaning}: {_cited(hub.numbers[name].source)}" for name, (meaning, _) in HUB_FIELDS.items()]
        lines += ["", "These are the base world's numbers (base-2024). A scenario changes them (power-crunch starts "
                  "with a fraction of this grid headroom; a scenario event can cut or add a line): the hubs screen "
                  "(`h`) shows your game's, live, with your own GPUs and power there.", ""]
        topics.append(Topic(f"hub-{hub.id}", hub.name, "Hubs", "\n".join(lines)))
    return topics


def _hub_number(value: float, unit: str) -> str:
    """A hub's number as its page writes it: a count of quarters, a chance as a percentage, dollars
    per GPU in thousands, yes or no, or the number and its unit."""
    if unit in ("quarters", "pct", "k"):
        return _format(value, unit, "hubs")
    if unit == "yes/no":
        return "yes" if value else "no"
    return f"{value:g} {unit}".rstrip()


def _cited(source: str) -> str:
    """A number's source as a player reads it: the project's design document by name, not by
    its path in the source tree (which a player who installed the game does not have)."""
    return DESIGN_PATH.sub("the game's design notes", source)


def _orders_topic() -> Topic:
    from blitzgame.schemas.orders import Orders
    from blitzgame.session.order_words import form_labels

    lines = ["# The orders form", "",
             "Each quarter every lab gives its orders at once; the quarter then resolves for all labs in a fixed "
             "order (financing, GPU market, power, talent, training, customers, costs, organisation, valuation, "
             "events, music, bankruptcy, victory). Orders outside their bounds are refused with a message, "
             "never clipped.", "",
             "Open the form with `o`. It opens empty: a quarter with no orders does nothing, and last quarter's "
             "orders are not repeated unless you ask. `ctrl+l` fills it with last quarter's orders as they were "
             "played, `ctrl+b` with what the baseline bot would order this quarter (pressed again, each archetype's "
             "in turn), `ctrl+n` clears it; `ctrl+s` submits it and `escape` closes it, changing nothing. The "
             "forecast beside it plays the quarter ahead with your orders as they stand.", "",
             "The table names each order as the form does (with its section) and as a bot's `Orders` do:", "",
             "| On the form | In `Orders` | What it does | Bounds |", "|---|---|---|---|"]
    labels = form_labels()
    for name, info in Orders.model_fields.items():
        lines.append(f"| {labels.get(name, name)} | `{name}` | {info.description or ''} | {_bounds(info)} |")
    lines += ["", "Per-hub orders (`gpus`, `power_mw`) take the hub ids: "
              + ", ".join(f"`{h.id}` ({h.name})" for h in load_hubs().hub) + ".", ""]
    return Topic("orders", "The orders form", "Playing", "\n".join(lines))


def _bounds(info) -> str:
    if info.annotation is bool:
        return "on or off"
    parts = []
    for rule in info.metadata:  # annotated_types Ge / Le from the Field(ge=..., le=...)
        if hasattr(rule, "ge"):
            parts.append(f">= {_plain(rule.ge)}")
        if hasattr(rule, "le"):
            parts.append(f"<= {_plain(rule.le)}")
    return ", ".join(parts) or "per hub, >= 0"


def _plain(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:g}"


@cache
def topics() -> tuple[Topic, ...]:
    """Every topic, in reading order: playing, mechanics M1-M13, rivals, hubs."""
    written = _written_topics()
    playing = [t for t in written if t.group == "Playing"]
    order = {name: k for k, name in enumerate(FIRST)}
    playing = sorted(playing + [_orders_topic()], key=lambda t: (order.get(t.id, len(order)), t.id))
    mechanics = [t for t in written if t.group == "Mechanics"]
    return tuple(playing + mechanics + _archetype_topics() + _hub_topics())


def topic(topic_id: str) -> Topic:
    """The topic with ``topic_id``; ``UnknownTopic`` if there is none."""
    for t in topics():
        if t.id == topic_id:
            return t
    raise UnknownTopic(f"no encyclopedia topic {topic_id!r}")


def topic_for_mechanic(mechanic: str) -> Topic:
    """The topic explaining mechanic ``mechanic`` ("M7" or "m7")."""
    wanted = mechanic.upper()
    for t in topics():
        if t.mechanic == wanted:
            return t
    raise UnknownTopic(f"no encyclopedia topic for mechanic {mechanic!r}")


__all__ = ["Topic", "UnknownTopic", "fill_numbers", "topic", "topic_for_mechanic", "topics"]
