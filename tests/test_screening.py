"""Screening and the rule commands, as a policy officer and a planner use them."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from screening_oracle import assert_screens_like_every_pair

from decision_support import api, cli
from decision_support.rules.evaluation import PairFacts, get_engine
from decision_support.rules.screening import Screener, under_staffed, verdict_changes

ROOT = Path(__file__).resolve().parent.parent
SAWAHLUNTO = ROOT / "datasets" / "sawahlunto"
RULES = ROOT / "rules"


@pytest.fixture(scope="module")
def sawahlunto() -> tuple[api.Dataset, api.WorkloadReport, api.RuleSet]:
    dataset = api.load_dataset(SAWAHLUNTO)
    return dataset, api.analyse_workload(dataset), api.check_rules([RULES])


@pytest.mark.parametrize("engine", ["reference", "durable"])
def test_memoised_screening_decides_exactly_like_evaluating_every_pair(sawahlunto, engine: str) -> None:
    """Sharing outcomes between like situations only skips work: each pair is decided as on its own.

    Every 12th under-staffed post against every ASN (every 9th for durable_rules, whose per-pair
    evaluation is slow), each pair compared with a plain evaluation of all its facts.
    """
    dataset, report, ruleset = sawahlunto
    packs = ruleset.in_force(dataset.as_of)
    pairs = PairFacts(dataset, report, dataset.as_of, ruleset.calendar)
    screener = Screener(pairs, packs, get_engine(engine))
    needs = under_staffed(dataset, report)[::12]
    checked = assert_screens_like_every_pair(
        screener, needs, get_engine(engine), packs, pairs, 1 if engine == "reference" else 9
    )
    assert checked > 3000
    screened = len(needs) * (len(pairs.employees) - 1)
    assert screener.engine_calls * 5 < screened  # outcomes were shared


def test_the_full_example_needs_few_engine_evaluations(sawahlunto) -> None:
    """366,901 pairs, decided with about one engine evaluation per ASN plus the distinct situations."""
    dataset, report, ruleset = sawahlunto
    result = api.screen_needs(dataset, report, ruleset, workers=1)
    assert result.pairs == 366_901
    assert result.engine_calls < 5_000  # the staged screening of before needed 31,561


def test_results_do_not_depend_on_the_number_of_workers(sawahlunto) -> None:
    dataset, report, ruleset = sawahlunto
    needs = [n.position for n in under_staffed(dataset, report)[:16]]
    one = api.screen_needs(dataset, report, ruleset, positions=needs, workers=1)
    two = api.screen_needs(dataset, report, ruleset, positions=needs, workers=2)
    for a, b in zip(one.screenings, two.screenings, strict=True):
        assert [(c.nip, c.score) for c in a.eligible] == [(c.nip, c.score) for c in b.eligible]
        assert [(c.nip, c.excluded_by) for c in a.excluded] == [(c.nip, c.excluded_by) for c in b.excluded]


def test_every_decision_records_pack_version_and_file_hash(sawahlunto) -> None:
    dataset, report, ruleset = sawahlunto
    explanation = api.explain_move(dataset, report, ruleset, "197610102011012115", "SMPN-10.GURU-MTK")
    records = {r.pack: r for r in explanation.provenance.packs}
    assert set(records) == {"nasional", "sawahlunto"}
    for record in records.values():
        assert record.sha256 == hashlib.sha256(Path(record.path).read_bytes()).hexdigest()
    assert explanation.provenance.as_of == dataset.as_of.isoformat()
    assert explanation.provenance.engine == "durable"


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.chdir(ROOT)
    return CliRunner()


def test_rules_check_and_test_pass_on_the_shipped_packs(runner: CliRunner) -> None:
    checked = runner.invoke(cli.main, ["rules", "check", "--lang", "en"])
    assert checked.exit_code == 0, checked.output
    assert "All rule files are valid" in checked.stdout
    tested = runner.invoke(cli.main, ["rules", "test", "--lang", "en"])
    assert tested.exit_code == 0, tested.output
    assert "rule coverage 100%" in tested.stdout


def test_a_failing_rule_test_and_an_empty_test_set_exit_1(runner: CliRunner, tmp_path: Path) -> None:
    folder = tmp_path / "rules"
    shutil.copytree(RULES / "nasional", folder)
    test_file = folder / "nasional.test.yaml"
    text = test_file.read_text()
    test_file.write_text(text.replace("eligible: true", "eligible: false", 1))
    failing = runner.invoke(cli.main, ["rules", "test", str(folder), "--lang", "en"])
    assert failing.exit_code == 1
    assert "FAILED" in failing.stdout and "expected verdict excluded, got eligible" in failing.stdout
    for path in folder.glob("*.test.yaml"):
        path.unlink()
    empty = runner.invoke(cli.main, ["rules", "test", str(folder), "--lang", "en"])
    assert empty.exit_code == 1
    assert "No rule tests found: a run with zero tests fails." in empty.stderr


def test_explain_reads_well_in_indonesian(runner: CliRunner) -> None:
    result = runner.invoke(cli.main, ["explain", str(SAWAHLUNTO), "197610102011012115", "--to", "PKM-KOLOK.PERAWAT"])
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "Pegawai 197610102011012115 (Ulfa Lestari, S.Pd.), kini SMPN-01.GURU-MTK" in out
    assert "[GAGAL] guru_tetap_di_pendidikan" in out
    assert "nilai yang dibaca:" in out and "alasan:" in out
    assert "Putusan: TERSARING" in out


def test_screen_lists_ranked_candidates_with_reasons(runner: CliRunner) -> None:
    result = runner.invoke(
        cli.main, ["screen", str(SAWAHLUNTO), "--need", "SMPN-10.GURU-MTK", "--top", "3", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    (need,) = data["needs"]
    eligible = need["eligible"]
    assert len(eligible) == 3
    assert [c["score"] for c in eligible] == sorted((c["score"] for c in eligible), reverse=True)
    assert all(c["origin"].endswith("GURU-MTK") for c in eligible)  # only maths teachers
    assert all(c["results"] for c in eligible)  # the shown ones are explained
    assert {p["pack"] for p in data["provenance"]["packs"]} == {"nasional", "sawahlunto"}


def test_screen_unknown_position_is_a_located_usage_error(runner: CliRunner) -> None:
    result = runner.invoke(cli.main, ["screen", str(SAWAHLUNTO), "--need", "SMPN-10.GURU-MTKK", "--lang", "en"])
    assert result.exit_code == 2
    assert "position 'SMPN-10.GURU-MTKK' is not in the dataset. Did you mean 'SMPN-10.GURU-MTK'?" in result.stderr
    both = runner.invoke(cli.main, ["screen", str(SAWAHLUNTO), "--lang", "en"])
    assert both.exit_code == 2
    assert "give --need POSITION or --all-needs" in both.stderr


def test_rules_diff_lists_the_candidates_whose_verdict_changes(runner: CliRunner, tmp_path: Path) -> None:
    new = tmp_path / "new"
    shutil.copytree(RULES, new)
    pack = new / "nasional" / "nasional.yaml"
    text = pack.read_text()
    old_rule = "require: {fact: employee.years_in_position, op: gte, value: 2}"
    assert old_rule in text
    pack.write_text(text.replace(old_rule, old_rule.replace("value: 2", "value: 3")))  # minimum tenure 2 -> 3 years
    needs = ["--need", "SMPN-10.GURU-MTK", "--need", "SMPN-11.GURU-IPA"]
    args = ["rules", "diff", str(RULES), str(new), "--on", str(SAWAHLUNTO), *needs, "--format", "json"]
    result = runner.invoke(cli.main, args)
    assert result.exit_code == 0, result.output
    diff = json.loads(result.stdout)
    assert diff["old"]["packs"][0]["sha256"] != diff["new"]["packs"][0]["sha256"]
    assert diff["changes"], "some eligible teachers have 2 to 3 years in post"
    for change in diff["changes"]:
        assert (change["old_verdict"], change["new_verdict"]) == ("eligible", "excluded")
        assert change["new_excluded_by"] == ["masa_jabatan_minimal"]


def test_show_excluded_explains_every_excluded_candidate(runner: CliRunner) -> None:
    args = [
        "screen",
        str(SAWAHLUNTO),
        "--need",
        "SMPN-10.GURU-MTK",
        "--top",
        "2",
        "--show-excluded",
        "--format",
        "json",
    ]
    result = runner.invoke(cli.main, args)
    assert result.exit_code == 0, result.output
    (need,) = json.loads(result.stdout)["needs"]
    excluded = need["excluded"]
    assert len(excluded) > 2000
    assert all(c["score"] == 0 and c["excluded_by"] and c["results"] for c in excluded)


def test_a_pack_without_tests_is_not_covered(runner: CliRunner, tmp_path: Path) -> None:
    shutil.copytree(RULES / "nasional", tmp_path / "nasional")
    untested = tmp_path / "lokal"
    untested.mkdir()
    shutil.copy(RULES / "sawahlunto" / "sawahlunto.yaml", untested / "sawahlunto.yaml")
    result = runner.invoke(cli.main, ["rules", "test", str(tmp_path / "nasional"), str(untested), "--lang", "en"])
    assert result.exit_code == 1
    assert "is below --fail-under 100%" in result.stderr


def test_verdict_changes_equal_the_candidate_by_candidate_comparison(sawahlunto, tmp_path: Path) -> None:
    """``rules diff`` compares verdict columns and builds only the changed candidates: the same changes, in the
    same order, as comparing every candidate of the two screenings (what it did before the lists were compact)."""
    dataset, report, ruleset = sawahlunto
    new = tmp_path / "new"
    shutil.copytree(RULES, new)
    pack = new / "nasional" / "nasional.yaml"
    old_rule = "require: {fact: employee.years_in_position, op: gte, value: 2}"
    pack.write_text(pack.read_text().replace(old_rule, old_rule.replace("value: 2", "value: 4")))
    before = api.screen_needs(dataset, report, ruleset, workers=1)
    after = api.screen_needs(dataset, report, api.check_rules([new]), workers=1)
    found, expected = [], []
    for a, b in zip(before.screenings, after.screenings, strict=True):
        found += [(b.need.position, o, c) for o, c in verdict_changes(a, b)]
        old = {c.nip: c for c in [*a.eligible, *a.unknown, *a.excluded]}
        expected += [
            (b.need.position, old[c.nip], c)
            for c in [*b.eligible, *b.unknown, *b.excluded]
            if old[c.nip].verdict is not c.verdict
        ]
    assert len(expected) > 100
    assert found == expected
