"""The Ray backend plays the same tournament as local processes (skipped without Ray:
``pip install 'blitzgame[ray]'``)."""

import json

import pytest
from tournament_helpers import IDLE, make_config

from blitzgame.tournament.runner import run_tournament

ray = pytest.importorskip("ray", reason="Ray is not installed (pip install 'blitzgame[ray]')")


def test_ray_writes_the_same_files_as_local_processes(tmp_path):
    bots = ("sprinter", "platform", "integrator", "pure", IDLE)
    local = run_tournament(make_config(tmp_path, "local", bots=bots, games=150, workers=2))
    remote = run_tournament(make_config(tmp_path, "ray", bots=bots, games=150, workers=2, backend="ray"))
    assert remote.games_csv.read_bytes() == local.games_csv.read_bytes()
    first, second = json.loads(local.summary_json.read_text()), json.loads(remote.summary_json.read_text())
    first.pop("elapsed_s"), second.pop("elapsed_s")
    assert first == second
    assert not ray.is_initialized()  # the local Ray it started is shut down
