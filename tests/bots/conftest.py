"""An installed package that registers bots, for the loader and ``blitzgame bots`` tests.

The misbehaving bots the tests play live in ``fixtures/trouble_bots.py`` (loaded by path).
"""

import sys

import pytest

from blitzgame.bots import loader

DEMO_MODULE = '''
from blitzgame.bots import Bot
from blitzgame.schemas.orders import Orders


class DemoBot(Bot):
    """Installed from a package: does nothing, politely."""

    def decide(self, obs):
        return Orders()
'''


@pytest.fixture
def installed_bots(tmp_path, monkeypatch):
    """A distribution ``blitz-demo-bots`` on sys.path registering ``demo`` (works) and ``broken``
    (its module does not exist) in the entry-point group ``blitzgame.bots``."""
    (tmp_path / "blitz_demo_bots.py").write_text(DEMO_MODULE)
    info = tmp_path / "blitz_demo_bots-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: blitz-demo-bots\nVersion: 1.0\n")
    (info / "top_level.txt").write_text("blitz_demo_bots\n")  # the module it installs, under another name
    (info / "entry_points.txt").write_text(
        "[blitzgame.bots]\ndemo = blitz_demo_bots:DemoBot\nbroken = blitz_demo_missing:NoSuchBot\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(loader, "_classes", {})  # nothing loaded before this test is remembered
    monkeypatch.delitem(sys.modules, "blitz_demo_bots", raising=False)
    return tmp_path
