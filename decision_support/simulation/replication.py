"""One replication: every simulated unit over every day of the horizon, in both arms, on the same streams.

For each unit-day the jobs are drawn once and run twice, once with each arm's staff; absences come from a
stream per NIP. A unit-day is a terminating run (open empty, close the doors, serve who is inside); in
``carry_over`` mode the back-office work left at the end of a day is the next morning's backlog, and warm-up
days are run but not counted.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .calendar import Day, OpenHours
from .engine import QueueRecords, QueueRun, ServerSpec
from .jobs import Streams, day_jobs
from .plan import SCHOOL, ArmPlan, ExperimentPlan, UnitPlan
from .schools import school_kpis
from .tally import DEN, NUM, Key, StaffTally, UnitTally, put_ratio

#: How far past closing the queue profile is shown.
PROFILE_OVERTIME = 120.0

Results = dict[str, dict[Key, float]]


def run_replication(plan: ExperimentPlan, replication: int) -> Results:
    """The KPIs of both arms in ``replication``, keyed ``(scope, entity, metric)`` per arm name."""
    streams = Streams(plan.seed, replication)
    absent = absences(plan, streams)
    results: Results = {arm.name: {} for arm in plan.arms}
    staff = {arm.name: StaffTally() for arm in plan.arms}
    for unit in plan.units:
        if unit.kind == SCHOOL:
            for arm in plan.arms:
                results[arm.name].update(school_kpis(plan, unit, arm, absent))
        else:
            _run_unit(plan, unit, streams, absent, results, staff)
    for arm in plan.arms:
        kpis = results[arm.name]
        staff_kpis = staff[arm.name].finish(plan.working_days_per_year, plan.wke_hours)
        kpis.update({k: v for k, v in staff_kpis.items() if k not in kpis})
        kpis.update(overall(plan, kpis))
    return results


def absences(plan: ExperimentPlan, streams: Streams) -> dict[str, np.ndarray]:
    """Per NIP, True on the days that person is away (leave, sickness or training)."""
    nips = sorted({nip for arm in plan.arms for nip in _staff_of(plan, arm)})
    rate = plan.absence.total
    return {nip: streams.get(nip, "absence").random(len(plan.days)) < rate for nip in nips}


def _staff_of(plan: ExperimentPlan, arm: ArmPlan) -> set[str]:
    nips = {a.nip for assignments in arm.assignments.values() for a in assignments}
    nips |= {nip for subjects in arm.teachers.values() for group in subjects.values() for nip in group}
    return nips


def slot_edges(plan: ExperimentPlan, unit: UnitPlan) -> np.ndarray:
    """The time-slot grid of a unit's queue profile: first opening to last closing plus overtime."""
    spans = [h.span for h in unit.hours.values() if h is not None]
    if not spans:
        return np.array([0.0, float(plan.slot_minutes)])
    width = plan.slot_minutes
    first = math.floor(min(s for s, _ in spans) / width) * width
    last = math.ceil((max(e for _, e in spans) + min(plan.max_overtime, PROFILE_OVERTIME)) / width) * width
    return np.arange(first, last + width / 2, width, dtype=float)


def _run_unit(
    plan: ExperimentPlan,
    unit: UnitPlan,
    streams: Streams,
    absent: dict[str, np.ndarray],
    results: Results,
    staff: dict[str, StaffTally],
) -> None:
    edges = slot_edges(plan, unit)
    tallies = {arm.name: UnitTally(unit, edges) for arm in plan.arms}
    backlog: dict[str, list[tuple[int, float]]] = {arm.name: [] for arm in plan.arms}
    baulking = bool(plan.behaviour.baulk)
    for d, day in enumerate(plan.days):
        hours = unit.hours[day.date]
        if hours is None:
            continue
        jobs = day_jobs(unit, day, hours, streams, plan.patience, baulking, day.date in unit.back_office_days)
        for arm in plan.arms:
            servers, nips = day_servers(unit, arm, day, hours, absent, d)
            carried = backlog[arm.name] if plan.mode == "carry_over" else []
            records = QueueRun(
                unit.classes,
                servers,
                jobs.with_backlog(carried, hours.span[0]),
                close=hours.span[1],
                max_overtime=plan.max_overtime,
                semantics=plan.semantics,
                behaviour=plan.behaviour,
            ).run()
            backlog[arm.name] = left_over(records)
            if not day.warmup:
                tallies[arm.name].add_day(records, nips, jobs.back_office_work, staff[arm.name])
    for arm in plan.arms:
        tally = tallies[arm.name]
        kpis = tally.finish(arm.holders[unit.id], arm.staff[unit.id], plan.working_days_per_year, plan.wke_hours)
        results[arm.name].update(kpis)


def day_servers(
    unit: UnitPlan, arm: ArmPlan, day: Day, hours: OpenHours, absent: dict[str, np.ndarray], d: int
) -> tuple[list[ServerSpec], list[str]]:
    """The staff at ``unit`` on ``day`` in ``arm``: present, rostered that day type, with their shifts."""
    servers, nips = [], []
    for a in arm.assignments[unit.id]:
        if absent[a.nip][d] or (a.days is not None and day.day_type not in a.days):
            continue
        servers.append(ServerSpec(a.skills, a.shifts or hours.duty))
        nips.append(a.nip)
    return servers, nips


def left_over(records: QueueRecords) -> list[tuple[int, float]]:
    """Back-office jobs not finished at the end of the day: (class, work left), in arrival order."""
    customer = np.array([c.customer for c in records.classes], dtype=bool)
    pending: Any = np.flatnonzero(~customer[records.cls] & (records.remaining > 0)) if len(records.cls) else []
    return [(int(records.cls[i]), float(records.remaining[i])) for i in pending]


def overall(plan: ExperimentPlan, kpis: dict[Key, float]) -> dict[Key, float]:
    """Across units: the imbalance (coefficient of variation of utilisation) and totals."""
    units = [u.id for u in plan.units]
    utilisation = np.array([kpis.get(("unit", u, "utilisation"), math.nan) for u in units])
    utilisation = utilisation[~np.isnan(utilisation)]
    out: dict[Key, float] = {}
    mean = float(utilisation.mean()) if len(utilisation) else math.nan
    out[("overall", "", "utilisation_mean")] = mean
    cv = float(utilisation.std() / mean) if len(utilisation) >= 2 and mean > 0 else math.nan
    out[("overall", "", "imbalance_cv")] = cv
    within = sum(kpis.get(("unit", u, "service_level" + NUM), 0.0) for u in units)
    arrivals = sum(kpis.get(("unit", u, "service_level" + DEN), 0.0) for u in units)
    if arrivals > 0:
        put_ratio(out, ("overall", ""), "service_level", within, arrivals)
    schools = [
        kpis[("school", u, "uncovered_hours_week")] for u in units if ("school", u, "uncovered_hours_week") in kpis
    ]
    if schools:
        out[("overall", "", "uncovered_hours_week")] = float(sum(schools))
    return out
