"""The oracle screening is checked against: every pair evaluated on its own, in full, no stages, nothing shared."""

from __future__ import annotations

import pickle
from collections import Counter
from collections.abc import Iterable

from decision_support.rules.candidates import Candidate, CandidateList
from decision_support.rules.evaluation import Engine, PairFacts, evaluate_pair
from decision_support.rules.language import RulePack
from decision_support.rules.outcomes import Verdict
from decision_support.rules.screening import Need, Screener, Screening, rank
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
    (eligible ranked, the others in dataset order), and :meth:`Screener.screen_pair` agrees.

    The compact lists (built when read) are also checked whole: with ``step`` 1 each list holds exactly the
    employees the per-pair evaluation gives that verdict, in the order computed here from those verdicts and
    scores (eligible: score desc, years in post desc, NIP asc; the others in dataset order); each equals the
    list screening built before the lists were compact (every pair's candidate from ``screen_pair``, ranked
    by :func:`rank`), candidate for candidate; ``len``, indexing, slicing and a pickle round trip agree.
    Returns the number of pairs compared.
    """
    employee_rules = {r.id for r in group_rules(packs)[0]}
    order = {nip: i for i, nip in enumerate(pairs.employees)}
    checked = 0
    for need in needs:
        screening = screener.screen(need)
        plain_verdicts: dict[str, tuple[Verdict, float]] = {}
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
            plain_verdicts[nip] = (plain.verdict, plain.score)
            checked += 1
            if verdicts is not None:
                verdicts[plain.verdict.value] += 1
        if step == 1:
            assert_order_of_the_per_pair_verdicts(screening, plain_verdicts, pairs)
        assert_like_the_list_screening(screener, screening, movers, pairs)
    return checked


def assert_order_of_the_per_pair_verdicts(
    screening: Screening, plain: dict[str, tuple[Verdict, float]], pairs: PairFacts
) -> None:
    """Each list's NIPs, in the order computed from the per-pair verdicts and scores alone."""

    def years(nip: str) -> float:
        return float(pairs.employee_side(nip).get("employee.years_in_position", 0.0))

    def having(verdict: Verdict) -> list[str]:
        return [nip for nip in pairs.employees if nip in plain and plain[nip][0] is verdict]  # dataset order

    ranked = sorted(having(Verdict.ELIGIBLE), key=lambda nip: (-plain[nip][1], -years(nip), nip))
    assert [c.nip for c in screening.eligible] == ranked, screening.need.position
    assert [c.nip for c in screening.unknown] == having(Verdict.UNKNOWN), screening.need.position
    assert [c.nip for c in screening.excluded] == having(Verdict.EXCLUDED), screening.need.position


def assert_like_the_list_screening(
    screener: Screener, screening: Screening, movers: list[str], pairs: PairFacts
) -> None:
    """The compact lists equal the plain lists screening returned before (every candidate built, ranked by
    :func:`rank`), and behave like lists."""
    built = [screener.screen_pair(nip, screening.need.position) for nip in movers]
    lists: dict[Verdict, list[Candidate]] = {v: [c for c in built if c.verdict is v] for v in Verdict}
    lists[Verdict.ELIGIBLE] = rank(lists[Verdict.ELIGIBLE], pairs)
    again = pickle.loads(pickle.dumps(screening))
    for verdict in (Verdict.ELIGIBLE, Verdict.UNKNOWN, Verdict.EXCLUDED):
        compact, unpickled, expected = getattr(screening, verdict.value), getattr(again, verdict.value), lists[verdict]
        assert isinstance(compact, CandidateList) and len(compact) == len(expected) == len(unpickled)
        assert compact == expected and expected == list(compact) and list(unpickled) == expected
        assert compact[1:4] == expected[1:4] and compact[::-1] == expected[::-1]
        if expected:
            assert compact[0] == expected[0] and compact[-1] == expected[-1] and expected[-1] in compact
        head = expected[:1]
        assert compact + head == expected + head and head + compact == head + expected  # both sides, as lists
