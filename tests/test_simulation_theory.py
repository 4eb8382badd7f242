"""The engine against queueing theory (docs/simulation.md §3), with fixed seeds.

Each check runs independent replications (replication/deletion: warm-up, then a measured window, then a
cool-down) and fails only if the exact value lies outside the 99 % t interval of the replication means
(§3.9). Negative controls must fail: the M/M/6 result against the M/M/7 exact value, and each shift-change
semantic against the other's exact day. Every run also asserts the sample-path identities of
:mod:`decision_support.simulation.invariants`.
"""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pytest
from simulation_theory import (
    BREAK_DAY_PERIODS,
    ThreeClerkDay,
    break_day_records,
    interval99,
    mg1,
    mmc,
    mmck,
    mt_m_inf,
    single_station,
    window_stats,
)

from decision_support.models.services import DayType, Exponential, ServiceTarget
from decision_support.models.services import Servers as ServerModel
from decision_support.simulation.calendar import Day, OpenHours
from decision_support.simulation.engine import JobClass, QueueRun, ServerSpec
from decision_support.simulation.invariants import violations
from decision_support.simulation.jobs import Streams, day_jobs
from decision_support.simulation.metrics import presence_steps, step_area
from decision_support.simulation.plan import ServicePlan, UnitPlan

SEED = 20260701
LAM, MU = 20.0, 4.0  # per hour; mean service 15 minutes
WARM, WINDOW, COOL = 50 * 60.0, 500 * 60.0, 20 * 60.0
REPLICATIONS = 10


def exponential(mean: float):
    return lambda rng, n: rng.exponential(mean, n)


def lognormal(mean: float, sd: float):
    sigma2 = math.log1p((sd / mean) ** 2)
    return lambda rng, n: rng.lognormal(math.log(mean) - sigma2 / 2, math.sqrt(sigma2), n)


def deterministic(value: float):
    return lambda rng, n: np.full(n, value)


def replications(
    *,
    servers: int,
    per_hour: float = LAM,
    service=None,
    capacity: int | None = None,
    warm: float = WARM,
    window: float = WINDOW,
) -> dict[str, list[float]]:
    """Replication/deletion: per replication, the statistics of the customers arriving in the measured window."""
    stats = []
    for rep in range(REPLICATIONS):
        records = single_station(
            SEED,
            rep,
            servers=servers,
            per_hour=per_hour,
            service=service or exponential(15),
            horizon=warm + window + COOL,
            capacity=capacity,
        )
        stats.append(window_stats(records, warm, warm + window))
    return {key: [s[key] for s in stats] for key in stats[0]}


@pytest.fixture(scope="module")
def mm6() -> dict[str, list[float]]:
    return replications(servers=6)


@pytest.mark.parametrize("metric", ["Wq", "P_wait", "L"])
def test_mm6_matches_erlang_c(mm6: dict[str, list[float]], metric: str) -> None:
    exact = mmc(LAM, MU, 6)[metric]
    ci = interval99(mm6[metric])
    assert ci.contains(exact), (metric, exact, ci)


def test_negative_control_mm6_is_not_mm7(mm6: dict[str, list[float]]) -> None:
    """The check has power: the M/M/6 waits are far outside the M/M/7 value (8.81 vs 2.43 minutes)."""
    wrong = mmc(LAM, MU, 7)["Wq"]
    assert not interval99(mm6["Wq"]).contains(wrong)


@pytest.mark.parametrize("servers", [7, 8])
def test_mm7_mm8_match_erlang_c(servers: int) -> None:
    stats, exact = replications(servers=servers), mmc(LAM, MU, servers)
    for metric in ("Wq", "P_wait", "L"):
        ci = interval99(stats[metric])
        assert ci.contains(exact[metric]), (servers, metric, exact[metric], ci)


@pytest.mark.parametrize(("servers", "capacity"), [(5, 15), (3, 13)])
def test_mmck_blocking(servers: int, capacity: int) -> None:
    stats, exact = replications(servers=servers, capacity=capacity), mmck(LAM, MU, servers, capacity)
    for metric in ("P_block", "Wq", "L"):
        ci = interval99(stats[metric])
        assert ci.contains(exact[metric]), (servers, metric, exact[metric], ci)


def test_erlang_b_loss_system() -> None:
    ci = interval99(replications(servers=5, capacity=5)["P_block"])
    assert ci.contains(0.2849), ci  # Erlang B, c = 5, a = 5 (docs/simulation.md §3.4)


@pytest.mark.parametrize(
    ("name", "service", "sd_minutes"),
    [("M/D/1", deterministic(15.0), 0.0), ("M/G/1 lognormal", lognormal(15.0, 10.0), 10.0)],
)
def test_pollaczek_khinchine(name: str, service, sd_minutes: float) -> None:
    stats = replications(servers=1, per_hour=3.0, service=service, warm=200 * 60.0, window=2000 * 60.0)
    exact = mg1(3.0, 0.25, sd_minutes / 60)
    for metric in ("Wq", "L"):
        ci = interval99(stats[metric])
        assert ci.contains(exact[metric]), (name, metric, exact[metric], ci)


# -- networks and time-varying arrivals, through the production job generator ---------------------------------
def service_plan(sid: str, per_hour: float, mean: float, end: float, follow_ups=()) -> ServicePlan:
    return ServicePlan(
        id=sid,
        name=sid,
        slots={DayType.MON_THU: ((0.0, end, per_hour / 60),)} if per_hour else {},
        monthly={},
        seasons=(),
        factor=1.0,
        time=Exponential(distribution="exponential", mean_minutes=mean),
        target=ServiceTarget(wait_minutes=10, share=0.8),
        servers=ServerModel(positions=("X",)),
        follow_ups=follow_ups,
    )


MONDAY = Day(date(2026, 7, 6), DayType.MON_THU, False, None)


def test_jackson_network() -> None:
    """Reception (2 clerks, 4 min) -> counter (7, 15 min) -> cashier (1, 3 min) with feedback (§3.6)."""
    end = WARM + WINDOW + COOL
    services = (
        service_plan("reception", LAM, 4.0, end, follow_ups=((1, 0.9),)),
        service_plan("counter", 0.0, 15.0, end, follow_ups=((2, 0.4),)),
        service_plan("cashier", 0.0, 3.0, end, follow_ups=((1, 0.1),)),
    )
    unit = UnitPlan("NET", "network", "queue", tuple(JobClass(s.id) for s in services), services)
    hours = OpenHours((0.0, end), ((0.0, end),))
    specs = [ServerSpec((0,), ((0.0, math.inf),))] * 2 + [ServerSpec((1,), ((0.0, math.inf),))] * 7
    specs += [ServerSpec((2,), ((0.0, math.inf),))]
    network, counter_wq, reception_l = [], [], []
    for rep in range(REPLICATIONS):
        jobs = day_jobs(unit, MONDAY, hours, Streams(SEED, rep), None, False, False)
        records = QueueRun(unit.classes, specs, jobs.with_backlog([], 0.0)).run()
        assert violations(records) == []
        first = records.customer == np.arange(len(records.arrival))
        measured = first & (records.arrival >= WARM) & (records.arrival < WARM + WINDOW)
        last_end = np.zeros(len(records.arrival))
        np.maximum.at(last_end, records.customer, records.end)
        network.append(float(np.mean(last_end[measured] - records.arrival[measured])))
        visits = (records.cls == 1) & (records.arrival >= WARM) & (records.arrival < WARM + WINDOW)
        counter_wq.append(float(np.mean((records.start - records.arrival)[visits])))
        busy_reception = (records.cls == 0) & (records.arrival < WARM + WINDOW)
        ups = records.arrival[busy_reception]
        downs = records.end[busy_reception]
        reception_l.append(float(step_area(ups, downs, np.array([WARM, WARM + WINDOW]))[0]) / WINDOW)
    assert interval99(network).contains(24.6093), interval99(network)
    assert interval99(counter_wq).contains(1.6499), interval99(counter_wq)
    assert interval99(reception_l).contains(2.4), interval99(reception_l)


def test_mt_m_infinity_occupancy_and_arrival_counts() -> None:
    """Piecewise Poisson arrivals 10, 30, 20, 15 per hour over 2-h blocks, 15-min service, start empty (§3.7)."""
    rates, ends = (10.0, 30.0, 20.0, 15.0), (120.0, 240.0, 360.0, 480.0)
    starts = (0.0, *ends[:-1])
    service = ServicePlan(
        id="mt",
        name="mt",
        slots={DayType.MON_THU: tuple((a, b, r / 60) for a, b, r in zip(starts, ends, rates, strict=True))},
        monthly={},
        seasons=(),
        factor=1.0,
        time=Exponential(distribution="exponential", mean_minutes=15.0),
        target=ServiceTarget(wait_minutes=10, share=0.8),
        servers=ServerModel(positions=("X",)),
    )
    unit = UnitPlan("MT", "mt", "queue", (JobClass("mt"),), (service,))
    hours = OpenHours((0.0, 480.0), ((0.0, 480.0),))
    probes = np.array([0.5, 1, 2, 3, 4, 5, 6, 7, 8]) * 60
    occupancy, counts = [], []
    for rep in range(400):
        jobs = day_jobs(unit, MONDAY, hours, Streams(SEED, rep), None, False, False)
        records = QueueRun(unit.classes, [ServerSpec((0,), ((0.0, math.inf),))] * 40, jobs.with_backlog([], 0.0)).run()
        ups, downs = presence_steps(records)
        occupancy.append([np.sum(ups <= t) - np.sum(downs <= t) for t in probes])
        counts.append(np.histogram(records.arrival, bins=(0.0, *ends))[0])
    occupancy, counts = np.array(occupancy, dtype=float), np.array(counts, dtype=float)
    for k, t in enumerate(probes):
        exact = mt_m_inf(rates, [e / 60 for e in ends], 4.0, t / 60)
        ci = interval99(occupancy[:, k])
        assert ci.contains(exact), (t, exact, ci)
    for k, expected in enumerate((20.0, 60.0, 40.0, 30.0)):
        assert interval99(counts[:, k]).contains(expected)
        # Poisson counts: the variance equals the mean (a loose check: the sample variance is within 25 %).
        assert abs(np.var(counts[:, k], ddof=1) / expected - 1) < 0.25


# -- shift changes: an exact transient solution of a whole service day --------------------------------------
BREAK_DAY = BREAK_DAY_PERIODS


def simulated_day_waiting(semantics: str, days: int = 2000) -> list[float]:
    """Total customer waiting (minutes) of each simulated day: three clerks, B and C on a 12:00-13:00 break."""
    return [records.area_waiting for records, _unit in break_day_records(semantics, days)]


@pytest.mark.parametrize(
    ("semantics", "other"), [("finish_current", "preempt_resume"), ("preempt_resume", "finish_current")]
)
def test_shift_change_semantics_match_the_exact_day(semantics: str, other: str) -> None:
    """Each documented semantic reproduces its own exact expected waiting, and not the other's (they differ ~20 %)."""
    exact = ThreeClerkDay(1 / 15, BREAK_DAY, semantics, max_queue=40).expected_total_waiting()
    wrong = ThreeClerkDay(1 / 15, BREAK_DAY, other, max_queue=40).expected_total_waiting()
    ci = interval99(simulated_day_waiting(semantics))
    assert ci.contains(exact), (semantics, exact, ci)
    assert not ci.contains(wrong), (semantics, wrong, ci)
