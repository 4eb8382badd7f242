"""The simulation result for machines: JSON (every number with its interval) and CSV (one row per KPI).

Neither depends on the language or on the machine: field names are English, numbers have six significant
digits and a dot, missing values are ``null`` (JSON) or empty (CSV), and nothing time-dependent (no wall time,
no date of the run) is written, so the same scenario and seed give byte-identical files.
"""

from __future__ import annotations

import csv
import io
import json
import math
from dataclasses import asdict, dataclass
from typing import Any

from ..simulation import Comparison, Estimate, SimulationResult, UnitInfo
from .simulation_metrics import METRICS

SCHEMA = "seimbang.simulation/1"


def clean(x: float | None) -> float | None:
    """A float with six significant digits; ``None`` for nan or infinity."""
    if x is None or not math.isfinite(x):
        return None
    return float(f"{x:.6g}")


def _estimate(est: Estimate) -> dict[str, Any]:
    return {"mean": clean(est.mean), "ci": [clean(est.low), clean(est.high)], "n": est.n}


def _comparison(c: Comparison) -> dict[str, Any]:
    return {
        "baseline": _estimate(c.baseline),
        "proposal": _estimate(c.proposal),
        "difference": _estimate(c.difference),
        "worse_share": clean(c.worse_share),
    }


def _metrics(result: SimulationResult, scopes: tuple[str, ...], entity: str) -> dict[str, Any]:
    return {
        metric: _comparison(c)
        for (scope, name, metric), c in result.metrics.items()
        if scope in scopes and name == entity
    }


def to_data(result: SimulationResult) -> dict[str, Any]:
    """The result as plain JSON-ready data."""
    run = asdict(result.run)
    run["relative_half_width"] = clean(run["relative_half_width"])
    run["confidence"] = clean(run["confidence"])
    verdict = result.verdict
    return {
        "schema": SCHEMA,
        "run": run,
        "moves": [asdict(m) for m in result.moves],
        "verdict": {
            "label": verdict.label,
            "feasible": verdict.feasible,
            "checks": [{**asdict(c), "value": clean(c.value), "limit": clean(c.limit)} for c in verdict.checks],
            "not_applicable": list(verdict.not_applicable),
        },
        "overall": _metrics(result, ("overall",), ""),
        "units": [
            {
                "id": u.id,
                "name": u.name,
                "kind": u.kind,
                "services": list(u.services),
                "metrics": _metrics(result, ("unit", "school"), u.id),
                "queue_profile": [
                    {"slot": slot, "metrics": _metrics(result, ("slot",), f"{u.id}@{slot}")} for slot in u.slots
                ],
            }
            for u in result.units
        ],
        "services": [
            {
                "id": s.id,
                "name": s.name,
                "unit": s.unit,
                "target": {"wait_minutes": clean(s.target_wait), "share": clean(s.target_share)},
                "metrics": _metrics(result, ("service",), s.id),
            }
            for s in result.services
        ],
        "staff": [
            {
                "nip": p.nip,
                "name": p.name,
                "baseline": {"position": p.baseline_position, "unit": p.baseline_unit},
                "proposal": {"position": p.proposal_position, "unit": p.proposal_unit},
                "metrics": _metrics(result, ("staff",), p.nip),
            }
            for p in result.staff
        ],
    }


def to_json(result: SimulationResult) -> str:
    return json.dumps(to_data(result), ensure_ascii=False, indent=2, allow_nan=False) + "\n"


CSV_FIELDS = (
    "scope",
    "entity",
    "metric",
    "baseline_mean",
    "baseline_low",
    "baseline_high",
    "proposal_mean",
    "proposal_low",
    "proposal_high",
    "difference_mean",
    "difference_low",
    "difference_high",
    "worse_share",
    "replications",
)


def to_csv(result: SimulationResult) -> str:
    """One row per KPI (scope, entity, metric) with both arms and the paired difference."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_FIELDS)
    for (scope, entity, metric), c in result.metrics.items():
        cells: list[Any] = [scope, entity, metric]
        for est in (c.baseline, c.proposal, c.difference):
            cells += [clean(est.mean), clean(est.low), clean(est.high)]
        cells += [clean(c.worse_share), c.difference.n]
        writer.writerow(["" if x is None else x for x in cells])
    return buffer.getvalue()


# The data the HTML report's charts read: plain numbers in the unit a person reads (per cent, not a share),
# ``None`` where the simulation could not estimate a value or its interval.


@dataclass(frozen=True)
class ChartEstimate:
    """A mean and its 95 % interval as shown; ``None`` for what is undefined (no interval from one replication)."""

    mean: float | None
    low: float | None
    high: float | None


@dataclass(frozen=True)
class BarRow:
    """One unit in a before/after chart: its full name and both arms."""

    label: str
    baseline: ChartEstimate
    proposal: ChartEstimate


@dataclass(frozen=True)
class ProfileSeries:
    """One arm's values over the time slots of a day."""

    arm: str
    estimates: tuple[ChartEstimate, ...]


def chart_estimate(est: Estimate | None, scale: float = 1.0) -> ChartEstimate:
    if est is None:
        return ChartEstimate(None, None, None)

    def shown(x: float) -> float | None:
        return None if x is None or not math.isfinite(x) else x * scale

    return ChartEstimate(shown(est.mean), shown(est.low), shown(est.high))


def _scale(metric: str) -> float:
    return METRICS[metric].scale if metric in METRICS else 1.0


def bar_rows(result: SimulationResult, metric: str, scopes: tuple[str, ...] = ("unit", "school")) -> list[BarRow]:
    """One row per unit that has ``metric`` in either arm (a unit missing in one arm still gets its row)."""
    rows = []
    for unit in result.units:
        comparison = next((c for s in scopes if (c := result.get(s, unit.id, metric)) is not None), None)
        if comparison is None:
            continue
        baseline, proposal = (chart_estimate(e, _scale(metric)) for e in (comparison.baseline, comparison.proposal))
        if baseline.mean is None and proposal.mean is None:
            continue
        rows.append(BarRow(f"{unit.id} {unit.name}", baseline, proposal))
    return rows


def profile_series(result: SimulationResult, unit: UnitInfo, metric: str = "queue_mean") -> list[ProfileSeries]:
    """Both arms of ``metric`` per time slot of ``unit``; empty when the unit has no slots or no values."""
    series = []
    for arm in ("baseline", "proposal"):
        estimates = []
        for slot in unit.slots:
            comparison = result.get("slot", f"{unit.id}@{slot}", metric)
            estimates.append(chart_estimate(getattr(comparison, arm) if comparison else None, _scale(metric)))
        series.append(ProfileSeries(arm, tuple(estimates)))
    if all(e.mean is None for s in series for e in s.estimates):
        return []
    return series
