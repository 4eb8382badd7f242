"""The broken-dataset corpus: every way a dataset can be wrong, with the exact message a user sees.

Each folder under ``tests/corpus/`` is one case. It holds the files that
*replace* files of the valid dataset ``tests/data/mini/`` (a copy of the mini
file, broken), optionally ``remove.txt`` (mini files to delete, one a line),
and ``expected.txt``: the exact stderr of ``seimbang --lang en check ds`` run
from the folder that holds the dataset ``ds``. Adding a case is adding a folder.

A case whose expected output is *not* what seimbang prints yet (a known bug)
has ``xfail.txt`` with the reason; its ``expected.txt`` holds the correct
output, and the case is a strict xfail until the bug is fixed.

Regenerate golden files deliberately with ``pytest tests/test_corpus.py
--update-golden`` and read the diff: cases with ``xfail.txt`` are never
rewritten.
"""

from __future__ import annotations

import csv
import datetime
import inspect
import io
import shutil
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner, Result
from golden import golden_cases

from decision_support import i18n
from decision_support.cli import main

TESTS = Path(__file__).parent
CORPUS = TESTS / "corpus"
MINI = TESTS / "data" / "mini"
VARIANTS = TESTS / "data" / "variants"
#: Files of a case folder that describe the case rather than replace a dataset file.
CONTROL_FILES = frozenset({"expected.txt", "remove.txt", "xfail.txt"})
UTF8_BOM = b"\xef\xbb\xbf"


@pytest.fixture(autouse=True)
def _restore_language() -> Iterator[None]:
    """``--lang en`` switches the process-wide language; give other tests back the one they had."""
    before = i18n.current_language()
    yield
    i18n.set_language(before)


def _case_params(root: Path) -> list[object]:
    return golden_cases(root)


def build_dataset(tmp_path: Path, overlay: Path | None = None) -> Path:
    """Copy the mini dataset to ``tmp_path/ds`` and apply ``overlay`` (replacement files and ``remove.txt``)."""
    dataset = tmp_path / "ds"
    shutil.copytree(MINI, dataset)
    if overlay is not None:
        for source in sorted(overlay.iterdir()):
            if source.is_file() and source.name not in CONTROL_FILES:
                shutil.copyfile(source, dataset / source.name)
        remove = overlay / "remove.txt"
        if remove.exists():
            for name in remove.read_text(encoding="utf-8").split():
                (dataset / name).unlink()  # a stale name fails loudly
    return dataset


def runner() -> CliRunner:
    """A runner that keeps stderr apart from stdout (the default from click 8.2; click 8.1 needs mix_stderr)."""
    if "mix_stderr" in inspect.signature(CliRunner).parameters:
        return CliRunner(mix_stderr=False)  # type: ignore[call-arg]
    return CliRunner()


def check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Result:
    """Run ``seimbang --lang en check ds`` from ``tmp_path``, as a user would in a terminal."""
    monkeypatch.chdir(tmp_path)
    return runner().invoke(main, ["--lang", "en", "check", "ds"])


def assert_no_traceback(result: Result) -> None:
    for text in (result.output, result.stdout, result.stderr):
        assert "Traceback" not in text
    # CliRunner catches what escapes the command; only the exit itself may escape.
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exc_info


def assert_rejected(result: Result, expected: str) -> None:
    assert_no_traceback(result)
    assert result.stdout == ""
    assert result.stderr == expected
    assert result.exit_code == 2


# -- the corpus ----------------------------------------------------------------------------


@pytest.mark.parametrize("case", _case_params(CORPUS))
def test_broken_dataset(case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, update_golden: bool) -> None:
    build_dataset(tmp_path, case)
    result = check(tmp_path, monkeypatch)
    golden = case / "expected.txt"
    if update_golden and not (case / "xfail.txt").exists():
        golden.write_text(result.stderr, encoding="utf-8", newline="")
    assert_rejected(result, golden.read_text(encoding="utf-8"))


def test_corpus_cases_are_well_formed() -> None:
    cases = [p for p in CORPUS.iterdir() if p.is_dir()]
    assert len(cases) >= 35
    for case in cases:
        assert (case / "expected.txt").is_file(), case.name
        inputs = [p for p in case.iterdir() if p.name not in CONTROL_FILES]
        assert inputs or (case / "remove.txt").exists(), f"{case.name} changes nothing"
        for name in inputs:
            if (MINI / name.name).exists():
                assert (MINI / name.name).read_bytes() != name.read_bytes(), f"{case.name}/{name.name} is unchanged"


# -- valid inputs that look unusual -------------------------------------------------------------


def assert_valid(result: Result) -> None:
    assert_no_traceback(result)
    assert result.stderr == ""
    assert result.exit_code == 0
    assert "Dataset 'Mini test dataset' is valid: 11 employees, 8 units, 10 positions" in result.stdout


def test_mini_dataset_is_valid(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    build_dataset(tmp_path)
    assert_valid(check(tmp_path, monkeypatch))


@pytest.mark.parametrize("variant", _case_params(VARIANTS))
def test_valid_variant(variant: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Files as spreadsheets and SIMPEG exports write them: ';'-separated, with a BOM, or as YAML."""
    build_dataset(tmp_path, variant)
    assert_valid(check(tmp_path, monkeypatch))


def test_variant_files_keep_their_bytes() -> None:
    """Guard against an editor silently 'fixing' the unusual bytes these variants exist for."""
    assert (VARIANTS / "utf8_bom_csv" / "employees.csv").read_bytes().startswith(UTF8_BOM)
    assert (VARIANTS / "semicolon_csv" / "employees.csv").read_text(encoding="utf-8").startswith("nip;name;")
    latin1 = (CORPUS / "csv_latin1" / "employees.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        latin1.decode("utf-8")
    assert "Renée" in latin1.decode("latin-1")


def test_crlf_line_endings_are_valid(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    dataset = build_dataset(tmp_path)
    for name in ("employees.csv", "units.yaml", "services.yaml", "dataset.yaml"):
        path = dataset / name
        path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    assert_valid(check(tmp_path, monkeypatch))


# -- XLSX: built here with openpyxl, never committed as binary files -------------------------


def mini_rows(table: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO((MINI / table).read_text(encoding="utf-8"))))


def write_xlsx(path: Path, rows: list[list[object]]) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append([None if cell == "" else cell for cell in row])
    book.save(path)


def excel_number(digits: str) -> float:
    """An 18-digit number as Excel keeps it: a double with 15 significant digits."""
    return float(f"{int(digits):.15g}")


def typed_like_excel(rows: list[list[str]], *, nip_as_number: bool) -> list[list[object]]:
    """What a spreadsheet holds after a user typed the CSV in: dates as dates, numbers as numbers.

    With ``nip_as_number`` the NIP column is a number too, as Excel makes it when the
    column is not formatted as Text (a double: the last digits are lost).
    """
    header, body = rows[0], rows[1:]
    typed: list[list[object]] = [list(header)]
    for row in body:
        cells: list[object] = []
        for name, cell in zip(header, row, strict=True):
            if name == "nip" and nip_as_number:
                cells.append(excel_number(cell))
            elif name in ("tmt_position", "birth_date") and cell:
                cells.append(datetime.datetime.fromisoformat(cell))
            elif name in ("bup", "year") and cell:
                cells.append(int(cell))
            else:
                cells.append(cell)
        typed.append(cells)
    return typed


def test_xlsx_employees_valid(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    dataset = build_dataset(tmp_path)
    rows = mini_rows("employees.csv")
    (dataset / "employees.csv").unlink()
    write_xlsx(dataset / "employees.xlsx", typed_like_excel(rows, nip_as_number=False))
    assert_valid(check(tmp_path, monkeypatch))


XLSX_HINT = (
    "but text is expected. Format the column as Text in the spreadsheet; long numbers such as an NIP lose digits "
    "otherwise."
)


def _xlsx_nip_lines(table: str, rows: list[list[str]], first_line: int = 2) -> list[str]:
    lines = []
    for number, row in enumerate(rows[1:], start=first_line):
        shown = str(excel_number(row[0]))
        lines.append(f"ds/{table}:{number}:1: NIP {shown}: nip: the cell holds the number {shown}, {XLSX_HINT}")
    return lines


def test_xlsx_nip_as_number_child_table(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """skp.xlsx with the NIP column as numbers: every row says to format the column as Text."""
    dataset = build_dataset(tmp_path)
    rows = mini_rows("skp.csv")
    (dataset / "skp.csv").unlink()
    write_xlsx(dataset / "skp.xlsx", typed_like_excel(rows, nip_as_number=True))
    expected = [
        "ds/skp.xlsx:2:1: NIP 1.98203142006042e+17: nip: the cell holds the number 1.98203142006042e+17, " + XLSX_HINT,
        "ds/skp.xlsx:3:1: NIP 1.98203142006042e+17: nip: the cell holds the number 1.98203142006042e+17, " + XLSX_HINT,
        "ds/skp.xlsx:4:1: NIP 1.98506202010011e+17: nip: the cell holds the number 1.98506202010011e+17, " + XLSX_HINT,
        "ds/skp.xlsx:5:1: NIP 1.99402022020121e+17: nip: the cell holds the number 1.99402022020121e+17, " + XLSX_HINT,
        "4 problems in 1 file; nothing was computed.",
    ]
    assert expected[:4] == _xlsx_nip_lines("skp.xlsx", rows)
    assert_rejected(check(tmp_path, monkeypatch), "\n".join(expected) + "\n")


def test_xlsx_nip_as_number_employees(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """employees.xlsx with the NIP column as numbers (Excel's default for 18 digits)."""
    dataset = build_dataset(tmp_path)
    rows = mini_rows("employees.csv")
    (dataset / "employees.csv").unlink()
    write_xlsx(dataset / "employees.xlsx", typed_like_excel(rows, nip_as_number=True))
    lines = _xlsx_nip_lines("employees.xlsx", rows)
    assert len(lines) == 11
    expected = "\n".join([*lines, "11 problems in 1 file; nothing was computed."]) + "\n"
    assert_rejected(check(tmp_path, monkeypatch), expected)


# -- problems whose exact wording is not settled yet -----------------------------------------


def test_csv_unclosed_quote_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    dataset = build_dataset(tmp_path)
    employees = dataset / "employees.csv"
    employees.write_text(
        employees.read_text(encoding="utf-8").replace(",Andi Saputra,", ',"Andi Saputra,'), encoding="utf-8"
    )
    result = check(tmp_path, monkeypatch)
    assert_no_traceback(result)
    assert result.exit_code == 2
    first = result.stderr.splitlines()[0]
    # The one problem: line 6, column 2 (the name), saying that a quote is never closed.
    assert first.startswith("ds/employees.csv:6:2: ")
    assert "quote" in first
    assert "is not defined" not in result.stderr
    assert result.stderr.endswith("1 problem in 1 file; nothing was computed.\n")
