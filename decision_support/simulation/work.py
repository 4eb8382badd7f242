"""The work of a run, estimated before it starts: runs beyond :data:`MAX_JOBS` are refused with a clear message.

The estimate is the expected number of jobs the engine will process: customer visits (the arrival rate of
each service integrated over its open hours on every simulated day, times the expected visits per customer
of the routing) and back-office jobs, in both arms, over all replications (docs/scenario-format.md, "Limits").
At the engine's ~50,000-100,000 jobs a second per core, the limit is a run of a few minutes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .jobs import MAX_VISITS, _clipped
from .plan import SCHOOL, ExperimentPlan, UnitPlan

#: The most jobs (customer visits and back-office jobs, both arms, all replications) a run may simulate.
MAX_JOBS = 50_000_000


@dataclass(frozen=True)
class WorkEstimate:
    """Expected jobs of one arm in one replication, and how many times that is run."""

    per_arm: float
    days: int
    arms: int
    replications: int
    #: The largest contributor (unit and service, or unit and the back-office position) and its jobs per arm.
    largest: tuple[str, float] = ("", 0.0)

    @property
    def total(self) -> float:
        return self.per_arm * self.arms * self.replications

    @property
    def too_large(self) -> bool:
        return not self.total <= MAX_JOBS  # also refuses nan and infinity


def visits_per_customer(unit: UnitPlan) -> np.ndarray:
    """Expected visits of a customer who starts at each service (1 without routing; capped at MAX_VISITS)."""
    n = len(unit.services)
    follow = np.zeros((n, n))
    for i, service in enumerate(unit.services):
        for target, probability in service.follow_ups:
            follow[i, target] += probability
    try:
        visits = np.linalg.solve(np.eye(n) - follow, np.ones(n))
    except np.linalg.LinAlgError:
        return np.full(n, float(MAX_VISITS))
    return np.clip(visits, 1.0, float(MAX_VISITS))


def estimate_work(plan: ExperimentPlan, replications: int | None = None) -> WorkEstimate:
    """The expected work of running ``plan`` (``replications`` overrides the plan's)."""
    parts: dict[str, float] = {}
    for unit in plan.units:
        if unit.kind == SCHOOL:
            continue
        visits = visits_per_customer(unit) if unit.services else np.zeros(0)
        for day in plan.days:
            hours = unit.hours.get(day.date)
            if hours is None:
                continue
            for service, per_customer in zip(unit.services, visits, strict=True):
                pieces = [(a, b, r * service.multiplier(day.date)) for a, b, r in service.slots.get(day.day_type, ())]
                jobs = per_customer * sum((b - a) * r for a, b, r in _clipped(pieces, hours))
                parts[f"{unit.id}/{service.id}"] = parts.get(f"{unit.id}/{service.id}", 0.0) + jobs
            if day.date in unit.back_office_days:
                for position, tasks in zip(unit.task_positions, unit.tasks, strict=True):
                    key = f"{unit.id}/{position}"
                    parts[key] = parts.get(key, 0.0) + sum(task.per_day for task in tasks)
    largest = max(parts.items(), key=lambda item: item[1], default=("", 0.0))
    return WorkEstimate(sum(parts.values()), len(plan.days), len(plan.arms), replications or plan.replications, largest)
