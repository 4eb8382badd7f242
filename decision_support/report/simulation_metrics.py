"""What each simulation KPI is called, in which unit it is shown, and which KPIs each view shows.

Ids (``wait_mean``) are the keys of JSON and CSV output; labels are message ids translated when shown.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..i18n import N_, _
from ..simulation import Comparison, Estimate
from .formatting import number


@dataclass(frozen=True)
class MetricFormat:
    """A KPI's label (message id), the factor it is shown with and its decimals."""

    label: str
    digits: int = 1
    scale: float = 1.0


METRICS = {
    "arrivals": MetricFormat(N_("Customers per day")),
    "served": MetricFormat(N_("Served per day")),
    "unserved": MetricFormat(N_("Sent home unserved per day")),
    "blocked": MetricFormat(N_("Turned away (full) per day")),
    "baulked": MetricFormat(N_("Left on seeing the queue per day")),
    "reneged": MetricFormat(N_("Left the queue per day")),
    "wait_mean": MetricFormat(N_("Mean wait (min)")),
    "wait_p90": MetricFormat(N_("Wait p90 (min)")),
    "wait_share": MetricFormat(N_("Customers who waited (%)")),
    "service_level": MetricFormat(N_("Service level (% within target)")),
    "utilisation": MetricFormat(N_("Utilisation (%)"), 1, 100.0),
    "overtime_hours": MetricFormat(N_("Overtime (staff-hours/day)")),
    "backlog_hours": MetricFormat(N_("Back-office backlog (hours/day)")),
    "back_office_hours": MetricFormat(N_("Back-office work done (hours/day)")),
    "staff_on_duty": MetricFormat(N_("Staff present per day")),
    "staff": MetricFormat(N_("Staff assigned")),
    "holders": MetricFormat(N_("Holders"), 0),
    "workload_hours_year": MetricFormat(N_("Workload (hours/year)"), 0),
    "ej": MetricFormat(N_("EJ (workload / (staff x WKE))"), 2),
    "uncovered_hours_week": MetricFormat(N_("Uncovered class-hours per week")),
    "structural_uncovered_week": MetricFormat(N_("Class-hours without any teacher per week")),
    "covered_hours_week": MetricFormat(N_("Class-hours covered by colleagues per week")),
    "absent_hours_week": MetricFormat(N_("Class-hours of absent teachers per week")),
    "teachers": MetricFormat(N_("Teachers"), 0),
    "teachers_under": MetricFormat(N_("Teachers under the minimum JTM"), 0),
    "teachers_over": MetricFormat(N_("Teachers over the maximum JTM"), 0),
    "jtm_per_teacher": MetricFormat(N_("JTM per teacher per week")),
    "imbalance_cv": MetricFormat(N_("Imbalance: CV of utilisation across units"), 3),
    "utilisation_mean": MetricFormat(N_("Mean utilisation across units (%)"), 1, 100.0),
    "busy_hours": MetricFormat(N_("Busy hours per working day")),
    "jtm_week": MetricFormat(N_("JTM per week")),
    "queue_mean": MetricFormat(N_("Mean queue length")),
}

#: The KPIs of one service's customers, in order (also the head of a queue unit's view).
SERVICE_VIEW = (
    "arrivals",
    "wait_mean",
    "wait_p90",
    "wait_share",
    "service_level",
    "unserved",
    "blocked",
    "baulked",
    "reneged",
)
#: The KPIs shown per unit kind in the terminal and the HTML report, in order.
UNIT_VIEW = {
    "queue": (
        *SERVICE_VIEW,
        "utilisation",
        "overtime_hours",
        "backlog_hours",
        "staff",
        "ej",
    ),
    "office": ("utilisation", "back_office_hours", "backlog_hours", "overtime_hours", "staff", "ej"),
    "school": (
        "teachers",
        "uncovered_hours_week",
        "structural_uncovered_week",
        "covered_hours_week",
        "teachers_under",
        "teachers_over",
        "utilisation",
    ),
}
OVERALL_VIEW = ("imbalance_cv", "utilisation_mean", "service_level", "uncovered_hours_week")
#: Shown only when they happened in either arm (scenarios without capacity, baulking or patience never have them).
OPTIONAL = frozenset({"blocked", "baulked", "reneged"})
STAFF_VIEW = ("utilisation", "busy_hours", "overtime_hours", "workload_hours_year", "ej", "jtm_week")

KINDS = {"queue": N_("customer queue"), "office": N_("back office"), "school": N_("school timetable")}


def shown(metric: str, comparison: Comparison) -> bool:
    """False for an optional KPI that stayed zero in both arms."""
    if metric not in OPTIONAL:
        return True
    return bool(comparison.baseline.mean or comparison.proposal.mean)


def label(metric: str) -> str:
    return _(METRICS[metric].label) if metric in METRICS else metric


def value(metric: str, x: float) -> str:
    """``x`` as shown for ``metric`` in the active language; ``-`` when missing."""
    fmt = METRICS.get(metric, MetricFormat(metric))
    if x != x:  # nan
        return "-"
    return number(x * fmt.scale, fmt.digits)


def with_interval(metric: str, est: Estimate) -> str:
    """``mean ±half-width`` (or just the mean when the interval is zero or undefined)."""
    text = value(metric, est.mean)
    half = est.half_width
    if half == half and half > 0:
        text += " ±" + value(metric, half)
    return text


def difference(metric: str, est: Estimate) -> str:
    """A paired difference as ``+d [low; high]``."""
    if est.mean != est.mean:
        return "-"
    sign = "+" if est.mean > 0 else ""
    text = sign + value(metric, est.mean)
    if est.low == est.low:
        text += f" [{value(metric, est.low)}; {value(metric, est.high)}]"
    return text
