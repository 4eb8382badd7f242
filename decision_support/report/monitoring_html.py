"""The monitoring report as one self-contained HTML page: flags first, then projected-against-observed charts.

Each chart shows, per unit and checkpoint, the projection (grey bar, 95 % interval whisker) next to the
observation (blue bar); a value that was not observed or has no projection reads "cannot be judged". The long
tables are folded. Everything is inline (CSS, SVG drawn by Matplotlib); texts are in the active language.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from ..i18n import _, current_language, ngettext
from ..monitoring.results import MonitoringReport
from .charts import paired_bars
from .formatting import number
from .monitoring_report import (
    DIGITS,
    employee_rows,
    flag_rows,
    header_lines,
    metric_label,
    months,
    summary_line,
    unit_rows,
    unjudged_lines,
)
from .simulation_data import BarRow, ChartEstimate
from .simulation_html import CSS, _folded, _h2, _h3, _table
from .simulation_metrics import METRICS

#: Unit metrics charted, in order: EJ first (the balance the moves aimed at), then the service.
CHART_METRICS = (
    "ej",
    "wait_mean",
    "service_level",
    "backlog_hours",
    "uncovered_hours_week",
    "utilisation",
    "overtime_hours",
)


def _scale(metric: str) -> tuple[int, float]:
    if metric in DIGITS:
        return DIGITS[metric]
    return (METRICS[metric].digits, METRICS[metric].scale) if metric in METRICS else (1, 1.0)


def chart_rows(report: MonitoringReport, metric: str) -> list[BarRow]:
    """One row per unit and observed checkpoint: the projection (with its interval) and the observation."""
    _digits, scale = _scale(metric)

    def scaled(x: float | None) -> float | None:
        return None if x is None else x * scale

    rows = []
    for unit in report.units:
        for cp in unit.checkpoints:
            found = cp.ej if metric == "ej" else next((c for c in cp.metrics if c.metric == metric), None)
            if found is None or (found.observed is None and found.projected is None):
                continue
            projected = ChartEstimate(scaled(found.projected), scaled(found.low), scaled(found.high))
            observed = ChartEstimate(scaled(found.observed), None, None)
            rows.append(BarRow(f"{unit.unit}, {months(cp.checkpoint)}", projected, observed))
    return rows


def _formatter(metric: str) -> Callable[[float], str]:
    digits, _scale_factor = _scale(metric)
    return lambda x: number(x, digits)


def _charts(report: MonitoringReport) -> str:
    names = (_("Projected"), _("Observed"))
    parts = []
    for metric in CHART_METRICS:
        rows = chart_rows(report, metric)
        if rows:
            chart = paired_bars(rows, _formatter(metric), metric_label(metric), names)
            parts.append(f'<figure class="bars">{_h3(metric_label(metric))}{chart}</figure>')
    if not parts:
        return ""
    note = _(
        "Grey: the projection (simulated mean, whisker: 95 % interval; EJ: the ABK after the moves, no interval). "
        "Blue: the observation at the checkpoint."
    )
    return _h2(_("Projected against observed, per unit")) + f'<p class="meta">{escape(note)}</p>' + "".join(parts)


def _flags(report: MonitoringReport) -> str:
    klass = "no" if report.flagged else "ok"
    text = (
        ngettext("{n} poor adaptation flagged", "{n} poor adaptations flagged", len(report.flags)).format(
            n=len(report.flags)
        )
        if report.flagged
        else _("No poor adaptation flagged")
    )
    parts = [f'<p class="verdict {klass}">{escape(text)}</p>', f"<p>{escape(summary_line(report))}</p>"]
    if report.flags:
        headers, rows = flag_rows(report)
        parts.append(_h2(_("Flags and proposed follow-up")) + _table(headers, rows, len(headers), "flags"))
    return "".join(parts)


def _unjudged(report: MonitoringReport) -> str:
    lines = unjudged_lines(report)
    if not lines:
        return ""
    items = "".join(f'<li class="unjudged">{escape(line)}</li>' for line in lines)
    return _h2(_("Cannot be judged or missing")) + f"<ul>{items}</ul>"


def render_html(report: MonitoringReport) -> str:
    """The whole page."""
    title = _("Post-transfer monitoring: {name}").format(name=report.name)
    units, employees = unit_rows(report), employee_rows(report)
    details = _folded(_("Units: observed against projected"), _table(*units, numeric_from=3)) + _folded(
        _("Moved employees"), _table(*employees, numeric_from=4)
    )
    meta = "".join(f'<p class="meta">{escape(line)}</p>' for line in header_lines(report)[1:])
    body = [
        f"<h1>{escape(title)}</h1>",
        _flags(report),
        _charts(report),
        _unjudged(report),
        _h2(_("Details")) + details,
        _h2(_("About this report")) + meta,
    ]
    return (
        f'<!DOCTYPE html>\n<html lang="{current_language()}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
        + "\n".join(part for part in body if part)
        + "\n</body>\n</html>\n"
    )


def summary_html(report: MonitoringReport) -> str:
    """The flags, the charts and what could not be judged: the part another page embeds."""
    return _flags(report) + _charts(report) + _unjudged(report)
