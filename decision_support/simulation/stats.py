"""Confidence intervals across replications: t-based, for one system and for paired differences.

One KPI value per replication; the interval is mean ± t(n-1, 1 - alpha/2) x s / sqrt(n) (Law; Rossetti §4.4).
With common random numbers the baseline and the proposal of one replication are a pair, so the difference is
estimated from the per-replication differences D_j = proposal_j - baseline_j (the paired-t interval).
The Student t quantile is computed here (regularised incomplete beta by continued fraction, then bisection),
so the package needs no SciPy.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

CONFIDENCE = 0.95


def _beta_continued_fraction(a: float, b: float, x: float) -> float:
    """Continued fraction of the incomplete beta function (modified Lentz method)."""
    tiny, qab, qap, qam = 1e-300, a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (d if abs(d) > tiny else tiny)
    h = d
    for m in range(1, 300):
        m2 = 2 * m
        for numerator in (
            m * (b - m) * x / ((qam + m2) * (a + m2)),
            -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2)),
        ):
            d = 1.0 + numerator * d
            d = 1.0 / (d if abs(d) > tiny else tiny)
            c = 1.0 + numerator / c
            c = c if abs(c) > tiny else tiny
            h *= d * c
        if abs(d * c - 1.0) < 1e-15:
            break
    return h


def incomplete_beta(a: float, b: float, x: float) -> float:
    """The regularised incomplete beta function I_x(a, b)."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    log_front = math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    if x < (a + 1.0) / (a + b + 2.0):
        return math.exp(log_front) * _beta_continued_fraction(a, b, x) / a
    return 1.0 - math.exp(log_front) * _beta_continued_fraction(b, a, 1.0 - x) / b


def t_cdf(t: float, df: float) -> float:
    """P(T <= t) for Student's t with ``df`` degrees of freedom."""
    tail = 0.5 * incomplete_beta(df / 2.0, 0.5, df / (df + t * t))
    return 1.0 - tail if t > 0 else tail


@functools.lru_cache(maxsize=1024)  # a run asks for the same few (p, df) for thousands of KPIs
def t_quantile(p: float, df: float) -> float:
    """The ``p`` quantile of Student's t with ``df`` degrees of freedom (bisection to 1e-12)."""
    if not 0.0 < p < 1.0:
        raise ValueError("p must lie strictly between 0 and 1")
    if p < 0.5:
        return -t_quantile(1.0 - p, df)
    low, high = 0.0, 1.0
    while t_cdf(high, df) < p:
        high *= 2.0
    for _ in range(200):
        mid = (low + high) / 2.0
        if t_cdf(mid, df) < p:
            low = mid
        else:
            high = mid
        if high - low < 1e-12:
            break
    return (low + high) / 2.0


@dataclass(frozen=True)
class Estimate:
    """A mean over replications with its confidence interval (``low``, ``high``); ``n`` values were used."""

    mean: float
    low: float
    high: float
    n: int

    @property
    def half_width(self) -> float:
        return (self.high - self.low) / 2.0


def estimate(values: np.ndarray, confidence: float = CONFIDENCE) -> Estimate:
    """Mean and t-based interval of ``values``; ``nan`` entries (no observation in that replication) are left out."""
    data = np.asarray(values, dtype=float)
    data = data[~np.isnan(data)]
    n = len(data)
    if n == 0:
        return Estimate(math.nan, math.nan, math.nan, 0)
    mean = float(np.mean(data))
    if n == 1:
        return Estimate(mean, math.nan, math.nan, 1)
    sd = float(np.std(data, ddof=1))
    half = t_quantile(0.5 + confidence / 2.0, n - 1) * sd / math.sqrt(n)
    return Estimate(mean, mean - half, mean + half, n)


def paired_difference(baseline: np.ndarray, proposal: np.ndarray, confidence: float = CONFIDENCE) -> Estimate:
    """The paired-t interval of proposal - baseline over replications observed in both arms."""
    return estimate(np.asarray(proposal, dtype=float) - np.asarray(baseline, dtype=float), confidence)


# -- per-customer KPIs: ratio estimators over replications (docs/simulation.md, "Estimators") ------------------
def _ratio_parts(y: np.ndarray, x: np.ndarray) -> tuple[float, np.ndarray, int]:
    """The ratio R = sum(y) / sum(x), the linearised residuals (y_j - R x_j) / mean(x), and the replications
    with x_j > 0; R is nan when sum(x) = 0."""
    y, x = np.asarray(y, dtype=float), np.asarray(x, dtype=float)
    usable = np.isfinite(y) & np.isfinite(x)  # a replication without the KPI contributes nothing
    y, x = np.where(usable, y, 0.0), np.where(usable, x, 0.0)
    total = float(x.sum())
    used = int(np.count_nonzero(x > 0))
    if total <= 0:
        return math.nan, np.full(len(x), math.nan), used
    ratio = float(y.sum()) / total
    return ratio, (y - ratio * x) / (total / len(x)), used


def _delta_interval(centre: float, residuals: np.ndarray, used: int, confidence: float) -> Estimate:
    n = len(residuals)
    if math.isnan(centre) or used < 2 or n < 2:
        return Estimate(centre, math.nan, math.nan, used)
    half = t_quantile(0.5 + confidence / 2.0, n - 1) * float(np.std(residuals, ddof=1)) / math.sqrt(n)
    return Estimate(centre, centre - half, centre + half, used)


def ratio_estimate(y: np.ndarray, x: np.ndarray, confidence: float = CONFIDENCE) -> Estimate:
    """Sum of y over replications / sum of x, with the delta-method t interval.

    For a per-customer KPI, y_j is the replication's total (say, of waits) and x_j its number of customers, so
    the estimate is the mean over all customers of all replications: what "the mean wait of the customers
    served" means, unbiased as the replications grow even when single replications (or time slots) have few
    or no customers. The variance is that of the linearised values (y_j - R x_j) / mean(x) (the delta method
    for a ratio of means). Undefined (nan interval) with fewer than two replications where x_j > 0; ``n``
    counts those replications.
    """
    ratio, residuals, used = _ratio_parts(y, x)
    return _delta_interval(ratio, residuals, used, confidence)


def ratio_difference(
    y_base: np.ndarray, x_base: np.ndarray, y_prop: np.ndarray, x_prop: np.ndarray, confidence: float = CONFIDENCE
) -> Estimate:
    """R_proposal - R_baseline with the paired delta-method interval (the linearised values differenced per
    replication, as the paired-t interval does with plain values)."""
    r_base, z_base, used_base = _ratio_parts(y_base, x_base)
    r_prop, z_prop, used_prop = _ratio_parts(y_prop, x_prop)
    return _delta_interval(r_prop - r_base, z_prop - z_base, min(used_base, used_prop), confidence)


def pooled_quantile(samples: list[np.ndarray], p: float, confidence: float = CONFIDENCE) -> Estimate:
    """The p-quantile of all customers of all replications, with Woodruff's interval.

    The empirical distribution function at the estimate, F(q) = sum_j #(w_j <= q) / sum_j n_j, is a ratio
    estimator; its delta-method standard error s gives the interval [Q(p - t s), Q(p + t s)] of the pooled
    empirical quantile function Q (Woodruff 1952). Undefined with fewer than two replications with customers.
    """
    counts = np.array([len(s) for s in samples], dtype=float)
    if not counts.sum():
        return Estimate(math.nan, math.nan, math.nan, 0)
    pooled = np.sort(np.concatenate([np.asarray(s, dtype=float) for s in samples]))
    q = float(np.quantile(pooled, p))
    below = np.array([np.count_nonzero(np.asarray(s) <= q) for s in samples], dtype=float)
    _ratio, residuals, used = _ratio_parts(below, counts)
    spread = _delta_interval(p, residuals, used, confidence)
    if math.isnan(spread.low):
        return Estimate(q, math.nan, math.nan, used)
    low = float(np.quantile(pooled, min(max(spread.low, 0.0), 1.0)))
    high = float(np.quantile(pooled, min(max(spread.high, 0.0), 1.0)))
    return Estimate(q, min(low, q), max(high, q), used)


#: Waits are pooled across replications to the second (minutes / 60): the pooled histogram, and so the memory,
#: is bounded by the longest wait, not by the number of customers or replications.
QUANTILE_RESOLUTION = 1.0 / 60.0


class PooledQuantile:
    """:func:`pooled_quantile` computed replication by replication, in memory flat in the number of replications.

    Each replication's values are rounded to :data:`QUANTILE_RESOLUTION` and folded into per-bin sums: the pooled
    count, and over replications j the sums of B_j(k)^2 and B_j(k) n_j, where B_j(k) is the number of values of
    replication j in bins 0..k. Those are exactly the sums the delta-method variance of F(q) needs at any q, so
    :meth:`estimate` equals :func:`pooled_quantile` of the rounded values (up to floating-point rounding) without
    keeping a single value. Values are non-negative (waits).
    """

    def __init__(self, resolution: float = QUANTILE_RESOLUTION) -> None:
        self.resolution = resolution
        self.counts = np.zeros(0)
        self.sum_b2 = np.zeros(0)
        self.sum_bn = np.zeros(0)
        self.sum_n2 = 0.0
        self.used = 0

    def add(self, values: np.ndarray) -> None:
        """Fold one replication's values in (a replication without values adds nothing but its count)."""
        data = np.asarray(values, dtype=float)
        if not len(data):
            return
        bins = np.maximum(np.rint(data / self.resolution), 0).astype(np.int64)
        histogram = np.bincount(bins).astype(float)
        self._grow(len(histogram))
        histogram = np.pad(histogram, (0, len(self.counts) - len(histogram)))
        below = np.cumsum(histogram)
        n = below[-1]
        self.counts += histogram
        self.sum_b2 += below * below
        self.sum_bn += below * n
        self.sum_n2 += n * n
        self.used += 1

    def _grow(self, size: int) -> None:
        extra = size - len(self.counts)
        if extra > 0:  # beyond the old last bin, every earlier replication has all its values below: B_j = n_j
            self.counts = np.concatenate([self.counts, np.zeros(extra)])
            self.sum_b2 = np.concatenate([self.sum_b2, np.full(extra, self.sum_n2)])
            self.sum_bn = np.concatenate([self.sum_bn, np.full(extra, self.sum_n2)])

    def quantile(self, p: float) -> float:
        """The p-quantile of the pooled rounded values, interpolated as :func:`numpy.quantile` does."""
        cumulative = np.cumsum(self.counts)
        position = (cumulative[-1] - 1) * p
        lower = math.floor(position)
        upper = min(lower + 1, int(cumulative[-1]) - 1)
        bins = np.searchsorted(cumulative, [lower, upper], side="right")
        low, high = (float(b) * self.resolution for b in bins)
        return low + (position - lower) * (high - low)

    def estimate(self, p: float, replications: int, confidence: float = CONFIDENCE) -> Estimate:
        """The pooled p-quantile of ``replications`` replications (those without values included) with
        Woodruff's interval, as :func:`pooled_quantile`."""
        total = float(self.counts.sum()) if len(self.counts) else 0.0
        if not total:
            return Estimate(math.nan, math.nan, math.nan, 0)
        q = self.quantile(p)
        k = min(math.floor(q / self.resolution + 1e-9), len(self.counts) - 1)
        ratio = float(np.cumsum(self.counts)[k]) / total
        n = replications
        if self.used < 2 or n < 2:
            return Estimate(q, math.nan, math.nan, self.used)
        squares = self.sum_b2[k] - 2 * ratio * self.sum_bn[k] + ratio * ratio * self.sum_n2
        sd = math.sqrt(max(float(squares), 0.0) / (n - 1)) / (total / n)
        half = t_quantile(0.5 + confidence / 2.0, n - 1) * sd / math.sqrt(n)
        low = self.quantile(min(max(p - half, 0.0), 1.0))
        high = self.quantile(min(max(p + half, 0.0), 1.0))
        return Estimate(q, min(low, q), max(high, q), self.used)


# -- running accumulators: the estimators above, one replication at a time, in memory flat in the replications -
class _Sum:
    """A running sum kept exactly, as non-overlapping partial sums (Shewchuk; the algorithm of :func:`math.fsum`):
    :meth:`over` divides the exact sum and rounds once. A handful of floats whatever the number of values."""

    __slots__ = ("partials",)

    def __init__(self) -> None:
        self.partials: list[float] = []

    def add(self, value: float) -> None:
        kept = 0
        for partial in self.partials:
            if abs(value) < abs(partial):
                value, partial = partial, value
            high = value + partial
            low = partial - (high - value)
            if low:
                self.partials[kept] = low
                kept += 1
            value = high
        del self.partials[kept:]
        self.partials.append(value)

    @property
    def exact(self) -> Fraction:
        return sum(map(Fraction, self.partials), Fraction(0))

    def over(self, divisor: float | Fraction) -> float:
        """The exact sum / ``divisor``, rounded once (Python divides fractions exactly)."""
        return float(self.exact / Fraction(divisor))


class Moments:
    """Count, sum and sum of squared deviations of the values added so far, in memory that does not depend on
    their number.

    :meth:`estimate` equals :func:`estimate` of the same values (up to floating-point rounding); nan values are
    gaps, left out as there (the others are finite, as KPIs are). The squared deviations are accumulated by
    Welford's algorithm; the mean is the exact mean of the values rounded once (exact sum / count), which the
    array mean's rounded pairwise sum nearly always is too; a rounded sum divided by the count could differ in
    the last bit (-18.695 for -18.694999...).
    """

    __slots__ = ("m2", "n", "running", "total")

    def __init__(self) -> None:
        self.n = 0
        self.running = 0.0  # Welford's running mean, the centre of the squared deviations
        self.m2 = 0.0
        self.total = _Sum()

    def add(self, value: float) -> None:
        if math.isnan(value):
            return
        self.n += 1
        self.total.add(value)
        delta = value - self.running
        self.running += delta / self.n
        self.m2 += delta * (value - self.running)

    def estimate(self, confidence: float = CONFIDENCE) -> Estimate:
        n = self.n
        if n == 0:
            return Estimate(math.nan, math.nan, math.nan, 0)
        mean = self.total.over(n)
        if n == 1:
            return Estimate(mean, math.nan, math.nan, 1)
        sd = math.sqrt(max(self.m2, 0.0) / (n - 1))
        half = t_quantile(0.5 + confidence / 2.0, n - 1) * sd / math.sqrt(n)
        return Estimate(mean, mean - half, mean + half, n)


class CoMoments:
    """Count, means and co-moments sum_j (v_j[a] - mean[a]) (v_j[b] - mean[b]) of vectors v_j (Welford's algorithm
    for several variables), from which the variance of any linear combination of the components follows."""

    __slots__ = ("co", "mean", "n")

    def __init__(self, size: int) -> None:
        self.n = 0
        self.mean = [0.0] * size
        self.co = [[0.0] * size for _ in range(size)]

    def add(self, vector: list[float]) -> None:
        self.n += 1
        before = [v - m for v, m in zip(vector, self.mean, strict=True)]
        self.mean = [m + d / self.n for m, d in zip(self.mean, before, strict=True)]
        after = [v - m for v, m in zip(vector, self.mean, strict=True)]
        for a, row in enumerate(self.co):
            for b in range(a, len(row)):
                row[b] += before[a] * after[b]

    def spread(self, weights: list[float]) -> float:
        """sum_j (w . v_j - w . mean)^2: the squared deviations of the combination w . v over the vectors."""
        size = len(weights)
        total = 0.0
        for a in range(size):
            for b in range(size):
                total += weights[a] * weights[b] * self.co[min(a, b)][max(a, b)]
        return max(total, 0.0)


class RatioPair:
    """:func:`ratio_estimate` of both arms and :func:`ratio_difference`, one replication at a time.

    Per arm it keeps the sums of y and x, the replications with x > 0, and, jointly for both arms, the co-moments
    of (y_b - r_b x_b, x_b, y_p - r_p x_p, x_p), where r is the arm's ratio in the first replication with x != 0.
    The residual y - R x of the final ratio R is (y - r x) - (R - r) x: a linear combination of those components,
    so its variance follows from the co-moments. Shifting by r first keeps the rounding small when the ratio is
    nearly the same in every replication (y - r x is then near 0; a service level of 100 % gives exactly 0).
    As there, a value that is not finite makes that arm's (y, x) count as (0, 0) in that replication, and a
    replication never added counts as (0, 0) in both arms (:meth:`estimates` is given the replication count).
    Those need no vector: the residuals sum to 0 over the replications, so their mean over the vectors added is
    0 as well, and a zero vector has residual 0: the sum of squared deviations is the same with or without them.
    """

    __slots__ = ("moments", "shift", "sum_x", "sum_y", "used")

    def __init__(self) -> None:
        self.moments = CoMoments(4)
        self.shift: list[float | None] = [None, None]
        self.sum_y = [_Sum(), _Sum()]
        self.sum_x = [_Sum(), _Sum()]
        self.used = [0, 0]

    def add(self, y_base: float, x_base: float, y_prop: float, x_prop: float) -> None:
        vector: list[float] = []
        for arm, (y, x) in enumerate(((y_base, x_base), (y_prop, x_prop))):
            if not (math.isfinite(y) and math.isfinite(x)):
                y, x = 0.0, 0.0
            self.sum_y[arm].add(y)
            self.sum_x[arm].add(x)
            self.used[arm] += x > 0
            if self.shift[arm] is None and x != 0:
                self.shift[arm] = y / x  # before this, every x of the arm was 0: y - r x = y for any r
            vector += [y - (self.shift[arm] or 0.0) * x, x]
        self.moments.add(vector)

    def _arm(self, arm: int, replications: int) -> tuple[float, list[float]]:
        """The arm's ratio R and the weights giving its linearised residual (y - R x) / mean(x) from a vector."""
        total = self.sum_x[arm].exact
        if total <= 0:
            return math.nan, [math.nan, math.nan]
        ratio = self.sum_y[arm].over(total)
        scale = float(replications / total)
        return ratio, [scale, -(ratio - (self.shift[arm] or 0.0)) * scale]

    def estimates(self, replications: int, confidence: float = CONFIDENCE) -> tuple[Estimate, Estimate, Estimate]:
        """Baseline, proposal and proposal - baseline over ``replications`` replications (those not added
        included, as zeros)."""
        moments = self.moments
        (r_base, w_base), (r_prop, w_prop) = self._arm(0, replications), self._arm(1, replications)

        def interval(centre: float, weights: list[float], used: int) -> Estimate:
            n = replications
            if math.isnan(centre) or used < 2 or n < 2:
                return Estimate(centre, math.nan, math.nan, used)
            sd = math.sqrt(moments.spread(weights) / (n - 1))
            half = t_quantile(0.5 + confidence / 2.0, n - 1) * sd / math.sqrt(n)
            return Estimate(centre, centre - half, centre + half, used)

        return (
            interval(r_base, [*w_base, 0.0, 0.0], self.used[0]),
            interval(r_prop, [0.0, 0.0, *w_prop], self.used[1]),
            interval(r_prop - r_base, [-w_base[0], -w_base[1], *w_prop], min(self.used)),
        )
