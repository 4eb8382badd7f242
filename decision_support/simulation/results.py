"""The result of a simulation: every KPI of both arms with its interval, the paired difference, and metadata.

:func:`summarise` turns the per-replication KPIs into :class:`Comparison` s: the baseline and proposal means with
their 95 % t intervals, the paired difference proposal - baseline with its interval (common random numbers make
the two arms of a replication a pair), and, for KPIs with a better direction, the share of replications in which
the proposal did worse.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

from .plan import BASELINE, PROPOSAL, ExperimentPlan
from .replication import Results
from .stats import Estimate, Moments, PooledQuantile, RatioPair
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


#: A paired difference beyond this counts as the proposal doing worse (:attr:`Comparison.worse_share`).
WORSE = 1e-12


class PairedKpi:
    """One KPI in both arms, replication by replication: each arm's mean and interval, the paired difference
    over the replications with a value in both arms, and how often the proposal did worse in those.

    A replication without a value of the KPI (nan, or the KPI absent) is a gap in that arm: left out of the
    arm's estimate, and out of the difference. Memory does not depend on the number of replications.
    """

    __slots__ = ("above", "baseline", "below", "difference", "proposal")

    def __init__(self) -> None:
        self.baseline, self.proposal, self.difference = Moments(), Moments(), Moments()
        self.above = self.below = 0  # replications with proposal - baseline above WORSE, below -WORSE

    def add(self, baseline: float, proposal: float) -> None:
        self.baseline.add(baseline)
        self.proposal.add(proposal)
        delta = proposal - baseline
        if math.isnan(delta):
            return
        self.difference.add(delta)
        self.above += delta > WORSE
        self.below += delta < -WORSE

    def comparison(self, metric: str) -> Comparison:
        worse = None
        both = self.difference.n
        if both and metric in LOWER_IS_BETTER:
            worse = self.above / both
        elif both and metric in HIGHER_IS_BETTER:
            worse = self.below / both
        return Comparison(self.baseline.estimate(), self.proposal.estimate(), self.difference.estimate(), worse)


class Accumulators:
    """Everything :func:`comparisons` needs from the replications so far, in memory flat in their number: per
    KPI a :class:`PairedKpi`, per ratio KPI a :class:`~.stats.RatioPair`, per quantile a pooled histogram."""

    def __init__(self) -> None:
        self.count = 0
        self.plain: dict[Key, PairedKpi] = {}
        self.ratios: dict[Key, RatioPair] = {}
        self.numerators: set[Key] = set()  # ratio KPIs whose numerator was seen (estimated as ratios)
        self.pooled: dict[tuple[str, Key], PooledQuantile] = {}

    def add(self, results: Results) -> None:
        """Fold one replication in (its per-customer samples into the pooled histograms)."""
        folded = fold(results, self.pooled)
        base, prop = folded.get(BASELINE, {}), folded.get(PROPOSAL, {})
        ratios = set()
        for key in base.keys() | prop.keys():
            scope, entity, metric = key
            if "#" not in metric:
                paired = self.plain.get(key) or self.plain.setdefault(key, PairedKpi())
                paired.add(base.get(key, math.nan), prop.get(key, math.nan))
            elif metric.endswith((NUM, DEN)):
                ratios.add((scope, entity, metric[: -len(NUM)]))
                if metric.endswith(NUM):
                    self.numerators.add((scope, entity, metric[: -len(NUM)]))
        for key in ratios:
            num, den = (key[0], key[1], key[2] + NUM), (key[0], key[1], key[2] + DEN)
            ratio = self.ratios.get(key) or self.ratios.setdefault(key, RatioPair())
            nan = math.nan
            ratio.add(base.get(num, nan), base.get(den, nan), prop.get(num, nan), prop.get(den, nan))
        self.count += 1

    def comparison(self, key: Key, samples: set[Key]) -> Comparison:
        """The KPI's comparison; ``samples`` are the quantile KPIs' hidden sample keys seen."""
        plain = self.plain.get(key, PairedKpi()).comparison(key[2])
        if key in self.numerators:
            base, prop, difference = self.ratios[key].estimates(self.count)
            return Comparison(base, prop, difference, plain.worse_share)
        if key[2] == "wait_p90" and (key[0], key[1], key[2] + SAMPLE) in samples:
            return _quantile(self.pooled, self.count, key, plain, 0.9)
        return plain


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
    Replications are folded in as they come into running sums (:class:`Accumulators`): nothing is kept per
    replication, so memory does not grow with the number of replications.
    """
    sums = Accumulators()
    for rep in replications:
        sums.add(rep)
    samples = {key for _arm, key in sums.pooled}
    return {key: sums.comparison(key, samples) for key in sorted(sums.plain)}


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
