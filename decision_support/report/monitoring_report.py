"""The monitoring report for people (text tables in the active language) and machines (JSON, CSV).

JSON and CSV do not depend on the language: field names and codes are English, numbers use a dot.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict
from datetime import date
from typing import Any

from ..i18n import N_, _, ngettext
from ..monitoring import results as r
from ..monitoring.results import Comparison, Flag, MonitoringReport
from .formatting import number, text_table
from .simulation_metrics import METRICS

SCHEMA = "seimbang.monitoring/1"

#: Labels of the observed values that are not simulation KPIs.
LABELS = {
    "satisfaction": N_("Satisfaction (1-5)"),
    "skp_predicate": N_("SKP predicate"),
    "attendance_pct": N_("Attendance (%)"),
    "overtime_hours": N_("Overtime (hours/day)"),
    "ej": N_("EJ (ABK)"),
    "": N_("all observations"),
}
#: Decimals and scale of each metric as shown (utilisation as per cent, like the simulation report).
DIGITS = {"satisfaction": (1, 1.0), "attendance_pct": (1, 1.0), "ej": (2, 1.0), "utilisation": (1, 100.0)}

STATUS = {
    r.AS_PROJECTED: N_("as projected"),
    r.WORSE: N_("worse than projected"),
    r.BETTER: N_("better than projected"),
    r.DIFFERENT: N_("not as projected"),
    r.NO_PROJECTION: N_("cannot be judged: no projection"),
    r.NO_INTERVAL: N_("cannot be judged: the projection has no interval"),
    r.NOT_OBSERVED: N_("cannot be judged: not observed"),
    r.MISSING: N_("missing: due, but no observation"),
    r.NO_PRE_MOVE_SKP: N_("cannot be judged: no SKP predicate before the move"),
    r.NOT_DUE: N_("not yet due"),
    r.OBSERVED: N_("observed"),
}
FLAG_KINDS = {
    r.LOW_SATISFACTION: N_("Low job satisfaction"),
    r.SKP_DROP: N_("SKP predicate dropped"),
    r.LOW_ATTENDANCE: N_("Low attendance"),
    r.EJ_OUT_OF_BAND: N_("Unit outside the efficiency band"),
    r.SERVICE_WORSE: N_("Service worse than projected"),
}
SKP_WORDS = {
    "sangat_baik": N_("sangat baik"),
    "baik": N_("baik"),
    "butuh_perbaikan": N_("butuh perbaikan"),
    "kurang": N_("kurang"),
    "sangat_kurang": N_("sangat kurang"),
}


def metric_label(metric: str, employee: bool = False) -> str:
    """A metric's name; a unit's KPIs by the simulation report's names, an employee's by their own."""
    if metric in LABELS and (employee or metric not in METRICS or metric == "ej"):
        return _(LABELS[metric])
    return _(METRICS[metric].label) if metric in METRICS else metric


def shown(metric: str, x: float | None) -> str:
    """``x`` as shown for ``metric`` in the active language; ``-`` when missing."""
    if x is None:
        return "-"
    digits, scale = DIGITS.get(
        metric, (METRICS[metric].digits, METRICS[metric].scale) if metric in METRICS else (2, 1.0)
    )
    return number(x * scale, digits)


def interval(c: Comparison) -> str:
    if c.low is None or c.high is None:
        return "-"
    return f"[{shown(c.metric, c.low)}; {shown(c.metric, c.high)}]"


def month(day: date) -> str:
    """A review period as year and month (2027-04)."""
    return f"{day.year:04d}-{day.month:02d}"


def months(n: int) -> str:
    return ngettext("{n} month", "{n} months", n).format(n=n)


def skp(value: str | None) -> str:
    return _(SKP_WORDS[value]) if value in SKP_WORDS else "-"


def evidence(flag: Flag) -> str:
    """The numbers behind a flag, in one sentence."""
    if flag.kind == r.LOW_SATISFACTION:
        return _("satisfaction {value} is below the minimum {limit}").format(
            value=shown("satisfaction", float(flag.observed)), limit=shown("satisfaction", float(flag.limit))
        )
    if flag.kind == r.SKP_DROP:
        return _("SKP predicate '{after}', before the move '{before}' ({year})").format(
            after=skp(str(flag.observed)), before=skp(str(flag.limit)), year=flag.before_year
        )
    if flag.kind == r.LOW_ATTENDANCE:
        return _("attendance {value} % is below the minimum {limit} %").format(
            value=shown("attendance_pct", float(flag.observed)), limit=shown("attendance_pct", float(flag.limit))
        )
    if flag.kind == r.EJ_OUT_OF_BAND:
        return _(
            "EJ {value} is outside the efficiency band {low}-{high} (ABK projection after the moves: {projected})"
        ).format(
            value=shown("ej", float(flag.observed)),
            low=shown("ej", flag.low),
            high=shown("ej", flag.high),
            projected=shown("ej", flag.projected),
        )
    return _("{metric}: observed {value}, projected {projected} with 95 % interval [{low}; {high}]").format(
        metric=metric_label(flag.metric),
        value=shown(flag.metric, float(flag.observed)),
        projected=shown(flag.metric, flag.projected),
        low=shown(flag.metric, flag.low),
        high=shown(flag.metric, flag.high),
    )


def follow_up(flag: Flag) -> str:
    assert flag.review_by is not None
    return _("review again in the period {month}").format(month=month(flag.review_by))


def who(subject: str, id_: str, name: str) -> str:
    if subject == r.EMPLOYEE:
        return f"{id_} {name}"
    return _("unit {id}").format(id=f"{id_} {name}")


def header_lines(report: MonitoringReport) -> list[str]:
    policy = report.policy_file or _("the defaults (docs/monitoring.md)")
    lines = [
        _("Post-transfer monitoring: {name}").format(name=report.name),
        _("Dataset '{dataset}'; moves with TMT {tmt}; observations {folder} up to {as_of}.").format(
            dataset=report.dataset,
            tmt=report.tmt.isoformat(),
            folder=report.observations,
            as_of=report.as_of.isoformat(),
        ),
        _("Projection: {file} (scenario '{scenario}'); policy: {policy}.").format(
            file=report.projection, scenario=report.scenario, policy=policy
        )
        if report.projection
        else _("No projection given: service metrics cannot be judged. Policy: {policy}.").format(policy=policy),
        _(
            "An observed value outside the projection's 95 % interval is not as projected; a unit's EJ is judged "
            "against the band {low}-{high} at {checkpoints} months."
        ).format(
            low=shown("ej", report.policy.ej_min),
            high=shown("ej", report.policy.ej_max),
            checkpoints=", ".join(str(c) for c in report.policy.ej_checkpoints),
        ),
    ]
    if report.synthetic:
        lines.append(_("Note: this is synthetic example data, not real employees."))
    return lines


def summary_line(report: MonitoringReport) -> str:
    flags = ngettext("{n} flag", "{n} flags", len(report.flags)).format(n=len(report.flags))
    missing = ngettext(
        "{n} due checkpoint without observations", "{n} due checkpoints without observations", len(report.missing)
    ).format(n=len(report.missing))
    other = len(report.unjudged) - len(report.missing)
    unjudged = ngettext("{n} value cannot be judged", "{n} values cannot be judged", other).format(n=other)
    verdict = (
        _("Poor adaptation flagged: a follow-up review is proposed for each flag.")
        if report.flagged
        else _("No poor adaptation flagged in what could be judged.")
    )
    return f"{flags}; {missing}; {unjudged}. {verdict}"


Table = tuple[list[str], list[list[str]]]


def flag_rows(report: MonitoringReport) -> Table:
    headers = [_("What"), _("Who or which unit"), _("At"), _("Evidence"), _("Follow-up")]
    rows = [
        [_(FLAG_KINDS[f.kind]), who(f.subject, f.id, f.name), months(f.checkpoint), evidence(f), follow_up(f)]
        for f in report.flags
    ]
    return headers, rows


def unit_rows(report: MonitoringReport) -> Table:
    headers = [_("Unit"), _("At"), _("Metric"), _("Observed"), _("Projected"), _("95 % interval"), _("Judgement")]
    rows = []
    for unit in report.units:
        for cp in unit.checkpoints:
            if cp.status != r.OBSERVED:
                rows.append([unit.unit, months(cp.checkpoint), "", "", "", "", _status_text(cp.status, cp.due)])
                continue
            if cp.ej is not None and (cp.ej.observed is not None or cp.ej.projected is not None):
                rows.append(
                    [
                        unit.unit,
                        months(cp.checkpoint),
                        metric_label("ej"),
                        shown("ej", cp.ej.observed),
                        shown("ej", cp.ej.projected),
                        "-",
                        _band_text(cp.ej_in_band, cp.checkpoint, report),
                    ]
                )
            for c in cp.metrics:
                rows.append(
                    [
                        unit.unit,
                        months(cp.checkpoint),
                        metric_label(c.metric),
                        shown(c.metric, c.observed),
                        shown(c.metric, c.projected),
                        interval(c),
                        _(STATUS[c.status]),
                    ]
                )
    return headers, rows


def _band_text(in_band: bool | None, checkpoint: int, report: MonitoringReport) -> str:
    if in_band is None:
        return _(STATUS[r.NOT_OBSERVED])
    text = _("inside the band") if in_band else _("outside the band")
    if checkpoint not in report.policy.ej_checkpoints:
        text += " " + _("(not judged at this checkpoint)")
    return text


def _status_text(status: str, due: date) -> str:
    if status == r.NOT_DUE:
        return _("not yet due (due {date})").format(date=due.isoformat())
    if status == r.MISSING:
        return _("missing: due {date}, no observation").format(date=due.isoformat())
    return _(STATUS[status])


def employee_rows(report: MonitoringReport) -> Table:
    headers = [
        _("NIP"),
        _("Name"),
        _("Moved to"),
        _("At"),
        metric_label("satisfaction"),
        _("SKP (before the move)"),
        metric_label("attendance_pct"),
        _("Overtime observed / projected"),
        _("Status"),
    ]
    rows = []
    for person in report.employees:
        for cp in person.checkpoints:
            base = [person.nip, person.name, person.to_position, months(cp.checkpoint)]
            if cp.status != r.OBSERVED:
                rows.append([*base, "", "", "", "", _status_text(cp.status, cp.due)])
                continue
            overtime = "-"
            if cp.overtime is not None:
                overtime = f"{shown('overtime_hours', cp.overtime.observed)} / {shown('overtime_hours', cp.overtime.projected)} {interval(cp.overtime)}"
            flagged = [
                _(FLAG_KINDS[f.kind]) for f in report.flags if f.id == person.nip and f.checkpoint == cp.checkpoint
            ]
            rows.append(
                [
                    *base,
                    shown("satisfaction", cp.satisfaction),
                    f"{skp(cp.skp_predicate)} ({skp(person.skp_before)})",
                    shown("attendance_pct", cp.attendance_pct),
                    overtime,
                    "; ".join(flagged) if flagged else _(STATUS[r.OBSERVED]),
                ]
            )
    return headers, rows


def unjudged_lines(report: MonitoringReport) -> list[str]:
    """What could not be judged, one line each: who or which unit, when, what, and why."""
    return [
        f"{who(u.subject, u.id, u.name)}, {months(u.checkpoint)}, "
        f"{metric_label(u.metric, u.subject == r.EMPLOYEE)}: {_(STATUS[u.reason])}"
        for u in report.unjudged
    ]


def render_table(report: MonitoringReport) -> str:
    parts = ["\n".join(header_lines(report)), ""]
    if report.flags:
        parts += [_("Flags and proposed follow-up"), text_table(*flag_rows(report)), ""]
    parts += [_("Units: observed against projected"), text_table(*unit_rows(report), right={3, 4}), ""]
    parts += [_("Moved employees"), text_table(*employee_rows(report), right={4, 6}), ""]
    if report.unjudged:
        parts += [_("Cannot be judged or missing"), *(f"- {line}" for line in unjudged_lines(report)), ""]
    parts.append(summary_line(report))
    return "\n".join(parts) + "\n"


# -- machines ------------------------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"not JSON-serialisable: {type(value).__name__}")


def to_data(report: MonitoringReport) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "name": report.name,
        "dataset": report.dataset,
        "synthetic": report.synthetic,
        "observations": report.observations,
        "projection": report.projection,
        "scenario": report.scenario,
        "tmt": report.tmt,
        "as_of": report.as_of,
        "policy": report.policy.model_dump(mode="json"),
        "policy_file": report.policy_file,
        "flagged": report.flagged,
        "flags": [asdict(f) for f in report.flags],
        "units": [asdict(u) for u in report.units],
        "employees": [asdict(e) for e in report.employees],
        "unjudged": [asdict(u) for u in report.unjudged],
    }


def render_json(report: MonitoringReport) -> str:
    return json.dumps(to_data(report), ensure_ascii=False, indent=2, default=_plain) + "\n"


CSV_FIELDS = (
    "subject",
    "id",
    "name",
    "checkpoint",
    "due",
    "status",
    "metric",
    "observed",
    "projected",
    "low",
    "high",
    "judgement",
    "flag",
)


def _csv_rows(report: MonitoringReport) -> list[list[Any]]:
    flags = {(f.id, f.checkpoint, f.metric): f.kind for f in report.flags}
    rows: list[list[Any]] = []

    def add(
        subject: str, id_: str, name: str, cp: Any, c: Comparison | None, value: Any = None, metric: str = ""
    ) -> None:
        if c is not None:
            cells = [c.metric, c.observed, c.projected, c.low, c.high, c.status]
            metric = c.metric
        else:
            cells = [metric, value, None, None, None, ""]
        rows.append(
            [
                subject,
                id_,
                name,
                cp.checkpoint,
                cp.due.isoformat(),
                cp.status,
                *cells,
                flags.get((id_, cp.checkpoint, metric), ""),
            ]
        )

    for person in report.employees:
        for cp in person.checkpoints:
            if cp.status != r.OBSERVED:
                add(r.EMPLOYEE, person.nip, person.name, cp, None)
                continue
            for metric in ("satisfaction", "skp_predicate", "attendance_pct"):
                add(r.EMPLOYEE, person.nip, person.name, cp, None, getattr(cp, metric), metric)
            if cp.overtime is not None:
                add(r.EMPLOYEE, person.nip, person.name, cp, cp.overtime)
    for unit in report.units:
        for point in unit.checkpoints:
            if point.status != r.OBSERVED:
                add(r.UNIT, unit.unit, unit.name, point, None)
                continue
            for c in ((point.ej,) if point.ej is not None else ()) + point.metrics:
                add(r.UNIT, unit.unit, unit.name, point, c)
    return rows


def render_csv(report: MonitoringReport) -> str:
    """One row per moved employee or unit, checkpoint and metric, with the flag it raised (if any)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_FIELDS)
    for row in _csv_rows(report):
        writer.writerow(["" if x is None else x for x in row])
    return buffer.getvalue()
