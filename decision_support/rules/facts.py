"""The facts rules can read, with their types, and how they are derived from a dataset.

Facts are grouped by what they describe:

- ``employee.*``: the ASN (status, golongan rank, tenure, retirement, sanctions, SKP...);
- ``origin.*``: the current position and unit;
- ``target.*``: the position considered (its unit, sector, need, golongan band...);
- ``move.*``: the pair (same OPD? wished? competency gap per dimension...);
- ``context.*``: the evaluation date and the election calendar;
- ``quota.*``: the whole set of proposed moves (holders after the moves...).

A fact the data does not provide is simply absent; rules then evaluate to
*unknown* instead of guessing. Dates are compared as dates (days).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from ..models import Dataset, Dimension, Employee, Golongan, Position, SkpPredicate, Stance, Unit, parse_nip
from ..models.organisation import Eselon
from ..models.participation import any_move_objection, stance_on, stated_reasons, wishes_of
from ..workload import WorkloadReport
from ..workload.abk import opd_of
from .durations import Duration, add_months, add_years, whole_months
from .language import Calendar
from .retirement import bup_of, pension_tmt


class FactType(StrEnum):
    """Value types; operators are checked against them before a rule runs."""

    NUMBER = "number"
    STRING = "string"
    BOOLEAN = "boolean"
    DATE = "date"
    STRINGS = "strings"  # a list of strings, for 'contains'


@dataclass(frozen=True)
class FactSpec:
    """One fact: its type, the values it can take (for strings), and what it means."""

    type: FactType
    description: str
    values: tuple[str, ...] = ()
    #: A number of years counted by calendar anniversaries (explanations show years, months and days).
    duration: bool = False


N, S, B, D, L = FactType.NUMBER, FactType.STRING, FactType.BOOLEAN, FactType.DATE, FactType.STRINGS
_STATUS = ("PNS", "CPNS", "PPPK")
_TYPES = ("jpt", "administrator", "pengawas", "pelaksana", "fungsional")
_KINDS = ("opd", "sub_unit", "school", "puskesmas", "service_counter")
_SKP = tuple(p.value for p in SkpPredicate)
MOVE_KINDS = ("lateral", "up", "down", "cross")
#: The election facts: absent (unknown) outside the period the calendar covers.
ELECTION_FACTS = ("context.pre_election_window", "context.post_inauguration_window", "context.mendagri_approval")

FACTS: dict[str, FactSpec] = {
    # employee
    "employee.nip": FactSpec(S, "NIP"),
    "employee.status": FactSpec(S, "PNS, CPNS or PPPK", _STATUS),
    "employee.golongan": FactSpec(S, "golongan ruang as written, e.g. III/b", tuple(Golongan.labels())),
    "employee.golongan_rank": FactSpec(N, "golongan ruang as a rank, I/a = 1 to IV/e = 17"),
    "employee.golongan_pppk": FactSpec(N, "PPPK golongan, 1 to 17"),
    "employee.education_level": FactSpec(
        S, "highest education", ("SD", "SMP", "SMA", "D1", "D2", "D3", "D4", "S1", "S2", "S3")
    ),
    "employee.education_rank": FactSpec(N, "highest education as a rank, SD = 1 to S3 = 10"),
    "employee.education_field": FactSpec(S, "field of the highest education"),
    "employee.sex": FactSpec(S, "L or P (from the NIP)", ("L", "P")),
    "employee.age_years": FactSpec(N, "age on the evaluation date, in calendar years", duration=True),
    "employee.years_in_position": FactSpec(
        N, "time since the TMT of the current posting, in calendar years (anniversaries)", duration=True
    ),
    "employee.years_of_service": FactSpec(
        N, "time since the TMT CPNS (or PPPK appointment) in the NIP, in calendar years", duration=True
    ),
    "employee.bup": FactSpec(N, "retirement age (BUP): the dataset's value, else the table for the current post"),
    "employee.months_to_retirement": FactSpec(
        N, "whole calendar months until the pension TMT (1st of the month after the BUP is reached)"
    ),
    "employee.has_active_sanction": FactSpec(B, "a disciplinary sanction runs on the evaluation date"),
    "employee.active_sanction_level": FactSpec(S, "level of the running sanction", ("ringan", "sedang", "berat")),
    "employee.sanctioned_last_2_years": FactSpec(B, "a sanction ran at any time in the last 2 years"),
    "employee.skp_last": FactSpec(S, "SKP predicate of the latest year", _SKP),
    "employee.skp_last_rank": FactSpec(N, "latest SKP predicate as a rank, sangat_kurang = 1 to sangat_baik = 5"),
    "employee.skp_min_rank_last_2": FactSpec(N, "lowest SKP rank over the last two recorded years"),
    "employee.competencies": FactSpec(L, "codes of the competencies the employee holds"),
    "employee.has_wishes": FactSpec(B, "the employee stated at least one wished unit"),
    "employee.spouse_kecamatan": FactSpec(S, "kecamatan where the spouse works"),
    "employee.objects_to_any_move": FactSpec(B, "the employee objected to being moved at all (participation)"),
    "employee.local_government": FactSpec(
        S, "local government (pemda) of the current position; absent when the dataset lists none"
    ),
    "employee.stated_reasons": FactSpec(
        L, "reasons the employee gave for a wish or an objection: family, spouse, health, competence, other"
    ),
    # origin: the current position
    "origin.position": FactSpec(S, "id of the current position"),
    "origin.position_name": FactSpec(S, "name of the current position (jabatan)"),
    "origin.position_type": FactSpec(S, "jenis jabatan of the current position", _TYPES),
    "origin.eselon": FactSpec(S, "eselon of the current position", tuple(e.value for e in Eselon)),
    "origin.leadership": FactSpec(B, "the current post leads a unit (kepala sekolah, kepala puskesmas)"),
    "origin.subject": FactSpec(S, "subject taught in the current teacher post"),
    "origin.unit": FactSpec(S, "id of the current unit"),
    "origin.unit_kind": FactSpec(S, "kind of the current unit", _KINDS),
    "origin.sector": FactSpec(S, "sector of the current unit"),
    "origin.opd": FactSpec(S, "OPD of the current unit"),
    "origin.kecamatan": FactSpec(S, "kecamatan of the current unit"),
    "origin.holders": FactSpec(N, "holders of the current position now"),
    "origin.min_staff": FactSpec(N, "minimum staffing of the current position"),
    "origin.formasi": FactSpec(N, "formasi of the current position"),
    "origin.ej": FactSpec(N, "efisiensi jabatan (EJ) of the current position"),
    "origin.gap": FactSpec(N, "holders minus need at the current position (positive = surplus)"),
    # target
    "target.position": FactSpec(S, "id of the target position"),
    "target.position_name": FactSpec(S, "name of the target position (jabatan)"),
    "target.position_type": FactSpec(S, "jenis jabatan of the target position", _TYPES),
    "target.eselon": FactSpec(S, "eselon of the target position", tuple(e.value for e in Eselon)),
    "target.leadership": FactSpec(B, "the target post leads a unit (kepala sekolah, kepala puskesmas)"),
    "target.subject": FactSpec(S, "subject taught in the target teacher post"),
    "target.unit": FactSpec(S, "id of the target unit"),
    "target.unit_kind": FactSpec(S, "kind of the target unit", _KINDS),
    "target.sector": FactSpec(S, "sector of the target unit"),
    "target.opd": FactSpec(S, "OPD of the target unit"),
    "target.kecamatan": FactSpec(S, "kecamatan of the target unit"),
    "target.holders": FactSpec(N, "holders of the target position now"),
    "target.formasi": FactSpec(N, "formasi of the target position"),
    "target.need": FactSpec(N, "staff the target needs by ABK or by the teacher rule"),
    "target.ej": FactSpec(N, "efisiensi jabatan (EJ) of the target position"),
    "target.gap": FactSpec(N, "holders minus need at the target (negative = shortage)"),
    "target.golongan_min_rank": FactSpec(N, "lowest golongan rank for the target (position band or eselon table)"),
    "target.golongan_max_rank": FactSpec(N, "highest golongan rank for the target (position band or eselon table)"),
    "target.golongan_min": FactSpec(
        S, "lowest golongan for the target, as written (e.g. III/c)", tuple(Golongan.labels())
    ),
    "target.golongan_max": FactSpec(
        S, "highest golongan for the target, as written (e.g. III/d)", tuple(Golongan.labels())
    ),
    "target.local_government": FactSpec(
        S, "local government (pemda) of the target position; absent when the dataset lists none"
    ),
    "target.required_competencies": FactSpec(L, "competency codes the target position requires"),
    # move: the pair
    "move.same_position": FactSpec(B, "the target is the current position"),
    "move.same_unit": FactSpec(B, "the target is in the current unit"),
    "move.same_opd": FactSpec(B, "the target is in the current OPD"),
    "move.same_sector": FactSpec(B, "the target is in the current sector"),
    "move.same_position_name": FactSpec(B, "the target jabatan has the same name as the current one"),
    "move.subject_match": FactSpec(B, "a teacher moves to a post for the subject they teach now"),
    "move.wished": FactSpec(B, "the employee wished to go to the target unit"),
    "move.wish_rank": FactSpec(N, "rank of that wish (1 = most wanted)"),
    "move.avoided": FactSpec(B, "the employee asked not to go to the target unit"),
    "move.objected": FactSpec(B, "the employee objected to this move: to the target unit or to any move"),
    "move.objection_reason": FactSpec(
        S, "reason given for that objection", ("family", "spouse", "health", "competence", "other")
    ),
    "move.wish_reason": FactSpec(
        S, "reason given for the wish for the target unit", ("family", "spouse", "health", "competence", "other")
    ),
    "move.spouse_colocated": FactSpec(B, "the target unit is in the kecamatan where the spouse works"),
    "move.golongan_in_band": FactSpec(B, "the employee's golongan lies in the target's band"),
    "move.golongan_steps_below_band": FactSpec(
        N, "golongan steps the employee lies below the target's lowest golongan (0 when not below)"
    ),
    "move.kind": FactSpec(
        S,
        "kind of move by the posts' levels: lateral, up (promotion), down, or cross (between the functional and "
        "the administrative ladders)",
        MOVE_KINDS,
    ),
    "move.competency_gap_teknis": FactSpec(N, "levels missing against the target's teknis requirements"),
    "move.competency_gap_manajerial": FactSpec(N, "levels missing against the target's manajerial requirements"),
    "move.competency_gap_sosial_kultural": FactSpec(
        N, "levels missing against the target's sosial-kultural requirements"
    ),
    "move.competency_fit": FactSpec(N, "share of the target's requirements met, 0 to 1"),
    # context
    "context.as_of": FactSpec(D, "evaluation date"),
    "context.pre_election_window": FactSpec(B, "within 6 months before candidate determination up to the end of term"),
    "context.post_inauguration_window": FactSpec(B, "within 6 months after a new regional head's inauguration"),
    "context.mendagri_approval": FactSpec(B, "a written approval of the Minister of Home Affairs covers the date"),
    "context.calendar_start": FactSpec(D, "first day the election calendar describes"),
    "context.calendar_end": FactSpec(D, "last day the election calendar describes"),
    # quota: the set of moves
    "quota.target_holders_after": FactSpec(N, "holders of the target position after all proposed moves"),
    "quota.origin_holders_after": FactSpec(N, "holders of the origin position after all proposed moves"),
    "quota.moves_into_target_unit": FactSpec(N, "proposed moves into the target unit"),
    "quota.moves_out_of_origin_unit": FactSpec(N, "proposed moves out of the origin unit"),
}

#: Facts the builders below give for every employee, position and pair. The durable engine relies on
#: it to decide "pass" as "neither fail nor not applicable" for rules that read only these (fewer
#: actions fire), and falls back to full evaluation if one is ever missing (tests check the claim).
ALWAYS_PRESENT = frozenset(
    {
        *(f"employee.{n}" for n in (
            "nip", "status", "education_level", "education_rank", "sex", "age_years", "years_in_position",
            "years_of_service", "competencies", "has_wishes", "has_active_sanction", "objects_to_any_move",
            "stated_reasons",
            "sanctioned_last_2_years",
        )),
        *(f"origin.{n}" for n in (
            "position", "position_name", "position_type", "leadership", "unit", "unit_kind", "sector", "opd",
            "holders", "formasi", "min_staff",
        )),
        *(f"target.{n}" for n in (
            "position", "position_name", "position_type", "leadership", "unit", "unit_kind", "sector", "opd",
            "holders", "formasi", "required_competencies",
        )),
        *(f"move.{n}" for n in (
            "kind", "same_position", "same_unit", "same_opd", "same_sector", "same_position_name", "wished", "avoided",
            "objected",
            "competency_gap_teknis", "competency_gap_manajerial", "competency_gap_sosial_kultural",
        )),
        "context.as_of",
        *(f"quota.{n}" for n in (
            "target_holders_after", "origin_holders_after", "moves_into_target_unit", "moves_out_of_origin_unit",
        )),
    }
)  # fmt: skip

#: Golongan band per eselon (PP 100/2000 jo PP 13/2002 annex), as BKN codes (lowest, highest). A post's own
#: band in the data replaces it; a promotion one step below the lowest (PP 100/2000 Pasal 5 huruf b) is a
#: rule (rules/nasional), never a wider band.
ESELON_BAND: dict[str, tuple[int, int]] = {
    "I.a": (44, 45),
    "I.b": (43, 45),
    "II.a": (43, 44),
    "II.b": (42, 43),
    "III.a": (41, 42),
    "III.b": (34, 41),
    "IV.a": (33, 34),
    "IV.b": (32, 33),
    "V": (31, 32),
}
#: The eselon table is in force from PP 13/2002 (17 February 2002); before that day a post without its own
#: band has none (the band facts are absent, the band rules unknown).
ESELON_BAND_SINCE = date(2002, 2, 17)

_SKP_RANK = {p: 5 - i for i, p in enumerate(SkpPredicate)}

Facts = dict[str, Any]


def employee_facts(employee: Employee, as_of: date, position: Position | None = None) -> Facts:
    """Facts about the employee alone (``position``: the current post, for the BUP table)."""
    nip = parse_nip(employee.nip)
    birth = employee.birth_date or nip.birth_date
    facts: Facts = {
        "employee.nip": employee.nip,
        "employee.status": employee.status.value,
        "employee.education_level": employee.education_level.value,
        "employee.education_rank": employee.education_level.rank,
        "employee.sex": nip.sex,
        "employee.age_years": Duration.between(birth, as_of),
        "employee.years_in_position": Duration.between(employee.tmt_position, as_of),
        "employee.years_of_service": Duration.between(date(nip.tmt_cpns_year, nip.tmt_cpns_month or 1, 1), as_of),
        "employee.competencies": sorted({c.code for c in employee.competencies}),
        "employee.has_wishes": bool(wishes_of(employee)),
        "employee.objects_to_any_move": any_move_objection(employee) is not None,
        "employee.stated_reasons": stated_reasons(employee),
    }
    bup = bup_of(employee, position, as_of)
    if bup is not None:
        facts["employee.bup"] = bup
        facts["employee.months_to_retirement"] = whole_months(as_of, pension_tmt(birth, bup))
    if employee.golongan is not None:
        facts["employee.golongan"] = employee.golongan.label
        facts["employee.golongan_rank"] = employee.golongan.rank
    if employee.golongan_pppk is not None:
        facts["employee.golongan_pppk"] = employee.golongan_pppk
    if employee.education_field:
        facts["employee.education_field"] = employee.education_field
    if employee.spouse_kecamatan:
        facts["employee.spouse_kecamatan"] = employee.spouse_kecamatan
    facts.update(_sanction_facts(employee, as_of))
    facts.update(_skp_facts(employee))
    return facts


def _sanction_facts(employee: Employee, as_of: date) -> Facts:
    two_years_ago = add_years(as_of, -2)
    active = [s for s in employee.sanctions if s.start <= as_of and (s.end is None or s.end >= as_of)]
    recent = [s for s in employee.sanctions if s.start <= as_of and (s.end is None or s.end >= two_years_ago)]
    facts: Facts = {"employee.has_active_sanction": bool(active), "employee.sanctioned_last_2_years": bool(recent)}
    if active:
        levels = ["ringan", "sedang", "berat"]
        facts["employee.active_sanction_level"] = max((s.level.value for s in active), key=levels.index)
    return facts


def _skp_facts(employee: Employee) -> Facts:
    if not employee.skp:
        return {}
    records = sorted(employee.skp, key=lambda s: s.year)
    return {
        "employee.skp_last": records[-1].predicate.value,
        "employee.skp_last_rank": _SKP_RANK[records[-1].predicate],
        "employee.skp_min_rank_last_2": min(_SKP_RANK[s.predicate] for s in records[-2:]),
    }


@dataclass
class PositionContext:
    """What a dataset and its workload analysis say about each position, computed once."""

    positions: dict[str, Position]
    units: dict[str, Unit]
    holders: Counter[str]
    need: dict[str, int]
    ej: dict[str, float]
    requirements: dict[str, dict[Dimension, dict[str, int]]]

    @classmethod
    def build(cls, dataset: Dataset, report: WorkloadReport) -> PositionContext:
        need: dict[str, int] = {p.position: p.required for p in report.positions}
        teacher_posts = {(p.unit, p.subject): p.id for p in dataset.positions if p.subject}
        for row in report.teachers:
            post = teacher_posts.get((row.school, row.subject))
            if post is not None:
                need[post] = row.needed
        requirements: dict[str, dict[Dimension, dict[str, int]]] = {}
        for req in dataset.position_competencies:
            requirements.setdefault(req.position, {}).setdefault(req.dimension, {})[req.code] = req.level
        return cls(
            positions={p.id: p for p in dataset.positions},
            units={u.id: u for u in dataset.units},
            holders=Counter(e.position for e in dataset.employees),
            need=need,
            ej={p.position: p.ej for p in report.positions if p.ej is not None},
            requirements=requirements,
        )


def position_facts(side: str, position: Position, ctx: PositionContext, as_of: date | None = None) -> Facts:
    """Facts about a position and its unit, prefixed ``origin.`` or ``target.`` (on ``as_of``, for dated tables)."""
    unit = ctx.units[position.unit]
    holders = ctx.holders[position.id]
    facts: Facts = {
        "position": position.id,
        "position_name": position.name,
        "position_type": position.type.value,
        "leadership": position.leadership,
        "unit": unit.id,
        "unit_kind": unit.kind.value,
        "sector": unit.sector,
        "opd": opd_of(unit.id, ctx.units),
        "holders": holders,
        "formasi": position.formasi,
    }
    optional: dict[str, Any] = {
        "eselon": position.eselon.value if position.eselon else None,
        "subject": position.subject,
    }
    optional["kecamatan"] = unit.kecamatan
    optional["ej"] = ctx.ej.get(position.id)
    if position.id in ctx.need:
        optional["need"] = ctx.need[position.id]
        optional["gap"] = holders - ctx.need[position.id]
    facts.update({k: v for k, v in optional.items() if v is not None})
    if side == "origin":
        facts["min_staff"] = position.min_staff
        facts.pop("need", None)
    else:
        facts.update(_band_facts(position, as_of))
        facts["required_competencies"] = sorted(
            code for per_dim in ctx.requirements.get(position.id, {}).values() for code in per_dim
        )
    return {f"{side}.{k}": v for k, v in facts.items() if f"{side}.{k}" in FACTS}


def _band_facts(position: Position, as_of: date | None = None) -> Facts:
    low = position.golongan_min
    high = position.golongan_max
    in_force = as_of is None or as_of >= ESELON_BAND_SINCE
    if position.eselon is not None and (low is None or high is None) and in_force:
        band = ESELON_BAND[position.eselon.value]
        low = low or Golongan(band[0])
        high = high or Golongan(band[1])
    facts: Facts = {}
    if low is not None:
        facts["golongan_min_rank"] = low.rank
        facts["golongan_min"] = low.label
    if high is not None:
        facts["golongan_max_rank"] = high.rank
        facts["golongan_max"] = high.label
    return facts


def _equal(left: str, right: str) -> Callable[[Facts], Any]:
    return lambda f: f[left] == f[right]


def _subject_match(f: Facts) -> Any:
    if "origin.subject" not in f and "target.subject" not in f:
        return MISSING
    return f.get("origin.subject") == f.get("target.subject")


def _spouse_colocated(f: Facts) -> Any:
    if "employee.spouse_kecamatan" not in f or "target.kecamatan" not in f:
        return MISSING
    return f["employee.spouse_kecamatan"] == f["target.kecamatan"]


def _golongan_in_band(f: Facts) -> Any:
    rank, low, high = (
        f.get("employee.golongan_rank"),
        f.get("target.golongan_min_rank"),
        f.get("target.golongan_max_rank"),
    )
    if rank is None or (low is None and high is None):
        return MISSING
    return (low is None or rank >= low) and (high is None or rank <= high)


def _steps_below_band(f: Facts) -> Any:
    rank, low = f.get("employee.golongan_rank"), f.get("target.golongan_min_rank")
    if rank is None or low is None:
        return MISSING
    return max(0, low - rank)


#: Levels of the administrative ladder (PP 100/2000 jo PP 13/2002 eselon; pelaksana below them all).
#: Higher is a higher post. A post without an eselon takes its type's usual eselon.
ESELON_LEVEL = {"V": 1, "IV.b": 2, "IV.a": 3, "III.b": 4, "III.a": 5, "II.b": 6, "II.a": 7, "I.b": 8, "I.a": 9}
TYPE_LEVEL = {"pelaksana": 0, "pengawas": 3, "administrator": 5, "jpt": 7}


def post_level(position_type: str, eselon: str | None) -> int | None:
    """The post's level on the administrative ladder, None for a functional post (its own ladder)."""
    if position_type == "fungsional":
        return None
    if eselon is not None and position_type != "pelaksana":
        return ESELON_LEVEL[eselon]
    return TYPE_LEVEL[position_type]


def _move_kind(f: Facts) -> Any:
    """lateral, up, down, or cross (one post functional, the other administrative)."""
    origin = post_level(f["origin.position_type"], f.get("origin.eselon"))
    target = post_level(f["target.position_type"], f.get("target.eselon"))
    if origin is None and target is None:
        return "lateral"  # within the functional ladder the jenjang is personal: the post does not change it
    if origin is None or target is None:
        return "cross"
    return "up" if target > origin else "down" if target < origin else "lateral"


#: A derived fact's value when its inputs don't give one.
MISSING = object()

#: Pair facts that are functions of a few employee-side and target-side facts: (inputs, function).
#: Screening indexes rules over these by the values of the inputs (see screening.py).
DERIVED: dict[str, tuple[tuple[str, ...], Callable[[Facts], Any]]] = {
    "move.same_position": (("origin.position", "target.position"), _equal("origin.position", "target.position")),
    "move.same_unit": (("origin.unit", "target.unit"), _equal("origin.unit", "target.unit")),
    "move.same_opd": (("origin.opd", "target.opd"), _equal("origin.opd", "target.opd")),
    "move.same_sector": (("origin.sector", "target.sector"), _equal("origin.sector", "target.sector")),
    "move.same_position_name": (
        ("origin.position_name", "target.position_name"),
        _equal("origin.position_name", "target.position_name"),
    ),
    "move.subject_match": (("origin.subject", "target.subject"), _subject_match),
    "move.spouse_colocated": (("employee.spouse_kecamatan", "target.kecamatan"), _spouse_colocated),
    "move.golongan_in_band": (
        ("employee.golongan_rank", "target.golongan_min_rank", "target.golongan_max_rank"),
        _golongan_in_band,
    ),
    "move.golongan_steps_below_band": (("employee.golongan_rank", "target.golongan_min_rank"), _steps_below_band),
    "move.kind": (("origin.position_type", "origin.eselon", "target.position_type", "target.eselon"), _move_kind),
}


def derived_facts(sides: Facts, names: Iterable[str] = DERIVED) -> Facts:
    """The :data:`DERIVED` pair facts computable from ``sides`` (employee and target facts together)."""
    facts: Facts = {}
    for name in names:
        value = DERIVED[name][1](sides)
        if value is not MISSING:
            facts[name] = value
    return facts


def move_facts(employee: Employee, emp: Facts, origin: Facts, target: Facts, ctx: PositionContext) -> Facts:
    """Facts about moving ``employee`` (with facts ``emp``, at ``origin``) to ``target``."""
    facts = derived_facts({**emp, **origin, **target})
    facts.update(stance_facts(stance_on(employee, target["target.unit"])))
    facts.update(_competency_facts(employee, ctx.requirements.get(target["target.position"], {})))
    return facts


def stance_facts(stance: Stance) -> Facts:
    """The pair facts of an employee's stated stance on the target unit (participation)."""
    wish, objection = stance.wish, stance.objection
    facts: Facts = {
        "move.wished": wish is not None,
        # An avoided unit (preferences.csv) and an objection to the unit are the same statement.
        "move.avoided": objection is not None and objection.unit is not None,
        "move.objected": objection is not None,
    }
    if wish is not None and wish.rank is not None:
        facts["move.wish_rank"] = wish.rank
    if wish is not None and wish.reason is not None:
        facts["move.wish_reason"] = wish.reason.value
    if objection is not None and objection.reason is not None:
        facts["move.objection_reason"] = objection.reason.value
    return facts


def _competency_facts(employee: Employee, required: dict[Dimension, dict[str, int]]) -> Facts:
    held = {c.code: c.level for c in employee.competencies}
    facts: Facts = {}
    met = total = 0
    for dimension in Dimension:
        gap = 0
        for code, level in required.get(dimension, {}).items():
            missing = max(0, level - held.get(code, 0))
            gap += missing
            met += missing == 0
            total += 1
        facts[f"move.competency_gap_{dimension.value}"] = gap
    if total:
        facts["move.competency_fit"] = round(met / total, 4)
    return facts


def quota_facts(origin_after: int, target_after: int, into_target_unit: int, out_of_origin_unit: int) -> Facts:
    """Facts about a move in the context of a whole set of proposed moves."""
    return {
        "quota.origin_holders_after": origin_after,
        "quota.target_holders_after": target_after,
        "quota.moves_into_target_unit": into_target_unit,
        "quota.moves_out_of_origin_unit": out_of_origin_unit,
    }


#: Magnitudes a number fact or rule value may have besides 0. durable_rules' JSON reader refuses the
#: exponent forms Python writes outside this range (1e-05, 1e+16) and compares numbers as doubles.
NUMBER_RANGE = (1e-4, 1e15)


def representable(value: float) -> bool:
    """True when both engines read ``value`` exactly (see :data:`NUMBER_RANGE`)."""
    return value == 0 or NUMBER_RANGE[0] <= abs(value) < NUMBER_RANGE[1]


def check_types(facts: Facts) -> list[str]:
    """Names of facts whose value does not have the declared type (a bug upstream, never sent to an engine)."""
    wrong = []
    for name, value in facts.items():
        spec = FACTS.get(name)
        expected = {
            FactType.NUMBER: lambda v: isinstance(v, int | float) and not isinstance(v, bool) and representable(v),
            FactType.STRING: lambda v: isinstance(v, str),
            FactType.BOOLEAN: lambda v: isinstance(v, bool),
            FactType.DATE: lambda v: isinstance(v, date),
            FactType.STRINGS: lambda v: isinstance(v, list) and all(isinstance(i, str) for i in v),
        }
        if spec is None or not expected[spec.type](value):
            wrong.append(name)
    return wrong


def context_facts(as_of: date, calendar: Calendar | None) -> Facts:
    """The evaluation date and the election windows on it (UU 10/2016 Pasal 71(2), 162(3)).

    Outside the period the calendar covers, the election facts are absent: an election the calendar
    does not list may fall on that date, so the rules that read them are unknown, never passed.
    """
    facts: Facts = {"context.as_of": as_of}
    if calendar is None:
        return facts
    facts["context.calendar_start"] = calendar.period.start
    facts["context.calendar_end"] = calendar.period.end
    if not calendar.period.start <= as_of <= calendar.period.end:
        return facts
    facts["context.pre_election_window"] = any(
        add_months(e.candidate_determination, -6) <= as_of <= e.term_end for e in calendar.elections
    )
    facts["context.post_inauguration_window"] = any(day <= as_of < add_months(day, 6) for day in calendar.inaugurations)
    facts["context.mendagri_approval"] = any(a.start <= as_of <= a.end for a in calendar.mendagri_approvals)
    return facts
