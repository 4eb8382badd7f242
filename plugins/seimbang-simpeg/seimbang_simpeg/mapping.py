"""The YAML mapping file: which tables, columns, joins and code translations make each dataset table.

A new SIMPEG variant is mapped by writing one of these files, not code. Reference: docs/simpeg.md.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from decision_support.api import InputError, Location, Problem

#: A column of a table alias: ``alias.column``.
COLUMN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*\.[A-Za-z_][A-Za-z0-9_]*$")
#: The dataset tables an import can write, in the order they are written (references point backwards).
TABLES = ("units", "positions", "employees", "skp", "sanctions", "workload")


class Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Join(Model):
    """``LEFT JOIN table AS alias ON alias.x = other.y [AND ...]``; ``match`` maps this side's columns to the
    other's columns (``alias.column``) or to constants (``{value: 1}``). (Not ``on``: YAML reads that as true.)"""

    table: str
    alias: str = Field(alias="as")
    match: dict[str, Any]
    #: For a history table (riwayat): join only the row with the largest value of this column (``alias.column``)
    #: among the rows that match, e.g. the latest TMT. Rows that tie are all joined (the key then repeats).
    latest: str | None = None


class Source(Model):
    """One dataset table: the source table and alias, its joins, its key (for reports) and its columns."""

    table: str
    alias: str = Field(alias="as")
    key: str
    joins: list[Join] = []
    columns: dict[str, Any]

    @field_validator("key")
    @classmethod
    def _key_is_a_column(cls, value: str) -> str:
        if not COLUMN.match(value):
            raise ValueError(f"key must be alias.column, not {value!r}")
        return value


class DatasetInfo(Model):
    name: str
    description: str = ""
    as_of: date | None = None
    synthetic: bool = False
    settings: dict[str, Any] = {}


class CsvExport(Model):
    """The SIASN employee CSV export ("Export Data ASN") as a source: ``seimbang import --source FILE.csv``.

    Tables whose ``table`` is ``name`` read the CSV's rows (one flat table: no joins); every other table is read
    from ``database`` in the mapping (the export has no unit kinds or sectors, no formasi and no ABK).
    """

    name: str = "siasn_export"
    #: The field separator; None: "," or ";", whichever the header line uses.
    delimiter: str | None = None
    encoding: str = "utf-8-sig"


class Mapping(Model):
    """A whole mapping file."""

    mapping: Annotated[str, Field(min_length=1)]
    dataset: DatasetInfo
    #: Present when the mapping reads the SIASN CSV export (``--source FILE.csv``).
    csv: CsvExport | None = None
    #: SQLAlchemy URL of the database the tables not read from the CSV come from (with ``csv`` only).
    database: str | None = None
    tables: dict[str, Source]

    @field_validator("tables")
    @classmethod
    def _known_tables(cls, value: dict[str, Source]) -> dict[str, Source]:
        unknown = sorted(set(value) - set(TABLES))
        if unknown:
            raise ValueError(f"unknown dataset tables {unknown}; known: {list(TABLES)}")
        missing = [t for t in ("units", "positions", "employees") if t not in value]
        if missing:
            raise ValueError(f"required dataset tables missing: {missing}")
        return value


def referenced_columns(expression: Any) -> list[str]:
    """Every ``alias.column`` an output expression reads."""
    if isinstance(expression, str):
        return [expression]
    if isinstance(expression, dict):
        found = []
        for key, value in expression.items():
            if key in ("value", "translate", "sep", "format"):
                continue
            found += referenced_columns(value)
        return found
    if isinstance(expression, list):
        return [c for item in expression for c in referenced_columns(item)]
    return []


def load_mapping(path: Path) -> Mapping:
    """Read and check a mapping file; InputError naming the file and the problem otherwise."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError([Problem(Location(str(path)), f"cannot read the mapping file: {exc.strerror}")]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = Location(str(path), mark.line + 1, mark.column + 1) if mark else Location(str(path))
        raise InputError([Problem(where, f"not valid YAML: {getattr(exc, 'problem', exc)}")]) from None
    try:
        mapping = Mapping.model_validate(raw)
    except ValidationError as exc:
        problems = [
            Problem(Location(str(path)), f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}")
            for err in exc.errors()
        ]
        raise InputError(problems) from None
    problems = []
    for name, source in mapping.tables.items():
        if mapping.csv is not None and source.table == mapping.csv.name and source.joins:
            problems.append(Problem(Location(str(path)), f"tables.{name}: the CSV export is one flat table: no joins"))
        aliases = {source.alias, *(j.alias for j in source.joins)}
        for column in [source.key, *referenced_columns(source.columns)] + [
            c for j in source.joins for pair in j.match.items() for c in referenced_columns(list(pair))
        ]:
            if not COLUMN.match(column) or column.split(".")[0] not in aliases:
                problems.append(
                    Problem(Location(str(path)), f"tables.{name}: {column!r} is not alias.column of {sorted(aliases)}")
                )
    if problems:
        raise InputError(problems)
    return mapping
