"""Plan metrics (planning.md §7.3): transfers, imbalance before and after, wishes, fairness, distribution."""

from __future__ import annotations

import statistics
from collections import Counter
from typing import Any

from .instance import Instance, distance


def imbalance(instance: Instance, assignment: list[int], *, worst: int = 5) -> dict[str, Any]:
    """Imbalance of the headcounts against the targets, over positions with a positive target."""
    counts = instance.holders(assignment)
    rows = [(p, counts[p], t) for p, t in enumerate(instance.target) if t]
    ratios = [n / t for _, n, t in rows]
    mean = statistics.fmean(ratios) if ratios else 0.0
    cv = statistics.pstdev(ratios) / mean if ratios and mean else 0.0
    outside = [p for p, n, _ in rows if distance(n, instance.low[p], instance.high[p]) > 0]
    worst_rows = sorted(rows, key=lambda r: (-abs(r[1] - r[2]), instance.positions[r[0]]))[:worst]
    return {
        "load_ratio_max": round(max(ratios), 4) if ratios else None,
        "load_ratio_min": round(min(ratios), 4) if ratios else None,
        "l1_deviation": sum(abs(n - t) for _, n, t in rows),
        "sum_of_squares": sum((n - t) ** 2 for _, n, t in rows),
        "cv": round(cv, 4),
        "outside_band": len(outside),
        "worst": [{"position": instance.positions[p], "holders": n, "target": t} for p, n, t in worst_rows],
    }


def wish_rank(instance: Instance, employee: int, position: int) -> int | None:
    """1-based rank of ``position`` on the employee's list (None: not on it)."""
    wishes = instance.wishes.get(employee, [])
    return wishes.index(position) + 1 if position in wishes else None


def _prefers(instance: Instance, employee: int, p: int, q: int) -> bool:
    """Does the applicant prefer ``p`` to ``q`` (list order; the current post right after the list)?"""
    wishes = instance.wishes.get(employee, [])
    order = [*wishes, instance.current[employee]]
    rank = {pos: i for i, pos in enumerate(order)}
    return p in rank and rank[p] < rank.get(q, len(order))


def fairness(instance: Instance, assignment: list[int]) -> dict[str, int]:
    """Justified envy and blocking pairs among applicants, and IR violations of their moves.

    Priority at a position: its current holders first, then the published priority. Applicant ``i`` has
    justified envy at ``p`` when ``i`` prefers ``p`` to their assignment and someone who moved into ``p`` has
    lower priority. A blocking pair is such an (applicant, position) pair, or one where ``p`` is still below its
    target (and quota cap) after the plan.
    """
    counts = instance.holders(assignment)
    newcomers: dict[int, list[int]] = {}
    for e, p in enumerate(assignment):
        if p != instance.current[e]:
            newcomers.setdefault(p, []).append(e)
    envious = blocking = ir = 0
    for i, wishes in instance.wishes.items():
        if assignment[i] != instance.current[i] and not _prefers(instance, i, assignment[i], instance.current[i]):
            ir += 1
        envy = False
        for p in wishes:
            if not _prefers(instance, i, p, assignment[i]):
                break
            lower = any(instance.priority[j] < instance.priority[i] for j in newcomers.get(p, []))
            goal = instance.target[p]
            free = goal is not None and counts[p] < min(goal, instance.upper[p])
            envy = envy or lower
            blocking += lower or free
        envious += envy
    return {"justified_envy": envious, "blocking_pairs": blocking, "ir_violations": ir}


def bound_violations(instance: Instance, assignment: list[int]) -> dict[str, int]:
    """Positions the assignment leaves below their minimum staffing or above their quota cap.

    A position that already broke a bound before the plan counts only if the plan makes it worse.
    """
    before, after = instance.holders(), instance.holders(assignment)
    below = sum(1 for p, n in enumerate(after) if n < min(instance.lower[p], before[p]))
    above = sum(1 for p, n in enumerate(after) if n > max(instance.upper[p], before[p]))
    return {"below_minimum": below, "above_cap": above}


def movement(instance: Instance, assignment: list[int]) -> int:
    """Number of employees not in their current post."""
    return sum(1 for e, p in enumerate(assignment) if p != instance.current[e])


def wishes_summary(instance: Instance, assignment: list[int]) -> dict[str, Any]:
    """Share of applicants satisfied and the wish-rank distribution."""
    applicants = [e for e, ws in instance.wishes.items() if ws]
    ranks = [wish_rank(instance, e, assignment[e]) for e in applicants]
    got = [r for r in ranks if r is not None]
    return {
        "applicants": len(applicants),
        "satisfied": len(got),
        "satisfied_share": round(len(got) / len(applicants), 4) if applicants else 0.0,
        "rank_distribution": {str(r): c for r, c in sorted(Counter(got).items())},
        "mean_rank": round(statistics.fmean(got), 3) if got else None,
        "first_wish": sum(1 for r in got if r == 1),
        "top3": sum(1 for r in got if r <= 3),
    }


def experience_gap(
    instance: Instance, assignment: list[int], years: list[float], hard_to_staff: set[str]
) -> float | None:
    """Mean years of service elsewhere minus in hard-to-staff units (positive: they are less experienced)."""
    inside = [years[e] for e, p in enumerate(assignment) if instance.units[p] in hard_to_staff]
    outside = [years[e] for e, p in enumerate(assignment) if instance.units[p] not in hard_to_staff]
    if not inside or not outside:
        return None
    return round(statistics.fmean(outside) - statistics.fmean(inside), 3)


def hard_to_staff_units(instance: Instance) -> set[str]:
    """Units short of staff against their targets that no applicant wishes to join."""
    counts = instance.holders()
    gap: Counter[str] = Counter()
    for p, t in enumerate(instance.target):
        if t is not None:
            gap[instance.units[p]] += counts[p] - t
    wished = {instance.units[p] for ws in instance.wishes.values() for p in ws}
    return {u for u, g in gap.items() if g < 0 and u not in wished}
