"""From a loaded scenario to an :class:`ExperimentPlan`: plain, picklable data for the replications.

The plan fixes, once, everything that does not change between replications: the simulated days and each
unit's hours on them, the job classes of each unit (its services first, then the back-office work of each of
its positions), and for each arm (baseline and proposal) who works where, on which days, with which skills.
A transfer is the difference between the two arms' staff; the job classes, days and hours are shared.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ..models import Dataset, Employee, Position, Service, UnitKind
from ..models.base import minutes_of
from ..models.services import DayType, Servers, ServiceTarget
from ..workload.teachers import rombel_of
from .calendar import Day, OpenHours, Span, days_of, office_hours, unit_hours
from .distributions import ServiceTimeModel
from .engine import Behaviour, JobClass
from .loader import LoadedScenario, simulated_units
from .scenario import Absence, Move, Roster, Scenario

QUEUE, OFFICE, SCHOOL = "queue", "office", "school"
BASELINE, PROPOSAL = "baseline", "proposal"


@dataclass(frozen=True)
class ServicePlan:
    """One service of a unit: demand per day type, multipliers, service time, target and follow-ups."""

    id: str
    name: str
    #: Per day type: (start, end, arrivals per minute), minutes after midnight.
    slots: dict[DayType, tuple[tuple[float, float, float], ...]]
    monthly: dict[int, float]
    seasons: tuple[tuple[date, date, float], ...]
    factor: float
    time: ServiceTimeModel
    target: ServiceTarget
    #: Who can serve: the scenario's override, else the dataset's.
    servers: Servers
    #: (class index at the same unit, probability) of the visit after this one.
    follow_ups: tuple[tuple[int, float], ...] = ()

    def multiplier(self, day: date) -> float:
        """Demand factor on ``day``: monthly x seasonal x what-if."""
        value = self.monthly.get(day.month, 1.0) * self.factor
        for start, end, factor in self.seasons:
            if start <= day <= end:
                value *= factor
        return value


#: Outputs longer than this (minutes) are worked on in packets of this size (a 2,400-minute plan is 40 packets).
PACKET_MINUTES = 60.0


@dataclass(frozen=True)
class TaskPlan:
    """One ABK task of a position as back-office work: jobs per working day and minutes per job.

    A job is one output (volume x norma waktu), or, for outputs longer than :data:`PACKET_MINUTES`, one packet
    of that many minutes, so that work spanning days arrives day by day at the same yearly total.
    """

    task: str
    per_day: float
    minutes: float


@dataclass(frozen=True)
class SubjectPlan:
    """One subject at a school: curriculum JTM per rombel per week, and the number of rombel."""

    subject: str
    name: str
    hours_per_rombel: float
    rombel: int

    @property
    def jtm(self) -> float:
        return self.hours_per_rombel * self.rombel


@dataclass(frozen=True)
class UnitPlan:
    """A simulated unit: its kind, job classes, services, back-office tasks and hours per day."""

    id: str
    name: str
    kind: str
    classes: tuple[JobClass, ...] = ()
    services: tuple[ServicePlan, ...] = ()
    #: Back-office tasks per back-office class (class index = len(services) + position in this tuple).
    tasks: tuple[tuple[TaskPlan, ...], ...] = ()
    #: Positions whose back-office work each back-office class is.
    task_positions: tuple[str, ...] = ()
    hours: dict[date, OpenHours | None] = field(default_factory=dict)
    back_office_days: frozenset[date] = frozenset()
    subjects: tuple[SubjectPlan, ...] = ()


@dataclass(frozen=True)
class Person:
    """An employee as one arm sees them."""

    nip: str
    name: str
    position: str
    unit: str
    subject: str | None


@dataclass(frozen=True)
class Assignment:
    """A person working at a unit: skills (class indexes), day types (None: all) and shifts (None: unit hours)."""

    nip: str
    skills: tuple[int, ...]
    days: frozenset[DayType] | None = None
    shifts: tuple[Span, ...] | None = None


@dataclass(frozen=True)
class ArmPlan:
    """One arm's staff: who is who, who works where, holders per unit, teachers per school and subject."""

    name: str
    people: dict[str, Person]
    assignments: dict[str, tuple[Assignment, ...]]
    holders: dict[str, int]
    teachers: dict[str, dict[str, tuple[str, ...]]]
    #: People assigned per unit, each weighted by the share of the unit's open days they are rostered there.
    staff: dict[str, float]


@dataclass(frozen=True)
class ExperimentPlan:
    """Everything a replication needs, for both arms."""

    name: str
    seed: int
    replications: int
    mode: str
    semantics: str
    max_overtime: float
    behaviour: Behaviour
    patience: ServiceTimeModel | None
    absence: Absence
    days: tuple[Day, ...]
    units: tuple[UnitPlan, ...]
    arms: tuple[ArmPlan, ArmPlan]
    slot_minutes: int
    wke_hours: int
    working_days_per_year: int
    school_days: frozenset[DayType]
    periods_per_day: int
    cover: str
    min_jtm: float
    max_jtm: float


def build_plan(loaded: LoadedScenario, replications: int | None = None, seed: int | None = None) -> ExperimentPlan:
    """The experiment of ``loaded``; ``replications`` and ``seed`` override the scenario's."""
    s, data = loaded.scenario, loaded.dataset
    days = tuple(days_of(s.calendar, s.horizon.start, s.horizon.days, s.warmup_days))
    unit_ids = simulated_units(s, data, loaded.moves)
    units = tuple(_unit_plan(uid, s, data, days) for uid in unit_ids)
    arms = (
        _arm(BASELINE, s, data, units, days, ()),
        _arm(PROPOSAL, s, data, units, days, loaded.moves),
    )
    teacher = data.settings.teacher
    return ExperimentPlan(
        name=s.name,
        seed=s.seed if seed is None else seed,
        replications=s.replications if replications is None else replications,
        mode=s.mode,
        semantics=s.shift_change,
        max_overtime=s.max_overtime_minutes,
        behaviour=Behaviour(s.customers.capacity, tuple((b.present, b.probability) for b in s.customers.baulking)),
        patience=s.customers.patience,
        absence=s.absence,
        days=days,
        units=units,
        arms=arms,
        slot_minutes=s.report.slot_minutes,
        wke_hours=data.settings.wke_hours,
        working_days_per_year=s.calendar.working_days_per_year,
        school_days=frozenset(s.schools.days),
        periods_per_day=s.schools.periods_per_day,
        cover=s.schools.cover,
        min_jtm=teacher.min_jtm,
        max_jtm=teacher.max_jtm,
    )


# -- units -------------------------------------------------------------------------------------------------
def _unit_plan(unit_id: str, s: Scenario, data: Dataset, days: tuple[Day, ...]) -> UnitPlan:
    unit = next(u for u in data.units if u.id == unit_id)
    if unit.kind is UnitKind.SCHOOL:
        return UnitPlan(unit.id, unit.name, SCHOOL, subjects=_subjects(unit_id, data))
    services = [sv for sv in data.services if sv.unit == unit_id]
    index = {sv.id: i for i, sv in enumerate(services)}
    service_plans = tuple(_service_plan(sv, s, index) for sv in services)
    positions, tasks = _back_office(unit_id, s, data)
    classes = tuple(JobClass(sv.id) for sv in services) + tuple(JobClass(p, customer=False) for p in positions)
    hours = {day.date: unit_hours(s.calendar, unit_id, day, _slot_spans(service_plans, day)) for day in days}
    office = frozenset(d.date for d in days if office_hours(s.calendar, d) is not None and hours[d.date] is not None)
    kind = QUEUE if services else OFFICE
    return UnitPlan(unit.id, unit.name, kind, classes, service_plans, tasks, positions, hours, office)


def _slot_spans(services: tuple[ServicePlan, ...], day: Day) -> list[Span]:
    return [(start, end) for sv in services for start, end, _rate in sv.slots.get(day.day_type, ())]


def _service_plan(service: Service, s: Scenario, index: dict[str, int]) -> ServicePlan:
    slots: dict[DayType, list[tuple[float, float, float]]] = {}
    for slot in service.demand.slots:
        start, end = float(minutes_of(slot.start)), float(minutes_of(slot.end))
        slots.setdefault(slot.day_type, []).append((start, end, slot.per_hour / 60.0))
    seasons = [(x.start, x.end, x.multiplier) for x in service.demand.seasonal]
    seasons += [(x.start, x.end, x.multiplier) for x in s.demand.seasonal if not x.services or service.id in x.services]
    follow_ups = tuple((index[f.service], f.probability) for f in s.routing.get(service.id, ()) if f.service in index)
    return ServicePlan(
        id=service.id,
        name=service.name,
        slots={k: tuple(sorted(v)) for k, v in slots.items()},
        monthly=dict(service.demand.monthly),
        seasons=tuple(seasons),
        factor=s.demand.multiplier * s.demand.services.get(service.id, 1.0),
        time=s.service_times.get(service.id, service.service_time),
        target=service.target,
        servers=s.servers.get(service.id, service.servers),
        follow_ups=follow_ups,
    )


def _back_office(unit_id: str, s: Scenario, data: Dataset) -> tuple[tuple[str, ...], tuple[tuple[TaskPlan, ...], ...]]:
    """Positions of the unit with back-office work, and their tasks (counter tasks left out)."""
    if not s.back_office.enabled:
        return (), ()
    at_counter = {(t.position, t.task) for t in s.back_office.counter_tasks}
    per_position: dict[str, list[TaskPlan]] = {}
    unit_positions = {p.id for p in data.positions if p.unit == unit_id}
    per_day = s.calendar.working_days_per_year
    for task in data.workload:
        if task.position in unit_positions and (task.position, task.task) not in at_counter and task.volume > 0:
            size = min(task.norma_waktu, PACKET_MINUTES)
            jobs_per_day = task.volume * task.norma_waktu / size / per_day
            per_position.setdefault(task.position, []).append(TaskPlan(task.task, jobs_per_day, size))
    ordered = [p.id for p in data.positions if p.id in per_position]
    return tuple(ordered), tuple(tuple(per_position[p]) for p in ordered)


def _subjects(unit_id: str, data: Dataset) -> tuple[SubjectPlan, ...]:
    school = next((x for x in data.schools if x.unit == unit_id), None)
    if school is None:
        return ()
    rules = data.settings.teacher
    rombel = rombel_of(school.pupils, school.rombel, rules.class_size_max.get(school.level.value, 32))
    return tuple(
        SubjectPlan(entry.subject, entry.name, entry.hours_per_rombel, rombel)
        for entry in data.curriculum
        if entry.level == school.level
    )


# -- arms --------------------------------------------------------------------------------------------------
def _people(data: Dataset, moves: tuple[Move, ...]) -> dict[str, Person]:
    positions = {p.id: p for p in data.positions}
    target = {m.nip: m.to for m in moves}
    people = {}
    for e in data.employees:
        position: Position = positions[target.get(e.nip, e.position)]
        people[e.nip] = Person(e.nip, e.name, position.id, position.unit, position.subject)
    return people


def _arm(
    name: str, s: Scenario, data: Dataset, units: tuple[UnitPlan, ...], days: tuple[Day, ...], moves: tuple[Move, ...]
) -> ArmPlan:
    people = _people(data, moves)
    employees = {e.nip: e for e in data.employees}
    simulated = {u.id: u for u in units}
    members = _roster_members(s.rosters, people, data)
    rostered = {nip for _roster, nips in members for nip in nips}
    assignments: dict[str, list[Assignment]] = {u.id: [] for u in units}
    for person in sorted(people.values(), key=lambda p: p.nip):
        unit = simulated.get(person.unit)
        if unit is not None and unit.kind != SCHOOL and person.nip not in rostered:
            assignments[unit.id].append(Assignment(person.nip, _skills(unit, person, employees[person.nip])))
    for roster, nips in members:
        unit = simulated.get(roster.unit)
        if unit is None or unit.kind == SCHOOL:
            continue
        day_types = frozenset(roster.days) or None
        shifts = tuple((float(minutes_of(x.start)), float(minutes_of(x.end))) for x in roster.shifts) or None
        for nip in nips:
            skills = _skills(unit, people[nip], employees[nip])
            assignments[unit.id].append(Assignment(nip, skills, day_types, shifts))
    holders = {u.id: sum(1 for p in people.values() if p.unit == u.id) for u in units}
    frozen = {k: tuple(v) for k, v in assignments.items()}
    staff = {u.id: _assigned(u, frozen[u.id], days) for u in units}
    return ArmPlan(name, people, frozen, holders, _teachers(units, people), staff)


def _assigned(unit: UnitPlan, assignments: tuple[Assignment, ...], days: tuple[Day, ...]) -> float:
    """Staff of a unit in full-time equivalents of its open days (roster days count; absences do not)."""
    open_days = [d for d in days if unit.hours.get(d.date) is not None and not d.warmup]
    if not open_days:
        return float(len(assignments))
    worked = sum(1 for a in assignments for d in open_days if a.days is None or d.day_type in a.days)
    return worked / len(open_days)


def _roster_members(
    rosters: tuple[Roster, ...], people: dict[str, Person], data: Dataset
) -> list[tuple[Roster, tuple[str, ...]]]:
    """Who each roster entry names in one arm: its NIPs, or the first ``count`` holders of its position.

    Holders who held the position before the moves come first (then by NIP), so that a move into the position
    does not reshuffle who is rostered where.
    """
    before = {e.nip: e.position for e in data.employees}
    members = []
    for roster in rosters:
        if roster.position is None:
            members.append((roster, tuple(roster.nips)))
            continue
        holders = [p.nip for p in people.values() if p.position == roster.position]
        holders.sort(key=lambda nip: (before[nip] != roster.position, nip))
        members.append((roster, tuple(holders[: roster.count] if roster.count else holders)))
    return members


def _skills(unit: UnitPlan, person: Person, employee: Employee) -> tuple[int, ...]:
    """The job classes ``person`` can serve at ``unit``: services by position or competency, own back office."""
    held = {(c.dimension, c.code): c.level for c in employee.competencies}
    skills = []
    for i, service in enumerate(unit.services):
        if _can_serve(service.servers, person, held):
            skills.append(i)
    for j, position in enumerate(unit.task_positions):
        if position == person.position and person.unit == unit.id:
            skills.append(len(unit.services) + j)
    return tuple(skills)


def _can_serve(servers: Servers, person: Person, held: dict) -> bool:
    if person.position in servers.positions:
        return True
    return any(held.get((c.dimension, c.code), 0) >= c.level for c in servers.competencies)


def _teachers(units: tuple[UnitPlan, ...], people: dict[str, Person]) -> dict[str, dict[str, tuple[str, ...]]]:
    schools = {u.id for u in units if u.kind == SCHOOL}
    found: dict[str, dict[str, list[str]]] = {u: {} for u in schools}
    for person in sorted(people.values(), key=lambda p: p.nip):
        if person.unit in schools and person.subject:
            found[person.unit].setdefault(person.subject, []).append(person.nip)
    return {u: {k: tuple(v) for k, v in subjects.items()} for u, subjects in found.items()}
