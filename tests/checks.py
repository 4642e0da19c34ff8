"""Checks shared by the model and the explorer tests (on the test path: ``from checks import ...``).

Written out independently of the code under test: a brute-force crossover and the slider-to-
machine mapping the presets must follow.
"""

import math

import numpy as np

PAGE = 4096.0  # bytes: the DECstation 5000/200's page (Chen & Bershad 1993, Table 2-1)

#: slider -> Machine attribute holding its published value (the mapping presets must follow)
PUBLISHED = {"ipc_us": "rpc_us", "syscall_us": "syscall_us", "clock_mhz": "clock_mhz",
             "cache_line_bytes": "cache_line_bytes", "miss_penalty_cycles": "miss_penalty_cycles"}


def brute_crossover(other_fixed, other_per_byte, remap_fixed, r, page=PAGE, pages=64):
    """The last whole size (bytes) at which the remap staircase is not cheaper, by trying every size.

    0 if remapping is cheaper at every size tried; inf if it is still not cheaper somewhere on the
    last page tried.
    """
    n = np.arange(1, pages * page + 1, dtype=float)
    other = other_fixed + other_per_byte * n
    remap = remap_fixed + np.ceil(n / page) * r
    lose = np.nonzero(remap >= other)[0]
    if lose.size == 0:
        return 0.0
    last = n[lose[-1]]
    return math.inf if last > (pages - 1) * page else float(last)


def assert_matches_brute(c, brute):
    """The exact crossover c and the brute-force last losing size agree (to the next whole byte)."""
    if brute == math.inf:
        assert c == math.inf
    elif brute == 0.0:  # cheaper from the first byte tried: the crossover lies below one byte
        assert 0.0 <= c < 1.0
    else:
        assert c - 1 - 1e-6 <= brute <= c + 1e-6, (c, brute)
