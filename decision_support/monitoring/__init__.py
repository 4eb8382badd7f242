"""Post-transfer monitoring: observed against projected, per unit and per moved employee, with flags.

Reference: docs/monitoring.md.
"""

from .inputs import monitor
from .results import (
    Comparison,
    EmployeeCheckpoint,
    EmployeeFollowUp,
    Flag,
    MonitoringReport,
    UnitCheckpoint,
    UnitFollowUp,
    Unjudged,
)

__all__ = [
    "Comparison",
    "EmployeeCheckpoint",
    "EmployeeFollowUp",
    "Flag",
    "MonitoringReport",
    "UnitCheckpoint",
    "UnitFollowUp",
    "Unjudged",
    "monitor",
]
