"""The voluntary stage: top trading cycles with vacancies (YRMH-IGYT) and the DA* baseline.

Only applicants (employees with ranked wishes) take part; each ranks the eligible positions in their wished
units, all preferred to their current post, and their current post comes next (individual rationality).

*Seats.* A position offers its applicants' seats plus ``vacancies[p]`` free seats (up to its target and the
quota cap). In TTC (Abdulkadiroglu & Sonmez's "you request my house, I get your turn"), every remaining
applicant points to a seat of the best position on their list that still has one (a free seat first, then the
seat of the remaining owner with the highest priority); an owned seat points to its owner; a free seat points to
the remaining applicant with the highest published priority who may leave their post (the quota rule on the
origin's minimum staffing); applicants whose list is exhausted point to their own seat. Every cycle is traded;
a seat left by an applicant who took a free seat becomes free.

*DA\\**: applicant-proposing deferred acceptance in which every position ranks its current holders first, then
everyone by the published priority (France's practice in the literature; planning.md §2.1).
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass

from .instance import Instance


@dataclass(frozen=True)
class Market:
    """The voluntary-exchange market derived from an instance."""

    #: Applicants and their lists (positions better than the current one, most wanted first).
    wishes: dict[int, list[int]]
    #: Free seats per position.
    vacancies: list[int]


def market(instance: Instance) -> Market:
    """Applicants' lists and free seats: up to the target (within the quota cap) where a target exists."""
    holders = instance.holders()
    vacancies = []
    for p, count in enumerate(holders):
        goal = instance.target[p]
        vacancies.append(max(0, min(goal, instance.upper[p]) - count) if goal is not None else 0)
    return Market({e: list(ps) for e, ps in instance.wishes.items() if ps}, vacancies)


def top_trading_cycles(instance: Instance, mkt: Market | None = None, max_moves: int | None = None) -> list[int]:
    """The YRMH-IGYT assignment of the applicants (everyone else stays).

    With ``max_moves``, a cycle whose trade would take the moves past the budget is not traded: its members
    keep their posts and leave the market (the trades already made stay feasible, as every cycle is).
    """
    mkt = mkt or market(instance)
    moves = 0
    assignment = list(instance.current)
    counts = instance.holders()
    free = list(mkt.vacancies)
    remaining = set(mkt.wishes)
    owners: dict[int, set[int]] = {}
    for e in remaining:
        owners.setdefault(instance.current[e], set()).add(e)
    by_priority = sorted(remaining, key=lambda e: (-instance.priority[e], instance.employees[e]))
    while remaining:
        leavers = [
            e
            for e in by_priority
            if e in remaining and counts[instance.current[e]] > instance.lower[instance.current[e]]
        ]
        head = leavers[0] if leavers else None
        # Each applicant's pointer: ("free", p) or ("own", owner).
        points: dict[int, tuple[str, int]] = {}
        for e in remaining:
            # Seats can free up later in the run, so every round reads the whole list again.
            # A free seat is open only while some applicant may leave their post (head); a wish whose only
            # seats are free is then skipped, not the applicant removed (a swap further down still counts).
            p = next((q for q in mkt.wishes[e] if _has_seat(q, free if head is not None else None, owners, e)), None)
            if p is None:
                points[e] = ("own", e)
            elif head is not None and free[p] > 0:
                points[e] = ("free", p)
            else:
                best = min(owners[p] - {e}, key=lambda o: (-instance.priority[o], instance.employees[o]))
                points[e] = ("own", best)
        nxt = {e: (head if kind == "free" else target) for e, (kind, target) in points.items()}
        for cycle in _cycles(nxt):
            size = sum(1 for e in cycle if points[e] != ("own", e))
            if max_moves is not None and moves + size > max_moves:
                for e in cycle:
                    owners[instance.current[e]].discard(e)
                    remaining.discard(e)
                continue
            moves += size
            for e in cycle:
                kind, target = points[e]
                origin = instance.current[e]
                if kind == "own" and target == e:
                    continue
                new = target if kind == "free" else instance.current[target]
                assignment[e] = new
                counts[new] += 1
                counts[origin] -= 1
                if kind == "free":
                    free[new] -= 1
            for e in cycle:
                # The applicant reached from a free seat gave up their seat without a taker: it becomes free.
                taken = any(points[o] == ("own", e) and o != e for o in cycle)
                if not taken and assignment[e] != instance.current[e]:
                    free[instance.current[e]] += 1
                owners[instance.current[e]].discard(e)
                remaining.discard(e)
    return assignment


def _has_seat(p: int, free: list[int] | None, owners: dict[int, set[int]], e: int) -> bool:
    """Does ``p`` still offer ``e`` a seat: a free one (when ``free`` is given) or another applicant's?"""
    return (free is not None and free[p] > 0) or bool(owners.get(p, set()) - {e})


def _cycles(nxt: dict[int, int | None]) -> list[list[int]]:
    """Cycles of the functional graph ``nxt`` (a node pointing to None is on no cycle)."""
    state: dict[int, int] = {}
    found = []
    for start in sorted(nxt):
        path: list[int] = []
        node: int | None = start
        while node is not None and node not in state:
            state[node] = 1
            path.append(node)
            node = nxt[node]
        if node is not None and state.get(node) == 1 and node in path:
            found.append(path[path.index(node) :])
        for v in path:
            state[v] = 2
    return found


def deferred_acceptance_star(instance: Instance, mkt: Market | None = None) -> list[int]:
    """DA* (applicant-proposing, current holders first at their own post)."""
    mkt = mkt or market(instance)
    assignment = list(instance.current)
    applicants = sorted(mkt.wishes, key=lambda e: instance.employees[e])
    lists = {e: [*mkt.wishes[e], instance.current[e]] for e in applicants}
    seats = list(mkt.vacancies)
    for e in applicants:
        seats[instance.current[e]] += 1

    def rank(e: int, p: int) -> tuple[int, float, str]:
        return (0 if instance.current[e] == p else 1, -instance.priority[e], instance.employees[e])

    held: dict[int, list[tuple[tuple[int, float, tuple[int, ...]], int]]] = {}
    nxt = dict.fromkeys(applicants, 0)
    free = list(applicants)
    while free:
        e = free.pop()
        p = lists[e][nxt[e]]
        nxt[e] += 1
        heap = held.setdefault(p, [])
        key = rank(e, p)
        heapq.heappush(heap, ((-key[0], -key[1], _neg(key[2])), e))
        if len(heap) > seats[p]:
            _, out = heapq.heappop(heap)  # the lowest-ranked holder is rejected
            free.append(out)
    for p, heap in held.items():
        for _, e in heap:
            assignment[e] = p
    return assignment


def _neg(text: str) -> tuple[int, ...]:
    """A key that sorts strings in reverse (for a max-heap of ranks)."""
    return (*tuple(-ord(c) for c in text), 0)
