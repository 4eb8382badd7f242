"""Import a survey form export (Google Forms, Microsoft Forms; CSV or XLSX) into ``participation.csv`` rows.

One survey response is one row: the respondent's NIP, up to five wished units in order, the reason and its
explanation, a hope, whether they object to being moved at all, a unit they object to and why. The column
headers are matched through :data:`HEADERS` (Indonesian and English form titles, case and punctuation
ignored); a participation.csv or preferences.csv file is read as it is (the migration path). Every problem is
reported with file, row, column, NIP, what was expected and a "did you mean"; nothing is returned then.
The mapping is documented in docs/participation.md.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from ..errors import InputError, Location, Problem, did_you_mean, display_path
from ..i18n import _
from ..models import Dataset, StatedView, ViewKind
from ..models.participation import kind_code
from ..sources.references import KIND_NAMES, nip_suggestion
from ..sources.tables import Row, Table, read_whole_table
from ..sources.validation import validate_row

#: Survey fields: wish_1..wish_5, the wish reason and note, hope, objection (yes/no), objection unit/reason/note.
MAX_WISHES = 5

#: Form header (normalised: lower case, words joined by one space, punctuation dropped) -> survey field.
HEADERS: dict[str, str] = {
    # when the response was given
    "timestamp": "stated_on", "stempel waktu": "stated_on", "cap waktu": "stated_on", "tanggal": "stated_on",
    "completion time": "stated_on", "waktu penyelesaian": "stated_on", "tanggal pengisian": "stated_on",
    "stated on": "stated_on", "stated_on": "stated_on",
    # who
    "nip": "nip", "nip pegawai": "nip", "nomor induk pegawai": "nip", "nip asn": "nip",
    # the wishes' reason and its explanation
    "alasan": "reason", "alasan mutasi": "reason", "alasan pilihan": "reason", "alasan utama": "reason",
    "alasan pindah": "reason", "reason": "reason",
    "keterangan": "note", "keterangan alasan": "note", "penjelasan alasan": "note", "penjelasan": "note",
    "note": "note",
    # hope
    "harapan": "hope", "harapan terhadap mutasi": "hope", "harapan anda": "hope", "hope": "hope",
    # objection to any move
    "keberatan dimutasi": "objects", "keberatan terhadap mutasi": "objects", "apakah anda keberatan dimutasi": "objects",
    "keberatan untuk dimutasi": "objects", "objects to any move": "objects",
    # objection to a unit
    "unit yang tidak diinginkan": "objection_unit", "keberatan ditempatkan di unit": "objection_unit",
    "unit keberatan": "objection_unit", "objection unit": "objection_unit",
    "alasan keberatan": "objection_reason", "objection reason": "objection_reason",
    "keterangan keberatan": "objection_note", "penjelasan keberatan": "objection_note",
    "objection note": "objection_note",
}  # fmt: skip
for _n in range(1, MAX_WISHES + 1):
    for _title in ("unit tujuan pilihan {n}", "pilihan unit {n}", "unit pilihan {n}", "pilihan {n}", "wish {n}",
                   "wished unit {n}", "unit tujuan {n}"):  # fmt: skip
        HEADERS[_title.format(n=_n)] = f"wish_{_n}"
    for _title in ("jabatan pilihan {n}", "jabatan tujuan pilihan {n}", "wished position {n}"):
        HEADERS[_title.format(n=_n)] = f"position_{_n}"

#: Columns a form export carries that are not about the views (read, then left aside).
IGNORED = {
    "nama", "nama lengkap", "name", "email", "alamat email", "email address", "id", "start time", "waktu mulai",
    "last modified time", "waktu modifikasi terakhir", "unit kerja", "unit kerja saat ini", "jabatan",
    "jabatan saat ini", "opd", "no hp", "nomor hp", "nomor telepon",
}  # fmt: skip

#: The canonical participation.csv columns, in the order written.
COLUMNS = ("nip", "kind", "unit", "position", "rank", "reason", "note", "stated_on")
#: The older preferences.csv columns (read for the migration).
PREFERENCE_COLUMNS = {"nip", "kind", "unit", "rank", "reason"}

#: The reason answers a survey form offers (Indonesian), as docs/participation.md shows them.
REASON_CHOICES = "Keluarga, Tempat kerja suami/istri, Kesehatan, Pengembangan kompetensi, Lainnya"

_YES = {"ya", "y", "yes", "benar", "true", "1", "keberatan", "ya keberatan"}
_NO = {"tidak", "no", "n", "false", "0", "tidak keberatan", "bersedia"}


def normalise_header(text: str) -> str:
    """A header as :data:`HEADERS` keys it: lower case, ``_``/``-``/``:``/``?`` and runs of spaces as one space."""
    text = re.sub(r"[\s_\-:?.()\[\]]+", " ", text.strip().lower())
    return text.strip()


@dataclass(frozen=True)
class SurveyImport:
    """The views read from a survey export, in file order, and how many responses they came from."""

    views: tuple[StatedView, ...]
    responses: int
    source: str


def import_survey(path: str | Path, dataset: Dataset) -> SurveyImport:
    """Read the survey export at ``path`` and check it against ``dataset``; raise :class:`InputError` if bad."""
    path = Path(path)
    shown = display_path(path)
    if path.suffix.lower() not in (".csv", ".xlsx"):
        hint = _("Export the form responses as CSV (UTF-8) or as an Excel workbook (.xlsx).")
        raise InputError([Problem(Location(shown), _("expected a .csv or .xlsx file"), hint=hint)])
    if not path.is_file():
        raise InputError([Problem(Location(shown), _("file not found"))])
    table, problems = read_whole_table(path, shown)
    if table is None or problems:
        raise InputError(problems)
    if table.header is None or not table.rows:
        raise InputError([Problem(Location(shown, 1), _("the file has no responses (a header row and data rows)"))])
    reader = _Reader(table, dataset)
    views = reader.read()
    if reader.problems:
        # A response's reason or date is shared by its views: report each cell once.
        unique = {(p.location.render(), p.message): p for p in reader.problems}
        raise InputError(sorted(unique.values(), key=Problem.sort_key))
    return SurveyImport(tuple(views), len(table.rows), shown)


class _Reader:
    """Maps the columns once, then turns each response into views, collecting every problem."""

    def __init__(self, table: Table, dataset: Dataset) -> None:
        self.table = table
        self.dataset = dataset
        self.problems: list[Problem] = []
        self.employees = {e.nip: e for e in dataset.employees}
        self.units = {u.id for u in dataset.units}
        # A form may list units by their full name: accept it, exactly (case aside).
        self.unit_names = {u.name.strip().lower(): u.id for u in dataset.units}
        self.positions = {p.id: p.unit for p in dataset.positions}
        self.columns: dict[str, str] = {}  # field -> header as written
        self.canonical = False

    def read(self) -> list[StatedView]:
        self._map_header()
        if self.problems:
            return []
        views: list[StatedView] = []
        first_row: dict[str, int] = {}
        for row in self.table.rows:
            nip = self._text(row, "nip")
            if nip is not None and not self.canonical:
                if nip in first_row:
                    message = _("NIP {nip} answered the survey twice (first in row {first})").format(
                        nip=nip, first=first_row[nip]
                    )
                    hint = _("Delete the response that no longer holds, then import again.")
                    self._problem(row, "nip", message, nip, hint)
                    continue
                first_row[nip] = row.line
            views += self._canonical(row) if self.canonical else self._response(row)
        self._check_stated_twice(views)
        return views

    # -- header ------------------------------------------------------------------
    def _map_header(self) -> None:
        header = [h for h in self.table.header or () if h]
        names = {h.strip().lower() for h in header}
        if names <= set(COLUMNS) and {"nip", "kind"} <= names:
            self.canonical = True
            self.columns = {h.strip().lower(): h for h in header}
            return
        known = sorted({*HEADERS, *IGNORED})
        for column in header:
            key = normalise_header(column)
            field = HEADERS.get(key)
            if field is None and key not in IGNORED:
                message = _("column '{name}' is not a known survey question").format(name=column)
                hint = did_you_mean(key, known) or _("See the column mapping in docs/participation.md.")
                self.problems.append(Problem(self.table.header_location(column), message, hint=hint))
            elif field is not None and field in self.columns:
                message = _("column '{name}' asks the same as column '{other}'").format(
                    name=column, other=self.columns[field]
                )
                self.problems.append(Problem(self.table.header_location(column), message))
            elif field is not None:
                self.columns[field] = column
        if "nip" not in self.columns:
            message = _("no NIP column: the survey must ask for the respondent's NIP")
            self.problems.append(Problem(Location(self.table.shown_as, self.table.header_line), message))

    # -- rows ----------------------------------------------------------------------
    def _text(self, row: Row, field: str) -> str | None:
        column = self.columns.get(field)
        value = row.values.get(column) if column else None
        if value is None:
            return None
        if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
            value = int(value)
        if isinstance(value, datetime):
            return value.date().isoformat()
        text = str(value).strip()
        return text or None

    def _problem(self, row: Row, field: str, message: str, nip: str | None, hint: str | None = None) -> None:
        column = self.columns.get(field)
        entity = _("NIP {id}").format(id=nip) if nip else None
        self.problems.append(Problem(row.location(column), message, entity=entity, field=column, hint=hint))

    def _response(self, row: Row) -> list[StatedView]:
        nip = self._text(row, "nip")
        if nip is None:
            self._problem(row, "nip", _("the NIP is missing"), None, _("Fill in the respondent's NIP."))
            return []
        stated_on = self._date(row, nip)
        drafts: list[tuple[dict[str, Any], dict[str, str]]] = []
        rank = 0
        for n in range(1, MAX_WISHES + 1):
            unit = self._unit(row, f"wish_{n}", nip)
            position = self._text(row, f"position_{n}")
            if unit is None and position is None:
                continue
            rank += 1
            values = {"kind": "wish", "unit": unit, "position": position, "rank": rank,
                      "reason": self._text(row, "reason"), "note": self._text(row, "note")}  # fmt: skip
            drafts.append((values, {"unit": f"wish_{n}", "position": f"position_{n}"}))
        hope = self._text(row, "hope")
        if hope is not None:
            drafts.append(({"kind": "hope", "note": hope}, {"note": "hope"}))
        objection = {"reason": self._text(row, "objection_reason"), "note": self._text(row, "objection_note")}
        fields = {"reason": "objection_reason", "note": "objection_note"}
        if self._objects(row, nip):
            drafts.append(({"kind": "objection", **objection}, fields))
        unit = self._unit(row, "objection_unit", nip)
        if unit is not None:
            drafts.append(({"kind": "objection", "unit": unit, **objection}, {**fields, "unit": "objection_unit"}))
        views = []
        for values, origin in drafts:
            view = self._validate(row, nip, {"nip": nip, "stated_on": stated_on, **values}, origin)
            if view is not None:
                views.append(view)
        self._known_nip(row, nip)
        return views

    def _canonical(self, row: Row) -> list[StatedView]:
        """A participation.csv (or preferences.csv) row, read as it is; an ``avoid`` becomes an objection."""
        values = {f: self._text(row, f) for f in COLUMNS if f in self.columns}
        nip = values.get("nip")
        if values.get("kind") is not None and kind_code(values["kind"] or "") == "objection":
            values["kind"] = "objection"
        if "position" not in self.columns and "stated_on" not in self.columns and values.get("reason"):
            # preferences.csv: its reason is free text, kept as the note.
            values["note"], values["reason"] = values["reason"], None
        if values.get("unit") is not None:
            values["unit"] = self._unit(row, "unit", nip)
        view = self._validate(row, nip, {k: v for k, v in values.items() if v is not None}, {f: f for f in COLUMNS})
        if nip is not None:
            self._known_nip(row, nip)
        return [view] if view is not None else []

    def _validate(self, row: Row, nip: str | None, values: dict[str, Any], origin: dict[str, str]) -> StatedView | None:
        values = {k: v for k, v in values.items() if v is not None}

        def locate(loc: tuple[Any, ...], key: bool) -> Location:
            field = origin.get(str(loc[0]), str(loc[0])) if loc else None
            return row.location(self.columns.get(field or "", None))

        view, problems = validate_row(StatedView, values, locate, fmt="csv", entity=None)
        entity = _("NIP {id}").format(id=nip) if nip else None
        for problem in problems:
            column = problem.location.column_name or problem.field
            hint = problem.hint
            if problem.field == "reason" and not self.canonical:
                hint = _("The survey's answers: {choices}.").format(choices=REASON_CHOICES)
            self.problems.append(Problem(problem.location, problem.message, entity=entity, field=column, hint=hint))
        if view is not None and view.position is not None and view.position in self.positions:
            if view.unit is not None and self.positions[view.position] != view.unit:
                message = _("position {position} belongs to unit '{expected}', not to '{unit}'").format(
                    position=view.position, expected=self.positions[view.position], unit=view.unit
                )
                self._problem(row, origin.get("position", "position"), message, nip)
                return None
        elif view is not None and view.position is not None:
            message = _("position '{value}' is not defined").format(value=view.position)
            hint = did_you_mean(view.position, list(self.positions))
            self._problem(row, origin.get("position", "position"), message, nip, hint)
            return None
        return view

    def _unit(self, row: Row, field: str, nip: str | None) -> str | None:
        text = self._text(row, field)
        if text is None or text in self.units:
            return text
        by_name = self.unit_names.get(text.lower())
        if by_name is not None:
            return by_name
        message = _("unit '{value}' is not defined").format(value=text)
        hint = did_you_mean(text, sorted(self.units)) or did_you_mean(text.lower(), sorted(self.unit_names))
        self._problem(row, field, message, nip, hint or _("Write a unit id of the dataset (units.yaml)."))
        return None

    def _objects(self, row: Row, nip: str) -> bool:
        text = self._text(row, "objects")
        if text is None:
            return False
        lowered = normalise_header(text)
        if lowered in _YES:
            return True
        if lowered not in _NO:
            message = _("'{value}' is not an answer to this question; expected Ya or Tidak").format(value=text)
            self._problem(row, "objects", message, nip)
        return False

    def _date(self, row: Row, nip: str) -> str | None:
        text = self._text(row, "stated_on")
        if text is None:
            return None
        # Form exports write a timestamp: "2026/10/05 9:14:03 AM GMT+7", "05/10/2026 09:14:03", "2026-10-05 09:14".
        head = text.split()[0]
        if match := re.fullmatch(r"(\d{4})/(\d{1,2})/(\d{1,2})", head):
            head = "-".join(match.groups())
        return head  # the model checks it is a date, at this column

    def _known_nip(self, row: Row, nip: str) -> None:
        if nip in self.employees or not re.fullmatch(r"\d{18}", nip):
            return  # a malformed NIP was reported by the model
        hint = nip_suggestion(nip, self.employees) or _("Check the NIP with the respondent.")
        self._problem(row, "nip", _("NIP {nip} is not in the dataset").format(nip=nip), nip, hint)

    def _check_stated_twice(self, views: list[StatedView]) -> None:
        """Each wish or objection once per NIP, also against what the dataset's preferences.csv states."""
        seen: set[tuple[str, str, str | None, str | None]] = set()
        for view in views:
            key = (view.nip, view.kind.value, view.unit, view.position)
            if view.kind is not ViewKind.HOPE and key in seen:
                message = _("NIP {nip} states this {kind} for unit '{unit}' twice").format(
                    nip=view.nip, kind=_(KIND_NAMES[view.kind.value]), unit=view.unit or "-"
                )
                self.problems.append(Problem(Location(self.table.shown_as), message))
            seen.add(key)
        # Wish ranks and units would clash with the older file's on loading: one source per NIP.
        for nip in sorted({v.nip for v in views if v.kind is not ViewKind.HOPE}):
            employee = self.employees.get(nip)
            if employee is not None and employee.preferences:
                message = _("NIP {nip} also has rows in preferences.csv of the dataset").format(nip=nip)
                hint = _("Remove the NIP's rows from preferences.csv: participation.csv supersedes them.")
                self.problems.append(Problem(Location(self.table.shown_as), message, hint=hint))


def write_participation(views: tuple[StatedView, ...]) -> str:
    """participation.csv text: the canonical columns, one view per row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for v in views:
        writer.writerow(
            [
                v.nip,
                v.kind.value,
                v.unit or "",
                v.position or "",
                v.rank or "",
                v.reason.value if v.reason else "",
                v.note or "",
                v.stated_on.isoformat() if v.stated_on else "",
            ]
        )
    return buffer.getvalue()
