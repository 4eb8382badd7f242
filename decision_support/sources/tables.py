"""Flat tables from YAML, CSV or XLSX files, each row with the location of every cell.

A table is a list of rows with scalar cells. The same columns work in all three
formats, so a BKPSDM can keep its data as a SIMPEG CSV export, a spreadsheet or
hand-edited YAML. Empty cells count as missing.
"""

from __future__ import annotations

import csv
import itertools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, TextIO

from ..errors import Location, Problem, os_reason
from ..i18n import _
from .text import read_utf8
from .yaml_source import MarkedYaml, load_yaml

TABLE_SUFFIXES = (".yaml", ".yml", ".csv", ".xlsx")
#: The values of a row that has been validated (shared, read-only: the item holds the values).
VALIDATED: Mapping[str, Any] = MappingProxyType({})


@dataclass(slots=True)
class Row:
    """One row: its cell values by column name and where it came from.

    Cell locations are computed when asked for (from the header), not stored: a table of 400,000 rows
    would otherwise hold millions of location objects that only a problem ever needs.
    """

    table: Table
    index: int
    #: Cell values by column; :data:`VALIDATED` once a CSV/XLSX row's values live in its validated item.
    values: Mapping[str, Any]
    #: Line (YAML) or spreadsheet row number of the row.
    line: int

    def location(self, column: str | None = None, *, key: bool = False) -> Location:
        """Where ``column`` of this row is, or the row itself."""
        if self.table.yaml is not None:
            path: tuple[str | int, ...] = (self.index,) if column is None else (self.index, column)
            return self.table.yaml.location(path, key=key)
        header = self.table.header
        if column is not None and header and column in header:
            # Also for a short row, where the cell does not exist but its column does.
            return Location(self.table.shown_as, self.line, header.index(column) + 1, column_name=column)
        return Location(self.table.shown_as, self.line)


@dataclass
class Table:
    """Rows read from one file.

    A CSV or XLSX table is read as a stream: :attr:`rows` holds its first row only (so that an empty table is
    known at once) and :meth:`iter_rows` reads the rest while the loader validates them, so that the raw cells
    of a large file are never all in memory at once. Problems met while streaming (a broken quote, a row too
    wide) are in :attr:`late_problems` once the stream is read.
    """

    shown_as: str
    kind: str  # "yaml", "csv" or "xlsx"
    rows: list[Row] = field(default_factory=list)
    #: Column names in file order (CSV/XLSX); None for YAML, where each row has its own keys.
    header: list[str] | None = None
    header_line: int = 1
    yaml: MarkedYaml | None = None
    #: First cells of rows that could not be split into columns (their keys are known to exist).
    rejected_rows: list[str] = field(default_factory=list)
    #: True when reading stopped early (a broken quote): rows after it are unknown.
    truncated: bool = False
    #: Problems found while streaming rows (see :meth:`iter_rows`).
    late_problems: list[Problem] = field(default_factory=list)
    #: True when the file could not be read to its end (bytes that are not UTF-8): its rows don't count.
    failed: bool = False
    #: Rows counted so far (every row of the file, valid or not); the index of the next row.
    count: int = 0
    #: Lines of a streamed file (counted before its rows are read, for progress shown in lines).
    lines: int | None = None
    _stream: Iterator[Row] | None = field(default=None, repr=False)
    _columns: list[tuple[int, str]] | None = field(default=None, repr=False)

    def iter_rows(self) -> Iterator[Row]:
        """Every row, each once: those in :attr:`rows`, then the rest of a streamed file."""
        yield from self.rows
        stream, self._stream = self._stream, None
        if stream is not None:
            self.rows = []  # the first row is the loader's now: keep no raw cells alive
            yield from stream

    def columns(self) -> list[tuple[int, str]]:
        """(index, name) of each named column, first occurrence only (repeats were reported at the header)."""
        if self._columns is None:
            seen: set[str] = set()
            self._columns = []
            for i, name in enumerate(self.header or ()):
                if name and name not in seen:
                    seen.add(name)
                    self._columns.append((i, name))
        return self._columns

    def header_location(self, column: str) -> Location:
        if self.header is not None and column in self.header:
            return Location(self.shown_as, self.header_line, self.header.index(column) + 1, column_name=column)
        return Location(self.shown_as, self.header_line)


def read_table(path: Path, shown_as: str) -> tuple[Table | None, list[Problem]]:
    """Read a table file of any supported format."""
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        return _read_yaml(path, shown_as)
    if suffix == ".csv":
        return _read_csv(path, shown_as)
    return _read_xlsx(path, shown_as)


def read_whole_table(path: Path, shown_as: str) -> tuple[Table | None, list[Problem]]:
    """Read a small table file whole: every row in :attr:`Table.rows`, every problem (streaming ones too).

    For tables read outside the dataset loader (survey exports, monitoring observations), which walk
    :attr:`Table.rows` and are small enough to hold.
    """
    table, problems = read_table(path, shown_as)
    if table is None:
        return None, problems
    rows = list(table.iter_rows())
    problems = problems + table.late_problems
    if table.failed:
        return None, problems
    table.rows = rows
    return table, problems


def _read_yaml(path: Path, shown_as: str) -> tuple[Table | None, list[Problem]]:
    marked, problems = load_yaml(path, shown_as)
    if marked is None:
        return None, problems
    table = Table(shown_as, "yaml", yaml=marked)
    data = marked.data
    if data is None:
        data = []
    if not isinstance(data, list):
        problems.append(
            Problem(marked.location(()), _("expected a list of entries, one per row (each line starting with '- ')"))
        )
        return None, problems
    for i, item in enumerate(data):
        if not isinstance(item, dict):
            problems.append(Problem(marked.location((i,)), _("expected an entry with named fields (key: value)")))
            continue
        values = {k: v for k, v in item.items() if v is not None}
        line = marked.location((i,)).line or 1
        table.rows.append(Row(table, i, values, line))
    return table, problems


def _sniff_delimiter(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _read_csv(path: Path, shown_as: str) -> tuple[Table | None, list[Problem]]:
    """Open a CSV file and read its header and first row; the loader streams the rest (:meth:`Table.iter_rows`)."""
    table = Table(shown_as, "csv")
    problems: list[Problem] = []
    stream = _csv_rows(path, table, problems)
    first = next(stream, None)
    if table.failed:
        return None, problems
    if first is not None:
        table.rows.append(first)
        table._stream = stream
        table.lines = _count_lines(path)
    else:
        table.late_problems, problems = [], problems + table.late_problems
    return table, problems  # an empty file (no header either) is judged by the loader, which knows the table


def _count_lines(path: Path) -> int | None:
    """Lines of a file, counted in its bytes (about 50 ms for 50 MB); None if it cannot be read."""
    lines, last = 0, b"\n"
    try:
        with path.open("rb") as fh:
            while chunk := fh.read(1 << 20):
                lines += chunk.count(b"\n")
                last = chunk[-1:]
    except OSError:
        return None  # the stream itself reports why
    return lines + (last != b"\n")


def _csv_rows(path: Path, table: Table, problems: list[Problem]) -> Iterator[Row]:
    """The rows of a CSV file, read one by one: the file is never held whole in memory.

    A read error before the first row goes to ``problems``; after it, to ``table.late_problems``.
    """
    shown_as = table.shown_as
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            yield from _csv_stream(fh, path, table)
    except UnicodeDecodeError:
        # read_utf8 locates the first byte that is not UTF-8 (line and column) for the message.
        # As for a file that fails at once: the rows read so far and their problems don't count.
        table.failed = True
        (problems if not table.count else table.late_problems)[:] = read_utf8(path, shown_as)[1]
    except OSError as exc:
        table.failed = True
        message = _("cannot read the file: {reason}").format(reason=os_reason(exc))
        (problems if not table.count else table.late_problems)[:] = [Problem(Location(shown_as), message)]


def _csv_stream(fh: TextIO, path: Path, table: Table) -> Iterator[Row]:
    shown_as = table.shown_as
    problems = table.late_problems
    first = fh.readline()
    # Spreadsheets set to Indonesian regional settings export with ';'. strict: a stray or
    # unclosed quote is an error, not a silent merge of the rest of the file into one cell.
    reader = csv.reader(itertools.chain([first] if first else [], fh), delimiter=_sniff_delimiter(first), strict=True)
    last_line = 0
    while True:
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(_quote_problem(shown_as, path, last_line + 1, reader.dialect.delimiter, str(exc)))
            table.truncated = True
            break
        start_line, last_line = last_line + 1, reader.line_num
        if table.header is None:
            table.header = [h.strip() for h in record]
            table.header_line = start_line
            problems += _header_problems(table)
            continue
        if not any(cell.strip() for cell in record):
            continue
        if len(record) > len(table.header):
            problems.append(
                Problem(
                    Location(shown_as, start_line, len(table.header) + 1),
                    _("this row has {n} cells but the header has {m} columns").format(
                        n=len(record), m=len(table.header)
                    ),
                    entity=None,
                    hint=_("A value that contains the separator must be in double quotes."),
                )
            )
            table.rejected_rows.append(record[0].strip() if record else "")
            continue
        yield _row(table, record, start_line)


def _source_line(path: Path, line: int) -> str:
    """Line ``line`` (1-based) of a UTF-8 file, read again only for a message."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return next(itertools.islice(fh, line - 1, None), "").rstrip("\r\n")


def _quote_problem(shown_as: str, path: Path, line: int, delimiter: str, reason: str) -> Problem:
    """Locate the cell whose double quote broke the row starting on ``line``."""
    source = _source_line(path, line)
    column, in_quote, opened_at = 1, False, 1
    for char in source:
        if char == '"':
            in_quote = not in_quote
            opened_at = column if in_quote else opened_at
        elif char == delimiter and not in_quote:
            column += 1
    if "end of data" in reason:
        message = _('the double quote (") that opens this cell is never closed')
        column = opened_at
    else:
        message = _('a double quote (") stands inside a value that is not in quotes')
    return Problem(
        Location(shown_as, line, column),
        message,
        hint=_(
            'Put a whole value in double quotes and write a quote inside it as two quotes (""); '
            "rows from here on were not read."
        ),
    )


def _read_xlsx(path: Path, shown_as: str) -> tuple[Table | None, list[Problem]]:
    import openpyxl  # imported lazily: only spreadsheet users pay for it

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except OSError as exc:
        return None, [Problem(Location(shown_as), _("cannot read the file: {reason}").format(reason=os_reason(exc)))]
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        return None, [Problem(Location(shown_as), _("cannot read the spreadsheet: {reason}").format(reason=exc))]
    table = Table(shown_as, "xlsx")
    sheet = book.worksheets[0]
    stream = _xlsx_rows(book, sheet, table)
    first = next(stream, None)
    if first is None:
        return table, table.late_problems
    table.rows.append(first)
    table._stream = stream
    table.lines = sheet.max_row  # from the sheet's stated dimension; None when the file does not state it
    return table, []


def _xlsx_rows(book: Any, sheet: Any, table: Table) -> Iterator[Row]:
    """The rows of a worksheet, read one by one (openpyxl's read-only mode streams the file too)."""
    problems, shown_as = table.late_problems, table.shown_as
    try:
        for number, record in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = ["" if c is None else c for c in record]
            if table.header is None:
                if not any(str(c).strip() for c in cells):
                    continue
                table.header = [str(h).strip() for h in cells]
                while table.header and not table.header[-1]:
                    table.header.pop()
                table.header_line = number
                problems += _header_problems(table)
                continue
            if not any(str(c).strip() for c in cells):
                continue
            beyond = cells[len(table.header) :]
            if any(str(c).strip() for c in beyond):
                # The same rule as for CSV: a value beyond the last named column would be lost silently.
                column = len(table.header) + next(i for i, c in enumerate(beyond) if str(c).strip()) + 1
                message = _("this row has a value in column {column}, beyond the last named column").format(
                    column=column
                )
                problems.append(Problem(Location(shown_as, number, column), message))
                table.rejected_rows.append(str(cells[0]).strip())
                continue
            yield _row(table, cells[: len(table.header)], number)
    finally:
        book.close()


def _header_problems(table: Table) -> list[Problem]:
    assert table.header is not None
    problems = []
    seen: set[str] = set()
    for i, name in enumerate(table.header, start=1):
        if not name:
            problems.append(Problem(Location(table.shown_as, table.header_line, i), _("a column has no name")))
        elif name in seen:
            problems.append(
                Problem(
                    Location(table.shown_as, table.header_line, i, column_name=name),
                    _("column '{name}' appears twice").format(name=name),
                )
            )
        seen.add(name)
    return problems


def _row(table: Table, record: list[Any], line: int) -> Row:
    """A row of named, stripped cells; empty cells are left out (missing)."""
    values: dict[str, Any] = {}
    width = len(record)
    for i, name in table.columns():
        if i >= width:
            break
        cell = record[i]
        if isinstance(cell, str):
            cell = cell.strip()
            if cell == "":
                continue
        values[name] = cell
    table.count += 1
    return Row(table, table.count - 1, values, line)
