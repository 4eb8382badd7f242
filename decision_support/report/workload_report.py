"""Render a :class:`~decision_support.workload.WorkloadReport` as a terminal table, JSON or CSV."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, cast

from ..i18n import N_, _, ngettext
from ..workload import WorkloadReport
from .formatting import number, shorten, signed, text_table, to_csv, to_json

NAME_WIDTH = 40

VIEWS = ("unit", "opd", "position", "school", "teacher")
SORTS = ("ej", "gap", "id")


def rows_of(report: WorkloadReport, view: str) -> list[Any]:
    views: dict[str, list[Any]] = {
        "unit": report.units,
        "opd": report.opds,
        "position": report.positions,
        "school": report.schools,
        "teacher": report.teachers,
    }
    return views[view]


def _sort_key(sort: str) -> Callable[[Any], Any]:
    if sort == "ej":
        # Most overloaded first; vacancies (no EJ) before everything, they need someone most.
        return lambda r: (0, 0.0) if getattr(r, "ej", None) is None else (1, -r.ej)
    if sort == "gap":
        return lambda r: r.gap
    return lambda r: getattr(r, "unit", None) or getattr(r, "position", None) or getattr(r, "school", "")


def sorted_rows(report: WorkloadReport, view: str, sort: str) -> list[Any]:
    rows = list(rows_of(report, view))
    if view in ("school", "teacher") and sort == "ej":
        sort = "gap"  # teachers have no EJ; the largest shortage comes first
    return sorted(rows, key=_sort_key(sort)) if sort != "id" else rows


def render(report: WorkloadReport, view: str, fmt: str, sort: str = "ej") -> str:
    """The report in ``fmt`` (table, json, csv); table and csv show ``view``, JSON has every view."""
    if fmt == "json":
        return to_json(report)
    rows = sorted_rows(report, view, sort)
    if fmt == "csv":
        return to_csv(rows)
    return render_table(report, view, rows)


def _header(report: WorkloadReport) -> list[str]:
    lines = [
        _("Workload analysis (ABK): {name}").format(name=report.dataset_name),
        _("Data as of {as_of}; effective working time (WKE) {wke} hours/year.").format(
            as_of=report.as_of, wke=number(report.wke_hours)
        ),
    ]
    if report.synthetic:
        lines.append(_("Note: this dataset is synthetic example data, not real employees."))
    return lines


_UNIT_HEADERS = (
    N_("Unit"),
    N_("Name"),
    N_("Workload h/yr"),
    N_("FTE"),
    N_("Need"),
    N_("Formasi"),
    N_("Holders"),
    N_("Gap"),
    N_("EJ"),
    N_("Band"),
)
_POSITION_HEADERS = (
    N_("Position"),
    N_("Name"),
    N_("Unit"),
    N_("Workload h/yr"),
    N_("FTE"),
    N_("Need"),
    N_("Formasi"),
    N_("Holders"),
    N_("Gap"),
    N_("EJ"),
    N_("Band"),
)
_SCHOOL_HEADERS = (
    N_("School"),
    N_("Name"),
    N_("Level"),
    N_("Rombel"),
    N_("Need"),
    N_("Holders"),
    N_("Gap"),
    N_("Short in"),
    N_("Surplus in"),
)
_TEACHER_HEADERS = (
    N_("School"),
    N_("Subject"),
    N_("Rombel"),
    N_("JTM/week"),
    N_("Raw need"),
    N_("Need"),
    N_("Rounding"),
    N_("Holders"),
    N_("Gap"),
    N_("JTM/teacher"),
    N_("Load"),
)

_ROUNDING = {
    "exact": N_("exact"),
    "up": N_("up (< 1)"),
    "down": N_("down"),
    "case_by_case": N_("case by case"),
    "none": N_("none"),
}


def _load_label(flag: str, load: dict[str, Any]) -> str:
    if flag == "under":
        return _("under {jtm}").format(jtm=number(load["min_jtm"]))
    return _("over {jtm}").format(jtm=number(load["max_jtm"]))


def _cells(row: Any, view: str, load: dict[str, Any]) -> list[str]:
    if view in ("unit", "opd"):
        return [
            row.unit,
            shorten(row.unit_name, NAME_WIDTH),
            number(row.workload_hours),
            number(row.fte, 2),
            number(row.required),
            number(row.formasi),
            number(row.holders),
            signed(row.gap),
            number(row.ej, 2),
            row.band or "-",
        ]
    if view == "position":
        return [
            row.position,
            shorten(row.position_name, NAME_WIDTH),
            row.unit,
            number(row.workload_hours),
            number(row.fte, 2),
            number(row.required),
            number(row.formasi),
            number(row.holders),
            signed(row.gap),
            number(row.ej, 2),
            row.band or "-",
        ]
    if view == "school":
        return [
            row.school,
            shorten(row.school_name, NAME_WIDTH),
            row.level,
            number(row.rombel),
            number(row.needed),
            number(row.holders),
            signed(row.gap),
            ", ".join(row.short) or "-",
            ", ".join(row.surplus) or "-",
        ]
    return [
        row.school,
        row.subject_name,
        number(row.rombel),
        number(row.jtm_needed),
        number(row.raw_need, 2),
        number(row.needed),
        _(_ROUNDING[row.rounding]),
        number(row.holders),
        signed(row.gap),
        number(row.jtm_per_teacher, 1),
        _load_label(row.load_flag, load) if row.load_flag else "-",
    ]


def _headers_and_numeric(view: str) -> tuple[Sequence[str], set[int]]:
    if view in ("unit", "opd"):
        return _UNIT_HEADERS, {2, 3, 4, 5, 6, 7, 8}
    if view == "position":
        return _POSITION_HEADERS, {3, 4, 5, 6, 7, 8, 9}
    if view == "school":
        return _SCHOOL_HEADERS, {3, 4, 5, 6}
    return _TEACHER_HEADERS, {2, 3, 4, 5, 7, 8, 9}


def render_table(report: WorkloadReport, view: str, rows: list[Any]) -> str:
    headers, numeric = _headers_and_numeric(view)
    lines = _header(report)
    lines.append("")
    if not rows:
        lines.append(_("No rows for this view: the dataset has no data for it."))
        return "\n".join(lines) + "\n"
    lines.append(
        text_table([_(h) for h in headers], [_cells(r, view, report.teacher_load) for r in rows], right=numeric)
    )
    lines.append("")
    lines += _footer(report, view, rows)
    return "\n".join(lines) + "\n"


def _footer(report: WorkloadReport, view: str, rows: list[Any]) -> list[str]:
    short = sum(-r.gap for r in rows if r.gap < 0)
    surplus = sum(r.gap for r in rows if r.gap > 0)
    lines = [
        _("Total shortage: {short}; total surplus: {surplus} (Gap = holders - need).").format(
            short=ngettext("{n} person", "{n} people", short).format(n=number(short)),
            surplus=ngettext("{n} person", "{n} people", surplus).format(n=number(surplus)),
        )
    ]
    if view in ("unit", "opd", "position"):
        lines.append(_("EJ = workload / (holders x WKE): above 1 the holders have more work than time (overloaded)."))
        bands = ", ".join(
            f"{b['band']} {'>' if b['strict'] else '>='} {number(cast(float, b['min']), 2)} ({b['label']})"
            for b in report.ej_bands
        )
        lines.append(_("Bands: {bands}.").format(bands=bands))
        if report.without_abk:
            people = sum(p.holders for p in report.without_abk)
            lines.append(
                ngettext(
                    "{people} holder(s) of {count} position without ABK lines are not analysed; add their tasks to "
                    "workload (see the JSON output, without_abk).",
                    "{people} holder(s) of {count} positions without ABK lines are not analysed; add their tasks to "
                    "workload (see the JSON output, without_abk).",
                    len(report.without_abk),
                ).format(people=number(people), count=number(len(report.without_abk)))
            )
    else:
        lines.append(
            _("Need = curriculum hours x rombel / {jtm} JTM, rounded by the SKB 5 Menteri juknis.").format(
                jtm=number(cast(int, report.teacher_load["standard_jtm"]))
            )
        )
    return lines
