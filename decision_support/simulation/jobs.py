"""The jobs of one unit-day, drawn before the run from per-source streams (the CRN wiring).

Customers: per service, arrivals from ``arrivals/<service>``, each customer's service requirement from
``service/<service>``, patience from ``patience/<service>``, the baulking number from ``baulk/<service>``, the
route of further visits from ``routing/<service>`` and their requirements from ``followup/<service>``.
Back office: per position, the number of jobs of each ABK task in the day's in-tray from ``backoffice/<position>``;
the in-tray is there at opening (files that came in since the last working day). Every stream is
keyed by (replication, unit, source) and read in the same order in both arms, so the n-th customer of a service
arrives at the same time with the same requirement whoever is on duty.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .arrivals import poisson_arrivals
from .calendar import Day, OpenHours
from .distributions import ServiceTimeModel, sampler
from .engine import JobInput
from .plan import ServicePlan, UnitPlan
from .streams import stream

#: Guard against endless feedback loops in follow-up routing.
MAX_VISITS = 50


class Streams:
    """The generators of one replication, made on first use and kept for the following days."""

    def __init__(self, seed: int, replication: int) -> None:
        self.seed = seed
        self.replication = replication
        self._cache: dict[tuple[str, str], np.random.Generator] = {}

    def get(self, entity: str, source: str) -> np.random.Generator:
        key = (entity, source)
        if key not in self._cache:
            self._cache[key] = stream(self.seed, self.replication, entity, source)
        return self._cache[key]


@dataclass
class DayJobs:
    """The day's jobs of one unit, shared by both arms; ``back_office_work`` is the new back-office demand."""

    arrival: np.ndarray
    cls: np.ndarray
    work: np.ndarray
    patience: np.ndarray | None
    baulk_u: np.ndarray | None
    routes: list[tuple[tuple[int, float], ...]] | None
    back_office_work: float = 0.0

    def with_backlog(self, backlog: list[tuple[int, float]], opening: float) -> JobInput:
        """The engine input: carried-over back-office jobs (class, work left) at opening, then the day's jobs."""
        if not backlog:
            return JobInput(self.arrival, self.cls, self.work, self.patience, self.baulk_u, self.routes)
        k = len(backlog)
        cls = np.concatenate([np.array([c for c, _ in backlog], dtype=np.int64), self.cls])
        work = np.concatenate([np.array([w for _, w in backlog]), self.work])
        arrival = np.concatenate([np.full(k, opening), self.arrival])
        patience = None if self.patience is None else np.concatenate([np.full(k, np.inf), self.patience])
        baulk = None if self.baulk_u is None else np.concatenate([np.ones(k), self.baulk_u])
        routes = None if self.routes is None else [()] * k + self.routes
        return JobInput(arrival, cls, work, patience, baulk, routes)


def day_jobs(
    unit: UnitPlan,
    day: Day,
    hours: OpenHours,
    streams: Streams,
    patience: ServiceTimeModel | None,
    baulking: bool,
    back_office: bool,
) -> DayJobs:
    """Draw the customers (and, on working days, the back-office jobs) of ``unit`` on ``day``."""
    parts = [_service_jobs(unit, i, sv, day, hours, streams, patience, baulking) for i, sv in enumerate(unit.services)]
    back_work = 0.0
    if back_office:
        for j, tasks in enumerate(unit.tasks):
            part = _back_office_jobs(unit, len(unit.services) + j, tasks, hours, streams)
            back_work += float(part[2].sum())
            parts.append(part)
    return _merge(parts, patience is not None, baulking, any(sv.follow_ups for sv in unit.services), back_work)


def _service_jobs(
    unit: UnitPlan,
    c: int,
    service: ServicePlan,
    day: Day,
    hours: OpenHours,
    streams: Streams,
    patience: ServiceTimeModel | None,
    baulking: bool,
) -> tuple:
    rate = service.multiplier(day.date)
    pieces = [(a, b, r * rate) for a, b, r in service.slots.get(day.day_type, ())]
    arrival = poisson_arrivals(streams.get(unit.id, f"arrivals/{service.id}"), _clipped(pieces, hours))
    n = len(arrival)
    work = sampler(service.time)(streams.get(unit.id, f"service/{service.id}"), n)
    wait = sampler(patience)(streams.get(unit.id, f"patience/{service.id}"), n) if patience is not None else None
    baulk = streams.get(unit.id, f"baulk/{service.id}").random(n) if baulking else None
    routes = _routes(unit, service, n, streams) if service.follow_ups else [()] * n
    return arrival, np.full(n, c, dtype=np.int64), work, wait, baulk, routes


def _clipped(pieces: list[tuple[float, float, float]], hours: OpenHours) -> list[tuple[float, float, float]]:
    low, high = hours.span
    return [(max(a, low), min(b, high), r) for a, b, r in pieces if min(b, high) > max(a, low)]


def _routes(unit: UnitPlan, service: ServicePlan, n: int, streams: Streams) -> list[tuple[tuple[int, float], ...]]:
    """Each customer's further visits, drawn at arrival: the Markov routing of the scenario's ``routing``."""
    choose = streams.get(unit.id, f"routing/{service.id}")
    works = streams.get(unit.id, f"followup/{service.id}")
    samplers = [sampler(sv.time) for sv in unit.services]
    routes = []
    for _ in range(n):
        steps: list[tuple[int, float]] = []
        current = service
        while len(steps) < MAX_VISITS:
            u, chosen = choose.random(), -1
            for target, probability in current.follow_ups:
                u -= probability
                if u < 0:
                    chosen = target
                    break
            if chosen < 0:
                break
            steps.append((chosen, float(samplers[chosen](works, 1)[0])))
            current = unit.services[chosen]
        routes.append(tuple(steps))
    return routes


def _back_office_jobs(unit: UnitPlan, c: int, tasks: tuple, hours: OpenHours, streams: Streams) -> tuple:
    """A position's in-tray at opening: per ABK task, a Poisson number of jobs (mean: the daily share)."""
    rng = streams.get(unit.id, f"backoffice/{unit.task_positions[c - len(unit.services)]}")
    counts = rng.poisson([task.per_day for task in tasks]) if tasks else np.zeros(0, dtype=np.int64)
    work = np.repeat([task.minutes for task in tasks], counts) if tasks else np.empty(0)
    n = len(work)
    arrival = np.full(n, hours.duty[0][0] if hours.duty else hours.span[0])
    return arrival, np.full(n, c, dtype=np.int64), work, None, None, [()] * n


def _merge(parts: list[tuple], reneging: bool, baulking: bool, routing: bool, back_work: float) -> DayJobs:
    if not parts:
        empty = np.empty(0)
        return DayJobs(empty, np.empty(0, dtype=np.int64), empty, None, None, None, back_work)
    arrival = np.concatenate([p[0] for p in parts])
    order = np.argsort(arrival, kind="stable")
    cls = np.concatenate([p[1] for p in parts])[order]
    work = np.concatenate([p[2] for p in parts])[order]
    patience = None
    if reneging:
        patience = np.concatenate([p[3] if p[3] is not None else np.full(len(p[0]), np.inf) for p in parts])[order]
    baulk = None
    if baulking:
        baulk = np.concatenate([p[4] if p[4] is not None else np.ones(len(p[0])) for p in parts])[order]
    routes = None
    if routing:
        flat = [route for p in parts for route in p[5]]
        routes = [flat[i] for i in order.tolist()]
    return DayJobs(arrival[order], cls, work, patience, baulk, routes, back_work)
