"""An employee's own participation record: what they stated, for the employee to see (and nobody else's)."""

from __future__ import annotations

from ..errors import InputError, Location, Problem
from ..i18n import _
from ..models import Dataset, StatedView
from ..models.participation import views_of
from ..sources.references import nip_suggestion
from .summary import Frozen


class ParticipationRecord(Frozen):
    """One employee's stated views (participation.csv and preferences.csv), with their current post."""

    nip: str
    name: str
    position: str
    unit: str
    views: tuple[StatedView, ...]


def participation_of(dataset: Dataset, nip: str) -> ParticipationRecord:
    """The record of the employee ``nip`` only; raises :class:`InputError` if the NIP is not in the dataset."""
    employees = {e.nip: e for e in dataset.employees}
    employee = employees.get(nip)
    if employee is None:
        message = _("NIP {nip} is not in the dataset").format(nip=nip)
        raise InputError([Problem(Location(dataset.manifest.name), message, hint=nip_suggestion(nip, employees))])
    unit = next(p.unit for p in dataset.positions if p.id == employee.position)
    return ParticipationRecord(
        nip=employee.nip, name=employee.name, position=employee.position, unit=unit, views=views_of(employee)
    )
