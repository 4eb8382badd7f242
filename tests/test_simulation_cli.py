"""``simulate SCENARIO`` and ``seimbang simulate``: exit codes by verdict, files written, language, shipped scenarios."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from decision_support import cli
from decision_support.errors import ExitCode

ROOT = Path(__file__).resolve().parents[1]
MINI = ROOT / "tests" / "data" / "mini"

SCENARIO = """\
schema_version: 1
name: Satu analis ke loket KTP
dataset: {mini}
proposal:
  moves:
    - {{nip: "198203142006042002", to: PENGADMIN-KTP, note: dari DISDIK}}
horizon: {{start: 2025-07-07, days: 5}}
absence: {{sick: 0.05}}
replications: 5
seed: 3
criteria:
  - {{kind: service_level_drop, max_points: 5}}
  - {{kind: {extra}}}
"""
LAYAK = SCENARIO.format(mini=MINI, extra="max_wait, minutes: 60")
TIDAK_LAYAK = SCENARIO.format(mini=MINI, extra="max_utilisation, max: 0.05")


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.chdir(tmp_path)
    return CliRunner()


def write(name: str, text: str) -> str:
    Path(name).write_text(text, encoding="utf-8")
    return name


def test_layak_exits_0_prints_the_summary_and_writes_json_csv_html(runner: CliRunner) -> None:
    result = runner.invoke(cli.simulate, [write("loket.yaml", LAYAK), "--lang", "en"])
    assert result.exit_code == ExitCode.OK, result.output
    assert "Verdict: LAYAK" in result.stdout
    assert "LOKET-KTP  Loket Perekaman KTP-el  [customer queue]" in result.stdout
    for suffix in ("json", "csv", "html"):
        assert f"Written: hasil-simulasi/loket.{suffix}" in result.stderr
    data = json.loads(Path("hasil-simulasi/loket.json").read_text(encoding="utf-8"))
    assert data["verdict"]["label"] == "LAYAK"
    wait = data["units"][1]["metrics"]["wait_mean"]
    assert set(wait) == {"baseline", "proposal", "difference", "worse_share"}
    assert len(wait["difference"]["ci"]) == 2
    html = Path("hasil-simulasi/loket.html").read_text(encoding="utf-8")
    assert (
        html.startswith("<!DOCTYPE html>")
        and "<svg" in html
        and "http" not in html.replace("http://www.w3.org/2000/svg", "")
    )
    assert Path("hasil-simulasi/loket.csv").read_text(encoding="utf-8").startswith("scope,entity,metric,")


def test_tidak_layak_exits_1_with_the_failed_criterion(runner: CliRunner) -> None:
    result = runner.invoke(cli.simulate, [write("ketat.yaml", TIDAK_LAYAK), "--lang", "en", "--no-html"])
    assert result.exit_code == ExitCode.NEGATIVE_VERDICT == 1, result.output
    assert "Verdict: TIDAK LAYAK" in result.stdout
    assert "[FAILED] LOKET-KTP (Loket Perekaman KTP-el): utilisation in the proposal is at most" in result.stdout
    assert not Path("hasil-simulasi/ketat.html").exists()


def test_indonesian_by_default_and_options_override_the_scenario(runner: CliRunner) -> None:
    result = runner.invoke(cli.main, ["simulate", write("loket.yaml", LAYAK), "-r", "3", "--seed", "9", "-o", "keluar"])
    assert result.exit_code == 0, result.output
    assert "Putusan: LAYAK" in result.stdout
    data = json.loads(Path("keluar/loket.json").read_text(encoding="utf-8"))
    assert (data["run"]["replications"], data["run"]["seed"]) == (3, 9)


def test_json_on_stdout_is_the_file_and_does_not_depend_on_workers_or_language(runner: CliRunner) -> None:
    scenario = write("loket.yaml", LAYAK)
    one = runner.invoke(cli.simulate, [scenario, "--format", "json", "-j", "1", "--no-html"])
    two = runner.invoke(cli.simulate, [scenario, "--format", "json", "-j", "2", "--lang", "en", "--no-html"])
    assert one.exit_code == two.exit_code == 0
    assert one.stdout == two.stdout == Path("hasil-simulasi/loket.json").read_text(encoding="utf-8")


def test_a_missing_scenario_is_a_usage_error(runner: CliRunner) -> None:
    result = runner.invoke(cli.simulate, ["tidak-ada.yaml", "--lang", "en"])
    assert result.exit_code == 2
    assert "does not exist" in result.stderr


@pytest.mark.parametrize("name", ["disdukcapil-mpp", "disparpora-lebaran", "pemerataan-guru"])
def test_each_shipped_scenario_runs_and_gives_a_verdict(runner: CliRunner, name: str) -> None:
    scenario = str(ROOT / "scenarios" / f"{name}.yaml")
    result = runner.invoke(cli.simulate, [scenario, "--replications", "2", "--lang", "en", "-o", "out"])
    assert result.exit_code in (0, 1), result.output
    assert ("Verdict: LAYAK" in result.stdout) == (result.exit_code == 0)
    assert "Verdict:" in result.stdout and "[95 % CI]" in result.stdout
    assert Path(f"out/{name}.html").is_file()
