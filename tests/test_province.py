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
from decision_support.rules.evaluation import PairFacts, evaluate_pair, get_engine
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
    return _files(out)


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


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
    first = _files(province)
    again = _generate(tmp_path / "again", 13)
    other = _generate(tmp_path / "other", 14)
    assert again == first
    assert other["employees.csv"] != first["employees.csv"]
    assert set(first) >= {"dataset.yaml", "units.yaml", "positions.csv", "employees.csv", "README.md"}
    for code in ("agam", "dharmasraya", "mentawai"):
        assert {f"rules/{code}/{code}.yaml", f"rules/{code}/calendar.yaml"} <= set(first)


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


def _own_rules(province: Path, packs: list, ruleset: api.RuleSet, lg: str) -> tuple[list, object]:
    """The packs and calendar of local government ``lg``, chosen from the files (not through rules/local.py)."""
    mine = [p for p in packs if p.pack in ("nasional", f"lokal_{lg.lower()}")]
    path = str(province / "rules" / lg.lower() / "calendar.yaml")
    calendar = next(c.calendar for c in ruleset.calendars if Path(c.path).resolve() == Path(path).resolve())
    return mine, calendar


@pytest.mark.parametrize("across", [False, True], ids=["inside", "across"])
def test_plan_arcs_equal_an_independent_pair_by_pair_screening(province: Path, across: bool) -> None:
    """Every eligible move the plan may make, against a pair-by-pair evaluation of the moves that can matter with
    the packs and the calendar of the target's local government (read from the ids' prefixes and the files);
    without ``across`` only moves inside the employee's own local government."""
    dataset = api.load_dataset(province)
    report = api.analyse_workload(dataset)
    ruleset = api.check_rules([ROOT / "rules" / "nasional", province / "rules"])
    packs = packs_in_force(ruleset, dataset.as_of)
    built = build_instance(dataset, report, ruleset, packs, engine="reference", across_local_governments=across)
    instance, oracle = built.instance, get_engine("reference")
    lg_of = [p.split(".", 1)[0] for p in instance.positions]
    own = {lg: _own_rules(province, packs, ruleset, lg) for lg in set(lg_of)}
    facts = {lg: PairFacts(dataset, report, dataset.as_of, calendar) for lg, (_p, calendar) in own.items()}
    by_unit: dict[str, list[int]] = {}
    for i, unit in enumerate(instance.units):
        by_unit.setdefault(unit, []).append(i)
    holders = instance.holders()
    short = [p for p, t in enumerate(instance.target) if t is not None and holders[p] < t]
    surplus = {p for p, t in enumerate(instance.target) if t is not None and holders[p] > t}
    expected: dict[tuple[int, int], float] = {}
    screened = undecided = crossing = 0
    for e, employee in enumerate(dataset.employees):
        wished = [p.unit for p in employee.preferences if p.kind.value == "wish"]
        moves = (set(short) if instance.current[e] in surplus else set()) | {p for u in wished for p in by_unit[u]}
        moves.discard(instance.current[e])
        for p in moves:
            lg = lg_of[p]
            if lg != lg_of[instance.current[e]]:
                if not across:
                    continue
                crossing += 1
            plain = evaluate_pair(oracle, own[lg][0], facts[lg], employee.nip, instance.positions[p], explain=False)
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
    assert (crossing > 0) is across


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
