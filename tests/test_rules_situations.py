"""Screening that shares rule outcomes between pairs in the same situation decides exactly like evaluating
every pair on its own.

Property: on random datasets (random subsets of the Sawahlunto ASN, with status, golongan, TMT, spouse and
preferences redrawn), random dates (inside and outside the election calendar, or without one), random
target posts, and random rule packs over the facts of every side (employee, origin, target, derived and
pair-only move facts, quotas, context; ``ref`` comparisons across the two sides; facts often missing) or
the shipped packs, :class:`~decision_support.rules.screening.Screener` gives every pair the verdict and
score of a plain evaluation of that pair's full facts, and names only rules that fail. Mostly on the
reference evaluator (fast), a third of the cases on durable_rules (the product's engine), each checked
against the same engine pair by pair. Deterministic (``derandomize=True``).
"""

from __future__ import annotations

import functools
import random
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from screening_oracle import assert_screens_like_every_pair

from decision_support import api
from decision_support.models import (
    EmploymentStatus,
    Golongan,
    Preference,
    PreferenceKind,
    Reason,
    StatedView,
    ViewKind,
)
from decision_support.rules.checking import typed_packs
from decision_support.rules.evaluation import PairFacts, get_engine
from decision_support.rules.facts import FACTS, FactType
from decision_support.rules.language import RulePack
from decision_support.rules.screening import Need, Screener
from decision_support.rules.situations import Reads

ROOT = Path(__file__).resolve().parent.parent
N, S, B, D, L = FactType.NUMBER, FactType.STRING, FactType.BOOLEAN, FactType.DATE, FactType.STRINGS

#: Facts of every kind screening projects: one side, derived from both sides, pair-only, quotas, context.
UNIVERSE: dict[FactType, list[str]] = {
    N: [
        "employee.years_in_position", "employee.golongan_rank", "employee.months_to_retirement",
        "employee.skp_min_rank_last_2", "origin.holders", "origin.min_staff", "origin.gap", "target.gap",
        "target.formasi", "target.holders", "target.golongan_min_rank", "move.wish_rank",
        "move.golongan_steps_below_band", "move.competency_gap_teknis", "move.competency_fit",
        "quota.target_holders_after", "quota.origin_holders_after", "quota.moves_into_target_unit",
    ],
    S: [
        "employee.status", "employee.golongan", "origin.position_type", "target.position_type", "origin.sector",
        "target.sector", "origin.subject", "target.subject", "move.kind", "employee.spouse_kecamatan", "move.objection_reason",
        "target.kecamatan", "origin.eselon", "target.eselon", "origin.opd", "target.opd",
    ],
    B: [
        "employee.has_active_sanction", "move.same_opd", "move.same_sector", "move.wished", "move.avoided",
        "move.objected", "employee.objects_to_any_move",
        "move.golongan_in_band", "target.leadership", "origin.leadership", "context.pre_election_window",
        "context.mendagri_approval", "move.subject_match", "move.spouse_colocated", "move.same_position_name",
    ],
    D: ["context.as_of", "context.calendar_end"],
    L: ["employee.competencies", "target.required_competencies"],
}  # fmt: skip
OPS: dict[FactType, list[str]] = {
    N: ["eq", "ne", "lt", "lte", "gt", "gte", "between", "in", "not_in"],
    D: ["eq", "ne", "lt", "lte", "gt", "gte", "between"],
    S: ["eq", "ne", "in", "not_in"],
    B: ["eq", "ne"],
    L: ["contains"],
}
REF_OPS = {"eq", "ne", "lt", "lte", "gt", "gte"}
EXAMPLES = 60


@functools.cache
def example() -> tuple[api.Dataset, api.WorkloadReport, api.RuleSet, dict[str, list[Any]]]:
    """The Sawahlunto example, and for each fact of the universe the values its pairs take."""
    dataset = api.load_dataset(ROOT / "datasets" / "sawahlunto")
    report = api.analyse_workload(dataset)
    ruleset = api.check_rules([ROOT / "rules"])
    pairs = PairFacts(dataset, report, dataset.as_of, ruleset.calendar)
    rng = random.Random(14)
    seen: dict[str, set[Any]] = {name: set() for names in UNIVERSE.values() for name in names}
    nips, positions = list(pairs.employees), [p.id for p in dataset.positions]
    for _ in range(400):
        facts = pairs.pair(rng.choice(nips), rng.choice(positions))
        for name, values in seen.items():
            if name in facts:
                value = facts[name]
                values.update(value if isinstance(value, list) else [float(value) if FACTS[name].type is N else value])
    pools = {name: sorted(values, key=repr) for name, values in seen.items()}
    for name, pool in pools.items():
        pool += [v for v in FACTS[name].values if v not in pool]
        if FACTS[name].type is N:
            pool += [0, 1, 2, 3.5]
        if FACTS[name].type is D:
            pool += [dataset.as_of + timedelta(days=d) for d in (-400, -1, 0, 1, 30)]
        if FACTS[name].type is B:
            pool += [True, False]
    return dataset, report, ruleset, pools


def test_the_universe_covers_every_way_screening_projects_a_fact() -> None:
    """One-sided, derived from both sides, pair-only preference and competency facts, quotas, context."""
    assert all(FACTS[name].type is kind for kind, names in UNIVERSE.items() for name in names)
    everything = [name for names in UNIVERSE.values() for name in names]
    groups = {name.split(".")[0] for name in everything}
    assert groups == {"employee", "origin", "target", "move", "quota", "context"}


# -- random rule packs --------------------------------------------------------------------------


def compares(pools: dict[str, list[Any]]) -> st.SearchStrategy[dict[str, Any]]:
    @st.composite
    def draw_compare(draw: st.DrawFn) -> dict[str, Any]:
        kind = draw(st.sampled_from(list(UNIVERSE)))
        name = draw(st.sampled_from(UNIVERSE[kind]))
        op = draw(st.sampled_from([*OPS[kind], "exists", "missing"]))
        if op in ("exists", "missing"):
            return {"fact": name, "op": op}
        if op in REF_OPS and draw(st.integers(0, 3)) == 0:
            return {"fact": name, "op": op, "ref": draw(st.sampled_from(UNIVERSE[kind]))}
        values = st.sampled_from(pools[name])
        if op in ("in", "not_in"):
            return {"fact": name, "op": op, "value": draw(st.lists(values, min_size=1, max_size=4))}
        if op == "between":
            return {"fact": name, "op": op, "value": sorted(draw(st.lists(values, min_size=2, max_size=2)))}
        return {"fact": name, "op": op, "value": draw(values)}

    return draw_compare()


def conditions(pools: dict[str, list[Any]], depth: int = 1) -> st.SearchStrategy[dict[str, Any]]:
    if depth >= 3:
        return compares(pools)
    inner = conditions(pools, depth + 1)
    return st.one_of(
        compares(pools),
        compares(pools),
        st.lists(inner, min_size=1, max_size=3).map(lambda parts: {"all": parts}),
        st.lists(inner, min_size=1, max_size=3).map(lambda parts: {"any": parts}),
        inner.map(lambda part: {"not": part}),
    )


@st.composite
def packs(draw: st.DrawFn, pools: dict[str, list[Any]]) -> list[RulePack]:
    rules = []
    for i in range(draw(st.integers(2, 7))):
        kind = draw(st.sampled_from(["filter", "filter", "score", "quota"]))
        rule: dict[str, Any] = {"id": f"r{i}", "kind": kind, "title": "t", "legal_basis": "test"}
        if draw(st.booleans()):
            rule["when"] = draw(conditions(pools))
        if kind == "score":
            rule["points"] = draw(st.sampled_from([-2, 0.5, 1, 2.5, 10]))
        else:
            rule["require"] = draw(conditions(pools))
        rules.append(rule)
    raw = {
        "pack": "generated",
        "version": "1",
        "title": "generated",
        "effective_from": "2000-01-01",
        "legal_basis": ["test"],
        "owner": "test",
        "rules": rules,
    }
    return typed_packs([RulePack.model_validate(raw)])


# -- random datasets ----------------------------------------------------------------------------


@st.composite
def views(draw: st.DrawFn, nip: str, units: list[str]) -> tuple[StatedView, ...]:
    """Participation views: objections to a unit or to any move, with or without a reason, and a hope."""
    reasons = st.one_of(st.none(), st.sampled_from(list(Reason)))
    out = [
        StatedView(nip=nip, kind=ViewKind.OBJECTION, unit=u, reason=draw(reasons))
        for u in draw(st.lists(st.one_of(st.none(), st.sampled_from(units)), max_size=2, unique=True))
    ]
    if draw(st.booleans()):
        out.append(StatedView(nip=nip, kind=ViewKind.HOPE, note="tetap dekat keluarga"))
    return tuple(out)


@st.composite
def employees(draw: st.DrawFn, dataset: api.Dataset, units: list[str]) -> list[Any]:
    """A random subset of the example's ASN, some of their records redrawn (wishes among ``units``)."""
    chosen = draw(st.lists(st.integers(0, len(dataset.employees) - 1), min_size=15, max_size=40, unique=True))
    out = []
    for index in sorted(chosen):
        employee = dataset.employees[index]
        change: dict[str, Any] = {}
        if draw(st.integers(0, 3)) == 0:
            change["status"] = draw(st.sampled_from(list(EmploymentStatus)))
        if draw(st.integers(0, 3)) == 0:
            change["golongan"] = draw(st.one_of(st.none(), st.sampled_from(list(Golongan))))
        if draw(st.integers(0, 3)) == 0:
            change["tmt_position"] = dataset.as_of - timedelta(days=draw(st.integers(-30, 6000)))
        if draw(st.integers(0, 4)) == 0:
            change["spouse_kecamatan"] = draw(st.sampled_from([None, "Talawi", "Barangin", "Silungkang"]))
        if draw(st.integers(0, 2)) == 0:
            wishes = draw(st.lists(st.sampled_from(units), max_size=3, unique=True))
            change["preferences"] = tuple(
                Preference(nip=employee.nip, kind=PreferenceKind.WISH, unit=u, rank=r) for r, u in enumerate(wishes, 1)
            ) + tuple(
                Preference(nip=employee.nip, kind=PreferenceKind.AVOID, unit=u)
                for u in draw(st.lists(st.sampled_from(units), max_size=2, unique=True))
                if u not in wishes
            )
        if draw(st.integers(0, 3)) == 0:
            change["participation"] = draw(views(employee.nip, units))
        out.append(employee.model_copy(update=change))
    return out


def test_memoised_screening_equals_evaluating_every_pair_on_random_data_and_packs() -> None:
    dataset, report, ruleset, pools = example()
    stats: Counter[str] = Counter()

    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(data=st.data())
    def same(data: st.DataObject) -> None:
        # Every third case on durable_rules (a fixed share, whatever hypothesis draws).
        engine = get_engine("durable" if stats["cases"] % 3 == 2 else "reference")
        stats["cases"] += 1
        day = data.draw(st.sampled_from([dataset.as_of, date(2024, 3, 1), dataset.as_of + timedelta(days=900)]))
        calendar = data.draw(st.sampled_from([ruleset.calendar, None]), label="calendar")
        shipped = data.draw(st.integers(0, 3), label="shipped") == 0
        rule_packs = ruleset.in_force(day) if shipped else data.draw(packs(pools), label="pack")
        if not rule_packs:
            return
        positions = data.draw(st.lists(st.sampled_from(dataset.positions), min_size=2, max_size=5, unique=True))
        # Wishes and avoidances mostly for the units of the posts screened, so that they matter.
        units = [*sorted({p.unit for p in positions}), "DISDIK", "PKM-TALAWI"]
        sample = dataset.model_copy(update={"employees": data.draw(employees(dataset, units), label="employees")})
        pairs = PairFacts(sample, report, day, calendar)
        needs = [Need(p.id, p.name, p.unit, 0, "requested") for p in positions]
        screener = Screener(pairs, rule_packs, engine)
        stats["pairs"] += assert_screens_like_every_pair(screener, needs, engine, rule_packs, pairs, verdicts=stats)
        stats[f"engine {engine.name}"] += 1
        stats["pair groups"] += len(screener.groups)
        for group in screener.groups:
            reads: Reads = group.reads
            stats["groups with derived facts"] += bool(reads.derived)
            stats["groups with preference facts"] += bool(reads.preference)
            stats["groups with competency facts"] += bool(reads.competency)

    same()
    print(f"\nscreening vs every pair: {dict(sorted(stats.items()))}")
    assert stats["pairs"] > 3000
    assert all(stats[v] > 40 for v in ("eligible", "excluded", "unknown")), stats
    assert stats["engine durable"] >= 10
    assert all(stats[f"groups with {kind} facts"] > 20 for kind in ("derived", "preference", "competency")), stats
