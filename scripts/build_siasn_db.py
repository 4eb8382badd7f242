"""Build a SIASN-style SIMPEG database with synthetic rows, deterministically.

The tables are the SIASN mirror of kanekescom/laravel-siasn-simpeg (MIT; DDL copied in
plugins/seimbang-simpeg/schemas/), plus the three tables a Pemda keeps next to it because SIASN has no such data:
``unor_lokal`` (kind, sector and kecamatan of each unor), ``peta_jabatan`` (positions with formasi) and
``abk_tugas`` (ABK lines). The people come from the bundled synthetic Sawahlunto dataset (every person invented);
``--employees N`` adds synthetic copies with new NIPs to reach N employees. A few deliberately broken rows
(``--broken``) exercise the import's skip report.

    python scripts/build_siasn_db.py sqlite:///siasn.db
    python scripts/build_siasn_db.py mysql+pymysql://root@127.0.0.1:3306/siasn_demo --employees 30000

The database must exist and be empty (SQLite files are created).
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from decision_support import api

ROOT = Path(__file__).resolve().parent.parent
SCHEMAS = ROOT / "plugins" / "seimbang-simpeg" / "schemas"
GOLONGAN = [f"{r}/{c}" for r in ("I", "II", "III", "IV") for c in "abcde" if not (r != "IV" and c == "e")]
GOLONGAN_ID = {label: 10 * (1 + ["I", "II", "III", "IV"].index(label.split("/")[0])) + "abcde".index(label[-1]) + 1
               for label in GOLONGAN}  # fmt: skip
EDUCATION_ID = {"SD": "05", "SMP": "10", "SMA": "15", "D1": "17", "D2": "18", "D3": "20", "D4": "30", "S1": "40",
                "S2": "45", "S3": "50"}  # fmt: skip
SKP = {"sangat_baik": "SANGAT BAIK", "baik": "BAIK", "butuh_perbaikan": "BUTUH PERBAIKAN", "kurang": "KURANG",
       "sangat_kurang": "SANGAT KURANG"}  # fmt: skip
SANCTION = {"ringan": "R", "sedang": "S", "berat": "B"}
JENIS_JABATAN = {"jpt": 1, "administrator": 1, "pengawas": 1, "fungsional": 2, "pelaksana": 4}
LOCAL_TABLES = """
CREATE TABLE unor_lokal (unor_id VARCHAR(42) NOT NULL PRIMARY KEY, jenis VARCHAR(32) NOT NULL,
  sektor VARCHAR(32) NOT NULL, kecamatan VARCHAR(64));
CREATE TABLE peta_jabatan (id VARCHAR(64) NOT NULL PRIMARY KEY, unor_id VARCHAR(42) NOT NULL,
  jabatan_id VARCHAR(42) NOT NULL, nama VARCHAR(255) NOT NULL, jenis VARCHAR(32) NOT NULL, eselon VARCHAR(8),
  gol_min VARCHAR(8), gol_max VARCHAR(8), formasi INTEGER NOT NULL, min_pegawai INTEGER NOT NULL,
  memimpin INTEGER NOT NULL, mapel VARCHAR(64));
CREATE TABLE abk_tugas (id INTEGER NOT NULL PRIMARY KEY, jabatan VARCHAR(64) NOT NULL, uraian VARCHAR(255) NOT NULL,
  hasil VARCHAR(64) NOT NULL, volume INTEGER NOT NULL, norma_waktu INTEGER NOT NULL);
"""


def ddl(dialect: str) -> list[str]:
    """The CREATE TABLE statements for ``dialect``: the mirror's own DDL, then the Pemda's local tables."""
    name = "siasn_mirror.mariadb.sql" if dialect in ("mysql", "mariadb") else "siasn_mirror.sqlite.sql"
    text = (SCHEMAS / name).read_text(encoding="utf-8") + LOCAL_TABLES
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("--")]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]


def create_tables(engine: sa.Engine) -> None:
    dialect = engine.dialect.name
    if dialect in ("mysql", "mariadb", "sqlite"):
        with engine.begin() as conn:
            for statement in ddl(dialect):
                conn.exec_driver_sql(statement)
        return
    # PostgreSQL and others: the SQLite DDL, reflected, created with the target's own types.
    source = sa.create_engine("sqlite://")
    with source.begin() as conn:
        for statement in ddl("sqlite"):
            conn.exec_driver_sql(statement)
    metadata = sa.MetaData()
    metadata.reflect(source)
    for table in metadata.tables.values():
        for column in table.columns:
            column.type = column.type.as_generic() if not isinstance(column.type, sa.types.NullType) else sa.Text()
    metadata.create_all(engine)


def _uuid(*parts: object) -> str:
    return hashlib.sha1("/".join(map(str, parts)).encode()).hexdigest()[:32]


def _dmy(day: date) -> str:
    return day.strftime("%d-%m-%Y")


def people(dataset: api.Dataset, total: int, seed: int) -> list[tuple[str, Any]]:
    """(NIP, employee) pairs: the dataset's employees, then synthetic copies with new, valid, unique NIPs.

    A copy keeps its original's birth date, TMT CPNS and sex (the first 15 digits of the NIP, so every date stays
    consistent) and gets a new sequence number (the last 3 digits).
    """
    rows = [(e.nip, e) for e in dataset.employees]
    used = {nip for nip, _e in rows}
    rng = random.Random(seed)
    base = list(dataset.employees)
    while len(rows) < total:
        e = base[rng.randrange(len(base))]
        free = [n for n in (f"{e.nip[:15]}{seq:03d}" for seq in range(1, 1000)) if n not in used]
        if not free:
            continue
        nip = rng.choice(free)
        used.add(nip)
        rows.append((nip, e))
    return rows


def build(url: str, employees: int | None, seed: int, broken: bool) -> dict[str, int]:
    dataset = api.load_dataset(api.example_dataset())
    engine = sa.create_engine(url)
    create_tables(engine)
    metadata = sa.MetaData()
    metadata.reflect(engine)
    t = metadata.tables
    units = [
        {"Id": u.id, "DiatasanId": u.parent, "NamaUnor": u.name, "JenisUnorId": u.kind.value, "InstansiId": "PEMKO"}
        for u in dataset.units
    ]
    local = [
        {"unor_id": u.id, "jenis": u.kind.value, "sektor": u.sector, "kecamatan": u.kecamatan} for u in dataset.units
    ]
    posts = [
        {
            "id": p.id, "unor_id": p.unit, "jabatan_id": p.id[len(p.unit) + 1 :], "nama": p.name, "jenis": p.type.value,
            "eselon": p.eselon.value if p.eselon else None,
            "gol_min": p.golongan_min.label if p.golongan_min else None,
            "gol_max": p.golongan_max.label if p.golongan_max else None,
            "formasi": p.formasi, "min_pegawai": p.min_staff, "memimpin": int(p.leadership), "mapel": p.subject,
        }
        for p in dataset.positions
    ]  # fmt: skip
    abk = [
        {"id": i, "jabatan": w.position, "uraian": w.task, "hasil": w.output, "volume": w.volume,
         "norma_waktu": w.norma_waktu}
        for i, w in enumerate(dataset.workload, 1)
    ]  # fmt: skip
    kind = {p.id: p.type.value for p in dataset.positions}
    unit_of = {p.id: p.unit for p in dataset.positions}
    utama, skp, hukdis = [], [], []
    for nip, e in people(dataset, employees or len(dataset.employees), seed):
        pns_id = _uuid("pns", nip)
        jenis = JENIS_JABATAN[kind[e.position]]
        jabatan_id = e.position[len(unit_of[e.position]) + 1 :]
        unor = unit_of[e.position]
        utama.append(
            {
                "id": pns_id, "nipBaru": nip, "nipLama": "", "nama": e.name, "tglLahir": _dmy(date(int(nip[:4]),
                int(nip[4:6]), int(nip[6:8]))), "jenisKelamin": "M" if nip[14] == "1" else "F",
                "statusPegawai": e.status.value, "golRuangAkhirId": GOLONGAN_ID[e.golongan.label] if e.golongan else None,
                "unorId": unor, "jenisJabatanId": jenis,
                "jabatanStrukturalId": jabatan_id if jenis == 1 else None,
                "jabatanFungsionalId": jabatan_id if jenis == 2 else None,
                "jabatanFungsionalUmumId": jabatan_id if jenis == 4 else None,
                "tmtJabatan": _dmy(e.tmt_position), "tkPendidikanTerakhirId": EDUCATION_ID[e.education_level.value],
                "pendidikanTerakhirNama": e.education_field, "bupPensiun": e.bup,
            }
        )  # fmt: skip
        for s in e.skp:
            skp.append({"id": _uuid("skp", nip, s.year), "pnsDinilaiId": pns_id, "tahun": str(s.year),
                        "hasilKinerja": SKP[s.predicate.value]})  # fmt: skip
        for k, s in enumerate(e.sanctions):
            hukdis.append({"id": _uuid("hd", nip, k), "pnsOrang": pns_id, "jenisHukuman": SANCTION[s.level.value],
                           "hukumanTanggal_": s.start, "akhirHukumTanggal_": s.end,
                           "jenisHukumanNama": s.description})  # fmt: skip
    if broken:
        template = dict(utama[0])
        utama += [
            {**template, "id": "broken-nip", "nipBaru": "19790101200501100"},  # 17 digits
            {**template, "id": "broken-date", "nipBaru": "197913452005011001"},  # month 13
            {**template, "id": "broken-code", "nipBaru": "198001012005011001", "golRuangAkhirId": 99},
            {**template, "id": "broken-ref", "nipBaru": "198001012005011002", "unorId": "HILANG"},
        ]
        skp.append({"id": "skp-dangling", "pnsDinilaiId": "nobody", "tahun": "2024", "hasilKinerja": "BAIK"})
    with engine.begin() as conn:
        for table, rows in (
            ("siasn_simpeg_referensi_ref_unor", units), ("unor_lokal", local), ("peta_jabatan", posts),
            ("abk_tugas", abk), ("siasn_simpeg_pns_data_utama", utama), ("siasn_simpeg_pns_rw_skp22", skp),
            ("siasn_simpeg_pns_rw_hukdis", hukdis),
        ):  # fmt: skip
            for start in range(0, len(rows), 2000):
                conn.execute(t[table].insert(), rows[start : start + 2000])
    engine.dispose()
    return {"units": len(units), "positions": len(posts), "employees": len(utama), "skp": len(skp)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("url", help="SQLAlchemy URL of an existing, empty database (SQLite files are created)")
    parser.add_argument("--employees", type=int, default=None, help="number of employees (default: the dataset's)")
    parser.add_argument("--seed", type=int, default=1373)
    parser.add_argument("--broken", action="store_true", help="add a few rows the import must skip")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    counts = build(args.url, args.employees, args.seed, args.broken)
    print(f"built {args.url.split('@')[-1]}: {counts} in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
