"""The bot kit is typed (``py.typed``): a type checker checks a bot against it, as the README says.

mypy (with pydantic's plugin, as the README configures it) passes the example bot and the
README's, and flags a misspelt import, field or function: none of them may fall back to ``Any``
through the lazy loaders (``blitzgame.__getattr__``, ``blitzgame.bots.__getattr__``, and
``LabView.__getattr__``, which makes the parts of an observation a bot reads late)."""

from pathlib import Path

from mypy import api as mypy_api

ROOT = Path(__file__).resolve().parents[2]

GOOD = '''
from typing import Any

import blitzgame
from blitzgame.bots import Bot, HubView, Observation, Orders


class MyBot(Bot):
    name = "mybot"

    def decide(self, obs: Observation) -> Orders:
        hubs: list[HubView] = obs.me.hubs
        cash: float = obs.me.cash + obs.me.last_quarter.in_revenue + obs.market.sentiment
        return Orders(power_mw={"nordics": 10.0}, hire=5.0, train_split=0.5 if cash and hubs else 0.4)


class DictBot(Bot):
    def decide(self, obs: Observation) -> dict[str, Any]:
        return {"hire": 1.0}


played: blitzgame.Played = blitzgame.play(bots=[MyBot, "sprinter"], seed=1)
'''

TYPOS = '''
import blitzgame
from blitzgame.bots import Bot, Observation, Orders
from blitzgame.bots import Obervation


class MyBot(Bot):
    def decide(self, obs: Observation) -> Orders:
        print(obs.me.cahs, obs.me.last_quarter.in_revenu, obs.market.sentimnet)
        blitzgame.plya(bots=[MyBot])
        return Orders(hier=5.0)
'''


def _mypy(tmp_path: Path, *files: Path) -> tuple[str, int]:
    config = tmp_path / "mypy.ini"
    config.write_text("[mypy]\nplugins = pydantic.mypy\n")
    out, err, status = mypy_api.run(["--no-incremental", "--config-file", str(config), *map(str, files)])
    return out + err, status


def test_the_example_bot_and_a_readme_style_bot_type_check(tmp_path):
    good = tmp_path / "good_bot.py"
    good.write_text(GOOD)
    out, status = _mypy(tmp_path, good, ROOT / "examples" / "momentum_bot.py")
    assert status == 0, out


def test_a_misspelt_name_field_or_order_is_a_type_error(tmp_path):
    typos = tmp_path / "typo_bot.py"
    typos.write_text(TYPOS)
    out, status = _mypy(tmp_path, typos)
    assert status == 1
    for wrong in ('"Obervation"', '"cahs"', '"in_revenu"', '"sentimnet"', '"plya"', '"hier"'):
        assert wrong in out, (wrong, out)


def test_the_one_import_lists_its_names_though_they_load_lazily():
    import blitzgame.bots as bots

    listed = dir(bots)
    for name in bots.__all__:
        assert name in listed and getattr(bots, name) is not None
