"""Cheap, exactly reproducible stand-ins for slow library math in the hot path.

Plain IEEE arithmetic only, so compiled and interpreted runs give the same bits.
"""

import math

from blitzgame.engine.jit import kernel

_LOG10_2 = 0.30102999566398120


@kernel
def log10_1p(x):
    """log10(1 + x) for x >= 0, within 3e-5: frexp splits 1 + x = m * 2**e, a quartic fits log2(m)."""
    m, e = math.frexp(1.0 + x)  # m in [0.5, 1)
    m = m + m  # [1, 2); least-squares quartic for log2 on [1, 2], max error 1e-4
    log2_m = -2.5056310311827317 + (4.04965617771415 + (-2.0994362163558495
              + (0.6355235319362095 - 0.08001247940572417 * m) * m) * m) * m
    return (e - 1 + log2_m) * _LOG10_2
