"""The compiled kernel itself: it allocates nothing (docs/design.md §6)."""

import os
import subprocess
import sys

import pytest

_SCRIPT = """
import re
from blitzgame.engine.turn import resolve_quarter
from blitzgame.session.game import Game
game = Game.new("base-2024", 1)
game.advance()
ir = resolve_quarter.inspect_llvm(list(resolve_quarter.signatures)[0])
defined = set(re.findall(r"define [^@]*@(\\S+)\\(", ir))
called = set(re.findall(r"call [^\\n]*?@([\\w.]+)\\(", ir))
ours = {name for name in called if "blitzgame" in name}
allocs = re.findall(r"call [^\\n]*@(NRT_\\w*(?:[Aa]lloc|MemInfo_new)\\w*)", ir)
print(len(ours - defined), int("llvm.exp.f64" in called), len(allocs))
"""


@pytest.mark.slow
def test_resolve_quarter_and_every_phase_it_calls_allocate_nothing(tmp_path):
    # a fresh cache: numba only shows the compiled code of functions it compiled itself
    env = dict(os.environ, NUMBA_CACHE_DIR=str(tmp_path))
    env.pop("NUMBA_DISABLE_JIT", None)
    out = subprocess.run([sys.executable, "-c", _SCRIPT], env=env, capture_output=True, text=True, check=True)
    missing, customers, allocs = map(int, out.stdout.split())
    # the phases are inlined or defined alongside: the inspected code is all the kernel runs
    assert missing == 0 and customers == 1, "the inspected code must include the phases the kernel calls"
    assert allocs == 0
