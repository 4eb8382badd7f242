"""Service-time distributions, drawn many at a time from a stream the caller owns.

The models in :mod:`decision_support.models.services` describe a distribution by its mean and coefficient of
variation (cv = sd / mean) in minutes, as service standards and queue-ticket data report them. This module turns
each into a vectorised sampler; lognormal and gamma are parameterised so that the mean and the cv are exact.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from ..models.services import Deterministic, Empirical, Exponential, Gamma, Lognormal

ServiceTimeModel = Exponential | Deterministic | Lognormal | Gamma | Empirical
#: Draw ``n`` service requirements (minutes) from ``rng``.
Sampler = Callable[[np.random.Generator, int], np.ndarray]


def sampler(model: ServiceTimeModel) -> Sampler:
    """A function drawing ``n`` values of ``model`` from a generator."""
    if isinstance(model, Exponential):
        mean = model.mean_minutes
        return lambda rng, n: rng.exponential(mean, n)
    if isinstance(model, Deterministic):
        value = model.minutes
        return lambda rng, n: np.full(n, value)
    if isinstance(model, Lognormal):
        sigma2 = math.log1p(model.cv**2)
        mu, sigma = math.log(model.mean_minutes) - sigma2 / 2, math.sqrt(sigma2)
        return lambda rng, n: rng.lognormal(mu, sigma, n)
    if isinstance(model, Gamma):
        shape = 1 / model.cv**2
        scale = model.mean_minutes / shape
        return lambda rng, n: rng.gamma(shape, scale, n)
    values = np.asarray(model.minutes, dtype=float)
    return lambda rng, n: rng.choice(values, n)


def mean_of(model: ServiceTimeModel) -> float:
    """The mean service time in minutes (for annual workload and for reports)."""
    if isinstance(model, Deterministic):
        return model.minutes
    if isinstance(model, Empirical):
        return float(np.mean(model.minutes))
    return model.mean_minutes
