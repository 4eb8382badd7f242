"""The approval gate: the scenario's criteria applied to the simulated KPIs give LAYAK or TIDAK LAYAK.

The burden of proof is on the proposal: a check passes only when the whole 95 % interval lies on the
acceptable side. For a paired difference that is the interval of proposal - baseline; for a level in the
proposal it is the interval of the proposal's mean.

- ``service_level_drop``: per unit with customers, lower bound of the service-level difference >= -max_points.
- ``imbalance_improves``: upper bound of the difference of the utilisation CV across units < 0.
- ``max_utilisation``: per unit, upper bound of the proposal's utilisation <= max.
- ``max_wait``: per unit with customers, upper bound of the proposal's mean (or p90) wait <= minutes.
- ``uncovered_hours``: upper bound of the difference of all schools' uncovered class-hours < 0, and per school
  upper bound of its difference <= max_school_increase.
- ``max_backlog_increase``: per unit, upper bound of the backlog difference <= max_hours.

The verdict is LAYAK when every check passed. A criterion with nothing to check (say, waiting times in a
scenario of schools) is reported as not applicable and does not decide the verdict.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from .results import Check, Comparison, Verdict
from .scenario import (
    BacklogIncrease,
    Criterion,
    ImbalanceImproves,
    MaxUtilisation,
    MaxWait,
    ServiceLevelDrop,
    UncoveredHours,
)
from .tally import Key

Metrics = dict[Key, Comparison]


def _bound(value: float, fallback: float) -> float:
    """An interval bound, or the mean when the interval is undefined (fewer than two usable replications)."""
    return fallback if math.isnan(value) else value


def _per_entity(
    metrics: Metrics, scope: str, metric: str, judge: Callable[[Comparison], tuple[float, float, bool]], name: str
) -> list[Check]:
    checks = []
    for (s, entity, m), comparison in metrics.items():
        if s == scope and m == metric and not math.isnan(comparison.proposal.mean):
            value, limit, passed = judge(comparison)
            checks.append(Check(name, entity, metric, passed, value, limit))
    return checks


def _upper_diff(limit: float, strict: bool = False) -> Callable[[Comparison], tuple[float, float, bool]]:
    def judge(c: Comparison) -> tuple[float, float, bool]:
        value = _bound(c.difference.high, c.difference.mean)
        return value, limit, value < limit if strict else value <= limit + 1e-12

    return judge


def _upper_level(limit: float) -> Callable[[Comparison], tuple[float, float, bool]]:
    def judge(c: Comparison) -> tuple[float, float, bool]:
        value = _bound(c.proposal.high, c.proposal.mean)
        return value, limit, value <= limit + 1e-12

    return judge


def checks_of(criterion: Criterion, metrics: Metrics) -> list[Check]:
    """The checks one criterion makes."""
    if isinstance(criterion, ServiceLevelDrop):

        def judge(c: Comparison) -> tuple[float, float, bool]:
            value = _bound(c.difference.low, c.difference.mean)
            return value, -criterion.max_points, value >= -criterion.max_points - 1e-12

        return _per_entity(metrics, "unit", "service_level", judge, criterion.kind)
    if isinstance(criterion, ImbalanceImproves):
        return _per_entity(metrics, "overall", "imbalance_cv", _upper_diff(0.0, strict=True), criterion.kind)
    if isinstance(criterion, MaxUtilisation):
        return _per_entity(metrics, "unit", "utilisation", _upper_level(criterion.max), criterion.kind)
    if isinstance(criterion, MaxWait):
        metric = "wait_mean" if criterion.statistic == "mean" else "wait_p90"
        return _per_entity(metrics, "unit", metric, _upper_level(criterion.minutes), criterion.kind)
    if isinstance(criterion, UncoveredHours):
        total = _per_entity(metrics, "overall", "uncovered_hours_week", _upper_diff(0.0, strict=True), criterion.kind)
        if not total:
            return []
        limit = criterion.max_school_increase
        return total + _per_entity(metrics, "school", "uncovered_hours_week", _upper_diff(limit), criterion.kind)
    assert isinstance(criterion, BacklogIncrease)
    return _per_entity(metrics, "unit", "backlog_hours", _upper_diff(criterion.max_hours), criterion.kind)


def verdict(criteria: tuple[Criterion, ...], metrics: Metrics) -> Verdict:
    """Apply every criterion; LAYAK when every applicable check passed."""
    checks: list[Check] = []
    not_applicable = []
    for criterion in criteria:
        found = checks_of(criterion, metrics)
        if not found:
            not_applicable.append(criterion.kind)
        checks += found
    applicable = bool(checks)
    return Verdict(applicable and all(c.passed for c in checks), tuple(checks), tuple(not_applicable))
