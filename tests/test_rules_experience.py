"""What a policy officer meets writing rules: suggestions by meaning, ya/tidak, and why a test is unknown."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_corpus import assert_no_traceback, runner

from decision_support import i18n
from decision_support.cli import main
from decision_support.rules.fact_aliases import ATTRIBUTE_ALIASES, GROUP_ALIASES, did_you_mean_fact
from decision_support.rules.facts import FACTS

ROOT = Path(__file__).resolve().parent.parent

PACK = """\
pack: contoh
version: "2026.1"
title: Aturan contoh
effective_from: 2024-01-01
legal_basis: [PP 94/2021]
owner: BKPSDM
rules:
  - id: tanpa_hukuman
    kind: filter
    title: Tidak sedang menjalani hukuman disiplin
    legal_basis: PP 94/2021
    require: {fact: employee.has_active_sanction, op: eq, value: tidak}
"""
TESTS = """\
defaults:
  context.as_of: 2026-01-01
tests:
  - name: dengan hukuman
    given: {employee.has_active_sanction: ya}
    expect: {eligible: false, failed: [tanpa_hukuman]}
  - name: tanpa hukuman
    given: {employee.has_active_sanction: Tidak}
    expect: {eligible: true, passed: [tanpa_hukuman]}
"""


@pytest.fixture(autouse=True)
def _restore_language() -> Iterator[None]:
    before = i18n.current_language()
    yield
    i18n.set_language(before)


# -- ya/tidak -----------------------------------------------------------------------------------------


def test_ya_tidak_are_booleans_in_packs_and_tests(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Datasets accept ya/tidak (models.base.Flag); rule packs said "expected true or false, got 'tidak'"."""
    (tmp_path / "aturan").mkdir()
    (tmp_path / "aturan" / "contoh.yaml").write_text(PACK, encoding="utf-8")
    (tmp_path / "aturan" / "contoh.test.yaml").write_text(TESTS, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = runner().invoke(main, ["--lang", "en", "rules", "test", "aturan"])
    assert_no_traceback(result)
    assert result.exit_code == 0, result.stderr + result.stdout
    assert "ok      aturan/contoh.test.yaml:4:5  dengan hukuman" in result.stdout
    assert "ok      aturan/contoh.test.yaml:7:5  tanpa hukuman" in result.stdout


def test_other_words_are_still_not_booleans(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "aturan").mkdir()
    (tmp_path / "aturan" / "contoh.yaml").write_text(PACK.replace("value: tidak", "value: mungkin"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = runner().invoke(main, ["--lang", "en", "rules", "check", "aturan"])
    assert result.exit_code == 2
    assert "require.value: expected true or false (or ya/tidak), got 'mungkin'" in result.stderr


# -- suggestions by meaning -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "meant"),
    [
        ("employee.masa_kerja", "employee.years_of_service"),
        ("employee.masa_jabatan", "employee.years_in_position"),
        ("employee.golongan_ruang", "employee.golongan"),
        ("employee.pangkat", "employee.golongan"),
        ("employee.jabatan", "origin.position"),
        ("employee.unit_kerja", "origin.unit"),
        ("tujuan.unit_kerja", "target.unit"),
        ("employee.usia", "employee.age_years"),
        ("employee.umur", "employee.age_years"),
        ("employee.pendidikan", "employee.education_level"),
        ("pegawai.status", "employee.status"),
        ("target.kebutuhan", "target.need"),
        ("employee.masa_kerja_tahun", "employee.years_of_service"),
        # Spelling still works where the words are English.
        ("employee.years_in_posision", "employee.years_in_position"),
    ],
)
def test_unknown_fact_suggestion(written: str, meant: str) -> None:
    i18n.set_language("en")
    assert did_you_mean_fact(written, FACTS) == f"Did you mean '{meant}'?"


def test_every_alias_names_an_existing_fact() -> None:
    """A renamed fact must not leave the aliases pointing nowhere (they would silently stop helping)."""
    attributes = {name.partition(".")[2] for name in FACTS}
    groups = {name.partition(".")[0] for name in FACTS}
    dangling = {alias: meant for alias, meant in ATTRIBUTE_ALIASES.items() if not set(meant) <= attributes}
    assert not dangling
    assert set(GROUP_ALIASES.values()) <= groups


def test_rules_check_suggests_by_meaning(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`employee.masa_kerja` suggested `employee.sex`, the closest spelling."""
    (tmp_path / "aturan").mkdir()
    pack = PACK.replace("employee.has_active_sanction, op: eq, value: tidak", "employee.masa_kerja, op: gte, value: 4")
    (tmp_path / "aturan" / "contoh.yaml").write_text(pack, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = runner().invoke(main, ["--lang", "en", "rules", "check", "aturan"])
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == (
        "aturan/contoh.yaml:12:21: rule tanpa_hukuman: require.fact: unknown fact 'employee.masa_kerja'. "
        "Did you mean 'employee.years_of_service'?"
    )


# -- a test that fails with "unknown" says which rule and which fact ----------------------------------


def test_unknown_verdict_names_the_rule_and_the_missing_fact(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(ROOT / "rules", tmp_path / "rules")
    tests = tmp_path / "rules" / "sawahlunto" / "sawahlunto.test.yaml"
    text = tests.read_text(encoding="utf-8")
    tests.write_text(text.replace("    given: {}", "    given: {move.subject_match: null}", 1), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = runner().invoke(main, ["--lang", "en", "rules", "test", "rules"])
    assert_no_traceback(result)
    assert result.exit_code == 1
    lines = result.stdout.split("FAILED  ", 1)[1].splitlines()
    differences = [line.strip() for line in lines[1:5]]
    assert differences == [
        "- expected verdict eligible, got unknown",
        "- expected score 30.0, got 0.0",
        "- expected rule guru_sesuai_mapel to be pass, got unknown",
        "- rule guru_sesuai_mapel is unknown: the test gives no value for move.subject_match",
    ]
