"""Files that are not what they should be: empty, folders, link loops, unreadable; and broken rule packs.

Each is an input error (exit 2) with a located message, never an internal error (exit 3) or a silent pass.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_corpus import assert_no_traceback, build_dataset, check, runner

from decision_support import i18n
from decision_support.cli import main

ROOT = Path(__file__).resolve().parent.parent
RULES = ROOT / "rules"


@pytest.fixture(autouse=True)
def _restore_language() -> Iterator[None]:
    before = i18n.current_language()
    yield
    i18n.set_language(before)


def rejected(result: object, expected: str) -> None:
    assert_no_traceback(result)  # type: ignore[arg-type]
    assert result.stdout == ""  # type: ignore[attr-defined]
    assert result.stderr == expected  # type: ignore[attr-defined]
    assert result.exit_code == 2  # type: ignore[attr-defined]


# -- empty files ---------------------------------------------------------------------------------


def test_empty_optional_yaml_table_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A 0-byte services.yaml loaded silently as "0 services"; now the emptiness is said."""
    dataset = build_dataset(tmp_path)
    (dataset / "services.yaml").write_bytes(b"")
    result = check(tmp_path, monkeypatch)
    assert result.exit_code == 0
    assert result.stderr == (
        "Note: ds/services.yaml:1: the file is empty (or holds only comments); the dataset has no rows of the "
        "optional table 'services'. Delete the file if that is intended.\n"
    )
    assert "0 services" in result.stdout


def test_header_only_optional_csv_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    dataset = build_dataset(tmp_path)
    skp = dataset / "skp.csv"
    skp.write_text(skp.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    result = check(tmp_path, monkeypatch)
    assert result.exit_code == 0
    assert "Note: ds/skp.csv:1: the file has a header row but no data rows; the dataset has no rows of the " in (
        result.stderr
    )


def test_header_only_required_csv_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    dataset = build_dataset(tmp_path)
    employees = dataset / "employees.csv"
    employees.write_text(employees.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    rejected(
        check(tmp_path, monkeypatch),
        "ds/employees.csv:1: the file has a header row but no data rows; table 'employees' is required and needs "
        "at least one row. Check that the export from SIMPEG or the spreadsheet completed.\n"
        "1 problem in 1 file; nothing was computed.\n",
    )


def test_zero_byte_required_csv_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    dataset = build_dataset(tmp_path)
    (dataset / "employees.csv").write_bytes(b"")
    result = check(tmp_path, monkeypatch)
    assert result.exit_code == 2
    assert result.stderr.startswith("ds/employees.csv:1: the file is empty; table 'employees' is required")


def test_empty_manifest_says_the_file_is_empty(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    dataset = build_dataset(tmp_path)
    (dataset / "dataset.yaml").write_text("# nothing yet\n", encoding="utf-8")
    rejected(
        check(tmp_path, monkeypatch),
        "ds/dataset.yaml:1: the file is empty (or holds only comments); expected the manifest fields. A manifest "
        "needs at least schema_version, name and as_of (see docs/dataset-format.md).\n"
        "1 problem in 1 file; nothing was computed.\n",
    )


# -- folders, links, unreadable files -------------------------------------------------------------


def test_dataset_folder_that_is_a_symlink_loop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A link loop was an internal error (exit 3, RuntimeError from Path.resolve)."""
    (tmp_path / "a").symlink_to("b")
    (tmp_path / "b").symlink_to("a")
    monkeypatch.chdir(tmp_path)
    result = runner().invoke(main, ["--lang", "en", "check", "a"])
    rejected(
        result,
        "a: cannot read the dataset folder: a symbolic link that loops back to itself\n"
        "1 problem in 1 file; nothing was computed.\n",
    )


def test_table_file_that_is_a_symlink_loop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A looping skp.csv was skipped silently, and the dataset judged valid without its SKP."""
    dataset = build_dataset(tmp_path)
    (dataset / "skp.csv").unlink()
    (dataset / "skp.csv").symlink_to("skp.csv")
    rejected(
        check(tmp_path, monkeypatch),
        "ds/skp.csv: cannot read the file: a symbolic link that loops back to itself\n"
        "1 problem in 1 file; nothing was computed.\n",
    )


def test_folder_where_a_table_file_is_expected(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A folder units.yaml gave "required table 'units' is missing", which sends the user looking elsewhere."""
    dataset = build_dataset(tmp_path)
    (dataset / "units.yaml").unlink()
    (dataset / "units.yaml").mkdir()
    result = check(tmp_path, monkeypatch)
    assert_no_traceback(result)
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert "ds/units.yaml: this is a folder, but table 'units' must be a file" in lines
    assert not any("is missing" in line for line in lines)


def test_symlinked_table_is_shown_by_its_own_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    dataset = build_dataset(tmp_path)
    shutil.move(dataset / "employees.csv", tmp_path / "export.csv")
    (dataset / "employees.csv").symlink_to(tmp_path / "export.csv")
    (dataset / "pegawai.csv").symlink_to(tmp_path / "export.csv")
    result = check(tmp_path, monkeypatch)
    assert result.stderr.startswith("ds/pegawai.csv: this file is not part of the dataset format")


def test_unreadable_file_is_an_input_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Permission denied on one file: a located input error (root can read anything, so it is simulated)."""
    dataset = build_dataset(tmp_path)
    target = dataset / "skp.csv"
    real = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self.name == target.name:
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    real_open = Path.open

    def open_(self: Path, *args: object, **kwargs: object) -> object:
        if self.name == target.name:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    monkeypatch.setattr(Path, "open", open_)
    rejected(
        check(tmp_path, monkeypatch),
        "ds/skp.csv: cannot read the file: permission denied\n1 problem in 1 file; nothing was computed.\n",
    )


def test_rules_path_that_is_a_symlink_loop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "r").mkdir()
    shutil.copy(RULES / "nasional" / "nasional.yaml", tmp_path / "r")
    (tmp_path / "r" / "lokal.yaml").symlink_to("lokal.yaml")
    monkeypatch.chdir(tmp_path)
    result = runner().invoke(main, ["--lang", "en", "rules", "check", "r"])
    rejected(
        result, "r/lokal.yaml: a symbolic link that loops back to itself\n1 problem in 1 file; nothing was computed.\n"
    )


# -- a broken rule pack: its root cause first, consequences in one line ---------------------------------


def rules_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(RULES, tmp_path / "rules")
    monkeypatch.chdir(tmp_path)
    return tmp_path / "rules" / "sawahlunto" / "sawahlunto.yaml"


CONSEQUENCES = (
    "11 test cases in rules/sawahlunto/nakes-dan-staf.test.yaml could not be checked because rule pack "
    "rules/sawahlunto/sawahlunto.yaml has errors.\n"
    "17 test cases in rules/sawahlunto/sawahlunto.test.yaml could not be checked because rule pack "
    "rules/sawahlunto/sawahlunto.yaml has errors.\n"
    "1 problem in 1 file; nothing was computed.\n"
)


@pytest.mark.parametrize("content", ["", "# a pack will come here\n"])
def test_empty_pack_says_the_file_is_empty(content: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An empty pack said "expected named fields" after 73 follow-on problems from the test files."""
    rules_copy(tmp_path, monkeypatch).write_text(content, encoding="utf-8")
    result = runner().invoke(main, ["--lang", "en", "rules", "check", "rules"])
    rejected(
        result,
        "rules/sawahlunto/sawahlunto.yaml:1: the file is empty (or holds only comments); expected a rule pack "
        "(pack, version, rules...)\n" + CONSEQUENCES,
    )


def test_tab_in_pack_is_the_only_problem_shown(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pack = rules_copy(tmp_path, monkeypatch)
    pack.write_text(pack.read_text(encoding="utf-8").replace("    kind: filter", "\tkind: filter", 1))
    result = runner().invoke(main, ["--lang", "en", "rules", "check", "rules"])
    assert result.exit_code == 2
    first, *rest = result.stderr.splitlines()
    assert first.startswith("rules/sawahlunto/sawahlunto.yaml:32:1: YAML syntax error: a tab character")
    assert "\n".join(rest[2:]) + "\n" == CONSEQUENCES


def test_misspelt_key_reports_the_key_and_counts_the_tests(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pack = rules_copy(tmp_path, monkeypatch)
    pack.write_text(pack.read_text(encoding="utf-8").replace("    kind: filter", "    knd: filter", 1))
    result = runner().invoke(main, ["--lang", "en", "rules", "check", "rules"])
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == (
        "rules/sawahlunto/sawahlunto.yaml:32:5: rule guru_tetap_di_pendidikan: knd: unknown field 'knd'. "
        "Did you mean 'kind'?"
    )
    assert "no rule" not in result.stderr
    assert result.stderr.endswith(
        "2 test cases in rules/sawahlunto/sawahlunto.test.yaml could not be checked because rule pack "
        "rules/sawahlunto/sawahlunto.yaml has errors.\n1 problem in 1 file; nothing was computed.\n"
    )


def test_unknown_rule_in_tests_is_still_reported_when_the_packs_are_fine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rules_copy(tmp_path, monkeypatch)
    tests = tmp_path / "rules" / "sawahlunto" / "sawahlunto.test.yaml"
    tests.write_text(tests.read_text(encoding="utf-8").replace("- unit_dihindari", "- unit_dihindar", 1))
    result = runner().invoke(main, ["--lang", "en", "rules", "check", "rules"])
    assert result.exit_code == 2
    assert "no rule 'unit_dihindar' in the packs of this folder. Did you mean 'unit_dihindari'?" in result.stderr
    assert "could not be checked" not in result.stderr


def test_empty_calendar_says_what_was_expected(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rules_copy(tmp_path, monkeypatch)
    (tmp_path / "rules" / "sawahlunto" / "calendar.yaml").write_text("# diisi nanti\n", encoding="utf-8")
    result = runner().invoke(main, ["--lang", "en", "rules", "check", "rules"])
    rejected(
        result,
        "rules/sawahlunto/calendar.yaml:1: the file is empty (or holds only comments); expected an election "
        "calendar\n1 problem in 1 file; nothing was computed.\n",
    )


def test_header_only_required_xlsx_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import openpyxl

    dataset = build_dataset(tmp_path)
    header = (dataset / "positions.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    (dataset / "positions.csv").unlink()
    book = openpyxl.Workbook()
    book.active.append(header)
    book.save(dataset / "positions.xlsx")
    result = check(tmp_path, monkeypatch)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == (
        "ds/positions.xlsx:1: the file has a header row but no data rows; table 'positions' is required and needs "
        "at least one row. Check that the export from SIMPEG or the spreadsheet completed."
    )


def test_unreadable_dataset_folder_is_an_input_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Listing the folder failed with PermissionError: an internal error (exit 3) before."""
    build_dataset(tmp_path)
    real = Path.iterdir

    def iterdir(self: Path) -> Iterator[Path]:
        if self.name == "ds":
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "iterdir", iterdir)
    rejected(
        check(tmp_path, monkeypatch),
        "ds: cannot read the dataset folder: permission denied\n1 problem in 1 file; nothing was computed.\n",
    )
