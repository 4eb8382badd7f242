"""Two small inline SVG charts for the offline HTML report: paired bars and a profile over the day.

Plain strings, no JavaScript, no fonts or files to fetch: the report opens anywhere, offline.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from html import escape

from ..simulation import Estimate

BASELINE_COLOUR = "#9aa5b1"
PROPOSAL_COLOUR = "#1f6fb2"
WIDTH = 720


def _finite(*values: float) -> list[float]:
    return [v for v in values if v == v and math.isfinite(v)]


def _scale_max(values: Sequence[float]) -> float:
    top = max(_finite(*values), default=1.0)
    return top * 1.1 if top > 0 else 1.0


def legend(baseline: str, proposal: str, y: float) -> str:
    items = []
    for i, (name, colour) in enumerate(((baseline, BASELINE_COLOUR), (proposal, PROPOSAL_COLOUR))):
        x = 10 + i * 160
        items.append(f'<rect x="{x}" y="{y - 10}" width="12" height="12" fill="{colour}"/>')
        items.append(f'<text x="{x + 18}" y="{y}" font-size="12">{escape(name)}</text>')
    return "".join(items)


def paired_bars(
    rows: Sequence[tuple[str, Estimate, Estimate]],
    fmt: Callable[[float], str],
    names: tuple[str, str],
) -> str:
    """Horizontal bars per row (baseline above proposal) with 95 % interval whiskers and value labels."""
    label_width, bar_width, row_height = 200, WIDTH - 200 - 90, 34
    top = _scale_max([v for _l, b, p in rows for v in (b.high, p.high, b.mean, p.mean)])
    height = 30 + row_height * len(rows) + 10
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" role="img">']
    parts.append(legend(*names, 16))
    for i, (name, base, prop) in enumerate(rows):
        y0 = 30 + i * row_height
        parts.append(f'<text x="4" y="{y0 + 19}" font-size="12">{escape(name[:30])}</text>')
        for j, (est, colour) in enumerate(((base, BASELINE_COLOUR), (prop, PROPOSAL_COLOUR))):
            y = y0 + 3 + j * 14
            mean = est.mean if est.mean == est.mean else 0.0
            w = max(0.0, mean) / top * bar_width
            parts.append(f'<rect x="{label_width}" y="{y}" width="{w:.1f}" height="12" fill="{colour}"/>')
            if est.low == est.low and est.high > est.low:
                x1 = label_width + max(0.0, est.low) / top * bar_width
                x2 = label_width + max(0.0, est.high) / top * bar_width
                parts.append(f'<line x1="{x1:.1f}" y1="{y + 6}" x2="{x2:.1f}" y2="{y + 6}" stroke="#222"/>')
            parts.append(f'<text x="{label_width + w + 6:.1f}" y="{y + 10}" font-size="10">{escape(fmt(mean))}</text>')
    parts.append("</svg>")
    return "".join(parts)


def profile(
    labels: Sequence[str],
    series: Sequence[tuple[str, str, Sequence[Estimate]]],
    y_label: str,
) -> str:
    """Lines over the time slots of a day, each with its 95 % band; ``series`` is (name, colour, estimates)."""
    left, right, top_pad, bottom = 50, 20, 30, 40
    plot_w, plot_h = WIDTH - left - right, 200
    height = top_pad + plot_h + bottom
    values = [v for _n, _c, ests in series for e in ests for v in (e.high, e.mean)]
    top = _scale_max(values)
    n = max(len(labels), 2)

    def x(k: int) -> float:
        return left + k * plot_w / (n - 1)

    def y(v: float) -> float:
        return top_pad + plot_h - max(0.0, v) / top * plot_h

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" role="img">']
    parts.append(legend(series[0][0], series[1][0], 16) if len(series) == 2 else "")
    parts.append(f'<line x1="{left}" y1="{y(0):.1f}" x2="{left + plot_w}" y2="{y(0):.1f}" stroke="#444"/>')
    parts.append(f'<line x1="{left}" y1="{top_pad}" x2="{left}" y2="{y(0):.1f}" stroke="#444"/>')
    parts.append(f'<text x="4" y="{top_pad - 6}" font-size="11">{escape(y_label)}</text>')
    parts.append(f'<text x="{left - 6}" y="{top_pad + 4}" font-size="10" text-anchor="end">{top:.1f}</text>')
    step = max(1, len(labels) // 12)
    for k in range(0, len(labels), step):
        parts.append(
            f'<text x="{x(k):.1f}" y="{y(0) + 16:.1f}" font-size="10" text-anchor="middle">{escape(labels[k])}</text>'
        )
    for _name, colour, ests in series:
        band = [(x(k), y(e.high)) for k, e in enumerate(ests) if e.high == e.high]
        band += [(x(k), y(e.low)) for k, e in reversed(list(enumerate(ests))) if e.low == e.low]
        if band:
            points = " ".join(f"{a:.1f},{b:.1f}" for a, b in band)
            parts.append(f'<polygon points="{points}" fill="{colour}" fill-opacity="0.18" stroke="none"/>')
        line = " ".join(f"{x(k):.1f},{y(e.mean):.1f}" for k, e in enumerate(ests) if e.mean == e.mean)
        parts.append(f'<polyline points="{line}" fill="none" stroke="{colour}" stroke-width="2"/>')
    parts.append("</svg>")
    return "".join(parts)
