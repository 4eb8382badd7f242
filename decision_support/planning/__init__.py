"""Transfer plans: eligible arcs from the rules, voluntary exchange (TTC, DA* baseline), balance optimiser.

Layer between :mod:`decision_support.rules` (eligibility, quotas) and :mod:`decision_support.simulation`
(which can plan first when a scenario says ``proposal: {auto: ...}``).
"""

from __future__ import annotations

from .plan import MODES, Plan, PlannedMove, PlanOptions, make_plan

__all__ = ["MODES", "Plan", "PlanOptions", "PlannedMove", "make_plan"]
