"""``blitzgame bench``: how fast the compiled core is, on this machine, against its targets.

``run(quick=False)`` measures and returns a dict (``runner``); ``render(results)`` formats it
as a table (``report``). Every figure comes from work that is checked: if the timed work did
not happen, ``run`` raises ``BenchError``. One module per suite says what its figures mean
(``engine``, ``warm_start``, ``tui``, ``envs``, ``tournament``, ``python_bot``); they share
``harness``; ``kernels`` holds the compiled code, ``flops`` the flop counter and ``child`` the
child processes.

The public names are imported on first use (PEP 562), so that importing
``blitzgame.bench.child``, which a timed child process does first, costs nothing here.
"""

from importlib import import_module

_HOMES = {"run": "runner", "TARGETS": "runner", "render": "report", "markdown": "report", "BenchError": "harness"}
__all__ = list(_HOMES)


def __getattr__(name: str):
    """``run``, ``TARGETS``, ``render``, ``markdown`` and ``BenchError``, from their modules."""
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{_HOMES[name]}"), name)
