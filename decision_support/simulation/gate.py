"""The approval gate: the scenario's criteria applied to the simulated KPIs give the verdict.

The burden of proof is on the proposal, and the gate fails closed (docs/simulation.md, "The approval gate"):
a check passes only when the whole 95 % interval lies on the acceptable side. For a paired difference that is
the interval of proposal - baseline; for a level in the proposal it is the interval of the proposal's estimate.

- ``service_level_drop``: per unit with customers, lower bound of the service-level difference >= -max_points.
- ``imbalance_improves``: upper bound of the difference of the utilisation CV across units < 0.
- ``max_utilisation``: per unit, upper bound of the proposal's utilisation <= max.
- ``max_wait``: per unit with customers, upper bound of the proposal's mean (or p90) wait <= minutes.
- ``uncovered_hours``: upper bound of the difference of all schools' uncovered class-hours < 0, and per school
  upper bound of its difference <= max_school_increase.
- ``max_backlog_increase``: per unit, upper bound of the backlog difference <= max_hours.

A check never silently disappears:

- a unit whose service collapsed in the proposal *fails*: work arrived but nobody was on duty
  (:data:`~.results.NO_STAFF`: utilisation, wait and the imbalance across units are undefined there), or
  customers arrived and not one was served (:data:`~.results.NONE_SERVED`);
- a check whose interval is undefined (fewer than two replications with a value) *cannot be judged*
  (:data:`~.results.FEW_REPLICATIONS`); the mean is never compared in place of a bound.

The verdict is LAYAK only when every check passed; TIDAK LAYAK when one failed; otherwise TIDAK DAPAT DINILAI.
A criterion with nothing to check (say, waiting times in a scenario of schools) is reported as not applicable;
when no criterion had anything to check, the proposal cannot be judged.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .results import (
    FAILED,
    FEW_REPLICATIONS,
    NO_STAFF,
    NO_VALUE,
    NONE_SERVED,
    PASSED,
    UNDETERMINED,
    Check,
    Comparison,
    Verdict,
)
from .scenario import (
    BacklogIncrease,
    Criterion,
    ImbalanceImproves,
    MaxUtilisation,
    MaxWait,
    ServiceLevelDrop,
    UncoveredHours,
)
from .stats import Estimate
from .tally import Key

Metrics = dict[Key, Comparison]
TOLERANCE = 1e-12


@dataclass(frozen=True)
class Rule:
    """How one check reads its KPI: which estimate, which bound, and the limit the bound must respect."""

    name: str
    metric: str
    limit: float
    #: "proposal" (a level) or "difference" (proposal - baseline).
    of: str = "proposal"
    #: "high": the upper bound must stay at or below the limit; "low": the lower bound at or above it.
    side: str = "high"
    strict: bool = False

    def judge(self, entity: str, comparison: Comparison | None) -> Check:
        est = getattr(comparison, self.of) if comparison is not None else Estimate(math.nan, math.nan, math.nan, 0)
        bound = est.high if self.side == "high" else est.low
        if math.isnan(est.mean):
            return Check(self.name, entity, self.metric, False, math.nan, self.limit, UNDETERMINED, NO_VALUE, est.n)
        if math.isnan(bound):
            return Check(
                self.name, entity, self.metric, False, est.mean, self.limit, UNDETERMINED, FEW_REPLICATIONS, est.n
            )
        if self.side == "high":
            passed = bound < self.limit if self.strict else bound <= self.limit + TOLERANCE
        else:
            passed = bound >= self.limit - TOLERANCE
        return Check(self.name, entity, self.metric, passed, bound, self.limit, replications=est.n)

    def fail(self, entity: str, reason: str, value: float = math.nan) -> Check:
        return Check(self.name, entity, self.metric, False, value, self.limit, FAILED, reason)


def _mean(metrics: Metrics, key: Key, arm: str = "proposal") -> float:
    comparison = metrics.get(key)
    if comparison is None:
        return math.nan
    value = getattr(comparison, arm).mean
    return 0.0 if math.isnan(value) else value


def _entities(metrics: Metrics, scope: str, metric: str) -> list[str]:
    return [entity for (s, entity, m) in metrics if s == scope and m == metric]


def _collapse(metrics: Metrics, unit: str, replications: int | None) -> str:
    """Why the proposal's service at ``unit`` collapsed (:data:`NO_STAFF`, :data:`NONE_SERVED`), or ""."""
    work = _mean(metrics, ("unit", unit, "workload_hours_year"))
    utilisation = metrics.get(("unit", unit, "utilisation"))
    if work > 0 and utilisation is not None:
        # Utilisation is undefined in a replication exactly when nobody was on duty on any of its days.
        total = replications if replications is not None else utilisation.proposal.n
        if utilisation.proposal.n < total or math.isnan(utilisation.proposal.mean):
            return NO_STAFF
    if _mean(metrics, ("unit", unit, "arrivals")) > 0 and _mean(metrics, ("unit", unit, "served")) == 0:
        return NONE_SERVED
    return ""


def _unit_checks(metrics: Metrics, rule: Rule, units: list[str], replications: int | None) -> list[Check]:
    checks = []
    for unit in units:
        reason = _collapse(metrics, unit, replications)
        if reason:
            checks.append(rule.fail(unit, reason))
        else:
            checks.append(rule.judge(unit, metrics.get(("unit", unit, rule.metric))))
    return checks


def _customer_units(metrics: Metrics) -> list[str]:
    """Units where customers arrived (in either arm)."""
    units = _entities(metrics, "unit", "arrivals")
    return [
        u
        for u in units
        if _mean(metrics, ("unit", u, "arrivals")) > 0 or _mean(metrics, ("unit", u, "arrivals"), "baseline") > 0
    ]


def _staffed_units(metrics: Metrics) -> list[str]:
    """Queue and office units (they have a utilisation key, defined or not)."""
    return _entities(metrics, "unit", "utilisation")


def _imbalance(metrics: Metrics, rule: Rule, replications: int | None) -> list[Check]:
    key = ("overall", "", rule.metric)
    if key not in metrics:
        return []
    # A unit without staff drops out of the CV across units; that must not make the imbalance look better.
    collapsed = [u for u in _staffed_units(metrics) if _collapse(metrics, u, replications) == NO_STAFF]
    if collapsed:
        return [rule.fail(u, NO_STAFF) for u in collapsed]
    return [rule.judge("", metrics[key])]


def checks_of(criterion: Criterion, metrics: Metrics, replications: int | None = None) -> list[Check]:
    """The checks one criterion makes; ``replications`` is the number run (to see replications without a value)."""
    kind = criterion.kind
    if isinstance(criterion, ServiceLevelDrop):
        rule = Rule(kind, "service_level", -criterion.max_points, of="difference", side="low")
        return _unit_checks(metrics, rule, _customer_units(metrics), replications)
    if isinstance(criterion, ImbalanceImproves):
        return _imbalance(metrics, Rule(kind, "imbalance_cv", 0.0, of="difference", strict=True), replications)
    if isinstance(criterion, MaxUtilisation):
        return _unit_checks(metrics, Rule(kind, "utilisation", criterion.max), _staffed_units(metrics), replications)
    if isinstance(criterion, MaxWait):
        metric = "wait_mean" if criterion.statistic == "mean" else "wait_p90"
        return _unit_checks(metrics, Rule(kind, metric, criterion.minutes), _customer_units(metrics), replications)
    if isinstance(criterion, UncoveredHours):
        total_key = ("overall", "", "uncovered_hours_week")
        if total_key not in metrics:
            return []
        total = Rule(kind, "uncovered_hours_week", 0.0, of="difference", strict=True).judge("", metrics[total_key])
        per_school = Rule(kind, "uncovered_hours_week", criterion.max_school_increase, of="difference")
        schools = _entities(metrics, "school", "uncovered_hours_week")
        return [total] + [per_school.judge(s, metrics[("school", s, "uncovered_hours_week")]) for s in schools]
    assert isinstance(criterion, BacklogIncrease)
    rule = Rule(kind, "backlog_hours", criterion.max_hours, of="difference")
    return [rule.judge(u, metrics[("unit", u, "backlog_hours")]) for u in _entities(metrics, "unit", "backlog_hours")]


def verdict(criteria: tuple[Criterion, ...], metrics: Metrics, replications: int | None = None) -> Verdict:
    """Apply every criterion; LAYAK only when there were checks and every one passed on a defined interval."""
    checks: list[Check] = []
    not_applicable = []
    for criterion in criteria:
        found = checks_of(criterion, metrics, replications)
        if not found:
            not_applicable.append(criterion.kind)
        checks += found
    feasible = bool(checks) and all(c.status == PASSED for c in checks)
    return Verdict(feasible, tuple(checks), tuple(not_applicable))
