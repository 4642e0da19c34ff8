"""Robust summaries of repeated timings: median with an order-statistic confidence interval.

The interval is distribution-free: for ``n`` repetitions the number of samples below the true
median is Binomial(n, 1/2), so the pair of order statistics ``(x_(j), x_(n-j+1))`` covers the
median with probability ``1 - 2 P(B < j)``.  We pick the narrowest such pair whose coverage is at
least the requested level; with too few repetitions we fall back to ``(min, max)`` and report the
(lower) coverage it actually achieves, so the level is never overstated.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

__all__ = ["Summary", "median_ci", "binomial_cdf"]


@dataclass(frozen=True)
class Summary:
    """Median of samples (µs) with an order-statistic confidence interval."""

    median_us: float
    ci_low_us: float
    ci_high_us: float
    ci_level: float


def binomial_cdf(k: int, n: int) -> float:
    """``P(B <= k)`` for ``B ~ Binomial(n, 1/2)``; 0 for ``k < 0``."""
    if k < 0:
        return 0.0
    return sum(math.comb(n, i) for i in range(min(k, n) + 1)) / 2.0**n


def median_ci(samples_us, level: float = 0.95) -> Summary:
    """Median of ``samples_us`` and a distribution-free confidence interval for it.

    Parameters
    ----------
    samples_us : sequence of float
        Per-repetition values (µs), at least 1.
    level : float
        Requested coverage in (0, 1).

    Returns
    -------
    Summary
        ``ci_level`` is the coverage actually achieved (>= ``level`` when ``n`` allows it).
    """
    xs = sorted(float(x) for x in samples_us)
    n = len(xs)
    if n == 0:
        raise ValueError("samples_us (µs) must contain at least 1 value; got 0")
    if not 0.0 < level < 1.0:
        raise ValueError(f"level (fraction) must be in (0, 1); got {level!r}")
    if n % 2:
        med = xs[n // 2]
    else:
        med = 0.5 * (xs[n // 2 - 1] + xs[n // 2])
    # j is the 1-based rank of the lower bound; coverage of (x_(j), x_(n+1-j)) = 1 - 2 P(B <= j-1).
    best_j, best_cov = 1, 1.0 - 2.0 * binomial_cdf(0, n)
    for j in range(1, (n + 1) // 2 + 1):
        cov = 1.0 - 2.0 * binomial_cdf(j - 1, n)
        if cov >= level:
            best_j, best_cov = j, cov
        else:
            break
    lo, hi = xs[best_j - 1], xs[n - best_j]
    return Summary(median_us=med, ci_low_us=lo, ci_high_us=hi, ci_level=max(best_cov, 0.0))
