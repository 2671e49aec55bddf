"""Fixtures of the tournament tests."""

import pytest
from tournament_helpers import cli


@pytest.fixture(autouse=True, scope="session")
def _arena_kernels_compiled(arena_kernels) -> None:
    """Tournaments play the arena's kernels: wait until the background compile has them."""
    return None


@pytest.fixture
def run_cli(capsys):
    """``run_cli(*argv) -> (exit code, stdout, stderr)``."""

    def run(*argv: str) -> tuple[int, str, str]:
        code = cli(*argv)
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run
