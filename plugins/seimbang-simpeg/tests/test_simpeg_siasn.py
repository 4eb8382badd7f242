"""The SIASN mirror through the mapping file: real SQLite, MariaDB and PostgreSQL databases, read-only."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from build_siasn_db import build
from click.testing import CliRunner
from seimbang_simpeg import import_database, plugin
from seimbang_simpeg.reader import WriteRefused, make_engine, read_only

from decision_support import api
from decision_support.cli import main

MAPPING = Path(__file__).resolve().parents[1] / "mappings" / "siasn-mirror.yaml"
BROKEN = {
    ("siasn_simpeg_pns_data_utama", "19790101200501100"): "malformed NIP",
    ("siasn_simpeg_pns_data_utama", "197913452005011001"): "is not a date",
    ("siasn_simpeg_pns_data_utama", "198001012005011001"): "code '99' of du.golRuangAkhirId has no translation",
    ("siasn_simpeg_pns_data_utama", "198001012005011002"): "position 'HILANG.SEKDA' is not among the imported",
    ("siasn_simpeg_pns_rw_skp22", "skp-dangling"): "no value for required nip (from du.nipBaru)",
}


@pytest.fixture
def siasn(empty_database: str) -> str:
    build(empty_database, None, 1373, broken=True)
    return empty_database


@pytest.fixture
def registered() -> object:
    api.default_plugins().register(plugin, "simpeg")
    yield plugin
    api.default_plugins().unregister("simpeg")


def _statements() -> tuple[list[str], object]:
    seen: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany) -> None:
        seen.append(statement)

    return seen, record


def test_import_round_trips_the_dataset_and_reports_every_skipped_row(siasn: str, tmp_path: Path) -> None:
    seen, record = _statements()
    sa.event.listen(sa.engine.Engine, "before_cursor_execute", record)
    try:
        summary = import_database(siasn, MAPPING, tmp_path / "out")
    finally:
        sa.event.remove(sa.engine.Engine, "before_cursor_execute", record)
    # Nothing but reads reached the server (the transaction is read-only as well, see below).
    assert seen and all(s.lstrip().upper().startswith(("SELECT", "SET TRANSACTION READ ONLY", "PRAGMA QUERY_ONLY"))
                        for s in seen)  # fmt: skip
    # Every skipped row is named with table, key and reason; nothing else is skipped.
    assert {(r.table, r.key) for r in summary.skipped} == set(BROKEN)
    for row in summary.skipped:
        assert BROKEN[(row.table, row.key)] in row.reason
    for table, count in summary.tables.items():
        assert count.read == count.imported + count.skipped, table
    assert summary.tables["siasn_simpeg_pns_data_utama"].read == 2685
    # An independent check: the import gives back the dataset the database was built from.
    original, imported = api.load_dataset(api.example_dataset()), api.load_dataset(tmp_path / "out")
    fields = ("nip", "name", "status", "golongan", "position", "tmt_position", "education_level", "bup")

    def key(e: object) -> tuple[str, ...]:
        nip = api.parse_nip(e.nip)  # type: ignore[attr-defined]
        sex, birth = e.sex or nip.sex, e.birth_date or nip.birth_date  # type: ignore[attr-defined]
        return (*(str(getattr(e, f)) for f in fields), str(sex), str(birth))

    assert sorted(map(key, imported.employees)) == sorted(map(key, original.employees))
    assert sorted((e.nip, s.year, s.predicate) for e in imported.employees for s in e.skp) == sorted(
        (e.nip, s.year, s.predicate) for e in original.employees for s in e.skp
    )
    assert sorted((e.nip, s.level, s.start, s.end) for e in imported.employees for s in e.sanctions) == sorted(
        (e.nip, s.level, s.start, s.end) for e in original.employees for s in e.sanctions
    )
    assert sorted(p.model_dump_json() for p in imported.positions) == sorted(
        p.model_dump_json() for p in original.positions
    )
    assert sorted(u.model_dump_json() for u in imported.units) == sorted(u.model_dump_json() for u in original.units)
    assert len(imported.workload) == len(original.workload)


def test_the_connection_cannot_write(siasn: str) -> None:
    """Two layers: the guard refuses any non-read statement, and the read-only transaction refuses writes."""
    engine = make_engine(siasn)
    with read_only(engine) as conn, pytest.raises(WriteRefused):
        conn.exec_driver_sql("DELETE FROM peta_jabatan")
    raw = sa.create_engine(siasn)  # without the guard: the server itself must refuse
    with raw.connect() as conn:
        conn.exec_driver_sql("PRAGMA query_only = ON" if raw.dialect.name == "sqlite" else "SET TRANSACTION READ ONLY")
        with pytest.raises(sa.exc.DBAPIError):
            conn.exec_driver_sql("DELETE FROM peta_jabatan")
        conn.rollback()
    with raw.connect() as conn:
        assert conn.exec_driver_sql("SELECT COUNT(*) FROM peta_jabatan").scalar_one() == 961
    engine.dispose()
    raw.dispose()


def test_cli_import_and_screen_from_the_database(empty_database: str, registered, tmp_path: Path) -> None:
    build(empty_database, None, 1373, broken=False)
    runner = CliRunner()
    result = runner.invoke(
        main,
        ["import", "--source", empty_database, "--mapping", str(MAPPING), "-o", str(tmp_path / "d"), "--lang", "en"],
    )
    assert result.exit_code == 0, result.output
    assert "siasn_simpeg_pns_data_utama    : 2,681 read, 2,681 imported, 0 skipped" in result.output
    assert runner.invoke(main, ["check", str(tmp_path / "d")]).exit_code == 0
    source = ["--source", empty_database, "--mapping", str(MAPPING), "--lang", "en"]
    direct = runner.invoke(main, ["screen", *source, "--need", "PKM-TALAWI.BIDAN", "--format", "json"])
    from_folder = runner.invoke(main, ["screen", str(api.example_dataset()), "--need", "PKM-TALAWI.BIDAN",
                                       "--format", "json", "--lang", "en"])  # fmt: skip
    assert direct.exit_code == 0, direct.output
    strip = lambda text: [line for line in text.splitlines() if '"name"' not in line or "dataset" not in line]  # noqa: E731
    assert '"eligible"' in direct.output
    assert len(strip(direct.output)) == len(strip(from_folder.output))


def test_source_with_unmappable_rows_fails_closed(siasn: str, registered) -> None:
    result = CliRunner().invoke(main, ["check", "--source", siasn, "--mapping", str(MAPPING), "--lang", "en"])
    assert result.exit_code == 2
    assert "19790101200501100" in result.output
    assert "5 rows cannot be mapped" in result.output


def test_cli_import_exit_code_1_lists_skipped_rows(siasn: str, registered, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["import", "--source", siasn, "--mapping", str(MAPPING), "-o", str(tmp_path / "d"), "--lang", "en"]
    )
    assert result.exit_code == 1, result.output
    assert "skipped: siasn_simpeg_pns_rw_skp22 skp-dangling: no value for required nip" in result.output
    assert "2,685 read, 2,681 imported, 4 skipped" in result.output
