"""Official codes: the structure of an NIP and golongan ruang."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from decision_support import i18n
from decision_support.models import Golongan, NipParts, parse_nip
from decision_support.models.codes import PPPK_CODE

ACCEPTED_GOLONGAN = "expected I/a to IV/e (e.g. III/b) or a BKN code 11 to 45"


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    """Messages are checked in English; the process-wide language is given back afterwards."""
    before = i18n.current_language()
    i18n.set_language("en")
    yield
    i18n.set_language(before)


# -- NIP -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("nip", "parts"),
    [
        ("198609262015051001", NipParts(date(1986, 9, 26), 2015, 5, "L", 1)),
        ("198203142006042002", NipParts(date(1982, 3, 14), 2006, 4, "P", 2)),
        ("197001011995121999", NipParts(date(1970, 1, 1), 1995, 12, "L", 999)),
        ("200002292021012010", NipParts(date(2000, 2, 29), 2021, 1, "P", 10)),  # a leap day
        # NI PPPK: digits 13-14 are 21 where a PNS NIP has the TMT CPNS month.
        ("198803152023212001", NipParts(date(1988, 3, 15), 2023, None, "P", 1, pppk=True)),
    ],
)
def test_valid_nip(nip: str, parts: NipParts) -> None:
    assert parse_nip(nip) == parts


@pytest.mark.parametrize(
    ("nip", "message"),
    [
        ("19820314200604200", "an NIP has exactly 18 digits, this one has 17"),
        ("1982031420060420021", "an NIP has exactly 18 digits, this one has 19"),
        ("", "an NIP has exactly 18 digits, this one has 0"),
        ("19820314 200604 2 002", "an NIP is 18 digits without spaces or separators: write '198203142006042002'"),
        ("19820314.200604.2.002", "an NIP is 18 digits without spaces or separators: write '198203142006042002'"),
        ("198202302006042002", "digits 1-8 of an NIP are the birth date YYYYMMDD, and '19820230' is not a date"),
        ("198313142006042002", "digits 1-8 of an NIP are the birth date YYYYMMDD, and '19831314' is not a date"),
        (
            "198203142006132002",
            "digits 9-14 of an NIP are the TMT CPNS as YYYYMM, and month '13' is not 01-12 (nor 21 for an NI PPPK)",
        ),
        (
            "198203142006002002",
            "digits 9-14 of an NIP are the TMT CPNS as YYYYMM, and month '00' is not 01-12 (nor 21 for an NI PPPK)",
        ),
        (
            "198203141990042002",
            "the TMT CPNS 1990-04 in digits 9-14 is impossible for the birth date 1982-03-14 in digits 1-8",
        ),
        ("198203142006043002", "digit 15 of an NIP is the sex code 1 (male) or 2 (female), not '3'"),
        ("198203142006040002", "digit 15 of an NIP is the sex code 1 (male) or 2 (female), not '0'"),
        ("198203142006042000", "the sequence number in digits 16-18 of an NIP cannot be 000"),
        ("١٩٨٢٠٣١٤٢٠٠٦٠٤٢٠٠٢", "an NIP has only the digits 0-9; '١' at position 1 is not one"),
    ],
)
def test_invalid_nip(nip: str, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_nip(nip)
    assert str(caught.value) == message


def test_nip_with_a_letter_is_not_said_to_have_18_digits() -> None:
    with pytest.raises(ValueError) as caught:
        parse_nip("19820314200604200A")
    assert str(caught.value) == "an NIP has only the digits 0-9; 'A' at position 18 is not one"


birth_dates = st.dates(min_value=date(1940, 1, 1), max_value=date(2008, 12, 31))


@given(
    birth=birth_dates,
    years_later=st.integers(min_value=15, max_value=50),
    month=st.one_of(st.integers(min_value=1, max_value=12), st.just(PPPK_CODE)),
    sex_digit=st.sampled_from("12"),
    sequence=st.integers(min_value=1, max_value=999),
)
def test_nip_round_trip(birth: date, years_later: int, month: int, sex_digit: str, sequence: int) -> None:
    """Any NIP built from valid parts parses back to the same parts."""
    year = birth.year + years_later
    nip = f"{birth:%Y%m%d}{year:04d}{month:02d}{sex_digit}{sequence:03d}"
    assert len(nip) == 18
    pppk = month == PPPK_CODE
    assert parse_nip(nip) == NipParts(
        birth_date=birth,
        tmt_cpns_year=year,
        tmt_cpns_month=None if pppk else month,
        sex="L" if sex_digit == "1" else "P",
        sequence=sequence,
        pppk=pppk,
    )


# -- golongan --------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["III/b", "iii/B", "III b", "IIIb", " III / b ", "III-b", "III.b", 32, "32", " 32 "])
def test_golongan_parse_forms(value: object) -> None:
    assert Golongan.parse(value) is Golongan.III_B


def test_golongan_parse_keeps_a_golongan() -> None:
    assert Golongan.parse(Golongan.IV_E) is Golongan.IV_E


@pytest.mark.parametrize(
    "value",
    ["III/f", "V/a", "IIII/a", "III/", "", "golongan III", "46", 46, 10, 0, -32, 3.0, 32.0, True, None],
    ids=repr,
)
def test_golongan_invalid(value: object) -> None:
    with pytest.raises(ValueError) as caught:
        Golongan.parse(value)
    assert str(caught.value) == f"'{value}' is not a golongan; {ACCEPTED_GOLONGAN}"


@pytest.mark.parametrize("value", ["I/e", "II/e", "ii/E"])
def test_golongan_ruang_e_below_iii(value: str) -> None:
    with pytest.raises(ValueError) as caught:
        Golongan.parse(value)
    assert str(caught.value) == f"'{value}' is not a golongan; {ACCEPTED_GOLONGAN}"


@pytest.mark.parametrize(
    ("golongan", "label", "rank"),
    [
        (Golongan.I_A, "I/a", 1),
        (Golongan.I_D, "I/d", 4),
        (Golongan.II_A, "II/a", 5),
        (Golongan.II_D, "II/d", 8),
        (Golongan.III_A, "III/a", 9),
        (Golongan.III_B, "III/b", 10),
        (Golongan.III_D, "III/d", 12),
        (Golongan.IV_A, "IV/a", 13),
        (Golongan.IV_E, "IV/e", 17),
    ],
)
def test_golongan_label_and_rank(golongan: Golongan, label: str, rank: int) -> None:
    assert golongan.label == label
    assert golongan.rank == rank


def test_golongan_ladder() -> None:
    ladder = list(Golongan)
    assert len(ladder) == 17
    assert [g.rank for g in ladder] == list(range(1, 18))
    assert ladder == sorted(ladder)  # codes and ranks order the same way
    assert Golongan.labels()[0] == "I/a"
    assert Golongan.labels()[-1] == "IV/e"
    assert Golongan.III_B.value == 32


@given(st.sampled_from(list(Golongan)))
def test_golongan_round_trip(golongan: Golongan) -> None:
    """Every golongan reads back from its label (in any case and separator) and from its BKN code."""
    label = golongan.label
    assert Golongan.parse(label) is golongan
    assert Golongan.parse(label.lower()) is golongan
    assert Golongan.parse(label.upper()) is golongan
    assert Golongan.parse(label.replace("/", " ")) is golongan
    assert Golongan.parse(golongan.value) is golongan
    assert Golongan.parse(str(golongan.value)) is golongan
    assert Golongan(golongan.value) is golongan


@pytest.mark.parametrize(("text", "grade"), [("IX", 9), ("xvii", 17), ("IV", 4), ("PPPK XI", 11), ("7", 7), (5, 5)])
def test_pppk_golongan_roman_or_number(text: object, grade: int) -> None:
    from decision_support.models.codes import parse_pppk_grade

    assert parse_pppk_grade(text) == grade


def test_pppk_golongan_belongs_to_pppk_only() -> None:
    from pydantic import ValidationError

    from decision_support.models import EmployeeRecord

    base = {"name": "X", "position": "P", "tmt_position": "2024-01-01", "education_level": "S1"}
    pppk = EmployeeRecord.model_validate({**base, "nip": "198803152023212001", "status": "PPPK", "golongan_pppk": "IX"})
    assert pppk.golongan_pppk == 9
    with pytest.raises(ValidationError, match="only for PPPK"):
        EmployeeRecord.model_validate(
            {**base, "nip": "198203142006042002", "status": "PNS", "golongan": "III/a", "golongan_pppk": "IX"}
        )
    with pytest.raises(ValidationError, match="XVII"):
        EmployeeRecord.model_validate({**base, "nip": "198803152023212001", "status": "PPPK", "golongan_pppk": "XVIII"})
