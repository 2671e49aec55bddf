"""Cheap, exactly reproducible stand-ins for slow library math in the hot path.

Plain IEEE arithmetic and integer bit work only, so compiled and interpreted runs give the
same bits, and no library call stops the compiler from inlining or vectorising them.
"""

import numpy as np

from blitzgame.engine.jit import kernel

_LOG10_2 = 0.30102999566398120
_FRACTION = 0xFFFFFFFFFFFFF  # a float64's 52 fraction bits
_EXPONENT_ONE = 0x3FF0000000000000  # the exponent bits of 1.0


@kernel
def split(y):
    """(m, e) with y = m * 2**e and m in [1, 2), for y >= 1 finite, read straight from the bits:
    ``math.frexp``'s mantissa times two and its exponent minus one."""
    bits = np.float64(y).view(np.int64)
    return np.int64((bits & _FRACTION) | _EXPONENT_ONE).view(np.float64), float((bits >> 52) - 1023)


@kernel
def log10_1p(x):
    """log10(1 + x) for x >= 0, within 3e-5: 1 + x = m * 2**e (``split``), a quartic fits log2(m)."""
    m, e = split(1.0 + x)
    # least-squares quartic for log2 on [1, 2], max error 1e-4
    log2_m = -2.5056310311827317 + (4.04965617771415 + (-2.0994362163558495
              + (0.6355235319362095 - 0.08001247940572417 * m) * m) * m) * m
    return (e + log2_m) * _LOG10_2
