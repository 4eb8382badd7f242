"""Sample-path identities that hold exactly (up to floating point) on every run, whatever the model.

- Little's law on the path: the integral of the number of customers present, measured by the engine while it
  ran, equals the sum of the customers' times in the system computed afterwards from the records.
- The same for the number waiting: the engine's integral equals the integral of the queue rebuilt from the
  records (arrivals, service segments, reneging, sending home).
- Conservation of customers: every customer who arrived was served, blocked, baulked, reneged, sent home, or
  is still inside.
- Conservation of work: for every job, the work received in service segments plus the work left equals the
  requirement; no server serves two jobs at once; no job is served before it arrives.

:func:`violations` returns a message per broken identity (an empty list when all hold).
"""

from __future__ import annotations

import numpy as np

from .engine import BAULKED, BLOCKED, DONE, IN_SERVICE, RENEGED, UNSERVED, WAITING, QueueRecords
from .metrics import customer_mask, presence_steps, queue_steps, step_area

TOLERANCE = 1e-7


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= TOLERANCE * max(1.0, abs(a), abs(b))


def violations(records: QueueRecords) -> list[str]:
    """Every identity of this module that ``records`` break."""
    return [*_little(records), *_customers(records), *_work(records), *_servers(records)]


def _little(records: QueueRecords) -> list[str]:
    found = []
    ups, downs = presence_steps(records)
    edges = np.array([0.0, records.t_end])
    area = float(step_area(ups, downs, edges)[0])
    sojourn = float(downs.sum() - ups[: len(downs)].sum()) if len(downs) == len(ups) else area
    if not _close(records.area_present, area) or not _close(area, sojourn):
        found.append(f"Little: engine integral {records.area_present} vs records {area} vs sojourn sum {sojourn}")
    q_ups, q_downs = queue_steps(records, customer_mask(records))
    queue_area = float(step_area(q_ups, q_downs, edges)[0])
    if not _close(records.area_waiting, queue_area):
        found.append(f"queue integral: engine {records.area_waiting} vs records {queue_area}")
    return found


def _customers(records: QueueRecords) -> list[str]:
    mask = customer_mask(records)
    first = mask & (records.customer == np.arange(len(records.arrival)))
    state = records.state[first]
    outcomes = (BLOCKED, BAULKED, RENEGED, UNSERVED, DONE, WAITING, IN_SERVICE)
    counted = sum(int(np.sum(state == s)) for s in outcomes)
    if counted != len(state):
        return [f"customers: {len(state)} arrived, {counted} accounted for"]
    return []


def _work(records: QueueRecords) -> list[str]:
    received = np.bincount(records.seg_job, weights=records.seg_end - records.seg_start, minlength=len(records.work))
    gap = np.abs(received + records.remaining - records.work)
    found = []
    if len(gap) and float(gap.max()) > TOLERANCE * max(1.0, float(records.work.max())):
        found.append(f"work: received + remaining differs from the requirement by up to {gap.max()}")
    if len(records.seg_job) and np.any(records.seg_start < records.arrival[records.seg_job] - TOLERANCE):
        found.append("work: a job was served before it arrived")
    if np.any(records.seg_end < records.seg_start):
        found.append("work: a service segment ends before it starts")
    return found


def _servers(records: QueueRecords) -> list[str]:
    if not len(records.seg_server):
        return []
    order = np.lexsort((records.seg_start, records.seg_server))
    server = records.seg_server[order]
    same = server[1:] == server[:-1]
    overlap = records.seg_start[order][1:] < records.seg_end[order][:-1] - TOLERANCE
    if np.any(same & overlap):
        return ["servers: a server served two jobs at once"]
    return []
