"""Statistics from a run's records, vectorised with NumPy (nothing here is computed per event).

The queue length and the number present are step functions of time: +1 at each "up" instant, -1 at each
"down" instant. Their integral over any window follows from the sorted instants and prefix sums, so the
time-average queue per slot of the day costs O((jobs + slots) log jobs).
"""

from __future__ import annotations

import numpy as np

from .engine import BAULKED, BLOCKED, DONE, RENEGED, UNSERVED, QueueRecords


def _area_to(times: np.ndarray, prefix: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Sum over sorted ``times`` of max(0, t - time), for each t."""
    k = np.searchsorted(times, t, side="right")
    return k * t - prefix[k]


def step_area(ups: np.ndarray, downs: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """Integral of N(t) = #(ups <= t) - #(downs <= t) over each window [edges[k], edges[k+1]]."""
    edges = np.asarray(edges, dtype=float)
    total = np.zeros(len(edges))
    for times, sign in ((np.sort(ups), 1.0), (np.sort(downs), -1.0)):
        prefix = np.concatenate([[0.0], np.cumsum(times)])
        total += sign * _area_to(times, prefix, edges)
    return np.diff(total)


def customer_mask(records: QueueRecords) -> np.ndarray:
    """True for the jobs of customer classes."""
    is_customer = np.array([c.customer for c in records.classes], dtype=bool)
    return is_customer[records.cls] if len(records.cls) else np.zeros(0, dtype=bool)


def queue_steps(records: QueueRecords, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Up and down instants of the number waiting among the jobs in ``mask``.

    A job joins the queue when it arrives (unless blocked or baulked) and again when its service is interrupted;
    it leaves the queue when a service segment starts, or when it reneges or is sent home.
    """
    state = records.state
    entered = mask & (state != BLOCKED) & (state != BAULKED)
    seg_mask = mask[records.seg_job] if len(records.seg_job) else np.zeros(0, dtype=bool)
    seg_jobs = records.seg_job[seg_mask]
    seg_end = records.seg_end[seg_mask]
    interrupted = ~((state[seg_jobs] == DONE) & (seg_end == records.end[seg_jobs]))
    left = mask & ((state == RENEGED) | (state == UNSERVED))
    ups = np.concatenate([records.arrival[entered], seg_end[interrupted]])
    downs = np.concatenate([records.seg_start[seg_mask], records.end[left]])
    return ups, downs


def presence_steps(records: QueueRecords) -> tuple[np.ndarray, np.ndarray]:
    """Up and down instants of the number of customers present (first arrival to final departure)."""
    mask = customer_mask(records)
    n = len(records.arrival)
    first = mask & (records.customer == np.arange(n))
    entered = first & (records.state != BLOCKED) & (records.state != BAULKED)
    last = np.full(n, -1, dtype=np.int64)
    np.maximum.at(last, records.customer[mask], np.arange(n)[mask])
    exits = last[entered]
    left = records.end[exits]
    return records.arrival[entered], left[~np.isnan(left)]


def sojourn_total(records: QueueRecords) -> float:
    """Sum over admitted customers of (final departure - first arrival), for customers who have left."""
    ups, downs = presence_steps(records)
    if len(downs) < len(ups):
        raise ValueError("customers still present: the sojourn total is not defined")
    return float(downs.sum() - ups.sum())


def first_waits(records: QueueRecords, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Waits until the first service start of the started jobs in ``mask``, and their classes."""
    started = mask & ~np.isnan(records.start)
    return records.start[started] - records.arrival[started], records.cls[started]


def shift_overlap(records: QueueRecords) -> np.ndarray:
    """Per service segment, the part of it inside its server's on-duty intervals."""
    n = len(records.seg_job)
    if n == 0:
        return np.zeros(0)
    width = max((len(s) for s in records.shifts), default=0)
    if width == 0:
        return np.zeros(n)
    starts = np.full((len(records.shifts), width), np.inf)
    ends = np.full((len(records.shifts), width), -np.inf)
    for i, shifts in enumerate(records.shifts):
        for k, (a, b) in enumerate(shifts):
            starts[i, k], ends[i, k] = a, b
    a, b = starts[records.seg_server], ends[records.seg_server]
    inside = np.minimum(records.seg_end[:, None], b) - np.maximum(records.seg_start[:, None], a)
    return np.clip(inside, 0.0, None).sum(axis=1)
