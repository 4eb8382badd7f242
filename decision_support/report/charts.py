"""The charts of the offline HTML report, drawn by Matplotlib's SVG backend and inlined as ``<svg>`` elements.

Matplotlib lays the charts out (ticks, wrapped labels, legends outside the plot, constrained layout) so nothing
overlaps; its SVG backend writes text as ``<text>`` elements (``svg.fonttype: none``) so the page stays small,
searchable and readable by screen readers. Every number on an axis or a label goes through the active language's
number format (``1.250,5`` in Indonesian). No pyplot: each chart is its own :class:`Figure`, nothing global stays
behind, and the output is byte-identical for the same data (fixed hash salt, no date in the metadata).
"""

from __future__ import annotations

import io
import math
import re
import textwrap
from collections.abc import Callable, Sequence
from typing import Any

from matplotlib import rc_context
from matplotlib.axes import Axes
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure
from matplotlib.ticker import Formatter, MaxNLocator

from ..i18n import _
from .formatting import number
from .simulation_data import BarRow, ChartEstimate, ProfileSeries

BASELINE_COLOUR = "#8c96a0"
PROPOSAL_COLOUR = "#1f6fb2"
#: Matplotlib lays text out with DejaVu Sans metrics; the browser uses the same font when it has it.
FONT = ["DejaVu Sans", "Verdana", "sans-serif"]
WIDTH_INCHES = 9.0
LABEL_WIDTH = 34  # characters per line of a unit name before it wraps
MAX_HOUR_LABELS = 12

RC: dict[Any, Any] = {
    "svg.fonttype": "none",
    "svg.hashsalt": "seimbang",
    "font.family": "sans-serif",
    "font.sans-serif": FONT,
    "font.size": 9.0,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.unicode_minus": False,
}


class LocaleFormatter(Formatter):
    """Tick labels in the active language, with as many decimals as the tick step needs (never ``-0``)."""

    def __init__(self) -> None:
        self.digits = 0

    def set_locs(self, locs: list[float]) -> None:
        super().set_locs(locs)
        scale = max((abs(x) for x in locs), default=1.0) or 1.0
        exact = (d for d in range(4) if all(abs(round(x, d) - x) <= 1e-9 * scale for x in locs))
        self.digits = next(exact, 3)

    def __call__(self, x: float, pos: int | None = None) -> str:
        return number(x, self.digits)


def wrap(text: str, width: int = LABEL_WIDTH) -> str:
    """``text`` broken into lines at word boundaries, never cut."""
    return "\n".join(textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False)) or text


def _svg(figure: Figure, title: str) -> str:
    """The figure as an inline ``<svg>`` element: no XML prolog, DOCTYPE or metadata (they name URLs)."""
    buffer = io.StringIO()
    FigureCanvasSVG(figure).print_svg(buffer, metadata={"Date": None, "Creator": None, "Format": None, "Type": None})
    text = buffer.getvalue()
    text = text[text.index("<svg") :]
    text = re.sub(r"\s*<metadata>.*?</metadata>", "", text, flags=re.S)
    text = text.replace(' xmlns:xlink="http://www.w3.org/1999/xlink"', "")
    label = title.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    return text.replace("<svg ", f'<svg role="img" aria-label="{label}" class="chart" ', 1)


def _figure(height_inches: float) -> Figure:
    return Figure(figsize=(WIDTH_INCHES, height_inches), layout="constrained")


def _legend(axes: Axes) -> None:
    """The legend above the plot, outside it: it covers neither data nor axis titles."""
    axes.legend(loc="lower left", bbox_to_anchor=(0.0, 1.01), ncols=2, frameon=False, borderaxespad=0.2)


def paired_bars(rows: Sequence[BarRow], fmt: Callable[[float], str], axis_title: str, names: tuple[str, str]) -> str:
    """Horizontal bars per unit (baseline above proposal), 95 % interval whiskers, value labels past the whisker.

    A unit whose value is missing gets no bar and the words "cannot be judged" instead of a number.
    """
    with rc_context(RC):
        lines = [wrap(row.label).count("\n") + 1 for row in rows]
        height = 0.9 + sum(max(0.5, 0.17 * n + 0.2) for n in lines)
        figure = _figure(height)
        axes = figure.add_subplot()
        slots = _row_positions(lines)
        top = max(
            (v for r in rows for e in (r.baseline, r.proposal) for v in (e.mean, e.high) if v is not None), default=0.0
        )
        top = top if top > 0 else 1.0
        for arm, (name, colour, shift) in enumerate(
            ((names[0], BASELINE_COLOUR, -0.19), (names[1], PROPOSAL_COLOUR, 0.19))
        ):
            estimates = [r.baseline if arm == 0 else r.proposal for r in rows]
            ys = [y + shift for y in slots]
            means = [e.mean if e.mean is not None else 0.0 for e in estimates]
            axes.barh(ys, means, height=0.36, color=colour, label=name)
            for y, est in zip(ys, estimates, strict=True):
                _whisker_and_label(axes, y, est, fmt)
        axes.set_yticks(slots, [wrap(r.label) for r in rows])
        axes.invert_yaxis()
        axes.set_xlim(0, top * 1.3)
        axes.xaxis.set_major_locator(MaxNLocator(nbins=6, min_n_ticks=3))
        axes.xaxis.set_major_formatter(LocaleFormatter())
        axes.set_xlabel(axis_title)
        axes.grid(axis="x", color="#e4e4e4", linewidth=0.6)
        axes.set_axisbelow(True)
        _legend(axes)
        return _svg(figure, axis_title)


def _row_positions(lines: Sequence[int]) -> list[float]:
    """Centre of each unit's band: a unit with a name of several lines gets more room."""
    positions, y = [], 0.0
    for n in lines:
        band = max(1.0, 0.35 * n + 0.3)
        positions.append(y + band / 2)
        y += band
    return positions


def _whisker_and_label(axes: Axes, y: float, est: ChartEstimate, fmt: Callable[[float], str]) -> None:
    """The interval as a whisker and the value as a label to the right of both bar and whisker, never on them."""
    if est.mean is None:
        axes.annotate(
            _("cannot be judged"),
            (0, y),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            fontsize=8,
            fontstyle="italic",
            color="#6a4c00",
        )
        return
    if est.low is not None and est.high is not None and est.high > est.low:
        # The axis starts at 0 (every charted KPI is >= 0): a t interval reaching below 0 is drawn up to the axis.
        below, above = max(0.0, est.mean - max(est.low, 0.0)), max(0.0, est.high - est.mean)
        axes.errorbar([est.mean], [y], xerr=[[below], [above]], fmt="none", ecolor="#222", elinewidth=0.9, capsize=2.5)
    end = max(0.0, est.mean, est.high if est.high is not None else 0.0)
    axes.annotate(fmt(est.mean), (end, y), xytext=(5, 0), textcoords="offset points", va="center", fontsize=8)


def profile(slots: Sequence[str], series: Sequence[ProfileSeries], axis_title: str, names: tuple[str, str]) -> str:
    """Mean over the time slots of a day per arm, each with its 95 % band (where it is defined)."""
    with rc_context(RC):
        figure = _figure(2.9)
        axes = figure.add_subplot()
        xs = list(range(len(slots)))
        colours = (BASELINE_COLOUR, PROPOSAL_COLOUR)
        top = 0.0
        for name, colour, line in zip(names, colours, series, strict=True):
            means = [math.nan if e.mean is None else e.mean for e in line.estimates]
            lows = [math.nan if e.low is None else e.low for e in line.estimates]
            highs = [math.nan if e.high is None else e.high for e in line.estimates]
            axes.fill_between(xs, lows, highs, color=colour, alpha=0.2, linewidth=0)
            axes.plot(xs, means, color=colour, linewidth=2, label=name, marker="o" if len(xs) < 3 else None)
            top = max([top, *(v for v in (*means, *highs) if v == v)])
        axes.set_ylim(0, top * 1.15 if top > 0 else 1.0)
        axes.set_xlim(-0.3, max(len(xs) - 1, 1) + 0.3)
        step = max(1, math.ceil(len(slots) / MAX_HOUR_LABELS))
        axes.set_xticks(xs[::step], list(slots)[::step])
        axes.yaxis.set_major_locator(MaxNLocator(nbins=5, min_n_ticks=4))
        axes.yaxis.set_major_formatter(LocaleFormatter())
        axes.set_ylabel(wrap(axis_title, 30))
        axes.set_xlabel(_("Time of day"))
        axes.grid(axis="y", color="#e4e4e4", linewidth=0.6)
        _legend(axes)
        return _svg(figure, axis_title)
