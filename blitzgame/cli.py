"""The ``blitzgame`` command: ``blitzgame <subcommand> [options]`` (docs/design.md §7).

Every mistake on the command line is one line on stderr (``blitzgame: error: ...``) and
exit status 2, never a traceback. Heavy modules (numba, the engine) load inside the
subcommand that needs them, so ``blitzgame --help`` answers at once.
"""

import argparse
import json
import os
import sys
from pathlib import Path

from blitzgame import cli_args
from blitzgame.cli_output import out, show, table

USAGE_ERROR = 2
SUMMARY_WIDTH = 60  # `blitzgame scenarios`: a scenario's summary wraps under its title at this width


class UsageError(Exception):
    """A bad flag or value on the command line."""


class BlitzParser(argparse.ArgumentParser):
    """An argument parser whose errors become a ``UsageError`` (one line, exit 2) instead of
    a usage dump and ``sys.exit``, and that takes no abbreviated flag: ``class autoplay --bot X``
    is refused, not read as ``--bots X`` (which seats bots at every team)."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("allow_abbrev", False)
        super().__init__(*args, **kwargs)

    def error(self, message: str):
        # "--bots: ...", as the checks made after parsing word it (argparse says "argument --bots: ...")
        raise UsageError(message.removeprefix("argument "))


class HelpFormatter(argparse.HelpFormatter):
    """argparse measures subcommand names one indent short; leave room so help lines up."""

    def add_argument(self, action) -> None:
        super().add_argument(action)
        if isinstance(action, argparse._SubParsersAction):
            self._action_max_length += self._indent_increment


# --- values on the command line (whole numbers: blitzgame.cli_args) ----------------------
def bot_specs(text: str) -> list[str]:
    """A comma-separated list of bots: built-in or installed names, or ``path/to/file.py:Class``.

    Each is loaded and made once now, so a typo, a broken bot file or an ``__init__`` that fails
    stops the command before it plays.
    """
    from blitzgame.bots.loader import BotLoadError, make_bot

    specs = [spec.strip() for spec in text.split(",")]
    if not any(specs):
        raise argparse.ArgumentTypeError("name at least one bot, e.g. --bots baseline")
    if not all(specs):
        raise argparse.ArgumentTypeError(f"an empty bot name in {text!r} (a comma too many?)")
    for spec in specs:
        try:
            make_bot(spec)
        except BotLoadError as error:  # argparse would hide a ValueError's message
            raise argparse.ArgumentTypeError(one_line(str(error))) from None
    return specs


# --- the parser ------------------------------------------------------------------------
def build_parser() -> BlitzParser:
    """The ``blitzgame`` parser with its subcommands."""
    parser = BlitzParser(
        prog="blitzgame",
        description="The strategy game of the AI compute race: buy GPUs, hire talent, pick hubs, "
                    "survive the music stopping.",
        epilog="Run `blitzgame <command> --help` for the options of a command.",
        formatter_class=HelpFormatter,
    )
    from blitzgame import __version__

    parser.add_argument("--version", action="version", version=f"blitzgame {__version__}")
    commands = parser.add_subparsers(title="commands", dest="command", metavar="<command>", parser_class=BlitzParser)

    play = commands.add_parser("play", help="play a campaign in the terminal (the default command)",
                               description="Play a campaign in the terminal: the title screen, or straight into a "
                                           "game with --new or --load.")
    play.add_argument("--scenario", metavar="S", default=None,
                      help="scenario id (see `blitzgame scenarios`) or a .toml file for a new game")
    play.add_argument("--seed", type=cli_args.seed, default=None, metavar="N", help="random seed of a new game, 0..2**63-1")
    play.add_argument("--position", metavar="P", default=None,
                      help="your starting position in a new game: startup, challenger or incumbent")
    play.add_argument("--difficulty", type=_difficulty, default=None, metavar="D",
                      help="the rivals of a new game are drawn from this difficulty's pool: easy, normal, hard "
                           "(strategists among them) or expert (default: the scenario's)")
    play.add_argument("--think", type=cli_args.think, default=1, metavar="N",
                     help="strategist rivals weigh N times as many futures per decision (1..8, default 1): "
                          "slower, stronger")
    play.add_argument("--new", action="store_true", help="start a new campaign at once (default lab name and rivals)")
    play.add_argument("--load", metavar="FILE", default=None, help="play on from a save file")
    play.add_argument("--new-rules", action="store_true",
                      help="with --load: a save made by another version replays under this version's rules")
    play.add_argument("--class", dest="class_dir", metavar="DIR", default=None,
                      help="play a team of a class (see `blitzgame class`); with --team")
    play.add_argument("--team", metavar="NAME", nargs="+", type=str, default=None, action=cli_args.Words,
                      help="the team to play in --class DIR (a name of several words needs no quotes)")
    play.add_argument("--join-code", action="store_true",
                      help="with --class on a shared class: ask for the team's join code first (as the pages of "
                           "`blitzgame class serve` do)")
    play.set_defaults(run=run_play)

    serve = commands.add_parser("serve", help="serve the game to a browser tab (textual-serve)",
                                description="Serve the terminal game to web browsers: each tab plays its own campaign.")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)")
    serve.add_argument("--port", type=cli_args.port, default=8000, metavar="N", help="port to listen on (default 8000)")
    serve.add_argument("--class", dest="class_dir", metavar="DIR", default=None,
                       help="serve one team of a class (with --team); `blitzgame class serve` serves them all")
    serve.add_argument("--team", metavar="NAME", nargs="+", type=str, default=None, action=cli_args.Words,
                       help="the team to serve in --class DIR (a name of several words needs no quotes)")
    serve.add_argument("--public-url", metavar="URL", default=None,
                       help="the address browsers use (e.g. http://10.0.0.5:8000 or a proxy's); default: this "
                            "machine's LAN address when --host is 0.0.0.0")
    serve.set_defaults(run=run_serve)

    sim = commands.add_parser("sim", help="play one headless game, every lab a bot",
                              description="Play one game to its end with every lab run by a bot.")
    sim.add_argument("--seed", type=cli_args.seed, default=0, metavar="N", help="random seed, 0..2**63-1 (default 0)")
    sim.add_argument("--scenario", default="base-2024", metavar="S",
                     help="scenario id (see `blitzgame scenarios`) or a .toml file (default base-2024)")
    sim.add_argument("--labs", type=cli_args.labs, default=None, metavar="L",
                     help="number of labs, 2..8 (default: the scenario's roster)")
    sim.add_argument("--bots", type=bot_specs, default=["baseline"], metavar="a,b,...",
                     help="bots cycled over the seats: names (see `blitzgame bots`) or path/to/file.py:Class "
                          "(default baseline)")
    sim.add_argument("--difficulty", type=_difficulty, default=None, metavar="D",
                     help="the bots of --bots play the first labs, once each, and the others get rivals drawn "
                          "from this difficulty's pool, as a new campaign draws them: easy, normal, hard "
                          "(strategists among them) or expert")
    sim.add_argument("--think", type=cli_args.think, default=1, metavar="N",
                     help="strategists weigh N times as many futures per decision (1..8, default 1): "
                          "slower, stronger")
    sim.add_argument("--json", action="store_true", help="print one JSON object instead of the report")
    sim.add_argument("--save", metavar="FILE", help="also save the game to FILE (replay it with `blitzgame replay`)")
    sim.add_argument("--quiet", action="store_true", help="print only the final standings")
    sim.add_argument("--strict", action="store_true",
                     help="exit with status 1 if any bot's answer was refused (it raised, or gave invalid "
                          "orders; sim sets no time limit); without it, status 1 only when a bot had every answer "
                          "refused")
    sim.set_defaults(run=run_sim)

    scenarios = commands.add_parser("scenarios", help="list the built-in scenarios",
                                    description="List the built-in scenarios.")
    scenarios.add_argument("--json", action="store_true", help="print one JSON object")
    scenarios.set_defaults(run=run_scenarios)

    from blitzgame.scenario_cli import add_parser as add_scenario

    add_scenario(commands)

    bots = commands.add_parser("bots", help="list the bots you can name in --bots",
                               description="List every bot: the built-in ones and those installed through the "
                                           "`blitzgame.bots` entry point. Your own: --bots path/to/file.py:ClassName.")
    bots.add_argument("--json", action="store_true", help="print a JSON list")
    bots.set_defaults(run=run_bots)

    replay = commands.add_parser("replay", help="replay a saved game quarter by quarter",
                                 description="Load a save, verify it, and print the game's news quarter by quarter.")
    replay.add_argument("file", metavar="FILE", help="a save file")
    replay.set_defaults(run=run_replay)

    from blitzgame.classroom.cli import add_parser as add_class

    add_class(commands)

    from blitzgame.tournament.cli import add_parser as add_tournament

    add_tournament(commands).set_defaults(show_game=run_watch)

    fidelity = commands.add_parser(
        "fidelity", help="check that play teaches the blitzscaling thesis (T1-T7, balance)",
        description="Play tournaments between the built-in bots and print each teaching statement (T1-T7) "
                    "and balance rule with the figure measured for it. Nothing is scripted: the figures "
                    "are read off ordinary games.")
    fidelity.add_argument("--games", type=cli_args.fidelity_games, default=None, metavar="N",
                          help="games in the main base-2024 tournament (default 20000; side tournaments get a quarter, "
                               "each built-in scenario a tenth)")
    fidelity.add_argument("--seed", type=cli_args.seed, default=2024, metavar="S", help="tournament seed (default 2024)")
    fidelity.add_argument("--json", action="store_true", help="print one JSON object")
    fidelity.add_argument("--exploits", action="store_true",
                          help="instead, hunt for simple strategies (do nothing, raise and hoard, borrow the ceiling, "
                               "rent only, every order held constant, a cross-entropy search over constant actions) "
                               "that rank with the rivals the scenario seats (the archetypes, in all but the classroom "
                               "worlds); --games is then the games per strategy (default 400; a quarter against strategists)")
    fidelity.add_argument("--scenario", default=None, metavar="S",
                          help="with --exploits: the scenario to hunt on, an id or a .toml file (default base-2024), "
                               "or 'all' for every built-in scenario in turn")
    fidelity.add_argument("--difficulty", type=_difficulty, default=None, metavar="D",
                          help="with --exploits: hunt against the rivals of this difficulty (easy, normal, hard, expert; "
                               "normal is the six archetypes) instead of the scenario's own")
    fidelity.add_argument("--rounds", type=cli_args.hunt_rounds, default=None, metavar="N",
                          help="with --exploits: rounds of the cross-entropy search (default 12; 6 against strategists); "
                               "with --games, how hard it looks (a candidate plays a quarter of --games)")
    fidelity.set_defaults(run=run_fidelity)

    bench = commands.add_parser("bench", help="measure how fast the engine runs on this machine",
                                description="Measure how fast the engine runs on this machine.")
    bench.add_argument("--json", action="store_true", help="print one JSON object")
    bench.add_argument("--quick", action="store_true", help="a short run (seconds, less precise)")
    bench.add_argument("--markdown", action="store_true",
                       help="print the headline figures as a Markdown table (the README's Speed table)")
    bench.add_argument("--from", dest="source", type=Path, metavar="FILE",
                       help="render a saved `blitzgame bench --json` instead of measuring")
    bench.set_defaults(run=run_bench)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = build_parser()
    try:
        args = parser.parse_args(_watch_words(sys.argv[1:] if argv is None else list(argv)))
        if args.command is None:  # `blitzgame` alone plays in a terminal; piped or scripted, it shows help
            if not in_terminal():
                parser.print_help()
                return 0
            args = parser.parse_args(["play"])
        return args.run(args) or 0
    except SystemExit as done:  # --help and --version
        return done.code if isinstance(done.code, int) else 0
    except BrokenPipeError:  # e.g. `blitzgame sim | head`: the reader left, nothing to say
        _silence_stdout()
        return 0
    except (UsageError, ValueError, OSError) as error:
        print(f"blitzgame: error: {describe(error)}", file=sys.stderr)
        return USAGE_ERROR
    except KeyboardInterrupt:
        print("blitzgame: interrupted", file=sys.stderr)
        return 130


WATCH_HELP = """usage: blitzgame tournament watch DIR GAME [--quiet]

Play game GAME of the tournament in DIR again (its number in DIR/games.csv, 0 = the first), with
the same bots, seats and seed, and print it as `sim` prints a game: every quarter's labs and
headlines, the standings, and each bot's faults. Python bots play in processes of their own with
the tournament's move budget, as they did. Exit 1 if the replay does not end as games.csv
recorded it (a bot's code changed since, or it ran over its budget in one run and not the other).

options:
  -h, --help  show this help message and exit
  --quiet     only the standings and the faults, not every quarter

The same as: blitzgame tournament --out DIR --watch GAME"""


def _watch_words(argv: list[str]) -> list[str]:
    """``tournament watch DIR GAME [flags]`` is ``tournament --out DIR --watch GAME [flags]``; and a
    negative deadline (``class deadline DIR -3m``, ``class new ... --deadline -3m``, which argparse
    reads as a flag) is refused by name."""
    if argv[:2] == ["class", "deadline"]:
        negative = next((word for word in argv[2:] if len(word) > 1 and word[0] == "-" and word[1].isdigit()), None)
        if negative is not None:
            raise UsageError(f"class deadline: {negative!r} is negative; give a time from now like 5m, 90s or 1h "
                             "('off' for none)")
    if argv[:2] == ["class", "new"] and "--deadline" in argv:  # `--deadline -5m`: argparse reads -5m as a flag
        given = argv[argv.index("--deadline") + 1:argv.index("--deadline") + 2]
        if given and len(given[0]) > 1 and given[0][0] == "-" and given[0][1].isdigit():
            raise UsageError(f"--deadline: {given[0]!r} is negative; give how long each quarter stays open, like 5m, "
                             "90s or 1h")
    if argv[:2] != ["tournament", "watch"]:
        return argv
    if any(word in ("-h", "--help") for word in argv[2:]):
        print(WATCH_HELP)
        raise SystemExit(0)
    if len(argv) < 4 or argv[2].startswith("-"):
        raise UsageError("tournament watch: give the tournament's folder and a game number, "
                         "e.g. blitzgame tournament watch tournament-out 12")
    if not argv[3].isdigit():
        raise UsageError(f"tournament watch: GAME is a game's number in games.csv (0 = the first), got {argv[3]!r}")
    return ["tournament", "--out", argv[2], "--watch", argv[3], *argv[4:]]  # (--quiet, say)


def describe(error: Exception) -> str:
    """An error as one line for the player."""
    if isinstance(error, OSError) and error.strerror:
        where = f"{error.filename}: " if error.filename else ""
        return one_line(f"{where}{error.strerror}")
    return one_line(str(error))


def _silence_stdout() -> None:
    """Point stdout at /dev/null so Python's final flush does not complain about the pipe."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def one_line(message: str) -> str:
    """Collapse a message to one line (asset errors list one problem per line)."""
    return "; ".join(line.strip() for line in message.splitlines() if line.strip()) or "unknown error"


# --- play and serve ----------------------------------------------------------------------
def in_terminal() -> bool:
    """Whether a person is at a terminal (stdin and stdout both a TTY)."""
    try:
        return sys.stdin.isatty() and sys.stdout.isatty()
    except (AttributeError, ValueError):  # closed or replaced streams
        return False


def _launch(app) -> None:
    """Run the terminal game: on a terminal, or on the page textual-serve opens (its driver set in
    ``TEXTUAL_DRIVER``). Piped or redirected, it would write screens of escape codes where no one
    sees them and wait for keys that never come: refused, saying what to run instead."""
    if not (in_terminal() or os.environ.get("TEXTUAL_DRIVER")):
        raise UsageError("play draws the game on a terminal, and this one's input or output is not one: run it in "
                         "a terminal window (`blitzgame serve` plays it in a browser, `blitzgame sim` plays a "
                         "headless game of bots)")
    app.run()


def run_play(args) -> int:
    """The terminal game: the title screen, or a campaign at once (--new, --load).

    The engine (numba) is imported here only for --new and --load: otherwise the title
    opens at once and a worker warms the engine behind it."""
    if args.new_rules and not args.load:
        raise UsageError("--new-rules goes with --load FILE: it replays an older save under this version's rules")
    if args.load and (args.new or args.scenario or args.seed is not None or args.position or args.difficulty):
        raise UsageError("--load plays a saved campaign; --new, --scenario, --seed, --position and --difficulty set "
                         "up a new one")
    if args.class_dir is not None or args.team is not None:
        return run_play_team(args)
    if args.position is not None:
        from blitzgame.assets import load_positions

        positions = list(load_positions().model_dump())
        if args.position not in positions:
            raise UsageError(f"--position: expected one of {', '.join(positions)}, got {args.position!r}")
    if args.scenario is not None:
        from blitzgame.assets import load_scenario

        load_scenario(args.scenario)  # an unknown scenario is a one-line error before the screen opens
    campaign = None
    if args.load:
        from blitzgame.session.campaign import Campaign
        from blitzgame.session.saves import RulesChanged

        try:
            campaign = Campaign.load(args.load, new_rules=args.new_rules)
        except RulesChanged as error:
            raise UsageError(f"{error}; add --new-rules to play it on under them (the file is kept as it is)") from None
    elif args.new:
        from blitzgame.tui.screens.new_game import quick_campaign

        campaign = quick_campaign(args.scenario, args.seed, args.position, think=args.think, difficulty=args.difficulty)
    from blitzgame.tui.app import BlitzApp

    _launch(BlitzApp(campaign, scenario=args.scenario, seed=args.seed, position=args.position, think=args.think,
                     difficulty=args.difficulty))
    return 0


def run_play_team(args) -> int:
    """``play --class DIR --team NAME``: the team's save, played on and saved back every quarter."""
    if args.class_dir is None or args.team is None:
        raise UsageError("--class DIR and --team NAME go together: the class folder and the team to play")
    if args.load or args.new or args.scenario or args.seed is not None or args.position:
        raise UsageError("--class plays a team's saved campaign; --load, --new, --scenario, --seed and --position "
                         "do not go with it")
    from blitzgame.classroom.shared import is_shared
    from blitzgame.classroom.team import locked_team

    if is_shared(args.class_dir):
        return _play_shared_team(args)
    if args.join_code:
        return _play_team_with_code(args)
    with locked_team(args.class_dir, args.team) as campaign:  # refused if another tab or terminal plays it
        from blitzgame.tui.app import BlitzApp

        _launch(BlitzApp(campaign))
    return 0


def _play_team_with_code(args) -> int:
    """A team of a class of separate campaigns behind its join code (a page of `class serve`)."""
    from blitzgame.classroom.team import TeamDoor
    from blitzgame.tui.app import BlitzApp

    door = TeamDoor(args.class_dir, args.team)
    try:
        _launch(BlitzApp(join=(door.team, door)))
    finally:
        door.close()
    return 0


def _play_shared_team(args) -> int:
    """A team of a shared class: its seat in the one world, claimed for this process."""
    from blitzgame.classroom.shared import SharedClass
    from blitzgame.classroom.shared_play import SharedCampaign
    from blitzgame.tui.app import BlitzApp

    opened: list = []
    if args.join_code:
        with SharedClass(args.class_dir) as shared:  # a wrong team is a one-line error before the page opens
            team = shared.teams[shared.team_index(args.team)]

        def join(code: str):
            opened.append(SharedCampaign.open(args.class_dir, team, code=code))
            return opened[-1]

        app = BlitzApp(join=(team, join))
    else:
        opened.append(SharedCampaign.open(args.class_dir, args.team))  # refused if another window plays the team
        app = BlitzApp(opened[0])
    try:
        _launch(app)
    finally:
        for campaign in opened:
            campaign.close()
    return 0


def run_serve(args) -> int:
    """Serve ``blitzgame play`` to browsers with textual-serve (one game process per tab)."""
    import tempfile

    from textual_serve.server import Server

    command = f'"{sys.executable}" -m blitzgame play'
    code = None  # the team's join code, which its page asks for
    if args.class_dir is not None or args.team is not None:
        if args.class_dir is None or args.team is None:
            raise UsageError("--class DIR and --team NAME go together: the class folder and the team to serve")
        from blitzgame.classroom.serve import play_command
        from blitzgame.classroom.shared import SharedClass, is_shared
        from blitzgame.classroom.team import open_team

        if is_shared(args.class_dir):  # each tab asks for the team's join code
            with SharedClass(args.class_dir) as shared:
                index = shared.team_index(args.team)
                team, code = shared.teams[index], shared.manifest.teams[index].code
            command = play_command(args.class_dir, team, join_code=True)
        else:
            campaign = open_team(args.class_dir, args.team)  # a missing team or a broken save stops here
            team = campaign.team
            code = campaign.rules().team(team).code if campaign.rules() is not None else None
            command = play_command(args.class_dir, team, join_code=code is not None)
    from blitzgame.web import WILDCARDS, checked_public_url, local_templates, public_url

    given = None if args.public_url is None else checked_public_url(args.public_url)
    url = public_url(args.host, args.port, given)
    every = " (listening on every interface)" if args.host in WILDCARDS else ""
    out(f"Serving Blitzgame at {url}{every} (Ctrl+C stops)" + (f"; the page asks for join code {code}" if code else ""))
    sys.stdout.flush()  # the address now, not when the server stops (a log file is block-buffered)
    with tempfile.TemporaryDirectory(prefix="blitzgame-page-") as page:  # nothing fetched from outside the room
        Server(command, host=args.host, port=args.port, title="Blitzgame", public_url=url,
               templates_path=local_templates(Path(page))).serve()
    return 0


# --- sim ---------------------------------------------------------------------------------
def run_sim(args) -> int:
    """Play one headless game and print it (report, or JSON)."""
    from blitzgame.session.game import Game
    from blitzgame.session.headless import close_seats, kernels_for, play_headless, seats_for

    if args.save:
        check_writable(args.save)
    from blitzgame._jit_cache import compile_notice
    from blitzgame.bots.base import with_think
    from blitzgame.formats import tallied

    game = Game.new(args.scenario, seed=args.seed, labs=args.labs)
    if len(args.bots) > game.n_labs:  # cycled to fill the labs: a bot past the last lab would never play
        raise UsageError(f"--bots names {len(args.bots)} bots for {game.n_labs} labs; name at most {game.n_labs}, "
                         f"or give --labs {len(args.bots)}")
    bots = list(args.bots)
    if args.difficulty:
        from blitzgame.session.rivals import with_rivals

        bots += with_rivals(len(bots), game.n_labs, args.seed, args.difficulty)
    specs, note = with_think(bots, args.think)
    if note:
        print(f"blitzgame: note: {note}", file=sys.stderr)
    seats = seats_for(specs, game.n_labs, budget=None, sandbox=False)  # in this process, untimed
    notice = compile_notice(*kernels_for(specs))
    if notice and not args.json:
        print(notice, file=sys.stderr, flush=True)
    try:
        play_headless(game, seats)
    finally:
        close_seats(seats)
    names = [seat.name for seat in seats]
    if args.save:
        from blitzgame.session.saves import save_game

        save_game(game, args.save, names)
    status = _refused_status(game, seats, args.strict)
    if args.json:
        out(json.dumps(game_summary(game, names) | {"bot_problems": bot_problems(game, seats)}, allow_nan=False))
        return status
    scenario = game.world.scenario
    out(f"{scenario.title} ({scenario.id}), seed {game.seed}: {game.n_labs} labs played by {tallied(names)}; "
        f"{seats_line(game, names)}")
    show_game(game, names, args.quiet)
    show(*bot_block(game, seats))
    if args.save:
        out(f"\nSaved to {args.save}; replay it with: blitzgame replay {args.save}")
    return status


def _refused_status(game, seats, strict: bool) -> int:
    """A line on stderr per bot whose answers were refused (so a report sent to a file does not
    hide them), and the exit status: 1 for any with ``strict``, else only for a bot none of
    whose answers was played; 0 otherwise."""
    from blitzgame.session.headless import seat_trouble

    wrong = [seat for seat in seats if sum(seat.counts.values())]
    hopeless = [seat for seat in wrong if sum(seat.counts.values()) >= seat.decisions > 0]
    for line in seat_trouble(seats, game.names):
        print(f"blitzgame: {line}", file=sys.stderr)
    failing = wrong if strict else hopeless
    if not failing:
        if wrong:
            print("blitzgame: those labs played empty orders in those quarters (--strict makes this exit 1)",
                  file=sys.stderr)
        return 0
    if hopeless:
        names = ", ".join(dict.fromkeys(seat.name for seat in hopeless))
        print(f"blitzgame: every answer of {names} was refused: its labs played empty orders all game", file=sys.stderr)
    elif strict:
        refused = sum(sum(seat.counts.values()) for seat in wrong)
        answers = "1 of the bots' answers was" if refused == 1 else f"{refused} of the bots' answers were"
        print(f"blitzgame: --strict: {answers} refused (those labs played empty orders those quarters): exit status 1",
              file=sys.stderr)
    return 1


def run_watch(args) -> int:
    """``tournament --out DIR --watch GAME``: one game of a tournament again, printed as `sim` prints."""
    from blitzgame.bots.loader import shown_name
    from blitzgame.limits import DEFAULT_OUT
    from blitzgame.session.headless import seat_trouble
    from blitzgame.tournament.runner import watch_game

    out_dir = args.out or DEFAULT_OUT
    given = [flag for flag, value in (("--bots", args.bots), ("--games", args.games), ("--labs", args.labs),
                                      ("--seed", args.seed), ("--scenario", args.scenario), ("--workers", args.workers),
                                      ("--think", args.think), ("--move-budget", args.move_budget),
                                      ("--address", args.address), ("--resume", args.resume))
             if value not in (None, False)]
    if given:
        raise UsageError(f"--watch plays a game of the tournament in --out as it was: {', '.join(given)} cannot go with it")
    watched = watch_game(out_dir, args.watch)
    game = watched.game
    names = [shown_name(spec) for spec in watched.bots]
    scenario = game.world.scenario
    out(f"Game {args.watch} of the tournament in {out_dir}: {scenario.title} ({scenario.id}), game seed "
        f"{watched.seed}; {seats_line(game, names)}")
    if watched.rules_changed:
        print("blitzgame: note: Blitzgame's own code or data changed since the tournament played; this replay plays "
              "the game under the rules as they are now", file=sys.stderr)
    for spec in watched.changed:
        print(f"blitzgame: note: the code of {shown_name(spec)} changed since the tournament played; this replay "
              "plays it as it is now", file=sys.stderr)
    show_game(game, names, args.quiet)
    show(*bot_block(game, watched.seats))
    for line in seat_trouble(watched.seats, game.names):  # (on stderr too, as sim says them)
        print(f"blitzgame: {line}", file=sys.stderr)
    forfeited = [f"{game.names[k]} ({names[k]})" for k, seat in enumerate(watched.seats) if seat.counts["forfeits"]]
    if forfeited:
        out(f"In the tournament's ranking (games.csv) a seat that forfeited ranks after every seat that did not, "
            f"whatever its lab's score: {', '.join(forfeited)} forfeited this game.")
    if not watched.matches:
        changes = (["Blitzgame's own code or data"] if watched.rules_changed else []) + [
            f"the code of {shown_name(spec)}" for spec in watched.changed]
        why = (f"{' and '.join(changes)} changed since it played" if changes else
               "a bot ran over its move budget in one run and not in the other (a bot's time differs run to run)"
               if watched.budget_hit else
               "a bot answered the same observations differently: a bot must be deterministic (random numbers "
               "seeded from obs.seed, not the clock; nothing kept from an earlier game in a module's variables, "
               "as a tournament's bot process plays many games)")
        print(f"blitzgame: this replay does not end as games.csv recorded the game: {why}", file=sys.stderr)
        return 1
    return 0


def seats_line(game, names: list[str]) -> str:
    """Which bot plays which lab: "seats: Northstar AI (mybot), Helix Labs (sprinter), ..."."""
    return "seats: " + ", ".join(f"{lab} ({bot})" for lab, bot in zip(game.names, names))


def show_game(game, names: list[str], quiet: bool) -> None:
    """A played game as `sim` prints it: every quarter (unless ``quiet``), then the standings."""
    if not quiet:
        for k in range(len(game.reports)):
            out()
            show(*quarter_block(game, k))
    out()
    show(*final_block(game, names))


def bot_block(game, seats) -> list[str]:
    """How the Python bots fared (decisions, time) and one line per lab whose bot went wrong."""
    from blitzgame.bots.sandbox import seconds_text
    from blitzgame.limits import DEFAULT_MOVE_BUDGET
    from blitzgame.session.headless import seat_trouble

    trouble = seat_trouble(seats, game.names)
    python = [seat for seat in seats if not seat.compiled]
    if not python and not trouble:
        return []
    wrong = sum(sum(seat.counts.values()) for seat in seats)
    went_wrong = f"{wrong} went wrong (those quarters the lab played empty orders):"
    if python:
        quarters = sum(seat.decisions for seat in python)  # (a forfeited quarter is one: the bot was not asked)
        thinking = sum(seat.bot_seconds for seat in python)
        slowest = max(seat.slowest for seat in python)
        who = ", ".join(dict.fromkeys(seat.name for seat in python))
        budget = (f" (a tournament's move budget is {seconds_text(DEFAULT_MOVE_BUDGET)} by default)"
                  if slowest > DEFAULT_MOVE_BUDGET / 4 else "")
        head = (f"Python bots ({who}): {quarters} {'decision' if quarters == 1 else 'decisions'} (a lab's quarter each), "
                f"{seconds_text(thinking)} deciding, the slowest {seconds_text(slowest)}{budget}; "
                + (went_wrong if trouble else "every answer valid."))
    else:
        head = f"Bot decisions: {went_wrong}"
    return ["", head] + [f"  {line}" for line in trouble]


def bot_problems(game, seats) -> list[dict]:
    """``sim --json``'s ``bot_problems``: per lab whose bot went wrong, how often in each way
    (errors, invalids, timeouts, forfeits) and the first few problems."""
    return [{"lab": name, "bot": seat.name, **seat.counts,
             "first": [{"quarter": p.quarter, "outcome": p.outcome, "message": p.message} for p in seat.problems[:3]]}
            for name, seat in zip(game.names, seats) if sum(seat.counts.values())]


def check_writable(path: str) -> None:
    """Refuse a save path in a folder that does not exist before playing, not after."""
    folder = Path(path).parent
    if not folder.is_dir():
        raise ValueError(f"cannot save to {path}: there is no folder {folder}")
    if Path(path).is_dir():
        raise ValueError(f"cannot save to {path}: it is a folder")


def _num(value, digits: int) -> float:
    """A float rounded for output; -0.0 becomes 0.0 so equal games print equal bytes."""
    return round(float(value), digits) + 0.0


def game_summary(game, bots: list[str | None]) -> dict:
    """The ``sim --json`` object (docs/design.md §7): outcome, labs and per-quarter history."""
    from blitzgame.session.standings import standings

    now = standings(game)
    labs = [{"name": lab.name, "bot": bots[lab.index], "status": lab.status, "gpus": _num(lab.gpus, 1),
             "gpus_owned": _num(lab.gpus_owned, 1), "cash": _num(lab.cash, 3), "share": _num(lab.share, 6),
             "valuation": _num(lab.valuation, 3), "score": _num(lab.score, 3), "rank": lab.rank}
            for lab in now.labs]
    history = []
    for k, report in enumerate(game.reports, 1):
        then = standings(game, k)
        history.append({
            "label": report.label, "sentiment": _num(then.sentiment, 4),
            "revenue_gap": _num(then.revenue_gap, 4), "spot": _num(then.spot, 4),
            "labs": [{"name": lab.name, "status": lab.status, "gpus": _num(lab.gpus, 1), "cash": _num(lab.cash, 3),
                      "share": _num(lab.share, 6)} for lab in then.labs],
        })
    return {
        "seed": game.seed,
        "scenario": game.world.scenario.id,
        "quarters_played": game.quarter,
        "music_stopped": now.music_stopped,
        "regime": now.regime,
        "winner": now.by_rank()[0].name,  # first in the standings, as ``blitzgame.play(...).winner``
        "escape_velocity": game.names[now.winner] if now.winner is not None else None,
        "labs": labs,
        "history": history,
    }


def quarter_block(game, k: int) -> list:
    """Quarter ``k`` of a played game: market line, a table of labs, and the key news (lines
    and a table, for ``show``)."""
    from blitzgame.formats import count, money
    from blitzgame.session.standings import standings

    before, after = standings(game, k), standings(game, k + 1)
    # each figure as the quarter started (what the bots saw, and the orders paid) -> as it ended
    lines = [f"{game.reports[k].label}  sentiment {before.sentiment:.2f} -> {after.sentiment:.2f}  |  "
             f"revenue gap {before.revenue_gap:.1f}x -> {after.revenue_gap:.1f}x  |  "
             f"GPU spot x{before.spot:.2f} -> x{after.spot:.2f}"]
    rows = []
    for was, lab in zip(before.labs, after.labs):
        gone = not was.alive  # out before this quarter: nothing new to show
        rows.append([lab.name, lab.status, count(lab.gpus), money(lab.cash), f"{lab.share:.1%}",
                     "-" if gone else money(lab.revenue)])
    lines.append(table(["Lab", "Status", "GPUs online", "Cash", "Market share", "Revenue (quarter)"], rows, "llrrrr",
                       indent=2))
    lines += [f"  >> {text}" for text in key_news(game, k)]
    return lines


def key_news(game, k: int) -> list[str]:
    """The headlines of quarter ``k`` (the report marks them): the world's big turns and labs
    that went under."""
    return [news.text if news.lab is None else f"{game.names[news.lab]}: {news.text}"
            for news in game.reports[k].news if news.headline]


def final_block(game, bots: list[str | None]) -> list:
    """Final standings, best first, and how the game ended (lines and a table, for ``show``)."""
    from blitzgame.formats import count, money
    from blitzgame.session.standings import standings

    now = standings(game)
    first, last = game.world.label(0), game.world.label(max(game.quarter - 1, 0))
    lines = [f"Standings after {game.quarter} of {game.world.quarters} quarters ({first}..{last})"]
    rows = [[str(lab.rank), lab.name, bots[lab.index] or "human", lab.status, count(lab.gpus), money(lab.cash),
             f"{lab.share:.1%}", money(lab.valuation), f"{lab.stake:.0%}", f"{lab.score:,.1f}"] for lab in now.by_rank()]
    lines.append(table(["#", "Lab", "Played by", "Status", "GPUs online", "Cash", "Share", "Valuation", "Founders",
                        "Score"], rows, "rlllrrrrrr", indent=2))
    lines.append("Score: a point per $100M of value the founders created: their stake of the lab's fair value, less "
                 "what they had at the start. Rounds sold dilute the stake, so the lab that holds the most can score "
                 "the least (the encyclopedia's \"Winning, score and outcomes\", ? in the game)."
                 + (" A lab that reached escape velocity ranks first whatever its score." if now.winner is not None
                    else ""))
    lines.append("")
    if now.winner is not None:
        lines.append(f"{game.names[now.winner]} reached escape velocity and dominates the market.")
    lines.append(f"The music stopped in {now.music_stopped}." if now.music_stopped else "The music never stopped.")
    lines.append("The endgame was still undecided." if now.regime == "undecided" else f"Endgame: {now.regime}.")
    return lines


# --- scenarios ---------------------------------------------------------------------------
def run_scenarios(args) -> int:
    """List the built-in scenarios."""
    from blitzgame.assets import load_scenario, scenario_ids
    from blitzgame.schemas.assets import quarter_label

    scenarios = [load_scenario(name) for name in scenario_ids()]
    if args.json:
        out(json.dumps({"scenarios": [{
            "id": s.id, "title": s.title, "summary": s.summary, "start": s.start,
            "end": quarter_label(s.start, s.quarters - 1), "quarters": s.quarters, "regime": s.regime,
            "labs": len(s.labs), "shocks": len(s.shocks), "difficulty": s.difficulty,
        } for s in scenarios]}))
        return 0
    from rich.text import Text

    rows = [[s.id, Text.assemble(s.title, "\n", (s.summary, "dim")), f"{s.start}..{quarter_label(s.start, s.quarters - 1)}",
             str(s.quarters), str(len(s.labs)), str(len(s.shocks)), s.difficulty] for s in scenarios]
    show(table(["Scenario", "Title", "Campaign", "Quarters", "Labs", "Shocks", "Rivals"], rows, "lllrrrl",
               wrap={1: SUMMARY_WIDTH}, spaced=True))
    out("\nRivals: the difficulty a new game or class draws its bot rivals at (normal: the six archetypes; expert: "
        "strategists, which plan).")
    out("Play one headless: blitzgame sim --scenario <id> --seed 42")
    return 0


# --- bots --------------------------------------------------------------------------------
def run_bots(args) -> int:
    """List every bot that ``--bots`` accepts by name."""
    from dataclasses import asdict

    from blitzgame.bots.loader import list_bots

    bots = list_bots()
    if args.json:
        out(json.dumps([asdict(bot) for bot in bots]))
        return 0
    rows = [[bot.name, bot.kind, bot.origin, bot.summary] for bot in bots]
    show(table(["Bot", "Kind", "Origin", "Summary"], rows, "llll", wrap={3: None}))
    out("\nPlay them: blitzgame sim --bots baseline,<name>   Your own bot: --bots path/to/file.py:ClassName")
    out("The strategist thinks harder with --think N (1..8; it then plays as strategist@N).")
    return 0


# --- replay ------------------------------------------------------------------------------
def run_replay(args) -> int:
    """Load a save (verifying it) and print its game quarter by quarter."""
    from blitzgame.session.saves import load_game

    game, bots = load_game(args.file)
    scenario = game.world.scenario
    out(f"Replay of {args.file}: {scenario.title} ({scenario.id}), seed {game.seed}, "
        f"{game.quarter} of {scenario.quarters} quarters played")
    out("Verified: replaying the orders reproduces the saved state exactly.")
    out("Labs: " + ", ".join(f"{name} ({bot or 'human'})" for name, bot in zip(game.names, bots)))
    for report in game.reports:
        out()
        out(f"== {report.label} " + "=" * 60)
        for line in news_by_phase(game, report):
            out(line)
    out()
    show(*final_block(game, bots))
    return 0


def news_by_phase(game, report) -> list[str]:
    """A quarter's news grouped under its phases; world news first in each phase. A lab's news
    is its report, written to its player ("You got ..."), so it is shown addressed to the lab."""
    lines, phase = [], None
    for news in report.news:
        if news.phase != phase:
            phase = news.phase
            lines.append(f"  {phase[0].upper()}{phase[1:]}".replace("Gpu", "GPU"))
        who = "World" if news.lab is None else f"To {game.names[news.lab]}"
        lines.append(f"    {who}: {news.text}")
    return lines


# --- fidelity and bench ------------------------------------------------------------------
def _difficulty(text: str) -> str:
    """An argparse type: a difficulty of a campaign's rivals (``schemas.assets.DIFFICULTY_LEVELS``,
    read only when the flag is given)."""
    from blitzgame.schemas.assets import DIFFICULTY_LEVELS

    if text not in DIFFICULTY_LEVELS:
        raise argparse.ArgumentTypeError(f"unknown difficulty {text!r}; choose one of {', '.join(DIFFICULTY_LEVELS)}")
    return text


def run_fidelity(args) -> int:
    """Measure the teaching statements; exit 0 whether or not they hold (the report says)."""
    from blitzgame.tournament import fidelity

    given = [flag for flag, value in (("--scenario", args.scenario), ("--difficulty", args.difficulty),
                                      ("--rounds", args.rounds)) if value is not None]
    if given and not args.exploits:
        flag = given[0]
        raise UsageError(f"{flag} goes with --exploits: the statements are measured on base-2024 and, for B4, "
                         "on every built-in scenario")
    if args.exploits:
        from blitzgame.assets import load_scenario, scenario_ids
        from blitzgame.tournament import exploits

        if args.scenario == "all":  # one hunt per built-in scenario, then each verdict in a line
            hunts = [exploits.hunt(games=args.games or 400, seed=args.seed, scenario=load_scenario(s),
                                   difficulty=args.difficulty, rounds=args.rounds) for s in scenario_ids()]
            out(json.dumps({"holds": all(h.holds for h in hunts), "hunts": [exploits.as_json(h) for h in hunts]})
                if args.json else "\n\n".join([*map(exploits.render, hunts), exploits.render_verdicts(hunts)]))
            return 0
        scenario = load_scenario(args.scenario or "base-2024")  # an unknown one is a one-line error
        found = exploits.hunt(games=args.games or 400, seed=args.seed, scenario=scenario, difficulty=args.difficulty,
                              rounds=args.rounds)
        out(json.dumps(exploits.as_json(found)) if args.json else exploits.render(found))
        return 0
    games = args.games or 20000
    checks, bots = fidelity.measure(games, args.seed)
    out(json.dumps(fidelity.as_json(checks, bots, games, args.seed)) if args.json
        else fidelity.render(checks, bots, games))
    return 0


def run_bench(args) -> int:
    """Time the engine on this machine."""
    import importlib

    try:
        bench = importlib.import_module("blitzgame.bench")
    except ModuleNotFoundError as error:
        if error.name != "blitzgame.bench":
            raise
        raise ValueError("the benchmark is not part of this installation") from None
    if args.source and args.quick:
        raise UsageError("--from renders a saved run: --quick has nothing to measure")
    results = _saved_bench(args.source) if args.source else bench.run(quick=args.quick)
    out(json.dumps(results) if args.json else bench.markdown(results) if args.markdown else bench.render(results))
    return 0


def _saved_bench(path: Path) -> dict:
    """A saved ``blitzgame bench --json``, refused with a reason unless it is one."""
    try:
        results = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValueError(f"{path}: not the JSON `blitzgame bench --json` prints ({error})") from None
    if not isinstance(results, dict) or not isinstance(results.get("targets"), dict) or "machine" not in results:
        raise ValueError(f"{path}: not the output of `blitzgame bench --json` (no targets or machine)")
    return results
