"""Local governments (pemda) in one dataset: rules and calendars per local government, moves inside one by default.

The dataset is the synthetic province at a small scale (3 local governments, about 2,000 ASN) with its generated
per-local-government packs and calendars. Expectations are computed from the ids (every unit and position id
starts with its local government's code) and the rule files, never through ``decision_support.rules.local``.
"""

from __future__ import annotations

import functools
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from decision_support import api, cli
from decision_support.errors import ExitCode, InputError
from decision_support.execution import ProcessExecutor, SerialExecutor
from decision_support.rules.outcomes import Outcome, Verdict

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "generate_province.py"
NATIONAL = ROOT / "rules" / "nasional"
PASAL_192 = "PP 11/2017 Pasal 192"
PILKADA_RULE = "larangan_penggantian_pejabat_pilkada"
OFFICIALS = ("jpt", "administrator", "pengawas")


@functools.cache
def _generated(out: Path) -> Path:
    subprocess.run(
        [sys.executable, str(SCRIPT), "-o", str(out), "--scale", "0.2", "--local-governments", "3"],
        check=True,
        capture_output=True,
    )
    return out


@pytest.fixture(scope="module")
def province(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _generated(tmp_path_factory.mktemp("pemda") / "sumbar")


@pytest.fixture(scope="module")
def loaded(province: Path) -> tuple[api.Dataset, api.WorkloadReport]:
    dataset = api.load_dataset(province)
    return dataset, api.analyse_workload(dataset)


@pytest.fixture
def english() -> object:
    with api.language("en"):
        yield


def _lg(identifier: str) -> str:
    return identifier.split(".", 1)[0]


def _rules(province: Path, *extra: Path) -> api.RuleSet:
    return api.check_rules([NATIONAL, province / "rules", *extra])


def _write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_the_dataset_lists_its_local_governments_and_every_unit_has_one(loaded: tuple) -> None:
    dataset, _report = loaded
    assert [(lg.id, lg.kind, lg.root) for lg in dataset.local_governments] == [
        ("AGAM", "kabupaten", "AGAM.PEMKO"),
        ("DHARMASRAYA", "kabupaten", "DHARMASRAYA.PEMKO"),
        ("MENTAWAI", "kabupaten", "MENTAWAI.PEMKO"),
    ]
    assert dataset.unit_local_government == {u.id: _lg(u.id) for u in dataset.units}
    assert dataset.employee_local_government == {e.nip: _lg(e.position) for e in dataset.employees}


def test_moves_stay_inside_the_local_government_by_default(province: Path, loaded: tuple) -> None:
    dataset, report = loaded
    result = api.screen_needs(dataset, report, _rules(province))
    staff = {lg.id: sum(_lg(e.position) == lg.id for e in dataset.employees) for lg in dataset.local_governments}
    holders = {p.id: sum(e.position == p.id for e in dataset.employees) for p in dataset.positions}
    assert {_lg(s.need.position) for s in result.screenings} == set(staff)
    for s in result.screenings:
        candidates = s.eligible + s.unknown + s.excluded
        assert {_lg(c.origin) for c in candidates} == {_lg(s.need.position)}
        assert len(candidates) == staff[_lg(s.need.position)] - holders[s.need.position]
    text = api.render_screening(result, "table", 3, False)
    assert PASAL_192 not in text and "Pemda AGAM:" in text


def test_across_local_governments_every_crossing_move_carries_pasal_192(province: Path, loaded: tuple) -> None:
    dataset, report = loaded
    result = api.screen_needs(dataset, report, _rules(province), across_local_governments=True)
    holders = {p.id: sum(e.position == p.id for e in dataset.employees) for p in dataset.positions}
    crossing_eligible = 0
    for s in result.screenings:
        candidates = s.eligible + s.unknown + s.excluded
        assert len(candidates) == len(dataset.employees) - holders[s.need.position]
        for c in candidates:
            crossing = _lg(c.origin) != _lg(s.need.position)
            assert (result.legal_path(s.need.position, c.nip) is not None) is crossing
            crossing_eligible += crossing and c.verdict is Verdict.ELIGIBLE
    assert crossing_eligible > 0
    data = json.loads(api.render_screening(result, "json", 1000, False))
    for need in data["needs"]:
        shown = need["eligible"] + need["unknown"]
        expected = sorted(c["nip"] for c in shown if _lg(c["origin"]) != need["local_government"])
        assert sorted(x["nip"] for x in need["between_local_governments"]) == expected
        assert all(PASAL_192 in x["legal_path"] for x in need["between_local_governments"])
    assert data["provenance"]["across_local_governments"] is True


def test_a_pack_scoped_to_one_local_government_leaves_the_others_untouched(
    province: Path, loaded: tuple, tmp_path: Path
) -> None:
    """A pack for AGAM whose filter excludes every AGAM employee: AGAM's needs lose every candidate, the other
    local governments' screenings are the same as without the pack."""
    dataset, report = loaded
    closed = _write(
        tmp_path / "tutup",
        "tutup.yaml",
        """pack: tutup_agam
version: "1"
title: Uji
effective_from: "2024-01-01"
local_governments: [AGAM]
legal_basis: [uji]
owner: uji
rules:
  - id: tutup_semua
    kind: filter
    title: Hanya pegawai Dharmasraya
    legal_basis: uji
    require: {fact: employee.local_government, op: eq, value: DHARMASRAYA}
""",
    )
    before = api.screen_needs(dataset, report, _rules(province))
    after = api.screen_needs(dataset, report, _rules(province, closed))
    assert [s.need for s in before.screenings] == [s.need for s in after.screenings]
    changed = 0
    for old, new in zip(before.screenings, after.screenings, strict=True):
        if _lg(new.need.position) == "AGAM":
            assert new.eligible == [] and new.unknown == []
            changed += bool(old.eligible)
        else:
            assert new == old
    assert changed > 0


def _calendar(lg: str | None, election: str | None) -> str:
    """A test calendar (not real dates): an election whose ban window covers the dataset's date 2026-11-01."""
    head = f"region: Uji\n{'local_government: ' + lg + chr(10) if lg else ''}"
    period = 'period: {start: "2024-01-01", end: "2028-12-31"}\n'
    elections = f'elections:\n  - {{candidate_determination: "{election}", term_end: "2027-06-30"}}\n'
    return head + period + (elections if election else "elections: []\n")


def test_each_local_government_reads_its_own_calendar(province: Path, loaded: tuple, tmp_path: Path) -> None:
    """AGAM's own calendar puts 2026-11-01 in the Pilkada ban (6 months before 2027-01-15); the shared calendar
    (for DHARMASRAYA and MENTAWAI) has no election: officials' moves are barred in AGAM only."""
    dataset, report = loaded
    rules = tmp_path / "rules"
    _write(rules / "agam", "calendar.yaml", _calendar("AGAM", "2027-01-15"))
    _write(rules / "shared", "calendar.yaml", _calendar(None, None))
    ruleset = api.check_rules([NATIONAL, rules])
    types = {p.id: p.type.value for p in dataset.positions}
    checked = {}
    for lg in ("AGAM", "DHARMASRAYA"):
        official = next(e for e in dataset.employees if _lg(e.position) == lg and types[e.position] == "pengawas")
        target = next(
            p for p in dataset.positions if _lg(p.id) == lg and types[p.id] == "pengawas" and p.id != official.position
        )
        explanation = api.explain_move(dataset, report, ruleset, official.nip, target.id)
        (result,) = [r for r in explanation.decision.results if r.rule == PILKADA_RULE]
        checked[lg] = result.outcome
    assert checked == {"AGAM": Outcome.FAIL, "DHARMASRAYA": Outcome.NOT_APPLICABLE}
    record = api.screen_needs(dataset, report, ruleset, positions=[target.id]).provenance
    calendars = {x["id"]: x["calendar"]["path"] for x in record.local_governments}
    assert calendars["AGAM"].endswith("agam/calendar.yaml")
    assert calendars["DHARMASRAYA"] == calendars["MENTAWAI"] and calendars["MENTAWAI"].endswith("shared/calendar.yaml")


def test_explain_across_local_governments_only_when_asked(province: Path, loaded: tuple) -> None:
    dataset, _report = loaded
    nip = next(e.nip for e in dataset.employees if _lg(e.position) == "AGAM")
    target = next(p.id for p in dataset.positions if _lg(p.id) == "MENTAWAI")
    rules = ["--rules", str(NATIONAL), "--rules", str(province / "rules")]
    runner = CliRunner()
    refused = runner.invoke(cli.main, ["--lang", "en", "explain", str(province), nip, "--to", target, *rules])
    assert refused.exit_code == ExitCode.INVALID_INPUT
    assert (
        f"NIP {nip} works in local government AGAM and position {target} is in MENTAWAI: moves between local "
        "governments are not screened by default (inside one local government the PPK decides, PP 11/2017 Pasal "
        "191; between two, the Gubernur, Pasal 192). Add --across-local-governments (across_local_governments=True "
        "in the API) to screen it."
    ) in refused.stderr
    args = ["--lang", "en", "explain", str(province), nip, "--to", target, *rules, "--format", "json"]
    asked = runner.invoke(cli.main, [*args, "--across-local-governments"])
    assert asked.exit_code == 0, asked.output
    assert PASAL_192 in json.loads(asked.stdout)["legal_path"]
    table = runner.invoke(cli.main, [*args[:-2], "--across-local-governments"])
    assert "Legal path: between local governments: decided by the Gubernur" in table.stdout


def test_unknown_local_governments_in_rule_files_are_located_errors(province: Path, tmp_path: Path) -> None:
    bad = _write(
        tmp_path / "bad",
        "lokal.yaml",
        """pack: lokal_uji
version: "1"
title: Uji
effective_from: "2024-01-01"
local_governments: [AGAMM]
legal_basis: [uji]
owner: uji
rules:
  - id: uji_skor
    kind: score
    title: Uji
    legal_basis: uji
    when: {fact: target.gap, op: lt, value: 0}
    points: 1
""",
    )
    _write(bad / "kalender", "calendar.yaml", _calendar("MENTAWEI", None))
    result = CliRunner().invoke(
        cli.main,
        ["--lang", "en", "screen", str(province), "--all-needs", "--rules", str(NATIONAL), "--rules", str(bad)],
    )
    assert result.exit_code == ExitCode.INVALID_INPUT
    assert (
        f"{bad / 'lokal.yaml'}:5:21: pack lokal_uji: local government 'AGAMM' is not in the local_governments of "
        "dataset 'Provinsi Sumatera Barat (data sintetis)'. Did you mean 'AGAM'?"
    ) in result.stderr
    assert (
        f"{bad / 'kalender' / 'calendar.yaml'}:2:19: local government 'MENTAWEI' is not in the local_governments of "
        "dataset 'Provinsi Sumatera Barat (data sintetis)'. Did you mean 'MENTAWAI'?"
    ) in result.stderr
    check = CliRunner().invoke(cli.main, ["--lang", "en", "rules", "check", str(bad), "--on", str(province)])
    assert check.exit_code == ExitCode.INVALID_INPUT and "'AGAMM'" in check.stderr and "'MENTAWEI'" in check.stderr


def test_two_calendars_for_one_local_government(province: Path, tmp_path: Path, english: None) -> None:
    extra = _write(tmp_path / "extra", "calendar.yaml", _calendar("MENTAWAI", None))
    with pytest.raises(InputError) as raised:
        api.check_rules([NATIONAL, province / "rules", extra])
    (problem,) = raised.value.problems
    first = province / "rules" / "mentawai" / "calendar.yaml"
    assert problem.message == f"a second calendar for local government MENTAWAI (the first is {first})"
    assert (problem.location.line, problem.location.column) == (2, 19)


def test_a_scoped_pack_on_a_dataset_without_local_governments(tmp_path: Path, english: None) -> None:
    scoped = _write(
        tmp_path,
        "lokal.yaml",
        (ROOT / "rules" / "sawahlunto" / "sawahlunto.yaml")
        .read_text(encoding="utf-8")
        .replace("pack: sawahlunto\n", "pack: sawahlunto\nlocal_governments: [SAWAHLUNTO]\n"),
    )
    dataset = api.load_dataset(ROOT / "datasets" / "sawahlunto")
    with pytest.raises(InputError) as raised:
        api.screen_needs(dataset, api.analyse_workload(dataset), api.check_rules([NATIONAL, scoped]))
    (problem,) = raised.value.problems
    assert problem.message == (
        "local government 'SAWAHLUNTO' is not in dataset 'Kota Sawahlunto (data sintetis)', which lists no "
        "local_governments in dataset.yaml"
    )


def test_dataset_errors_unknown_root_repeated_id_and_units_under_no_root(
    province: Path, tmp_path: Path, english: None
) -> None:
    copy = tmp_path / "ds"
    shutil.copytree(province, copy, ignore=shutil.ignore_patterns("rules"))
    manifest = (copy / "dataset.yaml").read_text(encoding="utf-8")
    (copy / "dataset.yaml").write_text(
        manifest.replace('root: "AGAM.PEMKO"', 'root: "AGAM.PEMK"').replace('- id: "MENTAWAI"', '- id: "AGAM"'),
        encoding="utf-8",
    )
    with pytest.raises(InputError) as raised:
        api.load_dataset(copy)
    rendered = [p.render(snippet=False) for p in raised.value.problems]
    lines = manifest.splitlines()
    root, repeated = lines.index('    root: "AGAM.PEMKO"') + 1, lines.index('  - id: "MENTAWAI"') + 1
    assert rendered == [
        f"{copy / 'dataset.yaml'}:{root}:11: local government AGAM: root unit 'AGAM.PEMK' is not defined in units. "
        "Did you mean 'AGAM.PEMKO'?",
        f"{copy / 'dataset.yaml'}:{repeated}:9: local government AGAM: local government id 'AGAM' is listed twice",
    ]
    # Only two local governments listed: the third one's units are under no root.
    two = manifest[: manifest.index('  - id: "MENTAWAI"')]
    (copy / "dataset.yaml").write_text(two, encoding="utf-8")
    with pytest.raises(InputError) as raised:
        api.load_dataset(copy)
    orphans = [p for p in raised.value.problems if "under none of" in p.message]
    assert len(orphans) == len(raised.value.problems) == sum(1 for _ in _mentawai_units(province))
    assert orphans[0].message == (
        "unit 'MENTAWAI.PEMKO' is under none of the local governments' root units (AGAM.PEMKO, DHARMASRAYA.PEMKO)"
    )


def _mentawai_units(province: Path) -> list[str]:
    return [u.id for u in api.load_dataset(province).units if _lg(u.id) == "MENTAWAI"]


def test_screening_is_the_same_on_one_process_and_on_two_workers(province: Path, loaded: tuple) -> None:
    dataset, report = loaded
    ruleset = _rules(province)
    with SerialExecutor() as serial:
        one = api.screen_needs(dataset, report, ruleset, executor=serial, across_local_governments=True)
    with ProcessExecutor(2, start_method="spawn") as pool:
        two = api.screen_needs(dataset, report, ruleset, executor=pool, across_local_governments=True)
    assert api.render_screening(one, "json", 5, False) == api.render_screening(two, "json", 5, False)
    assert [s.need.position for s in one.screenings] == [s.need.position for s in two.screenings]
