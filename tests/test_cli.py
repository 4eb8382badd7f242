"""What a user sees from the CLI: output, language, stderr and exit codes."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from decision_support import cli
from decision_support.errors import ExitCode

MANIFEST = """\
schema_version: 1
name: Kota Contoh
as_of: 2026-11-01
settings:
  kecamatan: [Barangin, Talawi]
"""
UNITS = """\
- {id: "PEMKO", name: "Pemerintah Kota", kind: opd, sector: pemerintahan}
- {id: "DUK", name: "Disdukcapil", kind: opd, sector: kependudukan, parent: "PEMKO", kecamatan: Barangin}
- {id: "SDN01", name: "SDN 01 Talawi", kind: school, sector: pendidikan, parent: "PEMKO", kecamatan: Talawi}
"""
POSITIONS = """\
id,name,unit,type,formasi,min_staff,subject
DUK-OP,Operator Layanan,DUK,pelaksana,3,1,
SD01-GK,Guru Kelas,SDN01,fungsional,6,3,guru_kelas
"""
EMPLOYEES = """\
nip,name,status,golongan,position,tmt_position,education_level
198609262015051001,Budi,PNS,III/b,DUK-OP,2020-01-02,S1
199001012015052002,Sari,PNS,32,SD01-GK,2019-01-02,S1
"""
WORKLOAD = """\
position,task,output,volume,norma_waktu
DUK-OP,Rekam KTP-el,berkas,9000,15
"""


@pytest.fixture
def dataset(tmp_path: Path) -> Path:
    folder = tmp_path / "ds"
    folder.mkdir()
    (folder / "dataset.yaml").write_text(MANIFEST)
    (folder / "units.yaml").write_text(UNITS)
    (folder / "positions.csv").write_text(POSITIONS)
    (folder / "employees.csv").write_text(EMPLOYEES)
    (folder / "workload.csv").write_text(WORKLOAD)
    (folder / "schools.csv").write_text("unit,level,pupils\nSDN01,SD,150\n")
    (folder / "curriculum.csv").write_text("level,subject,name,hours_per_rombel\nSD,guru_kelas,Guru Kelas,24\n")
    return folder


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_workload_table_is_indonesian_by_default(runner: CliRunner, dataset: Path) -> None:
    result = runner.invoke(cli.main, ["workload", str(dataset)])
    assert result.exit_code == 0, result.output
    assert "Analisis beban kerja (ABK): Kota Contoh" in result.stdout
    assert "WKE) 1.250 jam/tahun" in result.stdout  # Indonesian digit grouping
    # 9,000 x 15 min = 2,250 h -> 1.80 FTE -> 2 people; 1 holder -> EJ 1.80, band A.
    (row,) = [line.split() for line in result.stdout.splitlines() if line.startswith("DUK ")]
    assert row == ["DUK", "Disdukcapil", "2.250", "1,80", "2", "3", "1", "-1", "1,80", "A"]
    assert result.stderr == ""


def test_lang_en_anywhere_on_the_command_line(runner: CliRunner, dataset: Path) -> None:
    result = runner.invoke(cli.main, ["workload", str(dataset), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "Workload analysis (ABK): Kota Contoh" in result.stdout
    assert "1.80" in result.stdout


def test_lang_from_environment(runner: CliRunner, dataset: Path) -> None:
    result = runner.invoke(cli.main, ["workload", str(dataset)], env={"SEIMBANG_LANG": "en"})
    assert "Workload analysis (ABK)" in result.stdout


def test_help_is_translated(runner: CliRunner) -> None:
    indonesian = runner.invoke(cli.main, ["workload", "--help"])
    english = runner.invoke(cli.main, ["workload", "--help", "--lang", "en"])
    assert indonesian.exit_code == english.exit_code == 0
    assert "Penggunaan: seimbang workload" in indonesian.stdout
    assert "Tampilkan pesan ini lalu keluar." in indonesian.stdout
    assert "Usage: seimbang workload" in english.stdout
    assert "Show this message and exit." in english.stdout


def test_json_has_every_view_and_machine_numbers(runner: CliRunner, dataset: Path) -> None:
    result = runner.invoke(cli.main, ["workload", str(dataset), "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert set(report) >= {"positions", "units", "opds", "teachers", "schools", "wke_hours", "ej_bands"}
    (position,) = report["positions"]
    assert position == {
        "position": "DUK-OP",
        "position_name": "Operator Layanan",
        "unit": "DUK",
        "opd": "DUK",
        "workload_hours": 2250.0,
        "fte": 1.8,
        "required": 2,
        "formasi": 3,
        "holders": 1,
        "gap": -1,
        "ej": 1.8,
        "band": "A",
    }
    (teacher,) = report["teachers"]
    assert teacher["rombel"] == 6 and teacher["needed"] == 6 and teacher["holders"] == 1


def test_csv_of_the_teacher_view(runner: CliRunner, dataset: Path) -> None:
    result = runner.invoke(cli.main, ["workload", str(dataset), "--view", "teacher", "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows[0]["school"] == "SDN01" and rows[0]["needed"] == "6" and rows[0]["load_flag"] == "over"


def test_output_file_is_written_and_announced_on_stderr(runner: CliRunner, dataset: Path, tmp_path: Path) -> None:
    target = tmp_path / "out" / "abk.csv"
    result = runner.invoke(cli.main, ["workload", str(dataset), "--format", "csv", "-o", str(target), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert f"Written: {target}" in result.stderr
    assert target.read_text().startswith("unit,unit_name,kind,")


def test_check_reports_counts(runner: CliRunner, dataset: Path) -> None:
    result = runner.invoke(cli.main, ["check", str(dataset), "--lang", "en"])
    assert result.exit_code == 0
    assert "Dataset 'Kota Contoh' is valid: 2 employees, 3 units, 2 positions" in result.stdout


def test_invalid_dataset_exits_2_with_every_problem_on_stderr(runner: CliRunner, dataset: Path) -> None:
    (dataset / "employees.csv").write_text(EMPLOYEES.replace("III/b", "III/f").replace("SD01-GK", "SD01-G"))
    result = runner.invoke(cli.main, ["workload", str(dataset), "--lang", "en"])
    assert result.exit_code == ExitCode.INVALID_INPUT == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0].endswith(
        "employees.csv:2:4: NIP 198609262015051001: golongan: 'III/f' is not a golongan; "
        "expected I/a to IV/e (e.g. III/b) or a BKN code 11 to 45"
    )
    assert lines[1].endswith(
        "employees.csv:3:5: NIP 199001012015052002: position: position 'SD01-G' is not defined. Did you mean 'SD01-GK'?"
    )
    assert lines[2] == "2 problems in 1 file; nothing was computed."
    assert "Traceback" not in result.output


def test_missing_dataset_folder(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli.main, ["check", str(tmp_path / "nope")])
    assert result.exit_code == 2
    assert "folder dataset tidak ditemukan" in result.stderr


def test_usage_error_exits_2_in_indonesian(runner: CliRunner, dataset: Path) -> None:
    result = runner.invoke(cli.main, ["workload", str(dataset), "--vew", "unit"])
    assert result.exit_code == 2
    assert "Galat: Opsi '--vew' tidak ada. Mungkin maksud Anda: '--view', '--wke'?" in result.stderr


def test_internal_error_exits_3_without_traceback(
    runner: CliRunner, dataset: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(cli.api, "analyse_workload", broken)
    result = runner.invoke(cli.main, ["workload", str(dataset), "--lang", "en"])
    assert result.exit_code == ExitCode.INTERNAL_ERROR == 3
    assert "Internal error in seimbang" in result.stderr
    assert "RuntimeError: boom" in result.stderr
    assert "Traceback" not in result.stderr


def test_debug_shows_the_traceback(runner: CliRunner, dataset: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """--debug shows the traceback and still exits 3, as documented for internal errors (it exited 1)."""
    monkeypatch.setattr(cli.api, "analyse_workload", lambda *a, **k: 1 / 0)
    result = runner.invoke(cli.main, ["--debug", "workload", str(dataset)])
    assert result.exit_code == ExitCode.INTERNAL_ERROR == 3
    assert "Traceback (most recent call last)" in result.stderr
    assert "ZeroDivisionError: division by zero" in result.stderr


def test_internal_error_advice_names_a_command_line_that_exists(
    runner: CliRunner, dataset: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli.api, "analyse_workload", lambda *a, **k: 1 / 0)
    result = runner.invoke(cli.main, ["workload", str(dataset), "--lang", "en"])
    assert result.exit_code == 3
    assert "Run again as 'seimbang --debug workload ...'" in result.stderr


def test_simulate_has_debug(runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The advice to rerun with --debug works for the simulate command too (it had no such option)."""
    scenario = tmp_path / "s.yaml"
    scenario.write_text("name: x\n")

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(cli.api, "load_scenario", broken)
    result = runner.invoke(cli.simulate, [str(scenario), "--lang", "en"])
    assert result.exit_code == 3
    assert "Run again as 'simulate --debug ...'" in result.stderr
    result = runner.invoke(cli.simulate, ["--debug", str(scenario)])
    assert result.exit_code == 3
    assert "Traceback (most recent call last)" in result.stderr
    assert "RuntimeError: boom" in result.stderr


def test_simulate_checks_the_scenario_file_before_simulating(runner: CliRunner, tmp_path: Path) -> None:
    """The simulation itself is tested in tests/test_simulation_*.py; here: a broken scenario is invalid input."""
    scenario = tmp_path / "s.yaml"
    scenario.write_text("name: x\n")
    result = runner.invoke(cli.simulate, [str(scenario), "--lang", "en"])
    assert result.exit_code == ExitCode.INVALID_INPUT == 2
    assert "required field 'schema_version' is missing" in result.stderr
