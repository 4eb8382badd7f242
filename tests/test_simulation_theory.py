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
    STAGGERED_DAY_PERIODS,
    PooledSurplusDay,
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
from decision_support.simulation.engine import UNSERVED, JobClass, QueueRun, ServerSpec
from decision_support.simulation.invariants import violations
from decision_support.simulation.jobs import Streams, day_jobs
from decision_support.simulation.metrics import customer_mask, presence_steps, queue_steps, step_area
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


# -- shift changes: an exact transient solution of a whole service day ------------------------------------------
# Two days with time-varying arrivals and a changing roster (docs/simulation.md "Shift changes"): the break day
# (B and C away 12:00-13:00 while arrivals drop) and the staggered day (B and C leave and return every 20
# minutes). For each semantic the engine offers, the exact CTMC of that rule (SciPy expm_multiply on the
# truncated state space) gives E[total waiting] and E[number waiting] at probe times; the simulated days must
# reproduce them, and must NOT reproduce the other rules (negative controls, including N_exc, which the engine
# does not offer and which the old documentation wrongly said finish_current was).
SEMANTICS = ("finish_then_leave", "preempt_resume")
DAYS = {
    "break": (BREAK_DAY_PERIODS, (130.0, 250.0, 290.0, 400.0)),
    "staggered": (STAGGERED_DAY_PERIODS, (50.0, 230.0, 470.0)),
}


@pytest.fixture(scope="module")
def simulated_days() -> dict[tuple[str, str], dict[str, np.ndarray]]:
    """Per (day, semantic): each simulated day's total waiting and number waiting at the probe times."""
    out = {}
    for day, (periods, probes) in DAYS.items():
        for semantics in SEMANTICS:
            totals, waiting = [], []
            for records, _unit in break_day_records(semantics, 2000, periods=periods):
                totals.append(records.area_waiting)
                ups, downs = queue_steps(records, customer_mask(records))
                waiting.append([np.sum(ups <= t) - np.sum(downs <= t) for t in probes])
            out[(day, semantics)] = {"total": np.array(totals), "waiting": np.array(waiting, dtype=float)}
    return out


def exact_day(day: str, semantics: str) -> dict:
    periods, probes = DAYS[day]
    solution = ThreeClerkDay(1 / 15, periods, semantics, max_queue=40).solve(probes)
    assert solution["truncation"] < 1e-4  # the truncated state space does not matter
    return solution


@pytest.mark.parametrize("day", sorted(DAYS))
@pytest.mark.parametrize("semantics", SEMANTICS)
def test_each_shift_change_semantic_matches_its_exact_day(simulated_days, day: str, semantics: str) -> None:
    exact = exact_day(day, semantics)
    sim = simulated_days[(day, semantics)]
    ci = interval99(sim["total"])
    assert ci.contains(exact["total_waiting"]), (day, semantics, exact["total_waiting"], ci)
    for k, t in enumerate(DAYS[day][1]):
        at = interval99(sim["waiting"][:, k])
        assert at.contains(exact["at"][t][0]), (day, semantics, t, exact["at"][t][0], at)


@pytest.mark.parametrize("day", sorted(DAYS))
@pytest.mark.parametrize(("semantics", "other"), [SEMANTICS, SEMANTICS[::-1]])
def test_negative_control_a_swapped_semantic_fails_the_check(simulated_days, day: str, semantics: str, other: str):
    wrong = exact_day(day, other)["total_waiting"]
    assert not interval99(simulated_days[(day, semantics)]["total"]).contains(wrong)


def test_negative_control_finish_then_leave_is_not_n_exc(simulated_days) -> None:
    """N_exc (the first clerks to become free leave) gives about 30 % more waiting on the staggered day."""
    n_exc = PooledSurplusDay(1 / 15, STAGGERED_DAY_PERIODS, max_queue=40).expected_total_waiting()
    own = exact_day("staggered", "finish_then_leave")["total_waiting"]
    assert n_exc > 1.2 * own
    assert not interval99(simulated_days[("staggered", "finish_then_leave")]["total"]).contains(n_exc)


# -- closing: continuous in the overtime limit, unserved = E[number waiting at closing] -----------------------
def unserved_per_day(semantics: str, limit: float, days: int = 1500) -> np.ndarray:
    return np.array(
        [np.sum(r.state == UNSERVED) for r, _u in break_day_records(semantics, days, max_overtime=limit)], dtype=float
    )


@pytest.mark.parametrize("semantics", SEMANTICS)
def test_closing_is_continuous_in_the_overtime_limit_and_sends_home_those_waiting(semantics: str) -> None:
    """With max_overtime 0 the customers sent home are exactly those waiting at closing: E[Lq(close)], not E[L]
    (preempt_resume sent the ones in service home too: 6.19 per day against E[L] = 6.16, E[Lq] = 3.64)."""
    exact = exact_day("break", semantics)
    closing = ThreeClerkDay(1 / 15, BREAK_DAY_PERIODS, semantics, max_queue=40).solve([480.0])["at"][480.0]
    zero, tiny, minute = (unserved_per_day(semantics, limit) for limit in (0.0, 1e-6, 1.0))
    assert np.array_equal(zero, tiny)  # sample path by sample path: no jump at 0
    assert np.all(minute <= zero) and minute.mean() > zero.mean() - 0.5  # one more minute serves a few more
    ci = interval99(zero)
    assert ci.contains(closing[0]), (semantics, closing, ci)
    assert not ci.contains(closing[1])
    assert exact["total_waiting"] > 0
