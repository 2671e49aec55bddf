"""The Ray backend plays the same tournament as local processes.

Ray comes with the test extra (``pip install -e '.[test]'``). Without it the test is
skipped on a developer's machine, but under CI (``CI`` set, as CI services do) a missing
Ray fails the run: the test must not be skipped there without anyone noticing.
"""

import json
import os

import pytest
from tournament_helpers import IDLE, make_config

from blitzgame.tournament.runner import run_tournament


def _under_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


try:
    import ray
except ImportError as error:
    if _under_ci():
        raise ImportError("Ray is not installed, and under CI the Ray backend's test must run: "
                          "install the test extra (pip install -e '.[test]'), which includes Ray") from error
    pytest.skip("Ray is not installed (pip install -e '.[test]' or 'blitzgame[ray]')", allow_module_level=True)


def test_ray_writes_the_same_files_as_local_processes(tmp_path):
    bots = ("sprinter", "platform", "integrator", "pure", IDLE)
    local = run_tournament(make_config(tmp_path, "local", bots=bots, games=150, workers=2))
    # a local Ray with 2 CPUs (no dashboard, workers' logs not sent here), shut down at the end
    remote = run_tournament(make_config(tmp_path, "ray", bots=bots, games=150, workers=2, backend="ray"))
    assert remote.games_csv.read_bytes() == local.games_csv.read_bytes()
    first, second = json.loads(local.summary_json.read_text()), json.loads(remote.summary_json.read_text())
    first.pop("elapsed_s"), second.pop("elapsed_s")
    assert first == second
    assert not ray.is_initialized()  # the local Ray it started is shut down
