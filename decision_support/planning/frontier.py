"""Plans along the Pareto frontier of the balance stage (one checked plan per imbalance weight)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from ..i18n import _
from ..models import Dataset
from ..rules.loading import RuleSet
from ..rules.service import packs_in_force
from ..workload import WorkloadReport
from .build import build_instance
from .pareto import DEFAULT_LAMBDAS
from .plan import Plan, PlanOptions, make_plan


@dataclass(frozen=True)
class FrontierPlan:
    """One point of the frontier and its checked plan."""

    lam: int
    plan: Plan


def pareto_plans(
    dataset: Dataset,
    report: WorkloadReport,
    ruleset: RuleSet,
    options: PlanOptions,
    *,
    as_of: date | None = None,
    source: Path | None = None,
    lambdas: tuple[int, ...] = DEFAULT_LAMBDAS,
) -> list[FrontierPlan]:
    """One plan per weight, keeping the non-dominated ones (fewer transfers or less imbalance)."""
    day = as_of or dataset.as_of
    packs = packs_in_force(ruleset, day)
    built = build_instance(dataset, report, ruleset, packs, band_pct=options.band, engine=options.engine, as_of=day)
    plans = [
        FrontierPlan(
            lam, make_plan(dataset, report, ruleset, replace(options, lam=lam), as_of=day, source=source, built=built)
        )
        for lam in lambdas
    ]
    plans.sort(key=lambda p: (p.plan.metrics["transfers"]["total"], _sos(p), p.lam))
    frontier: list[FrontierPlan] = []
    for point in plans:
        if not frontier or _sos(point) < _sos(frontier[-1]):
            frontier.append(point)
    return frontier


def _sos(point: FrontierPlan) -> int:
    return point.plan.metrics["imbalance_after"]["sum_of_squares"]


def render_pareto(points: list[FrontierPlan]) -> str:
    """The frontier as a table: weight, transfers, forced, imbalance."""
    head = [_("lambda"), _("transfers"), _("forced"), _("sum of squares"), _("L1"), _("outside band")]
    rows = [
        [
            str(p.lam),
            str(p.plan.metrics["transfers"]["total"]),
            str(p.plan.metrics["transfers"]["forced"]),
            str(p.plan.metrics["imbalance_after"]["sum_of_squares"]),
            str(p.plan.metrics["imbalance_after"]["l1_deviation"]),
            str(p.plan.metrics["imbalance_after"]["outside_band"]),
        ]
        for p in points
    ]
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]
    lines = ["  ".join(c.rjust(w) for c, w in zip(r, widths, strict=True)) for r in [head, *rows]]
    return "\n".join(lines) + "\n"
