"""Read a scenario file: YAML -> :class:`Scenario`, its dataset, and the moves, with every problem located.

Loading never stops at the first problem. The scenario is validated as a whole (pydantic errors become
``file:line:column`` problems with a caret, as for datasets); then every reference is checked against the
dataset (NIPs, positions, units, services, ABK tasks, files), and all problems are raised together in one
:class:`~decision_support.errors.InputError` (exit code 2).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InputError, Location, Problem, did_you_mean, display_path
from ..i18n import _
from ..models import Dataset
from ..planning.provenance import plan_dataset_problem
from ..sources import load_dataset
from ..sources.validation import validate_row
from ..sources.yaml_source import MarkedYaml, load_yaml
from .scenario import AutoProposal, Move, PlanFile, Proposal, Scenario


@dataclass(frozen=True)
class LoadedScenario:
    """A validated scenario with its dataset and moves, ready to be turned into an experiment."""

    scenario: Scenario
    dataset: Dataset
    moves: tuple[Move, ...]
    #: The scenario file as shown to the user.
    path: str
    #: SHA-256 of the scenario file and the plan file (if any), in that order.
    digest: str
    rule_packs: tuple[str, ...]
    #: The scenario's YAML with positions, to locate problems found after loading (the work of a run).
    marked: MarkedYaml | None = None

    def locate(self, *keys: str) -> Location:
        """Where the first of ``keys`` present in the scenario is written (else the file itself)."""
        data = self.marked.data if self.marked is not None else None
        for key in keys:
            if self.marked is not None and isinstance(data, dict) and key in data:
                return self.marked.location((key,))
        return Location(self.path)


def validated_file(path: Path, model: type, problems: list[Problem]) -> tuple[Any, MarkedYaml | None]:
    shown = display_path(path)
    marked, found = load_yaml(path, shown)
    problems += found
    if marked is None or found:
        return None, marked
    if not isinstance(marked.data, dict):
        problems.append(Problem(marked.location(()), _("expected named fields (key: value)")))
        return None, marked
    item, found = validate_row(
        model, marked.data, lambda loc, key: marked.location(loc, key=key), fmt="yaml", entity=None, marked=marked
    )
    problems += found
    return item, marked


def load_scenario(path: str | Path) -> LoadedScenario:
    """Load and check the scenario file at ``path``; raise :class:`InputError` with every problem."""
    path = Path(path)
    problems: list[Problem] = []
    if not path.is_file():
        raise InputError([Problem(Location(display_path(path)), _("scenario file not found"))])
    scenario, marked = validated_file(path, Scenario, problems)
    if marked is None or not isinstance(marked.data, dict):
        raise InputError(problems)
    # The files a scenario names are checked even when the scenario itself has problems: all problems at once.
    raw, base = marked.data, path.parent
    digest = hashlib.sha256(path.read_bytes())
    dataset = _dataset(raw.get("dataset"), marked, base, problems)
    proposal = scenario.proposal if scenario is not None else raw.get("proposal")
    if isinstance(proposal, AutoProposal):
        moves, move_marks, prefix = _auto_moves(proposal, scenario, dataset, marked, base, digest, problems)
    else:
        moves, move_marks, prefix = _moves(proposal, marked, base, digest, problems, dataset)
    rule_packs = _rule_packs(raw.get("rules"), marked, base, problems)
    if scenario is not None and dataset is not None and moves is not None and move_marks is not None:
        problems += References(dataset, scenario, marked).check(moves, move_marks, prefix)
    if problems or scenario is None:
        raise InputError(problems)
    assert dataset is not None and moves is not None
    return LoadedScenario(scenario, dataset, moves, display_path(path), digest.hexdigest(), rule_packs, marked)


def _dataset(name: Any, marked: MarkedYaml, base: Path, problems: list[Problem]) -> Dataset | None:
    """The dataset the scenario names (relative to the scenario file), loaded and checked."""
    if not isinstance(name, str) or not name:
        return None  # the schema check reports it
    folder = base / name
    if not folder.is_dir():
        message = _("dataset folder {path} not found").format(path=display_path(folder))
        problems.append(Problem(marked.location(("dataset",)), message, field="dataset"))
        return None
    try:
        return load_dataset(folder)
    except InputError as exc:
        problems += exc.problems
        return None


def _moves(
    proposal: Any, marked: MarkedYaml, base: Path, digest: Any, problems: list[Problem], dataset: Dataset | None
) -> tuple[tuple[Move, ...] | None, MarkedYaml | None, tuple[Any, ...]]:
    """The moves and where they are written: in the scenario, or in the plan file it names."""
    if isinstance(proposal, Proposal):
        return proposal.moves, marked, ("proposal", "moves")
    if not isinstance(proposal, str):
        return None, None, ()
    plan = base / proposal
    if not plan.is_file():
        message = _("plan file {path} not found").format(path=display_path(plan))
        problems.append(Problem(marked.location(("proposal",)), message, field="proposal"))
        return None, None, ()
    digest.update(plan.read_bytes())
    loaded, plan_marks = validated_file(plan, PlanFile, problems)
    if loaded is None:
        return None, None, ()
    # A plan from another dataset, or from this one before it changed: one message, not one per NIP.
    wrong = dataset and plan_dataset_problem(loaded.plan, [(m.nip, m.to) for m in loaded.moves], dataset)
    if wrong and plan_marks is not None:
        problems.append(Problem(plan_marks.location(("plan", "provenance", "dataset")), wrong, field="plan"))
        return None, None, ()
    return loaded.moves, plan_marks, ("moves",)


def _auto_moves(
    proposal: AutoProposal,
    scenario: Scenario | None,
    dataset: Dataset | None,
    marked: MarkedYaml,
    base: Path,
    digest: Any,
    problems: list[Problem],
) -> tuple[tuple[Move, ...] | None, MarkedYaml | None, tuple[Any, ...]]:
    """``proposal: {auto: ...}``: make a plan with the rule packs named, and take its moves."""
    from ..planning import PlanOptions, make_plan
    from ..rules.service import check_rules
    from ..workload import analyse_workload

    options = proposal.auto
    names = options.rules or (scenario.rules if scenario is not None else ())
    if not names:
        message = _("name the rule packs to plan with in proposal.auto.rules (or the scenario's rules)")
        problems.append(Problem(marked.location(("proposal", "auto")), message, field="proposal.auto.rules"))
        return None, None, ()
    if dataset is None:
        return None, None, ()
    paths = [base / name for name in names]
    try:
        ruleset = check_rules(paths)
        plan = make_plan(
            dataset,
            analyse_workload(dataset),
            ruleset,
            PlanOptions(mode=options.mode, band=options.band, max_moves=options.max_moves, lam=options.lam),
        )
    except InputError as exc:
        problems += exc.problems
        return None, None, ()
    digest.update(plan.metrics["operational"]["input_hash"].encode())
    if not plan.moves:
        problems.append(Problem(marked.location(("proposal", "auto")), _("the plan proposes no moves")))
        return None, None, ()
    moves = tuple(Move(nip=mv.nip, to=mv.to, note=mv.stage) for mv in plan.moves)
    return moves, marked, ("proposal",)


def _rule_packs(names: Any, marked: MarkedYaml, base: Path, problems: list[Problem]) -> tuple[str, ...]:
    """The rule pack files the scenario names; each must exist."""
    packs = []
    for i, name in enumerate(names if isinstance(names, list) else []):
        if not isinstance(name, str):
            continue
        pack = base / name
        if not pack.is_file():
            message = _("rule pack {path} not found").format(path=display_path(pack))
            problems.append(Problem(marked.location(("rules", i)), message, field=f"rules.{i}"))
        packs.append(display_path(pack))
    return tuple(packs)


def simulated_units(scenario: Scenario, dataset: Dataset, moves: tuple[Move, ...]) -> tuple[str, ...]:
    """The scenario's units, or every unit a move leaves or joins, in dataset order."""
    if scenario.units:
        wanted = set(scenario.units)
    else:
        positions = {p.id: p for p in dataset.positions}
        current = {e.nip: e.position for e in dataset.employees}
        wanted = {positions[current[m.nip]].unit for m in moves} | {positions[m.to].unit for m in moves}
    return tuple(u.id for u in dataset.units if u.id in wanted)


class References:
    """Checks that every id a scenario names exists in its dataset."""

    def __init__(self, dataset: Dataset, scenario: Scenario, marked: MarkedYaml) -> None:
        self.dataset = dataset
        self.scenario = scenario
        self.marked = marked
        self.nips = {e.nip: e for e in dataset.employees}
        self.positions = {p.id: p for p in dataset.positions}
        self.units = {u.id for u in dataset.units}
        self.services = {s.id for s in dataset.services}
        self.problems: list[Problem] = []

    def _problem(
        self, marks: MarkedYaml, path: tuple[Any, ...], message: str, hint: str | None = None, *, key: bool = False
    ) -> None:
        field = ".".join(str(p) for p in path)
        self.problems.append(Problem(marks.location(path, key=key), message, field=field, hint=hint))

    def _known(
        self,
        marks: MarkedYaml,
        path: tuple[Any, ...],
        value: str,
        pool: Iterable[str],
        what: str,
        *,
        key: bool = False,
    ) -> bool:
        """Whether ``value`` is in ``pool``; if not, a problem at ``path`` (at its key when ``key``)."""
        pool = set(pool)
        if value in pool:
            return True
        messages = {
            "position": _("unknown position '{id}'"),
            "unit": _("unknown unit '{id}'"),
            "service": _("unknown service '{id}'"),
        }
        self._problem(marks, path, messages[what].format(id=value), did_you_mean(value, pool), key=key)
        return False

    def _nip(self, marks: MarkedYaml, path: tuple[Any, ...], nip: str) -> bool:
        if nip in self.nips:
            return True
        message = _("no employee with NIP {nip} in dataset '{dataset}'")
        self._problem(marks, path, message.format(nip=nip, dataset=self.dataset.manifest.name))
        return False

    def check(self, moves: tuple[Move, ...], move_marks: MarkedYaml, prefix: tuple[Any, ...]) -> list[Problem]:
        """Every problem with the ids the scenario and its moves name."""
        moves_known = self._moves(moves, move_marks, prefix)
        self._ids()
        self._rosters(simulated_units(self.scenario, self.dataset, moves) if moves_known else None)
        self._counter_tasks()
        return self.problems

    def check_moves(self, moves: tuple[Move, ...], marks: MarkedYaml, prefix: tuple[Any, ...]) -> list[Problem]:
        """Every problem with the NIPs and target positions of ``moves``, written at ``prefix`` in ``marks``."""
        self._moves(moves, marks, prefix)
        return self.problems

    def check_rosters(self, moves: tuple[Move, ...], marks: MarkedYaml, prefix: tuple[Any, ...]) -> list[Problem]:
        """Every problem with the scenario's rosters, written at ``prefix`` in ``marks`` (a sweep's staffing)."""
        self._rosters(simulated_units(self.scenario, self.dataset, moves), marks, prefix)
        return self.problems

    def _moves(self, moves: tuple[Move, ...], marks: MarkedYaml, prefix: tuple[Any, ...]) -> bool:
        """Check the moves; True when every NIP and target position is known."""
        before = len(self.problems)
        first_line: dict[str, int | None] = {}
        for i, move in enumerate(moves):
            at = (*prefix, i)
            if move.nip in first_line:
                message = _("NIP {nip} is moved twice (first on line {line})")
                self._problem(marks, (*at, "nip"), message.format(nip=move.nip, line=first_line[move.nip]))
                continue
            first_line[move.nip] = marks.location((*at, "nip")).line
            known = self._nip(marks, (*at, "nip"), move.nip)
            target = self._known(marks, (*at, "to"), move.to, self.positions, "position")
            if known and target and self.nips[move.nip].position == move.to:
                message = _("NIP {nip} already holds {position}; a move must change the position")
                self._problem(marks, (*at, "to"), message.format(nip=move.nip, position=move.to))
        return len(self.problems) == before

    def _ids(self) -> None:
        s, m = self.scenario, self.marked
        for i, unit in enumerate(s.units):
            self._known(m, ("units", i), unit, self.units, "unit")
        for unit in s.calendar.unit_hours:
            self._known(m, ("calendar", "unit_hours", unit), unit, self.units, "unit", key=True)
        for field in ("service_times", "servers", "routing"):
            for service in getattr(s, field):
                self._known(m, (field, service), service, self.services, "service", key=True)
        for service in s.demand.services:
            self._known(m, ("demand", "services", service), service, self.services, "service", key=True)
        for i, season in enumerate(s.demand.seasonal):
            for j, service in enumerate(season.services):
                self._known(m, ("demand", "seasonal", i, "services", j), service, self.services, "service")
        unit_of = {sv.id: sv.unit for sv in self.dataset.services}
        for service, steps in s.routing.items():
            for i, step in enumerate(steps):
                at = ("routing", service, i, "service")
                known = self._known(m, at, step.service, self.services, "service")
                if known and service in unit_of and unit_of[step.service] != unit_of[service]:
                    message = _("follow-up service {next} is at unit {unit}, not at {own} where {service} is")
                    self._problem(
                        m,
                        at,
                        message.format(
                            next=step.service, unit=unit_of[step.service], own=unit_of[service], service=service
                        ),
                    )
        for service, servers in s.servers.items():
            for i, position in enumerate(servers.positions):
                self._known(m, ("servers", service, "positions", i), position, self.positions, "position")

    def _rosters(
        self, simulated: tuple[str, ...] | None, marks: MarkedYaml | None = None, prefix: tuple[Any, ...] = ("rosters",)
    ) -> None:
        m = marks or self.marked
        for i, roster in enumerate(self.scenario.rosters):
            known = self._known(m, (*prefix, i, "unit"), roster.unit, self.units, "unit")
            if known and simulated is not None and roster.unit not in simulated:
                message = _("unit {unit} is not simulated in this scenario, so this roster would have no effect")
                hint = _("Add it to 'units' (now: {units}).").format(units=", ".join(simulated))
                self._problem(m, (*prefix, i, "unit"), message.format(unit=roster.unit), hint)
            if roster.position is not None:
                self._known(m, (*prefix, i, "position"), roster.position, self.positions, "position")
            for j, nip in enumerate(roster.nips):
                self._nip(m, (*prefix, i, "nips", j), nip)

    def _counter_tasks(self) -> None:
        m = self.marked
        tasks: dict[str, set[str]] = {}
        for task in self.dataset.workload:
            tasks.setdefault(task.position, set()).add(task.task)
        for i, item in enumerate(self.scenario.back_office.counter_tasks):
            at = ("back_office", "counter_tasks", i)
            if not self._known(m, (*at, "position"), item.position, self.positions, "position"):
                continue
            own = tasks.get(item.position, set())
            if item.task not in own:
                message = _("position {position} has no ABK task '{task}'")
                self._problem(
                    m,
                    (*at, "task"),
                    message.format(position=item.position, task=item.task),
                    did_you_mean(item.task, own),
                )
