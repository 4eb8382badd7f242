"""Memory flat in the number of replications: results stream, and per-customer values never outlive their
replication (the pooled p90 is folded into a histogram to the second)."""

from __future__ import annotations

import math
from collections.abc import Iterator

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from decision_support import api
from decision_support.execution.base import IN_FLIGHT_PER_WORKER
from decision_support.simulation.results import fold
from decision_support.simulation.stats import QUANTILE_RESOLUTION, PooledQuantile, pooled_quantile
from decision_support.simulation.tally import SAMPLE

waits = st.lists(
    st.lists(st.floats(min_value=0, max_value=600, allow_nan=False), max_size=25).map(
        lambda xs: np.rint(np.array(xs, dtype=float) / QUANTILE_RESOLUTION) * QUANTILE_RESOLUTION
    ),
    min_size=1,
    max_size=8,
)


def same(a: float, b: float) -> bool:
    return (math.isnan(a) and math.isnan(b)) or abs(a - b) <= 1e-9 * max(1.0, abs(b))


@settings(max_examples=150, deadline=None)
@given(waits, st.sampled_from([0.1, 0.5, 0.9, 0.99]))
def test_the_streamed_quantile_equals_the_pooled_quantile_of_the_values_to_the_second(
    reps: list[np.ndarray], p: float
) -> None:
    streamed = PooledQuantile()
    for values in reps:
        streamed.add(values)
    got, want = streamed.estimate(p, len(reps)), pooled_quantile(reps, p)
    assert got.n == want.n
    assert same(got.mean, want.mean) and same(got.low, want.low) and same(got.high, want.high), (got, want)


def test_values_are_pooled_to_the_nearest_second() -> None:
    streamed = PooledQuantile()
    streamed.add(np.array([0.0, 1.0 / 60 * 0.4, 2.0 + 1.0 / 60 * 0.6]))
    assert streamed.quantile(0.0) == 0.0 and streamed.quantile(1.0) == (2 * 60 + 1) / 60


def test_a_replication_keeps_its_kpis_and_hands_its_customers_waits_to_the_pool() -> None:
    pooled: dict = {}
    rep = {"baseline": {("unit", "U", "wait_p90"): 3.0, ("unit", "U", "wait_p90" + SAMPLE): np.array([1.0, 5.0])}}
    assert fold(rep, pooled) == {"baseline": {("unit", "U", "wait_p90"): 3.0}}
    assert pooled[("baseline", ("unit", "U", "wait_p90" + SAMPLE))].counts.sum() == 2


def square(_shared: None, item: int) -> int:
    return item * item


def test_executors_take_items_lazily_with_a_bounded_number_in_flight() -> None:
    pulled = []

    def items() -> Iterator[int]:
        for i in range(1000):
            pulled.append(i)
            yield i

    with api.executor_from_url("local", workers=2) as pool:
        results = pool.imap(square, items())
        assert next(results) == 0
        assert len(pulled) <= 2 * IN_FLIGHT_PER_WORKER + 1
        results.close()
    pulled.clear()
    with api.SerialExecutor() as serial:
        assert next(serial.imap(square, items())) == 0
        assert len(pulled) == 1
