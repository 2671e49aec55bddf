"""``blitzgame scenario``: author scenario files (``check`` one, start a ``new`` one).

``add_parser(subcommands)`` adds the subcommand to the ``blitzgame`` parser. ``check FILE``
validates a scenario file the way ``--scenario FILE`` loads it, then compiles it and sets a
game up; every problem is one ``blitzgame: error: FILE:LINE: field: what is wrong`` line on
stderr (exit 2), a good file one summary line on stdout (exit 0). ``new NAME`` writes
``NAME.toml``: a template that explains every field you can set and passes ``check`` as
written. It never overwrites a file, and the file appears whole or not at all.
"""

import json
import re
import sys
from pathlib import Path

USAGE_ERROR = 2
NAME = re.compile(r"^[a-z0-9-]{1,60}$")

# What each number of a hub means (assets/hubs.toml); a hub field missing here is listed by name.
HUB_FIELDS = {
    "headroom_mw": "MW of grid the game's labs can still connect here, shared by all: what one builds is gone for the rest",
    "power_price": "$ per MWh of power",
    "pue": "power usage effectiveness, 1.0..3.0 (cooling overhead: 1.1 is natural cooling)",
    "build_lead_quarters": "quarters a power build takes to come online, 1..4",
    "build_cost_per_mw": "$M per MW of data-center shell, power and cooling",
    "revenue_factor": "revenue from capacity here, x (latency to customers)",
    "talent_factor": "hiring here, x (the local talent pipeline)",
    "regulatory_risk": "chance per quarter of a fine, 0..1",
    "fine_per_gpu": "$M per GPU when fined",
    "export_risk": "chance per quarter that export controls start by chance, 0..1 (0: only a shock starts them)",
    "export_controlled": "1: once export controls start, vendors stop shipping GPUs here; 0: they do not",
    "sovereign_funding": "extra equity a lab building here can raise, x",
    "subsidy_per_gpu": "$M per online GPU per quarter paid to labs here",
    "heat_risk": "chance per quarter of a cooling failure, 0..1",
}

# What each number of [world] means.
WORLD_FIELDS = {
    "vendor_supply": "new GPUs vendors ship a quarter to all the game's labs (grows each quarter; gpu_supply shocks cut it)",
    "list_price": "$M per GPU before the spot premium (0.03 = $30k)",
    "spot": "spot price as a multiple of list (above 1 in a shortage)",
    "cloud_pool": "GPU-equivalents the labs can rent in the cloud",
    "cloud_price": "$M per rented GPU a quarter",
    "talent_pool": "top researchers in the world",
    "revenue_pool": "$M a quarter of frontier-model revenue open to the labs",
    "sentiment": "investor mood, 0..2 (1 = normal, above 1 = hot)",
    "revenue_gap": "industry capex / AI revenue, trailing 4 quarters (a wide gap makes a crash likely)",
}


def add_parser(subcommands):
    """Add ``scenario`` (with ``check`` and ``new``) to a ``blitzgame`` subcommand set; returns its parser."""
    parser = subcommands.add_parser(
        "scenario", help="check a scenario file, or start a new one from a template",
        description="Author scenarios: the start, length, labs, hubs' grid headroom and prices, and scheduled "
                    "shocks (a GPU supply cut, a hub's power cap, export controls, the music stopping, a fixed "
                    "endgame). Play one with --scenario FILE.",
        epilog="Start with `blitzgame scenario new my-class`, edit my-class.toml, then "
               "`blitzgame scenario check my-class.toml`.")
    actions = parser.add_subparsers(title="actions", dest="action", metavar="<action>", parser_class=type(parser),
                                    required=True)
    check = actions.add_parser(
        "check", help="validate a scenario file; every problem names its line and field",
        description="Validate a scenario file (or a built-in scenario by id), compile it and set a game up. "
                    "Prints one OK line (exit 0), or every problem as FILE:LINE: field: what is wrong (exit 2).")
    check.add_argument("file", metavar="FILE", help="a scenario .toml file, or a built-in scenario id")
    check.set_defaults(run=run_check)
    new = actions.add_parser(
        "new", help="write a commented scenario template, NAME.toml",
        description="Write a scenario template that explains every field you can set. It passes "
                    "`blitzgame scenario check` as written. An existing file is never overwritten.")
    new.add_argument("name", metavar="NAME", help="the scenario's id: lowercase letters, digits and dashes")
    new.add_argument("--out", metavar="FILE", help="where to write it (default NAME.toml in this folder)")
    new.set_defaults(run=run_new)
    return parser


# --- check ---------------------------------------------------------------------------
def check_file(target: str):
    """The scenario in ``target`` (a file, or a built-in id), compiled and set up once.

    Raises ``AssetError`` (a ``ScenarioError`` lists every problem with its line)."""
    from blitzgame.assets import AssetError, assets_dir, load_scenario_file, scenario_ids

    path = Path(target)
    if not path.exists() and target in scenario_ids():
        path = assets_dir() / "scenarios" / f"{target}.toml"
    elif not path.exists():
        raise AssetError(f"{target}: no such file (built-in scenarios: {', '.join(scenario_ids())})")
    scenario = load_scenario_file(path)
    from blitzgame.session.game import Game, SetupError
    from blitzgame.session.world import compile_world

    try:
        Game.new(compile_world(scenario), seed=0)  # the roster sets up a game
    except SetupError as error:
        raise AssetError(f"{path}: labs: {error}") from None
    return path, scenario


def summary_line(path: Path, scenario) -> str:
    """One line: what the scenario is and what it schedules."""
    from blitzgame.schemas.assets import quarter_label

    end = quarter_label(scenario.start, scenario.quarters - 1)
    shocks = ", ".join(f"{s.kind} {s.quarter}" for s in scenario.shocks) or "none"
    crash = "" if scenario.chance_crash else ", no chance crash"
    rivals = "" if scenario.difficulty == "normal" else f", {scenario.difficulty} rivals"
    return (f"{path}: OK: {scenario.id} ({scenario.title}): {scenario.quarters} quarters {scenario.start}..{end}, "
            f"{len(scenario.labs)} labs, {len(scenario.shocks)} shocks ({shocks}), endgame {scenario.regime}{crash}"
            f"{rivals}")


def run_check(args) -> int:
    """``blitzgame scenario check FILE``."""
    from blitzgame.assets import ScenarioError

    try:
        path, scenario = check_file(args.file)
    except ScenarioError as error:
        for problem in error.problems:
            print(f"blitzgame: error: {problem}", file=sys.stderr)
        return USAGE_ERROR
    print(summary_line(path, scenario))
    return 0


# --- new -----------------------------------------------------------------------------
def run_new(args) -> int:
    """``blitzgame scenario new NAME [--out FILE]``."""
    if not NAME.match(args.name):
        raise ValueError(f"NAME becomes the scenario's id: 1-60 lowercase letters, digits and dashes "
                         f"(e.g. my-class), got {args.name!r}")
    out = Path(args.out) if args.out else Path(f"{args.name}.toml")
    if out.suffix != ".toml":
        raise ValueError(f"{out}: a scenario file's name ends in .toml (--scenario takes it by that)")
    if out.exists():
        raise ValueError(f"{out} already exists; it is left as it is (choose another --out, or remove it first)")
    if not out.parent.is_dir():
        raise ValueError(f"cannot write {out}: there is no folder {out.parent}")
    text = template(args.name, out.name)
    write_new(out, text)
    print(f"Wrote {out}. Edit it, then: blitzgame scenario check {out}")
    print(f"Play it: blitzgame play --new --scenario {out}   or headless: blitzgame sim --scenario {out}")
    return 0


def write_new(path: Path, text: str) -> None:
    """Create ``path`` with ``text``, whole or not at all, and never over an existing file
    (not even one that appeared a moment ago): ``files.write_atomic`` without overwriting."""
    from blitzgame.files import write_atomic

    try:
        write_atomic(path, text, overwrite=False)
    except FileExistsError:
        raise ValueError(f"{path} already exists; it is left as it is") from None


def _s(text: str) -> str:
    """A TOML basic string."""
    return json.dumps(text, ensure_ascii=False)


def _sourced(number) -> str:
    return f"{{ value = {number.value!r}, source = {_s(number.source)} }}"


def template(name: str, file_name: str | None = None) -> str:
    """A scenario file for ``name``: base-2024's world with every settable field explained.

    Valid as written (``blitzgame scenario check`` passes it); the numbers come from the game's
    own data files, so they stay in step with them."""
    from blitzgame.assets import load_balance, load_hubs, load_positions, load_scenario
    from blitzgame.limits import MAX_LABS, MIN_LABS
    from blitzgame.schemas.assets import REGIMES

    base = load_scenario("base-2024")
    hubs = load_hubs().hub
    hub_ids = [hub.id for hub in hubs]
    balance = load_balance()
    positions = load_positions()
    title = " ".join(word.capitalize() for word in name.split("-") if word) or name
    file_name = file_name or f"{name}.toml"
    lines = [
        f"# {title}: a Blitzgame scenario. Check it with: blitzgame scenario check {file_name}",
        f"# Play it with: blitzgame play --new --scenario {file_name}   (or: blitzgame sim --scenario {file_name})",
        "#",
        "# Every number is written { value = ..., source = \"...\" }: say where it comes from, a public",
        "# figure or \"design: ...\" for a game-design choice. Money is in $M, time in quarters.",
        "# Lines starting with # are comments; remove the # of an example to use it.",
        "",
        "# The scenario's id (lowercase letters, digits, dashes), its title and a one-line summary",
        "# (shown in the new-game screen and by `blitzgame scenarios`).",
        f"id = {_s(name)}",
        f"title = {_s(title)}",
        f"summary = {_s('The race as it stood in early 2024, with the shocks this class schedules below.')}",
        "",
        "# The first quarter (YYYYQn) and how many quarters the campaign lasts (4..64). A 90-minute",
        "# class fits about 16 quarters at five minutes each; base-2024 runs 32.",
        f"start = {_s(base.start)}",
        "quarters = 16",
        "",
        "# The endgame (M9): \"drawn\" at random when the music stops or 60% into the campaign,",
        f"# or fixed: {', '.join(r for r in REGIMES if r != 'drawn')}.",
        "regime = \"drawn\"",
        "",
        "# true: a wide revenue gap can also stop the music by chance (M8). false: it stops only where",
        "# a music_stops shock below says, so every class with the same seed sees the same crash.",
        "chance_crash = true",
        "",
        "# Whom a campaign here draws its rivals from unless told (the new-game screen's difficulty,",
        "# class new --rivals): easy, normal (the six archetypes), hard (two strategists among",
        "# archetypes) or expert (strategists only, which plan for this world; the classroom worlds' choice).",
        "difficulty = \"normal\"",
        "",
        "# Power the labs start with, as a share of what their GPUs need (below 1: some GPUs stranded, M5).",
        f"start_power_ratio = {_sourced(base.start_power_ratio)}",
        "",
        "# The market at the start. All numbers > 0.",
        "[world]",
    ]
    for field, number in base.world:
        lines.append(f"# {field}: {WORLD_FIELDS.get(field, field)}")
        lines.append(f"{field} = {_sourced(number)}")
    lines += [
        "",
        f"# The labs of the default roster, {MIN_LABS}..{MAX_LABS} of them (one per team in a class), names unique.",
        "# position: where the lab starts (assets/positions.toml):",
        *(f"#   {p.ljust(10)}  {getattr(positions, p).summary}" for p in ("startup", "challenger", "incumbent")),
        f"# hub: the home hub, one of {', '.join(hub_ids)}.",
        "# In the terminal game the human players bring their own labs and the rivals take these, in order.",
    ]
    for lab in base.labs:
        lines += ["", "[[labs]]", f"name = {_s(lab.name)}", f"position = {_s(lab.position)}", f"hub = {_s(lab.hub)}"]
    lines += [
        "",
        "# Hubs: change any number of a hub for this scenario with a [hubs.<id>] table; the rest stay",
        "# as assets/hubs.toml has them. The numbers, with each hub's own (" + " / ".join(hub_ids) + "):",
    ]
    width = max(len(field) for field in hubs[0].numbers)
    for field in hubs[0].numbers:
        values = " / ".join(f"{hub.numbers[field].value:g}" for hub in hubs)
        lines.append(f"#   {field.ljust(width)}  {values}")
        lines.append(f"#   {' ' * width}  {HUB_FIELDS.get(field, field)}")
    power_hub = hubs[0]
    lines += [
        "# For example (remove the # marks):",
        f"# [hubs.{power_hub.id}]",
        "# headroom_mw = { value = 150.0, source = \"design: the connection queue is full\" }",
        "# power_price = { value = 120.0, source = \"design: demand pushes power prices up\" }",
        "",
        "# Shocks: events at a quarter of the campaign (YYYYQn, from start to the last quarter).",
        "# Each has quarter, kind and why (a sentence for the news), and what its kind needs:",
        "#   gpu_supply       multiplier (0..10, e.g. 0.5 = half of vendor output ships), quarters (how long, default 1)",
        f"#   power_cap        hub (one of {', '.join(hub_ids)}), mw (grid headroom added there; negative cuts it)",
        "#   export_controls  nothing more: vendors stop shipping to every hub with export_controlled = 1",
        "#                    (" + ", ".join(h.id for h in hubs if h.numbers["export_controlled"].value > 0)
        + " by default; set it in [hubs.<id>] to add one)",
        "#   music_stops      nothing more: the market crashes as that quarter opens, before its rounds (M8)",
        "#   sentiment        delta (-2..2, added to investor mood that quarter)",
        f"# The world's own dice still roll too (export_risk per hub, chance_crash above); vendor supply grows"
        f" {balance.value('supply_growth'):.0%} a quarter.",
        "",
        "[[shocks]]",
        "quarter = \"2025Q1\"",
        "kind = \"gpu_supply\"",
        "multiplier = 0.5",
        "quarters = 4",
        "why = \"A packaging bottleneck halves vendor output for a year.\"",
        "",
        "[[shocks]]",
        "quarter = \"2027Q1\"",
        "kind = \"music_stops\"",
        "why = \"The revenue gap catches up with the market: the music stops.\"",
        "",
        "# More examples (remove the # marks to use them):",
        "# [[shocks]]",
        "# quarter = \"2025Q2\"",
        "# kind = \"power_cap\"",
        f"# hub = \"{power_hub.id}\"",
        "# mw = -150.0",
        "# why = \"The utility pauses new data-center connections.\"",
        "#",
        "# [[shocks]]",
        "# quarter = \"2024Q3\"",
        "# kind = \"export_controls\"",
        "# why = \"New export rules stop AI-chip shipments.\"",
        "#",
        "# [[shocks]]",
        "# quarter = \"2024Q4\"",
        "# kind = \"sentiment\"",
        "# delta = -0.2",
        "# why = \"A failed flagship launch makes investors nervous.\"",
        "",
        "# Escape velocity (docs/design.md §4): a lab holding `gpus` online and `share` of the market for",
        "# `quarters` quarters in a row wins at once. Leave it out for the defaults in balance.toml:",
        f"# gpus {balance.value('dominance_gpus'):g}, share {balance.value('dominance_share'):g}, "
        f"quarters {balance.value('dominance_quarters'):g}. To set it (all three numbers):",
        "# [dominance]",
        "# gpus = { value = 60000.0, source = \"design: ...\" }",
        "# share = { value = 0.5, source = \"design: ...\" }",
        "# quarters = { value = 2.0, source = \"design: ...\" }",
        "",
    ]
    return "\n".join(lines)
