"""The environments sit on top: nothing below them (engine, bots, session, bench) needs gymnasium."""

import json
import subprocess
import sys


def _loaded_after(code: str) -> list[str]:
    source = code + "\nimport json, sys\nprint(json.dumps(sorted(m.split('.')[0] for m in sys.modules)))"
    result = subprocess.run([sys.executable, "-W", "error", "-c", source], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_core_and_the_benchmark_do_not_import_gymnasium_or_pettingzoo():
    loaded = _loaded_after("import blitzgame.engine.turn, blitzgame.bots.arena, blitzgame.session.game, blitzgame.bench")
    assert "gymnasium" not in loaded and "pettingzoo" not in loaded


def test_importing_blitzgame_envs_registers_the_gymnasium_id():
    loaded = _loaded_after("import blitzgame.envs, gymnasium\nassert 'Blitzgame-v0' in gymnasium.registry")
    assert "gymnasium" in loaded
