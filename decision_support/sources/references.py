"""Cross-reference checks over validated rows: ids unique, references resolved, facts consistent.

Runs after every row was validated on its own. A reference to a row that exists
but failed validation, or into a table that could not be read, is not reported
again: the user sees the cause once, not a cascade of "not defined" errors.
"""

from __future__ import annotations

import bisect
import itertools
import operator
from array import array
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..errors import Problem, did_you_mean
from ..i18n import N_, _
from ..models import (
    EmployeeRecord,
    EmploymentStatus,
    Position,
    PreferenceKind,
    School,
    Service,
    Settings,
    StatedView,
    Unit,
    UnitKind,
    ViewKind,
    parse_nip,
)
from .tables import VALIDATED, Row, Table

#: What a reference into each table is called in messages.
REFERENCE_NAMES = {"units": N_("unit"), "positions": N_("position"), "employees": N_("NIP")}
#: What a view kind is called in messages.
KIND_NAMES = {"wish": N_("wish"), "objection": N_("objection"), "hope": N_("hope")}
#: Tables that hang off an employee by NIP.
EMPLOYEE_HISTORIES = ("employee_competencies", "trainings", "skp", "sanctions", "preferences", "participation")


class LoadedRows:
    """The validated rows of one table, stored compactly: per row the item and the line it starts on.

    A table of 400,000 rows keeps no per-row location objects: a :class:`Loaded` view, with a :class:`Row`
    to locate problems, is made when a check walks the rows and is dropped after. The key as the user wrote
    it (for "NIP 1982..." in messages) is the item's own key field, except for the few rows where the two
    differ, which are noted apart.
    """

    __slots__ = ("entity", "field", "items", "lines", "source", "table", "written")

    def __init__(self, entity: str | None = None, field: str | None = None) -> None:
        #: Message id of the entity label, e.g. "NIP {id}", and the field holding the entity's key.
        self.entity = entity
        self.field = field
        self.table: Table | None = None
        self.items: list[Any] = []
        self.lines = array("q")
        #: Keys as written where they differ from the item's key field (by position).
        self.written: dict[int, str | None] = {}
        #: The rows themselves where locating needs more than a line (YAML: the path in the document).
        self.source: list[Row] | None = None

    def append(self, item: Any, row: Row, key: str | None) -> None:
        if self.table is None:
            self.table = row.table
        assert row.table is self.table, "one table's rows come from one file"
        if self.field is None or key != getattr(item, self.field, None):
            self.written[len(self.items)] = key
        self.items.append(item)
        self.lines.append(row.line)
        if row.table.yaml is not None:
            if self.source is None:
                self.source = []
            self.source.append(row)

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self) -> Iterator[Loaded]:
        for position in range(len(self.items)):
            yield Loaded(self, position)

    def key(self, position: int) -> str | None:
        """The entity's key as the user wrote it."""
        if position in self.written or self.field is None:
            return self.written.get(position)
        return getattr(self.items[position], self.field)

    def row(self, position: int) -> Row:
        if self.source is not None:
            return self.source[position]
        assert self.table is not None
        # A CSV or XLSX row is located by its line alone (its index in the file locates nothing).
        return Row(self.table, -1, VALIDATED, self.lines[position])


class Loaded:
    """A validated row together with where it came from (for locating later errors).

    The entity ("NIP 1982...") is formatted only when a problem needs it: one string per row of a large
    table would cost memory and time for nothing in a valid dataset.
    """

    __slots__ = ("item", "position", "rows")

    def __init__(self, rows: LoadedRows, position: int) -> None:
        self.rows = rows
        self.position = position
        self.item: Any = rows.items[position]

    @property
    def row(self) -> Row:
        return self.rows.row(self.position)

    @property
    def entity(self) -> str | None:
        label, key = self.rows.entity, self.rows.key(self.position)
        return _(label).format(id=key) if label is not None and key is not None else None


@dataclass
class ReadResult:
    """Everything read from a dataset folder, before cross-checking."""

    rows: dict[str, LoadedRows] = field(default_factory=lambda: defaultdict(LoadedRows))
    services: LoadedRows = field(default_factory=LoadedRows)
    #: Keys of rows that exist but failed validation.
    invalid_keys: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    #: Tables that could not be read (missing, unreadable, key column missing).
    unavailable: set[str] = field(default_factory=set)


def nip_suggestion(value: str, known: Iterable[str]) -> str | None:
    """Suggest a NIP only for a one-digit slip or two swapped neighbours; anything looser risks the wrong person."""
    for nip in known:
        if len(nip) != len(value):
            continue
        diffs = [i for i, (a, b) in enumerate(zip(nip, value, strict=True)) if a != b]
        swapped = (
            len(diffs) == 2
            and diffs[1] == diffs[0] + 1
            and (nip[diffs[0]], nip[diffs[1]]) == (value[diffs[1]], value[diffs[0]])
        )
        if len(diffs) == 1 or swapped:
            return _("Did you mean '{choice}'?").format(choice=nip)
    return None


class SortedKeys:
    """The keys of a large table for membership tests: a sorted list searched by bisection, one pointer per row,
    where a dictionary would hold a hash table of about 50 bytes per key (the peak of loading a province's
    400,000 employees). Iterates over the keys in row order, as the dictionary of first rows would."""

    __slots__ = ("_rows", "_sorted")

    def __init__(self, ordered: list[str], rows: LoadedRows) -> None:
        self._sorted = ordered
        self._rows = rows

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, str):
            return False
        at = bisect.bisect_left(self._sorted, key)
        return at < len(self._sorted) and self._sorted[at] == key

    def __iter__(self) -> Iterator[str]:
        assert self._rows.field is not None
        return (getattr(item, self._rows.field) for item in self._rows.items)


class ReferenceChecker:
    """Checks one :class:`ReadResult`; ``settings`` and ``as_of`` are None when dataset.yaml is invalid."""

    def __init__(self, read: ReadResult, settings: Settings | None, as_of: date | None) -> None:
        self.read = read
        self.rows = read.rows
        self.settings = settings
        self.as_of = as_of
        self.problems: list[Problem] = []

    def check(self) -> list[Problem]:
        units = self._index("units", "id", _("unit id '{value}' is used twice (first at {first})"))
        positions = self._index("positions", "id", _("position id '{value}' is used twice (first at {first})"))
        employees = self._nips(_("NIP {value} appears twice (first at {first})"))
        self._check_units(units)
        for loaded in self.rows["positions"]:
            self._reference(loaded, "unit", loaded.item.unit, units, "units")
        self._check_employees(units, positions)
        for table in EMPLOYEE_HISTORIES:
            for loaded in self.rows[table]:
                self._reference(loaded, "nip", loaded.item.nip, employees, "employees")
        self._check_duplicates()
        self._check_wish_ranks()
        for loaded in self.rows["preferences"]:
            self._reference(loaded, "unit", loaded.item.unit, units, "units")
        self._check_participation(units, positions)
        for table in ("position_competencies", "workload"):
            for loaded in self.rows[table]:
                self._reference(loaded, "position", loaded.item.position, positions, "positions")
        self._check_schools(units)
        self._check_services(units, positions)
        return self.problems

    # -- helpers -----------------------------------------------------------------
    def _problem(
        self, loaded: Loaded, column: str | None, message: str, *, entity: str | None = None, hint: str | None = None
    ) -> None:
        self.problems.append(
            Problem(loaded.row.location(column), message, entity=entity or loaded.entity, field=column, hint=hint)
        )

    def _unique(self, table: str, key: tuple[str, ...], message: str) -> dict[Any, Any]:
        """The items of ``table`` by ``key`` (the value of one field, or a tuple of several); repeats reported.

        Only the items are kept, no per-row objects: the first row of a repeat is found again when one occurs.
        """
        rows = self.rows[table]
        value_of = operator.attrgetter(*key)
        seen: dict[Any, Any] = {}
        positions: dict[int, int] | None = None
        for position, item in enumerate(rows.items):
            value = value_of(item)
            first = seen.setdefault(value, item)
            if first is item:
                continue
            if positions is None:  # the first repeat: index the rows by item, once
                positions = {id(x): i for i, x in enumerate(rows.items)}
            where = rows.row(positions[id(first)]).location(key[0]).render()
            shown = " / ".join(str(getattr(v, "value", v)) for v in (value if len(key) > 1 else (value,)))
            self._problem(Loaded(rows, position), key[-1], message.format(value=shown, first=where))
        return seen

    def _index(self, table: str, key: str, message: str) -> dict[str, Any]:
        return self._unique(table, (key,), message)

    def _nips(self, message: str) -> SortedKeys:
        """The employees' NIPs, repeats reported as by :meth:`_unique`, held as a :class:`SortedKeys`."""
        rows = self.rows["employees"]
        nips = sorted(item.nip for item in rows.items)
        if any(a == b for a, b in itertools.pairwise(nips)):  # rare: report the repeats as for any table
            self._unique("employees", ("nip",), message)
        return SortedKeys(nips, rows)

    def _reference(
        self, loaded: Loaded, column: str, value: Any, known: dict[str, Any] | SortedKeys, table: str
    ) -> bool:
        """True if ``value`` names a valid row of ``table``; else report it, unless the cause was reported already."""
        if value is None or value in known:
            return True
        if table in self.read.unavailable or value in self.read.invalid_keys[table]:
            return False
        what = _("parent unit") if column == "parent" else _(REFERENCE_NAMES[table])
        hint = nip_suggestion(value, known) if table == "employees" else did_you_mean(value, list(known))
        self._problem(loaded, column, _("{what} '{value}' is not defined").format(what=what, value=value), hint=hint)
        return False

    def _not_in_settings(
        self, loaded: Loaded, column: str, value: str | None, allowed: tuple[str, ...], key: str
    ) -> None:
        if value is None or not allowed or value in allowed:
            return
        message = (
            _("kecamatan '{value}' is not in settings.kecamatan of dataset.yaml")
            if key == "kecamatan"
            else _("sector '{value}' is not in settings.sectors of dataset.yaml")
        )
        self._problem(loaded, column, message.format(value=value), hint=did_you_mean(value, list(allowed)))

    # -- checks ------------------------------------------------------------------
    def _check_units(self, units: dict[str, Unit]) -> None:
        for loaded in self.rows["units"]:
            unit: Unit = loaded.item
            self._reference(loaded, "parent", unit.parent, units, "units")
            if self.settings is not None:
                self._not_in_settings(loaded, "sector", unit.sector, self.settings.sectors, "sector")
                self._not_in_settings(loaded, "kecamatan", unit.kecamatan, self.settings.kecamatan, "kecamatan")
            if _has_cycle(unit.id, units):
                message = _("the parent chain of unit {id} loops back to itself").format(id=unit.id)
                self._problem(loaded, "parent", message)

    def _check_employees(self, units: dict[str, Unit], positions: dict[str, Position]) -> None:
        for loaded in self.rows["employees"]:
            emp: EmployeeRecord = loaded.item
            known_position = self._reference(loaded, "position", emp.position, positions, "positions")
            if known_position and emp.unit is not None:
                expected = positions[emp.position].unit
                # A position whose own unit is undefined was reported there; comparing would mislead.
                if emp.unit != expected and expected in units:
                    message = _(
                        "unit '{unit}' does not match position {position}, which belongs to unit '{expected}'"
                    ).format(unit=emp.unit, position=emp.position, expected=expected)
                    self._problem(loaded, "unit", message)
            self._check_tmt(loaded, emp)
            if self.settings is not None:
                kecamatan = self.settings.kecamatan
                self._not_in_settings(loaded, "spouse_kecamatan", emp.spouse_kecamatan, kecamatan, "kecamatan")

    def _check_tmt(self, loaded: Loaded, emp: EmployeeRecord) -> None:
        if self.as_of is not None and emp.tmt_position > self.as_of:
            message = _("TMT {tmt} is after the dataset date as_of {as_of}").format(
                tmt=emp.tmt_position.isoformat(), as_of=self.as_of.isoformat()
            )
            self._problem(loaded, "tmt_position", message)
        parts = parse_nip(emp.nip)
        if parts.pppk and emp.status is not EmploymentStatus.PPPK:
            message = _("the NIP is an NI PPPK (digits 13-14 are 21) but status is {status}")
            self._problem(loaded, "status", message.format(status=emp.status.value))
        elif parts.tmt_cpns_month and (emp.tmt_position.year, emp.tmt_position.month) < (
            parts.tmt_cpns_year,
            parts.tmt_cpns_month,
        ):
            message = _("TMT {tmt} is before the TMT CPNS {year}-{month:02d} encoded in the NIP").format(
                tmt=emp.tmt_position.isoformat(), year=parts.tmt_cpns_year, month=parts.tmt_cpns_month
            )
            self._problem(loaded, "tmt_position", message)

    def _check_duplicates(self) -> None:
        self._unique(
            "employee_competencies",
            ("nip", "dimension", "code"),
            _("competency {value} is listed twice (first at {first})"),
        )
        self._unique("skp", ("nip", "year"), _("SKP for {value} is listed twice (first at {first})"))
        self._unique("preferences", ("nip", "unit"), _("preference for {value} is listed twice (first at {first})"))
        self._unique(
            "position_competencies",
            ("position", "dimension", "code"),
            _("requirement {value} is listed twice (first at {first})"),
        )
        self._unique("workload", ("position", "task"), _("ABK task {value} is listed twice (first at {first})"))

    def _check_wish_ranks(self) -> None:
        """A wish rank is used once per NIP, across preferences.csv and participation.csv."""
        seen: dict[tuple[str, int], Loaded] = {}
        for loaded in (*self.rows["preferences"], *self.rows["participation"]):
            pref = loaded.item
            if pref.kind.value != "wish" or pref.rank is None:
                continue
            key = (pref.nip, pref.rank)
            if key in seen:
                message = _("wish rank {rank} is used twice for this NIP (first at {first})").format(
                    rank=pref.rank, first=seen[key].row.location("rank").render()
                )
                self._problem(loaded, "rank", message)
            else:
                seen[key] = loaded

    def _check_participation(self, units: dict[str, Unit], positions: dict[str, Position]) -> None:
        """References of participation rows, and one view per (NIP, kind, unit, position) across both files."""
        stated: dict[tuple[Any, ...], Loaded] = {}
        for loaded in self.rows["preferences"]:
            kind = "wish" if loaded.item.kind is PreferenceKind.WISH else "objection"
            stated.setdefault((loaded.item.nip, kind, loaded.item.unit, None), loaded)
        for loaded in self.rows["participation"]:
            view: StatedView = loaded.item
            self._reference(loaded, "unit", view.unit, units, "units")
            if self._reference(loaded, "position", view.position, positions, "positions") and view.position:
                expected = positions[view.position].unit
                if view.unit is not None and expected != view.unit and expected in units:
                    message = _("position {position} belongs to unit '{expected}', not to '{unit}'").format(
                        position=view.position, expected=expected, unit=view.unit
                    )
                    self._problem(loaded, "position", message)
            if view.kind is ViewKind.HOPE:
                continue
            key = (view.nip, view.kind.value, view.unit, view.position)
            if key in stated:
                first = stated[key].row.location("unit").render()
                message = _("this {kind} for unit '{unit}' is stated twice (first at {first})").format(
                    kind=_(KIND_NAMES[view.kind.value]), unit=view.unit or _("any move"), first=first
                )
                self._problem(loaded, "unit", message)
            else:
                stated[key] = loaded

    def _check_schools(self, units: dict[str, Unit]) -> None:
        schools: dict[str, School] = self._index(
            "schools", "unit", _("school {value} is listed twice (first at {first})")
        )
        subjects = self._unique(
            "curriculum", ("level", "subject"), _("curriculum entry {value} is listed twice (first at {first})")
        )
        for loaded in self.rows["schools"]:
            school: School = loaded.item
            if (
                self._reference(loaded, "unit", school.unit, units, "units")
                and units[school.unit].kind is not UnitKind.SCHOOL
            ):
                message = _("unit {id} is of kind '{kind}', not 'school'").format(
                    id=school.unit, kind=units[school.unit].kind.value
                )
                self._problem(loaded, "unit", message)
        if "schools" in self.read.unavailable or "curriculum" in self.read.unavailable:
            return
        for loaded in self.rows["positions"]:
            self._check_teacher_position(loaded, units, schools, subjects)

    def _check_teacher_position(
        self,
        loaded: Loaded,
        units: dict[str, Unit],
        schools: dict[str, School],
        subjects: dict[Any, Any],
    ) -> None:
        position: Position = loaded.item
        if position.subject is None or position.unit not in units:
            return
        school = schools.get(position.unit)
        if school is None:
            if position.unit not in self.read.invalid_keys["schools"]:
                message = _("teacher position at unit {unit}, but the schools table has no row for that unit")
                self._problem(loaded, "subject", message.format(unit=position.unit))
            return
        if (school.level, position.subject) not in subjects:
            known = [subject for (level, subject) in subjects if level == school.level]
            message = _("subject '{subject}' has no curriculum entry for level {level}").format(
                subject=position.subject, level=school.level.value
            )
            self._problem(loaded, "subject", message, hint=did_you_mean(position.subject, known))

    def _check_services(self, units: dict[str, Unit], positions: dict[str, Position]) -> None:
        seen: dict[str, Loaded] = {}
        for loaded in self.read.services:
            service: Service = loaded.item
            if service.id in seen:
                message = _("service id '{value}' is used twice (first at {first})").format(
                    value=service.id, first=seen[service.id].row.location("id").render()
                )
                self._problem(loaded, "id", message)
            seen.setdefault(service.id, loaded)
            self._reference(loaded, "unit", service.unit, units, "units")
            for i, position in enumerate(service.servers.positions):
                self._server_reference(loaded, i, position, positions)

    def _server_reference(self, loaded: Loaded, index: int, position: str, positions: dict[str, Position]) -> None:
        if (
            position in positions
            or "positions" in self.read.unavailable
            or position in self.read.invalid_keys["positions"]
        ):
            return
        row = loaded.row
        assert row.table.yaml is not None  # services are YAML only
        path = (row.index, "servers", "positions", index)
        self.problems.append(
            Problem(
                row.table.yaml.location(path),
                _("{what} '{value}' is not defined").format(what=_("position"), value=position),
                entity=loaded.entity,
                field=f"servers.positions.{index}",
                hint=did_you_mean(position, list(positions)),
            )
        )


def _has_cycle(start: str, units: dict[str, Unit]) -> bool:
    seen = {start}
    current = units[start].parent if start in units else None
    while current is not None and current in units:
        if current in seen:
            return current == start
        seen.add(current)
        current = units[current].parent
    return False
