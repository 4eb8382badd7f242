"""Quota rules the model does not encode: learned constraints reach the optimum under the rule (brute force),
and ``seimbang plan`` with such a rule pack plans within it instead of crashing."""

from __future__ import annotations

import itertools
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from test_planning import feasible, random_instance

from decision_support import cli
from decision_support.errors import ExitCode
from decision_support.planning.balance import plan_cost, solve_balance
from decision_support.planning.cuts import Cut, fact_values, learn_cut
from decision_support.planning.instance import Instance
from decision_support.planning.quotas import LOWER_FACT, UNIT_IN_FACT

ROOT = Path(__file__).resolve().parents[1]
Pair = tuple[int, int]
#: (name, the facts it reads, does it pass for a move when one quota fact takes a value)
Rule = tuple[str, str, Callable[[Instance, Pair, str, int], bool]]

RULES: list[Rule] = [
    # "at most one move into each unit U0" (a quota rule with a when on the target unit)
    ("one_into_u0", UNIT_IN_FACT, lambda i, m, f, v: not (i.units[m[1]] == "U0" and f == UNIT_IN_FACT and v > 1)),
    # "a post of unit U1 keeps at least 2 holders when someone leaves it" (a when on the origin unit)
    (
        "two_stay_in_u1",
        LOWER_FACT,
        lambda i, m, f, v: not (i.units[i.current[m[0]]] == "U1" and f == LOWER_FACT and v < 2),
    ),
]


def breaks(instance: Instance, rule: Rule, moves: set[Pair]) -> list[Pair]:
    """The moves the rule rejects when all ``moves`` happen together (the rule read on the plan's facts)."""
    _, fact, passes = rule
    return [m for m in moves if not passes(instance, m, fact, fact_values(instance, moves, m)[fact])]


def moves_of(instance: Instance, assignment: list[int]) -> set[Pair]:
    return {(e, p) for e, p in enumerate(assignment) if p != instance.current[e]}


def screened(instance: Instance, rule: Rule) -> Instance:
    """Without the arcs the rule rejects even as the only move (as the screening of the real planner does)."""
    _, fact, passes = rule
    kept = [a for a in instance.arcs if passes(instance, (a.employee, a.position), fact, _alone(instance, a, fact))]
    return Instance(**{**instance.__dict__, "arcs": kept})


def _alone(instance: Instance, arc, fact: str) -> int:
    pair = (arc.employee, arc.position)
    return fact_values(instance, {pair}, pair)[fact]


def plan_with_lazy_cuts(instance: Instance, rule: Rule, lam: int) -> tuple[int, list[Cut]]:
    name, fact, passes = rule
    cuts: list[Cut] = []
    for _round in range(50):
        result = solve_balance(instance, lam=lam, cuts=cuts)
        moves = moves_of(instance, result.assignment)
        rejected = breaks(instance, rule, moves)
        if not rejected:
            return result.objective, cuts
        for m in rejected:
            cut = learn_cut(instance, name, fact, moves, m, lambda pair, f, v: passes(instance, pair, f, v))
            assert not cut.holds(moves)  # every learned constraint cuts off the plan that broke the rule
            cuts.append(cut)
    raise AssertionError("no convergence")


def brute_force_under(instance: Instance, rule: Rule, lam: int) -> int:
    options = instance.arcs_by_employee()
    choices = [[instance.current[e]] + [a.position for a in options.get(e, [])] for e in range(len(instance.employees))]
    return min(
        plan_cost(instance, list(a), lam)
        for a in itertools.product(*choices)
        if feasible(instance, list(a)) and not breaks(instance, rule, moves_of(instance, list(a)))
    )


@pytest.mark.parametrize("rule", RULES, ids=[r[0] for r in RULES])
@pytest.mark.parametrize("seed", range(30))
def test_learned_constraints_reach_the_optimum_under_the_rule(seed: int, rule: Rule) -> None:
    instance = screened(random_instance(seed, employees=7, positions=4), rule)
    objective, cuts = plan_with_lazy_cuts(instance, rule, 30)
    assert all(cut.exact for cut in cuts)
    assert objective == brute_force_under(instance, rule, 30)


PUSKESMAS_PACK = {
    "pack": "satu_per_puskesmas",
    "version": "1",
    "title": "Satu mutasi masuk per puskesmas",
    "effective_from": "2024-01-01",
    "legal_basis": ["Kebijakan uji"],
    "owner": "BKPSDM",
    "description": "Paling banyak satu mutasi masuk ke setiap puskesmas.",
    "rules": [
        {
            "id": "satu_mutasi_masuk_per_puskesmas",
            "kind": "quota",
            "title": "Paling banyak satu mutasi masuk ke setiap puskesmas",
            "legal_basis": "Kebijakan uji",
            "when": {"fact": "target.unit_kind", "op": "eq", "value": "puskesmas"},
            "require": {"fact": "quota.moves_into_target_unit", "op": "lte", "value": 1},
        }
    ],
}


@pytest.fixture
def puskesmas_rules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "aturan"
    for pack in ("nasional", "sawahlunto"):
        shutil.copytree(ROOT / "rules" / pack, folder / pack, ignore=shutil.ignore_patterns("*.test.yaml"))
    (folder / "puskesmas.yaml").write_text(yaml.safe_dump(PUSKESMAS_PACK), encoding="utf-8")
    return folder


def plan(rules: Path, *args: str):
    sawahlunto = str(ROOT / "datasets" / "sawahlunto")
    options = ["--rules", str(rules), "--engine", "reference", "--lang", "en", *args]
    return CliRunner().invoke(cli.main, ["plan", sawahlunto, *options])


def test_plan_keeps_a_quota_rule_with_a_when(puskesmas_rules: Path) -> None:
    """Before the fix: exit 3, "RuntimeError: the plan still breaks a rule after the repairs"."""
    result = plan(puskesmas_rules, "-o", "plan.yaml")
    assert result.exit_code == ExitCode.OK, result.output
    written = yaml.safe_load(Path("plan.yaml").read_text(encoding="utf-8"))
    units = {p["id"]: p["unit"] for p in _positions()}
    into = [units[m["to"]] for m in written["moves"]]
    puskesmas = {u for u in into if u.startswith("PKM-")}
    assert puskesmas and all(into.count(u) == 1 for u in puskesmas)
    operational = written["plan"]["metrics"]["operational"]
    assert operational["learned_constraints"] > 0 and operational["status"] == "optimal"
    details = written["plan"]["details"]
    assert all("satu_mutasi_masuk_per_puskesmas" in d["rules_passed"] for d in details if d["to"].startswith("PKM"))


def _positions() -> list[dict]:
    import csv

    with open(ROOT / "datasets" / "sawahlunto" / "positions.csv", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_a_plan_the_rules_do_not_allow_is_a_result_naming_the_rule(
    puskesmas_rules: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With no rounds to learn in, the planner says which rule it could not satisfy: exit 1, no file."""
    monkeypatch.setattr("decision_support.planning.plan.MAX_REPAIRS", 0)
    result = plan(puskesmas_rules, "-o", "plan.yaml")
    assert result.exit_code == ExitCode.NEGATIVE_VERDICT, result.output
    assert "satu_mutasi_masuk_per_puskesmas" in result.stderr and "Traceback" not in result.output
    assert not Path("plan.yaml").exists()


def test_only_a_monotone_single_fact_rule_makes_exact_constraints() -> None:
    from decision_support.planning.quotas import monotone_quota_fact
    from decision_support.rules.language import Rule

    def rule(**parts: object) -> Rule:
        return Rule.model_validate({"id": "r", "kind": "quota", "title": "t", "legal_basis": "b", **parts})

    into = {"fact": "quota.moves_into_target_unit", "op": "lte", "value": 1}
    puskesmas = {"fact": "target.unit_kind", "op": "eq", "value": "puskesmas"}
    assert monotone_quota_fact(rule(when=puskesmas, require=into)) == "quota.moves_into_target_unit"
    assert monotone_quota_fact(rule(require={"not": into})) is None
    assert monotone_quota_fact(rule(require={"any": [into, puskesmas]})) is None
    two = {"all": [into, {"fact": "quota.target_holders_after", "op": "lte", "value": 3}]}
    assert monotone_quota_fact(rule(require=two)) is None
    assert (
        monotone_quota_fact(rule(when={"fact": "quota.target_holders_after", "op": "gt", "value": 2}, require=into))
        is None
    )
