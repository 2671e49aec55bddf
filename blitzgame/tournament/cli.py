"""``blitzgame tournament``: many games between bots, rated (docs/design.md §7).

``add_parser(subcommands)`` adds the subcommand to the ``blitzgame`` parser and
``run(args)`` plays it. Every value is checked by ``schemas.tournament`` so a bad one is a
``ValueError`` with one line (the ``blitzgame`` command prints it and exits 2). Ctrl-C
stops cleanly: what is finished stays in ``--out`` and the command says how to resume
(exit 130).
"""

import argparse
import shlex
import sys

from blitzgame.cli_output import show, table

FIELDS = ("bots", "games", "labs", "seed", "scenario", "workers", "backend", "address", "move_budget", "out")
INTERRUPTED = 130
FAILED = 1


def add_parser(subcommands) -> argparse.ArgumentParser:
    """Add ``tournament`` to a ``blitzgame`` subcommand set; returns its parser."""
    from blitzgame.limits import DEFAULT_GAMES, DEFAULT_MOVE_BUDGET, DEFAULT_OUT

    parser = subcommands.add_parser(
        "tournament", help="play many games between bots and rate them",
        description="Play a round-robin of games between bots (every bot meets every other, in every seat "
                    "equally often), rate them, and write DIR/games.csv and DIR/summary.json. The same seed "
                    "gives the same files whatever the worker count or backend.",
        epilog="Any game can be watched again: blitzgame tournament watch DIR GAME (or --out DIR --watch GAME; "
               "GAME is its number in games.csv).")
    parser.add_argument("--bots", metavar="a,b,...",
                        help="two or more bots: names (see `blitzgame bots`) or path/to/file.py:Class")
    parser.add_argument("--games", metavar="N", help=f"games to play (default {DEFAULT_GAMES})")
    parser.add_argument("--labs", metavar="L", help="labs per game, 2..8 (default: the scenario's roster)")
    parser.add_argument("--seed", metavar="S", help="tournament seed, 0..2**63-1 (default 0)")
    parser.add_argument("--scenario", metavar="S", help="scenario id or a .toml file (default base-2024)")
    parser.add_argument("--workers", metavar="W", help="worker processes (default: one per core)")
    parser.add_argument("--backend", choices=("local", "ray"),
                        help="local processes (default) or Ray (pip install 'blitzgame[ray]')")
    parser.add_argument("--address", metavar="ADDR", help="Ray cluster to join (default: start a local Ray)")
    parser.add_argument("--move-budget", metavar="SECONDS",
                        help=f"seconds a Python bot may think per quarter (default {DEFAULT_MOVE_BUDGET:g})")
    parser.add_argument("--think", metavar="N",
                        help="strategists weigh N times as many futures per decision (1..8, default 1); "
                             "they play as strategist@N")
    parser.add_argument("--out", metavar="DIR", help=f"output folder (default {DEFAULT_OUT})")
    parser.add_argument("--resume", action="store_true",
                        help="continue the tournament in --out (settings not given are taken from it)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.add_argument("--strict", action="store_true",
                        help="exit with status 1 if any bot's answer was refused (an error, invalid orders, a timeout) "
                             "or a game forfeited; without it, they are listed under the standings and on stderr")
    parser.add_argument("--watch", metavar="GAME", type=int,
                        help="play game GAME (0 = the first) of the tournament in --out again, its bots in their "
                             "seats, and print it quarter by quarter as `sim` does")
    parser.set_defaults(run=run)
    return parser


def config_from_args(args):
    """The validated ``TournamentConfig`` of the parsed flags; ValueError (one line) if bad."""
    from pydantic import ValidationError

    from blitzgame.limits import DEFAULT_OUT
    from blitzgame.schemas.tournament import TournamentConfig, config_error
    from blitzgame.tournament.config import prepare
    from blitzgame.tournament.runner import checkpoint_config

    given = {name: getattr(args, name) for name in FIELDS if getattr(args, name, None) is not None}
    values = dict(given)
    if args.resume:
        saved = checkpoint_config(given.get("out", DEFAULT_OUT))
        for name, key in (("bots", "bot_specs"), ("games", "games"), ("labs", "labs"), ("seed", "seed"),
                          ("scenario", "scenario_source"), ("move_budget", "move_budget")):
            values.setdefault(name, saved[key])
    elif "bots" not in values:
        raise ValueError("--bots is required: name two or more bots, e.g. --bots baseline,greedy")
    if args.think is not None:
        import argparse

        from blitzgame.bots.base import with_think
        from blitzgame.cli_args import think

        try:
            times = think(args.think)
        except argparse.ArgumentTypeError as error:
            raise ValueError(f"--think: {error}") from None
        if isinstance(values.get("bots"), str):
            values["bots"] = values["bots"].split(",")
        given = [spec.strip() for spec in values["bots"]]
        values["bots"], note = with_think(given, times)
        for spec, thought in zip(given, values["bots"]):
            if thought != spec and thought in given:
                raise ValueError(f"--think {times} makes {spec} {thought}, which --bots names too: "
                                 f"name each strategist with its own @N instead of --think")
        if note:
            print(f"blitzgame: note: {note}", file=sys.stderr)
    try:
        config = TournamentConfig(**values, resume=args.resume)
    except ValidationError as error:
        raise ValueError(config_error(error)) from None
    return prepare(config)


def run(args) -> int:
    """Play the tournament the flags describe; print the standings."""
    from blitzgame.tournament.runner import Interrupted, TournamentFailed, games_done, kernels_to_play, run_tournament

    if args.watch is not None:
        return args.show_game(args)  # the `blitzgame` command prints it as `sim` does
    config = config_from_args(args)
    resume = f"blitzgame tournament --out {config.out} --resume"
    from blitzgame._jit_cache import compile_notice

    kept = games_done(config.out) if config.resume else 0
    notice = compile_notice(*kernels_to_play(config, min(kept, config.games)))
    if notice:  # (on stderr, --quiet or not: a silent minute reads as a hang)
        print(notice, file=sys.stderr, flush=True)
    try:
        result = run_tournament(config, progress=not args.quiet)
    except Interrupted as stop:
        print(f"blitzgame: interrupted after {stop.done} of {stop.total} games; the finished games are kept in "
              f"{stop.out}. Resume with: {resume}", file=sys.stderr)
        return INTERRUPTED
    except TournamentFailed as error:
        print(f"blitzgame: error: {error}. Resume with: {resume}", file=sys.stderr)
        return FAILED
    show(*standings_block(result.summary, result.games_csv.parent))
    if config.resume:
        print(f"\nResumed: {kept:,} games kept from before, {result.summary['games'] - kept:,} played now "
              "(the time above is the whole tournament's)")
    print(f"\nFiles: {result.games_csv}, {result.summary_json}, {result.checkpoint} (for --resume)")
    return _faults_status(result.summary, args.strict)


def _faults_status(summary: dict, strict: bool) -> int:
    """A line on stderr per bot that went wrong (so standings sent to a file do not hide it) and the
    exit status: 1 with ``strict`` if any did, else 0."""
    faulty = [b for b in summary["bots"] if any(b[k] for k in FAULT_KEYS)]
    shown = _shown(summary["bots"])
    for b in faulty:
        counts = ", ".join(f"{b[k]:,} {k if b[k] != 1 else k[:-1]}" for k in FAULT_KEYS if b[k])
        print(f"blitzgame: {shown[b['name']]}: {counts} (see Faults under the standings)", file=sys.stderr)
    if faulty and strict:
        print("blitzgame: --strict: bots' answers were refused: exit status 1", file=sys.stderr)
        return FAILED
    return 0


def _shown(bots: list[dict]) -> dict[str, str]:
    """What the table calls each bot: the summary's ``bot_name``, worked out where the tournament
    found its bots (a file bot given by a relative path is found from anywhere), or for a summary
    without it, worked out here."""
    from blitzgame.bots.loader import shown_names

    if all("bot_name" in b for b in bots):
        return {b["name"]: b["bot_name"] for b in bots}
    return shown_names([b["name"] for b in bots])


def pace(games: int, seconds: float) -> str:
    """How fast the games went, in a unit that keeps two figures or more: ", 2,700 games/s", ", 22
    games/min" (a slow bot's), ", 2.7 s a game"; "" without a time."""
    if seconds <= 0:
        return ""
    rate = games / seconds
    if rate >= 10:
        return f", {rate:,.0f} games/s"
    if rate * 60 >= 10:
        return f", {rate * 60:,.0f} games/min"
    return f", {seconds / max(games, 1):,.1f} s a game"


def standings_block(summary: dict, out_dir=None) -> list:
    """A line about the tournament and the results table, best rating first (for ``show``);
    ``out_dir``: its folder, which the problems' watch command names."""
    from blitzgame.tournament.results import by_rating

    bots = by_rating(summary["bots"])
    seconds = summary.get("elapsed_s") or 0.0
    lines = [f"Tournament: {summary['games']:,} games of {summary['labs']} labs ({summary['scenario']}), "
             f"seed {summary['seed']}, {len(bots)} bots; {seconds:,.1f} s{pace(summary['games'], seconds)}"]
    seated = any(b.get("seats", b["games"]) != b["games"] for b in bots)  # a bot in several seats of a game
    headers = ["#", "Bot", "Rating", "±", "Games", *(["Seats"] if seated else []), "Wins", "Win %", "Survived %",
               "Mean rank"]
    align = "rlrrr" + ("r" if seated else "") + "rrrr"
    shown = _shown(bots)
    rows = []
    for place, b in enumerate(bots, 1):
        row = [str(place), shown[b["name"]], f"{b['rating_mu']:.2f}", f"{b['rating_sigma']:.2f}", f"{b['games']:,}",
               *([f"{b.get('seats', b['games']):,}"] if seated else []), f"{b['wins']:,}",
               *_rates(b)]
        rows.append(row)
    where = [f"  {short}: {spec}" for spec, short in shown.items() if short != spec]
    return (lines + ["", table(headers, rows, align)] + _balance_note(summary, bots) + _faults_block(bots, shown)
            + _problems_block(bots, shown, out_dir)
            + _head_to_head_block(summary, bots, shown) + (["", "Bots from files:", *where] if where else []))


def _rates(bot: dict) -> list[str]:
    """A bot's win %, survived % and mean rank, "-" for a bot that played no game."""
    if bot["mean_rank"] is None:
        return ["-", "-", "-"]
    return [f"{100 * bot['win_rate']:.1f}", f"{100 * bot['survival_rate']:.1f}", f"{bot['mean_rank']:.2f}"]


def _balance_note(summary: dict, bots: list[dict]) -> list:
    """A line when the bots played different numbers of games (a count of games between two of
    the schedule's even points): how many each, and the counts that even them out."""
    from blitzgame.tournament.schedule import cycle_length, even_games

    played = [b["games"] for b in bots]
    if min(played) == max(played):
        return []
    n, labs = len(bots), summary["labs"]
    return ["", f"The bots played {min(played):,} to {max(played):,} games each: the schedule seats every bot as "
                f"often, in every seat alike, at each multiple of {even_games(n, labs):,} games (and has every "
                f"pair meet equally often every {cycle_length(n, labs):,})."]


def _faults_block(bots: list[dict], shown: dict[str, str]) -> list:
    """The bots that went wrong, how often in each way (``games.csv``'s fault columns, summed);
    under the results, so that both fit a terminal 80 columns wide."""
    rows = [[shown[b["name"]], *(f"{b[k]:,}" for k in FAULT_KEYS)] for b in bots if any(b[k] for k in FAULT_KEYS)]
    if not rows:
        return []
    return ["", "Faults: decisions that raised an error, answered invalid orders or ran over the move budget, "
                "and games forfeited", table(["Bot", "Errors", "Invalid", "Timeouts", "Forfeits"], rows, "lrrrr")]


FAULT_KEYS = ("errors", "invalids", "timeouts", "forfeits")


def _problems_block(bots: list[dict], shown: dict[str, str], out_dir=None) -> list:
    """Each faulty bot's first fault of each kind, with the game to watch it in (summary.json
    keeps a few more)."""
    out = []
    first_game = None
    for b in bots:
        firsts: dict[str, dict] = {}
        for p in b.get("problems", []):
            firsts.setdefault(p["kind"], p)
            first_game = p["game"] if first_game is None else first_game
        out += [f"  {shown[b['name']]}, game {p['game']}, seat {p['seat']}, {kind[:-1]}: {p['message']}"
                for kind, p in firsts.items()]
    if not out:
        return []
    folder = shlex.quote(str(out_dir)) if out_dir is not None else "DIR"
    return ["", f"What went wrong, first of each kind (watch a game with: blitzgame tournament watch {folder} "
                f"{first_game if out_dir is not None else 'GAME'}):", *out]


H2H_MAX_BOTS = 10  # wider, the matrix would not fit a terminal: summary.json keeps it whole


def _head_to_head_block(summary: dict, bots: list[dict], shown: dict[str, str]) -> list:
    """Head to head: for each bot (row) and rival (column), the share of their meetings (a seat of
    the one against a seat of the other in a game) where the row's bot finished ahead."""
    h2h = summary.get("head_to_head")
    if not h2h or len(bots) > H2H_MAX_BOTS:
        return []
    names = [b["name"] for b in bots]
    headers = ["Finished ahead of", *[shown[n] if len(shown[n]) <= 14 else shown[n][:13] + "…" for n in names]]
    rows = [[shown[a], *("" if a == b else f"{100 * h2h[a][b]:.0f}%" if b in h2h.get(a, {}) else "-" for b in names)]
            for a in names]
    return ["", "Head to head: the share of their meetings (a seat against a seat in a game) where the bot of "
                "the row finished ahead",
            table(headers, rows, "l" + "r" * len(names))]
