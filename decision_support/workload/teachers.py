"""Teachers needed per school and subject (SKB 5 Menteri 2011 and its juknis).

For each school and subject::

    rombel           = given, or ceil(pupils / maximum class size)     (Dapodik rule)
    JTM needed/week  = curriculum hours per rombel x rombel
    raw need         = JTM needed / 24                                 (PP 74/2008 Pasal 52)

and the raw need, taken to two decimals, is rounded by the juknis rule:
below 1 up; 1.01-1.66 down (that teacher then carries 24-40 JTM); 1.67-1.99
case by case (down would exceed 40 JTM, up would leave both under 24: the
dataset's ``teacher.case_by_case`` setting decides, default up); above 2 down.

Current holders are the employees in the school's teacher positions for that
subject; the JTM each would teach is flagged when outside the 24-40 band.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from ..models import Dataset, TeacherLoad

#: Rounding rules named in the juknis, as reported in the output.
EXACT, UP, DOWN, CASE_BY_CASE, NONE = "exact", "up", "down", "case_by_case", "none"


@dataclass(frozen=True)
class TeacherNeed:
    """Teacher need for one subject at one school."""

    school: str
    school_name: str
    level: str
    subject: str
    subject_name: str
    rombel: int
    jtm_needed: float
    raw_need: float
    needed: int
    rounding: str
    holders: int
    #: holders - needed: negative is a shortage, positive a surplus.
    gap: int
    #: JTM per week each current holder would teach (None with no holder).
    jtm_per_teacher: float | None
    #: "under" (< min JTM), "over" (> max JTM) or None.
    load_flag: str | None


def juknis_round(raw: float, case_by_case: str = "up", max_ratio: float = 40 / 24) -> tuple[int, str]:
    """Round a raw teacher need by the SKB 5 Menteri juknis; return (teachers, rule applied).

    ``max_ratio`` is max JTM / standard JTM (40 / 24): up to that need one teacher can carry the
    hours alone (the juknis "1.01-1.66, round down"); above it and below 2 is the case-by-case zone.
    """
    r = Decimal(str(raw)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    one_teacher_limit = Decimal(str(max_ratio)).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
    if r == 0:
        return 0, NONE
    if r == r.to_integral_value():
        return int(r), EXACT
    if r < 1:
        return 1, UP
    if r <= one_teacher_limit:
        return 1, DOWN
    if r < 2:
        return (2, CASE_BY_CASE) if case_by_case == "up" else (1, CASE_BY_CASE)
    return int(r), DOWN  # int() truncates a positive Decimal: rounding down


def rombel_of(pupils: int, given: int | None, class_size_max: int) -> int:
    """Rombel as given, else pupils divided by the maximum class size, rounded up."""
    if given is not None:
        return given
    return math.ceil(pupils / class_size_max) if pupils else 0


def load_flag(jtm: float | None, rules: TeacherLoad) -> str | None:
    if jtm is None:
        return None
    if jtm < rules.min_jtm:
        return "under"
    if jtm > rules.max_jtm:
        return "over"
    return None


def analyse_teachers(dataset: Dataset) -> list[TeacherNeed]:
    """Teacher need per school and subject, for every school in the ``schools`` table."""
    rules = dataset.settings.teacher
    units = {u.id: u for u in dataset.units}
    subjects_by_level: dict[str, list] = {}
    for entry in dataset.curriculum:
        subjects_by_level.setdefault(entry.level.value, []).append(entry)
    subject_of_position = {p.id: (p.unit, p.subject) for p in dataset.positions if p.subject}
    holders = Counter(subject_of_position[e.position] for e in dataset.employees if e.position in subject_of_position)
    results = []
    for school in dataset.schools:
        level = school.level.value
        rombel = rombel_of(school.pupils, school.rombel, rules.class_size_max.get(level, 32))
        for entry in subjects_by_level.get(level, []):
            jtm = entry.hours_per_rombel * rombel
            raw = jtm / rules.standard_jtm
            needed, rule = juknis_round(raw, rules.case_by_case, rules.max_jtm / rules.standard_jtm)
            count = holders[(school.unit, entry.subject)]
            per_teacher = jtm / count if count else None
            results.append(
                TeacherNeed(
                    school=school.unit,
                    school_name=units[school.unit].name,
                    level=level,
                    subject=entry.subject,
                    subject_name=entry.name,
                    rombel=rombel,
                    jtm_needed=jtm,
                    raw_need=float(Decimal(str(raw)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)),
                    needed=needed,
                    rounding=rule,
                    holders=count,
                    gap=count - needed,
                    jtm_per_teacher=per_teacher,
                    load_flag=load_flag(per_teacher, rules),
                )
            )
    return results


@dataclass(frozen=True)
class SchoolTeachers:
    """Teacher need summed over the subjects of one school."""

    school: str
    school_name: str
    level: str
    rombel: int
    needed: int
    holders: int
    gap: int
    #: Subjects with fewer teachers than needed, e.g. ``("mtk", "informatika")``.
    short: tuple[str, ...]
    #: Subjects with more teachers than needed.
    surplus: tuple[str, ...]


def summarise_schools(needs: list[TeacherNeed]) -> list[SchoolTeachers]:
    """Per-school totals of :func:`analyse_teachers` rows, in school order."""
    by_school: dict[str, list[TeacherNeed]] = {}
    for need in needs:
        by_school.setdefault(need.school, []).append(need)
    results = []
    for school, rows in by_school.items():
        needed = sum(r.needed for r in rows)
        holders = sum(r.holders for r in rows)
        results.append(
            SchoolTeachers(
                school=school,
                school_name=rows[0].school_name,
                level=rows[0].level,
                rombel=rows[0].rombel,
                needed=needed,
                holders=holders,
                gap=holders - needed,
                short=tuple(r.subject for r in rows if r.gap < 0),
                surplus=tuple(r.subject for r in rows if r.gap > 0),
            )
        )
    return results
