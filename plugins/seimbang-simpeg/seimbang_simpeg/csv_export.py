"""Reading the SIASN employee CSV export ("Export Data ASN", BKN's snake_case field names), streamed.

The file is read twice, row by row: once to count the rows (for the progress bar), once to map them; memory
stays bounded whatever its size. A row comes out as ``{alias.column: value}`` like a database row (an empty
cell is None), with :data:`ROW` holding its row number as a spreadsheet shows it (the header is row 1).
"""

from __future__ import annotations

import csv
import difflib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from decision_support.api import InputError, Location, Problem

from .mapping import CsvExport, Source, referenced_columns

#: Key of the row number in a row read from the CSV.
ROW = "__row__"


def _open(path: Path, options: CsvExport) -> Any:
    try:
        return path.open(encoding=options.encoding, newline="")
    except OSError as exc:
        raise InputError([Problem(Location(str(path)), f"cannot read the CSV export: {exc.strerror}")]) from None


def _delimiter(header: str, options: CsvExport) -> str:
    if options.delimiter is not None:
        return options.delimiter
    return ";" if header.count(";") > header.count(",") else ","


def csv_rows(path: Path, source: Source, options: CsvExport) -> tuple[int, Iterator[dict[str, Any]]]:
    """The number of data rows of the export, and its rows for ``source``; InputError for missing columns."""
    needed = sorted({source.key, *referenced_columns(source.columns)})
    with _open(path, options) as fh:
        try:
            first = fh.readline()
            total = sum(1 for _line in csv.reader(fh, delimiter=_delimiter(first, options)))
        except UnicodeDecodeError as exc:
            raise InputError([Problem(Location(str(path)), f"not {options.encoding} text: {exc.reason}")]) from None
    delimiter = _delimiter(first, options)
    header = next(csv.reader([first], delimiter=delimiter), [])
    missing = [c for c in needed if c.split(".", 1)[1] not in header]
    if missing:
        problems = []
        for column in missing:
            name = column.split(".", 1)[1]
            close = difflib.get_close_matches(name, header, n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            problems.append(
                Problem(Location(str(path), 1), f"the export has no column '{name}' (the mapping reads {column}){hint}")
            )
        raise InputError(problems)

    def rows() -> Iterator[dict[str, Any]]:
        with _open(path, options) as fh:
            reader = csv.reader(fh, delimiter=delimiter)
            columns = next(reader, [])
            index = {name: columns.index(name) for name in (c.split(".", 1)[1] for c in needed)}
            for number, cells in enumerate(reader, 2):
                row: dict[str, Any] = {ROW: number}
                for column in needed:
                    i = index[column.split(".", 1)[1]]
                    value = cells[i].strip() if i < len(cells) else ""
                    row[column] = value or None
                yield row

    return total, rows()
