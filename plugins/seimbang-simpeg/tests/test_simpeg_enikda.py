"""A second SIMPEG, ENIKDA style (Kab. Sinjai's schema), mapped by a mapping file alone: slots holding a NIP,
SKP predicates, birth date and sex from the NIP, the latest riwayat rows."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from conftest import REPO, server_database
from seimbang_simpeg import import_database, load_mapping

from decision_support import api

MAPPINGS = Path(__file__).resolve().parents[1] / "mappings"


def shared_simpeg() -> Path | None:
    """The shared SIMPEG reference folder (beside the clone in CI, further up in a worktree)."""
    for parent in REPO.parents:
        candidate = parent / "shared" / "simpeg"
        if (candidate / "enikda_sinjai_schema.sql").is_file():
            return candidate
    return None


@pytest.fixture
def enikda() -> str:
    shared = shared_simpeg()
    if shared is None:
        pytest.skip("the shared SIMPEG schemas (shared/simpeg/enikda_sinjai_schema.sql) are not beside the repository")
    client = shutil.which("mariadb") or shutil.which("mysql")
    if client is None:
        pytest.skip("no mariadb or mysql command-line client to load the ENIKDA dump")
    database = server_database("mariadb")
    url = next(database)
    name, host = url.rsplit("/", 1)[1], "127.0.0.1"
    dump = "SET SESSION sql_mode='';\n" + "\n".join(
        (shared / f).read_text(encoding="utf-8") for f in ("enikda_sinjai_schema.sql", "enikda_synthetic_rows.sql")
    )
    subprocess.run([client, f"-h{host}", "-uroot", name], input=dump, text=True, check=True, capture_output=True)
    yield url
    next(database, None)


def test_enikda_database_mapped_by_a_mapping_file_alone(enikda: str, tmp_path: Path) -> None:
    summary = import_database(enikda, MAPPINGS / "enikda.yaml", tmp_path / "d")
    counts = {table: (c.read, c.imported, c.skipped) for table, c in summary.tables.items()}
    assert counts == {
        "unit_data": (1, 1, 0),
        "jabatan_data": (1, 1, 0),
        "pegawai_data": (2, 1, 1),
        "skp_data": (1, 1, 0),
    }
    [skipped] = summary.skipped
    assert (skipped.table, skipped.key) == ("pegawai_data", "199202022019032002")
    assert "no value for required position (from j.jabatan_id)" in skipped.reason
    dataset = api.load_dataset(tmp_path / "d")
    [employee] = dataset.employees
    assert (employee.nip, employee.position, employee.unit) == ("199001012015031001", "SLOT-1", "1001")
    # Not stored in ENIKDA: derived from the NIP (19900101 ..., digit 15 = 1: male).
    assert (employee.birth_date, employee.sex.value if employee.sex else None) == (date(1990, 1, 1), "L")
    assert (employee.golongan.label if employee.golongan else None, employee.education_level.value) == ("III/b", "S1")
    assert employee.tmt_position == date(2021, 1, 4)  # the latest riwayat_jabatan row
    assert [(s.year, s.predicate.value) for s in employee.skp] == [(2024, "baik")]


def test_mapping_errors_name_the_file_and_the_problem(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    text = (MAPPINGS / "enikda.yaml").read_text(encoding="utf-8").replace("name: p.nama", "name: x.nama")
    bad.write_text(text.replace("  units:\n", "  unitz:\n", 1), encoding="utf-8")
    with pytest.raises(api.InputError) as error:
        load_mapping(bad)
    messages = [p.message for p in error.value.problems]
    assert any("unknown dataset tables ['unitz']" in m for m in messages), messages
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(api.InputError) as error:
        load_mapping(bad)
    assert [p.message for p in error.value.problems] == [
        "tables.employees: 'x.nama' is not alias.column of ['j', 'kp', 'p', 'rj', 'rp']"
    ]
