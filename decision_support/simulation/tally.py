"""Per replication and arm, the running totals of one queue or office unit over the simulated days.

:meth:`UnitTally.add_day` folds one unit-day's records into sums; :meth:`UnitTally.finish` turns the sums into
the replication's KPIs, keyed ``(scope, entity, metric)``:

- ``("unit", U, m)`` and ``("service", S, m)`` for m in arrivals, served, blocked, baulked, reneged, unserved
  (per open day), wait_mean and wait_p90 (minutes until service starts, customers who were served),
  wait_share (% of the customers served who waited at all) and service_level (% of all arrivals whose service
  started within the service's target wait);
- ``("unit", U, m)`` also for utilisation (busy time inside the shifts / on-duty time; work after a shift's end
  is overtime_hours), backlog_hours (back-office work left at the end of the day), back_office_hours,
  staff_on_duty (present, per open day), workload_hours_year (customer and back-office work arriving, annualised
  over the working days per year), holders (employees whose position is in the unit), staff (people assigned to
  work there, by the rosters) and ej = workload / (staff x WKE);
- ``("slot", "U@HH:MM", m)`` for queue_mean (time-average number waiting in the slot), and arrivals, served and
  wait_mean of the customers who arrived in the slot;
- ratio KPIs (:data:`RATIO_METRICS`) also carry their numerator and denominator (``m#num``, ``m#den``) and
  wait_p90 the waits themselves (``wait_p90#sample``), for the estimators pooled over replications;
- ``("staff", NIP, m)`` via :class:`StaffTally` for utilisation, busy_hours (including overtime), overtime_hours
  (per day at work), workload_hours_year and ej (workload_hours_year / WKE).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .engine import BAULKED, BLOCKED, DONE, RENEGED, UNSERVED, QueueRecords
from .metrics import customer_mask, first_waits, queue_steps, shift_overlap, step_area
from .plan import UnitPlan

Key = tuple[str, str, str]
#: Suffixes of the hidden per-replication parts of ratio KPIs (numerator, denominator) and of quantiles (the
#: customers' values); :func:`~.results.comparisons` pools them over replications and does not report them.
NUM, DEN, SAMPLE = "#num", "#den", "#sample"
#: The KPIs estimated as ratios over replications (docs/simulation.md, "Estimators").
RATIO_METRICS = frozenset({"wait_mean", "wait_share", "service_level", "utilisation"})


def put_ratio(out: dict, scope: tuple[str, str], metric: str, num: float, den: float) -> None:
    """The replication's value num / den (nan when den = 0) and its hidden parts for the pooled estimator."""
    out[(*scope, metric)] = num / den if den else float("nan")
    out[(*scope, metric + NUM)] = float(num)
    out[(*scope, metric + DEN)] = float(den)


#: A wait longer than this (minutes) counts as having waited (``wait_share``), not as rounding noise.
WAITED = 1e-9
OUTCOMES = {"served": DONE, "blocked": BLOCKED, "baulked": BAULKED, "reneged": RENEGED, "unserved": UNSERVED}


def slot_label(minutes: float) -> str:
    return f"{int(minutes // 60):02d}:{int(minutes % 60):02d}"


@dataclass
class StaffTally:
    """Busy, on-duty and overtime minutes of each person over the days they worked, in one arm."""

    busy: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    overtime_busy: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    on_duty: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    days: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def finish(self, days_per_year: int, wke_hours: int) -> dict[Key, float]:
        out: dict[Key, float] = {}
        for nip in sorted(self.on_duty):
            per_day = self.busy[nip] / max(self.days[nip], 1)
            hours_year = per_day * days_per_year / 60.0
            duty = self.on_duty[nip]
            inside = self.busy[nip] - self.overtime_busy[nip]
            put_ratio(out, ("staff", nip), "utilisation", inside, duty)
            out[("staff", nip, "busy_hours")] = per_day / 60.0
            out[("staff", nip, "overtime_hours")] = self.overtime_busy[nip] / max(self.days[nip], 1) / 60.0
            out[("staff", nip, "workload_hours_year")] = hours_year
            out[("staff", nip, "ej")] = hours_year / wke_hours
        return out


class UnitTally:
    """Sums over the counted days of one queue or office unit in one arm."""

    def __init__(self, unit: UnitPlan, edges: np.ndarray) -> None:
        self.unit = unit
        self.edges = edges
        n = len(unit.classes)
        self.customer = np.array([c.customer for c in unit.classes], dtype=bool)
        self.targets = np.array([sv.target.wait_minutes for sv in unit.services] + [np.inf] * (n - len(unit.services)))
        self.counts = {name: np.zeros(n) for name in ("arrivals", *OUTCOMES, "within", "wait_sum", "started", "waited")}
        self.waits: list[list[np.ndarray]] = [[] for _ in range(n)]
        self.slot_area = np.zeros(len(edges) - 1)
        self.slot_arrivals = np.zeros(len(edges) - 1)
        self.slot_served = np.zeros(len(edges) - 1)
        self.slot_started = np.zeros(len(edges) - 1)
        self.slot_wait = np.zeros(len(edges) - 1)
        self.totals: defaultdict[str, float] = defaultdict(float)
        self.days = 0

    def add_day(self, records: QueueRecords, nips: list[str], back_office_work: float, staff: StaffTally) -> None:
        """Fold one counted day's records in; ``nips`` names the servers in order."""
        self.days += 1
        n = len(self.unit.classes)
        mask = customer_mask(records)
        self.counts["arrivals"] += np.bincount(records.cls, minlength=n)
        for name, state in OUTCOMES.items():
            self.counts[name] += np.bincount(records.cls[records.state == state], minlength=n)
        waits, classes = first_waits(records, mask)
        self.counts["started"] += np.bincount(classes, minlength=n)
        self.counts["wait_sum"] += np.bincount(classes, weights=waits, minlength=n)
        self.counts["within"] += np.bincount(classes[waits <= self.targets[classes] + 1e-9], minlength=n)
        self.counts["waited"] += np.bincount(classes[waits > WAITED], minlength=n)
        for c in range(len(self.unit.services)):
            self.waits[c].append(waits[classes == c])
        ups, downs = queue_steps(records, mask)
        self.slot_area += step_area(ups, downs, self.edges)
        first = mask & (records.customer == np.arange(len(records.arrival)))
        self._add_slots(records, first)
        self._add_work(records, mask, back_office_work)
        self._add_staff(records, mask, nips, staff)

    def _add_slots(self, records: QueueRecords, first: np.ndarray) -> None:
        """Per arrival slot: the customers who arrived, were served, and their waits until service."""
        arrival = records.arrival[first]
        self.slot_arrivals += np.histogram(arrival, bins=self.edges)[0]
        self.slot_served += np.histogram(arrival[records.state[first] == DONE], bins=self.edges)[0]
        started = ~np.isnan(records.start[first])
        waits = records.start[first][started] - arrival[started]
        self.slot_started += np.histogram(arrival[started], bins=self.edges)[0]
        self.slot_wait += np.histogram(arrival[started], bins=self.edges, weights=waits)[0]

    def _add_work(self, records: QueueRecords, mask: np.ndarray, back_office_work: float) -> None:
        t = self.totals
        t["customer_work"] += float(records.work[mask].sum())
        t["back_office_work"] += back_office_work
        pending = ~mask & (records.state != DONE)
        t["backlog"] += float(records.remaining[pending].sum())
        seg_customer = mask[records.seg_job] if len(records.seg_job) else np.zeros(0, dtype=bool)
        durations = records.seg_end - records.seg_start
        t["back_office_done"] += float(durations[~seg_customer].sum())

    def _add_staff(self, records: QueueRecords, mask: np.ndarray, nips: list[str], staff: StaffTally) -> None:
        durations = records.seg_end - records.seg_start
        overtime = durations - shift_overlap(records)
        busy = np.bincount(records.seg_server, weights=durations, minlength=len(nips))
        extra = np.bincount(records.seg_server, weights=overtime, minlength=len(nips))
        for i, nip in enumerate(nips):
            duty = sum(b - a for a, b in records.shifts[i])
            staff.busy[nip] += busy[i]
            staff.on_duty[nip] += duty
            staff.overtime_busy[nip] += extra[i]
            staff.days[nip] += 1
            self.totals["busy"] += busy[i]
            self.totals["on_duty"] += duty
            self.totals["overtime"] += extra[i]
            self.totals["staff_days"] += 1

    # -- results -----------------------------------------------------------------------------------------------
    def finish(self, holders: int, staff: float, days_per_year: int, wke_hours: int) -> dict[Key, float]:
        """The replication's KPIs of this unit, its services and its time slots."""
        uid, out = self.unit.id, {}
        days = max(self.days, 1)
        services = [sv.id for sv in self.unit.services]
        for c, sid in enumerate(services):
            out.update(self._service_kpis(("service", sid), [c], days))
        if services:
            out.update(self._service_kpis(("unit", uid), list(range(len(services))), days))
        t = self.totals
        inside = t["busy"] - t["overtime"]
        put_ratio(out, ("unit", uid), "utilisation", inside, t["on_duty"])
        out[("unit", uid, "overtime_hours")] = t["overtime"] / days / 60.0
        out[("unit", uid, "backlog_hours")] = t["backlog"] / days / 60.0
        out[("unit", uid, "back_office_hours")] = t["back_office_done"] / days / 60.0
        out[("unit", uid, "staff_on_duty")] = t["staff_days"] / days
        hours_year = (t["customer_work"] + t["back_office_work"]) / days * days_per_year / 60.0
        out[("unit", uid, "workload_hours_year")] = hours_year
        out[("unit", uid, "holders")] = float(holders)
        out[("unit", uid, "staff")] = staff
        out[("unit", uid, "ej")] = hours_year / (staff * wke_hours) if staff else float("nan")
        if services:
            for k, start in enumerate(self.edges[:-1]):
                label = f"{uid}@{slot_label(start)}"
                out[("slot", label, "queue_mean")] = self.slot_area[k] / (self.edges[k + 1] - start) / days
                out[("slot", label, "arrivals")] = self.slot_arrivals[k] / days
                out[("slot", label, "served")] = self.slot_served[k] / days
                put_ratio(out, ("slot", label), "wait_mean", self.slot_wait[k], self.slot_started[k])
        return out

    def _service_kpis(self, scope: tuple[str, str], classes: list[int], days: int) -> dict[Key, Any]:
        def total(name: str) -> float:
            return float(self.counts[name][classes].sum())

        arrivals = total("arrivals")
        out: dict[Key, float] = {(*scope, "arrivals"): arrivals / days}
        for name in OUTCOMES:
            out[(*scope, name)] = total(name) / days
        started = total("started")
        waits = [w for c in classes for w in self.waits[c]]
        pooled = np.concatenate(waits) if waits else np.zeros(0)
        put_ratio(out, scope, "wait_mean", total("wait_sum"), started)
        put_ratio(out, scope, "wait_share", 100.0 * total("waited"), started)
        out[(*scope, "wait_p90")] = float(np.percentile(pooled, 90)) if len(pooled) else float("nan")
        out[(*scope, "wait_p90" + SAMPLE)] = pooled  # type: ignore[assignment]
        put_ratio(out, scope, "service_level", 100.0 * total("within"), arrivals)
        return out
