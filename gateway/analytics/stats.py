"""Two-proportion statistics for A/B tests, in plain math (no SciPy).

Decisions are made once, at a fixed horizon and only with a minimum sample in every arm: a
test looked at daily and stopped at the first "significant" day would find false winners far
more often than the 5% the interval promises (`tests/gateway/analytics/test_abtest.py`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

Z95 = 1.959963984540054


def normal_cdf(x: float) -> float:
    """The standard normal distribution function."""
    return 0.5 * (1.0 + math.erf(x / math.sqrt(2.0)))


@dataclass(frozen=True)
class Comparison:
    """Variant B against A: conversion rates, lift, the 95% interval of the difference, p."""

    rate_a: float
    rate_b: float
    difference: float
    low: float
    high: float
    lift: float | None
    p_value: float

    @property
    def significant(self) -> bool:
        """Whether the 95% interval of the difference excludes zero (two-sided p < 0.05)."""
        return self.p_value < 0.05


def compare(conv_a: int, n_a: int, conv_b: int, n_b: int) -> Comparison:
    """Two-proportion z-test (pooled) with a Wald 95% interval of the difference B - A."""
    if n_a <= 0 or n_b <= 0:
        return Comparison(0.0, 0.0, 0.0, 0.0, 0.0, None, 1.0)
    p_a, p_b = conv_a / n_a, conv_b / n_b
    pooled = (conv_a + conv_b) / (n_a + n_b)
    se_pooled = math.sqrt(pooled * (1 - pooled) * (1 / n_a + 1 / n_b))
    z = (p_b - p_a) / se_pooled if se_pooled > 0 else 0.0
    p_value = 2 * (1 - normal_cdf(abs(z)))
    se = math.sqrt(p_a * (1 - p_a) / n_a + p_b * (1 - p_b) / n_b)
    diff = p_b - p_a
    lift = diff / p_a if p_a > 0 else None
    return Comparison(p_a, p_b, diff, diff - Z95 * se, diff + Z95 * se, lift, p_value)


def chi_square(observed: list[int]) -> float:
    """Pearson's statistic of counts against an even split (balance of assignments)."""
    total = sum(observed)
    if not observed or total == 0:
        return 0.0
    expected = total / len(observed)
    return sum((o - expected) ** 2 / expected for o in observed)
