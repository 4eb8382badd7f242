"""The periodic review of staffing needs and its meeting pack (docs/review.md).

:func:`parse_period` reads a period (``2027-S1``, ``2027-Q3``, ``2027-03``); :func:`run_review` runs workload,
screening, a plan, its explanations and simulation, the participation summary and the monitoring of past moves
for the period; :func:`render_pack` writes the meeting pack for the tim penilai kinerja.
"""

from .pack import render_pack
from .period import Period, parse_period
from .pipeline import Review, ReviewSettings, run_review
from .seasons import PeriodDemand, Season, period_demand

__all__ = [
    "Period",
    "PeriodDemand",
    "Review",
    "ReviewSettings",
    "Season",
    "parse_period",
    "period_demand",
    "render_pack",
    "run_review",
]
