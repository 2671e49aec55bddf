"""The compiled kernels allocate nothing (docs/design.md §6): numba is told they cannot.

Every kernel is compiled without numba's reference-counting runtime (``_nrt=False``,
``engine/jit.py``), and without it numba has no way to allocate: an ``np.empty`` in a
kernel is a compile error, not a hidden cost. So the guarantee is that every kernel is
compiled so, and that so compiled an allocation does not compile.
"""

import importlib

import numpy as np
import pytest
from numba.core.dispatcher import Dispatcher
from numba.core.errors import TypingError

from blitzgame._jit_cache import _PACKAGE, compiled_sources
from blitzgame.engine.jit import inline_kernel, kernel


@kernel
def _allocates(n):
    scratch = np.empty(n)
    return scratch.sum()


@inline_kernel
def _views(row):
    return row[1:].sum()


def _kernel_modules() -> list[str]:
    """Every module of the compiled code (the compile cache's own list of them)."""
    return [".".join(("blitzgame", *path.relative_to(_PACKAGE).with_suffix("").parts)) for path in compiled_sources()]


def test_an_allocation_in_a_kernel_does_not_compile_and_a_view_does():
    with pytest.raises(TypingError, match="empty"):
        _allocates(3)
    assert _views(np.arange(4.0)) == 6.0  # a view of the caller's array is free
    assert _allocates.targetoptions["_nrt"] is False and _views.targetoptions["_nrt"] is False


def test_every_kernel_but_the_thread_spreading_ones_runs_without_the_runtime():
    serial, parallel = [], []
    for name in _kernel_modules():
        module = importlib.import_module(name)
        for attr, value in vars(module).items():
            if isinstance(value, Dispatcher) and value.py_func.__module__ == name:
                options = value.targetoptions
                (parallel if options.get("parallel") else serial).append(f"{name}.{attr}")
                if not options.get("parallel"):
                    assert options.get("_nrt") is False, f"{name}.{attr} is compiled with numba's runtime"
    assert "blitzgame.engine.turn.resolve_quarter" in serial and len(serial) > 100
    # a prange kernel needs the runtime to spread its loop over threads; its body only calls kernels
    assert all(name.endswith("_prange") for name in parallel) and len(parallel) >= 5
