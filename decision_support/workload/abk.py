"""Analisis Beban Kerja (ABK): workload, required staff and efisiensi jabatan (EJ).

Formulas (PermenPAN-RB 1/2020; Permendagri 12/2008 Form C and D)::

    workload [min/yr]   = sum over tasks of volume [outputs/yr] x norma_waktu [min/output]
    required staff (FTE) = workload / WKE            WKE = effective working hours x 60
    EJ                   = workload / (holders x WKE)

EJ direction: EJ above 1 means the holders have more work than their effective
working time (overloaded, short of staff); EJ below 1 means spare capacity. The
band letters follow the commonly cited Permendagri 12/2008 table (A > 1.00,
B 0.90-1.00, C 0.70-0.89, D 0.50-0.69, E < 0.50), configurable in dataset.yaml.

Everything here is a pure function of validated models.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from ..models import Dataset, EjBand, Position, Unit, UnitKind


@dataclass(frozen=True)
class PositionWorkload:
    """ABK result for one position (one row of Form D)."""

    position: str
    position_name: str
    unit: str
    opd: str
    workload_hours: float
    fte: float
    required: int
    formasi: int
    holders: int
    #: holders - required: negative is a shortage (kekurangan), positive a surplus (kelebihan).
    gap: int
    #: None when nobody holds the position (a vacancy has no efficiency).
    ej: float | None
    band: str | None


@dataclass(frozen=True)
class UnitWorkload:
    """ABK result summed over the positions of one unit (or one OPD with its sub-units)."""

    unit: str
    unit_name: str
    kind: str
    positions: int
    workload_hours: float
    fte: float
    required: int
    formasi: int
    holders: int
    gap: int
    ej: float | None
    band: str | None


@dataclass(frozen=True)
class PositionWithoutAbk:
    """A non-teaching position with holders but no ABK lines: its workload is unknown, not zero."""

    position: str
    position_name: str
    unit: str
    holders: int


def positions_without_abk(dataset: Dataset) -> list[PositionWithoutAbk]:
    """Held positions that the ABK analysis cannot cover (teachers are counted by JTM instead)."""
    with_abk = {task.position for task in dataset.workload}
    holders = holders_by_position(dataset)
    return [
        PositionWithoutAbk(p.id, p.name, p.unit, holders[p.id])
        for p in dataset.positions
        if p.id not in with_abk and p.subject is None and holders[p.id]
    ]


def band_of(ej: float | None, bands: Iterable[EjBand]) -> str | None:
    """The EJ band letter for ``ej`` (None for a vacancy)."""
    if ej is None:
        return None
    for band in bands:
        if ej > band.min or (not band.strict and ej == band.min):
            return band.band
    return None


def round_staff(fte: float, rounding: str) -> int:
    """Whole people for ``fte``: ``nearest`` (half up) or ``up``; at least 1 when there is any work.

    A task that exists needs someone to do it, so a small positive workload is
    never rounded to zero people.
    """
    if fte <= 0:
        return 0
    people = math.ceil(fte - 1e-9) if rounding == "up" else math.floor(fte + 0.5)
    return max(people, 1)


def opd_of(unit_id: str, units: dict[str, Unit]) -> str:
    """The nearest unit of kind ``opd`` at or above ``unit_id`` (the unit itself if none)."""
    current: str | None = unit_id
    seen = set()
    while current is not None and current in units and current not in seen:
        seen.add(current)
        if units[current].kind is UnitKind.OPD:
            return current
        current = units[current].parent
    return unit_id


def holders_by_position(dataset: Dataset) -> Counter[str]:
    """How many employees currently hold each position."""
    return Counter(e.position for e in dataset.employees)


def analyse_positions(dataset: Dataset, wke_hours: int | None = None) -> list[PositionWorkload]:
    """ABK per position for every position with ABK tasks, in dataset order."""
    settings = dataset.settings
    wke_minutes = (wke_hours or settings.wke_hours) * 60
    minutes: dict[str, float] = defaultdict(float)
    for task in dataset.workload:
        minutes[task.position] += task.volume * task.norma_waktu
    holders = holders_by_position(dataset)
    units = {u.id: u for u in dataset.units}
    results = []
    for position in dataset.positions:
        if position.id not in minutes:
            continue
        results.append(
            _position_result(position, minutes[position.id], holders[position.id], wke_minutes, dataset, units)
        )
    return results


def _position_result(
    position: Position, minutes: float, holders: int, wke_minutes: int, dataset: Dataset, units: dict[str, Unit]
) -> PositionWorkload:
    fte = minutes / wke_minutes
    required = round_staff(fte, dataset.settings.rounding)
    ej = minutes / (holders * wke_minutes) if holders else None
    return PositionWorkload(
        position=position.id,
        position_name=position.name,
        unit=position.unit,
        opd=opd_of(position.unit, units),
        workload_hours=minutes / 60,
        fte=fte,
        required=required,
        formasi=position.formasi,
        holders=holders,
        gap=holders - required,
        ej=ej,
        band=band_of(ej, dataset.settings.ej_bands),
    )


def summarise_units(dataset: Dataset, rows: list[PositionWorkload], *, by_opd: bool = False) -> list[UnitWorkload]:
    """Sum position results per unit, or per OPD (a unit with its sub-units, schools and counters)."""
    units = {u.id: u for u in dataset.units}
    grouped: dict[str, list[PositionWorkload]] = defaultdict(list)
    for row in rows:
        grouped[row.opd if by_opd else row.unit].append(row)
    results = []
    for unit in dataset.units:
        members = grouped.get(unit.id)
        if not members:
            continue
        hours = sum(r.workload_hours for r in members)
        holders = sum(r.holders for r in members)
        required = sum(r.required for r in members)
        fte = sum(r.fte for r in members)
        # sum(fte) / holders = sum(workload) / (holders x WKE): the unit's EJ.
        ej = fte / holders if holders else None
        results.append(
            UnitWorkload(
                unit=unit.id,
                unit_name=units[unit.id].name,
                kind=unit.kind.value,
                positions=len(members),
                workload_hours=hours,
                fte=fte,
                required=required,
                formasi=sum(r.formasi for r in members),
                holders=holders,
                gap=holders - required,
                ej=ej,
                band=band_of(ej, dataset.settings.ej_bands),
            )
        )
    return results
