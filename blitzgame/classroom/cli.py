"""``blitzgame class``: a class of teams in the same world (new, status, autoplay, report, serve).

``add_parser(subcommands)`` adds the subcommand to the ``blitzgame`` parser. Every mistake
is a ``ValueError`` with one line (``ClassError``, ``SaveError``), which the ``blitzgame``
command prints as ``blitzgame: error: ...`` with exit status 2. The engine and matplotlib
load inside the command that needs them.
"""

import argparse
import json
import time

from blitzgame import cli_args
from blitzgame.cli_output import out, show, table
from blitzgame.formats import quarters as quarters_words
from blitzgame.formats import tallied, with_article
from blitzgame.formats import teams as teams_words


def _names(text: str) -> list[str]:
    if text.strip().lower() == "none":
        return []
    names = [part.strip() for part in text.split(",")]
    if not all(names):
        raise argparse.ArgumentTypeError(f"expected comma-separated names, none of them empty, got {text!r}")
    return names


def add_parser(subcommands) -> argparse.ArgumentParser:
    """Add ``class`` to a ``blitzgame`` subcommand set; returns its parser."""
    parser = subcommands.add_parser(
        "class", help="run a class: every team plays the same world; status, bots, debrief report",
        description="A class is a folder. By default, class.toml (scenario, seed, rivals, teams) and a save per team: "
                    "every team plays its own campaign of the same scenario and seed, its lab in the same seat "
                    "against the same rivals, so the teams' games differ only through their orders. With "
                    "`class new --shared`, class.db: every team is a lab of one world, and the quarter moves for "
                    "all teams at once.",
        epilog="A team plays with: blitzgame play --class DIR --team NAME (or in a browser: blitzgame class serve DIR). "
               "See docs/teaching.md for lesson plans.")
    commands = parser.add_subparsers(title="class commands", dest="class_command", metavar="<command>",
                                     parser_class=type(parser))

    new = commands.add_parser("new", help="make a class folder: the manifest and a save per team (or --shared)",
                              description="Make a class folder: DIR/class.toml and DIR/teams/<team>.json, every team "
                                          "at the start of the same campaign (with --shared: DIR/class.db, one "
                                          "world). DIR must be new or empty.")
    new.add_argument("dir", metavar="DIR", help="the class folder to make")
    new.add_argument("--teams", type=cli_args.positive_int, metavar="N", help="number of teams (named Team 1..N)")
    new.add_argument("--team-names", type=_names, metavar="a,b,...", help="the teams' names (also their labs' names)")
    new.add_argument("--scenario", default="base-2024", metavar="S",
                     help="scenario id (see `blitzgame scenarios`) or a .toml file (default base-2024)")
    new.add_argument("--seed", type=cli_args.seed, default=0, metavar="K", help="the world's seed, 0..2**63-1 (default 0)")
    new.add_argument("--rivals", type=_names, metavar="a,b,...",
                     help="the bots playing the other labs (default: the scenario's roster drawn with the seed at "
                          "its difficulty: the six archetypes, or strategists in the classroom worlds; with --shared, "
                          "the seats the teams leave; 'none': no bots)")
    new.add_argument("--quarters", type=cli_args.positive_int, metavar="N",
                     help="play only the first N quarters of the scenario (a shorter class; default: all)")
    new.add_argument("--position", metavar="P",
                     help="the teams' lab: startup, challenger or incumbent (default: startup, or the position "
                          "every lab of the scenario starts in if they all start alike)")
    new.add_argument("--hub", metavar="H", help="the teams' home hub (default: the scenario's first lab's)")
    new.add_argument("--name", metavar="TEXT", help="the class's name (default: the folder's name)")
    new.add_argument("--no-rewind", action="store_true",
                     help="teams may not go back to an earlier quarter (a competition); either way each rewind is "
                          "recorded, in class status and the report")
    shared = new.add_argument_group(
        "a shared class", "With --shared, every team is a lab of one world: the teams meet in one market, give "
                          "their orders each quarter, and the quarter resolves for all at once (DIR/class.db).")
    shared.add_argument("--shared", action="store_true", help="make the teams labs of one world")
    shared.add_argument("--deadline", type=_duration, metavar="TIME",
                        help="with --shared: how long a quarter stays open, like 10m or 90s (default: until every "
                             "team is in, or `blitzgame class next`)")
    shared.add_argument("--autopilot", metavar="BOT",
                        help="with --shared: the bot that plays a team that has not submitted when the quarter "
                             "closes (default: that team does nothing)")
    new.set_defaults(run=run_new)

    status = commands.add_parser("status", help="who is at which quarter",
                                 description="Each team's quarter, cash, GPUs online and status, read from its save (a shared "
                                             "class: the quarter, who is in, the time left and the race, from its "
                                             "database).")
    status.add_argument("dir", metavar="DIR", help="the class folder")
    status.add_argument("--json", action="store_true", help="print a JSON list")
    status.add_argument("--watch", action="store_true",
                        help="a shared class: show it again every second, closing quarters whose deadline passed, "
                             "until Ctrl+C")
    status.set_defaults(run=run_status)

    nxt = commands.add_parser("next", help="a shared class: close the open quarter now",
                              description="Resolve a shared class's open quarter now: a team that has not submitted "
                                          "plays the class's autopilot, or nothing.")
    nxt.add_argument("dir", metavar="DIR", help="the class folder")
    nxt.add_argument("--quarter", metavar="Q", default=None,
                     help="close it only if the open quarter is Q (e.g. 2025Q1); without it, a quarter that opened "
                          f"in the last {NEXT_GUARD_S} s is not closed (so running the command twice skips nothing)")
    nxt.set_defaults(run=run_next)

    deadline = commands.add_parser("deadline", help="a shared class: how long quarters stay open from now on",
                                   description="Set how long each quarter of a shared class stays open, from the open "
                                               "one on: longer while teams learn the screens, shorter once they know "
                                               "them. Longer, the open quarter closes later by as much; shorter, the "
                                               "teams get the new time from now (or what they had left, if less): the "
                                               "open quarter never closes on them at once.")
    deadline.add_argument("dir", metavar="DIR", help="the class folder")
    deadline.add_argument("time", metavar="TIME", help="like 5m, 90s or 1h; 'off' for no deadline")
    deadline.set_defaults(run=run_deadline)

    hold = commands.add_parser("hold", help="hold every team at the start of a quarter (a checkpoint)",
                               description="Hold the class at the start of quarter Q: a team that reaches it can give "
                                           "orders but not play it until `class release`, so fast teams wait for the "
                                           "slow ones before an announcement (a shared class's quarter Q does not "
                                           "close by itself; `class next` still closes it).")
    hold.add_argument("dir", metavar="DIR", help="the class folder")
    hold.add_argument("--at", required=True, metavar="Q", help="the quarter to hold at, like 2025Q1")
    hold.set_defaults(run=run_hold)

    release = commands.add_parser("release", help="release a held class: teams play on",
                                  description="Lift `class hold`: every team plays on.")
    release.add_argument("dir", metavar="DIR", help="the class folder")
    release.set_defaults(run=run_release)

    auto = commands.add_parser("autoplay", help="fill teams with bots (a rehearsal, a test)",
                               description="Play each unfinished team's lab with a bot, the bots cycled over the teams "
                                           "in the order --team names them (else the manifest's order), saving "
                                           "every quarter to the team's save.")
    auto.add_argument("dir", metavar="DIR", help="the class folder")
    auto.add_argument("--bots", required=True, metavar="a,b,...",
                      help="bots for the teams' labs: names (see `blitzgame bots`) or path/to/file.py:Class")
    auto.add_argument("--quarters", type=cli_args.positive_int, metavar="N",
                      help="play only N more quarters (default: to the end); in a shared class each waits for its "
                           "quarter to close: the other teams' orders, its deadline or class next")
    auto.add_argument("--team", action="append", metavar="NAME",
                      help="only this team (repeat for more; the first named gets the first bot)")
    auto.set_defaults(run=run_autoplay)

    report = commands.add_parser("report", help="the debrief: leaderboard, charts, CSV, HTML and Markdown",
                                 description="Write the class report: index.html (leaderboard, comparison charts), "
                                             "a debrief per team with a what-if, class.md and teams/*.md, and "
                                             "results.csv (a row per team per quarter played).")
    report.add_argument("dir", metavar="DIR", help="the class folder")
    report.add_argument("--out", metavar="OUT", help="output folder (default DIR/report)")
    report.add_argument("--no-whatif", action="store_true", help="skip the what-if replays (faster)")
    report.set_defaults(run=run_report)

    serve = commands.add_parser("serve", help="serve each team's game to browsers, a port per team",
                                description="Serve every team's game to web browsers with textual-serve: team 1 on "
                                            "PORT, team 2 on PORT+1, and so on. One browser tab per team.")
    serve.add_argument("dir", metavar="DIR", help="the class folder")
    serve.add_argument("--host", default="127.0.0.1",
                       help="address to listen on (default 127.0.0.1; 0.0.0.0 for the lab room's network)")
    serve.add_argument("--port", type=cli_args.port, default=8000, metavar="N", help="the first team's port (default 8000)")
    serve.add_argument("--public-url", metavar="URL", default=None,
                       help="the address browsers use, without a port (e.g. http://10.0.0.5 or a proxy's name); "
                            "default: this machine's LAN address when --host is 0.0.0.0")
    serve.set_defaults(run=run_serve)

    parser.set_defaults(run=_no_command)
    return parser


def _no_command(args) -> int:
    raise ValueError("choose a class command: new, status, next, deadline, hold, release, autoplay, report or "
                     "serve (blitzgame class --help)")


def _duration(text: str) -> float:
    from blitzgame.classroom.shared import parse_duration

    try:
        return parse_duration(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


# --- new ---------------------------------------------------------------------------------
def run_new(args) -> int:
    from blitzgame.classroom.create import new_class

    if args.shared:
        if args.no_rewind:
            raise ValueError("--no-rewind: a shared class never rewinds (every team plays the same world)")
        return _new_shared(args)
    if args.deadline is not None or args.autopilot is not None:
        raise ValueError("--deadline and --autopilot are for a shared class: add --shared")
    made = new_class(args.dir, teams=args.teams, team_names=args.team_names, scenario=args.scenario, seed=args.seed,
                     rivals=args.rivals, quarters=args.quarters, position=args.position, hub=args.hub, name=args.name,
                     rewind=not args.no_rewind)
    m = made.manifest
    out(f"Class {m.name!r} in {made.folder}: {teams_words(len(m.teams))}, scenario {m.scenario}, seed {m.seed}, "
        f"{m.quarters} quarters.")
    out(f"Every team: {with_article(m.position)} in {m.hub} against {tallied(m.rivals)}.")
    if not m.rewind:
        out("Rewinds are off: teams live with the quarters they played.")
    show(table(["Team", "Save", "Join code (class serve)"], [[t.name, str(made.folder / t.save), t.code or "-"]
                                                            for t in m.teams], "lll"))
    first = m.teams[0].name
    out(f"\nPlay a team: blitzgame play --class {made.folder} --team {_quoted(first)}")
    out(f"In browsers:  blitzgame class serve {made.folder} --host 0.0.0.0")
    out(f"Follow them:  blitzgame class status {made.folder}")
    return 0


def _quoted(text: str) -> str:
    import shlex

    return shlex.quote(text)


def _new_shared(args) -> int:
    from blitzgame.classroom.create import default_team_names
    from blitzgame.classroom.shared import clock, new_shared_class

    if args.team_names is not None:
        names = args.team_names
        if args.teams is not None and args.teams != len(names):
            raise ValueError(f"--teams {args.teams} but --team-names gives {len(names)} names")
    elif args.teams is None:
        raise ValueError("say how many teams: --teams N (or name them: --team-names a,b,c)")
    else:
        names = default_team_names(args.teams)
    m = new_shared_class(args.dir, team_names=names, scenario=args.scenario, seed=args.seed, rivals=args.rivals,
                         quarters=args.quarters, position=args.position, hub=args.hub, name=args.name,
                         deadline=args.deadline, autopilot=args.autopilot)
    folder = args.dir
    rivals = tallied(m.rivals) or "no bot rivals"
    closes = (f"{clock(m.deadline)} after it opens (the first, when the first team sits down)" if m.deadline
              else "when every team is in, or at `class next`")
    out(f"Shared class {m.name!r} in {folder}: {teams_words(len(m.teams))} and {len(m.rivals)} bot rivals in one world "
        f"({m.scenario['id']}, seed {m.seed}, {m.scenario['quarters']} quarters).")
    out(f"Every team: {with_article(m.position)}; rivals: {rivals}. A quarter closes {closes}; a team not in by then "
        + (f"is played by {m.autopilot}." if m.autopilot else "does nothing."))
    show(table(["Team", "Home hub", "Join code"], [[t.name, t.hub, t.code] for t in m.teams], "lll"))
    first = m.teams[0].name
    out(f"\nPlay a team:   blitzgame play --class {folder} --team {_quoted(first)}")
    out(f"In browsers:   blitzgame class serve {folder} --host 0.0.0.0   (each team types its join code)")
    out(f"Follow it:     blitzgame class status {folder} --watch")
    out(f"Close a quarter now: blitzgame class next {folder}")
    return 0


# --- status ------------------------------------------------------------------------------
def run_status(args) -> int:
    from blitzgame.classroom.manifest import load_manifest
    from blitzgame.classroom.shared import is_shared

    if is_shared(args.dir):
        return _shared_status(args)
    if args.watch:
        raise ValueError("--watch follows a shared class; this class's teams play their own campaigns")
    from blitzgame.classroom.team import team_state
    from blitzgame.session.report import count, money

    manifest = load_manifest(args.dir)
    states = [team_state(args.dir, team, manifest) for team in manifest.teams]
    if args.json:
        out(json.dumps([{
            "team": s.team, "lab": s.lab, "save": str(s.save), "status": s.status, "quarters_played": s.quarters_played,
            "quarters": s.quarters, "quarter": s.quarter if s.quarters_played else None, "next_quarter": s.next_quarter,
            "cash": s.cash, "gpus": s.gpus,  # (no rank or score before a quarter is played, as the table says "-")
            "rank": s.rank if s.quarters_played else None, "score": s.score if s.quarters_played else None,
            "saved_at": s.saved_at.isoformat() if s.saved_at else None, "bot": s.bot, "error": s.error or None,
            "rewinds": s.rewinds,
        } for s in states]))
        return 0
    rows = []
    for s in states:
        if s.status == "broken":
            rows.append([s.team, "-", "-", "-", "-", "-", "-", "-", f"broken: {s.error}", "-"])
            continue
        status = s.status + (f" ({s.bot})" if s.bot else "")
        if manifest.hold and s.status == "playing" and s.next_quarter is not None and held_at(s, manifest.hold):
            status = f"held at {s.next_quarter}" + (f" ({s.bot})" if s.bot else "")  # where it waits (past the hold: there)
        if s.rewinds:
            status += f", rewound {s.rewinds}x"
        saved = s.saved_at.astimezone().strftime("%Y-%m-%d %H:%M:%S") if s.saved_at else "-"
        rows.append([s.team, s.lab, s.quarter, f"{s.quarters_played}/{s.quarters}", money(s.cash), count(s.gpus),
                     str(s.rank) if s.quarters_played else "-", f"{s.score:,.1f}" if s.quarters_played else "-",
                     status, saved])
    out(f"Class {manifest.name}: {manifest.scenario}, seed {manifest.seed}"
        + ("" if manifest.rewind else "; rewinds off") + f"; every team against {tallied(manifest.rivals)}")
    if manifest.hold:
        out(f"Held at {manifest.hold}: teams that reach it wait (blitzgame class release {args.dir})")
    show(table(["Team", "Lab", "Last played", "Played", "Cash", "GPUs online", "Rank in game", "Score", "Status",
                "Saved"], rows, "lllrrrrrll", wrap={8: None}))
    done = sum(s.done for s in states)
    out("Score: the equity value the founders created, in $100M; rank in game: in the team's own campaign.")
    out(f"{done} of {len(states)} teams done.")
    return 0


def held_at(state, hold: str) -> bool:
    """Whether a team has reached the quarter its class is held at (its next quarter is it or later)."""
    from blitzgame.schemas.assets import quarter_index

    return quarter_index(hold, state.next_quarter) >= 0


def _shared_status(args) -> int:
    import time

    from blitzgame.classroom.shared import SharedClass

    shared = SharedClass(args.dir)
    try:
        if not args.watch:
            shared.resolve()  # a quarter whose deadline passed closes, as a team's screen would close it
            out(json.dumps(_shared_json(shared)) if args.json else _shared_text(shared))
            return 0
        try:
            while True:
                shared.resolve()
                text = json.dumps(_shared_json(shared)) if args.json else _shared_text(shared)
                print("\x1b[H\x1b[2J" + text, flush=True)  # clear the terminal, then the class
                if shared.game.over:
                    return 0
                time.sleep(1.0)
        except KeyboardInterrupt:
            return 0
    finally:
        shared.close()


def _race(shared) -> list[dict]:
    """Every lab's standing, as the lab itself sees it (the instructor sees every lab's own view)."""
    game = shared.game
    teams = len(shared.teams)
    race = []
    for k in range(game.n_labs):
        me = game.observe(k).me
        hub = game.world.hub_names[game.world.hub_index(game.setups[k].hub)]  # where it started: a hub's risks differ
        race.append({"lab": me.name, "team": k < teams, "bot": None if k < teams else shared.manifest.rivals[k - teams],
                     "hub": hub, "status": me.status, "rank": me.rank if game.quarter else None,
                     "gpus": me.online, "cash": me.cash, "share": me.share,
                     "stage": me.stage_name, "score": me.score})
    return race


def _shared_json(shared) -> dict:
    state = shared.state()
    return {
        "class": shared.manifest.name, "quarter": state.label, "quarters_played": state.quarter,
        "quarters": shared.world.quarters, "over": state.over, "deadline": state.deadline,
        "seconds_left": state.seconds_left(),
        "submitted": [{"team": s.team, "at": s.at} for s in state.submitted], "waiting": list(state.waiting),
        "held": shared.held(),
        "playing": list(state.playing), "labs": _race(shared),
    }


def _shared_text(shared) -> str:
    from blitzgame.classroom.shared import clock
    from blitzgame.cli_output import rendered
    from blitzgame.session.report import count, money

    state = shared.state()
    m = shared.manifest
    lines = [f"Shared class {m.name}: {m.scenario['id']}, seed {m.seed}, {teams_words(len(m.teams))}, "
             f"{len(m.rivals)} bot rivals"]
    if state.over:
        lines.append(f"The campaign is over ({quarters_words(state.quarter)} played): blitzgame class report "
                     f"{shared.folder}")
    else:
        left = state.seconds_left()
        if shared.held() is not None:
            when = f"HELD at {state.label} until `class release` (or `class next`)"
        elif left is not None:
            when = f"{clock(left)} left"
        elif m.deadline is not None:
            when = f"its {clock(m.deadline)} clock starts when the first team sits down"
        else:
            when = "no deadline (class next closes it)"
        lines.append(f"Quarter {state.label} ({state.quarter + 1} of {shared.world.quarters}): "
                     f"{len(state.submitted)} of {len(state.submitted) + len(state.waiting)} teams in, {when}")
        if state.waiting:
            lines.append("Waiting for: " + ", ".join(state.waiting))
    rows = []
    submitted = {s.team for s in state.submitted}
    for lab in sorted(_race(shared), key=lambda r: r["rank"] or 0):
        if lab["team"]:
            who = "in" if lab["lab"] in submitted else ("-" if lab["status"] != "alive" or state.over else "waiting")
            who += " · playing" if lab["lab"] in state.playing else ""
        else:
            who = f"bot: {lab['bot']}"
        rank = str(lab["rank"]) if lab["rank"] is not None else "-"  # nobody is ranked before a quarter is played
        rows.append([rank, lab["lab"], who, f"{lab['score']:,.1f}", count(lab["gpus"]), money(lab["cash"]),
                     f"{lab['share']:.1%}", lab["stage"], lab["status"], lab["hub"]])
    lines += rendered(table(["Rank", "Lab", "This quarter", "Score", "GPUs online", "Cash", "Share", "Stage", "Status",
                             "Home hub"], rows, "rllrrrrlll"))
    lines.append("Ranked by score: the equity value the founders created, in $100M (escape velocity first, "
                 "labs out of the race last).")
    return "\n".join(lines)


# --- next -------------------------------------------------------------------------------
def run_next(args) -> int:
    from blitzgame.classroom.shared import SharedClass

    shared = SharedClass(args.dir)
    try:
        state = shared.state()
        if state.over:
            raise ValueError(f"{args.dir}: the campaign is over; nothing to close")
        if args.quarter is not None and args.quarter.strip().upper() != state.label:
            raise ValueError(f"the open quarter is {state.label}, not {args.quarter.strip().upper()}: nothing closed")
        if args.quarter is None and state.opened is not None and time.time() - state.opened < NEXT_GUARD_S:
            raise ValueError(f"{state.label} opened {time.time() - state.opened:.0f} s ago, so nothing was closed (a "
                             f"second class next would skip it); to close it now: blitzgame class next {args.dir} "
                             f"--quarter {state.label}")
        if args.quarter is None and state.waiting and not state.submitted:  # (the usual slip: before anyone is in)
            stand_in = (f"the autopilot ({shared.manifest.autopilot}) would play every team" if shared.manifest.autopilot
                        else "every team's lab would do nothing")
            raise ValueError(f"no team has sent orders for {state.label} yet, so nothing was closed ({stand_in}); "
                             f"to close it anyway: blitzgame class next {args.dir} --quarter {state.label}")
        held = shared.held()
        shared.resolve(force=True, only=state.quarter)
        played = shared.sources(state.quarter)
        absent = [team for team, source in zip(shared.teams, played) if source in ("autopilot", "empty")]
        out(f"Closed {state.label}: " + (f"{', '.join(absent)} had not submitted ("
            + (f"played by {shared.manifest.autopilot})." if shared.manifest.autopilot else "did nothing).")
            if absent else "every team was in.") + (f" The hold at {held} is spent: the class runs on." if held else "")
            if shared.closed == state.quarter else
            f"{state.label} had already closed (its last orders, its deadline or another class next closed it); "
            "nothing more was closed.")
        now = shared.state()
        if not now.over:
            out(f"Now {now.label}.")
    finally:
        shared.close()
    return 0


NEXT_GUARD_S = 10  # class next leaves alone a quarter this fresh, unless it is named


# --- deadline --------------------------------------------------------------------------
def run_deadline(args) -> int:
    from blitzgame.classroom.shared import SharedClass, clock, parse_duration

    seconds = None if args.time.strip().lower() == "off" else parse_duration(args.time)
    with SharedClass(args.dir) as shared:
        if shared.state().over:
            raise ValueError(f"{args.dir}: the campaign is over; no quarter left to time")
        shared.set_deadline(seconds)
        state = shared.state()
    if seconds is None:
        out(f"No deadline from {state.label} on: a quarter closes when every team is in, or at `class next`.")
    else:
        left = state.seconds_left()
        now = f"{clock(left)} left in {state.label}" if left is not None else \
            f"{state.label}'s clock starts when the first team sits down"
        out(f"Quarters stay open {clock(seconds)} from {state.label} on: {now}.")
    return 0


# --- hold and release ----------------------------------------------------------------------
def run_hold(args) -> int:
    return _set_hold(args.dir, args.at.strip().upper())


def run_release(args) -> int:
    return _set_hold(args.dir, None)


def _set_hold(folder, quarter: str | None) -> int:
    """Hold the class at ``quarter`` (None: release it), separate campaigns or shared."""
    from blitzgame.classroom.manifest import load_manifest, write_manifest
    from blitzgame.classroom.shared import SharedClass, clock, is_shared
    from blitzgame.schemas.assets import quarter_index, quarter_label

    past: list[str] = []  # teams already past the quarter held at (separate campaigns)
    if is_shared(folder):
        with SharedClass(folder) as shared:
            start, quarters, played = shared.world.scenario.start, shared.world.quarters, shared.game.quarter
            if quarter is not None and shared.game.over:
                raise ValueError(f"{folder}: the campaign is over; nothing to hold")
            _check_hold(quarter, start, quarters)
            if quarter is not None and quarter_index(start, quarter) < played:  # a typo for a later quarter, likely
                raise ValueError(f"--at {quarter}: the class has played it already and is at {shared.game.label}; "
                                 f"hold at {shared.game.label} or later (a hold stops the class at the start of a "
                                 "quarter it has not played)")
            was = shared.manifest.hold
            restarted = shared.set_hold(quarter)
            where = f"at {shared.game.label}" if not shared.game.over else "over"
            if restarted is not None:
                where += f"; its deadline counts again from now: {clock(restarted - time.time())} to give orders"
    else:
        manifest = load_manifest(folder)
        start, quarters = _scenario_start(folder, manifest), manifest.quarters
        _check_hold(quarter, start, quarters)
        where = None
        if quarter is not None:
            from blitzgame.classroom.team import team_state

            index = quarter_index(start, quarter)
            states = [team_state(folder, t, manifest) for t in manifest.teams]
            at = {t.name: s.quarters_played for t, s in zip(manifest.teams, states) if s.status == "playing"}
            past = [name for name, done in at.items() if done > index]
            if at and len(past) == len(at):  # every team in play is past it: a typo for a later quarter, likely
                behind = quarter_label(start, min(at.values()))
                raise ValueError(f"--at {quarter}: every team has played it already (the furthest behind is at "
                                 f"{behind}); hold at {behind} or later (a hold stops teams at the start of a quarter "
                                 "they have not played)")
        was = manifest.hold
        write_manifest(folder, manifest.model_copy(update={"hold": quarter}))
    if quarter is None:
        out((f"Released from {was}: every team plays on" + (f" (the class is {where})." if where and was else "."))
            if was else "The class was not held: every team plays on.")
        return 0
    index = quarter_index(start, quarter)
    if was and was != quarter:  # one hold a class: the new one replaces it
        later = index > quarter_index(start, was)
        out(f"Moved the hold from {was} to {quarter}" + (f": teams waiting at {was} play on up to it." if later
                                                          else ", earlier: a team already past it waits where it is."))
    out(f"Held at {quarter}: a team that reaches it gives its orders but cannot play {quarter} until "
        f"`blitzgame class release {folder}`" + (f" (the class is {where})." if where else "."))
    if index == 0:
        out("That is the campaign's first quarter: teams can look around and give their orders, and nobody plays "
            "until you release the class.")
    if past:
        out(f"Already past {quarter}: {', '.join(past)}; each waits where it is, its next quarter unplayed until you "
            "release the class.")
    return 0


def _check_hold(quarter: str | None, start: str, quarters: int) -> None:
    from blitzgame.schemas.assets import quarter_index, quarter_label

    if quarter is None:
        return
    last = quarter_label(start, quarters - 1)
    try:
        index = quarter_index(start, quarter)
    except ValueError:
        index = -1
    if not 0 <= index < quarters:
        raise ValueError(f"--at: expected a quarter of the campaign, {start} to {last}, like 2025Q1; got {quarter!r}")


def _scenario_start(folder, manifest) -> str:
    from blitzgame.assets import AssetError, load_scenario

    try:
        return load_scenario(manifest.scenario).start
    except AssetError:  # a class made from a scenario file: its teams' saves have the scenario
        from blitzgame.classroom.team import open_team

        return open_team(folder, manifest.teams[0].name, manifest).game.world.scenario.start


# --- autoplay ----------------------------------------------------------------------------
def run_autoplay(args) -> int:
    from blitzgame.classroom.autoplay import autoplay
    from blitzgame.classroom.shared import is_shared

    bots = [b.strip() for b in args.bots.split(",") if b.strip()]
    if is_shared(args.dir):
        return _autoplay_shared(args, bots)
    results = autoplay(args.dir, bots, quarters=args.quarters, teams=args.team)
    for r in results:
        if r.busy:
            out(_skipped(r.team, args.dir))
            continue
        if r.bot is None:
            out(f"{r.team}: " + (f"the class is held at {r.held}; nothing played." if r.held else
                                 f"already done ({r.status}), nothing to play."))
            continue
        end = ("the campaign is over" if r.over else "the lab is out" if r.status != "alive" else
               f"held at {r.held} (class release lets it play on)" if r.held else "playing on")
        trouble = f"; {r.troubles} quarters with refused orders" if r.troubles else ""
        played = "1 quarter" if r.quarters == 1 else f"{r.quarters} quarters"
        out(f"{r.team}: {r.bot} played {r.first}..{r.last} ({played}): {r.status}, rank {r.rank}; "
            f"{end}{trouble}.")
    out(f"\nSee them: blitzgame class status {args.dir}   Debrief: blitzgame class report {args.dir}")
    return 0


def _skipped(team: str, folder) -> str:
    """The line for a team autoplay left out because someone is playing it."""
    return (f"{team}: someone is playing it (a terminal, browser tab or another autoplay); skipped. "
            f"Once that is closed: blitzgame class autoplay {folder} --bots BOT --team \"{team}\"")


def _autoplay_shared(args, bots: list[str]) -> int:
    from blitzgame.classroom.shared import autoplay_shared

    done = autoplay_shared(args.dir, bots, quarters=args.quarters, teams=args.team,
                           on_quarter=lambda label: out(f"{label} played."),
                           on_wait=lambda label, teams: out(
                               f"{label}: the bots' orders are in; waiting for {', '.join(teams) or 'the quarter to close'} "
                               "(or the deadline, or `blitzgame class next`)"))
    for team in done.skipped:
        out(_skipped(team, args.dir))
    if not done.quarters:
        out("The campaign is over; nothing to play." if done.over else
            f"Held at {done.held}: the bots' orders are in, nothing played (class release lets it play on; then "
            "autoplay again)." if done.held else "Nothing played: the quarter did not close.")
        return 0
    span = done.first if done.first == done.last else f"{done.first}..{done.last}"
    out(f"Played {span} ({quarters_words(done.quarters)}); "
        + ("the campaign is over." if done.over else
           f"held at {done.held} (class release lets it play on; then autoplay again)." if done.held else
           "the campaign goes on."))
    for team, bot, status, rank in done.teams:
        out(f"  {team}: {bot}, {status}, rank {rank}")
    out(f"\nSee it: blitzgame class status {args.dir}   Debrief: blitzgame class report {args.dir}")
    return 0


# --- report ------------------------------------------------------------------------------
def run_report(args) -> int:
    from blitzgame.classroom.report import LEADERBOARD_HEADERS, build_report, leaderboard_rows

    report = build_report(args.dir, args.out, whatifs=not args.no_whatif)
    show(table(LEADERBOARD_HEADERS, leaderboard_rows(report.teams), "rllrrrrrrrl"))
    broken = [t for t in report.teams if t.broken]
    for t in broken:
        out(f"{t.entry.name}: its save cannot be read: {t.state.error}")
    pages = len(report.team_pages)
    out(f"\nReport in {report.out}: index.html ({pages} team page{'' if pages == 1 else 's'}), class.md, results.csv "
        f"({report.rows} row{'' if report.rows == 1 else 's'}), {len(report.charts)} charts.")
    if report.removed:
        names = [p.name for p in report.removed]
        shown = ", ".join(names[:4]) + (f" and {len(names) - 4} more" if len(names) > 4 else "")
        out(f"Removed {len(names)} file{'' if len(names) == 1 else 's'} an earlier report wrote there for teams "
            f"not in this one: {shown}.")
    return 0


# --- serve -------------------------------------------------------------------------------
def run_serve(args) -> int:
    from blitzgame.classroom.serve import serve_class
    from blitzgame.web import checked_public_url

    given = None if args.public_url is None else checked_public_url(args.public_url, with_port=False)
    return serve_class(args.dir, args.host, args.port, public=given)


__all__ = ["add_parser"]
