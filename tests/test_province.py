"""The synthetic province generator (scripts/generate_province.py) at a small scale, and the plan's arcs on it.

The generator must be deterministic (same seed: byte-identical files), produce a valid dataset whose 19 local
governments never share a unit, position, kecamatan or NIP; the plan's eligible arcs, built from whole
decision columns, must be exactly the eligible moves of an independent pair-by-pair evaluation.
"""

from __future__ import annotations

import functools
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from decision_support import api
from decision_support.planning.build import build_instance
from decision_support.rules.evaluation import evaluate_pair, get_engine
from decision_support.rules.outcomes import Verdict
from decision_support.rules.service import packs_in_force

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "generate_province.py"
SMALL = ["--scale", "0.2", "--local-governments", "3"]


def _generate(out: Path, seed: int) -> dict[str, bytes]:
    subprocess.run(
        [sys.executable, str(SCRIPT), "-o", str(out), "--seed", str(seed), *SMALL],
        check=True,
        capture_output=True,
    )
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())}


@functools.cache
def _province(tmp: Path) -> Path:
    _generate(tmp, 13)
    return tmp


@pytest.fixture(scope="module")
def province(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _province(tmp_path_factory.mktemp("province"))


def test_all_19_local_governments_with_their_own_names() -> None:
    sys.path.insert(0, str(SCRIPT.parent))
    from generate_province import LOCAL_GOVERNMENTS

    names = [lg.name for lg in LOCAL_GOVERNMENTS]
    assert len(set(names)) == 19 and sum(n.startswith("Kota ") for n in names) == 7
    assert {"Kota Padang", "Kota Solok", "Kabupaten Solok", "Kabupaten Kepulauan Mentawai"} <= set(names)


def test_same_seed_same_bytes_other_seed_other_people(province: Path, tmp_path: Path) -> None:
    first = {p.name: p.read_bytes() for p in sorted(province.iterdir())}
    again = _generate(tmp_path / "again", 13)
    other = _generate(tmp_path / "other", 14)
    assert again == first
    assert other["employees.csv"] != first["employees.csv"]
    assert set(first) >= {"dataset.yaml", "units.yaml", "positions.csv", "employees.csv", "README.md"}


def test_the_province_is_a_valid_dataset_of_separate_local_governments(province: Path) -> None:
    dataset = api.load_dataset(province)
    prefixes = Counter(unit.id.split(".", 1)[0] for unit in dataset.units)
    assert sorted(prefixes) == ["AGAM", "DHARMASRAYA", "MENTAWAI"]
    roots = [unit for unit in dataset.units if unit.parent is None]
    assert len(roots) == 3
    lg_of_unit = {unit.id: unit.id.split(".", 1)[0] for unit in dataset.units}
    for position in dataset.positions:
        assert position.id.split(".", 1)[0] == lg_of_unit[position.unit]
    for employee in dataset.employees:
        assert lg_of_unit[employee.unit] == employee.position.split(".", 1)[0]
        for pref in employee.preferences:  # wishes stay inside the employee's own local government
            assert lg_of_unit[pref.unit] == lg_of_unit[employee.unit]
    kecamatan = {unit.kecamatan for unit in dataset.units if unit.kecamatan}
    assert len(kecamatan) == 3 * 4
    assert len({e.nip for e in dataset.employees}) == len(dataset.employees)


def test_plan_arcs_equal_an_independent_pair_by_pair_screening(province: Path) -> None:
    dataset = api.load_dataset(province)
    report = api.analyse_workload(dataset)
    ruleset = api.check_rules([ROOT / "rules"])
    packs = packs_in_force(ruleset, dataset.as_of)
    built = build_instance(dataset, report, ruleset, packs, engine="reference")
    instance, oracle = built.instance, get_engine("reference")
    by_unit: dict[str, list[int]] = {}
    for i, unit in enumerate(instance.units):
        by_unit.setdefault(unit, []).append(i)
    holders = instance.holders()
    short = [p for p, t in enumerate(instance.target) if t is not None and holders[p] < t]
    surplus = {p for p, t in enumerate(instance.target) if t is not None and holders[p] > t}
    expected: dict[tuple[int, int], float] = {}
    screened = undecided = 0
    for e, employee in enumerate(dataset.employees):
        wished = [p.unit for p in employee.preferences if p.kind.value == "wish"]
        moves = (set(short) if instance.current[e] in surplus else set()) | {p for u in wished for p in by_unit[u]}
        moves.discard(instance.current[e])
        for p in moves:
            plain = evaluate_pair(oracle, packs, built.pairs, employee.nip, instance.positions[p], explain=False)
            screened += 1
            undecided += plain.verdict is Verdict.UNKNOWN
            if plain.verdict is Verdict.ELIGIBLE:
                expected[(e, p)] = plain.score
    assert (built.pairs_screened, built.pairs_undecided) == (screened, undecided)
    # Arcs the hard quota bounds close are dropped after screening; every other eligible move is an arc.
    got = {(a.employee, a.position): a.score for a in instance.arcs}
    assert got.items() <= expected.items()
    assert built.scores == expected
    assert len(expected) > 100 and len(short) > 20


def test_plan_reports_screening_progress_then_solving(province: Path) -> None:
    dataset = api.load_dataset(province)
    report = api.analyse_workload(dataset)
    ruleset = api.check_rules([ROOT / "rules"])
    calls: list[tuple[int, int]] = []
    plan = api.make_plan(dataset, report, ruleset, api.PlanOptions(mode="balance"), progress=lambda *c: calls.append(c))
    total = calls[-1][1]
    assert calls == [(done, total) for done in range(1, total + 1)] and total > 20
    operational = plan.metrics["operational"]
    assert operational["pairs_screened"] > 0 and operational["build_seconds"] > 0
