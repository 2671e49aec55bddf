"""Tournament test helpers: small configs, and the ``tournament`` subcommand behind a parser
built the way ``blitzgame.cli`` builds its own (same error handling, same exit codes)."""

import sys
from pathlib import Path

from blitzgame.schemas.tournament import TournamentConfig

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
BUILTIN = ("sprinter", "platform", "integrator", "pure", "defender", "efficient")
FLAKY = f"{HERE / 'trouble_bots.py'}:Flaky"
IDLE = f"{HERE / 'trouble_bots.py'}:Idle"
MOMENTUM = f"{ROOT / 'examples' / 'momentum_bot.py'}:MomentumBot"


def make_config(tmp_path: Path, name: str = "out", **values) -> TournamentConfig:
    values.setdefault("bots", BUILTIN)
    values.setdefault("games", 200)
    values.setdefault("labs", 5)
    values.setdefault("seed", 11)
    values.setdefault("workers", 1)
    return TournamentConfig(out=str(tmp_path / name), **values)


def cli(*argv: str) -> int:
    """``blitzgame tournament ...`` as the ``blitzgame`` command would run it."""
    from blitzgame.cli import UsageError, build_parser, describe

    parser = build_parser()
    try:
        args = parser.parse_args(["tournament", *argv])
        return args.run(args)
    except SystemExit as done:  # --help
        return done.code if isinstance(done.code, int) else 0
    except (UsageError, ValueError, OSError) as error:
        print(f"blitzgame: error: {describe(error)}", file=sys.stderr)
        return 2
