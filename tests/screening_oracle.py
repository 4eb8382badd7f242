"""The oracle screening is checked against: every pair evaluated on its own, in full, no stages, nothing shared."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from decision_support.rules.evaluation import Engine, PairFacts, evaluate_pair
from decision_support.rules.language import RulePack
from decision_support.rules.outcomes import Verdict
from decision_support.rules.screening import Need, Screener, rank
from decision_support.rules.situations import group_rules


def assert_screens_like_every_pair(
    screener: Screener,
    needs: Iterable[Need],
    oracle: Engine,
    packs: list[RulePack],
    pairs: PairFacts,
    step: int = 1,
    verdicts: Counter[str] | None = None,
) -> int:
    """Screen ``needs`` with ``screener`` and check every ``step``-th employee against ``oracle``, pair by pair.

    Verdict and score must be equal. An excluded candidate names at least one rule, and only rules that
    fail; when an employee-only rule excludes them, exactly those that fail. Lists keep their order
    (eligible ranked, the others in dataset order), and :meth:`Screener.screen_pair` agrees. Returns the
    number of pairs compared.
    """
    employee_rules = {r.id for r in group_rules(packs)[0]}
    order = {nip: i for i, nip in enumerate(pairs.employees)}
    checked = 0
    for need in needs:
        screening = screener.screen(need)
        everyone = screening.eligible + screening.unknown + screening.excluded
        got = {c.nip: c for c in everyone}
        movers = [nip for nip, e in pairs.employees.items() if e.position != need.position]
        assert len(everyone) == len(got) and set(got) == set(movers), need.position
        assert all(c.verdict is Verdict.ELIGIBLE for c in screening.eligible)
        assert all(c.verdict is Verdict.UNKNOWN for c in screening.unknown)
        assert screening.eligible == rank(screening.eligible, pairs)
        for listed in (screening.unknown, screening.excluded):
            assert [c.nip for c in listed] == sorted((c.nip for c in listed), key=order.__getitem__)
        for nip in movers[::step]:
            plain = evaluate_pair(oracle, packs, pairs, nip, need.position, explain=False)
            candidate = got[nip]
            where = f"{nip} -> {need.position}: screened {candidate}, per pair {plain}"
            assert (candidate.verdict, candidate.score) == (plain.verdict, plain.score), where
            if plain.verdict is Verdict.EXCLUDED:
                assert candidate.excluded_by and set(candidate.excluded_by) <= set(plain.failed), where
                assert candidate.excluded_by == [r for r in plain.failed if r in candidate.excluded_by], where
                early = [r for r in plain.failed if r in employee_rules]
                assert not early or candidate.excluded_by == early, where
            else:
                assert candidate.excluded_by == [], where
            assert screener.screen_pair(nip, need.position) == candidate, where
            checked += 1
            if verdicts is not None:
                verdicts[plain.verdict.value] += 1
    return checked
