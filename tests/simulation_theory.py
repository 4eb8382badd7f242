"""Exact queueing results (docs/simulation.md §3) and a replication/deletion harness for the engine.

Shared by the validation tests; not a test module itself.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.linalg import expm_multiply

from decision_support.simulation.arrivals import poisson_arrivals
from decision_support.simulation.engine import Behaviour, JobClass, JobInput, QueueRecords, QueueRun, ServerSpec
from decision_support.simulation.invariants import violations
from decision_support.simulation.metrics import presence_steps, step_area
from decision_support.simulation.stats import t_quantile
from decision_support.simulation.streams import stream

ALWAYS = ((0.0, math.inf),)


def erlang_b(c: int, a: float) -> float:
    b = 1.0
    for k in range(1, c + 1):
        b = a * b / (k + a * b)
    return b


def mmc(lam: float, mu: float, c: int) -> dict[str, float]:
    """Erlang C, rates per hour, times in minutes."""
    a, rho = lam / mu, lam / (c * mu)
    b = erlang_b(c, a)
    pw = b / (1 - rho * (1 - b))
    lq = pw * rho / (1 - rho)
    return {"P_wait": pw, "Lq": lq, "L": lq + a, "Wq": 60 * lq / lam, "W": 60 * (lq / lam + 1 / mu)}


def mmck(lam: float, mu: float, c: int, k: int) -> dict[str, float]:
    a = lam / mu
    terms = [
        a**n / math.factorial(n) if n <= c else a**c / math.factorial(c) * (a / c) ** (n - c) for n in range(k + 1)
    ]
    p = [x / sum(terms) for x in terms]
    lam_eff = lam * (1 - p[k])
    big_l = sum(n * x for n, x in enumerate(p))
    lq = sum((n - c) * x for n, x in enumerate(p) if n > c)
    return {"P_block": p[k], "L": big_l, "Wq": 60 * lq / lam_eff}


def mg1(lam: float, mean_h: float, sd_h: float) -> dict[str, float]:
    rho = lam * mean_h
    wq = lam * (sd_h**2 + mean_h**2) / (2 * (1 - rho))
    return {"Wq": 60 * wq, "L": lam * wq + rho}


def mt_m_inf(rates: Sequence[float], ends: Sequence[float], mu: float, t: float) -> float:
    m, t0 = 0.0, 0.0
    for lam, end in zip(rates, ends, strict=True):
        s = min(end, t)
        if s > t0:
            m = lam / mu + (m - lam / mu) * math.exp(-mu * (s - t0))
            t0 = s
    return m


@dataclass(frozen=True)
class Interval99:
    """A replication mean with its 99 % t interval."""

    mean: float
    low: float
    high: float

    def contains(self, value: float) -> bool:
        return self.low <= value <= self.high


def interval99(values: Sequence[float]) -> Interval99:
    data = np.asarray(values, dtype=float)
    half = t_quantile(0.995, len(data) - 1) * float(np.std(data, ddof=1)) / math.sqrt(len(data))
    mean = float(np.mean(data))
    return Interval99(mean, mean - half, mean + half)


def single_station(
    seed: int,
    replication: int,
    *,
    servers: int,
    per_hour: float,
    service: Callable[[np.random.Generator, int], np.ndarray],
    horizon: float,
    capacity: int | None = None,
) -> QueueRecords:
    """One long run of an M/G/c(/K) station in minutes; every sample-path identity is asserted."""
    arrivals = poisson_arrivals(stream(seed, replication, "station", "arrivals"), [(0.0, horizon, per_hour / 60)])
    work = service(stream(seed, replication, "station", "service"), len(arrivals))
    jobs = JobInput(arrivals, np.zeros(len(arrivals), dtype=np.int64), work)
    specs = [ServerSpec((0,), ALWAYS)] * servers
    records = QueueRun([JobClass("station")], specs, jobs, behaviour=Behaviour(capacity=capacity)).run()
    assert violations(records) == []
    return records


def window_stats(records: QueueRecords, start: float, end: float) -> dict[str, float]:
    """Statistics of the customers arriving in [start, end) and the time-average number present there."""
    first = records.customer == np.arange(len(records.arrival))
    inside = first & (records.arrival >= start) & (records.arrival < end)
    waits = (records.start - records.arrival)[inside]
    served = ~np.isnan(waits)
    ups, downs = presence_steps(records)
    area = float(step_area(ups, downs, np.array([start, end]))[0])
    return {
        "Wq": float(np.mean(waits[served])),
        "P_wait": float(np.mean(waits[served] > 1e-12)),
        "P_block": float(np.mean(~served)),
        "L": area / (end - start),
    }


# -- an exact service day: three clerks, two of them on a break, under both shift-change semantics ------------
@dataclass(frozen=True)
class Period:
    """A stretch of the day with constant arrival rate (per minute) and the servers on duty (A, B, C)."""

    start: float
    end: float
    rate: float
    on_duty: tuple[bool, bool, bool]


class ThreeClerkDay:
    """The CTMC of three exponential clerks A, B, C with FIFO queue, as the engine dispatches them.

    State (busy A, busy B, busy C, queue length). An arrival goes to the first idle on-duty clerk in the order
    A, B, C, else it waits. A clerk who completes a service takes the next waiting customer if on duty. At each
    period boundary the roster changes: clerks going off duty either finish their own customer (finish_then_leave)
    or hand it back to the head of the queue, where a free on-duty clerk takes it (preempt_resume); clerks
    coming on duty take waiting customers in the order B, C. The expected total waiting of the day is the
    integral of the expected queue length, computed with the exact matrix exponential of each period.
    """

    def __init__(self, mu: float, periods: Sequence[Period], semantics: str, max_queue: int = 60) -> None:
        self.mu, self.periods, self.semantics, self.q_max = mu, tuple(periods), semantics, max_queue
        self.n = 8 * (max_queue + 1)

    def index(self, a: int, b: int, c: int, q: int) -> int:
        return ((a * 2 + b) * 2 + c) * (self.q_max + 1) + q

    def states(self):
        for a in (0, 1):
            for b in (0, 1):
                for c in (0, 1):
                    for q in range(self.q_max + 1):
                        yield a, b, c, q

    def generator(self, period: Period) -> np.ndarray:
        gen = np.zeros((self.n, self.n))
        for a, b, c, q in self.states():
            i, busy = self.index(a, b, c, q), [a, b, c]
            idle = [k for k in range(3) if period.on_duty[k] and not busy[k]]
            target = list(busy)
            if idle:
                target[idle[0]] = 1
                gen[i, self.index(*target, q)] += period.rate
            elif q < self.q_max:
                gen[i, self.index(a, b, c, q + 1)] += period.rate
            for k in range(3):
                if busy[k]:
                    after = list(busy)
                    if period.on_duty[k] and q > 0:
                        gen[i, self.index(*after, q - 1)] += self.mu
                    else:
                        after[k] = 0
                        gen[i, self.index(*after, q)] += self.mu
            gen[i, i] = -gen[i].sum()
        return gen

    def boundary(self, p: np.ndarray, before: Period, after: Period) -> np.ndarray:
        """Apply the roster change between two periods to the state distribution."""
        out = np.zeros_like(p)
        for a, b, c, q in self.states():
            busy, waiting = [a, b, c], q
            for k in range(3):
                if before.on_duty[k] and not after.on_duty[k] and busy[k] and self.semantics == "preempt_resume":
                    busy[k], waiting = 0, waiting + 1
            for k in range(3):
                if after.on_duty[k] and not busy[k] and waiting > 0:
                    busy[k], waiting = 1, waiting - 1
            out[self.index(*busy, min(waiting, self.q_max))] += p[self.index(a, b, c, q)]
        return out

    def _step(self, p: np.ndarray, gen: np.ndarray, h: float) -> tuple[np.ndarray, float]:
        """p exp(Q h) and the expected queue-length integral over [0, h], exactly (SciPy ``expm_multiply``).

        With B = [[Q, v], [0, 0]] (v = queue length per state), [p, 0] exp(B h) = [p exp(Q h), p (integral of
        exp(Q s) ds over [0, h]) v] (Van Loan's augmented matrix).
        """
        queue = np.array([q for *_abc, q in self.states()], dtype=float)
        augmented = np.zeros((self.n + 1, self.n + 1))
        augmented[: self.n, : self.n] = gen
        augmented[: self.n, self.n] = queue
        out = expm_multiply(csr_matrix(augmented.T) * h, np.append(p, 0.0))
        return np.clip(out[: self.n], 0.0, None), float(out[self.n])

    def solve(self, probes: Sequence[float] = ()) -> dict[str, object]:
        """One pass over the day: the expected total waiting, and at each probe time t (just before any roster
        change at t) the distribution, E[waiting] and E[present]; also the largest mass at the truncation."""
        p = np.zeros(self.n)
        p[self.index(0, 0, 0, 0)] = 1.0
        queue = np.array([q for *_abc, q in self.states()], dtype=float)
        present = np.array([a + b + c + q for a, b, c, q in self.states()], dtype=float)
        edge = np.array([q == self.q_max for *_abc, q in self.states()])
        total, previous, worst = 0.0, None, 0.0
        at: dict[float, tuple[float, float]] = {}
        pending = sorted(probes)
        for period in self.periods:
            if previous is not None:
                p = self.boundary(p, previous, period)
            gen, t = self.generator(period), period.start
            for probe in [x for x in pending if period.start < x <= period.end]:
                p, area = self._step(p, gen, probe - t)
                total, t = total + area, probe
                at[probe] = (float(p @ queue), float(p @ present))
            p, area = self._step(p, gen, period.end - t)
            total += area
            worst = max(worst, float(p[edge].sum()))
            previous = period
        return {"total_waiting": total, "at": at, "truncation": worst}

    def expected_total_waiting(self) -> float:
        """E[integral of the queue length over the day] = E[total waiting] when everyone is served."""
        return float(self.solve()["total_waiting"])  # type: ignore[arg-type]


# -- the production estimators on steady-state slots ----------------------------------------------------------
def tallied_replications(
    seed: int,
    reps: int,
    *,
    servers: int,
    per_hour: float,
    service: Callable[[np.random.Generator, int], np.ndarray],
    warm: float,
    slots: int,
    slot_minutes: float = 60.0,
):
    """Per replication, the KPIs :class:`~decision_support.simulation.tally.UnitTally` computes from one long run.

    The slot grid starts after the warm-up, so each slot's customers arrive in steady state: the exact wait of
    every one of them is the steady-state Wq, and any estimator of "the mean wait of the customers who arrived
    in the slot" must reproduce it. Both arms are the same run (the estimators, not the comparison, are tested).
    """
    from decision_support.models.services import DayType, Exponential, ServiceTarget
    from decision_support.models.services import Servers as ServerModel
    from decision_support.simulation.plan import BASELINE, PROPOSAL, ServicePlan, UnitPlan
    from decision_support.simulation.tally import StaffTally, UnitTally

    plan = ServicePlan(
        id="station",
        name="station",
        slots={DayType.MON_THU: ((0.0, 1.0, per_hour / 60),)},
        monthly={},
        seasons=(),
        factor=1.0,
        time=Exponential(distribution="exponential", mean_minutes=15.0),
        target=ServiceTarget(wait_minutes=10, share=0.8),
        servers=ServerModel(positions=("X",)),
    )
    unit = UnitPlan("ST", "station", "queue", (JobClass("station"),), (plan,))
    edges = warm + slot_minutes * np.arange(slots + 1, dtype=float)
    out = []
    for rep in range(reps):
        records = single_station(
            seed, rep, servers=servers, per_hour=per_hour, service=service, horizon=float(edges[-1])
        )
        tally = UnitTally(unit, edges)
        tally.add_day(records, [f"S{i}" for i in range(servers)], 0.0, StaffTally())
        kpis = tally.finish(0, float(servers), 235, 1250)
        out.append({BASELINE: kpis, PROPOSAL: kpis})
    return out


# -- the break day: three clerks, B and C on a 12:00-13:00 break, time-varying arrivals ------------------------
BREAK_DAY_PERIODS = (
    Period(0.0, 240.0, 10 / 60, (True, True, True)),
    Period(240.0, 300.0, 6 / 60, (True, False, False)),
    Period(300.0, 480.0, 10 / 60, (True, True, True)),
    Period(480.0, 1200.0, 0.0, (True, True, True)),
)
#: A harder day for the shift-change rules: 7 customers an hour; B and C leave and return every 20 minutes
#: (A alone from 00:20 to 00:40, and so on), all three on duty in the last 20 minutes before closing.
STAGGERED_DAY_PERIODS = (
    *(
        Period(t, t + 20.0, 7 / 60, (True, True, True) if (t // 20) % 2 == 1 else (True, False, False))
        for t in np.arange(0.0, 480.0, 20.0)
    ),
    Period(480.0, 1200.0, 0.0, (True, True, True)),
)
CLOSE = 480.0


def shifts_of(periods: Sequence[Period], close: float = CLOSE) -> list[tuple[tuple[float, float], ...]]:
    """Each clerk's on-duty intervals before ``close``, merged, from the periods' rosters (the CTMC's days)."""
    out = []
    for k in range(3):
        intervals: list[list[float]] = []
        for period in periods:
            if period.start >= close or not period.on_duty[k]:
                continue
            if intervals and intervals[-1][1] == period.start:
                intervals[-1][1] = period.end
            else:
                intervals.append([period.start, period.end])
        out.append(tuple((float(a), float(b)) for a, b in intervals))
    return out


def break_day_unit():
    """The break day's counter as a production :class:`UnitPlan` (for the tally)."""
    from decision_support.models.services import DayType, Exponential, ServiceTarget
    from decision_support.models.services import Servers as ServerModel
    from decision_support.simulation.plan import ServicePlan, UnitPlan

    plan = ServicePlan(
        id="counter",
        name="counter",
        slots={DayType.MON_THU: ((0.0, 480.0, 10 / 60),)},
        monthly={},
        seasons=(),
        factor=1.0,
        time=Exponential(distribution="exponential", mean_minutes=15.0),
        target=ServiceTarget(wait_minutes=10, share=0.8),
        servers=ServerModel(positions=("X",)),
    )
    return UnitPlan("DAY", "break day", "queue", (JobClass("counter"),), (plan,))


def break_day_records(
    semantics: str,
    days: int,
    *,
    periods: Sequence[Period] = BREAK_DAY_PERIODS,
    seed: int = 20260701,
    max_overtime: float = math.inf,
    check_first: int = 50,
):
    """Yield (records, unit) for ``days`` simulated days of ``periods`` under ``semantics``; doors close at 480.

    After closing, the clerks on duty at closing serve everyone still inside (the CTMC's last period).
    """
    unit = break_day_unit()
    specs = [ServerSpec((0,), shifts) for shifts in shifts_of(periods)]
    pieces = [(p.start, p.end, p.rate) for p in periods if p.start < CLOSE]
    for rep in range(days):
        arrivals = poisson_arrivals(stream(seed, rep, "day", "arrivals"), pieces)
        work = stream(seed, rep, "day", "service").exponential(15.0, len(arrivals))
        jobs = JobInput(arrivals, np.zeros(len(arrivals), dtype=np.int64), work)
        records = QueueRun(
            [JobClass("counter")], specs, jobs, close=CLOSE, max_overtime=max_overtime, semantics=semantics
        ).run()
        if rep < check_first:
            assert violations(records) == []
        yield records, unit


class PooledSurplusDay:
    """The CTMC of identical exponential clerks under the N_exc rule, which the engine does NOT offer.

    State (busy clerks, queue length); s(t) clerks are rostered. When s falls below the number busy, the
    *first clerks to become free* leave (a completion with busy > s frees a clerk who goes home); otherwise a
    clerk who completes takes the next customer. It differs from ``finish_then_leave`` (the clerk whose shift
    ends finishes *their own* customer, then leaves): the negative control that keeps the two apart.
    """

    def __init__(self, mu: float, periods: Sequence[Period], max_queue: int = 60, clerks: int = 3) -> None:
        self.mu, self.periods, self.q_max, self.c = mu, tuple(periods), max_queue, clerks
        self.n = (clerks + 1) * (max_queue + 1)

    def index(self, b: int, q: int) -> int:
        return b * (self.q_max + 1) + q

    def generator(self, period: Period) -> np.ndarray:
        s = sum(period.on_duty)
        gen = np.zeros((self.n, self.n))
        for b in range(self.c + 1):
            for q in range(self.q_max + 1):
                i = self.index(b, q)
                if b < s:
                    gen[i, self.index(b + 1, q)] += period.rate
                elif q < self.q_max:
                    gen[i, self.index(b, q + 1)] += period.rate
                if b:
                    target = self.index(b, q - 1) if b <= s and q > 0 else self.index(b - 1, q)
                    gen[i, target] += b * self.mu
                gen[i, i] = -gen[i].sum()
        return gen

    def expected_total_waiting(self) -> float:
        p = np.zeros(self.n)
        p[self.index(0, 0)] = 1.0
        queue = np.array([q for b in range(self.c + 1) for q in range(self.q_max + 1)], dtype=float)
        total = 0.0
        for period in self.periods:
            s = sum(period.on_duty)
            moved = np.zeros_like(p)
            for b in range(self.c + 1):
                for q in range(self.q_max + 1):
                    start = min(max(s, b), b + q) if b < s else b
                    moved[self.index(start, q - (start - b))] += p[self.index(b, q)]
            augmented = np.zeros((self.n + 1, self.n + 1))
            augmented[: self.n, : self.n] = self.generator(period)
            augmented[: self.n, self.n] = queue
            out = expm_multiply(csr_matrix(augmented.T) * (period.end - period.start), np.append(moved, 0.0))
            p, total = np.clip(out[: self.n], 0.0, None), total + float(out[self.n])
        return total
