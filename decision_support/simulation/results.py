"""The result of a simulation: every KPI of both arms with its interval, the paired difference, and metadata.

:func:`summarise` turns the per-replication KPIs into :class:`Comparison` s: the baseline and proposal means with
their 95 % t intervals, the paired difference proposal - baseline with its interval (common random numbers make
the two arms of a replication a pair), and, for KPIs with a better direction, the share of replications in which
the proposal did worse.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

from .plan import BASELINE, PROPOSAL, ExperimentPlan
from .replication import Results
from .stats import Estimate, PooledQuantile, estimate, paired_difference, ratio_difference, ratio_estimate
from .tally import DEN, NUM, SAMPLE, Key

LOWER_IS_BETTER = {
    "wait_mean",
    "wait_p90",
    "wait_share",
    "blocked",
    "baulked",
    "reneged",
    "unserved",
    "overtime_hours",
    "backlog_hours",
    "queue_mean",
    "imbalance_cv",
    "uncovered_hours_week",
    "structural_uncovered_week",
    "teachers_under",
    "teachers_over",
}
HIGHER_IS_BETTER = {"service_level", "served"}


@dataclass(frozen=True)
class Comparison:
    """One KPI in both arms and their paired difference (proposal - baseline)."""

    baseline: Estimate
    proposal: Estimate
    difference: Estimate
    #: Share of replications where the proposal is worse; None for KPIs without a better direction.
    worse_share: float | None


@dataclass(frozen=True)
class MoveInfo:
    """A proposed move with names, for reports."""

    nip: str
    name: str
    from_position: str
    from_unit: str
    to_position: str
    to_unit: str
    note: str | None


@dataclass(frozen=True)
class UnitInfo:
    """A simulated unit: id, name, model kind, its services and its time-slot labels."""

    id: str
    name: str
    kind: str
    services: tuple[str, ...]
    slots: tuple[str, ...]


@dataclass(frozen=True)
class ServiceInfo:
    id: str
    name: str
    unit: str
    target_wait: float
    target_share: float


@dataclass(frozen=True)
class StaffInfo:
    """A simulated employee with their position in each arm."""

    nip: str
    name: str
    baseline_position: str
    proposal_position: str
    baseline_unit: str
    proposal_unit: str


@dataclass(frozen=True)
class RunInfo:
    """What was run, on which data, how: everything needed to reproduce the numbers (no wall time)."""

    scenario_name: str
    scenario_file: str
    scenario_sha256: str
    dataset: str
    dataset_as_of: str
    synthetic: bool
    seed: int
    replications: int
    mode: str
    shift_change: str
    horizon_start: str
    horizon_end: str
    days_counted: int
    warmup_days: int
    confidence: float
    rule_packs: tuple[str, ...]
    version: str
    #: The headline KPI and its achieved relative half-width (half-width / |mean|) in the proposal.
    headline: str
    relative_half_width: float


#: Outcomes of one check (:attr:`Check.status`).
PASSED, FAILED, UNDETERMINED = "passed", "failed", "undetermined"

#: Why a check failed or could not be judged (:attr:`Check.reason`); "" when it was judged on its interval.
NO_STAFF = "no_staff"  # work arrived at the unit but nobody was on duty to do it
NONE_SERVED = "none_served"  # customers arrived but not one of them was served
FEW_REPLICATIONS = "few_replications"  # fewer than two replications with a value: no interval
NO_VALUE = "no_value"  # the KPI is undefined in every replication (e.g. no staff and no work)

#: The three verdicts: the proposal is supported, refuted, or the evidence cannot decide.
LAYAK, TIDAK_LAYAK, TIDAK_DAPAT_DINILAI = "LAYAK", "TIDAK LAYAK", "TIDAK DAPAT DINILAI"


@dataclass(frozen=True)
class Check:
    """One criterion applied to one entity (a unit, a school, or the whole scenario)."""

    criterion: str
    entity: str
    metric: str
    passed: bool
    #: The value the criterion judged (a bound of an interval, or the mean when there is no interval) and the
    #: limit it was held against.
    value: float
    limit: float
    #: :data:`PASSED`, :data:`FAILED` or :data:`UNDETERMINED` (cannot be judged); derived from ``passed`` if "".
    status: str = ""
    #: Why it failed without an interval or could not be judged (:data:`NO_STAFF`, ...); "" otherwise.
    reason: str = ""
    #: Replications with a value of the judged KPI.
    replications: int = 0

    def __post_init__(self) -> None:
        if not self.status:
            object.__setattr__(self, "status", PASSED if self.passed else FAILED)
        if self.passed != (self.status == PASSED):
            raise ValueError("passed must agree with status")


@dataclass(frozen=True)
class Verdict:
    """LAYAK only when every check was judged on a defined interval and passed; the checks say why.

    TIDAK LAYAK when a check failed; TIDAK DAPAT DINILAI (cannot be judged) when none failed but some check
    (or the whole gate, when nothing was checkable) could not be judged.
    """

    feasible: bool
    checks: tuple[Check, ...]
    #: Criteria with nothing to check in this scenario (e.g. a service-level criterion without customers).
    not_applicable: tuple[str, ...] = ()

    @property
    def failed(self) -> tuple[Check, ...]:
        return tuple(c for c in self.checks if c.status == FAILED)

    @property
    def undetermined(self) -> tuple[Check, ...]:
        return tuple(c for c in self.checks if c.status == UNDETERMINED)

    @property
    def label(self) -> str:
        if self.feasible:
            return LAYAK
        return TIDAK_LAYAK if self.failed else TIDAK_DAPAT_DINILAI


@dataclass(frozen=True)
class SimulationResult:
    """Everything a report needs."""

    run: RunInfo
    moves: tuple[MoveInfo, ...]
    units: tuple[UnitInfo, ...]
    services: tuple[ServiceInfo, ...]
    staff: tuple[StaffInfo, ...]
    metrics: dict[Key, Comparison]
    verdict: Verdict
    unit_names: dict[str, str] = field(default_factory=dict)

    def get(self, scope: str, entity: str, metric: str) -> Comparison | None:
        return self.metrics.get((scope, entity, metric))


def compare(metric: str, baseline: np.ndarray, proposal: np.ndarray) -> Comparison:
    """The :class:`Comparison` of one KPI from its per-replication values."""
    worse = None
    both = ~np.isnan(baseline) & ~np.isnan(proposal)
    if both.any() and (metric in LOWER_IS_BETTER or metric in HIGHER_IS_BETTER):
        delta = proposal[both] - baseline[both]
        worse_count = np.sum(delta > 1e-12) if metric in LOWER_IS_BETTER else np.sum(delta < -1e-12)
        worse = float(worse_count / both.sum())
    return Comparison(estimate(baseline), estimate(proposal), paired_difference(baseline, proposal), worse)


class Columns:
    """Per (arm, KPI), its value in each replication so far (nan where it had none), as packed doubles: 8 bytes
    per value instead of a dictionary entry per replication."""

    def __init__(self) -> None:
        self.count = 0
        self.data: dict[tuple[str, Key], array[float]] = {}

    def add(self, results: Results) -> None:
        for arm, kpis in results.items():
            for key, value in kpis.items():
                column = self.data.get((arm, key))
                if column is None:
                    column = self.data[(arm, key)] = array("d", [math.nan] * self.count)
                column.append(value)
        self.count += 1
        for column in self.data.values():
            if len(column) < self.count:
                column.append(math.nan)

    def keys(self) -> set[Key]:
        return {key for _arm, key in self.data}


def _arm(reps: Columns, arm: str, key: Key) -> np.ndarray:
    column = reps.data.get((arm, key))
    return np.array(column, dtype=float) if column is not None else np.full(reps.count, math.nan)


def _ratio(reps: Columns, key: Key, plain: Comparison) -> Comparison:
    """Per-customer (or per-hour) ratio KPIs: pooled over replications with the delta-method interval."""
    scope, entity, metric = key
    num, den = (scope, entity, metric + NUM), (scope, entity, metric + DEN)
    yb, xb, yp, xp = (
        _arm(reps, BASELINE, num),
        _arm(reps, BASELINE, den),
        _arm(reps, PROPOSAL, num),
        _arm(reps, PROPOSAL, den),
    )
    return Comparison(
        ratio_estimate(yb, xb), ratio_estimate(yp, xp), ratio_difference(yb, xb, yp, xp), plain.worse_share
    )


def _quantile(
    pooled: dict[tuple[str, Key], PooledQuantile], n: int, key: Key, plain: Comparison, p: float
) -> Comparison:
    """A quantile of all customers of all replications (Woodruff interval per arm; the difference has none)."""
    sample = (key[0], key[1], key[2] + SAMPLE)
    base = pooled.get((BASELINE, sample), PooledQuantile()).estimate(p, n)
    prop = pooled.get((PROPOSAL, sample), PooledQuantile()).estimate(p, n)
    difference = Estimate(prop.mean - base.mean, math.nan, math.nan, min(base.n, prop.n))
    return Comparison(base, prop, difference, plain.worse_share)


def fold(results: Results, pooled: dict[tuple[str, Key], PooledQuantile]) -> Results:
    """One replication's KPIs without its per-customer samples, which are folded into ``pooled`` instead."""
    out: Results = {}
    for arm, kpis in results.items():
        out[arm] = {}
        for key, value in kpis.items():
            if key[2].endswith(SAMPLE):
                pooled.setdefault((arm, key), PooledQuantile()).add(value)  # type: ignore[arg-type]
            else:
                out[arm][key] = value
    return out


def comparisons(replications: Iterable[Results]) -> dict[Key, Comparison]:
    """Per KPI, in a fixed (sorted) order, the comparison over replications; missing values count as gaps.

    Ratio KPIs (those with hidden ``#num``/``#den`` parts) and quantiles (``#sample``) are pooled over the
    customers of all replications (docs/simulation.md, "Estimators"); the hidden parts are not reported.
    Replications are folded in as they come: only their KPI values are kept (8 bytes each), never their
    customers' values, so memory does not grow with the customers of earlier replications.
    """
    pooled: dict[tuple[str, Key], PooledQuantile] = {}
    reps = Columns()
    for rep in replications:
        reps.add(fold(rep, pooled))
    found = reps.keys() | {k for _arm, k in pooled}
    out = {}
    for key in sorted(k for k in found if "#" not in k[2]):
        plain = compare(key[2], _arm(reps, BASELINE, key), _arm(reps, PROPOSAL, key))
        if (key[0], key[1], key[2] + NUM) in found:
            out[key] = _ratio(reps, key, plain)
        elif key[2] == "wait_p90" and (key[0], key[1], key[2] + SAMPLE) in found:
            out[key] = _quantile(pooled, reps.count, key, plain, 0.9)
        else:
            out[key] = plain
    return out


def headline(metrics: dict[Key, Comparison]) -> tuple[str, float]:
    """The headline KPI of a scenario and the relative half-width achieved for it in the proposal."""
    for key in (
        ("overall", "", "service_level"),
        ("overall", "", "uncovered_hours_week"),
        ("overall", "", "utilisation_mean"),
    ):
        if key in metrics:
            est = metrics[key].proposal
            relative = est.half_width / abs(est.mean) if est.mean else math.nan
            return key[2], relative
    return "", math.nan


def unit_infos(plan: ExperimentPlan, slots: dict[str, tuple[str, ...]]) -> tuple[UnitInfo, ...]:
    return tuple(
        UnitInfo(u.id, u.name, u.kind, tuple(s.id for s in u.services), slots.get(u.id, ())) for u in plan.units
    )


def staff_infos(plan: ExperimentPlan, metrics: dict[Key, Comparison]) -> tuple[StaffInfo, ...]:
    base, prop = plan.arms
    nips = sorted({k[1] for k in metrics if k[0] == "staff"})
    return tuple(
        StaffInfo(
            nip,
            base.people[nip].name,
            base.people[nip].position,
            prop.people[nip].position,
            base.people[nip].unit,
            prop.people[nip].unit,
        )
        for nip in nips
    )
