"""Employee participation: survey import, the consultation summary of a proposal, an employee's own record."""

from .proposal import LoadedProposal, load_proposal
from .record import ParticipationRecord, participation_of
from .render import FORMATS, describe_view, render_consultation
from .summary import (
    ConsultationEntry,
    ConsultationSummary,
    ProposedMove,
    Treatment,
    ViewTreatment,
    consultation_summary,
)

__all__ = [
    "FORMATS",
    "ConsultationEntry",
    "ConsultationSummary",
    "LoadedProposal",
    "ParticipationRecord",
    "ProposedMove",
    "Treatment",
    "ViewTreatment",
    "consultation_summary",
    "describe_view",
    "load_proposal",
    "participation_of",
    "render_consultation",
]
