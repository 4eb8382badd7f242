"""Schools as timetabled teaching hours (JTM), not as queues: who teaches which class-hours, and which stay empty.

Per school and subject, each rombel needs the curriculum's hours per rombel every week, taught by one teacher
(a class's mathematics is not split between teachers). The subject's rombel are shared out among its teachers as
evenly as possible, each teacher taking at most as many rombel as fit in the maximum load (40 JTM, PP 74/2008
Pasal 52): one class for an SD guru kelas (24 JTM), eight classes of 5-hour SMP mathematics. Rombel nobody can
take are *structurally uncovered*. A teacher whose load is below 24 JTM is under the minimum; the subject's
teachers are over the maximum when its hours per teacher exceed 40 (they could cover every class only by going
over it).

Each school day a teacher is absent with the scenario's absence probability (their own stream, keyed by NIP,
so both arms see the same absences). An absent teacher's lessons that day are covered by present colleagues
with free periods (periods per day minus their own lessons): of the same subject by default, or any teacher
with ``cover: any_teacher``. Lessons nobody can cover are uncovered that day.

KPIs per replication, keyed ``(scope, entity, metric)``: ``("school", U, ...)`` uncovered_hours_week,
structural_uncovered_week, covered_hours_week, absent_hours_week, teachers, teachers_under, teachers_over,
jtm_per_teacher; ``("unit", U, "utilisation")`` = lessons taught / (present teachers x periods); and per
teacher ``("staff", NIP, ...)`` jtm_week (timetabled load) and utilisation.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..models.services import DayType
from .plan import ArmPlan, ExperimentPlan, UnitPlan
from .tally import Key


@dataclass(frozen=True)
class Timetable:
    """Weekly loads of one school in one arm."""

    #: (nip, subject, weekly lessons) of every teacher.
    teachers: tuple[tuple[str, str, float], ...]
    structural_uncovered: float
    under: int
    over: int


def days_per_week(school_days: frozenset[DayType]) -> int:
    return sum(4 if d is DayType.MON_THU else 1 for d in school_days if d is not DayType.HOLIDAY)


def timetable(plan: ExperimentPlan, unit: UnitPlan, arm: ArmPlan) -> Timetable:
    """Share each subject's rombel among its teachers, whole rombel each, up to the maximum load."""
    staff = arm.teachers.get(unit.id, {})
    subjects = {s.subject: s for s in unit.subjects}
    rows, uncovered, under, over = [], 0.0, 0, 0
    for subject in sorted(set(subjects) | set(staff)):
        nips, entry = staff.get(subject, ()), subjects.get(subject)
        hours, rombel = (entry.hours_per_rombel, entry.rombel) if entry else (0.0, 0)
        classes = share_rombel(rombel, len(nips), hours, plan.max_jtm)
        uncovered += (rombel - sum(classes)) * hours
        for nip, count in zip(nips, classes, strict=True):
            rows.append((nip, subject, count * hours))
            under += count * hours < plan.min_jtm
        if nips and rombel * hours / len(nips) > plan.max_jtm:
            over += len(nips)
    return Timetable(tuple(rows), uncovered, under, over)


def share_rombel(rombel: int, teachers: int, hours: float, max_jtm: float) -> list[int]:
    """Rombel per teacher: as even as possible, at most ``max_jtm // hours`` each."""
    if teachers == 0:
        return []
    cap = math.floor(max_jtm / hours + 1e-9) if hours > 0 else 0
    base, extra = divmod(rombel, teachers)
    return [min(cap, base + (1 if i < extra else 0)) for i in range(teachers)]


def school_kpis(plan: ExperimentPlan, unit: UnitPlan, arm: ArmPlan, absent: dict[str, np.ndarray]) -> dict[Key, float]:
    """One replication of ``unit`` in ``arm``: the school days of the horizon, day by day."""
    table = timetable(plan, unit, arm)
    week = days_per_week(plan.school_days)
    counted = [
        d for d, day in enumerate(plan.days) if day.day_type in plan.school_days and not day.holiday and not day.warmup
    ]
    nips = [nip for nip, _s, _l in table.teachers]
    daily = np.array([load / week for _n, _s, load in table.teachers])
    away = np.array([[absent[nip][d] for nip in nips] for d in counted], dtype=bool).reshape(len(counted), len(nips))
    covered, absent_hours, taught = _cover(plan, table, daily, away)
    weeks = len(counted) / week if counted else math.nan
    present = (~away).sum() * plan.periods_per_day
    uid = unit.id
    out: dict[Key, float] = {
        ("school", uid, "structural_uncovered_week"): table.structural_uncovered,
        ("school", uid, "uncovered_hours_week"): table.structural_uncovered + (absent_hours - covered) / weeks,
        ("school", uid, "covered_hours_week"): covered / weeks,
        ("school", uid, "absent_hours_week"): absent_hours / weeks,
        ("school", uid, "teachers"): float(len(nips)),
        ("school", uid, "teachers_under"): float(table.under),
        ("school", uid, "teachers_over"): float(table.over),
        ("school", uid, "jtm_per_teacher"): float(daily.mean() * week) if len(nips) else math.nan,
        ("unit", uid, "utilisation"): (taught.sum() + covered) / present if present else math.nan,
    }
    for k, (nip, _subject, load) in enumerate(table.teachers):
        days_in = int((~away[:, k]).sum())
        out[("staff", nip, "jtm_week")] = load
        out[("staff", nip, "utilisation")] = taught[k] / (days_in * plan.periods_per_day) if days_in else math.nan
    return out


def _cover(
    plan: ExperimentPlan, table: Timetable, daily: np.ndarray, away: np.ndarray
) -> tuple[float, float, np.ndarray]:
    """Hours covered by colleagues, hours of absent teachers, and each teacher's own lessons taught."""
    subjects = np.array([s for _n, s, _l in table.teachers])
    groups = (
        [np.ones(len(subjects), dtype=bool)]
        if plan.cover == "any_teacher"
        else [subjects == s for s in sorted(set(subjects))]
    )
    free = np.clip(plan.periods_per_day - daily, 0.0, None)
    covered = absent_hours = 0.0
    for day in away:
        for group in groups:
            missing = float(daily[group & day].sum())
            spare = float(free[group & ~day].sum())
            absent_hours += missing
            covered += min(missing, spare)
    taught = (daily[None, :] * ~away).sum(axis=0) if len(away) else np.zeros(len(daily))
    return covered, absent_hours, taught
