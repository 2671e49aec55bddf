"""The observation's entries are named once (the spec) and ``observe`` writes each by name."""

import inspect
import re

from blitzgame.envs import kernels as K


def _written(prefix: str) -> set[str]:
    source = inspect.getsource(K.observe)
    return set(re.findall(rf"\b{prefix}\.([A-Z_]+)\]", source)) | set(re.findall(rf"\b{prefix}\.([A-Z_]+) \+", source))


def test_every_fixed_entry_is_written_by_name():
    names = {name for name in vars(K.OBS) if name.isupper()}
    regimes = {f"MARKET_REGIME_{r.upper()}" for r in K.F.REGIME_NAMES}
    assert names - regimes <= _written("OBS") and "MARKET_REGIME_UNDECIDED" in _written("OBS")
    assert len(names) == K.N_FIXED_OBS


def test_every_hub_and_rival_entry_is_written_by_name():
    assert {n for n in vars(K.HUB) if n.isupper()} == _written("HUB") and len(_written("HUB")) == K.HUB_WIDTH
    assert {n for n in vars(K.RIVAL) if n.isupper()} == _written("RIVAL") and len(_written("RIVAL")) == K.RIVAL_WIDTH
