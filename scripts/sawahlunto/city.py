"""The catalogue of the synthetic Kota Sawahlunto: OPD, schools, puskesmas, service counters, subjects.

Public facts (domain reference, section 5): 4 kecamatan with the 2010 census
population (Talawi 17,676; Barangin 16,852; Lembah Segar 12,164; Silungkang
10,120), 63 SD and 14 SMP (BPS ~2017/18), the seat of government in Barangin
and the city centre in Lembah Segar, the MPP in Muaro Kalaban (Kec. Silungkang).
The full OPD list (SOTK Perda) and the puskesmas list are not confirmed; the
ones below are a plausible reconstruction.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field

from . import KECAMATAN

#: 2010 census population per kecamatan (schools are spread roughly in proportion).
POPULATION_2010 = {"Barangin": 16852, "Lembah Segar": 12164, "Silungkang": 10120, "Talawi": 17676}
#: Short codes used in unit ids.
KEC_CODE = {"Barangin": "BARANGIN", "Lembah Segar": "LEMBAH-SEGAR", "Silungkang": "SILUNGKANG", "Talawi": "TALAWI"}
#: 63 SD and 14 SMP split by population share (largest remainder).
SD_PER_KEC = {"Talawi": 20, "Barangin": 19, "Lembah Segar": 13, "Silungkang": 11}
SMP_PER_KEC = {"Talawi": 4, "Barangin": 4, "Lembah Segar": 3, "Silungkang": 3}
SEAT = "Barangin"
CLASS_SIZE_MAX = {"SD": 28, "SMP": 32}


@dataclass(frozen=True)
class Opd:
    """One perangkat daerah: id, name, sector, kecamatan, its bidang/bagian and its teknis domain."""

    id: str
    name: str
    sector: str
    #: "dinas", "badan", "setda", "setwan", "inspektorat" or "kecamatan" (decides the structure).
    shape: str
    #: Names of the bidang (dinas/badan), bagian (Setda) or seksi (kecamatan).
    bidang: tuple[str, ...]
    #: Teknis competency code of the OPD's own affairs.
    domain: str
    kecamatan: str = SEAT


# fmt: off
OPDS: tuple[Opd, ...] = (
    Opd("SETDA", "Sekretariat Daerah", "pemerintahan", "setda",
        ("Tata Pemerintahan", "Hukum", "Kesejahteraan Rakyat", "Perekonomian", "Administrasi Pembangunan",
         "Pengadaan Barang dan Jasa", "Organisasi", "Umum", "Protokol dan Komunikasi Pimpinan"), "T.PEMERINTAHAN"),
    Opd("SETWAN", "Sekretariat DPRD", "pemerintahan", "setwan",
        ("Umum dan Keuangan", "Persidangan dan Perundang-undangan", "Fasilitasi Penganggaran dan Pengawasan"),
        "T.PERSIDANGAN"),
    Opd("INSPEKTORAT", "Inspektorat Daerah", "pengawasan", "inspektorat",
        ("Inspektur Pembantu Wilayah I", "Inspektur Pembantu Wilayah II", "Inspektur Pembantu Wilayah III"),
        "T.PENGAWASAN"),
    Opd("BAPPEDA", "Badan Perencanaan Pembangunan, Penelitian dan Pengembangan Daerah", "perencanaan", "badan",
        ("Perencanaan Pemerintahan dan Pembangunan Manusia", "Perencanaan Perekonomian dan Infrastruktur",
         "Penelitian dan Pengembangan"), "T.PERENCANAAN"),
    Opd("BKPSDM", "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia", "kepegawaian", "badan",
        ("Pengadaan dan Informasi Kepegawaian", "Mutasi dan Promosi", "Pengembangan Kompetensi"), "T.KEPEGAWAIAN"),
    Opd("BKAD", "Badan Keuangan dan Aset Daerah", "keuangan", "badan",
        ("Anggaran", "Perbendaharaan", "Akuntansi", "Aset", "Pendapatan"), "T.KEUANGAN"),
    Opd("DISDIK", "Dinas Pendidikan", "pendidikan", "dinas",
        ("Pembinaan PAUD dan Pendidikan Nonformal", "Pembinaan Sekolah Dasar", "Pembinaan SMP",
         "Ketenagaan"), "T.MANAJEMEN.PENDIDIKAN"),
    Opd("DINKES", "Dinas Kesehatan", "kesehatan", "dinas",
        ("Kesehatan Masyarakat", "Pencegahan dan Pengendalian Penyakit", "Pelayanan dan Sumber Daya Kesehatan"),
        "T.KESEHATAN.MASYARAKAT"),
    Opd("DINSOS", "Dinas Sosial", "sosial", "dinas",
        ("Rehabilitasi dan Perlindungan Sosial", "Pemberdayaan Sosial dan Penanganan Fakir Miskin"), "T.SOSIAL"),
    Opd("DISDUKCAPIL", "Dinas Kependudukan dan Pencatatan Sipil", "kependudukan", "dinas",
        ("Pelayanan Pendaftaran Penduduk", "Pelayanan Pencatatan Sipil", "Pengelolaan Informasi Administrasi Kependudukan"),
        "T.KEPENDUDUKAN"),
    Opd("DPMPTSPNAKER", "Dinas Penanaman Modal, Pelayanan Terpadu Satu Pintu dan Tenaga Kerja", "perizinan", "dinas",
        ("Penanaman Modal", "Pelayanan Perizinan", "Tenaga Kerja"), "T.PERIZINAN"),
    Opd("DISPARPORA", "Dinas Pariwisata, Pemuda dan Olahraga", "pariwisata", "dinas",
        ("Destinasi Pariwisata", "Pemasaran Pariwisata dan Ekonomi Kreatif", "Pemuda dan Olahraga"), "T.PARIWISATA"),
    Opd("DPUPR", "Dinas Pekerjaan Umum dan Penataan Ruang", "pekerjaan_umum", "dinas",
        ("Bina Marga", "Sumber Daya Air", "Cipta Karya dan Tata Ruang", "Jasa Konstruksi"), "T.KONSTRUKSI"),
    Opd("DISHUB", "Dinas Perhubungan", "perhubungan", "dinas",
        ("Lalu Lintas dan Angkutan", "Sarana dan Prasarana Perhubungan"), "T.PERHUBUNGAN"),
    Opd("DLH", "Dinas Lingkungan Hidup", "lingkungan", "dinas",
        ("Pengelolaan Sampah", "Pengendalian Pencemaran dan Kerusakan Lingkungan", "Pertamanan"), "T.LINGKUNGAN"),
    Opd("SATPOLPP-DAMKAR", "Satuan Polisi Pamong Praja dan Pemadam Kebakaran", "ketertiban", "dinas",
        ("Penegakan Perda", "Ketertiban Umum dan Perlindungan Masyarakat", "Pemadam Kebakaran"), "T.KETERTIBAN"),
    Opd("DISARPUS", "Dinas Kearsipan dan Perpustakaan", "kearsipan", "dinas",
        ("Kearsipan", "Perpustakaan"), "T.KEARSIPAN"),
    Opd("DISKOMINFO", "Dinas Komunikasi dan Informatika", "komunikasi", "dinas",
        ("Informasi dan Komunikasi Publik", "Aplikasi Informatika", "Statistik dan Persandian"), "T.TI"),
    Opd("DISKOPUKMDAG", "Dinas Koperasi, Usaha Kecil dan Menengah dan Perdagangan", "ekonomi", "dinas",
        ("Koperasi dan UKM", "Perdagangan", "Metrologi"), "T.PERDAGANGAN"),
    Opd("DISTAN", "Dinas Pertanian", "pertanian", "dinas",
        ("Tanaman Pangan dan Hortikultura", "Peternakan dan Kesehatan Hewan", "Penyuluhan"), "T.PERTANIAN"),
    Opd("DP3AP2KB", "Dinas Pemberdayaan Perempuan, Perlindungan Anak, Pengendalian Penduduk dan Keluarga Berencana",
        "sosial", "dinas", ("Pemberdayaan Perempuan dan Perlindungan Anak", "Pengendalian Penduduk dan KB"),
        "T.KELUARGA.BERENCANA"),
    Opd("DISPERKIM", "Dinas Perumahan dan Kawasan Permukiman", "pekerjaan_umum", "dinas",
        ("Perumahan", "Kawasan Permukiman dan Pertanahan"), "T.PERMUKIMAN"),
    *(Opd(f"KEC-{KEC_CODE[k]}", f"Kecamatan {k}", "kewilayahan", "kecamatan",
          ("Pemerintahan", "Ketenteraman dan Ketertiban Umum", "Pemberdayaan Masyarakat", "Pelayanan Umum"),
          "T.PEMERINTAHAN", kecamatan=k)
      for k in KECAMATAN),
)
# fmt: on

#: Puskesmas: (id, name, kecamatan, Permenkes 75/2014 column). The list is partly unconfirmed.
PUSKESMAS = (
    ("PKM-KOLOK", "Puskesmas Kolok (rawat inap)", "Barangin", "desa_ri"),
    ("PKM-TALAWI", "Puskesmas Talawi", "Talawi", "desa_nri"),
    ("PKM-SILUNGKANG", "Puskesmas Silungkang", "Silungkang", "desa_nri"),
    ("PKM-LUNTO", "Puskesmas Lunto", "Lembah Segar", "kota_nri"),
    ("PKM-SUNGAI-DURIAN", "Puskesmas Sungai Durian", "Barangin", "desa_nri"),
    ("PKM-SANTUR", "Puskesmas Santur", "Lembah Segar", "kota_nri"),
)

#: Service counters: (id, name, parent OPD, kecamatan, sector).
COUNTERS = (
    ("MPP", "Mal Pelayanan Publik Kota Sawahlunto", "DPMPTSPNAKER", "Silungkang", "perizinan"),
    ("LOKET-DUKCAPIL", "Loket Pelayanan Disdukcapil", "DISDUKCAPIL", SEAT, "kependudukan"),
    ("TIC", "Tourist Information Center (Info Box)", "DISPARPORA", "Lembah Segar", "pariwisata"),
)

#: Curriculum hours (JTM/week per rombel), modelled on Kurikulum 2013 (an assumption).
CURRICULUM = (
    ("SD", "guru_kelas", "Guru Kelas", 24),
    ("SD", "pjok", "Pendidikan Jasmani, Olahraga dan Kesehatan", 4),
    ("SD", "pai", "Pendidikan Agama Islam dan Budi Pekerti", 4),
    ("SMP", "pai", "Pendidikan Agama Islam dan Budi Pekerti", 3),
    ("SMP", "ppkn", "Pendidikan Pancasila dan Kewarganegaraan", 3),
    ("SMP", "bindo", "Bahasa Indonesia", 6),
    ("SMP", "mtk", "Matematika", 5),
    ("SMP", "ipa", "Ilmu Pengetahuan Alam", 5),
    ("SMP", "ips", "Ilmu Pengetahuan Sosial", 4),
    ("SMP", "bing", "Bahasa Inggris", 4),
    ("SMP", "senbud", "Seni Budaya", 3),
    ("SMP", "pjok", "Pendidikan Jasmani, Olahraga dan Kesehatan", 3),
    ("SMP", "prakarya", "Prakarya", 2),
    ("SMP", "informatika", "Informatika", 2),
)


@dataclass
class School:
    """A state school: unit id, level, kecamatan, area (urban / normal / remote), pupils, rombel."""

    id: str
    name: str
    level: str
    kecamatan: str
    area: str
    pupils: int
    #: Rombel written into schools.csv (None = derived by the loader from pupils).
    rombel_given: int | None
    rombel: int


@dataclass
class City:
    """Everything :func:`build_city` produces."""

    units: list[dict] = field(default_factory=list)
    opds: tuple[Opd, ...] = OPDS
    schools: list[School] = field(default_factory=list)
    puskesmas: tuple[tuple[str, str, str, str], ...] = PUSKESMAS


def _unit(uid: str, name: str, kind: str, sector: str, parent: str | None, kecamatan: str | None) -> dict:
    return {"id": uid, "name": name, "kind": kind, "sector": sector, "parent": parent, "kecamatan": kecamatan}


def _area(kecamatan: str, index: int, rng: random.Random) -> str:
    """Lembah Segar is the urban centre; Talawi and Barangin have remote desa schools."""
    if kecamatan == "Lembah Segar":
        return "urban"
    if kecamatan in ("Talawi", "Barangin") and index > 3 and rng.random() < 0.55:
        return "remote"
    return "normal"


_PUPILS = {
    ("SD", "urban"): (170, 300),
    ("SD", "normal"): (130, 240),
    ("SD", "remote"): (60, 140),
    ("SMP", "urban"): (420, 700),
    ("SMP", "normal"): (230, 460),
    ("SMP", "remote"): (150, 280),
}


def _school(uid: str, name: str, level: str, kec: str, area: str, rng: random.Random) -> School:
    low, high = _PUPILS[(level, area)]
    pupils = rng.randint(low, high)
    derived = math.ceil(pupils / CLASS_SIZE_MAX[level])
    # An SD has six grades: a small school still runs (at least) six rombel, so it is written out.
    given = 6 if level == "SD" and derived < 6 else None
    return School(uid, name, level, kec, area, pupils, given, given or derived)


def build_city(rng: random.Random) -> City:
    """Units in a fixed order: PEMKO, the OPD, counters, puskesmas, SD, SMP."""
    city = City()
    city.units.append(_unit("PEMKO", "Pemerintah Kota Sawahlunto", "opd", "pemerintahan", None, SEAT))
    for opd in OPDS:
        city.units.append(_unit(opd.id, opd.name, "opd", opd.sector, "PEMKO", opd.kecamatan))
    for uid, name, parent, kec, sector in COUNTERS:
        city.units.append(_unit(uid, name, "service_counter", sector, parent, kec))
    for uid, name, kec, _type in PUSKESMAS:
        city.units.append(_unit(uid, name, "puskesmas", "kesehatan", "DINKES", kec))
    for kec in ("Talawi", "Barangin", "Lembah Segar", "Silungkang"):
        for n in range(1, SD_PER_KEC[kec] + 1):
            uid = f"SDN-{n:02d}-{KEC_CODE[kec]}"
            city.schools.append(_school(uid, f"SD Negeri {n:02d} {kec}", "SD", kec, _area(kec, n, rng), rng))
    number = 0
    for kec in ("Lembah Segar", "Talawi", "Barangin", "Silungkang"):
        for i in range(1, SMP_PER_KEC[kec] + 1):
            number += 1
            uid = f"SMPN-{number:02d}"
            city.schools.append(
                _school(uid, f"SMP Negeri {number} Sawahlunto", "SMP", kec, _area(kec, i + 1, rng), rng)
            )
    for school in city.schools:
        city.units.append(_unit(school.id, school.name, "school", "pendidikan", "DISDIK", school.kecamatan))
    return city


if __name__ == "__main__":  # quick look: cd scripts && python -m sawahlunto.city
    from collections import Counter

    c = build_city(random.Random(1373))
    print(len(c.units), "units;", Counter(u["kind"] for u in c.units))
    print(Counter((s.level, s.kecamatan, s.area) for s in c.schools))
    print(
        "given rombel:",
        sum(1 for s in c.schools if s.rombel_given),
        "SD pupils",
        sum(s.pupils for s in c.schools if s.level == "SD"),
    )
