"""Exact non-stationary Poisson arrivals for piecewise-constant rates.

Per interval with constant rate, the number of arrivals is Poisson(rate x length) and, given that number, the
times are independent and uniform on the interval: together this is exactly a Poisson process with the
piecewise-constant rate (the "Poisson intervals" method). It never draws the next gap from the current rate
only, a shortcut that skips short peaks.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

#: (start, end, rate per time unit): one piece of a piecewise-constant arrival rate.
RatePiece = tuple[float, float, float]


def poisson_arrivals(rng: np.random.Generator, pieces: Sequence[RatePiece]) -> np.ndarray:
    """Sorted arrival times of a Poisson process whose rate is constant on each piece."""
    chunks = []
    for start, end, rate in pieces:
        length = end - start
        if length <= 0 or rate <= 0:
            continue
        count = rng.poisson(rate * length)
        chunks.append(start + np.sort(rng.random(count)) * length)
    if not chunks:
        return np.empty(0)
    times = np.concatenate(chunks)
    return times if len(chunks) == 1 else np.sort(times, kind="stable")
