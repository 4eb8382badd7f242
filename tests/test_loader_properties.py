"""Invariants of dataset loading, checked over generated inputs.

- The same rows give the same dataset whether written as CSV, YAML or XLSX.
- Any corrupted cell yields a dataset or an InputError with located problems, never another exception.
"""

from __future__ import annotations

import csv
import shutil
from datetime import date, timedelta
from pathlib import Path

import openpyxl
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from decision_support.errors import InputError
from decision_support.models import Golongan
from decision_support.sources import load_dataset

BASE = {
    "dataset.yaml": "schema_version: 1\nname: Sifat\nas_of: 2026-11-01\n",
    "units.yaml": '- {id: "PEMKO", name: "Pemko", kind: opd, sector: pemerintahan}\n'
    '- {id: "DUK", name: "Disdukcapil", kind: opd, sector: kependudukan, parent: "PEMKO"}\n',
    "positions.csv": "id,name,unit,type,formasi\nOP,Operator,DUK,pelaksana,5\nKA,Kepala,DUK,jpt,1\n",
}
COLUMNS = ["nip", "name", "status", "golongan", "position", "tmt_position", "education_level", "sex", "bup"]


@st.composite
def employees(draw: st.DrawFn) -> list[dict[str, str]]:
    count = draw(st.integers(1, 6))
    rows = []
    for seq in range(1, count + 1):
        birth = draw(st.dates(date(1966, 1, 1), date(2000, 12, 31)))
        cpns_year = draw(st.integers(birth.year + 19, min(birth.year + 40, 2025)))
        cpns_month = draw(st.integers(1, 12))
        sex = draw(st.sampled_from("12"))
        nip = f"{birth:%Y%m%d}{cpns_year}{cpns_month:02d}{sex}{seq:03d}"
        tmt = date(cpns_year, cpns_month, 1) + timedelta(days=draw(st.integers(0, 300)))
        rows.append(
            {
                "nip": nip,
                "name": draw(st.text("abcdefghij KLMN'.", min_size=1, max_size=20)).strip() or "Nama",
                "status": "PNS",
                "golongan": draw(st.sampled_from([g.label for g in Golongan] + [str(g.value) for g in Golongan])),
                "position": draw(st.sampled_from(["OP", "KA"])),
                "tmt_position": min(tmt, date(2026, 11, 1)).isoformat(),
                "education_level": draw(st.sampled_from(["SMA", "D3", "S1", "S2"])),
                "sex": draw(st.sampled_from(["", "L" if sex == "1" else "P"])),
                "bup": draw(st.sampled_from(["", "58", "60"])),
            }
        )
    return rows


def write_base(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in BASE.items():
        (folder / name).write_text(text)


def write_csv(folder: Path, rows: list[dict[str, str]]) -> None:
    with (folder / "employees.csv").open("w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)


def write_yaml(folder: Path, rows: list[dict[str, str]]) -> None:
    entries = [{k: v for k, v in row.items() if v != ""} for row in rows]
    # Quote every scalar, as the docs ask for hand-written identifiers.
    (folder / "employees.yaml").write_text(yaml.safe_dump(entries, default_style='"', allow_unicode=True))


def write_xlsx(folder: Path, rows: list[dict[str, str]]) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(COLUMNS)
    for row in rows:
        sheet.append([row[c] or None for c in COLUMNS])
    book.save(folder / "employees.xlsx")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=employees())
def test_csv_yaml_and_xlsx_give_the_same_dataset(tmp_path: Path, rows: list[dict[str, str]]) -> None:
    loaded = []
    for fmt, writer in (("csv", write_csv), ("yaml", write_yaml), ("xlsx", write_xlsx)):
        folder = tmp_path / fmt
        shutil.rmtree(folder, ignore_errors=True)
        write_base(folder)
        writer(folder, rows)
        loaded.append(load_dataset(folder))
    assert loaded[0] == loaded[1] == loaded[2]
    assert [e.nip for e in loaded[0].employees] == [r["nip"] for r in rows]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=employees(),
    column=st.sampled_from(COLUMNS),
    junk=st.text(min_size=0, max_size=30),
    which=st.integers(0, 5),
)
def test_a_corrupted_cell_is_reported_not_crashed(
    tmp_path: Path, rows: list[dict[str, str]], column: str, junk: str, which: int
) -> None:
    folder = tmp_path / "fuzz"
    shutil.rmtree(folder, ignore_errors=True)
    write_base(folder)
    rows[which % len(rows)][column] = junk.replace("\r", "").replace("\x00", "")
    write_csv(folder, rows)
    try:
        load_dataset(folder)
    except InputError as exc:
        assert exc.problems
        for problem in exc.problems:
            rendered = problem.render()
            assert rendered.startswith(str(folder / "employees.csv")) or rendered.startswith(str(folder))
            assert problem.location.line is not None
