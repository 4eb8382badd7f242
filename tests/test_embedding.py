"""seimbang embedded in a long-running host: per-call language, thread-safe screening, one public API,
shipped rule packs, and the import layering (import-linter)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import decision_support
from decision_support import api, i18n

ROOT = Path(__file__).resolve().parent.parent
NEEDS = ["PKM-TALAWI.BIDAN", "DISDUKCAPIL.PENGADMIN-UMUM", "LOKET-DUKCAPIL.OPERATOR-DUKCAPIL"]


@pytest.fixture(scope="module")
def sawahlunto() -> tuple[api.Dataset, api.WorkloadReport]:
    data = api.load_dataset(ROOT / "datasets" / "sawahlunto")
    return data, api.analyse_workload(data)


# -- language per call ------------------------------------------------------------------------


def test_language_is_scoped_to_the_with_block() -> None:
    with api.language("en"):
        assert i18n._("Usage:") == "Usage:"
        with api.language("id"):
            assert i18n._("Usage:") == "Penggunaan:"
        assert api.current_language() == "en"


def test_two_languages_at_once_in_threads_never_mix(sawahlunto) -> None:
    """An Indonesian and an English request served at the same time: each gets only its language."""
    _data, report = sawahlunto
    expected = {}
    for code in ("id", "en"):
        with api.language(code):
            expected[code] = api.render_workload(report, view="opd")
    assert expected["id"] != expected["en"]
    barrier = threading.Barrier(2)

    def serve(code: str) -> list[str]:
        with api.language(code):
            barrier.wait()
            return [api.render_workload(report, view="opd") for _ in range(15)]

    with ThreadPoolExecutor(2) as pool:
        results = {code: pool.submit(serve, code) for code in ("id", "en")}
        for code, future in results.items():
            assert all(text == expected[code] for text in future.result()), code


def test_a_thread_does_not_inherit_another_threads_language(monkeypatch) -> None:
    monkeypatch.delenv(i18n.ENV_VAR, raising=False)
    seen = []
    with api.language("en"):
        thread = threading.Thread(target=lambda: seen.append(api.current_language()))
        thread.start()
        thread.join()
    assert seen == ["id"]


def test_click_keeps_its_own_english_outside_a_seimbang_call() -> None:
    """The CLI routes click's messages through seimbang; a host's own click app stays untouched."""
    from click.testing import CliRunner

    from decision_support.cli import main

    assert "Penggunaan:" in CliRunner().invoke(main, ["--help"]).output
    import contextvars

    import click.core

    # A host's own context (a fresh one: no seimbang call chose a language there).
    assert contextvars.Context().run(click.core._, "Usage:") == "Usage:"
    with api.language("id"):
        assert click.core._("Usage:") == "Penggunaan:"


# -- thread-safe screening --------------------------------------------------------------------


def test_screening_from_several_threads_equals_the_sequential_result(sawahlunto) -> None:
    """Calls with different rule sets at once: each result is its own call's, as run one after another."""
    data, report = sawahlunto
    rulesets = [api.check_rules(), api.check_rules([ROOT / "rules" / "nasional"])]

    def screen(ruleset: api.RuleSet) -> str:
        with api.language("en"):
            return api.render_screening(api.screen_needs(data, report, ruleset, positions=NEEDS, workers=1), "json")

    sequential = [screen(ruleset) for ruleset in rulesets]
    assert sequential[0] != sequential[1]  # the two rule sets decide differently: mixing them would show
    with ThreadPoolExecutor(4) as pool:
        concurrent = list(pool.map(screen, rulesets * 2))
    assert concurrent == sequential * 2


# -- one public API ---------------------------------------------------------------------------


def test_the_package_exports_exactly_the_public_api() -> None:
    assert decision_support.__all__ == api.__all__
    assert all(getattr(decision_support, name) is getattr(api, name) for name in api.__all__)


def test_import_contracts_hold() -> None:
    result = subprocess.run(
        [shutil.which("lint-imports") or "lint-imports", "--no-cache"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_import_contracts_catch_a_cli_reaching_past_the_api_and_a_stage_importing_the_api(tmp_path) -> None:
    """The contracts are not vacuous: the two violations the old architecture test missed are caught."""
    shutil.copytree(ROOT / "decision_support", tmp_path / "decision_support", ignore=shutil.ignore_patterns("locale"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    cli_rules = tmp_path / "decision_support" / "cli_rules.py"
    cli_rules.write_text(cli_rules.read_text() + "\nfrom .models import Dataset  # noqa\n")
    facts = tmp_path / "decision_support" / "rules" / "facts.py"
    facts.write_text(facts.read_text() + "\nfrom .. import api  # noqa\n")
    env = {"PYTHONPATH": str(tmp_path), "PATH": str(Path(sys.executable).parent)}
    result = subprocess.run(["lint-imports", "--no-cache"], cwd=tmp_path, capture_output=True, text=True, env=env)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "decision_support.cli_rules -> decision_support.models" in result.stdout
    assert "decision_support.rules.facts -> decision_support.api" in result.stdout.replace("\n", " ")


# -- shipped rule packs, and pointing elsewhere -----------------------------------------------


def test_default_rules_are_the_shipped_packs(monkeypatch) -> None:
    monkeypatch.delenv(api.RULES_ENV_VAR, raising=False)
    assert api.default_rule_paths() == [api.shipped_path("rules")]
    assert {p.pack.pack for p in api.check_rules().packs} >= {"nasional", "sawahlunto"}
    assert api.rule_pack_schema_path().is_file()
    assert (api.example_dataset() / "dataset.yaml").is_file()


def test_seimbang_rules_points_elsewhere(monkeypatch, tmp_path) -> None:
    shutil.copytree(ROOT / "rules" / "nasional", tmp_path / "only-national")
    monkeypatch.setenv(api.RULES_ENV_VAR, str(tmp_path / "only-national"))
    assert {p.pack.pack for p in api.check_rules().packs} == {"nasional"}
    # An explicit argument wins over the environment.
    assert {p.pack.pack for p in api.check_rules([ROOT / "rules"]).packs} >= {"nasional", "sawahlunto"}


def test_cli_uses_seimbang_rules_from_another_directory(monkeypatch, tmp_path) -> None:
    from click.testing import CliRunner

    from decision_support.cli import main

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(api.RULES_ENV_VAR, str(ROOT / "rules" / "nasional"))
    result = CliRunner().invoke(main, ["rules", "check", "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "nasional" in result.output and "sawahlunto" not in result.output
    monkeypatch.setenv(api.RULES_ENV_VAR, str(tmp_path / "missing"))
    result = CliRunner().invoke(main, ["rules", "check", "--lang", "en"])
    assert result.exit_code == 2
    assert "missing: no such file or folder" in result.output
