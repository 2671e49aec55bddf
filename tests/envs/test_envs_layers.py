"""The environments sit on top: nothing below them (engine, bots, session, bench) needs gymnasium."""

from import_probe import loaded_after


def test_the_core_and_the_benchmark_do_not_import_gymnasium_or_pettingzoo():
    loaded = loaded_after("import blitzgame.engine.turn, blitzgame.bots.arena, blitzgame.session.game\n"
                          "from blitzgame.bench import run")
    assert "gymnasium" not in loaded and "pettingzoo" not in loaded


def test_importing_blitzgame_envs_registers_the_gymnasium_id():
    loaded = loaded_after("import blitzgame.envs, gymnasium\nassert 'Blitzgame-v0' in gymnasium.registry")
    assert "gymnasium" in loaded
