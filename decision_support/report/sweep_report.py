"""The combined report of a scenario sweep: JSON, CSV, a terminal table, and an HTML page with the frontier chart.

Per grid point (plan variant x staffing option x demand multiplier): the gate's verdict and the headline KPI of
the proposal with its interval. The *frontier* of a variant and staffing option is the highest demand multiplier
up to which it is LAYAK at every level of the grid (none when it is not LAYAK at the lowest level).
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from html import escape
from typing import Any

from matplotlib import rc_context
from matplotlib.ticker import MaxNLocator

from ..i18n import _, current_language, ngettext
from ..simulation import SweepPointResult, SweepResult
from ..simulation.results import LAYAK, TIDAK_LAYAK
from .charts import RC, LocaleFormatter, _figure, _svg, wrap
from .formatting import number, text_table
from .simulation_data import _estimate, clean, to_data
from .simulation_html import CSS
from .simulation_metrics import METRICS, difference, label, with_interval

SCHEMA = "seimbang.sweep/1"
#: Marker per verdict in the frontier chart: filled circle, cross, hollow square.
MARKERS = {LAYAK: ("o", "full"), TIDAK_LAYAK: ("X", "full")}
UNDETERMINED_MARKER = ("s", "none")
COLOURS = ("#1f6fb2", "#d9822b", "#3a9a4a", "#a23b72", "#6b4c9a", "#8c564b", "#17becf", "#7f7f7f")


@dataclass(frozen=True)
class Frontier:
    variant: str
    staffing: str
    #: The highest demand multiplier passed at every level up to it; None when the lowest level fails.
    demand: float | None


def headline(sweep: SweepResult) -> str:
    """The KPI the sweep is summarised by: the first point's headline (the same units everywhere)."""
    return next((p.result.run.headline for p in sweep.points if p.result.run.headline), "")


def frontiers(sweep: SweepResult) -> list[Frontier]:
    out = []
    for variant in sweep.variants:
        for staffing in sweep.staffing:
            passed: float | None = None
            for point in _line(sweep, variant, staffing):
                if not point.result.verdict.feasible:
                    break
                passed = point.demand
            out.append(Frontier(variant, staffing, passed))
    return out


def _line(sweep: SweepResult, variant: str, staffing: str) -> list[SweepPointResult]:
    return sorted((p for p in sweep.points if p.variant == variant and p.staffing == staffing), key=lambda p: p.demand)


def _headline_data(point: SweepPointResult, metric: str) -> dict[str, Any] | None:
    comparison = point.result.get("overall", "", metric) if metric else None
    if comparison is None:
        return None
    return {
        "metric": metric,
        "baseline": _estimate(comparison.baseline),
        "proposal": _estimate(comparison.proposal),
        "difference": _estimate(comparison.difference),
    }


def to_sweep_data(sweep: SweepResult) -> dict[str, Any]:
    metric = headline(sweep)
    first = sweep.points[0].result.run if sweep.points else None
    return {
        "schema": SCHEMA,
        "sweep": {
            "name": sweep.name,
            "file": sweep.path,
            "sha256": sweep.digest,
            "base_scenario": sweep.base_file,
            "variants": list(sweep.variants),
            "staffing": list(sweep.staffing),
            "demand_multipliers": [clean(d) for d in sweep.demands],
            "replications": first.replications if first else None,
            "seed": first.seed if first else None,
            "version": first.version if first else None,
            "headline": metric,
        },
        "frontier": [
            {"variant": f.variant, "staffing": f.staffing, "highest_demand_layak": clean(f.demand)}
            for f in frontiers(sweep)
        ],
        "points": [
            {
                "variant": p.variant,
                "staffing": p.staffing,
                "demand_multiplier": clean(p.demand),
                "verdict": p.result.verdict.label,
                "failed_checks": len(p.result.verdict.failed),
                "undetermined_checks": len(p.result.verdict.undetermined),
                "headline": _headline_data(p, metric),
                "result": to_data(p.result),
            }
            for p in sweep.points
        ],
    }


def to_json(sweep: SweepResult) -> str:
    return json.dumps(to_sweep_data(sweep), ensure_ascii=False, indent=2, allow_nan=False) + "\n"


CSV_FIELDS = (
    "variant",
    "staffing",
    "demand_multiplier",
    "verdict",
    "failed_checks",
    "undetermined_checks",
    "headline",
    "baseline_mean",
    "proposal_mean",
    "proposal_low",
    "proposal_high",
    "difference_mean",
    "difference_low",
    "difference_high",
)


def to_csv(sweep: SweepResult) -> str:
    """One row per grid point: its coordinates, verdict and the headline KPI."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_FIELDS)
    metric = headline(sweep)
    for p in sweep.points:
        c = p.result.get("overall", "", metric) if metric else None
        numbers = (
            [
                c.baseline.mean,
                c.proposal.mean,
                c.proposal.low,
                c.proposal.high,
                c.difference.mean,
                c.difference.low,
                c.difference.high,
            ]
            if c is not None
            else [None] * 7
        )
        cells = ["" if clean(x) is None else clean(x) for x in numbers]
        verdict = p.result.verdict
        writer.writerow(
            [
                p.variant,
                p.staffing,
                clean(p.demand),
                verdict.label,
                len(verdict.failed),
                len(verdict.undetermined),
                metric,
                *cells,
            ]
        )
    return buffer.getvalue()


# -- the terminal table -------------------------------------------------------------------------------------------
def _demand(x: float) -> str:
    return "x" + number(x, 2).rstrip("0").rstrip(",.")


def point_rows(sweep: SweepResult) -> tuple[list[str], list[list[str]]]:
    metric = headline(sweep)
    headers = [_("Plan variant"), _("Staffing"), _("Demand"), _("Verdict")]
    if metric:
        headers += [_("{kpi}, proposal").format(kpi=label(metric)), _("Difference [95% CI]")]
    rows = []
    for p in sweep.points:
        row = [p.variant, p.staffing, _demand(p.demand), p.result.verdict.label]
        c = p.result.get("overall", "", metric) if metric else None
        if metric:
            row += [with_interval(metric, c.proposal), difference(metric, c.difference)] if c else ["-", "-"]
        rows.append(row)
    return headers, rows


def frontier_line(f: Frontier, top: float) -> str:
    if f.demand is None:
        return _("{variant} | {staffing}: not LAYAK even at the lowest demand").format(
            variant=f.variant, staffing=f.staffing
        )
    if f.demand >= top:
        return _("{variant} | {staffing}: LAYAK at every demand level, up to {demand}").format(
            variant=f.variant, staffing=f.staffing, demand=_demand(f.demand)
        )
    return _("{variant} | {staffing}: LAYAK up to demand {demand}").format(
        variant=f.variant, staffing=f.staffing, demand=_demand(f.demand)
    )


def render_summary(sweep: SweepResult) -> str:
    first = sweep.points[0].result.run if sweep.points else None
    lines = [
        _("Sweep: {name}").format(name=sweep.name),
        _("File: {file}; base scenario: {base}").format(file=sweep.path, base=sweep.base_file),
    ]
    if first is not None:
        lines.append(
            _("{points} grid points x {replications} replications, seed {seed}").format(
                points=len(sweep.points), replications=first.replications, seed=first.seed
            )
        )
    headers, rows = point_rows(sweep)
    lines += ["", text_table(headers, rows), "", _("Frontier (highest demand passed at every level below it):")]
    top = max(sweep.demands, default=1.0)
    lines += ["  " + frontier_line(f, top) for f in frontiers(sweep)]
    passed = len(sweep.passed)
    lines += [
        "",
        ngettext(
            "{passed} of {total} grid point is LAYAK.", "{passed} of {total} grid points are LAYAK.", len(sweep.points)
        ).format(passed=passed, total=len(sweep.points)),
    ]
    return "\n".join(lines) + "\n"


# -- HTML with the frontier chart ---------------------------------------------------------------------------------
def frontier_chart(sweep: SweepResult) -> str:
    """The headline KPI of the proposal against demand, one line per variant and staffing option, with 95 %
    whiskers; the marker says the verdict (filled circle LAYAK, cross TIDAK LAYAK, hollow square cannot be judged)."""
    metric = headline(sweep)
    scale = METRICS[metric].scale if metric in METRICS else 1.0
    title = label(metric) if metric else _("Verdict")
    with rc_context(RC):
        figure = _figure(4.2)
        axes = figure.add_subplot()
        lines = [(v, s) for v in sweep.variants for s in sweep.staffing]
        span = (max(sweep.demands) - min(sweep.demands)) or 1.0
        for n, (variant, staffing) in enumerate(lines):
            colour = COLOURS[n % len(COLOURS)]
            dodge = (n - (len(lines) - 1) / 2) * 0.012 * span  # side by side, so whiskers do not hide each other
            points = _line(sweep, variant, staffing)
            xs, ys = [], []
            for p in points:
                c = p.result.get("overall", "", metric) if metric else None
                y = c.proposal.mean * scale if c is not None and c.proposal.mean == c.proposal.mean else None
                if y is None:
                    continue
                x = p.demand + dodge
                xs.append(x)
                ys.append(y)
                marker, fill = MARKERS.get(p.result.verdict.label, UNDETERMINED_MARKER)
                axes.plot([x], [y], marker=marker, fillstyle=fill, color=colour, markersize=8, linestyle="")
                if c is not None and c.proposal.low == c.proposal.low:
                    axes.vlines(x, c.proposal.low * scale, c.proposal.high * scale, color=colour, linewidth=1)
            axes.plot(xs, ys, color=colour, linewidth=1.2, label=wrap(f"{variant} | {staffing}", 40))
        axes.xaxis.set_major_formatter(LocaleFormatter())
        axes.yaxis.set_major_formatter(LocaleFormatter())
        axes.yaxis.set_major_locator(MaxNLocator(nbins=6))
        axes.set_xticks(list(sweep.demands))
        axes.set_xlabel(_("Demand multiplier"))
        axes.set_ylabel(wrap(title, 30))
        axes.grid(color="#e4e4e4", linewidth=0.6)
        axes.set_axisbelow(True)
        axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=8)
        return _svg(figure, _("Frontier: {kpi} of the proposal by demand").format(kpi=title))


def render_html(sweep: SweepResult) -> str:
    title = _("Sweep: {name}").format(name=sweep.name)
    headers, rows = point_rows(sweep)
    table = "<table><thead><tr>" + "".join(f"<th>{escape(h)}</th>" for h in headers) + "</tr></thead><tbody>"
    for p, row in zip(sweep.points, rows, strict=True):
        state = {LAYAK: "ok", TIDAK_LAYAK: "no"}.get(p.result.verdict.label, "unknown")
        cells = [f"<td>{escape(c)}</td>" for c in row]
        cells[3] = f'<td class="{state}">{escape(row[3])}</td>'
        table += "<tr>" + "".join(cells) + "</tr>"
    table += "</tbody></table>"
    top = max(sweep.demands, default=1.0)
    frontier = "<ul>" + "".join(f"<li>{escape(frontier_line(f, top))}</li>" for f in frontiers(sweep)) + "</ul>"
    legend = _(
        "Markers: filled circle LAYAK, cross TIDAK LAYAK, hollow square TIDAK DAPAT DINILAI (cannot be judged); "
        "whiskers are 95% confidence intervals."
    )
    frontier_title, grid_title = _("Frontier"), _("Grid points and their verdicts")
    body = [
        f"<h1>{escape(title)}</h1>",
        "".join(f'<p class="meta">{escape(line)}</p>' for line in render_summary(sweep).splitlines()[1:3]),
        f"<h2>{escape(frontier_title)}</h2>",
        frontier_chart(sweep),
        f'<p class="meta">{escape(legend)}</p>',
        frontier,
        f"<h2>{escape(grid_title)}</h2>",
        table,
    ]
    style = CSS + "td.ok{background:#e3f4e6}td.no{background:#fbe4e4}td.unknown{background:#fdf1d8}"
    return (
        f'<!DOCTYPE html>\n<html lang="{current_language()}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>{style}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )
