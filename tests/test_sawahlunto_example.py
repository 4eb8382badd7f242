"""The bundled synthetic Sawahlunto dataset: reproducible, valid, realistic in size, and imbalanced on purpose."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from decision_support.sources import load_dataset
from decision_support.workload import analyse_workload

ROOT = Path(__file__).resolve().parent.parent
DATASET = ROOT / "datasets" / "sawahlunto"
GENERATOR = ROOT / "scripts" / "generate_sawahlunto.py"


@pytest.fixture(scope="module")
def dataset():
    return load_dataset(DATASET)


@pytest.fixture(scope="module")
def report(dataset):
    return analyse_workload(dataset)


def test_generator_reproduces_the_committed_files_byte_for_byte(tmp_path: Path) -> None:
    subprocess.run([sys.executable, str(GENERATOR), "--out", str(tmp_path)], check=True, capture_output=True)
    generated = sorted(p.name for p in tmp_path.iterdir())
    assert generated == sorted(p.name for p in DATASET.iterdir())
    changed = [name for name in generated if (tmp_path / name).read_bytes() != (DATASET / name).read_bytes()]
    assert changed == [], "regenerate with: python scripts/generate_sawahlunto.py"


def test_another_seed_gives_other_data(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, str(GENERATOR), "--out", str(tmp_path), "--seed", "7"], check=True, capture_output=True
    )
    assert (tmp_path / "employees.csv").read_bytes() != (DATASET / "employees.csv").read_bytes()
    load_dataset(tmp_path)  # still valid


def test_manifest_marks_the_data_synthetic(dataset) -> None:
    assert dataset.manifest.synthetic is True
    assert dataset.manifest.name == "Kota Sawahlunto (data sintetis)"
    assert dataset.as_of.isoformat() == "2026-11-01"
    assert dataset.settings.wke_hours == 1250
    assert "SYNTHETIC" in (DATASET / "README.md").read_text(encoding="utf-8")


def test_counts_match_the_city(dataset) -> None:
    kinds = Counter(u.kind.value for u in dataset.units)
    levels = Counter(s.level.value for s in dataset.schools)
    assert 2500 <= len(dataset.employees) <= 3000
    assert levels == {"SD": 63, "SMP": 14}
    assert kinds["school"] == 77
    assert kinds["puskesmas"] == 6
    assert kinds["service_counter"] == 3
    assert 20 <= kinds["opd"] - 1 <= 30
    assert set(dataset.settings.kecamatan) == {"Barangin", "Lembah Segar", "Silungkang", "Talawi"}
    assert {u.kecamatan for u in dataset.units} == set(dataset.settings.kecamatan)


def test_workforce_mix(dataset) -> None:
    positions = {p.id: p for p in dataset.positions}
    teachers = [e for e in dataset.employees if positions[e.position].subject]
    status = Counter(e.status.value for e in dataset.employees)
    assert 800 <= len(teachers) <= 1000
    assert 0.05 <= status["PPPK"] / len(dataset.employees) <= 0.15
    assert status["CPNS"] > 0
    assert all(e.golongan is None for e in dataset.employees if e.status.value == "PPPK")
    assert all(e.tmt_position <= dataset.as_of for e in dataset.employees)


def test_teacher_posts_have_no_abk_and_every_other_post_has_tasks(dataset) -> None:
    with_tasks = {t.position for t in dataset.workload}
    schools = {s.unit for s in dataset.schools}
    for position in dataset.positions:
        assert (position.id in with_tasks) is (position.unit not in schools), position.id


def test_teachers_are_unevenly_spread(report) -> None:
    short = [s for s in report.schools if s.gap < 0]
    surplus = [s for s in report.schools if s.gap > 0]
    assert len(short) >= 5
    assert len(surplus) >= 5
    informatika = [t for t in report.teachers if t.subject == "informatika"]
    assert sum(t.holders for t in informatika) < sum(t.needed for t in informatika) / 2


def test_service_units_are_overloaded_and_setda_has_spare_capacity(report) -> None:
    opd = {u.unit: u.ej for u in report.opds}
    unit = {u.unit: u.ej for u in report.units}
    assert opd["DISDUKCAPIL"] > 1.1
    assert opd["DISPARPORA"] > 1.1
    assert min(ej for ej in opd.values() if ej is not None) < 0.7
    assert opd["SETDA"] < 0.7
    for counter in ("LOKET-DUKCAPIL", "MPP", "TIC"):
        assert unit[counter] > 1.1, counter
    assert sum(1 for u in report.units if u.kind == "puskesmas" and u.ej > 1.1) >= 3


def test_tourism_and_it_talent_sits_outside_disparpora_and_diskominfo(dataset) -> None:
    positions = {p.id: p for p in dataset.positions}

    def opd_of(employee) -> str:
        unit = positions[employee.position].unit
        return {"TIC": "DISPARPORA"}.get(unit, unit)

    outside = Counter(
        c.code
        for e in dataset.employees
        if opd_of(e) not in ("DISPARPORA", "DISKOMINFO")
        for c in e.competencies
        if c.code in ("T.PARIWISATA", "T.TI") and c.level >= 2
    )
    assert outside["T.PARIWISATA"] >= 5
    assert outside["T.TI"] >= 5
    wishes = {p.unit for e in dataset.employees for p in e.preferences if p.kind.value == "wish"}
    assert {"DISPARPORA", "DISKOMINFO"} <= wishes
