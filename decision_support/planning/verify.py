"""Check every move of a plan with the rule engine, quota facts computed for the whole plan."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from ..rules.evaluation import PairFacts, get_engine
from ..rules.facts import quota_facts
from ..rules.language import RulePack
from ..rules.outcomes import Decision, Verdict, decide


@dataclass(frozen=True)
class CheckedMove:
    """One move and the engine's full decision on it (in the context of the whole plan)."""

    nip: str
    origin: str
    target: str
    decision: Decision

    @property
    def ok(self) -> bool:
        return self.decision.verdict is Verdict.ELIGIBLE


def plan_quota_facts(pairs: PairFacts, moves: list[tuple[str, str]]) -> dict[str, dict]:
    """``quota.*`` facts of each move (by NIP) when all ``moves`` (nip, target position) happen together."""
    ctx = pairs.ctx
    counts = Counter(ctx.holders)
    unit_in: Counter[str] = Counter()
    unit_out: Counter[str] = Counter()
    for nip, target in moves:
        origin = pairs.employee(nip).position
        counts[origin] -= 1
        counts[target] += 1
        unit_in[ctx.positions[target].unit] += 1
        unit_out[ctx.positions[origin].unit] += 1
    out = {}
    for nip, target in moves:
        origin = pairs.employee(nip).position
        out[nip] = quota_facts(
            origin_after=counts[origin],
            target_after=counts[target],
            into_target_unit=unit_in[ctx.positions[target].unit],
            out_of_origin_unit=unit_out[ctx.positions[origin].unit],
        )
    return out


#: The pair facts and packs that decide a move into a position (its local government's).
ScopeOf = Callable[[str], tuple[PairFacts, list[RulePack]]]


def check_moves(
    pairs: PairFacts,
    packs: list[RulePack],
    engine: str,
    moves: list[tuple[str, str]],
    scope_of: ScopeOf | None = None,
    memo: dict[tuple, CheckedMove] | None = None,
) -> list[CheckedMove]:
    """Every rule (filters, quotas, scores) for every move, with reasons; with ``scope_of``, each move with the
    facts and packs of its target's local government (the quota facts always count the whole plan).

    ``memo`` keeps checks between calls on the same pair facts and packs: a move is decided by its own facts,
    which do not change, and its quota facts, which are part of the key.
    """
    rule_engine = get_engine(engine)
    quotas = plan_quota_facts(pairs, moves)
    memo = {} if memo is None else memo
    checked = []
    for nip, target in moves:
        key = (nip, target, *sorted(quotas[nip].items()))
        found = memo.get(key)
        if found is None:
            local, chosen = scope_of(target) if scope_of is not None else (pairs, packs)
            facts = local.pair(nip, target, quotas[nip])
            decision = decide(chosen, rule_engine.evaluate(chosen, facts), facts)
            found = memo[key] = CheckedMove(nip, pairs.employee(nip).position, target, decision)
        checked.append(found)
    return checked
