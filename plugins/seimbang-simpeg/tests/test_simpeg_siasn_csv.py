"""The SIASN employee CSV export as a source: employees from the file, units, positions and ABK from a database."""

from __future__ import annotations

import csv
import shutil
import tracemalloc
from pathlib import Path

import pytest
import sqlalchemy as sa
import yaml
from build_siasn_db import build as build_database
from build_siasn_export import COLUMNS
from build_siasn_export import build as build_export
from click.testing import CliRunner
from seimbang_simpeg import import_database, plugin
from seimbang_simpeg.csv_export import csv_rows
from seimbang_simpeg.mapping import load_mapping

from decision_support import api
from decision_support.cli import main

PLUGIN = Path(__file__).resolve().parents[1]
MAPPING = PLUGIN / "mappings" / "siasn-export.yaml"
DATA = Path(__file__).resolve().parent / "data"
CLEAN, BROKEN = DATA / "siasn-export.csv", DATA / "siasn-export-broken.csv"
#: (row, NIP) -> reason of every row of siasn-export-broken.csv the import must skip.
SKIPPED = {
    "row 8, NIP 19790101200501100": "malformed NIP '19790101200501100': an NIP has exactly 18 digits",
    "row 9, NIP 198001012005011003": "tmt_position '31-02-2020' is not a date (from e.tmt_jabatan)",
    "row 10, NIP 198001012005011001": "code '99' of e.gol_akhir_id has no translation in the mapping",
    "row 11, NIP 198001012005011002": "position 'HILANG.SEKDA' is not among the imported positions",
    "row 12, NIP 197306162003102497": "NIP 197306162003102497 appears twice",
}


@pytest.fixture(scope="module")
def pemda(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with the Pemda database the shipped mapping names (sqlite:///siasn.db, relative)."""
    folder = tmp_path_factory.mktemp("pemda")
    build_database(f"sqlite:///{folder / 'siasn.db'}", None, 1373, broken=False)
    return folder


@pytest.fixture
def in_pemda(pemda: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The working directory holds the Pemda database (as the mapping's relative URL expects); output goes here."""
    monkeypatch.chdir(pemda)
    return tmp_path


@pytest.fixture
def registered() -> object:
    api.default_plugins().register(plugin, "simpeg")
    yield plugin
    api.default_plugins().unregister("simpeg")


def test_the_committed_exports_are_what_the_script_writes(tmp_path: Path) -> None:
    build_export(tmp_path / "clean.csv", every=40)
    build_export(tmp_path / "broken.csv", every=400, broken=True)
    assert (tmp_path / "clean.csv").read_bytes() == CLEAN.read_bytes()
    assert (tmp_path / "broken.csv").read_bytes() == BROKEN.read_bytes()
    with CLEAN.open(encoding="utf-8") as fh:
        assert next(csv.reader(fh)) == list(COLUMNS)


def test_the_employees_of_the_export_round_trip(in_pemda: Path) -> None:
    """Checked against the dataset the export was written from (not against the mapping's own logic)."""
    summary = import_database(str(CLEAN), MAPPING, in_pemda / "out")
    assert summary.skipped == []
    imported = {e.nip: e for e in api.load_dataset(in_pemda / "out").employees}
    original = {e.nip: e for e in api.load_dataset(api.example_dataset()).employees}
    assert len(imported) == 60
    for nip, e in imported.items():
        o = original[nip]
        assert (e.name, e.status, e.golongan, e.position, e.unit, e.tmt_position) == (
            o.name, o.status, o.golongan, o.position, o.unit, o.tmt_position,
        ), nip  # fmt: skip
        assert (e.education_level, e.education_field) == (o.education_level, o.education_field), nip
        parts = api.parse_nip(nip)
        assert (e.birth_date, e.sex.value if e.sex else None) == (parts.birth_date, parts.sex), nip


def test_rows_that_cannot_be_mapped_are_named_by_file_row_and_nip_and_counts_add_up(in_pemda: Path) -> None:
    summary = import_database(str(BROKEN), MAPPING, in_pemda / "out")
    assert {r.key: r.reason for r in summary.skipped}.keys() == SKIPPED.keys()
    for row in summary.skipped:
        assert row.table == "siasn-export-broken.csv"
        assert row.reason.startswith(SKIPPED[row.key]), row
    for name, count in summary.tables.items():
        assert count.read == count.imported + count.skipped, name
    assert summary.tables["siasn-export-broken.csv"].read == 11
    assert summary.tables["siasn-export-broken.csv"].imported == 6
    assert summary.tables["peta_jabatan"].imported == 961
    assert len(api.load_dataset(in_pemda / "out").employees) == 6


def test_cli_import_from_the_export_then_check(in_pemda: Path, registered) -> None:
    runner = CliRunner()
    out = in_pemda / "d"
    result = runner.invoke(main, ["import", "--source", str(CLEAN), "--mapping", str(MAPPING), "-o", str(out),
                                  "--lang", "en"])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "siasn-export.csv" in result.output and "60 read, 60 imported, 0 skipped" in result.output
    checked = runner.invoke(main, ["check", str(out), "--lang", "en"])
    assert checked.exit_code == 0, checked.output
    assert "60 employees" in checked.output
    # Every command that takes a dataset reads the export directly too.
    direct = runner.invoke(main, ["check", "--source", str(CLEAN), "--mapping", str(MAPPING), "--lang", "en"])
    assert direct.exit_code == 0, direct.output


def test_cli_import_of_a_broken_export_lists_the_skipped_rows(in_pemda: Path, registered) -> None:
    out = in_pemda / "d"
    result = CliRunner().invoke(
        main, ["import", "--source", str(BROKEN), "--mapping", str(MAPPING), "-o", str(out), "--lang", "en"]
    )
    assert result.exit_code == 1, result.output
    assert "skipped: siasn-export-broken.csv row 8, NIP 19790101200501100: malformed NIP" in result.output
    assert "11 read, 6 imported, 5 skipped" in result.output
    assert CliRunner().invoke(main, ["check", str(out)]).exit_code == 0


def test_only_reads_reach_the_database(in_pemda: Path) -> None:
    seen: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany) -> None:
        seen.append(statement)

    sa.event.listen(sa.engine.Engine, "before_cursor_execute", record)
    try:
        import_database(str(CLEAN), MAPPING, in_pemda / "out")
    finally:
        sa.event.remove(sa.engine.Engine, "before_cursor_execute", record)
    assert seen and all(s.lstrip().upper().startswith(("SELECT", "PRAGMA QUERY_ONLY")) for s in seen)


def test_without_a_database_the_mapping_says_what_the_export_lacks(tmp_path: Path) -> None:
    raw = yaml.safe_load(MAPPING.read_text(encoding="utf-8"))
    del raw["database"]
    mapping = tmp_path / "no-database.yaml"
    mapping.write_text(yaml.safe_dump(raw), encoding="utf-8")
    with pytest.raises(api.InputError) as caught:
        import_database(str(CLEAN), mapping, tmp_path / "out")
    [problem] = caught.value.problems
    assert problem.location.path == str(mapping)
    assert problem.message == (
        "the dataset tables units, positions, workload are not in the SIASN CSV export, which holds employees only "
        "(no unit kinds and sectors, no formasi, no ABK, no SKP, no sanctions); name the database that has them as "
        "'database: URL' in the mapping"
    )
    assert not (tmp_path / "out").exists()


def test_a_column_missing_from_the_export_is_named_with_did_you_mean(in_pemda: Path) -> None:
    export = in_pemda / "renamed.csv"
    text = CLEAN.read_text(encoding="utf-8")
    export.write_text(text.replace("tmt_jabatan", "tmt_jab", 1), encoding="utf-8")
    with pytest.raises(api.InputError) as caught:
        import_database(str(export), MAPPING, in_pemda / "out")
    [problem] = caught.value.problems
    assert (problem.location.path, problem.location.line) == (str(export), 1)
    assert problem.message == "the export has no column 'tmt_jabatan' (the mapping reads e.tmt_jabatan); did you " \
        "mean 'tmt_jab'?"  # fmt: skip


def test_a_semicolon_export_is_read_too(in_pemda: Path) -> None:
    export = in_pemda / "semicolon.csv"
    with CLEAN.open(encoding="utf-8", newline="") as src, export.open("w", encoding="utf-8", newline="") as dst:
        csv.writer(dst, delimiter=";").writerows(csv.reader(src))
    summary = import_database(str(export), MAPPING, in_pemda / "out")
    assert summary.tables["semicolon.csv"].imported == 60 and not summary.skipped


def test_the_export_is_streamed_in_bounded_memory(tmp_path: Path) -> None:
    """20,000 rows (about 9 MB) are mapped one at a time: the reader holds a row, not the file."""
    big = tmp_path / "big.csv"
    with CLEAN.open(encoding="utf-8", newline="") as fh:
        header, first = list(csv.reader(fh))[:2]
    with big.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        for i in range(20_000):
            writer.writerow([f"{first[0]}{i}", *first[1:]])
    assert big.stat().st_size > 8_000_000
    source = load_mapping(MAPPING).tables["employees"]
    options = load_mapping(MAPPING).csv
    assert options is not None
    tracemalloc.start()
    try:
        total, rows = csv_rows(big, source, options)
        count = sum(1 for _row in rows)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert (total, count) == (20_000, 20_000)
    assert peak < 500_000, peak


def test_a_mapping_without_a_csv_section_refuses_a_csv_source(tmp_path: Path) -> None:
    shutil.copy(CLEAN, tmp_path / "export.csv")
    with pytest.raises(api.InputError, match="a CSV source needs a mapping with a 'csv:' section"):
        import_database(str(tmp_path / "export.csv"), PLUGIN / "mappings" / "siasn-mirror.yaml", tmp_path / "out")
