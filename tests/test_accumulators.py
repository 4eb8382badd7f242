"""The running accumulators of :func:`~decision_support.simulation.results.comparisons` against the array
estimators of :mod:`decision_support.simulation.stats` applied to every replication's values kept in columns (what
``comparisons`` did before it streamed): same numbers, same gaps, and memory that does not grow with replications.
"""

from __future__ import annotations

import math
import pickle

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from decision_support.simulation.plan import BASELINE, PROPOSAL
from decision_support.simulation.results import Accumulators, Comparison, comparisons
from decision_support.simulation.stats import (
    Estimate,
    Moments,
    estimate,
    paired_difference,
    ratio_difference,
    ratio_estimate,
)
from decision_support.simulation.tally import DEN, NUM

WORSE = 1e-12  # a difference beyond this is "worse", as the product has it


def column(reps: list[dict], arm: str, key: tuple[str, str, str]) -> np.ndarray:
    return np.array([rep.get(arm, {}).get(key, math.nan) for rep in reps], dtype=float)


def reference(reps: list[dict]) -> dict:
    """Every KPI from its per-replication columns (nan where a replication has no value), by the array functions."""
    found = {key for rep in reps for kpis in rep.values() for key in kpis}
    out = {}
    for key in sorted(k for k in found if "#" not in k[2]):
        base, prop = column(reps, BASELINE, key), column(reps, PROPOSAL, key)
        both = ~np.isnan(base) & ~np.isnan(prop)
        worse = None
        if both.any() and key[2] in ("wait_mean", "blocked"):  # lower is better
            worse = float(np.sum(prop[both] - base[both] > WORSE) / both.sum())
        elif both.any() and key[2] == "served":  # higher is better
            worse = float(np.sum(prop[both] - base[both] < -WORSE) / both.sum())
        num, den = (key[0], key[1], key[2] + NUM), (key[0], key[1], key[2] + DEN)
        if num in found:
            yb, xb = column(reps, BASELINE, num), column(reps, BASELINE, den)
            yp, xp = column(reps, PROPOSAL, num), column(reps, PROPOSAL, den)
            out[key] = Comparison(
                ratio_estimate(yb, xb), ratio_estimate(yp, xp), ratio_difference(yb, xb, yp, xp), worse
            )
        else:
            out[key] = Comparison(estimate(base), estimate(prop), paired_difference(base, prop), worse)
    return out


def same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return (math.isnan(a) and math.isnan(b)) or abs(a - b) <= 1e-9 * max(1.0, abs(b))


def same_estimate(a: Estimate, b: Estimate) -> bool:
    return a.n == b.n and same(a.mean, b.mean) and same(a.low, b.low) and same(a.high, b.high)


def assert_agree(got: dict, want: dict) -> None:
    assert list(got) == list(want)
    for key in want:
        g, w = got[key], want[key]
        for part in ("baseline", "proposal", "difference"):
            assert same_estimate(getattr(g, part), getattr(w, part)), (key, part, getattr(g, part), getattr(w, part))
        assert same(g.worse_share, w.worse_share), (key, g.worse_share, w.worse_share)


value = st.one_of(st.just(math.nan), st.floats(-1000, 1000), st.sampled_from([0.0, 2.5, 7.0]))
count = st.one_of(st.just(math.nan), st.integers(0, 40).map(float))
amount = st.one_of(st.just(math.nan), st.floats(0, 5000), st.just(0.0))
PLAIN = [("unit", "A", "blocked"), ("unit", "A", "served"), ("staff", "199001", "ej")]


@st.composite
def arm_kpis(draw: st.DrawFn) -> dict:
    kpis = {key: draw(value) for key in PLAIN if draw(st.booleans())}
    for entity in ("A", "B"):
        if draw(st.integers(0, 4)):  # usually present; sometimes the whole ratio KPI is absent
            x = draw(count)
            y = draw(st.one_of(amount, st.just(3.0 * x if not math.isnan(x) else 0.0)))  # often the same ratio
            kpis[("slot", entity, "wait_mean")] = y / x if x else math.nan
            kpis[("slot", entity, "wait_mean" + NUM)] = y
            kpis[("slot", entity, "wait_mean" + DEN)] = x
    return kpis


replications = st.lists(st.fixed_dictionaries({BASELINE: arm_kpis(), PROPOSAL: arm_kpis()}), min_size=1, max_size=12)


@settings(max_examples=300, deadline=None)
@given(replications)
def test_the_running_sums_give_what_the_array_estimators_give_on_the_columns(reps: list[dict]) -> None:
    assert_agree(comparisons(iter(reps)), reference(reps))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(st.just(math.nan), st.floats(-1e6, 1e6)), max_size=40))
def test_moments_equal_the_t_interval_of_the_values(values: list[float]) -> None:
    moments = Moments()
    for v in values:
        moments.add(v)
    assert same_estimate(moments.estimate(), estimate(np.array(values, dtype=float)))


def test_a_kpi_that_appears_late_or_not_in_one_arm_leaves_gaps_in_means_and_zeros_in_ratios() -> None:
    key, num, den = ("slot", "S", "wait_mean"), ("slot", "S", "wait_mean" + NUM), ("slot", "S", "wait_mean" + DEN)
    reps: list[dict] = [
        {BASELINE: {("unit", "A", "blocked"): 1.0}, PROPOSAL: {}},
        {BASELINE: {}, PROPOSAL: {("unit", "A", "blocked"): 2.0}},
        {BASELINE: {key: 2.0, num: 10.0, den: 5.0}, PROPOSAL: {key: math.nan, num: 0.0, den: 0.0}},
        {BASELINE: {key: 4.0, num: 12.0, den: 3.0}, PROPOSAL: {key: 1.0, num: 4.0, den: 4.0}},
        {
            BASELINE: {("unit", "A", "blocked"): 3.0},
            PROPOSAL: {("unit", "A", "blocked"): 1.0, key: 2.0, num: 8.0, den: 4.0},
        },
    ]
    got = comparisons(iter(reps))
    assert_agree(got, reference(reps))
    blocked = got[("unit", "A", "blocked")]
    assert (blocked.baseline.n, blocked.proposal.n, blocked.difference.n) == (2, 2, 1)
    assert blocked.worse_share == 0.0  # the one replication with both: 1 < 3
    ratio = got[key]
    assert ratio.baseline.mean == 22.0 / 8.0 and ratio.baseline.n == 2  # pooled: (10 + 12) / (5 + 3)
    assert ratio.proposal.mean == 12.0 / 8.0 and ratio.proposal.n == 2


def test_the_same_ratio_in_every_replication_has_an_interval_of_width_zero() -> None:
    key, num, den = (
        ("unit", "U", "service_level"),
        ("unit", "U", "service_level#num"),
        ("unit", "U", "service_level#den"),
    )
    reps = [{arm: {key: 100.0, num: 100.0 * x, den: x} for arm in (BASELINE, PROPOSAL)} for x in (7.0, 31.0, 3.0, 12.0)]
    est = comparisons(iter(reps))[key]
    assert (est.proposal.mean, est.proposal.low, est.proposal.high) == (100.0, 100.0, 100.0)
    assert (est.difference.mean, est.difference.low, est.difference.high) == (0.0, 0.0, 0.0)


def test_nothing_is_kept_per_replication() -> None:
    """The accumulators of 20 and of 2,000 replications of the same KPIs take the same space (the counts aside)."""
    rng = np.random.default_rng(7)
    keys = [("unit", f"U{i}", m) for i in range(20) for m in ("blocked", "wait_mean")]

    def replication() -> dict:
        out: dict = {}
        for arm in (BASELINE, PROPOSAL):
            x = float(rng.integers(1, 50))
            out[arm] = {k: float(rng.normal()) for k in keys}
            out[arm].update(
                {(k[0], k[1], k[2] + NUM): x * 3.0 + float(rng.normal()) for k in keys if k[2] == "wait_mean"}
            )
            out[arm].update({(k[0], k[1], k[2] + DEN): x for k in keys if k[2] == "wait_mean"})
        return out

    sizes = []
    for n in (20, 2000):
        sums = Accumulators()
        for _ in range(n):
            sums.add(replication())
        sizes.append(len(pickle.dumps(sums)))
    assert sizes[1] < 1.5 * sizes[0], sizes  # a few more bytes for larger counts and partial sums, none per replication
