"""The consultation summary of a proposal: each affected employee's stated views and how the proposal treats them.

An employee is *affected* when the proposal moves them. For each of their views (participation.csv, and the
older preferences.csv read as views) the summary says whether the proposal honours it, and when it does not,
why: the reasons the proposal itself gives for the move (the plan's stage and rule reasons, the scenario's
note). Nothing is invented: a move without a stated reason is shown as such. A hope is free text the
program cannot judge; it is listed for the meeting to discuss.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, computed_field

from ..errors import InputError, Location, Problem, did_you_mean
from ..i18n import _
from ..models import Dataset, Employee, StatedView, ViewKind
from ..models.participation import views_of


class Treatment(StrEnum):
    """How a proposal treats one stated view."""

    HONOURED = "honoured"
    #: A wish for a unit honoured, but not in the wished position.
    PARTLY = "partly_honoured"
    NOT_HONOURED = "not_honoured"
    #: A wish for another unit, while the move honours a different wish of the same employee.
    OTHER_WISH = "other_wish_honoured"
    #: A hope (free text): listed for the consultation, not judged by the program.
    FOR_DISCUSSION = "for_discussion"
    #: The employee stated nothing.
    NO_VIEW = "no_view"


class Frozen(BaseModel):
    """An output model: frozen, unknown keys rejected (like the input models)."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class ProposedMove(Frozen):
    """One move of a proposal with the reasons the proposal gives for it (plan stage, rule reasons, note)."""

    nip: str
    to: str
    #: Why the proposal makes the move, as the proposal says it: never invented here.
    reasons: tuple[str, ...] = ()
    #: The plan stage that made it (voluntary, balance), when the proposal is a plan.
    stage: str | None = None


class ViewTreatment(Frozen):
    """One stated view and how the proposal treats it."""

    view: StatedView
    treatment: Treatment
    #: The wish rank the move honours instead (a wish not honoured because a better-ranked one is), else None.
    instead_rank: int | None = None
    #: The view was stated after the proposal date (in answer to it); None when either date is unknown.
    after_proposal: bool | None = None
    #: A wish for a unit above the target unit (an OPD whose counter or UPT the move goes to): partly honoured.
    within_wished_unit: bool = False


class ConsultationEntry(Frozen):
    """One affected employee: the move, their stated views and how each is treated."""

    nip: str
    name: str
    origin_position: str
    origin_unit: str
    target_position: str
    target_unit: str
    stage: str | None
    #: Why the proposal makes the move (from the proposal), shown where a view is not honoured.
    reasons: tuple[str, ...]
    views: tuple[ViewTreatment, ...]

    @computed_field  # type: ignore[prop-decorator]
    @property
    def overall(self) -> Treatment:
        """The employee's outcome: not honoured if any view is not, else partly, else honoured."""
        judged = [v.treatment for v in self.views]
        for treatment in (Treatment.NOT_HONOURED, Treatment.PARTLY, Treatment.HONOURED):
            if treatment in judged:
                return treatment
        return Treatment.FOR_DISCUSSION if self.views else Treatment.NO_VIEW


class ConsultationSummary(Frozen):
    """The consultation summary of one proposal."""

    dataset: str
    proposal: str
    proposed_on: date | None
    entries: tuple[ConsultationEntry, ...]

    def counts(self) -> dict[str, int]:
        """Affected employees by overall outcome, every outcome listed."""
        counts = {t.value: 0 for t in Treatment}
        for entry in self.entries:
            counts[entry.overall.value] += 1
        return counts


def consultation_summary(
    dataset: Dataset,
    moves: Iterable[ProposedMove | tuple[str, str]],
    *,
    proposal: str = "",
    proposed_on: date | None = None,
) -> ConsultationSummary:
    """The consultation summary of ``moves`` on ``dataset``.

    ``moves`` are :class:`ProposedMove` (with the proposal's reasons) or bare ``(nip, position)`` pairs.
    Raises :class:`InputError` for an unknown NIP or position or an NIP moved twice (all problems at once).
    """
    proposed = [m if isinstance(m, ProposedMove) else ProposedMove(nip=m[0], to=m[1]) for m in moves]
    employees = {e.nip: e for e in dataset.employees}
    positions = {p.id: p for p in dataset.positions}
    _check(proposal or dataset.manifest.name, proposed, employees, positions)
    parents = {u.id: u.parent for u in dataset.units}
    entries = []
    for move in proposed:
        employee = employees[move.nip]
        target_unit = positions[move.to].unit
        above = _ancestors(target_unit, parents)
        views = tuple(
            _treat(view, employee, move.to, target_unit, above, proposed_on)
            for view in sorted(views_of(employee), key=_view_order)
        )
        entries.append(
            ConsultationEntry(
                nip=employee.nip,
                name=employee.name,
                origin_position=employee.position,
                origin_unit=positions[employee.position].unit,
                target_position=move.to,
                target_unit=target_unit,
                stage=move.stage,
                reasons=move.reasons,
                views=views,
            )
        )
    return ConsultationSummary(
        dataset=dataset.manifest.name, proposal=proposal, proposed_on=proposed_on, entries=tuple(entries)
    )


_KIND_ORDER = {ViewKind.OBJECTION: 0, ViewKind.WISH: 1, ViewKind.HOPE: 2}


def _view_order(view: StatedView) -> tuple[int, int, str]:
    return _KIND_ORDER[view.kind], view.rank or 0, view.unit or ""


def _ancestors(unit: str, parents: Mapping[str, str | None]) -> set[str]:
    """The units above ``unit`` (its parent, the parent's parent...), stopping at a loop."""
    above: set[str] = set()
    parent = parents.get(unit)
    while parent is not None and parent not in above and parent != unit:
        above.add(parent)
        parent = parents.get(parent)
    return above


def _treat(
    view: StatedView, employee: Employee, target: str, unit: str, above: set[str], proposed_on: date | None
) -> ViewTreatment:
    after = view.stated_on > proposed_on if view.stated_on is not None and proposed_on is not None else None
    instead = None
    within = False
    if view.kind is ViewKind.HOPE:
        treatment = Treatment.FOR_DISCUSSION
    elif view.kind is ViewKind.OBJECTION:
        # An objection to a unit holds when the move goes elsewhere; one to any move never holds for a mover.
        treatment = Treatment.HONOURED if view.unit is not None and view.unit != unit else Treatment.NOT_HONOURED
    elif view.unit != unit:
        instead = next(
            (v.rank for v in views_of(employee) if v.kind is ViewKind.WISH and v.unit == unit and v.rank is not None),
            None,
        )
        # Into the wished OPD, to one of its counters or sub-units (unless that unit is itself a wish): partly.
        within = instead is None and view.unit in above
        treatment = Treatment.OTHER_WISH if instead is not None else Treatment.NOT_HONOURED
        treatment = Treatment.PARTLY if within else treatment
    elif view.position is not None and view.position != target:
        treatment = Treatment.PARTLY
    else:
        treatment = Treatment.HONOURED
    return ViewTreatment(
        view=view, treatment=treatment, instead_rank=instead, after_proposal=after, within_wished_unit=within
    )


def _check(
    source: str, moves: Sequence[ProposedMove], employees: dict[str, Employee], positions: Mapping[str, object]
) -> None:
    problems = []
    seen: set[str] = set()
    for i, move in enumerate(moves, 1):
        where = Location(source, i)
        if move.nip not in employees:
            problems.append(
                Problem(where, _("NIP {nip} is not in the dataset").format(nip=move.nip), entity=f"NIP {move.nip}")
            )
        elif move.nip in seen:
            problems.append(
                Problem(where, _("NIP {nip} is moved twice").format(nip=move.nip), entity=f"NIP {move.nip}")
            )
        seen.add(move.nip)
        if move.to not in positions:
            problems.append(
                Problem(
                    where,
                    _("position '{position}' is not defined").format(position=move.to),
                    entity=f"NIP {move.nip}",
                    hint=did_you_mean(move.to, list(positions)),
                )
            )
    if problems:
        raise InputError(problems)
