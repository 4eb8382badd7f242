"""Write a synthetic SIASN employee CSV export ("Export Data ASN"), deterministically.

No sample of the real export is available to the project, so this file is built: the columns are BKN's field names
of the export, in its order, as kanekescom/laravel-siasn-simpeg imports it into ``siasn_simpeg_pegawai`` (MIT;
listed in ../shared/simpeg/siasn_mirror_fields.txt, migration 2024_01_02_000001 plus ``nama_sekolah``). The people
are the bundled synthetic Sawahlunto dataset's PNS and CPNS (every person invented; PPPK are not in this export).
**Value formats are inferred**, not observed in a real export: dates ``dd-mm-yyyy``, ``jenis_kelamin``
``Pria``/``Wanita``, ``status_cpns_pns`` ``P``/``C``, ids from the SIASN reference tables (golongan 11 = I/a ...
45 = IV/e, tingkat pendidikan, jenis jabatan 1/2/4, jenis pegawai 15, kedudukan hukum 01). Personal data columns
(NIK, phone, e-mail, address, NPWP, BPJS) stay empty.

    python scripts/build_siasn_export.py siasn-export.csv                 # every PNS and CPNS (2,386 rows)
    python scripts/build_siasn_export.py small.csv --every 40             # every 40th of them
    python scripts/build_siasn_export.py broken.csv --every 400 --broken  # plus rows the import must skip

The units, positions (formasi) and ABK the export lacks come from the Pemda database that
scripts/build_siasn_db.py builds (docs/simpeg.md, "The SIASN CSV export").
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import sys
from datetime import date
from pathlib import Path
from typing import Any

from decision_support import api

#: The export's columns, in order (kanekescom siasn_simpeg_pegawai).
COLUMNS = [
    "pns_id",
    "nip_baru",
    "nip_lama",
    "nama",
    "gelar_depan",
    "gelar_belakang",
    "tempat_lahir_id",
    "tempat_lahir_nama",
    "tanggal_lahir",
    "jenis_kelamin",
    "agama_id",
    "agama_nama",
    "jenis_kawin_id",
    "jenis_kawin_nama",
    "nik",
    "nomor_hp",
    "email",
    "email_gov",
    "alamat",
    "npwp_nomor",
    "bpjs",
    "jenis_pegawai_id",
    "jenis_pegawai_nama",
    "kedudukan_hukum_id",
    "kedudukan_hukum_nama",
    "status_cpns_pns",
    "kartu_asn_virtual",
    "nomor_sk_cpns",
    "tanggal_sk_cpns",
    "tmt_cpns",
    "nomor_sk_pns",
    "tanggal_sk_pns",
    "tmt_pns",
    "gol_awal_id",
    "gol_awal_nama",
    "gol_akhir_id",
    "gol_akhir_nama",
    "tmt_golongan",
    "mk_tahun",
    "mk_bulan",
    "jenis_jabatan_id",
    "jenis_jabatan_nama",
    "jabatan_id",
    "jabatan_nama",
    "tmt_jabatan",
    "tingkat_pendidikan_id",
    "tingkat_pendidikan_nama",
    "pendidikan_id",
    "pendidikan_nama",
    "tahun_lulus",
    "kpkn_id",
    "kpkn_nama",
    "lokasi_kerja_id",
    "lokasi_kerja_nama",
    "unor_id",
    "unor_nama",
    "instansi_induk_id",
    "instansi_induk_nama",
    "instansi_kerja_id",
    "instansi_kerja_nama",
    "satuan_kerja_induk_id",
    "satuan_kerja_induk_nama",
    "satuan_kerja_kerja_id",
    "satuan_kerja_kerja_nama",
    "is_valid_nik",
    "nama_sekolah",
]
EDUCATION_ID = {"SD": "05", "SMP": "10", "SMA": "15", "D1": "17", "D2": "18", "D3": "20", "D4": "30", "S1": "40",
                "S2": "45", "S3": "50"}  # fmt: skip
#: SIASN jenisJabatan: 1 struktural, 2 fungsional tertentu, 4 fungsional umum (pelaksana).
JENIS_JABATAN = {"jpt": "1", "administrator": "1", "pengawas": "1", "fungsional": "2", "pelaksana": "4"}
JENIS_JABATAN_NAMA = {"1": "Jabatan Struktural", "2": "Jabatan Fungsional Tertentu", "4": "Jabatan Fungsional Umum"}
FRONT_TITLES = ("dr.", "drg.", "drh.")


def _dmy(day: date) -> str:
    return day.strftime("%d-%m-%Y")


def _pns_id(nip: str) -> str:
    return hashlib.sha1(f"pns/{nip}".encode()).hexdigest()[:32]  # as scripts/build_siasn_db.py


def split_name(full: str) -> tuple[str, str, str]:
    """(gelar_depan, nama, gelar_belakang) of a name as the dataset writes it: "dr. Nama, Sp.A"."""
    front, rest = "", full
    first, _sep, tail = full.partition(" ")
    if first in FRONT_TITLES:
        front, rest = first, tail
    name, _sep, back = rest.partition(", ")
    return front, name, back


def row(e: Any, dataset: api.Dataset) -> dict[str, str]:
    position = next(p for p in dataset.positions if p.id == e.position)
    unit = next(u for u in dataset.units if u.id == position.unit)
    jenis = JENIS_JABATAN[position.type.value]
    front, name, back = split_name(e.name)
    tmt_cpns = date(int(e.nip[8:12]), int(e.nip[12:14]), 1)
    nip = api.parse_nip(e.nip)  # birth date and sex as the NIP encodes them (the dataset may leave them out)
    out = dict.fromkeys(COLUMNS, "")
    out.update(
        pns_id=_pns_id(e.nip), nip_baru=e.nip, nama=name, gelar_depan=front, gelar_belakang=back,
        tempat_lahir_nama="Sawahlunto", tanggal_lahir=_dmy(e.birth_date or nip.birth_date),
        jenis_kelamin="Pria" if (e.sex.value if e.sex else nip.sex) == "L" else "Wanita",
        jenis_pegawai_id="15", jenis_pegawai_nama="PNS Daerah Kab./Kota yang bekerja pada Kab./Kota",
        kedudukan_hukum_id="01", kedudukan_hukum_nama="Aktif",
        status_cpns_pns="P" if e.status.value == "PNS" else "C", tmt_cpns=_dmy(tmt_cpns),
        gol_akhir_id=str(e.golongan.value) if e.golongan else "", gol_akhir_nama=e.golongan.label if e.golongan else "",
        jenis_jabatan_id=jenis, jenis_jabatan_nama=JENIS_JABATAN_NAMA[jenis],
        jabatan_id=position.id[len(position.unit) + 1 :], jabatan_nama=position.name, tmt_jabatan=_dmy(e.tmt_position),
        tingkat_pendidikan_id=EDUCATION_ID[e.education_level.value],
        tingkat_pendidikan_nama=e.education_level.value, pendidikan_nama=e.education_field or "",
        lokasi_kerja_nama="Kota Sawahlunto", unor_id=unit.id, unor_nama=unit.name,
        instansi_induk_id="PEMKO", instansi_induk_nama="Pemerintah Kota Sawahlunto",
        instansi_kerja_id="PEMKO", instansi_kerja_nama="Pemerintah Kota Sawahlunto",
    )  # fmt: skip
    return out


def broken_rows(template: dict[str, str]) -> list[dict[str, str]]:
    """Rows the import must skip, each for one reason (see the plugin's tests)."""
    return [
        {**template, "nip_baru": "19790101200501100"},  # 17 digits
        {**template, "nip_baru": "198001012005011003", "tmt_jabatan": "31-02-2020"},  # no such day
        {**template, "nip_baru": "198001012005011001", "gol_akhir_id": "99"},  # no such golongan code
        {**template, "nip_baru": "198001012005011002", "unor_id": "HILANG"},  # no such position
        dict(template),  # the template's NIP again
    ]


def build(path: Path, every: int = 1, broken: bool = False) -> int:
    """Write the export to ``path``; return the number of rows written."""
    dataset = api.load_dataset(api.example_dataset())
    employees = [e for e in dataset.employees if e.status.value in ("PNS", "CPNS")][::every]
    rows = [row(e, dataset) for e in employees]
    if broken:
        rows += broken_rows(rows[0])
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return len(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path", type=Path, help="the CSV file to write")
    parser.add_argument("--every", type=int, default=1, help="keep every N-th PNS/CPNS (default: all)")
    parser.add_argument("--broken", action="store_true", help="add rows the import must skip")
    args = parser.parse_args(argv)
    print(f"wrote {args.path}: {build(args.path, args.every, args.broken)} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
