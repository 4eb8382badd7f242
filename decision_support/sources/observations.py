"""Load the inputs of post-transfer monitoring: an observations folder, a policy, a projection, a plan.

Every problem of every file is collected and raised together in one :class:`InputError`, located at its
file, row (or line) and column, naming the NIP or unit, with "did you mean" where it helps
(docs/monitoring.md).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..errors import InputError, Location, Problem, did_you_mean, display_path, os_reason
from ..i18n import N_, _
from ..models.base import Model
from ..models.monitoring import (
    EmployeeObservation,
    MonitoringManifest,
    MonitoringPolicy,
    Projection,
    UnitObservation,
)
from .references import nip_suggestion
from .tables import TABLE_SUFFIXES, Row, Table, read_whole_table
from .validation import ambiguous_numbers, describe, spreadsheet_hint, validate_row
from .yaml_source import MarkedYaml, load_yaml

MANIFEST = "monitoring.yaml"
POLICY = "policy.yaml"
#: The tables of an observations folder: file stem, row model, key column, entity label.
OBSERVATION_TABLES: tuple[tuple[str, type[Model], str, str], ...] = (
    ("employees", EmployeeObservation, "nip", N_("NIP {id}")),
    ("units", UnitObservation, "unit", N_("unit {id}")),
)


@dataclass(frozen=True)
class ObservationSet:
    """A validated observations folder."""

    folder: str
    manifest: MonitoringManifest
    employees: tuple[EmployeeObservation, ...]
    units: tuple[UnitObservation, ...]
    #: The policy file read (``None``: the defaults of :class:`MonitoringPolicy`).
    policy_file: str | None
    policy: MonitoringPolicy


@dataclass(frozen=True)
class PlannedMove:
    """A move of the approved proposal: who went to which position."""

    nip: str
    to: str
    #: Where the move is written (a plan or scenario file); ``None`` for the moves of a projection.
    location: Location | None = None


def _yaml_model(path: Path, model: type[Model], problems: list[Problem]) -> Any:
    """One YAML document validated as ``model``, or ``None`` with its problems appended."""
    marked, found = load_yaml(path, display_path(path))
    problems += found
    if marked is None or found:
        return None
    if not isinstance(marked.data, dict):
        problems.append(Problem(marked.location(()), _("expected named fields (key: value)")))
        return None
    item, found = validate_row(
        model, marked.data, lambda loc, key: marked.location(loc, key=key), fmt="yaml", entity=None, marked=marked
    )
    problems += found
    return item


def _table_files(folder: Path, problems: list[Problem]) -> dict[str, Path]:
    """The table file of each observation table; unknown table files and duplicates are problems."""
    known = [name for name, *_rest in OBSERVATION_TABLES]
    found: dict[str, list[Path]] = {name: [] for name in known}
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() not in TABLE_SUFFIXES or path.name in (MANIFEST, POLICY):
            continue
        if path.stem in found:
            found[path.stem].append(path)
            continue
        hint = did_you_mean(path.stem, known) or _("Known tables: {names}.").format(names=", ".join(known))
        message = _("this file is not part of the observations format, so its data would be ignored")
        problems.append(Problem(Location(display_path(path)), message, hint=hint))
    files = {}
    for name, paths in found.items():
        if len(paths) > 1:
            message = _("table '{table}' is given by more than one file ({names}); keep one").format(
                table=name, names=", ".join(p.name for p in paths)
            )
            problems.append(Problem(Location(display_path(paths[0])), message))
        elif paths:
            files[name] = paths[0]
    return files


def _locate(row: Row, loc: tuple[Any, ...], key: bool) -> Location:
    if row.table.yaml is not None:
        return row.table.yaml.location((row.index, *loc), key=key)
    return row.location(str(loc[0]) if loc else None)


def _read_rows(path: Path, model: type[Model], key: str, entity: str, problems: list[Problem]) -> list[tuple[Row, Any]]:
    """Every valid row of one table file, with its row for locating later problems."""
    table, found = read_whole_table(path, display_path(path))
    problems += found
    if table is None:
        return []
    if not table.rows and not found:
        problems.append(Problem(Location(table.shown_as, 1), _("the file has no observation rows")))
    rows = []
    for row in table.rows:
        item = _read_row(table, row, model, key, entity, problems)
        if item is not None:
            rows.append((row, item))
    return rows


def _read_row(table: Table, row: Row, model: type[Model], key: str, entity: str, problems: list[Problem]) -> Any:
    label = _(entity).format(id=row.values.get(key)) if row.values.get(key) is not None else None
    if table.kind != "yaml":
        ambiguous = ambiguous_numbers(model, row.values)
        for name, message, hint in ambiguous:
            problems.append(Problem(row.location(name), message, entity=label, field=name, hint=hint))
        if ambiguous:
            return None
    item, found = validate_row(
        model,
        dict(row.values),
        lambda loc, at_key: _locate(row, loc, at_key),
        fmt=table.kind,
        entity=label,
        marked=table.yaml,
        prefix=(row.index,),
    )
    for problem in found:
        if problem.hint is None and problem.field is not None:
            spreadsheet = spreadsheet_hint(model, problem.field, row.values.get(problem.field))
            problem = dataclasses.replace(problem, hint=spreadsheet)
        problems.append(problem)
    return item


def _check_employee_rows(
    rows: list[tuple[Row, EmployeeObservation]], moved: Iterable[str], manifest: MonitoringManifest | None
) -> list[Problem]:
    """Every NIP is a moved employee, each (NIP, checkpoint) once, no observation before the TMT."""
    known = {nip: True for nip in moved}
    problems: list[Problem] = []
    seen: set[tuple[str, int]] = set()
    for row, item in rows:
        entity = _("NIP {id}").format(id=item.nip)
        if item.nip not in known:
            hint = nip_suggestion(item.nip, known) or _("Only employees moved by the plan are monitored.")
            message = _("NIP {nip} is not among the moved employees").format(nip=item.nip)
            problems.append(Problem(row.location("nip"), message, entity=entity, field="nip", hint=hint))
        problems += _common_checks(row, item, (item.nip, item.checkpoint), seen, entity, manifest)
    return problems


def _check_unit_rows(
    rows: list[tuple[Row, UnitObservation]], units: Iterable[str], manifest: MonitoringManifest | None
) -> list[Problem]:
    known = list(units)
    problems: list[Problem] = []
    seen: set[tuple[str, int]] = set()
    for row, item in rows:
        entity = _("unit {id}").format(id=item.unit)
        if item.unit not in known:
            message = _("unit {unit} is not in the dataset").format(unit=item.unit)
            hint = did_you_mean(item.unit, known)
            problems.append(Problem(row.location("unit"), message, entity=entity, field="unit", hint=hint))
        problems += _common_checks(row, item, (item.unit, item.checkpoint), seen, entity, manifest)
    return problems


def _common_checks(
    row: Row, item: Any, key: tuple[str, int], seen: set[tuple[str, int]], entity: str, manifest: Any
) -> list[Problem]:
    problems = []
    if key in seen:
        message = _("a second row for checkpoint {months} months; keep one row per checkpoint").format(months=key[1])
        problems.append(Problem(row.location("checkpoint"), message, entity=entity, field="checkpoint"))
    seen.add(key)
    if manifest is not None and item.observed_on is not None and not manifest.tmt <= item.observed_on <= manifest.as_of:
        message = _("observed_on {date} is outside the monitoring period {tmt} to {as_of} (monitoring.yaml)").format(
            date=item.observed_on.isoformat(), tmt=manifest.tmt.isoformat(), as_of=manifest.as_of.isoformat()
        )
        problems.append(Problem(row.location("observed_on"), message, entity=entity, field="observed_on"))
    return problems


def load_observations(
    folder: str | Path, *, moved: Iterable[str], units: Iterable[str], policy: str | Path | None = None
) -> ObservationSet:
    """The observations folder ``folder``, checked against the ``moved`` NIPs and the dataset's ``units``.

    ``policy`` overrides the folder's ``policy.yaml``; without either the documented defaults apply.
    Raises :class:`InputError` with every problem.
    """
    root = Path(folder)
    problems: list[Problem] = []
    if not root.is_dir():
        message = _("observations folder not found") if not root.exists() else _("this is a file, not a folder")
        raise InputError([Problem(Location(display_path(root)), message)])
    manifest = _read_manifest(root, problems)
    policy_path = Path(policy) if policy is not None else (root / POLICY if (root / POLICY).is_file() else None)
    chosen = _read_policy(policy_path, problems)
    files = _table_files(root, problems)
    read: dict[str, list[tuple[Row, Any]]] = {}
    for name, model, key, entity in OBSERVATION_TABLES:
        if name in files:
            read[name] = _read_rows(files[name], model, key, entity, problems)
        else:
            message = _("table '{table}' is missing (as {table}.csv, {table}.yaml or {table}.xlsx)").format(table=name)
            problems.append(Problem(Location(display_path(root / f"{name}.csv")), message))
            read[name] = []
    problems += _check_employee_rows(read["employees"], moved, manifest)
    problems += _check_unit_rows(read["units"], units, manifest)
    if problems or manifest is None or chosen is None:
        raise InputError(problems)
    return ObservationSet(
        folder=display_path(root),
        manifest=manifest,
        employees=tuple(item for _row, item in read["employees"]),
        units=tuple(item for _row, item in read["units"]),
        policy_file=display_path(policy_path) if policy_path is not None else None,
        policy=chosen,
    )


def _read_manifest(root: Path, problems: list[Problem]) -> MonitoringManifest | None:
    path = root / MANIFEST
    if not path.is_file():
        message = _("the monitoring manifest monitoring.yaml is missing")
        hint = _("It names the TMT of the moves and the date of the latest collection (see docs/monitoring.md).")
        problems.append(Problem(Location(display_path(path)), message, hint=hint))
        return None
    item: MonitoringManifest | None = _yaml_model(path, MonitoringManifest, problems)
    return item


def _read_policy(path: Path | None, problems: list[Problem]) -> MonitoringPolicy | None:
    if path is None:
        return MonitoringPolicy()
    if not path.is_file():
        problems.append(Problem(Location(display_path(path)), _("policy file not found")))
        return None
    item: MonitoringPolicy | None = _yaml_model(path, MonitoringPolicy, problems)
    return item


def load_projection(path: str | Path) -> Projection:
    """A simulation result file (``simulate``'s JSON); raises :class:`InputError` with every problem."""
    file = Path(path)
    shown = display_path(file)
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(
            [Problem(Location(shown), _("cannot read the file: {reason}").format(reason=os_reason(exc)))]
        ) from None
    except UnicodeDecodeError:
        raise InputError([Problem(Location(shown), _("the file is not UTF-8 text"))]) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        message = _("not valid JSON: {reason}").format(reason=exc.msg)
        hint = _("Use the .json file that 'simulate' wrote to its output folder (hasil-simulasi/).")
        raise InputError([Problem(Location(shown, exc.lineno, exc.colno), message, hint=hint)]) from None
    if not isinstance(data, dict) or data.get("schema") != "seimbang.simulation/1":
        message = _('this is not a simulation result (expected "schema": "seimbang.simulation/1")')
        hint = _("Use the .json file that 'simulate' wrote to its output folder (hasil-simulasi/).")
        raise InputError([Problem(Location(shown), message, field="schema", hint=hint)])
    try:
        return Projection.model_validate(data)
    except ValidationError as exc:
        problems = []
        for error in exc.errors(include_url=False):
            text, advice = describe(error, Projection, None, "json")
            where = ".".join(str(p) for p in error["loc"]) or None
            problems.append(Problem(Location(shown), text, field=where, hint=advice))
        raise InputError(problems) from None


def load_moves(path: str | Path) -> tuple[PlannedMove, ...]:
    """The moves of a plan file (``moves:``) or a scenario (``proposal: moves:``); raises :class:`InputError`."""
    file = Path(path)
    marked, problems = load_yaml(file, display_path(file))
    if marked is None or problems:
        raise InputError(problems)
    data = marked.data
    prefix: tuple[Any, ...] = ("moves",)
    if isinstance(data, dict) and "moves" not in data and isinstance(data.get("proposal"), dict):
        data, prefix = data["proposal"], ("proposal", "moves")
    moves = data.get("moves") if isinstance(data, dict) else None
    if not isinstance(moves, list) or not moves:
        message = _("expected a plan (moves:) or a scenario (proposal: moves:) with at least one move")
        raise InputError([Problem(marked.location(()), message)])
    return _moves_of(marked, moves, prefix)


def _moves_of(marked: MarkedYaml, moves: list[Any], prefix: tuple[Any, ...]) -> tuple[PlannedMove, ...]:
    problems, found = [], []
    for i, move in enumerate(moves):
        nip = move.get("nip") if isinstance(move, dict) else None
        to = move.get("to") if isinstance(move, dict) else None
        if not isinstance(nip, str) or not isinstance(to, str):
            message = _("a move needs a quoted nip and a to (position id)")
            problems.append(Problem(marked.location((*prefix, i)), message))
            continue
        found.append(PlannedMove(nip.strip(), to.strip(), marked.location((*prefix, i))))
    if problems:
        raise InputError(problems)
    return tuple(found)
