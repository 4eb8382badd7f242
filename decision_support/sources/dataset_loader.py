"""Load a dataset folder into a validated :class:`~decision_support.models.Dataset`.

A dataset is a folder with ``dataset.yaml`` (the manifest) and one file per
table (``units``, ``positions``, ``employees``...), each as YAML, CSV or XLSX;
``services.yaml`` is YAML only because it nests. The format is documented in
``docs/dataset-format.md``.

Loading never stops at the first problem: every file is read, every row is
validated, every reference is checked, and all problems are raised together in
one :class:`~decision_support.errors.InputError`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InputError, Location, Problem, did_you_mean, display_path
from ..i18n import N_, _
from ..models import (
    AbkTask,
    CurriculumEntry,
    Dataset,
    Employee,
    EmployeeCompetency,
    EmployeeRecord,
    EmploymentStatus,
    Manifest,
    Position,
    Preference,
    PreferenceKind,
    RequiredCompetency,
    Sanction,
    School,
    Service,
    SkpRecord,
    Training,
    Unit,
    UnitKind,
    parse_nip,
)
from ..models.base import Model
from .tables import TABLE_SUFFIXES, Row, Table, read_table
from .validation import validate_row
from .yaml_source import load_yaml

MANIFEST = "dataset.yaml"
SERVICES = "services"


@dataclass(frozen=True)
class TableSpec:
    """A table of the dataset format: its file stem, row model and the field naming the entity."""

    name: str
    model: type[Model]
    key: str
    entity: str
    required: bool = False


TABLES = (
    TableSpec("units", Unit, "id", N_("unit {id}"), required=True),
    TableSpec("positions", Position, "id", N_("position {id}"), required=True),
    TableSpec("position_competencies", RequiredCompetency, "position", N_("position {id}")),
    TableSpec("employees", EmployeeRecord, "nip", N_("NIP {id}"), required=True),
    TableSpec("employee_competencies", EmployeeCompetency, "nip", N_("NIP {id}")),
    TableSpec("trainings", Training, "nip", N_("NIP {id}")),
    TableSpec("skp", SkpRecord, "nip", N_("NIP {id}")),
    TableSpec("sanctions", Sanction, "nip", N_("NIP {id}")),
    TableSpec("preferences", Preference, "nip", N_("NIP {id}")),
    TableSpec("workload", AbkTask, "position", N_("position {id}")),
    TableSpec("schools", School, "unit", N_("unit {id}")),
    TableSpec("curriculum", CurriculumEntry, "subject", N_("subject {id}")),
)
SPECS = {spec.name: spec for spec in TABLES}


@dataclass
class Loaded:
    """A validated row together with the row it came from (for locating later errors)."""

    item: Any
    row: Row
    entity: str | None = None


def entity_label(spec: TableSpec, values: dict[str, Any]) -> str | None:
    key = values.get(spec.key)
    return _(spec.entity).format(id=key) if key is not None else None


class DatasetLoader:
    """Reads one dataset folder; :meth:`load` returns the dataset or raises with every problem."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.problems: list[Problem] = []
        self.rows: dict[str, list[Loaded]] = {}
        self.files: dict[str, Path] = {}
        self.manifest: Manifest | None = None
        self.services: list[Loaded] = []

    def shown(self, name: str) -> str:
        return display_path(self.folder / name)

    # -- reading -----------------------------------------------------------------
    def load(self) -> Dataset:
        if not self.folder.is_dir():
            message = (
                _("this is a file, not a dataset folder") if self.folder.exists() else _("dataset folder not found")
            )
            raise InputError([Problem(Location(display_path(self.folder)), message)])
        self._discover()
        self._read_manifest()
        for spec in TABLES:
            self._read_spec(spec)
        self._read_services()
        if self.manifest is not None:
            self._check_references()
        if self.problems:
            raise InputError(self.problems)
        return self._assemble()

    def _discover(self) -> None:
        by_table: dict[str, list[Path]] = defaultdict(list)
        known = [*SPECS, SERVICES, "dataset"]
        for path in sorted(self.folder.iterdir()):
            if not path.is_file() or path.suffix.lower() not in TABLE_SUFFIXES or path.name.startswith("~$"):
                continue
            stem = path.stem
            if stem in known:
                by_table[stem].append(path)
            else:
                self.problems.append(
                    Problem(
                        Location(self.shown(path.name)),
                        _("this file is not part of the dataset format, so its data would be ignored"),
                        hint=did_you_mean(stem, known) or _("Known tables: {names}.").format(names=", ".join(known)),
                    )
                )
        for stem, paths in by_table.items():
            if len(paths) > 1:
                names = ", ".join(p.name for p in paths)
                self.problems.append(
                    Problem(
                        Location(self.shown(paths[1].name)),
                        _("table '{table}' is given by more than one file ({names}); keep one").format(
                            table=stem, names=names
                        ),
                    )
                )
            self.files[stem] = paths[0]
        if SERVICES in self.files and self.files[SERVICES].suffix.lower() not in (".yaml", ".yml"):
            self.problems.append(
                Problem(
                    Location(self.shown(self.files[SERVICES].name)), _("services must be a YAML file (services.yaml)")
                )
            )
            del self.files[SERVICES]

    def _read_manifest(self) -> None:
        path = self.files.get("dataset")
        if path is None or path.suffix.lower() not in (".yaml", ".yml"):
            self.problems.append(
                Problem(
                    Location(self.shown(MANIFEST)),
                    _("the dataset manifest dataset.yaml is missing"),
                    hint=_("Start from docs/dataset-format.md or the Sawahlunto example."),
                )
            )
            return
        marked, problems = load_yaml(path, self.shown(path.name))
        self.problems += problems
        if marked is None or problems:
            return
        if not isinstance(marked.data, dict):
            self.problems.append(Problem(marked.location(()), _("expected named fields (key: value)")))
            return
        self.manifest, problems = validate_row(
            Manifest,
            marked.data,
            lambda loc, key: marked.location(loc, key=key),
            fmt="yaml",
            entity=None,
            marked=marked,
        )
        self.problems += problems

    def _read_spec(self, spec: TableSpec) -> None:
        path = self.files.get(spec.name)
        self.rows[spec.name] = []
        if path is None:
            if spec.required:
                self.problems.append(
                    Problem(
                        Location(self.shown(spec.name + ".csv")),
                        _("required table '{table}' is missing (as {table}.csv, {table}.yaml or {table}.xlsx)").format(
                            table=spec.name
                        ),
                    )
                )
            return
        table, problems = read_table(path, self.shown(path.name))
        self.problems += problems
        if table is None:
            return
        skip_columns = self._check_header(spec, table)
        for row in table.rows:
            values = {k: v for k, v in row.values.items() if k not in skip_columns}
            item, problems = validate_row(
                spec.model,
                values,
                lambda loc, key, row=row: _locate_row(row, loc, key),
                fmt=table.kind,
                entity=entity_label(spec, row.values),
                marked=table.yaml,
                prefix=(row.index,),
            )
            problems = [p for p in problems if p.field not in skip_columns]
            self.problems += problems
            if item is not None:
                self.rows[spec.name].append(Loaded(item, row, entity_label(spec, row.values)))

    def _check_header(self, spec: TableSpec, table: Table) -> set[str]:
        """Report unknown and missing columns once, at the header; return the columns to ignore per row."""
        if table.header is None:
            return set()
        fields = spec.model.model_fields
        skip = set()
        for column in table.header:
            if column and column not in fields:
                skip.add(column)
                self.problems.append(
                    Problem(
                        table.header_location(column),
                        _("unknown column '{name}'").format(name=column),
                        hint=did_you_mean(column, list(fields)),
                    )
                )
        for name, info in fields.items():
            if info.is_required() and name not in table.header:
                skip.add(name)
                self.problems.append(
                    Problem(
                        Location(table.shown_as, table.header_line),
                        _("required column '{name}' is missing from the header").format(name=name),
                    )
                )
        return skip

    def _read_services(self) -> None:
        path = self.files.get(SERVICES)
        if path is None:
            return
        table, problems = read_table(path, self.shown(path.name))
        self.problems += problems
        if table is None:
            return
        for row in table.rows:
            item, problems = validate_row(
                Service,
                row.values,
                lambda loc, key, row=row: _locate_row(row, loc, key),
                fmt="yaml",
                entity=_("service {id}").format(id=row.values.get("id")) if "id" in row.values else None,
                marked=table.yaml,
                prefix=(row.index,),
            )
            self.problems += problems
            if item is not None:
                self.services.append(Loaded(item, row, _("service {id}").format(id=item.id)))

    # -- cross-references --------------------------------------------------------
    def _problem(
        self, loaded: Loaded, column: str | None, message: str, *, entity: str | None = None, hint: str | None = None
    ) -> None:
        self.problems.append(
            Problem(loaded.row.location(column), message, entity=entity or loaded.entity, field=column, hint=hint)
        )

    def _unique(self, table: str, key: tuple[str, ...], message: str) -> dict[tuple[Any, ...], Loaded]:
        seen: dict[tuple[Any, ...], Loaded] = {}
        for loaded in self.rows[table]:
            value = tuple(getattr(loaded.item, k) for k in key)
            if value in seen:
                first = seen[value].row.location(key[0])
                self._problem(
                    loaded, key[-1], message.format(value=" / ".join(_plain(v) for v in value), first=first.render())
                )
            else:
                seen[value] = loaded
        return seen

    def _reference(self, loaded: Loaded, column: str, value: Any, known: dict[str, Any] | set[str], what: str) -> bool:
        if value is None or value in known:
            return True
        self._problem(
            loaded,
            column,
            _("{what} '{value}' is not defined").format(what=_(what), value=value),
            hint=did_you_mean(value, list(known)),
        )
        return False

    def _check_references(self) -> None:
        assert self.manifest is not None
        settings = self.manifest.settings
        units = {
            k[0]: v.item
            for k, v in self._unique("units", ("id",), _("unit id '{value}' is used twice (first at {first})")).items()
        }
        positions = {
            k[0]: v.item
            for k, v in self._unique(
                "positions", ("id",), _("position id '{value}' is used twice (first at {first})")
            ).items()
        }
        employees = {
            k[0]: v.item
            for k, v in self._unique("employees", ("nip",), _("NIP {value} appears twice (first at {first})")).items()
        }
        self._check_units(units, settings.sectors, settings.kecamatan)
        for loaded in self.rows["positions"]:
            self._reference(loaded, "unit", loaded.item.unit, units, N_("unit"))
        self._check_employees(units, positions, settings.kecamatan)
        for table in ("employee_competencies", "trainings", "skp", "sanctions", "preferences"):
            for loaded in self.rows[table]:
                self._reference(loaded, "nip", loaded.item.nip, employees, N_("NIP"))
        self._unique(
            "employee_competencies",
            ("nip", "dimension", "code"),
            _("competency {value} is listed twice (first at {first})"),
        )
        self._unique("skp", ("nip", "year"), _("SKP for {value} is listed twice (first at {first})"))
        self._unique("preferences", ("nip", "unit"), _("preference for {value} is listed twice (first at {first})"))
        self._check_wish_ranks()
        for loaded in self.rows["preferences"]:
            self._reference(loaded, "unit", loaded.item.unit, units, N_("unit"))
        self._unique(
            "position_competencies",
            ("position", "dimension", "code"),
            _("requirement {value} is listed twice (first at {first})"),
        )
        for loaded in self.rows["position_competencies"]:
            self._reference(loaded, "position", loaded.item.position, positions, N_("position"))
        self._unique("workload", ("position", "task"), _("ABK task {value} is listed twice (first at {first})"))
        for loaded in self.rows["workload"]:
            self._reference(loaded, "position", loaded.item.position, positions, N_("position"))
        self._check_schools(units, positions)
        self._check_services(units, positions)

    def _check_units(self, units: dict[str, Unit], sectors: tuple[str, ...], kecamatan: tuple[str, ...]) -> None:
        for loaded in self.rows["units"]:
            unit = loaded.item
            self._reference(loaded, "parent", unit.parent, units, N_("parent unit"))
            if unit.sector not in sectors:
                self._problem(
                    loaded,
                    "sector",
                    _("sector '{value}' is not in settings.sectors of dataset.yaml").format(value=unit.sector),
                    hint=did_you_mean(unit.sector, list(sectors)),
                )
            if kecamatan and unit.kecamatan is not None and unit.kecamatan not in kecamatan:
                self._problem(
                    loaded,
                    "kecamatan",
                    _("kecamatan '{value}' is not in settings.kecamatan of dataset.yaml").format(value=unit.kecamatan),
                    hint=did_you_mean(unit.kecamatan, list(kecamatan)),
                )
            if _has_cycle(unit.id, units):
                self._problem(
                    loaded, "parent", _("the parent chain of unit {id} loops back to itself").format(id=unit.id)
                )

    def _check_employees(
        self, units: dict[str, Unit], positions: dict[str, Position], kecamatan: tuple[str, ...]
    ) -> None:
        assert self.manifest is not None
        as_of = self.manifest.as_of
        for loaded in self.rows["employees"]:
            emp: EmployeeRecord = loaded.item
            if self._reference(loaded, "position", emp.position, positions, N_("position")) and emp.unit is not None:
                expected = positions[emp.position].unit
                if emp.unit != expected:
                    self._problem(
                        loaded,
                        "unit",
                        _(
                            "unit '{unit}' does not match position {position}, which belongs to unit '{expected}'"
                        ).format(unit=emp.unit, position=emp.position, expected=expected),
                    )
            if emp.tmt_position > as_of:
                self._problem(
                    loaded,
                    "tmt_position",
                    _("TMT {tmt} is after the dataset date as_of {as_of}").format(
                        tmt=emp.tmt_position.isoformat(), as_of=as_of.isoformat()
                    ),
                )
            parts = parse_nip(emp.nip)
            if parts.pppk and emp.status is not EmploymentStatus.PPPK:
                self._problem(
                    loaded,
                    "status",
                    _("the NIP is an NI PPPK (digits 13-14 are 21) but status is {status}").format(
                        status=emp.status.value
                    ),
                )
            elif parts.tmt_cpns_month and (emp.tmt_position.year, emp.tmt_position.month) < (
                parts.tmt_cpns_year,
                parts.tmt_cpns_month,
            ):
                self._problem(
                    loaded,
                    "tmt_position",
                    _("TMT {tmt} is before the TMT CPNS {year}-{month:02d} encoded in the NIP").format(
                        tmt=emp.tmt_position.isoformat(), year=parts.tmt_cpns_year, month=parts.tmt_cpns_month
                    ),
                )
            if kecamatan and emp.spouse_kecamatan is not None and emp.spouse_kecamatan not in kecamatan:
                self._problem(
                    loaded,
                    "spouse_kecamatan",
                    _("kecamatan '{value}' is not in settings.kecamatan of dataset.yaml").format(
                        value=emp.spouse_kecamatan
                    ),
                    hint=did_you_mean(emp.spouse_kecamatan, list(kecamatan)),
                )

    def _check_wish_ranks(self) -> None:
        seen: dict[tuple[str, int], Loaded] = {}
        for loaded in self.rows["preferences"]:
            pref: Preference = loaded.item
            if pref.kind is not PreferenceKind.WISH or pref.rank is None:
                continue
            key = (pref.nip, pref.rank)
            if key in seen:
                self._problem(
                    loaded,
                    "rank",
                    _("wish rank {rank} is used twice for this NIP (first at {first})").format(
                        rank=pref.rank, first=seen[key].row.location("rank").render()
                    ),
                )
            else:
                seen[key] = loaded

    def _check_schools(self, units: dict[str, Unit], positions: dict[str, Position]) -> None:
        schools = {
            k[0]: v.item
            for k, v in self._unique(
                "schools", ("unit",), _("school {value} is listed twice (first at {first})")
            ).items()
        }
        subjects = {
            k: v.item
            for k, v in self._unique(
                "curriculum", ("level", "subject"), _("curriculum entry {value} is listed twice (first at {first})")
            ).items()
        }
        for loaded in self.rows["schools"]:
            school: School = loaded.item
            if (
                self._reference(loaded, "unit", school.unit, units, N_("unit"))
                and units[school.unit].kind is not UnitKind.SCHOOL
            ):
                self._problem(
                    loaded,
                    "unit",
                    _("unit {id} is of kind '{kind}', not 'school'").format(
                        id=school.unit, kind=units[school.unit].kind.value
                    ),
                )
        for loaded in self.rows["positions"]:
            position: Position = loaded.item
            if position.subject is None or position.unit not in units:
                continue
            school = schools.get(position.unit)
            if school is None:
                self._problem(
                    loaded,
                    "subject",
                    _("teacher position at unit {unit}, but the schools table has no row for that unit").format(
                        unit=position.unit
                    ),
                )
                continue
            known = [s for (level, s) in subjects if level == school.level]
            if (school.level, position.subject) not in subjects:
                self._problem(
                    loaded,
                    "subject",
                    _("subject '{subject}' has no curriculum entry for level {level}").format(
                        subject=position.subject, level=school.level.value
                    ),
                    hint=did_you_mean(position.subject, known),
                )

    def _check_services(self, units: dict[str, Unit], positions: dict[str, Position]) -> None:
        seen: dict[str, Loaded] = {}
        for loaded in self.services:
            service: Service = loaded.item
            entity = _("service {id}").format(id=service.id)
            if service.id in seen:
                self._problem(
                    loaded,
                    "id",
                    _("service id '{value}' is used twice (first at {first})").format(
                        value=service.id, first=seen[service.id].row.location("id").render()
                    ),
                    entity=entity,
                )
            seen.setdefault(service.id, loaded)
            if service.unit not in units:
                self._problem(
                    loaded,
                    "unit",
                    _("{what} '{value}' is not defined").format(what=_("unit"), value=service.unit),
                    entity=entity,
                    hint=did_you_mean(service.unit, list(units)),
                )
            for i, position in enumerate(service.servers.positions):
                if position not in positions:
                    row = loaded.row
                    self.problems.append(
                        Problem(
                            row.table.yaml.location((row.index, "servers", "positions", i))
                            if row.table.yaml
                            else row.location(),
                            _("{what} '{value}' is not defined").format(what=_("position"), value=position),
                            entity=entity,
                            field=f"servers.positions.{i}",
                            hint=did_you_mean(position, list(positions)),
                        )
                    )

    # -- assembly ----------------------------------------------------------------
    def _assemble(self) -> Dataset:
        assert self.manifest is not None
        children: dict[str, dict[str, list[Any]]] = {}
        for table in ("employee_competencies", "trainings", "skp", "sanctions", "preferences"):
            grouped: dict[str, list[Any]] = defaultdict(list)
            for loaded in self.rows[table]:
                grouped[loaded.item.nip].append(loaded.item)
            children[table] = grouped
        employees = []
        for loaded in self.rows["employees"]:
            record: EmployeeRecord = loaded.item
            nip = record.nip
            employees.append(
                Employee.model_construct(
                    **dict(record),
                    competencies=tuple(children["employee_competencies"].get(nip, ())),
                    trainings=tuple(children["trainings"].get(nip, ())),
                    skp=tuple(sorted(children["skp"].get(nip, ()), key=lambda s: s.year)),
                    sanctions=tuple(children["sanctions"].get(nip, ())),
                    preferences=tuple(children["preferences"].get(nip, ())),
                )
            )

        def items(name: str) -> tuple[Any, ...]:
            return tuple(loaded.item for loaded in self.rows[name])

        # Everything was validated row by row above; model_construct skips a second pass.
        return Dataset.model_construct(
            manifest=self.manifest,
            units=items("units"),
            positions=items("positions"),
            position_competencies=items("position_competencies"),
            employees=tuple(employees),
            workload=items("workload"),
            schools=items("schools"),
            curriculum=items("curriculum"),
            services=tuple(loaded.item for loaded in self.services),
        )


def _locate_row(row: Row, loc: tuple[Any, ...], key: bool) -> Location:
    if row.table.yaml is not None:
        return row.table.yaml.location((row.index, *loc), key=key)
    return row.location(str(loc[0]) if loc else None)


def _plain(value: Any) -> str:
    return str(getattr(value, "value", value))


def _has_cycle(start: str, units: dict[str, Unit]) -> bool:
    seen = {start}
    current = units[start].parent if start in units else None
    while current is not None and current in units:
        if current in seen:
            return current == start
        seen.add(current)
        current = units[current].parent
    return False


def load_dataset(folder: str | Path) -> Dataset:
    """Load and validate the dataset in ``folder``.

    Raises :class:`~decision_support.errors.InputError` listing every problem found.
    """
    return DatasetLoader(Path(folder)).load()
