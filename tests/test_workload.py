"""ABK and teacher-need numbers, checked against hand-computed examples from the domain notes."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from decision_support.models import DEFAULT_EJ_BANDS, Dataset
from decision_support.workload import analyse_workload, band_of, juknis_round, round_staff
from decision_support.workload.abk import opd_of
from decision_support.workload.teachers import rombel_of


def make_dataset(**tables: object) -> Dataset:
    base: dict[str, object] = {
        "manifest": {"schema_version": 1, "name": "Test", "as_of": "2026-11-01"},
        "units": [
            {"id": "PEMKO", "name": "Pemko", "kind": "opd", "sector": "pemerintahan"},
            {"id": "DUK", "name": "Disdukcapil", "kind": "opd", "sector": "kependudukan", "parent": "PEMKO"},
            {"id": "DUK-LOKET", "name": "Loket", "kind": "service_counter", "sector": "kependudukan", "parent": "DUK"},
            {"id": "SMP1", "name": "SMPN 1", "kind": "school", "sector": "pendidikan", "parent": "PEMKO"},
        ],
        "positions": [
            {"id": "OP", "name": "Operator", "unit": "DUK-LOKET", "type": "pelaksana", "formasi": 6},
            {"id": "ARS", "name": "Arsiparis", "unit": "DUK", "type": "fungsional", "formasi": 2},
            {
                "id": "MTK",
                "name": "Guru Matematika",
                "unit": "SMP1",
                "type": "fungsional",
                "formasi": 2,
                "subject": "mtk",
            },
        ],
        "employees": [],
    }
    base.update(tables)
    return Dataset.model_validate(base)


def employee(nip: str, position: str) -> dict[str, str]:
    return {
        "nip": nip,
        "name": "X",
        "status": "PNS",
        "golongan": "III/a",
        "position": position,
        "tmt_position": "2020-01-01",
        "education_level": "S1",
    }


NIPS = [f"19800101200501100{i}" for i in range(1, 10)]


def test_wpt_7116_hours_needs_6_people_at_1250() -> None:
    """The domain notes' example: total WPT 7,116 h / WKE 1,250 h -> 6 people (5.69 FTE, rounded)."""
    data = make_dataset(
        workload=[
            {"position": "OP", "task": "Rekam KTP-el", "output": "berkas", "volume": 7116 * 60 / 15, "norma_waktu": 15}
        ],
        employees=[employee(NIPS[i], "OP") for i in range(4)],
    )
    row = analyse_workload(data).positions[0]
    assert row.workload_hours == pytest.approx(7116)
    assert row.fte == pytest.approx(5.6928)
    assert row.required == 6
    assert row.holders == 4
    assert row.gap == -2
    assert row.ej == pytest.approx(7116 / (4 * 1250))
    assert row.band == "A"  # 1.42: more work than time


def test_wke_1200_changes_need() -> None:
    data = make_dataset(
        workload=[{"position": "OP", "task": "t", "output": "berkas", "volume": 1000, "norma_waktu": 144}],
        employees=[employee(NIPS[0], "OP"), employee(NIPS[1], "OP")],
    )
    at_1250 = analyse_workload(data).positions[0]
    at_1200 = analyse_workload(data, wke_hours=1200).positions[0]
    assert at_1250.fte == pytest.approx(144000 / 75000)  # 1.92
    assert at_1200.fte == pytest.approx(144000 / 72000)  # 2.00
    assert at_1200.ej == pytest.approx(1.0)
    assert at_1200.band == "B"  # exactly 1.00 is B: A needs strictly more than 1.00


def test_singgihadis_tiny_workload_still_needs_one_person() -> None:
    """45 outputs x 1 minute / 72,000 = 0.0006 FTE: a task that exists needs someone."""
    assert round_staff(45 * 1 / 72000, "nearest") == 1
    assert round_staff(0, "nearest") == 0
    assert round_staff(2.5, "nearest") == 3
    assert round_staff(2.49, "nearest") == 2
    assert round_staff(2.01, "up") == 3
    assert round_staff(2.0, "up") == 2


def test_vacant_position_has_no_ej() -> None:
    data = make_dataset(
        workload=[{"position": "ARS", "task": "t", "output": "dokumen", "volume": 100, "norma_waktu": 60}]
    )
    row = analyse_workload(data).positions[0]
    assert row.holders == 0
    assert row.ej is None and row.band is None
    assert row.required == 1 and row.gap == -1


def test_units_and_opds_sum_their_positions() -> None:
    data = make_dataset(
        workload=[
            {"position": "OP", "task": "a", "output": "berkas", "volume": 7500, "norma_waktu": 10},  # 1,250 h
            {"position": "ARS", "task": "b", "output": "dokumen", "volume": 3750, "norma_waktu": 10},  # 625 h
        ],
        employees=[employee(NIPS[0], "OP"), employee(NIPS[1], "ARS"), employee(NIPS[2], "ARS")],
    )
    report = analyse_workload(data)
    units = {u.unit: u for u in report.units}
    assert units["DUK-LOKET"].ej == pytest.approx(1.0)
    assert units["DUK"].ej == pytest.approx(0.25)
    (duk,) = report.opds
    assert duk.unit == "DUK"
    assert duk.workload_hours == pytest.approx(1875)
    assert duk.holders == 3
    assert duk.ej == pytest.approx(1875 / (3 * 1250))
    assert duk.band == "D"  # 0.5


def test_opd_of_walks_up_to_the_nearest_opd() -> None:
    data = make_dataset()
    units = {u.id: u for u in data.units}
    assert opd_of("DUK-LOKET", units) == "DUK"
    assert opd_of("DUK", units) == "DUK"
    assert opd_of("SMP1", units) == "PEMKO"


@pytest.mark.parametrize(
    ("ej", "band"),
    [(1.01, "A"), (1.0, "B"), (0.9, "B"), (0.8999, "C"), (0.7, "C"), (0.69, "D"), (0.5, "D"), (0.49, "E"), (0.0, "E")],
)
def test_ej_bands_follow_permendagri_table(ej: float, band: str) -> None:
    assert band_of(ej, DEFAULT_EJ_BANDS) == band


@given(st.floats(0, 5), st.floats(0, 5))
def test_higher_ej_never_gets_a_worse_band(a: float, b: float) -> None:
    low, high = sorted((a, b))
    assert band_of(high, DEFAULT_EJ_BANDS) <= band_of(low, DEFAULT_EJ_BANDS)  # "A" < "B" < ...


def test_rombel_from_pupils_rounds_up() -> None:
    """Dapodik: 150 SD pupils / 28 = 5.36 -> 6 rombel."""
    assert rombel_of(150, None, 28) == 6
    assert rombel_of(140, None, 28) == 5
    assert rombel_of(0, None, 28) == 0
    assert rombel_of(150, 7, 28) == 7


@pytest.mark.parametrize(
    ("raw", "policy", "expected"),
    [
        (0.0, "up", (0, "none")),
        (0.5, "up", (1, "up")),
        (1.0, "up", (1, "exact")),
        (1.3, "up", (1, "down")),
        (1.66, "up", (1, "down")),
        (1.664, "up", (1, "down")),  # 1.66 after rounding to two decimals
        (1.665, "up", (2, "case_by_case")),  # 1.67 after rounding half up
        (1.875, "up", (2, "case_by_case")),
        (1.875, "down", (1, "case_by_case")),
        (2.0, "up", (2, "exact")),
        (2.5, "up", (2, "down")),
        (2.99, "up", (2, "down")),
        (3.0, "up", (3, "exact")),
    ],
)
def test_juknis_rounding(raw: float, policy: str, expected: tuple[int, str]) -> None:
    assert juknis_round(raw, policy) == expected


@settings(max_examples=500)
@given(st.integers(1, 40 * 30), st.sampled_from(["up", "down"]))
def test_juknis_need_is_monotone_and_never_overloads_a_teacher(jtm_hundredths: int, policy: str) -> None:
    raw = jtm_hundredths / 100
    needed, _rule = juknis_round(raw, policy)
    bigger, _ = juknis_round(raw + 0.01, policy)
    assert bigger >= needed
    assert needed >= 1
    if policy == "up":
        # Rounding up in the 1.67-1.99 zone exists precisely so nobody teaches more than 40 JTM.
        assert raw * 24 / needed <= 40 + 1e-9


def test_teacher_need_per_subject_with_holders_and_load_flags() -> None:
    """SMP, 9 rombel x 5 JTM mathematics = 45 JTM = 1.875 teachers -> case by case -> 2 (policy up)."""
    data = make_dataset(
        schools=[{"unit": "SMP1", "level": "SMP", "pupils": 280}],  # 280 / 32 = 8.75 -> 9 rombel
        curriculum=[{"level": "SMP", "subject": "mtk", "name": "Matematika", "hours_per_rombel": 5}],
        employees=[employee(NIPS[0], "MTK")],
    )
    (need,) = analyse_workload(data).teachers
    assert need.rombel == 9
    assert need.jtm_needed == 45
    assert need.raw_need == 1.88
    assert (need.needed, need.rounding) == (2, "case_by_case")
    assert need.holders == 1 and need.gap == -1
    assert need.jtm_per_teacher == 45
    assert need.load_flag == "over"
    (school,) = analyse_workload(data).schools
    assert school.short == ("mtk",) and school.surplus == ()


def test_teacher_surplus_is_flagged_under_24_jtm() -> None:
    data = make_dataset(
        schools=[{"unit": "SMP1", "level": "SMP", "pupils": 100, "rombel": 3}],
        curriculum=[{"level": "SMP", "subject": "mtk", "name": "Matematika", "hours_per_rombel": 5}],
        employees=[employee(NIPS[i], "MTK") for i in range(3)],
    )
    (need,) = analyse_workload(data).teachers
    assert need.jtm_needed == 15 and need.needed == 1
    assert need.gap == 2
    assert need.jtm_per_teacher == 5
    assert need.load_flag == "under"
    assert math.isclose(need.raw_need, 0.63)
