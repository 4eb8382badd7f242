"""Load a dataset folder into a validated :class:`~decision_support.models.Dataset`.

A dataset is a folder with ``dataset.yaml`` (the manifest) and one file per
table (``units``, ``positions``, ``employees``...), each as YAML, CSV or XLSX;
``services.yaml`` is YAML only because it nests. The format is documented in
``docs/dataset-format.md``.

Loading never stops at the first problem: every file is read, every row is
validated, every reference is checked (:mod:`.references`), and all problems
are raised together in one :class:`~decision_support.errors.InputError`.
"""

from __future__ import annotations

import dataclasses
import difflib
import errno
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from ..errors import InputError, Location, Problem, did_you_mean, display_path, os_reason
from ..i18n import N_, _
from ..models import (
    AbkTask,
    CurriculumEntry,
    Dataset,
    Employee,
    EmployeeCompetency,
    EmployeeRecord,
    Manifest,
    Position,
    Preference,
    RequiredCompetency,
    Sanction,
    School,
    Service,
    SkpRecord,
    StatedView,
    Training,
    Unit,
)
from ..models.base import Model
from .compact import Compactor
from .local_governments import check_local_governments
from .references import EMPLOYEE_HISTORIES, LoadedRows, ReadResult, ReferenceChecker
from .tables import TABLE_SUFFIXES, Row, Table, read_table
from .validation import ambiguous_numbers, spreadsheet_hint, validate_row
from .yaml_source import MarkedYaml, load_yaml

MANIFEST = "dataset.yaml"
SERVICES = "services"


class ProgressSink(Protocol):
    """Where the loader says what it is doing (the CLI's progress line); see cli_progress.Progress."""

    def phase(self, label: str) -> None: ...

    def update(self, done: int, total: int | None = None) -> None: ...


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
    TableSpec("participation", StatedView, "nip", N_("NIP {id}")),
    TableSpec("workload", AbkTask, "position", N_("position {id}")),
    TableSpec("schools", School, "unit", N_("unit {id}")),
    TableSpec("curriculum", CurriculumEntry, "subject", N_("subject {id}")),
)
SPECS = {spec.name: spec for spec in TABLES}
SERVICE_SPEC = TableSpec(SERVICES, Service, "id", N_("service {id}"))
#: A validated employee row is kept as the Employee it becomes: the histories are attached once all is read.
STORED_AS: dict[str, type[Model]] = {"employees": Employee}


def raw_text(row: Row, column: str) -> str | None:
    """A cell as the user wrote it: the YAML source text, and whole numbers without '.0'."""
    if row.table.yaml is not None:
        node = row.table.yaml.scalar((row.index, column))
        if node is not None:
            return node.value
    value = row.values.get(column)
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return str(int(value))  # exact; beyond 2**53 the spreadsheet already lost digits, so show it as it is
    return str(value)


def entity_label(spec: TableSpec, row: Row) -> str | None:
    key = raw_text(row, spec.key)
    return _(spec.entity).format(id=key) if key is not None else None


class DatasetLoader:
    """Reads one dataset folder; :meth:`load` returns the dataset or raises with every problem."""

    def __init__(self, folder: Path, progress: ProgressSink | None = None) -> None:
        self.folder = folder
        self.progress = progress
        self.problems: list[Problem] = []
        self.files: dict[str, Path] = {}
        self.manifest: Manifest | None = None
        self.manifest_yaml: MarkedYaml | None = None
        self.read = ReadResult()
        #: Tables whose file is a folder, a broken link or a link loop (reported once, at discovery).
        self.broken: set[str] = set()
        #: Shares equal values and field-name sets among validated items (see compact.py).
        self.compactor = Compactor()
        #: Facts worth knowing that are not errors (an optional table with no rows).
        self.notices: list[Problem] = []

    def shown(self, name: str) -> str:
        return display_path(self.folder / name)

    def load(self) -> Dataset:
        if not self.folder.is_dir():
            raise InputError([Problem(Location(display_path(self.folder)), _not_a_folder(self.folder))])
        self._discover()
        self._read_manifest()
        for spec in (*TABLES, SERVICE_SPEC):
            self._read_table(spec)
        settings = self.manifest.settings if self.manifest else None
        as_of = self.manifest.as_of if self.manifest else None
        if self.progress is not None:
            self.progress.phase(_("Checking references between tables"))
        self.problems += ReferenceChecker(self.read, settings, as_of).check()
        if self.manifest is not None and self.manifest_yaml is not None:
            self.problems += check_local_governments(self.manifest, self.manifest_yaml, self.read)
        if self.problems:
            raise InputError(self.problems)
        return self._assemble()

    # -- files -------------------------------------------------------------------
    def _discover(self) -> None:
        by_table: dict[str, list[Path]] = defaultdict(list)
        known = [*SPECS, SERVICES, "dataset"]
        try:
            entries = sorted(self.folder.iterdir())
        except OSError as exc:
            message = _("cannot read the dataset folder: {reason}").format(reason=os_reason(exc))
            # Nothing else can be said: every table would be reported missing as a consequence.
            raise InputError([Problem(Location(display_path(self.folder)), message)]) from None
        for path in entries:
            if path.name.startswith(("~$", ".")):
                continue
            if not path.is_file():
                self._not_a_file(path, known)
                continue
            if path.suffix.lower() in (".xls", ".ods"):
                message = _("this spreadsheet format is not read; save it as .xlsx or as 'CSV UTF-8'")
                self.problems.append(Problem(Location(self.shown(path.name)), message))
                continue
            if path.suffix.lower() not in TABLE_SUFFIXES:
                continue
            if path.stem in known:
                by_table[path.stem].append(path)
                continue
            hint = did_you_mean(path.stem, known) or _("Known tables: {names}.").format(names=", ".join(known))
            message = _("this file is not part of the dataset format, so its data would be ignored")
            self.problems.append(Problem(Location(self.shown(path.name)), message, hint=hint))
        for stem, paths in by_table.items():
            if stem in ("dataset", SERVICES):
                paths = self._yaml_only(stem, paths)
            if len(paths) > 1:
                message = _("table '{table}' is given by more than one file ({names}); keep one").format(
                    table=stem, names=", ".join(p.name for p in paths)
                )
                self.problems.append(Problem(Location(self.shown(paths[1].name)), message))
                # Which file is right is unknown: references into this table are not judged this run.
                self.read.unavailable.add(stem)
            if paths:
                self.files[stem] = paths[0]

    def _not_a_file(self, path: Path, known: list[str]) -> None:
        """A table's name that is a folder, a broken or looping link: its data cannot be read."""
        if path.suffix.lower() not in TABLE_SUFFIXES or path.stem not in known:
            return  # not a table's name: nothing is lost by passing it over
        if path.is_dir():
            message = _("this is a folder, but table '{table}' must be a file").format(table=path.stem)
        else:
            try:
                path.stat()
                message = _("this is not a regular file, so table '{table}' cannot be read").format(table=path.stem)
            except OSError as exc:
                message = _("cannot read the file: {reason}").format(reason=os_reason(exc))
        self.problems.append(Problem(Location(self.shown(path.name)), message))
        self.read.unavailable.add(path.stem)
        # Reported here; "required table is missing" would send the user looking for the wrong thing.
        self.broken.add(path.stem)

    def _yaml_only(self, stem: str, paths: list[Path]) -> list[Path]:
        """Report every non-YAML file of a YAML-only table and keep the YAML ones."""
        kept = []
        for path in paths:
            if path.suffix.lower() in (".yaml", ".yml"):
                kept.append(path)
            else:
                message = _("{name} must be a YAML file ({name}.yaml)").format(name=stem)
                self.problems.append(Problem(Location(self.shown(path.name)), message))
        return kept

    def _read_manifest(self) -> None:
        path = self.files.get("dataset")
        if path is None and "dataset" in self.broken:
            return
        if path is None:
            hint = _("Start from docs/dataset-format.md or the Sawahlunto example.")
            message = _("the dataset manifest dataset.yaml is missing")
            self.problems.append(Problem(Location(self.shown(MANIFEST)), message, hint=hint))
            return
        marked, problems = load_yaml(path, self.shown(path.name))
        self.problems += problems
        if marked is None or problems:
            return
        if marked.data is None:
            message = _("the file is empty (or holds only comments); expected the manifest fields")
            hint = _("A manifest needs at least schema_version, name and as_of (see docs/dataset-format.md).")
            self.problems.append(Problem(Location(marked.path, 1), message, hint=hint))
            return
        if not isinstance(marked.data, dict):
            self.problems.append(Problem(marked.location(()), _("expected named fields (key: value)")))
            return
        self.manifest_yaml = marked
        self.manifest, problems = validate_row(
            Manifest,
            marked.data,
            lambda loc, key: marked.location(loc, key=key),
            fmt="yaml",
            entity=None,
            marked=marked,
        )
        self.problems += problems

    # -- tables ------------------------------------------------------------------
    def _read_table(self, spec: TableSpec) -> None:
        path = self.files.get(spec.name)
        if path is None:
            self.read.unavailable.add(spec.name)
            if spec.required and spec.name not in self.broken:
                message = _("required table '{table}' is missing (as {table}.csv, {table}.yaml or {table}.xlsx)")
                self.problems.append(Problem(Location(self.shown(spec.name + ".csv")), message.format(table=spec.name)))
            return
        if self.progress is not None:
            self.progress.phase(_("Reading {file}").format(file=self.shown(path.name)))
        table, problems = read_table(path, self.shown(path.name))
        self.problems += problems
        if table is None:
            self.read.unavailable.add(spec.name)
            return
        if not table.rows and not problems and not table.rejected_rows:
            self._empty(spec, table)
            return
        skip = self._check_header(spec, table)
        if self.progress is not None:
            self.progress.phase(_("Checking {file}").format(file=self.shown(path.name)))
        # A CSV or XLSX file is read while its rows are validated (Table.iter_rows): no raw cells pile up.
        found: list[Problem] = []
        loaded = LoadedRows(spec.entity, spec.key)
        for row in table.iter_rows():
            self._read_row(spec, table, row, skip, found, loaded)
            if self.progress is not None and row.index % 1000 == 0:
                self._progress(table, row)
        self.problems += table.late_problems
        self.read.invalid_keys[spec.name].update(table.rejected_rows)
        if table.failed:
            # The file broke off (bytes that are not UTF-8): as for a file that cannot be read at all, only
            # that is reported, and references into the table are not judged.
            self.read.unavailable.add(spec.name)
            return
        self.problems += found
        if spec is SERVICE_SPEC:
            self.read.services = loaded
        else:
            self.read.rows[spec.name] = loaded
        if spec.key in skip or table.truncated:
            # No key column, or rows lost to a broken quote: references into this table can't be judged.
            self.read.unavailable.add(spec.name)

    def _progress(self, table: Table, row: Row) -> None:
        """Rows done of all rows; for a streamed CSV or XLSX file, whose rows are not counted ahead, its lines."""
        assert self.progress is not None
        if table.kind != "yaml":
            self.progress.update(row.line, table.lines)
        else:
            self.progress.update(row.index, len(table.rows))

    def _empty(self, spec: TableSpec, table: Table) -> None:
        """A table file without rows: an error for a required table, a notice for an optional one.

        An empty file is most often an export that failed; silently reading it as "no services" would
        hide that, so even where no rows is allowed the user is told.
        """
        if table.kind == "yaml":
            written = table.yaml is not None and table.yaml.data is not None
            what = _("the file holds an empty list") if written else _("the file is empty (or holds only comments)")
        elif table.header is None:
            what = _("the file is empty")
        else:
            what = _("the file has a header row but no data rows")
        location = Location(table.shown_as, 1)
        if spec.required:
            message = _("{what}; table '{table}' is required and needs at least one row").format(
                what=what, table=spec.name
            )
            hint = _("Check that the export from SIMPEG or the spreadsheet completed.")
            self.problems.append(Problem(location, message, hint=hint))
            self.read.unavailable.add(spec.name)
            return
        message = _("{what}; the dataset has no rows of the optional table '{table}'").format(
            what=what, table=spec.name
        )
        self.notices.append(Problem(location, message, hint=_("Delete the file if that is intended.")))

    def _read_row(
        self, spec: TableSpec, table: Table, row: Row, skip: set[str], found: list[Problem], loaded: LoadedRows
    ) -> None:
        if table.kind != "yaml":
            ambiguous = ambiguous_numbers(spec.model, row.values)
            for name, message, hint in ambiguous:
                entity = entity_label(spec, row)
                found.append(Problem(row.location(name), message, entity=entity, field=name, hint=hint))
            if ambiguous:
                if (key := raw_text(row, spec.key)) is not None:
                    self.read.invalid_keys[spec.name].add(key)
                return
        item, problems = validate_row(
            spec.model,
            {k: v for k, v in row.values.items() if k not in skip} if skip else dict(row.values),
            lambda loc, key: _locate_row(row, loc, key),
            fmt=table.kind,
            entity=None,
            marked=table.yaml,
            prefix=(row.index,),
        )
        if problems:
            # The entity is named only when there is something to say about the row (rare, and costly at scale).
            entity = entity_label(spec, row)
            problems = [dataclasses.replace(p, entity=p.entity or entity) for p in problems]
        if table.kind == "csv":
            problems = [_with_spreadsheet_hint(spec, row, p) for p in problems]
        found += [p for p in problems if p.field not in skip]
        if item is not None:
            item = self.compactor.compact(spec.name, item, STORED_AS.get(spec.name, spec.model))
            loaded.append(item, row, raw_text(row, spec.key))
        elif any(p.field == spec.key for p in problems):
            # The key itself is malformed (a 17-digit NIP, a number from a spreadsheet): no reference can
            # be matched against what was meant, so references into this table are not judged this run.
            self.read.unavailable.add(spec.name)
        elif (key := raw_text(row, spec.key)) is not None:
            self.read.invalid_keys[spec.name].add(key)

    def _check_header(self, spec: TableSpec, table: Table) -> set[str]:
        """Report unknown and missing columns once, at the header; return the columns to ignore in rows."""
        if table.header is None:
            return set()
        fields = list(spec.model.model_fields)
        skip = set()
        for column in table.header:
            if column and column not in fields:
                # The values were meant for the intended column: don't also report that one as missing.
                skip.update({column, *difflib.get_close_matches(column, fields, n=1, cutoff=0.6)})
                message = _("unknown column '{name}'").format(name=column)
                hint = did_you_mean(column, fields)
                self.problems.append(Problem(table.header_location(column), message, hint=hint))
        for name, info in spec.model.model_fields.items():
            if info.is_required() and name not in table.header and name not in skip:
                skip.add(name)
                message = _("required column '{name}' is missing from the header").format(name=name)
                self.problems.append(Problem(Location(table.shown_as, table.header_line), message))
        return skip

    # -- assembly ----------------------------------------------------------------
    def _assemble(self) -> Dataset:
        assert self.manifest is not None
        rows = self.read.rows
        histories: dict[str, dict[str, list[Any]]] = {}
        for table in EMPLOYEE_HISTORIES:
            grouped: dict[str, list[Any]] = defaultdict(list)
            for item in rows[table].items:
                grouped[item.nip].append(item)
            histories[table] = grouped
        for employee in rows["employees"].items:
            nip = employee.nip
            self.compactor.attach(
                employee,
                competencies=tuple(histories["employee_competencies"].get(nip, ())),
                trainings=tuple(histories["trainings"].get(nip, ())),
                skp=tuple(sorted(histories["skp"].get(nip, ()), key=lambda s: s.year)),
                sanctions=tuple(histories["sanctions"].get(nip, ())),
                preferences=tuple(histories["preferences"].get(nip, ())),
                participation=tuple(histories["participation"].get(nip, ())),
            )

        def items(name: str) -> tuple[Any, ...]:
            return tuple(rows[name].items)

        return Dataset.model_construct(
            manifest=self.manifest,
            units=items("units"),
            positions=items("positions"),
            position_competencies=items("position_competencies"),
            employees=items("employees"),
            workload=items("workload"),
            schools=items("schools"),
            curriculum=items("curriculum"),
            services=tuple(self.read.services.items),
        )


def _with_spreadsheet_hint(spec: TableSpec, row: Row, problem: Problem) -> Problem:
    if problem.hint is not None or problem.field is None:
        return problem
    hint = spreadsheet_hint(spec.model, problem.field, row.values.get(problem.field))
    return dataclasses.replace(problem, hint=hint) if hint else problem


def _not_a_folder(path: Path) -> str:
    try:
        path.stat()
    except OSError as exc:
        if exc.errno == errno.ENOENT:
            return _("dataset folder not found")
        return _("cannot read the dataset folder: {reason}").format(reason=os_reason(exc))
    return _("this is a file, not a dataset folder")


def _locate_row(row: Row, loc: tuple[Any, ...], key: bool) -> Location:
    if row.table.yaml is not None:
        return row.table.yaml.location((row.index, *loc), key=key)
    return row.location(str(loc[0]) if loc else None)


def load_dataset(folder: str | Path) -> Dataset:
    """Load and validate the dataset in ``folder``.

    Raises :class:`~decision_support.errors.InputError` listing every problem found.
    """
    return DatasetLoader(Path(folder)).load()


def load_dataset_with_notices(
    folder: str | Path, progress: ProgressSink | None = None
) -> tuple[Dataset, list[Problem]]:
    """:func:`load_dataset`, and the notices a user should see although the dataset is valid."""
    loader = DatasetLoader(Path(folder), progress)
    return loader.load(), sorted(loader.notices, key=Problem.sort_key)
