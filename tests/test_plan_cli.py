"""``seimbang plan`` from the command line: the plan file, the summary, the frontier, errors, and ``{auto:}``."""

from __future__ import annotations

import json
from itertools import pairwise
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from decision_support import cli
from decision_support.errors import ExitCode

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "docs" / "examples"
CONTOH = EXAMPLES / "contoh"
ATURAN = EXAMPLES / "aturan"


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.chdir(tmp_path)
    return CliRunner()


def plan(runner: CliRunner, *args: str):
    return runner.invoke(cli.main, ["plan", str(CONTOH), "--rules", str(ATURAN), "--lang", "en", *args])


def test_plan_writes_a_loadable_plan_file_and_prints_the_summary(runner: CliRunner) -> None:
    result = plan(runner, "-o", "rencana.yaml")
    assert result.exit_code == ExitCode.OK, result.output
    assert "Transfers: 2 (1 voluntary, 1 forced)" in result.stdout
    assert "Imbalance (sum of squares): 11 -> 9" in result.stdout
    assert "TTC:" in result.stdout and "DA*:" in result.stdout
    assert "Written: rencana.yaml" in result.stderr
    loaded = yaml.safe_load(Path("rencana.yaml").read_text(encoding="utf-8"))
    moves = loaded["moves"]
    assert len(moves) == 2 and all({"nip", "to"} <= set(mv) for mv in moves)
    info = loaded["plan"]
    assert info["schema"] == "seimbang-plan/1"
    assert info["options"]["mode"] == "both" and info["options"]["band"] == 10.0
    metrics = info["metrics"]
    assert metrics["transfers"]["total"] == len(moves) == len(info["details"])
    assert metrics["imbalance_before"]["sum_of_squares"] == 11
    assert metrics["imbalance_after"]["sum_of_squares"] == 9
    assert {d["nip"] for d in info["details"]} == {mv["nip"] for mv in moves}
    assert all(d["rules_passed"] and d["reasons"] for d in info["details"])
    assert [p["pack"] for p in info["provenance"]["packs"]] == ["contoh"]


def test_pareto_prints_a_monotone_frontier_and_writes_one_plan_per_point(runner: CliRunner) -> None:
    result = plan(runner, "--pareto", "--pareto-dir", "frontier")
    assert result.exit_code == ExitCode.OK, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["lambda", "transfers", "forced", "sum", "of", "squares", "L1", "outside", "band"]
    rows = [[int(cell) for cell in line.split()] for line in lines[1:]]
    assert len(rows) >= 2
    lambdas = [r[0] for r in rows]
    transfers = [r[1] for r in rows]
    squares = [r[3] for r in rows]
    assert lambdas == sorted(lambdas)
    # More weight on balance: never fewer transfers, never more imbalance; and a real trade-off.
    assert all(a <= b for a, b in pairwise(transfers))
    assert all(a >= b for a, b in pairwise(squares))
    assert transfers[0] < transfers[-1] and squares[0] > squares[-1]
    written = sorted(Path("frontier").glob("*.yaml"))
    assert sorted(p.name for p in written) == sorted(f"plan-lambda-{lam}.yaml" for lam in lambdas)
    for row in rows:
        loaded = yaml.safe_load(Path(f"frontier/plan-lambda-{row[0]}.yaml").read_text(encoding="utf-8"))
        assert len(loaded["moves"]) == row[1]
        assert loaded["plan"]["metrics"]["imbalance_after"]["sum_of_squares"] == row[3]
    assert not Path("plan.yaml").exists()


def test_max_moves_is_honoured(runner: CliRunner) -> None:
    result = plan(runner, "--max-moves", "1")
    assert result.exit_code == ExitCode.OK, result.output
    loaded = yaml.safe_load(Path("plan.yaml").read_text(encoding="utf-8"))
    assert len(loaded["moves"]) == 1
    assert loaded["plan"]["options"]["max_moves"] == 1
    assert loaded["plan"]["metrics"]["transfers"]["total"] == 1


@pytest.mark.parametrize(
    "args", [["--band", "150"], ["--mode", "sideways"], ["--max-moves", "-1"], ["--lambda", "banyak"]]
)
def test_a_bad_option_value_is_a_usage_error(runner: CliRunner, args: list[str]) -> None:
    result = plan(runner, *args)
    assert result.exit_code == ExitCode.INVALID_INPUT == 2, result.output
    assert "Invalid value" in result.stderr
    assert not Path("plan.yaml").exists()


def test_an_unknown_dataset_exits_2_without_a_traceback(runner: CliRunner) -> None:
    result = runner.invoke(cli.main, ["plan", "tidak-ada", "--rules", str(ATURAN), "--lang", "en"])
    assert result.exit_code == ExitCode.INVALID_INPUT, result.output
    assert "dataset folder not found" in result.stderr
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert not Path("plan.yaml").exists()


AUTO = f"""\
schema_version: 1
name: Rencana otomatis
dataset: {CONTOH}
proposal:
  auto: {{rules: ["{ATURAN}"], mode: both, band: 10, lambda: 100}}
horizon: {{start: 2025-07-07, days: 3}}
replications: 2
seed: 5
criteria:
  - {{kind: max_wait, minutes: 600}}
"""


def test_a_scenario_with_an_auto_proposal_plans_then_simulates(runner: CliRunner) -> None:
    Path("otomatis.yaml").write_text(AUTO, encoding="utf-8")
    result = runner.invoke(cli.simulate, ["otomatis.yaml", "--lang", "en", "--no-html", "-o", "out"])
    assert result.exit_code in (0, 1), result.output
    assert "Verdict:" in result.stdout
    assert "Proposed moves (2):" in result.stdout
    data = json.loads(Path("out/otomatis.json").read_text(encoding="utf-8"))
    assert {(mv["nip"], mv["to_position"], mv["note"]) for mv in data["moves"]} == {
        ("198203142006042002", "GURU-KELAS-SDN01", "balance"),
        ("198506202010011003", "GURU-BIND-SMPN1", "voluntary"),
    }
