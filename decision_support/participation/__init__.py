"""Employee participation: survey import, the consultation summary of a proposal, an employee's own record."""

from .proposal import LoadedProposal, load_proposal
from .record import ParticipationRecord, participation_of
from .render import FORMATS, describe_view, render_consultation, render_record
from .summary import (
    ConsultationEntry,
    ConsultationSummary,
    ProposedMove,
    Treatment,
    ViewTreatment,
    consultation_summary,
)
from .survey import HEADERS, SurveyImport, import_survey, write_participation

__all__ = [
    "FORMATS",
    "HEADERS",
    "ConsultationEntry",
    "ConsultationSummary",
    "LoadedProposal",
    "ParticipationRecord",
    "ProposedMove",
    "SurveyImport",
    "Treatment",
    "ViewTreatment",
    "consultation_summary",
    "describe_view",
    "import_survey",
    "load_proposal",
    "participation_of",
    "render_consultation",
    "render_record",
    "write_participation",
]
