"""The simulation result as one self-contained HTML page, read top-down: verdict, charts, then folded detail.

The verdict and the criteria come first, the before/after charts next, and every long list (moves, per-unit and
per-service tables, employees, all checks) is folded in ``<details>``, so a plan of 49 moves still shows its charts
on the first screen. Everything is inline (CSS and SVG drawn by Matplotlib); the page fetches nothing.
Texts are in the active language.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from html import escape

from ..i18n import N_, _, current_language, ngettext
from ..simulation import Check, SimulationResult, UnitInfo
from ..simulation.results import FAILED, PASSED
from .charts import paired_bars, profile
from .formatting import number
from .simulation_data import bar_rows, profile_series
from .simulation_metrics import (
    KINDS,
    METRICS,
    OVERALL_VIEW,
    SERVICE_VIEW,
    STAFF_VIEW,
    UNIT_VIEW,
    difference,
    label,
    shown,
    value,
    with_interval,
)
from .simulation_report import check_message, comparison_headers, header_lines

CSS = """
body{font-family:'DejaVu Sans',Verdana,system-ui,sans-serif;margin:24px auto;max-width:1000px;padding:0 12px;
color:#222;line-height:1.4}
h1{font-size:1.45em}h2{font-size:1.2em;margin-top:1.6em;border-bottom:1px solid #ccc}h3{font-size:1.02em}
table{border-collapse:collapse;margin:.5em 0 1em;font-size:.88em}
th,td{border:1px solid #ddd;padding:3px 8px;text-align:left;vertical-align:top}td.n{text-align:right;white-space:nowrap}
.verdict{font-size:1.4em;font-weight:bold;padding:.4em .8em;display:inline-block;border-radius:4px}
.ok{background:#dff3e0;color:#1b5e20}.no{background:#fde0e0;color:#b71c1c}.unknown{background:#fff3cd;color:#6a4c00}
li.failed{color:#b71c1c}li.unjudged{color:#6a4c00}.meta{color:#555;font-size:.88em}
details{margin:.4em 0}summary{cursor:pointer;font-weight:600;padding:.2em 0}
svg.chart{display:block;max-width:100%;height:auto}
"""

#: Unit KPIs compared across units in the before/after charts.
CHART_METRICS = ("utilisation", "service_level", "wait_mean", "uncovered_hours_week", "ej")
#: Checks listed above the fold (failed and unjudged first); the rest are folded.
SHOWN_CHECKS = 8

CRITERIA = {
    "service_level_drop": N_("Service level may not drop"),
    "imbalance_improves": N_("Imbalance across units must fall"),
    "max_utilisation": N_("Maximum utilisation"),
    "max_wait": N_("Maximum wait"),
    "uncovered_hours": N_("Uncovered class-hours"),
    "max_backlog_increase": N_("Maximum back-office backlog increase"),
}
UNJUDGED = "unjudged"
STATE_WORDS = {PASSED: N_("passed"), FAILED: N_("FAILED"), UNJUDGED: N_("cannot be judged")}


def render_html(result: SimulationResult) -> str:
    """The whole page."""
    title = _("Simulation: {name}").format(name=result.run.scenario_name)
    body = [
        f"<h1>{escape(title)}</h1>",
        _verdict(result),
        _charts(result),
        _profiles(result),
        _details(result),
        _h2(_("About this run")) + _meta(result),
    ]
    return (
        f'<!DOCTYPE html>\n<html lang="{current_language()}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
        + "\n".join(part for part in body if part)
        + "\n</body>\n</html>\n"
    )


def _meta(result: SimulationResult) -> str:
    lines = [*header_lines(result), _("seimbang {version}").format(version=result.run.version)]
    return "".join(f'<p class="meta">{escape(line)}</p>' for line in lines)


# --- verdict -------------------------------------------------------------------------------------------------


def check_state(check: Check) -> str:
    """``passed``, ``failed`` or ``unjudged``, as the gate decided it (a collapsed unit fails without a value)."""
    return {PASSED: PASSED, FAILED: FAILED}.get(check.status, UNJUDGED)


def _defined(x: float | None) -> bool:
    return x is not None and math.isfinite(x)


def verdict_class(result: SimulationResult) -> str:
    """The colour of the verdict box: green LAYAK, red TIDAK LAYAK, amber when something could not be judged."""
    verdict = result.verdict
    if verdict.feasible:
        return "ok"
    unjudged = any(check_state(c) == UNJUDGED for c in verdict.checks)
    third = verdict.label not in ("LAYAK", "TIDAK LAYAK") or getattr(verdict, "judged", True) is False
    return "unknown" if unjudged or third else "no"


def _entity(check: Check, result: SimulationResult) -> str:
    name = result.unit_names.get(check.entity)
    return f"{check.entity} ({name})" if name else check.entity


def check_text(check: Check, result: SimulationResult) -> str:
    """One check in words, with the unit's full name and no internal KPI key (the terminal's message)."""
    return check_message(check, result)


def _criterion(criterion: str) -> str:
    return _(CRITERIA[criterion]) if criterion in CRITERIA else criterion


def _verdict(result: SimulationResult) -> str:
    verdict = result.verdict
    text = escape(_("Verdict: {verdict}").format(verdict=verdict.label))
    box = f'<div class="verdict {verdict_class(result)}" id="verdict">{text}</div>'
    checks = sorted(verdict.checks, key=lambda c: (check_state(c) == PASSED, check_state(c) == FAILED))
    if not checks:
        box += _p(_("No criterion had anything to check, so the proposal cannot be judged LAYAK."))
    top, rest = checks[:SHOWN_CHECKS], checks[SHOWN_CHECKS:]
    parts = [_h2(_("Verdict")), box, _criteria_table(result), _check_list(top, result)]
    if rest:
        summary = ngettext("{n} more check", "{n} more checks", len(rest)).format(n=len(rest))
        parts.append(_folded(summary, _check_list(rest, result)))
    parts += [f'<p class="meta">{escape(_na(c))}</p>' for c in verdict.not_applicable]
    return "".join(parts)


def _na(criterion: str) -> str:
    return _("Criterion {criterion} has nothing to check in this scenario and does not count.").format(
        criterion=_criterion(criterion)
    )


def _criteria_table(result: SimulationResult) -> str:
    """Per criterion: how many checks, and how many passed, failed or could not be judged."""
    counts: dict[str, dict[str, int]] = {}
    for check in result.verdict.checks:
        row = counts.setdefault(check.criterion, {PASSED: 0, FAILED: 0, UNJUDGED: 0})
        row[check_state(check)] += 1
    rows = [
        [_criterion(criterion), value("holders", sum(row.values()))] + [value("holders", row[s]) for s in STATE_WORDS]
        for criterion, row in counts.items()
    ]
    if not rows:
        return ""
    headers = [_("Criterion"), _("Checks"), _("Passed"), _("Failed"), _("Cannot be judged")]
    return _table(headers, rows, css="criteria")


def _check_list(checks: list[Check], result: SimulationResult) -> str:
    items = [
        f'<li class="{check_state(c)}">[{escape(_(STATE_WORDS[check_state(c)]))}] {escape(check_text(c, result))}</li>'
        for c in checks
    ]
    return f'<ul class="checks">{"".join(items)}</ul>' if items else ""


# --- charts --------------------------------------------------------------------------------------------------


def _arms() -> tuple[str, str]:
    return (_("Baseline"), _("Proposal"))


def _charts(result: SimulationResult) -> str:
    parts = []
    for metric in CHART_METRICS:
        rows = bar_rows(result, metric)
        if rows:
            chart = paired_bars(rows, _shown(metric), label(metric), _arms())
            parts.append(f'<figure class="bars">{_h3(label(metric))}{chart}</figure>')
    if not parts:
        return ""
    note = _("Bars: mean over replications; whiskers: 95 % confidence interval.")
    return _h2(_("Before and after, per unit")) + f'<p class="meta">{escape(note)}</p>' + "".join(parts)


def _shown(metric: str) -> Callable[[float], str]:
    """Formats a value already in the unit shown (per cent, not a share) with the KPI's decimals."""
    digits = METRICS[metric].digits if metric in METRICS else 1
    return lambda x: number(x, digits)


def _profiles(result: SimulationResult) -> str:
    parts = []
    for unit in result.units:
        series = profile_series(result, unit)
        if series and unit.slots:
            chart = profile(unit.slots, series, label("queue_mean"), _arms())
            parts.append(f'<figure class="profile">{_h3(f"{unit.id} {unit.name}")}{chart}</figure>')
    if not parts:
        return ""
    return _h2(_("Queue through the day (mean number waiting per time slot)")) + "".join(parts)


# --- folded detail -------------------------------------------------------------------------------------------


def _details(result: SimulationResult) -> str:
    parts = [_moves(result), _unit_tables(result), _services(result), _staff(result)]
    return _h2(_("Details")) + "".join(p for p in parts if p)


def _folded(summary: str, content: str) -> str:
    return f"<details><summary>{escape(summary)}</summary>{content}</details>"


def _h2(text: str) -> str:
    return f"<h2>{escape(text)}</h2>"


def _p(text: str) -> str:
    return f"<p>{escape(text)}</p>"


def _h3(text: str) -> str:
    return f"<h3>{escape(text)}</h3>"


def _table(headers: list[str], rows: list[list[str]], numeric_from: int = 1, css: str = "") -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join(
        "<tr>"
        + "".join(f"<td{' class=n' if i >= numeric_from else ''}>{escape(cell)}</td>" for i, cell in enumerate(row))
        + "</tr>"
        for row in rows
    )
    klass = f' class="{css}"' if css else ""
    return f"<table{klass}><tr>{head}</tr>{body}</table>"


def _moves(result: SimulationResult) -> str:
    rows = [
        [m.nip, m.name, f"{m.from_position} ({m.from_unit})", f"{m.to_position} ({m.to_unit})"] for m in result.moves
    ]
    summary = ngettext("Proposed move ({n})", "Proposed moves ({n})", len(rows)).format(n=len(rows))
    return _folded(summary, _table([_("NIP"), _("Name"), _("From"), _("To")], rows, 9))


def _metric_rows(
    result: SimulationResult, scopes: tuple[str, ...], entity: str, metrics: tuple[str, ...]
) -> list[list[str]]:
    """Label, baseline, proposal and difference per KPI; a difference without an interval cannot be judged."""
    rows = []
    for metric in metrics:
        comparison = next((c for s in scopes if (c := result.get(s, entity, metric)) is not None), None)
        if comparison is None or not shown(metric, comparison):
            continue
        diff = comparison.difference
        both = _defined(comparison.baseline.mean) and _defined(comparison.proposal.mean)
        unjudged = both and not (_defined(diff.low) and _defined(diff.high))
        cells = [with_interval(metric, comparison.baseline), with_interval(metric, comparison.proposal)]
        rows.append([label(metric), *cells, _("cannot be judged") if unjudged else difference(metric, diff)])
    return rows


def _unit_tables(result: SimulationResult) -> str:
    parts = [_unit_table(result, unit) for unit in result.units]
    overall = _metric_rows(result, ("overall",), "", OVERALL_VIEW)
    if overall:
        parts.append(_h3(_("All simulated units")) + _table(comparison_headers(), overall))
    return _folded(_("Per unit (baseline, proposal, difference)"), "".join(parts))


def _unit_table(result: SimulationResult, unit: UnitInfo) -> str:
    rows = _metric_rows(result, ("unit", "school"), unit.id, UNIT_VIEW[unit.kind])
    kind = _(KINDS[unit.kind])
    head = _h3(f"{unit.id} {unit.name} [{kind}]")
    if not rows:
        return head + _p(_("(nothing to measure: the unit was closed on every simulated day)"))
    return head + _table(comparison_headers(), rows)


def _services(result: SimulationResult) -> str:
    parts = []
    for service in result.services:
        rows = _metric_rows(result, ("service",), service.id, SERVICE_VIEW)
        target = _("target: {share} % within {minutes} minutes").format(
            share=value("service_level", service.target_share * 100), minutes=value("wait_mean", service.target_wait)
        )
        parts.append(_h3(f"{service.id} {service.name} ({target})") + _table(comparison_headers(), rows))
    return _folded(_("Per service"), "".join(parts)) if parts else ""


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
    return _folded(_("Per employee (baseline -> proposal), moved employees first"), _table(headers, rows, 3))


def evidence_html(result: SimulationResult) -> str:
    """The verdict with its criteria and checks, then the before/after charts: the part another page embeds."""
    return _verdict(result) + _charts(result)
