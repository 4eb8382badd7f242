"""Map the rows of a SIMPEG database into a seimbang dataset folder, skipping (and reporting) what cannot be mapped."""

from __future__ import annotations

import contextlib
import csv
from collections.abc import Callable, Iterator
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from decision_support.api import (
    ImportSummary,
    InputError,
    Location,
    Problem,
    TableCount,
    load_dataset,
    parse_date,
    parse_nip,
)

from .csv_export import ROW, csv_rows
from .mapping import TABLES, Mapping, Source, load_mapping, referenced_columns
from .reader import make_engine, read_only, stream_rows

#: Columns written per dataset table (only those the mapping gives, plus the required ones, are kept).
COLUMNS = {
    "units": ("id", "name", "kind", "sector", "parent", "kecamatan"),
    "positions": (
        "id",
        "name",
        "unit",
        "type",
        "eselon",
        "golongan_min",
        "golongan_max",
        "formasi",
        "min_staff",
        "leadership",
        "subject",
    ),
    "employees": (
        "nip",
        "name",
        "status",
        "golongan",
        "golongan_pppk",
        "position",
        "unit",
        "tmt_position",
        "birth_date",
        "sex",
        "education_level",
        "education_field",
        "bup",
        "spouse_kecamatan",
    ),
    "skp": ("nip", "year", "predicate"),
    "sanctions": ("nip", "level", "start", "end", "description"),
    "workload": ("position", "task", "output", "volume", "norma_waktu"),
}
REQUIRED = {
    "units": ("id", "name", "kind", "sector"),
    "positions": ("id", "name", "unit", "type", "formasi"),
    "employees": ("nip", "name", "status", "position", "tmt_position", "education_level"),
    "skp": ("nip", "year", "predicate"),
    "sanctions": ("nip", "level", "start"),
    "workload": ("position", "task", "output", "volume", "norma_waktu"),
}
DATES = {"tmt_position", "birth_date", "start", "end"}
Progress = Callable[[int, int | None], None]


class Unmappable(Exception):
    """This row cannot be mapped; the message is the reason shown to the user."""


# -- expressions ------------------------------------------------------------------------------


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, Decimal):
        value = int(value) if value == value.to_integral_value() else float(value)
    text = str(value).strip()
    return text or None


def nip_parts(value: Any) -> tuple[str, date, str]:
    """The NIP as 18 digits, with the birth date and sex (L/P) it encodes; Unmappable when it is malformed.

    Numeric NIP columns (decimal, bigint) arrive as numbers and are written back as digits; a value that is not
    18 digits (an int(11) column truncates NIPs) is rejected, never padded.
    """
    nip = _text(value)
    if nip is None:
        raise Unmappable("no NIP")
    try:
        parts = parse_nip(nip)
    except ValueError as exc:
        raise Unmappable(f"malformed NIP {nip!r}: {exc}") from None
    return nip, parts.birth_date, parts.sex


def evaluate(expression: Any, row: dict[str, Any]) -> Any:
    """The value of one output expression on one source row (None when absent)."""
    if isinstance(expression, str):
        return row[expression]
    if "value" in expression:
        return expression["value"]
    if "column" in expression:
        raw = _text(row[expression["column"]])
        table = expression.get("translate")
        if raw is None or table is None:
            return raw
        translations = {str(k): v for k, v in table.items()}
        if raw not in translations:
            raise Unmappable(f"code {raw!r} of {expression['column']} has no translation in the mapping")
        return translations[raw]
    if "concat" in expression:
        parts = [_text(evaluate(e, row)) for e in expression["concat"]]
        if expression.get("skip_missing", False):
            parts = [p for p in parts if p]
        elif any(p is None for p in parts):
            return None
        return expression.get("sep", "").join(p for p in parts if p is not None) or None
    if "first" in expression:
        return next((v for v in (evaluate(e, row) for e in expression["first"]) if _text(v) is not None), None)
    if "nip_birth_date" in expression:
        return nip_parts(evaluate(expression["nip_birth_date"], row))[1]
    if "nip_sex" in expression:
        return nip_parts(evaluate(expression["nip_sex"], row))[2]
    raise Unmappable(f"unknown expression {expression!r}")


def _describe(expression: Any) -> str:
    columns = referenced_columns(expression) if expression is not None else []
    return ", ".join(columns) or "not mapped"


def _cell(name: str, value: Any) -> str:
    if value is None:
        return ""
    if name in DATES:
        if isinstance(value, datetime):
            return value.date().isoformat()
        if isinstance(value, date):
            return value.isoformat()
        try:
            return parse_date(str(value).strip()).isoformat()
        except ValueError:
            raise Unmappable(f"{name} {value!r} is not a date") from None
    if isinstance(value, bool):
        return "true" if value else "false"
    return _text(value) or ""


def map_row(table: str, source: Source, row: dict[str, Any]) -> dict[str, str]:
    out = {}
    for name, expr in source.columns.items():
        value = evaluate(expr, row)
        try:
            out[name] = _cell(name, value)
        except Unmappable as exc:
            raise Unmappable(f"{exc} (from {_describe(expr)})") from None
    missing = [name for name in REQUIRED[table] if not out.get(name)]
    if missing:
        sources = ", ".join(f"{name} (from {_describe(source.columns.get(name))})" for name in missing)
        raise Unmappable(f"no value for required {sources}; a join that found no row gives no value")
    return out


# -- the import -------------------------------------------------------------------------------


class _Checks:
    """References between dataset tables, checked while streaming (ids kept, not rows)."""

    def __init__(self) -> None:
        self.units: set[str] = set()
        self.positions: set[str] = set()
        self.nips: set[str] = set()
        #: NIP -> "row N, NIP X" for employees read from a CSV file (for rows the final check rejects).
        self.rows: dict[str, str] = {}

    def check(self, table: str, out: dict[str, str]) -> None:
        if table == "positions":
            if out["unit"] not in self.units:
                raise Unmappable(f"unit {out['unit']!r} is not among the imported units")
        elif table == "employees":
            nip = nip_parts(out["nip"])[0]
            if nip in self.nips:
                raise Unmappable(f"NIP {nip} appears twice")
            if out["position"] not in self.positions:
                raise Unmappable(f"position {out['position']!r} is not among the imported positions")
            if out.get("unit") and out["unit"] not in self.units:
                raise Unmappable(f"unit {out['unit']!r} is not among the imported units")
        elif table in ("skp", "sanctions") and out["nip"] not in self.nips:
            raise Unmappable(f"NIP {out['nip']} is not among the imported employees")
        elif table == "workload" and out["position"] not in self.positions:
            raise Unmappable(f"position {out['position']!r} is not among the imported positions")

    def add(self, table: str, out: dict[str, str]) -> None:
        if table == "positions":
            self.positions.add(out["id"])
        elif table == "employees":
            self.nips.add(out["nip"])


class _Progress:
    """Rows read so far, reported every thousand rows (and at the end)."""

    def __init__(self, callback: Progress | None) -> None:
        self.callback = callback
        self.done = 0
        self.total = 0

    def tick(self) -> None:
        self.done += 1
        if self.callback and self.done % 1000 == 0:
            self.callback(self.done, self.total)

    def finish(self) -> None:
        if self.callback:
            self.callback(self.done, self.total)


def _rows(
    table: str,
    source: Source,
    rows: Iterator[dict[str, Any]],
    checks: _Checks,
    summary: ImportSummary,
    progress: _Progress,
    label: str,
) -> Iterator[dict[str, str]]:
    """The mapped rows of one source table (``label`` in the summary); the others are skipped and reported."""
    count = summary.tables.setdefault(label, TableCount())
    for row in rows:
        count.read += 1
        progress.tick()
        key = _text(row[source.key]) or "?"
        if ROW in row:  # a CSV row: its row number, as a spreadsheet shows it, and the NIP
            key = f"row {row[ROW]}, NIP {key}"
        try:
            out = map_row(table, source, row)
            checks.check(table, out)
        except Unmappable as exc:
            summary.skip(label, key, str(exc))
            continue
        if ROW in row and table == "employees":
            checks.rows[out["nip"]] = key
        checks.add(table, out)
        count.imported += 1
        yield out


def _units(units: list[dict[str, str]], source: Source, summary: ImportSummary, label: str) -> list[dict[str, str]]:
    """Units whose parent chain is complete; a unit under a skipped or missing parent is skipped too."""
    kept = {u["id"]: u for u in units}
    changed = True
    while changed:
        changed = False
        for unit in list(kept.values()):
            parent = unit.get("parent")
            if parent and parent not in kept:
                del kept[unit["id"]]
                summary.skip(label, unit["id"], f"parent unit {parent!r} is not among the imported units")
                summary.tables[label].imported -= 1
                changed = True
    return [u for u in units if u["id"] in kept]


def is_csv_export(location: str) -> bool:
    """``location`` names a CSV file (the SIASN employee export), not a database URL."""
    return "://" not in location and location.lower().endswith(".csv")


def import_database(
    url: str, mapping_path: Path, output: Path, *, progress: Progress | None = None, check: bool = True
) -> ImportSummary:
    """Write the source at ``url``, read through ``mapping_path``, as the dataset folder ``output``.

    ``url`` is a SQLAlchemy URL, or the path of a SIASN CSV export (``*.csv``) for a mapping with a ``csv``
    section: then the tables that read the export come from the file, the others from the mapping's ``database``.
    """
    mapping = load_mapping(mapping_path)
    csv_path, database = _sources(url, mapping, mapping_path)
    if output.exists() and any(output.iterdir()):
        raise FileExistsError(f"{output} exists and is not empty")
    output.mkdir(parents=True, exist_ok=True)
    summary = ImportSummary()
    checks = _Checks()
    ticker = _Progress(progress)
    labels = {t: _label(mapping, mapping.tables[t], csv_path) for t in mapping.tables}
    with contextlib.ExitStack() as stack:
        conn = None
        if database is not None:
            engine = make_engine(database)
            stack.callback(engine.dispose)
            conn = stack.enter_context(read_only(engine))
        for table in [t for t in TABLES if t in mapping.tables]:
            source = mapping.tables[table]
            if csv_path is not None and mapping.csv is not None and source.table == mapping.csv.name:
                total, rows = csv_rows(csv_path, source, mapping.csv)
            else:
                assert conn is not None  # _sources gave a database for every table not read from the CSV
                total, rows = stream_rows(conn, source)
            ticker.total += total
            mapped = _rows(table, source, rows, checks, summary, ticker, labels[table])
            if table == "units":
                units = _units(list(mapped), source, summary, labels[table])
                checks.units = {u["id"] for u in units}
                _write_units(output, units)
            else:
                _write_csv(output, table, source, mapped)
    ticker.finish()
    _write_manifest(output, mapping)
    if check:
        _validate(output, labels, summary, checks.rows)
    return summary


def _label(mapping: Mapping, source: Source, csv_path: Path | None) -> str:
    """How the summary names a source table: the CSV file's name, or the database table."""
    if csv_path is not None and mapping.csv is not None and source.table == mapping.csv.name:
        return csv_path.name
    return source.table


def _sources(location: str, mapping: Mapping, mapping_path: Path) -> tuple[Path | None, str | None]:
    """(the CSV export, the database URL) the tables are read from; InputError naming what is missing."""
    if not is_csv_export(location):
        if mapping.csv is not None and any(s.table == mapping.csv.name for s in mapping.tables.values()):
            message = (
                f"the mapping reads the SIASN CSV export ({mapping.csv.name}): give the CSV file as --source "
                "and the database as 'database:' in the mapping"
            )
            raise InputError([Problem(Location(str(mapping_path)), message)])
        return None, location
    if mapping.csv is None:
        message = "a CSV source needs a mapping with a 'csv:' section naming the tables it supplies (docs/simpeg.md)"
        raise InputError([Problem(Location(str(mapping_path)), message)])
    path = Path(location)
    if not path.is_file():
        raise InputError([Problem(Location(location), "the CSV export does not exist or is not a file")])
    elsewhere = [name for name in TABLES if name in mapping.tables and mapping.tables[name].table != mapping.csv.name]
    if elsewhere and mapping.database is None:
        message = (
            f"the dataset tables {', '.join(elsewhere)} are not in the SIASN CSV export, which holds employees only "
            "(no unit kinds and sectors, no formasi, no ABK, no SKP, no sanctions); name the database that has "
            "them as 'database: URL' in the mapping"
        )
        raise InputError([Problem(Location(str(mapping_path)), message)])
    return path, mapping.database if elsewhere else None


#: Rounds of validation: removing an employee can leave its SKP rows dangling, found in the next round.
ROUNDS = 4


def _validate(output: Path, labels: dict[str, str], summary: ImportSummary, row_keys: dict[str, str]) -> None:
    """Check the folder as ``seimbang check`` does; rows the core rejects are removed and reported as skipped.

    Problems that are not about one row of a CSV table (the units file, the manifest) are raised as they are.
    """
    for _round in range(ROUNDS):
        try:
            load_dataset(output)
            return
        except InputError as error:
            rejected: dict[str, dict[int, str]] = {}
            for problem in error.problems:
                path = Path(problem.location.path)
                table = path.stem
                if path.suffix != ".csv" or table not in labels or problem.location.line is None:
                    raise
                rejected.setdefault(table, {}).setdefault(problem.location.line, problem.message)
            for table, lines in rejected.items():
                _drop_lines(output / f"{table}.csv", lines, labels[table], summary, row_keys)
    load_dataset(output)


def _drop_lines(
    path: Path, lines: dict[int, str], source_table: str, summary: ImportSummary, row_keys: dict[str, str]
) -> None:
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    kept = []
    for number, row in enumerate(rows, 1):  # line 1 is the header
        if number in lines:
            key = row[0] if row else "?"
            summary.skip(source_table, row_keys.get(key, key), lines[number])
            summary.tables[source_table].imported -= 1
        else:
            kept.append(row)
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(kept)


def _write_units(output: Path, units: list[dict[str, str]]) -> None:
    rows = [{k: v for k, v in u.items() if v != ""} for u in units]
    (output / "units.yaml").write_text(yaml.safe_dump(rows, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _write_csv(output: Path, table: str, source: Source, rows: Iterator[dict[str, str]]) -> None:
    columns = [c for c in COLUMNS[table] if c in source.columns]
    with (output / f"{table}.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)


def _write_manifest(output: Path, mapping: Mapping) -> None:
    info = mapping.dataset
    manifest = {
        "schema_version": 1,
        "name": info.name,
        "description": info.description or f"imported with mapping {mapping.mapping}",
        "as_of": (info.as_of or date.today()).isoformat(),
        "synthetic": info.synthetic,
        "source": f"seimbang import, mapping {mapping.mapping}",
    }
    if info.settings:
        manifest["settings"] = info.settings
    (output / "dataset.yaml").write_text(yaml.safe_dump(manifest, allow_unicode=True, sort_keys=False), "utf-8")
