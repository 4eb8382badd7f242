"""The simulation result as one self-contained HTML page: verdict, moves, charts and tables, offline.

Everything is inline (CSS and SVG); the page fetches nothing. Texts are in the active language.
"""

from __future__ import annotations

from functools import partial
from html import escape

from ..i18n import _, current_language
from ..simulation import SimulationResult, UnitInfo
from .simulation_metrics import (
    KINDS,
    OVERALL_VIEW,
    SERVICE_VIEW,
    STAFF_VIEW,
    UNIT_VIEW,
    label,
    value,
)
from .simulation_report import check_message, comparison_headers, header_lines, metric_rows
from .svg import BASELINE_COLOUR, PROPOSAL_COLOUR, paired_bars, profile

CSS = """
body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:24px auto;max-width:980px;color:#222}
h1{font-size:1.5em}h2{font-size:1.2em;margin-top:2em;border-bottom:1px solid #ccc}h3{font-size:1.05em}
table{border-collapse:collapse;margin:.5em 0 1em;font-size:.9em}
th,td{border:1px solid #ddd;padding:3px 8px;text-align:left}td.n{text-align:right;white-space:nowrap}
.verdict{font-size:1.4em;font-weight:bold;padding:.4em .8em;display:inline-block;border-radius:4px}
.ok{background:#dff3e0;color:#1b5e20}.no{background:#fde0e0;color:#b71c1c}
li.fail{color:#b71c1c}.meta{color:#555;font-size:.9em}
"""

#: Unit KPIs compared across units in the before/after charts.
CHART_METRICS = ("utilisation", "service_level", "wait_mean", "uncovered_hours_week", "ej")


def render_html(result: SimulationResult) -> str:
    """The whole page."""
    run = result.run
    title = _("Simulation: {name}").format(name=run.scenario_name)
    body = [
        f"<h1>{escape(title)}</h1>",
        _meta(result),
        _verdict(result),
        _moves(result),
        _charts(result),
        _profiles(result),
        _unit_tables(result),
        _services(result),
        _staff(result),
    ]
    return (
        f'<!DOCTYPE html>\n<html lang="{current_language()}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
        + "\n".join(part for part in body if part)
        + "\n</body>\n</html>\n"
    )


def _meta(result: SimulationResult) -> str:
    lines = [*header_lines(result), _("seimbang {version}").format(version=result.run.version)]
    return "".join(f'<p class="meta">{escape(line)}</p>' for line in lines)


def _verdict(result: SimulationResult) -> str:
    verdict = result.verdict
    css = "ok" if verdict.feasible else "no"
    passed, failed = _("passed"), _("FAILED")
    items = [
        f'<li class="{"" if c.passed else "fail"}">[{escape(passed if c.passed else failed)}] '
        f"{escape(check_message(c, result))}</li>"
        for c in sorted(verdict.checks, key=lambda c: c.passed)
    ]
    text = escape(_("Verdict: {verdict}").format(verdict=verdict.label))
    return _h2(_("Verdict")) + f'<div class="verdict {css}">{text}</div><ul>{"".join(items)}</ul>'


def _h2(text: str) -> str:
    return f"<h2>{escape(text)}</h2>"


def _h3(text: str) -> str:
    return f"<h3>{escape(text)}</h3>"


def _table(headers: list[str], rows: list[list[str]], numeric_from: int = 1) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join(
        "<tr>"
        + "".join(f"<td{' class=n' if i >= numeric_from else ''}>{escape(cell)}</td>" for i, cell in enumerate(row))
        + "</tr>"
        for row in rows
    )
    return f"<table><tr>{head}</tr>{body}</table>"


def _moves(result: SimulationResult) -> str:
    rows = [
        [m.nip, m.name, f"{m.from_position} ({m.from_unit})", f"{m.to_position} ({m.to_unit})"] for m in result.moves
    ]
    return _h2(_("Proposed moves")) + _table([_("NIP"), _("Name"), _("From"), _("To")], rows, 9)


def _charts(result: SimulationResult) -> str:
    names = (_("Baseline"), _("Proposal"))
    parts = [_h2(_("Before and after, per unit"))]
    for metric in CHART_METRICS:
        rows = []
        for unit in result.units:
            c = result.get("unit", unit.id, metric) or result.get("school", unit.id, metric)
            if c is not None and c.proposal.mean == c.proposal.mean:
                rows.append((unit.id, c.baseline, c.proposal))
        if rows:
            chart = paired_bars(rows, partial(value, metric), names)
            parts.append(f"<h3>{escape(label(metric))}</h3>{chart}")
    return "".join(parts)


def _profiles(result: SimulationResult) -> str:
    parts = []
    for unit in result.units:
        series = []
        for arm, name, colour in (
            ("baseline", _("Baseline"), BASELINE_COLOUR),
            ("proposal", _("Proposal"), PROPOSAL_COLOUR),
        ):
            ests = [getattr(result.get("slot", f"{unit.id}@{s}", "queue_mean"), arm) for s in unit.slots]
            series.append((name, colour, ests))
        if unit.slots:
            chart = profile(unit.slots, series, label("queue_mean"))
            parts.append(f"<h3>{escape(unit.id)} {escape(unit.name)}</h3>{chart}")
    if not parts:
        return ""
    return _h2(_("Queue through the day (mean number waiting per time slot)")) + "".join(parts)


def _unit_tables(result: SimulationResult) -> str:
    parts = [_h2(_("Per unit"))]
    for unit in result.units:
        parts.append(_unit_table(result, unit))
    overall = metric_rows(result, ("overall",), "", OVERALL_VIEW)
    if overall:
        parts.append(_h3(_("All simulated units")) + _table(comparison_headers(), overall))
    return "".join(parts)


def _unit_table(result: SimulationResult, unit: UnitInfo) -> str:
    rows = metric_rows(result, ("unit", "school"), unit.id, UNIT_VIEW[unit.kind])
    kind = _(KINDS[unit.kind])
    head = f"<h3>{escape(unit.id)} {escape(unit.name)} [{escape(kind)}]</h3>"
    return head + (_table(comparison_headers(), rows) if rows else "")


def _services(result: SimulationResult) -> str:
    parts = []
    for service in result.services:
        rows = metric_rows(result, ("service",), service.id, SERVICE_VIEW)
        target = _("target: {share} % within {minutes} minutes").format(
            share=value("service_level", service.target_share * 100), minutes=value("wait_mean", service.target_wait)
        )
        parts.append(
            f"<h3>{escape(service.id)} {escape(service.name)} ({escape(target)})</h3>"
            + _table(comparison_headers(), rows)
        )
    return _h2(_("Per service")) + "".join(parts) if parts else ""


def _staff(result: SimulationResult) -> str:
    moved = {m.nip for m in result.moves}
    people = sorted(result.staff, key=lambda p: (p.nip not in moved, p.proposal_unit, p.nip))
    headers = [_("NIP"), _("Name"), _("Unit"), *[label(m) for m in STAFF_VIEW]]
    rows = []
    for p in people:
        unit = p.proposal_unit if p.proposal_unit == p.baseline_unit else f"{p.baseline_unit} -> {p.proposal_unit}"
        cells = [p.nip, p.name, unit]
        for metric in STAFF_VIEW:
            c = result.get("staff", p.nip, metric)
            cells.append("-" if c is None else f"{value(metric, c.baseline.mean)} -> {value(metric, c.proposal.mean)}")
        rows.append(cells)
    summary = escape(_("Per employee (baseline -> proposal), moved employees first"))
    return _h2(_("Per employee")) + f"<details><summary>{summary}</summary>{_table(headers, rows, 3)}</details>"
