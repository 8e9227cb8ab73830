"""How far apart two published figures may be and still say the same thing.

A figure carries the precision it was written with: "1,052 трлн" means 1,0515..1,0525 трлн,
"5,1%" means 5,05..5,15. Two figures agree when those intervals overlap. The written precision is
read back from the stored number: its last significant digit, but never finer than 1 for figures
under a thousand nor coarser than the тыс/млн/млрд/трлн scale it would be written in.
"""

from __future__ import annotations

import math

import numpy as np

APPROX_SLACK = 0.05  # "около 15 трлн": five percent either way


def step(value: float | None) -> float:
    """The unit of the last written digit.

    >>> step(1052000000000.0), step(5.1), step(20.0), step(76300.0), step(22626.0), step(2.5e-05)
    (1000000000.0, 0.1, 1.0, 100.0, 1.0, 1e-06)
    >>> [float(x) for x in steps(np.array([1052000000000.0, 5.1, 20.0, 76300.0, 22626.0]))]
    [1000000000.0, 0.1, 1.0, 100.0, 1.0]
    """
    if value is None or value == 0 or not math.isfinite(value):
        return 1.0
    a = abs(float(value))
    mantissa, _, exponent = repr(a).partition("e")
    whole, _, fraction = mantissa.partition(".")
    fraction = fraction.rstrip("0")
    if fraction:
        last = -len(fraction)
    else:
        significant = whole.rstrip("0")
        last = len(whole) - len(significant) if significant else 0
    unit = 10.0 ** (last + (int(exponent) if exponent else 0))
    scale = 1000.0 ** math.floor(math.log10(a) / 3) if a >= 1e3 else 1.0
    return min(unit, scale)


def steps(values: np.ndarray) -> np.ndarray:
    """step() over an array (vectorized; NaN gives NaN)."""
    a = np.abs(values.astype(float))
    out = np.full(a.shape, np.nan)
    ok = np.isfinite(a) & (a > 0)
    if not ok.any():
        return np.where(np.isnan(values), np.nan, 1.0)
    exp = np.zeros(a.shape)
    exp[ok] = np.floor(np.log10(a[ok]))
    todo = ok.copy()
    for k in range(16):
        unit = 10.0 ** (exp - k)
        m = a / unit
        hit = todo & (np.abs(m - np.round(m)) <= 1e-6 * np.maximum(m, 1.0))
        out[hit] = unit[hit]
        todo &= ~hit
        if not todo.any():
            break
    out[todo] = 10.0 ** (exp[todo] - 15)
    scale = np.where(a >= 1e3, 1000.0 ** np.floor(np.log10(np.where(ok, a, 1.0)) / 3), 1.0)
    out = np.minimum(out, scale)
    out[(a == 0)] = 1.0
    return out


def interval(value: float, approx: str | None = None) -> tuple[float, float]:
    """The range a written figure stands for (approx widens it on its side).

    >>> interval(5.1)
    (5.05, 5.1499999999999995)
    >>> interval(100.0, "over")[1] == math.inf
    True
    """
    half = step(value) / 2
    lo, hi = value - half, value + half
    if approx == "about":
        lo, hi = min(lo, value * (1 - APPROX_SLACK)), max(hi, value * (1 + APPROX_SLACK))
    elif approx == "over":
        hi = math.inf
    elif approx == "under":
        lo = -math.inf
    return lo, hi


def agree(a: float, b: float, approx_a: str | None = None, approx_b: str | None = None) -> bool:
    """Whether two written figures can be the same quantity.

    >>> agree(2396000, 2400000), agree(5.1, 5.0), agree(-41.4, -34.6), agree(1056e9, 854e9)
    (True, True, False, False)
    """
    lo_a, hi_a = interval(a, approx_a)
    lo_b, hi_b = interval(b, approx_b)
    eps = 1e-9 * max(abs(a), abs(b))
    return lo_a <= hi_b + eps and lo_b <= hi_a + eps
