"""The catalogue of jobs (roles) a position can be: name, jenis jabatan, competency, education, grade band.

A role is the reusable part of a position: "Pranata Komputer" is one role, and
each OPD that has Pranata Komputer gets its own position with that role. The
ABK tasks of each role are in :mod:`.abk`. Structural roles take their teknis
competency from the OPD (:attr:`city.Opd.domain`).
"""

from __future__ import annotations

from dataclasses import dataclass

#: Golongan bands (min, max) per eselon of a structural post: the annex table of PP 13/2002 (the same as
#: decision_support/rules/facts.py ESELON_BAND). A promotion one step below the band (PP 100/2000 Pasal 5
#: huruf b) is a rule in rules/nasional, never a wider band in the data.
ESELON_BAND = {
    "II.a": ("IV/c", "IV/d"),
    "II.b": ("IV/b", "IV/c"),
    "III.a": ("IV/a", "IV/b"),
    "III.b": ("III/d", "IV/a"),
    "IV.a": ("III/c", "III/d"),
}
#: Grade bands of non-structural posts.
BAND_PELAKSANA = ("II/a", "III/d")
BAND_TERAMPIL = ("II/b", "III/d")  # fungsional keterampilan (D3)
BAND_AHLI = ("III/a", "IV/c")  # fungsional keahlian (S1 and up)
BAND_GURU = ("III/a", "IV/c")

#: Manajerial (M1..M8) and sosial kultural (SK1) competencies of PermenPAN-RB 38/2017.
MANAJERIAL = {
    "M1": "Integritas",
    "M2": "Kerja sama",
    "M3": "Komunikasi",
    "M4": "Orientasi pada hasil",
    "M5": "Pelayanan publik",
    "M6": "Pengembangan diri dan orang lain",
    "M7": "Mengelola perubahan",
    "M8": "Pengambilan keputusan",
}
SOSIAL_KULTURAL = {"SK1": "Perekat bangsa"}

#: Education fields (jurusan) typical of each teknis domain.
DOMAIN_FIELDS = {
    "T.PEMERINTAHAN": ("Ilmu Pemerintahan", "Administrasi Negara", "Hukum", "Ilmu Politik"),
    "T.PERSIDANGAN": ("Hukum", "Administrasi Negara", "Ilmu Politik"),
    "T.PENGAWASAN": ("Akuntansi", "Hukum", "Manajemen", "Administrasi Negara"),
    "T.PERENCANAAN": ("Perencanaan Wilayah dan Kota", "Ekonomi Pembangunan", "Statistika"),
    "T.KEPEGAWAIAN": ("Administrasi Negara", "Manajemen SDM", "Psikologi", "Hukum"),
    "T.KEUANGAN": ("Akuntansi", "Manajemen", "Ekonomi Pembangunan"),
    "T.MANAJEMEN.PENDIDIKAN": ("Manajemen Pendidikan", "Administrasi Pendidikan", "PGSD", "Pendidikan Matematika"),
    "T.KESEHATAN.MASYARAKAT": ("Kesehatan Masyarakat", "Keperawatan", "Kedokteran"),
    "T.SOSIAL": ("Kesejahteraan Sosial", "Sosiologi", "Administrasi Negara"),
    "T.KEPENDUDUKAN": ("Administrasi Negara", "Ilmu Pemerintahan", "Manajemen Informatika", "Hukum"),
    "T.PERIZINAN": ("Hukum", "Administrasi Negara", "Ekonomi Pembangunan", "Teknik Sipil"),
    "T.PARIWISATA": ("Pariwisata", "Usaha Perjalanan Wisata", "Manajemen Perhotelan", "Sejarah"),
    "T.KONSTRUKSI": ("Teknik Sipil", "Arsitektur", "Perencanaan Wilayah dan Kota"),
    "T.PERHUBUNGAN": ("Transportasi Darat", "Teknik Sipil", "Manajemen Transportasi"),
    "T.LINGKUNGAN": ("Teknik Lingkungan", "Biologi", "Kimia"),
    "T.KETERTIBAN": ("Hukum", "Ilmu Pemerintahan", "Administrasi Negara"),
    "T.KEARSIPAN": ("Kearsipan", "Ilmu Perpustakaan", "Administrasi Negara"),
    "T.TI": ("Teknik Informatika", "Sistem Informasi", "Manajemen Informatika", "Ilmu Komputer"),
    "T.PERDAGANGAN": ("Manajemen", "Ekonomi Pembangunan", "Akuntansi"),
    "T.PERTANIAN": ("Agribisnis", "Agroteknologi", "Peternakan"),
    "T.KELUARGA.BERENCANA": ("Kesehatan Masyarakat", "Sosiologi", "Psikologi"),
    "T.PERMUKIMAN": ("Teknik Sipil", "Arsitektur", "Perencanaan Wilayah dan Kota"),
    "T.ADMINISTRASI": ("Administrasi Perkantoran", "Administrasi Negara", "Manajemen"),
}
#: Fields of staff with only SMA/SMK.
SMA_FIELDS = ("IPA", "IPS", "SMK Administrasi Perkantoran", "SMK Akuntansi", "SMK Teknik Komputer dan Jaringan")


@dataclass(frozen=True)
class Role:
    """A job: its name, jenis jabatan, teknis competency and who holds it."""

    name: str
    type: str
    #: Teknis competency code; None = the OPD's domain.
    domain: str | None
    #: Education levels with weights, e.g. (("SMA", 3), ("D3", 1)).
    education: tuple[tuple[str, int], ...]
    band: tuple[str, str] | None = None
    #: Fields of study; None = the fields of the domain.
    fields: tuple[str, ...] | None = None
    #: Share of women among holders.
    female: float = 0.45
    #: A second teknis competency the role needs (e.g. T.TI for a database administrator).
    also: str | None = None


SMA, D3, S1, S2 = (("SMA", 1),), (("D3", 1),), (("S1", 1),), (("S2", 1),)

# fmt: off
ROLES: dict[str, Role] = {
    # generic pelaksana and fungsional posts found in every OPD
    "pengadmin_umum": Role("Pengadministrasi Umum", "pelaksana", "T.ADMINISTRASI", (("SMA", 6), ("D3", 2), ("S1", 2)), BAND_PELAKSANA),
    "pengelola_keuangan": Role("Pengelola Keuangan", "pelaksana", "T.KEUANGAN", (("D3", 2), ("S1", 3)), BAND_PELAKSANA),
    "pengelola_data": Role("Pengelola Data", "pelaksana", "T.DATA", (("D3", 2), ("S1", 2), ("SMA", 1)), BAND_PELAKSANA,
                           ("Statistika", "Manajemen Informatika", "Administrasi Negara")),
    "pengadmin_kepegawaian": Role("Pengadministrasi Kepegawaian", "pelaksana", "T.KEPEGAWAIAN", (("SMA", 2), ("D3", 2), ("S1", 1)), BAND_PELAKSANA),
    "perencana": Role("Perencana", "fungsional", "T.PERENCANAAN", (("S1", 4), ("S2", 1)), BAND_AHLI),
    "arsiparis": Role("Arsiparis", "fungsional", "T.KEARSIPAN", (("D3", 2), ("S1", 1)), BAND_TERAMPIL),
    "pranata_komputer": Role("Pranata Komputer", "fungsional", "T.TI", (("D3", 1), ("S1", 2)), BAND_AHLI),
    "analis_kebijakan": Role("Analis Kebijakan", "fungsional", None, (("S1", 3), ("S2", 2)), BAND_AHLI),
    # Setda, Setwan, Inspektorat, BKPSDM, BKAD, Bappeda
    "analis_hukum": Role("Analis Hukum", "fungsional", "T.HUKUM", (("S1", 3), ("S2", 1)), BAND_AHLI, ("Hukum",)),
    "pranata_humas": Role("Pranata Hubungan Masyarakat", "fungsional", "T.KOMUNIKASI", (("D3", 1), ("S1", 2)), BAND_AHLI,
                          ("Ilmu Komunikasi", "Jurnalistik")),
    "pengelola_protokol": Role("Pengelola Protokol", "pelaksana", "T.PROTOKOL", (("SMA", 1), ("D3", 1), ("S1", 1)), BAND_PELAKSANA,
                               ("Administrasi Negara", "Ilmu Komunikasi")),
    "pengelola_pbj": Role("Pengelola Pengadaan Barang/Jasa", "fungsional", "T.PENGADAAN", S1, BAND_AHLI,
                          ("Teknik Sipil", "Manajemen", "Akuntansi")),
    "pengadmin_persidangan": Role("Pengadministrasi Persidangan", "pelaksana", "T.PERSIDANGAN", (("SMA", 1), ("D3", 1), ("S1", 2)), BAND_PELAKSANA),
    "auditor": Role("Auditor", "fungsional", "T.PENGAWASAN", (("S1", 4), ("S2", 1)), BAND_AHLI, ("Akuntansi", "Manajemen", "Hukum")),
    "ppupd": Role("Pengawas Penyelenggaraan Urusan Pemerintahan di Daerah", "fungsional", "T.PENGAWASAN", S1, BAND_AHLI),
    "analis_sdm": Role("Analis SDM Aparatur", "fungsional", "T.KEPEGAWAIAN", (("S1", 4), ("S2", 1)), BAND_AHLI),
    "analis_keuangan": Role("Analis Keuangan Pusat dan Daerah", "fungsional", "T.KEUANGAN", S1, BAND_AHLI),
    "pengelola_aset": Role("Pengelola Barang Milik Daerah", "pelaksana", "T.ASET", (("D3", 1), ("S1", 1)), BAND_PELAKSANA,
                           ("Akuntansi", "Manajemen")),
    "pengelola_pajak": Role("Pengelola Pajak dan Retribusi Daerah", "pelaksana", "T.PAJAK", (("D3", 1), ("S1", 2)), BAND_PELAKSANA,
                            ("Akuntansi", "Perpajakan")),
    # Dinas Pendidikan (office) and Dinas Kesehatan (office)
    "pengawas_sekolah": Role("Pengawas Sekolah", "fungsional", "T.PENGAWASAN.SEKOLAH", (("S1", 2), ("S2", 2)), BAND_AHLI,
                             ("Manajemen Pendidikan", "PGSD", "Pendidikan Matematika", "Pendidikan Bahasa Indonesia")),
    "pengelola_dapodik": Role("Pengelola Data Pendidikan", "pelaksana", "T.DATA", (("D3", 1), ("S1", 1)), BAND_PELAKSANA,
                              ("Manajemen Informatika", "Administrasi Pendidikan")),
    "administrator_kesehatan": Role("Administrator Kesehatan", "fungsional", "T.KESEHATAN.MASYARAKAT", (("S1", 3), ("S2", 1)), BAND_AHLI,
                                    ("Kesehatan Masyarakat",), 0.65),
    "epidemiolog": Role("Epidemiolog Kesehatan", "fungsional", "T.EPIDEMIOLOGI", S1, BAND_AHLI, ("Kesehatan Masyarakat",), 0.6),
    "apoteker": Role("Apoteker", "fungsional", "T.FARMASI", S1, BAND_AHLI, ("Profesi Apoteker",), 0.75),
    # Dinsos, DP3AP2KB
    "pekerja_sosial": Role("Pekerja Sosial", "fungsional", "T.SOSIAL", (("D3", 1), ("S1", 3)), BAND_AHLI, ("Kesejahteraan Sosial", "Sosiologi")),
    "pengelola_bansos": Role("Pengelola Bantuan Sosial", "pelaksana", "T.SOSIAL", (("SMA", 1), ("D3", 1), ("S1", 1)), BAND_PELAKSANA),
    "penyuluh_kb": Role("Penyuluh Keluarga Berencana", "fungsional", "T.KELUARGA.BERENCANA", S1, BAND_AHLI, None, 0.7),
    "pengelola_pa": Role("Pengelola Perlindungan Perempuan dan Anak", "pelaksana", "T.PERLINDUNGAN.ANAK", (("D3", 1), ("S1", 2)), BAND_PELAKSANA,
                         ("Psikologi", "Kesejahteraan Sosial", "Hukum"), 0.7),
    # Disdukcapil (office and counter)
    "adb": Role("Administrator Database Kependudukan", "fungsional", "T.KEPENDUDUKAN", (("D3", 1), ("S1", 2)), BAND_AHLI,
                ("Teknik Informatika", "Sistem Informasi", "Manajemen Informatika"), 0.4, "T.TI"),
    "pengadmin_kependudukan": Role("Pengadministrasi Kependudukan", "pelaksana", "T.KEPENDUDUKAN", (("SMA", 2), ("D3", 1), ("S1", 1)), BAND_PELAKSANA),
    "operator_dukcapil": Role("Operator Layanan Kependudukan", "pelaksana", "T.KEPENDUDUKAN", (("SMA", 2), ("D3", 2), ("S1", 1)), BAND_PELAKSANA,
                              None, 0.6),
    "verifikator_dukcapil": Role("Verifikator Berkas Kependudukan", "pelaksana", "T.KEPENDUDUKAN", (("D3", 1), ("S1", 2)), BAND_PELAKSANA),
    # DPMPTSP dan Tenaga Kerja, MPP
    "analis_perizinan": Role("Analis Perizinan", "pelaksana", "T.PERIZINAN", S1, BAND_PELAKSANA),
    "petugas_mpp": Role("Petugas Layanan Informasi dan Pengaduan MPP", "pelaksana", "T.PELAYANAN.PUBLIK", (("SMA", 1), ("D3", 2), ("S1", 1)),
                        BAND_PELAKSANA, ("Administrasi Negara", "Ilmu Komunikasi", "Administrasi Perkantoran"), 0.65),
    "verifikator_perizinan": Role("Verifikator Berkas Perizinan", "pelaksana", "T.PERIZINAN", (("D3", 1), ("S1", 2)), BAND_PELAKSANA),
    "mediator_hi": Role("Mediator Hubungan Industrial", "fungsional", "T.KETENAGAKERJAAN", S1, BAND_AHLI, ("Hukum", "Manajemen SDM")),
    "pengantar_kerja": Role("Pengantar Kerja", "fungsional", "T.KETENAGAKERJAAN", S1, BAND_AHLI, ("Psikologi", "Manajemen SDM")),
    # Disparpora and the Tourist Information Center
    "adyatama": Role("Adyatama Kepariwisataan dan Ekonomi Kreatif", "fungsional", "T.PARIWISATA", S1, BAND_AHLI),
    "pengelola_wisata": Role("Pengelola Objek Wisata", "pelaksana", "T.PARIWISATA", (("SMA", 1), ("D3", 2), ("S1", 1)), BAND_PELAKSANA),
    "pengelola_museum": Role("Pengelola Museum dan Cagar Budaya", "pelaksana", "T.PARIWISATA", (("D3", 1), ("S1", 1)), BAND_PELAKSANA,
                             ("Sejarah", "Arkeologi", "Pariwisata")),
    "pengelola_olahraga": Role("Pengelola Kepemudaan dan Olahraga", "pelaksana", "T.OLAHRAGA", (("D3", 1), ("S1", 2)), BAND_PELAKSANA,
                               ("Pendidikan Jasmani", "Ilmu Keolahragaan")),
    "petugas_tic": Role("Petugas Informasi Wisata", "pelaksana", "T.PARIWISATA", (("SMA", 1), ("D3", 2), ("S1", 1)), BAND_PELAKSANA,
                        None, 0.6),
    # technical OPDs
    "teknik_jalan": Role("Teknik Jalan dan Jembatan", "fungsional", "T.KONSTRUKSI", (("D3", 1), ("S1", 3)), BAND_AHLI, ("Teknik Sipil",), 0.2),
    "teknik_pengairan": Role("Teknik Pengairan", "fungsional", "T.KONSTRUKSI", (("D3", 1), ("S1", 2)), BAND_AHLI, ("Teknik Sipil",), 0.2),
    "penata_ruang": Role("Penata Ruang", "fungsional", "T.TATA.RUANG", S1, BAND_AHLI, ("Perencanaan Wilayah dan Kota", "Arsitektur")),
    "teknik_bangunan": Role("Teknik Tata Bangunan dan Perumahan", "fungsional", "T.KONSTRUKSI", (("D3", 1), ("S1", 2)), BAND_AHLI,
                            ("Arsitektur", "Teknik Sipil"), 0.3),
    "pengelola_pertanahan": Role("Pengelola Pertanahan", "pelaksana", "T.PERTANAHAN", (("D3", 1), ("S1", 1)), BAND_PELAKSANA,
                                 ("Hukum", "Geodesi")),
    "penguji_kendaraan": Role("Penguji Kendaraan Bermotor", "fungsional", "T.PERHUBUNGAN", (("D3", 2), ("S1", 1)), BAND_TERAMPIL,
                              ("Teknik Mesin", "Transportasi Darat"), 0.1),
    "petugas_lalin": Role("Petugas Pengatur Lalu Lintas", "pelaksana", "T.PERHUBUNGAN", (("SMA", 3), ("D3", 1)), BAND_PELAKSANA, None, 0.15),
    "pengendali_dampak": Role("Pengendali Dampak Lingkungan", "fungsional", "T.LINGKUNGAN", S1, BAND_AHLI),
    "pengelola_sampah": Role("Pengawas Pengelolaan Persampahan", "pelaksana", "T.LINGKUNGAN", (("SMA", 3), ("D3", 1)), BAND_PELAKSANA, None, 0.2),
    "polpp": Role("Polisi Pamong Praja", "fungsional", "T.KETERTIBAN", (("SMA", 3), ("D3", 1), ("S1", 2)), BAND_PELAKSANA, None, 0.15),
    "damkar": Role("Pemadam Kebakaran", "pelaksana", "T.DAMKAR", (("SMA", 4), ("D3", 1)), BAND_PELAKSANA, ("IPA", "IPS", "SMK Teknik Mesin"), 0.03),
    "pustakawan": Role("Pustakawan", "fungsional", "T.PERPUSTAKAAN", (("D3", 1), ("S1", 2)), BAND_AHLI, ("Ilmu Perpustakaan",), 0.7),
    "statistisi": Role("Statistisi", "fungsional", "T.STATISTIK", S1, BAND_AHLI, ("Statistika", "Matematika")),
    "sandiman": Role("Sandiman", "fungsional", "T.PERSANDIAN", (("D3", 1), ("S1", 1)), BAND_AHLI, ("Teknik Informatika", "Persandian")),
    "pengawas_koperasi": Role("Pengawas Koperasi", "fungsional", "T.KOPERASI", S1, BAND_AHLI, ("Manajemen", "Akuntansi")),
    "penera": Role("Penera", "fungsional", "T.METROLOGI", (("D3", 2), ("S1", 1)), BAND_TERAMPIL, ("Fisika", "Teknik Mesin"), 0.25),
    "pengawas_perdagangan": Role("Pengawas Perdagangan", "fungsional", "T.PERDAGANGAN", S1, BAND_AHLI),
    "penyuluh_pertanian": Role("Penyuluh Pertanian", "fungsional", "T.PERTANIAN", (("D3", 1), ("S1", 3)), BAND_AHLI, None, 0.35),
    "medik_veteriner": Role("Medik Veteriner", "fungsional", "T.PETERNAKAN", S1, BAND_AHLI, ("Kedokteran Hewan",)),
    "paramedik_veteriner": Role("Paramedik Veteriner", "fungsional", "T.PETERNAKAN", D3, BAND_TERAMPIL, ("Kesehatan Hewan", "Peternakan")),
    "pengelola_pemerintahan": Role("Pengelola Pemerintahan", "pelaksana", "T.PEMERINTAHAN", (("SMA", 1), ("D3", 1), ("S1", 2)), BAND_PELAKSANA),
    "pengadmin_pelayanan_kec": Role("Pengadministrasi Pelayanan Kecamatan", "pelaksana", "T.PELAYANAN.PUBLIK", (("SMA", 2), ("D3", 1), ("S1", 1)),
                                    BAND_PELAKSANA, ("Administrasi Negara", "Ilmu Pemerintahan", "IPS")),
    # puskesmas (staff types of the Permenkes 75/2014 table)
    "kepala_puskesmas": Role("Kepala Puskesmas", "fungsional", "T.MANAJEMEN.PUSKESMAS", (("S1", 2), ("S2", 1)), BAND_AHLI,
                             ("Kedokteran", "Kesehatan Masyarakat"), 0.55),
    "dokter": Role("Dokter", "fungsional", "T.MEDIS", S1, BAND_AHLI, ("Kedokteran",), 0.6),
    "dokter_gigi": Role("Dokter Gigi", "fungsional", "T.MEDIS.GIGI", S1, BAND_AHLI, ("Kedokteran Gigi",), 0.7),
    "perawat": Role("Perawat", "fungsional", "T.KEPERAWATAN", (("D3", 3), ("S1", 2)), BAND_TERAMPIL, ("Keperawatan", "Ners"), 0.7),
    "bidan": Role("Bidan", "fungsional", "T.KEBIDANAN", (("D3", 4), ("D4", 1)), BAND_TERAMPIL, ("Kebidanan",), 1.0),
    "penyuluh_kesmas": Role("Penyuluh Kesehatan Masyarakat", "fungsional", "T.KESEHATAN.MASYARAKAT", S1, BAND_AHLI, ("Kesehatan Masyarakat",), 0.7),
    "sanitarian": Role("Sanitarian", "fungsional", "T.KESEHATAN.LINGKUNGAN", (("D3", 2), ("S1", 1)), BAND_TERAMPIL, ("Kesehatan Lingkungan",), 0.55),
    "pranata_lab": Role("Pranata Laboratorium Kesehatan", "fungsional", "T.LABORATORIUM", (("D3", 2), ("D4", 1)), BAND_TERAMPIL,
                        ("Analis Kesehatan", "Teknologi Laboratorium Medik"), 0.65),
    "nutrisionis": Role("Nutrisionis", "fungsional", "T.GIZI", (("D3", 2), ("S1", 1)), BAND_TERAMPIL, ("Gizi",), 0.85),
    "asisten_apoteker": Role("Asisten Apoteker", "fungsional", "T.FARMASI", D3, BAND_TERAMPIL, ("Farmasi",), 0.8),
    "pengadmin_puskesmas": Role("Pengadministrasi Umum Puskesmas", "pelaksana", "T.ADMINISTRASI", (("SMA", 2), ("D3", 1), ("S1", 1)),
                                BAND_PELAKSANA, None, 0.6),
    "pekarya": Role("Pekarya Kesehatan", "pelaksana", "T.ADMINISTRASI", SMA, BAND_PELAKSANA, None, 0.5),
    # schools
    "kepala_sekolah": Role("Kepala Sekolah", "fungsional", "T.MANAJEMEN.SEKOLAH", (("S1", 3), ("S2", 1)), BAND_GURU, None, 0.6),
    "guru": Role("Guru", "fungsional", None, (("S1", 12), ("S2", 1), ("D3", 1)), BAND_GURU, None, 0.72),
}
# fmt: on

#: Teacher subject -> (teknis competency code, matching education fields).
SUBJECTS = {
    "guru_kelas": ("T.PEMBELAJARAN.SD", ("PGSD",)),
    "pjok": ("T.PEMBELAJARAN.PJOK", ("Pendidikan Jasmani", "Pendidikan Kepelatihan Olahraga")),
    "pai": ("T.PEMBELAJARAN.PAI", ("Pendidikan Agama Islam", "Tarbiyah")),
    "ppkn": ("T.PEMBELAJARAN.PPKN", ("Pendidikan Pancasila dan Kewarganegaraan",)),
    "bindo": ("T.PEMBELAJARAN.BINDO", ("Pendidikan Bahasa dan Sastra Indonesia",)),
    "mtk": ("T.PEMBELAJARAN.MTK", ("Pendidikan Matematika",)),
    "ipa": ("T.PEMBELAJARAN.IPA", ("Pendidikan Biologi", "Pendidikan Fisika", "Pendidikan IPA")),
    "ips": ("T.PEMBELAJARAN.IPS", ("Pendidikan Geografi", "Pendidikan Sejarah", "Pendidikan Ekonomi")),
    "bing": ("T.PEMBELAJARAN.BING", ("Pendidikan Bahasa Inggris",)),
    "senbud": ("T.PEMBELAJARAN.SENBUD", ("Pendidikan Seni Rupa", "Pendidikan Sendratasik")),
    "prakarya": ("T.PEMBELAJARAN.PRAKARYA", ("Pendidikan Kesejahteraan Keluarga", "Pendidikan Teknik")),
    "informatika": ("T.PEMBELAJARAN.INFORMATIKA", ("Pendidikan Teknik Informatika", "Pendidikan Ilmu Komputer")),
}


def fields_of(role: Role, domain: str) -> tuple[str, ...]:
    """Education fields of a role holder (the role's own list, else its domain's)."""
    return role.fields or DOMAIN_FIELDS.get(role.domain or domain, DOMAIN_FIELDS["T.ADMINISTRASI"])


if __name__ == "__main__":
    from collections import Counter

    print(len(ROLES), "roles;", Counter(r.type for r in ROLES.values()))
    missing = {r.domain for r in ROLES.values() if r.fields is None and r.domain and r.domain not in DOMAIN_FIELDS}
    print("roles without fields and no domain fields:", sorted(missing))
