"""Rules per local government (pemda): which packs and which election calendar decide a move.

A dataset that lists its local governments is screened one local government at a time: a move into a position
of local government X is decided by the national (unscoped) packs, the packs scoped to X, and X's election
calendar (its own, else the calendar that names no local government). By default only X's own employees are
considered, since a move inside one pemda is the PPK's decision (PP 11/2017 Pasal 191); on request the employees
of the other local governments are considered too, and each such move carries its legal path, Pasal 192.

A dataset without ``local_governments`` is one implicit local government (``None``): every pack and the shared
calendar, as before.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..errors import InputError, Location, Problem, did_you_mean
from ..i18n import N_, _
from ..models import Dataset
from ..workload import WorkloadReport
from .evaluation import PairFacts
from .language import Calendar, RulePack
from .loading import LoadedCalendar, RuleSet

#: The legal path of a move between two local governments of one province.
BETWEEN_LOCAL_GOVERNMENTS = N_(
    "between local governments: decided by the Gubernur after the Kepala BKN's pertimbangan; the receiving PPK "
    "proposes and the releasing PPK agrees (PP 11/2017 Pasal 192)"
)


@dataclass(frozen=True)
class Scope:
    """What decides the moves into one local government's positions."""

    #: None: the dataset lists no local governments (one implicit local government).
    local_government: str | None
    packs: list[RulePack]
    calendar: LoadedCalendar | None

    @property
    def election_calendar(self) -> Calendar | None:
        return self.calendar.calendar if self.calendar is not None else None


def local_scopes(ruleset: RuleSet, packs: list[RulePack], dataset: Dataset) -> dict[str | None, Scope]:
    """One scope per local government of ``dataset`` (``{None: ...}`` when it lists none); raises
    :class:`InputError` when a pack or calendar names a local government the dataset does not have."""
    problems = check_local_governments(ruleset, dataset)
    if problems:
        raise InputError(problems)
    if not dataset.local_governments:
        return {None: Scope(None, packs, ruleset.shared_calendar)}
    return {
        lg.id: Scope(lg.id, [p for p in packs if applies(p, lg.id)], ruleset.calendar_of(lg.id))
        for lg in dataset.local_governments
    }


def applies(pack: RulePack, local_government: str | None) -> bool:
    """True when ``pack`` decides moves into ``local_government`` (an unscoped pack applies everywhere)."""
    return pack.local_governments is None or local_government in pack.local_governments


def check_local_governments(ruleset: RuleSet, dataset: Dataset) -> list[Problem]:
    """Packs and calendars naming a local government the dataset does not list, located in their files."""
    known = [lg.id for lg in dataset.local_governments]
    problems = []
    for loaded in ruleset.packs:
        for i, lg in enumerate(loaded.pack.local_governments or ()):
            if lg not in known:
                where = loaded.marked.location(("local_governments", i))
                entity = _("pack {id}").format(id=loaded.pack.pack)
                problems.append(Problem(where, _unknown(lg, dataset), entity=entity, hint=did_you_mean(lg, known)))
    for calendar in ruleset.calendars:
        named = calendar.local_government
        if named is not None and named not in known:
            prefix = (
                ("calendar",) if isinstance(calendar.marked.data, dict) and "calendar" in calendar.marked.data else ()
            )
            where = calendar.marked.location((*prefix, "local_government"))
            problems.append(Problem(where, _unknown(named, dataset), hint=did_you_mean(named, known)))
    return problems


def _unknown(lg: str, dataset: Dataset) -> str:
    if not dataset.local_governments:
        return _(
            "local government '{id}' is not in dataset '{name}', which lists no local_governments in dataset.yaml"
        ).format(id=lg, name=dataset.manifest.name)
    return _("local government '{id}' is not in the local_governments of dataset '{name}'").format(
        id=lg, name=dataset.manifest.name
    )


def legal_path(dataset: Dataset, nip: str, position: str) -> str | None:
    """The legal path of moving ``nip`` to ``position`` when it crosses local governments, else None."""
    if not dataset.local_governments:
        return None
    origin = dataset.local_government_of(nip)
    target = dataset.position_local_government.get(position)
    return _(BETWEEN_LOCAL_GOVERNMENTS) if origin != target else None


def local_nips(dataset: Dataset, local_government: str | None, across: bool) -> frozenset[str] | None:
    """The employees a scope considers: its own (None: everyone, for one implicit local government or across)."""
    if local_government is None or across:
        return None
    owner = dataset.employee_local_government
    return frozenset(nip for nip, lg in owner.items() if lg == local_government)


def scope_pairs(
    dataset: Dataset, report: WorkloadReport, day: date, scope: Scope, across: bool, shared: PairFacts | None = None
) -> PairFacts:
    """The pair facts of one local government's moves: its calendar, its employees (or everyone ``across``)."""
    nips = local_nips(dataset, scope.local_government, across)
    ctx = shared.ctx if shared is not None else None
    return PairFacts(dataset, report, day, scope.election_calendar, nips=nips, shared_ctx=ctx)


def scope_packs(scope: Scope, day: date) -> list[RulePack]:
    """The packs of a scope; an error when none is in force there (every pack is scoped elsewhere)."""
    if not scope.packs:
        message = _("no rule pack in force on {day} applies to local government {id}").format(
            day=day.isoformat(), id=scope.local_government
        )
        raise InputError([Problem(Location(str(scope.local_government)), message)])
    return scope.packs
