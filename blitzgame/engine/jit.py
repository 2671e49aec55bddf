"""The decorators every kernel uses, so compile options live in one place.

Importing this module first points numba's cache at the per-user, per-version
directory (``blitzgame._jit_cache``). Kernels are cached, release the GIL, and keep
IEEE semantics (no fastmath) so compiled and interpreted runs agree bit for bit.

They also run without numba's reference-counting runtime (``_nrt=False``): a kernel
cannot allocate (trying is a compile error), and taking a view of an array (``lab[g]``)
costs no atomic reference counting. The state is owned by the caller throughout.
"""

from numba import njit

from blitzgame._jit_cache import configure

configure()

kernel = njit(cache=True, nogil=True, error_model="numpy", _nrt=False)

inline_kernel = njit(cache=True, nogil=True, error_model="numpy", _nrt=False, inline="always")
"""``kernel``, whose body numba writes into every caller instead of calling it: for the phases of
a quarter and the pieces of an environment step. A call passes each array as a spread of
pointers and sizes (dozens of arguments) and hides the caller's arrays from the optimiser;
inlined (with ``fastmath.split`` in the same change), a 5-lab quarter went from ~1.0 to
~0.75 µs on one core. The price is compile time, paid once per machine: a few seconds more
for the engine, about half a minute more for the environments' step kernel."""
