"""The queue engine's rules, one small deterministic day each, checked on the exact service segments.

Each test states the rule in its docstring; the trace is a list of (job, server, start, end) segments.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from decision_support.simulation.engine import (
    BAULKED,
    BLOCKED,
    DONE,
    RENEGED,
    UNSERVED,
    Behaviour,
    JobClass,
    JobInput,
    QueueRecords,
    QueueRun,
    ServerSpec,
)
from decision_support.simulation.invariants import violations
from decision_support.simulation.metrics import shift_overlap

CUSTOMER, BACK_OFFICE = JobClass("counter"), JobClass("files", customer=False)
ALL_DAY = ((0.0, math.inf),)


def jobs(arrival, work, cls=None, **extra) -> JobInput:
    n = len(arrival)
    return JobInput(
        np.array(arrival, dtype=float),
        np.array(cls if cls is not None else [0] * n, dtype=np.int64),
        np.array(work, dtype=float),
        **extra,
    )


def trace(records: QueueRecords) -> list[tuple[int, int, float, float]]:
    assert violations(records) == []
    rows = zip(records.seg_job, records.seg_server, records.seg_start, records.seg_end, strict=True)
    return sorted((int(j), int(s), float(a), float(b)) for j, s, a, b in rows)


def test_finish_then_leave_the_leaving_clerk_finishes_as_overtime_and_takes_no_one_else() -> None:
    """At B's shift end (50) B finishes its customer (to 60, 10 minutes overtime); the waiting one goes to A."""
    specs = [ServerSpec((0,), ((0.0, 100.0),)), ServerSpec((0,), ((0.0, 50.0),))]
    records = QueueRun([CUSTOMER], specs, jobs([0, 0, 10], [60, 60, 10])).run()
    assert trace(records) == [(0, 0, 0.0, 60.0), (1, 1, 0.0, 60.0), (2, 0, 60.0, 70.0)]
    overtime = (records.seg_end - records.seg_start) - shift_overlap(records)
    assert dict(zip(records.seg_job.tolist(), overtime.tolist(), strict=True)) == {0: 0.0, 1: 10.0, 2: 0.0}


def test_preempt_resume_the_customer_goes_back_to_the_head_with_the_work_left() -> None:
    """At B's shift end (50) its customer (10 minutes left) waits at the head and is resumed by A at 60."""
    specs = [ServerSpec((0,), ((0.0, 100.0),)), ServerSpec((0,), ((0.0, 50.0),))]
    records = QueueRun([CUSTOMER], specs, jobs([0, 0, 10], [60, 60, 10]), semantics="preempt_resume").run()
    assert trace(records) == [(0, 0, 0.0, 60.0), (1, 0, 60.0, 70.0), (1, 1, 0.0, 50.0), (2, 0, 70.0, 80.0)]
    assert records.start[1] == 0.0  # the first start counts for the wait


def test_a_customer_interrupts_back_office_work_which_resumes_afterwards() -> None:
    """Back office is low priority: the file put down at 10 is resumed at 15 with 20 minutes left."""
    specs = [ServerSpec((0, 1), ALL_DAY)]
    records = QueueRun([CUSTOMER, BACK_OFFICE], specs, jobs([0, 10], [30, 5], cls=[1, 0])).run()
    assert trace(records) == [(0, 0, 0.0, 10.0), (0, 0, 15.0, 35.0), (1, 0, 10.0, 15.0)]


def test_back_office_is_put_down_at_the_shift_end_never_finished_as_overtime() -> None:
    specs = [ServerSpec((1,), ((0.0, 20.0), (30.0, 100.0)))]
    records = QueueRun([CUSTOMER, BACK_OFFICE], specs, jobs([0], [30], cls=[1])).run()
    assert trace(records) == [(0, 0, 0.0, 20.0), (0, 0, 30.0, 40.0)]


def test_closing_staff_stay_for_the_customers_inside_until_the_overtime_limit() -> None:
    """Doors close at 100; the clerk serves on until 130 (max_overtime 30); whoever still waits is sent home."""
    specs = [ServerSpec((0,), ((0.0, 100.0),))]
    records = QueueRun([CUSTOMER], specs, jobs([90, 95, 96], [20, 25, 20]), close=100.0, max_overtime=30.0).run()
    assert trace(records) == [(0, 0, 90.0, 110.0), (1, 0, 110.0, 135.0)]
    assert records.state.tolist() == [DONE, DONE, UNSERVED]
    assert records.end[2] == 130.0


@pytest.mark.parametrize("semantics", ["finish_then_leave", "preempt_resume"])
@pytest.mark.parametrize("limit", [0.0, 1e-9, 1.0])
def test_closing_never_sends_a_customer_in_service_home_whatever_the_overtime_limit(semantics, limit) -> None:
    """Doors close at 100 with one customer in service (to 130) and one waiting: the one in service is finished
    for every limit, down to 0 (it was sent home under preempt_resume with 0 but served with 1 minute)."""
    specs = [ServerSpec((0,), ((0.0, 100.0),))]
    records = QueueRun(
        [CUSTOMER], specs, jobs([90, 95], [40, 5]), close=100.0, max_overtime=limit, semantics=semantics
    ).run()
    assert trace(records) == [(0, 0, 90.0, 130.0)]
    assert records.state.tolist() == [DONE, UNSERVED]
    assert records.end[1] == 100.0 + limit


def test_the_specialist_is_chosen_before_the_generalist() -> None:
    """A customer of class 0 goes to B (skills {0}) rather than A (skills {0, 1}), keeping A free for class 1."""
    classes = [CUSTOMER, JobClass("cashier")]
    specs = [ServerSpec((0, 1), ALL_DAY), ServerSpec((0,), ALL_DAY)]
    records = QueueRun(classes, specs, jobs([0, 1], [10, 10], cls=[0, 1])).run()
    assert trace(records) == [(0, 1, 0.0, 10.0), (1, 0, 1.0, 11.0)]


def test_capacity_blocks_baulking_and_reneging_send_customers_away() -> None:
    specs = [ServerSpec((0,), ALL_DAY)]
    blocked = QueueRun([CUSTOMER], specs, jobs([0, 1], [10, 10]), behaviour=Behaviour(capacity=1)).run()
    assert blocked.state.tolist() == [DONE, BLOCKED]
    baulk = Behaviour(baulk=((1, 0.5),))
    baulked = QueueRun(
        [CUSTOMER], specs, jobs([0, 1, 2], [10, 10, 10], baulk_u=np.array([0.9, 0.4, 0.6])), behaviour=baulk
    )
    assert baulked.run().state.tolist() == [DONE, BAULKED, DONE]
    patient = jobs([0, 1], [10, 10], patience=np.array([math.inf, 4.0]))
    reneged = QueueRun([CUSTOMER], specs, patient).run()
    assert reneged.state.tolist() == [DONE, RENEGED]
    assert reneged.end[1] == 5.0
    assert violations(reneged) == []


def test_a_route_adds_the_next_visit_when_the_first_ends() -> None:
    """The customer's second visit (class 1, drawn at arrival) arrives when the first visit ends."""
    classes = [CUSTOMER, JobClass("cashier")]
    specs = [ServerSpec((0,), ALL_DAY), ServerSpec((1,), ALL_DAY)]
    records = QueueRun(classes, specs, jobs([0], [10], routes=[((1, 3.0),)])).run()
    assert trace(records) == [(0, 0, 0.0, 10.0), (1, 1, 10.0, 13.0)]
    assert records.customer.tolist() == [0, 0]
    assert records.area_present == 13.0  # one customer present from 0 to 13
