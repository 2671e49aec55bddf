"""Helpers of the classroom tests (imported by name, as pytest puts this folder on the path)."""

from blitzgame.cli import main

QUARTERS = 8  # base-2024 cut to two years: every part of the report shows, in seconds
SEED = 42
BOTS = "sprinter,defender,efficient,sprinter,platform,integrator"  # teams 1 and 4 give the same orders


def run(capsys, *argv) -> tuple[int, str, str]:
    """``blitzgame argv...`` in this process: (exit status, stdout, stderr)."""
    code = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err
