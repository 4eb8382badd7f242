"""The Pareto view: sweep the imbalance weight and show transfers against imbalance."""

from __future__ import annotations

from dataclasses import dataclass

from .balance import solve_balance
from .instance import Instance
from .metrics import imbalance, movement

#: Imbalance weights swept by default (0: nobody moves; large: as balanced as the rules allow).
DEFAULT_LAMBDAS = (0, 5, 20, 50, 100, 200, 500, 1000)


@dataclass(frozen=True)
class ParetoPoint:
    """One solve of the sweep."""

    lam: int
    transfers: int
    sum_of_squares: int
    l1_deviation: int
    outside_band: int
    seconds: float
    assignment: list[int]


def sweep(
    instance: Instance, lambdas: tuple[int, ...] = DEFAULT_LAMBDAS, max_moves: int | None = None
) -> list[ParetoPoint]:
    """One balance solve per weight; dominated points (more transfers, no less imbalance) are dropped."""
    points = []
    for lam in lambdas:
        result = solve_balance(instance, lam=lam, max_moves=max_moves)
        stats = imbalance(instance, result.assignment)
        points.append(
            ParetoPoint(
                lam,
                movement(instance, result.assignment),
                stats["sum_of_squares"],
                stats["l1_deviation"],
                stats["outside_band"],
                result.seconds,
                result.assignment,
            )
        )
    frontier: list[ParetoPoint] = []
    for p in sorted(points, key=lambda p: (p.transfers, p.sum_of_squares, p.lam)):
        if not frontier or p.sum_of_squares < frontier[-1].sum_of_squares:
            frontier.append(p)
    return frontier
