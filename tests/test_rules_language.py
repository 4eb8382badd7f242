"""The rule language's error messages: every way a rule file can be wrong, with the exact text a user sees.

Each folder under ``tests/rules_corpus/`` is one case (see its README): the rule
files are copied to ``rules/`` in a temporary folder, loaded from there with
:func:`~decision_support.rules.loading.load_rules` in English, and the
:class:`~decision_support.errors.InputError` must render exactly as
``expected.txt``. Cases with ``xfail.txt`` are known bugs whose ``expected.txt``
holds the correct text.

Regenerate golden files deliberately with ``pytest tests/test_rules_language.py
--update-golden`` and read the diff.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from golden import golden_cases

from decision_support import i18n
from decision_support.errors import InputError
from decision_support.rules.evaluation import get_engine
from decision_support.rules.loading import load_rules
from decision_support.rules.testing import run_tests

CORPUS = Path(__file__).parent / "rules_corpus"
CONTROL_FILES = frozenset({"expected.txt", "xfail.txt"})

#: A valid pack: the corpus cases are this pack (and this test file) with one thing broken.
VALID_PACK = """\
pack: contoh
version: "2026.1"
title: Aturan contoh
effective_from: 2024-01-01
legal_basis: [PP 11/2017]
owner: BKPSDM
rules:
  - id: masa_jabatan_minimal
    kind: filter
    title: Minimal 2 tahun di jabatan
    legal_basis: PP 11/2017 Pasal 190(3)
    require: {fact: employee.years_in_position, op: gte, value: 2}
    reasons:
      fail:
        id: "Baru {employee.years_in_position} di jabatan ini; minimal {value} tahun"
        en: "Only {employee.years_in_position} in this post; at least {value} years required"
  - id: rotasi_jatuh_tempo
    kind: score
    title: Lebih dari 5 tahun di jabatan
    legal_basis: PP 11/2017 Pasal 190(3)
    when: {fact: employee.years_in_position, op: gt, value: 5}
    points: 2
  - id: bukan_unit_no
    kind: filter
    title: Bukan unit NO
    legal_basis: Perwako
    require: {fact: target.unit, op: ne, value: "NO"}
"""
VALID_TESTS = """\
tests:
  - name: dua tahun cukup
    as_of: 2026-01-01
    given: {employee.years_in_position: 2, target.unit: DISDIK}
    expect: {eligible: true, passed: [masa_jabatan_minimal]}
  - name: satu tahun belum cukup
    as_of: 2026-01-01
    given: {employee.years_in_position: 1, target.unit: "NO"}
    expect: {eligible: false, failed: [masa_jabatan_minimal, bukan_unit_no]}
  - name: rotasi
    as_of: 2026-01-01
    given: {employee.years_in_position: 6, target.unit: DISDIK}
    expect: {eligible: true, score: 2, passed: [rotasi_jatuh_tempo, bukan_unit_no]}
"""


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    before = i18n.current_language()
    i18n.set_language("en")
    yield
    i18n.set_language(before)


def _case_params() -> list[object]:
    return golden_cases(CORPUS)


def copy_rules(case: Path, tmp_path: Path) -> Path:
    rules = tmp_path / "rules"
    rules.mkdir()
    for source in sorted(case.iterdir()):
        if source.is_file() and source.name not in CONTROL_FILES:
            shutil.copyfile(source, rules / source.name)
    return rules


@pytest.mark.parametrize("case", _case_params())
def test_broken_rules(case: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, update_golden: bool) -> None:
    copy_rules(case, tmp_path)
    monkeypatch.chdir(tmp_path)  # paths show as rules/pack.yaml, as a user in that folder sees them
    with pytest.raises(InputError) as caught:
        load_rules([Path("rules")])
    rendered = caught.value.render() + "\n"
    golden = case / "expected.txt"
    if update_golden and not (case / "xfail.txt").exists():
        golden.write_text(rendered, encoding="utf-8", newline="")
    assert rendered == golden.read_text(encoding="utf-8")


def test_corpus_cases_are_well_formed() -> None:
    cases = [p for p in CORPUS.iterdir() if p.is_dir()]
    assert len(cases) >= 17
    for case in cases:
        assert (case / "expected.txt").is_file(), case.name
        inputs = [p for p in case.iterdir() if p.name not in CONTROL_FILES]
        assert inputs, f"{case.name} has no rule file"
        assert all(p.suffix == ".yaml" for p in inputs), case.name
        expected = (case / "expected.txt").read_text(encoding="utf-8")
        assert expected.endswith("\n") and expected.strip(), case.name
        # Every problem names a file of the case with line and column.
        for line in expected.splitlines():
            if not line.startswith(" "):
                assert line.startswith("rules/") and line.split(":")[1].isdigit(), (case.name, line)


def test_valid_pack_and_tests_load_and_pass(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The baseline the corpus breaks: it loads, and its own tests pass with both engines."""
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "pack.yaml").write_text(VALID_PACK, encoding="utf-8")
    (rules / "pack.test.yaml").write_text(VALID_TESTS, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    ruleset = load_rules([Path("rules")])
    assert [lp.pack.pack for lp in ruleset.packs] == ["contoh"]
    for engine in ("reference", "durable"):
        report = run_tests(ruleset, get_engine(engine))
        assert [r.differences for r in report.results] == [[], [], []], engine
        assert report.coverage == 1.0


def test_problems_of_several_files_are_all_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """One run lists the problems of every file, in file order, so a policy officer fixes all in one pass."""
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "a.yaml").write_text(VALID_PACK.replace("op: gte", "op: gt_eq"), encoding="utf-8")
    other = VALID_PACK.replace("pack: contoh", "pack: lain").replace("kind: score", "kind: scor")
    for rule_id in ("masa_jabatan_minimal", "rotasi_jatuh_tempo", "bukan_unit_no"):
        other = other.replace(f"id: {rule_id}", f"id: lain_{rule_id}")
    (rules / "b.yaml").write_text(other, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InputError) as caught:
        load_rules([Path("rules")])
    heads = [line.split(": ")[0] for line in caught.value.render().splitlines() if not line.startswith(" ")]
    assert heads == ["rules/a.yaml:12:53", "rules/b.yaml:18:11"]
    assert caught.value.summary() == "2 problems in 2 files; nothing was computed."


def test_the_committed_json_schema_is_current() -> None:
    """rules/rule-pack.schema.json (for editors) is what `seimbang rules schema` prints today."""
    import json

    from decision_support.rules.language import rule_pack_schema

    committed = json.loads((Path(__file__).resolve().parent.parent / "rules" / "rule-pack.schema.json").read_text())
    assert committed == rule_pack_schema(), "regenerate: seimbang rules schema -o rules/rule-pack.schema.json"


def test_the_shipped_packs_validate_against_the_schema() -> None:
    import json

    import yaml
    from jsonschema import Draft202012Validator

    root = Path(__file__).resolve().parent.parent
    validator = Draft202012Validator(json.loads((root / "rules" / "rule-pack.schema.json").read_text()))
    for path in (root / "rules").rglob("*.yaml"):
        if path.name.endswith(".test.yaml") or path.name == "calendar.yaml":
            continue
        data = yaml.safe_load(path.read_text())
        data = json.loads(json.dumps(data, default=str))  # dates as text, as editors see them
        assert list(validator.iter_errors(data)) == [], path
