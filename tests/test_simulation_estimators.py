"""The reported per-customer KPIs against exact values (docs/simulation.md, "Estimators").

The mean wait is the mean over the customers served, pooled over replications (sum of waits / customers), with
a delta-method interval; per slot too, where single replications have only a handful of customers and the old
mean of per-replication means was badly biased (M/D/1: 19.2 against the exact 22.5 minutes). The exact values
are computed independently: Pollaczek-Khinchine, Erlang C, and the transient CTMC of a whole service day.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from simulation_theory import BREAK_DAY_PERIODS, ThreeClerkDay, break_day_records, mmc, tallied_replications

from decision_support.simulation.plan import BASELINE, PROPOSAL
from decision_support.simulation.results import comparisons
from decision_support.simulation.stats import pooled_quantile, ratio_difference, ratio_estimate
from decision_support.simulation.tally import StaffTally, UnitTally

SEED = 20260701
EXACT_MD1 = 22.5  # Pollaczek-Khinchine, lambda 3/h, deterministic 15 min
MM7 = mmc(20.0, 4.0, 7)  # Wq 2.4311 min, P(wait) 0.3241


def slot_wait(reps):
    metrics = comparisons(reps)
    (key,) = [k for k in metrics if k[0] == "slot" and k[2] == "wait_mean"]
    return metrics[key]


def widened(est, confidence: float) -> tuple[float, float]:
    """The 95 % interval of ``est`` widened to ``confidence`` (same t-based scale, n large)."""
    from decision_support.simulation.stats import t_quantile

    scale = t_quantile(0.5 + confidence / 2, 10_000) / t_quantile(0.975, 10_000)
    half = (est.high - est.low) / 2 * scale
    return est.mean - half, est.mean + half


@pytest.mark.parametrize(
    ("name", "servers", "per_hour", "service", "warm", "reps", "exact"),
    [
        ("M/D/1", 1, 3.0, lambda rng, n: np.full(n, 15.0), 50 * 60.0, 1000, EXACT_MD1),
        ("M/M/7", 7, 20.0, lambda rng, n: rng.exponential(15.0, n), 10 * 60.0, 600, MM7["Wq"]),
    ],
)
def test_slot_mean_wait_is_the_ratio_estimator(name, servers, per_hour, service, warm, reps, exact) -> None:
    """One steady-state hour per replication: the pooled ratio contains the exact Wq, the mean of the
    per-replication means (the old estimator) does not."""
    runs = tallied_replications(SEED, reps, servers=servers, per_hour=per_hour, service=service, warm=warm, slots=1)
    wait = slot_wait(runs).proposal
    low, high = widened(wait, 0.99)
    assert low <= exact <= high, (name, exact, wait)
    per_replication = np.array(
        [r[PROPOSAL][k] for r in runs for k in r[PROPOSAL] if k[0] == "slot" and k[2] == "wait_mean"]
    )
    old = np.nanmean(per_replication)
    half = 2.58 * np.nanstd(per_replication, ddof=1) / math.sqrt(np.count_nonzero(~np.isnan(per_replication)))
    assert not (old - half <= exact <= old + half), (name, "the biased estimator should miss", old, half)


def steady_waits(servers: int, reps: int = 30) -> list[np.ndarray]:
    """Per replication, the waits of the customers arriving after a 10-hour warm-up, over 50 hours."""
    from simulation_theory import single_station

    out = []
    for rep in range(reps):
        records = single_station(
            SEED,
            rep,
            servers=servers,
            per_hour=20.0,
            service=lambda rng, n: rng.exponential(15.0, n),
            horizon=70 * 60.0,
        )
        first = records.customer == np.arange(len(records.arrival))
        inside = first & (records.arrival >= 600.0) & (records.arrival < 3600.0)
        out.append((records.start - records.arrival)[inside])
    return out


def test_p90_share_waiting_and_service_level_estimators_match_erlang_c() -> None:
    waits = steady_waits(7)
    counts = np.array([len(w) for w in waits], dtype=float)
    theta = 7 * 4.0 - 20.0  # per hour
    exact_p90 = 60 * math.log(MM7["P_wait"] / 0.1) / theta  # 8.8203 min
    exact_within_10 = 1 - MM7["P_wait"] * math.exp(-theta * 10 / 60)
    p90 = pooled_quantile(waits, 0.9, confidence=0.99)
    assert p90.low <= exact_p90 <= p90.high, (exact_p90, p90)
    share = ratio_estimate(np.array([np.sum(w > 1e-9) for w in waits], dtype=float), counts, confidence=0.99)
    assert share.low <= MM7["P_wait"] <= share.high, share
    level = ratio_estimate(np.array([np.sum(w <= 10) for w in waits], dtype=float), counts, confidence=0.99)
    assert level.low <= exact_within_10 <= level.high, level
    # Negative control: the M/M/6 waits are far from the M/M/7 p90.
    wrong = pooled_quantile(steady_waits(6, 10), 0.9, confidence=0.99)
    assert not wrong.low <= exact_p90 <= wrong.high


def test_mean_wait_of_a_whole_day_matches_the_exact_ctmc_through_the_production_tally() -> None:
    """Per-customer mean wait of the day = E[total waiting] / E[arrivals] (everyone is served)."""
    exact_total = ThreeClerkDay(1 / 15, BREAK_DAY_PERIODS, "finish_then_leave", max_queue=40).expected_total_waiting()
    expected_arrivals = sum((p.end - p.start) * p.rate for p in BREAK_DAY_PERIODS)
    exact = exact_total / expected_arrivals
    runs = []
    for records, unit in break_day_records("finish_then_leave", 1500):
        tally = UnitTally(unit, np.array([0.0, 240.0, 480.0, 1200.0]))
        tally.add_day(records, ["A", "B", "C"], 0.0, StaffTally())
        kpis = tally.finish(3, 3.0, 235, 1250)
        runs.append({BASELINE: kpis, PROPOSAL: kpis})
    wait = comparisons(runs)[("unit", "DAY", "wait_mean")].proposal
    low, high = widened(wait, 0.99)
    assert low <= exact <= high, (exact, wait)


def test_ratio_interval_needs_two_replications_with_customers() -> None:
    assert math.isnan(ratio_estimate(np.array([0.0, 5.0, 0.0]), np.array([0.0, 1.0, 0.0])).low)
    est = ratio_estimate(np.array([10.0, 30.0, 0.0]), np.array([2.0, 3.0, 0.0]))
    assert est.mean == pytest.approx(8.0) and est.n == 2 and est.low < 8.0 < est.high
    same = ratio_difference(np.array([1.0, 2.0]), np.array([1.0, 1.0]), np.array([1.0, 2.0]), np.array([1.0, 1.0]))
    assert (same.mean, same.low, same.high) == (0.0, 0.0, 0.0)
