"""``seimbang plan`` at the edges of issue 10: the move budget, quota rules the optimiser cannot model, and
plans tied to their dataset."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from decision_support import cli
from decision_support.errors import ExitCode

ROOT = Path(__file__).resolve().parents[1]
SAWAHLUNTO = ROOT / "datasets" / "sawahlunto"


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.chdir(tmp_path)
    return CliRunner()


def plan(runner: CliRunner, *args: str):
    return runner.invoke(
        cli.main,
        ["plan", str(SAWAHLUNTO), "--rules", str(ROOT / "rules"), "--engine", "reference", "--lang", "en", *args],
    )


@pytest.mark.parametrize("mode", ["both", "voluntary"])
def test_max_moves_is_a_budget_for_all_stages(runner: CliRunner, mode: str) -> None:
    """Before the fix: 15 moves with --max-moves 5 (mode both), a ValueError with --mode voluntary."""
    result = plan(runner, "--max-moves", "5", "--mode", mode, "-o", "plan.yaml")
    assert result.exit_code == ExitCode.OK, result.output
    written = yaml.safe_load(Path("plan.yaml").read_text(encoding="utf-8"))
    assert 0 < len(written["moves"]) <= 5
    assert written["plan"]["metrics"]["transfers"]["total"] == len(written["moves"])
    assert written["plan"]["options"]["max_moves"] == 5
