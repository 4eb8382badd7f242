"""Positions (jabatan) with formasi, minimum staff, the planned headcount and the target EJ.

Every position carries two planning values that never reach the files directly:
``holders`` (how many employees :mod:`.people` puts in it) and ``ej`` (the
efisiensi jabatan :mod:`.abk` calibrates its tasks to). ``formasi`` is then the
ideal headcount the ABK gives (workload / WKE), so Form D and the peta jabatan
agree. Teacher posts instead get the SKB 5 Menteri need as formasi.

The deliberate imbalances live here: overloaded Disdukcapil, MPP, puskesmas and
Disparpora (EJ above 1.1); overstaffed Setda/Setwan and some bidang posts (EJ
below 0.6); teachers piled up in urban Lembah Segar and short in remote Talawi
and Barangin; informatika teachers scarce.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from decision_support.workload.teachers import juknis_round

from .city import CURRICULUM, City, Opd, School
from .roles import BAND_GURU, ESELON_BAND, ROLES, SUBJECTS, fields_of

WKE_MINUTES = 1250 * 60

#: Generic posts of every dinas and badan: role -> holders (an OPD's own list overrides).
GENERIC = {
    "pengadmin_umum": 8,
    "pengelola_keuangan": 4,
    "pengadmin_kepegawaian": 2,
    "pengelola_data": 3,
    "perencana": 2,
    "arsiparis": 2,
}

# fmt: off
#: Staff posts per unit: role -> holders.
STAFF: dict[str, dict[str, int]] = {
    "SETDA": {"pengadmin_umum": 36, "pengelola_keuangan": 8, "pengadmin_kepegawaian": 4, "analis_hukum": 7,
              "pranata_humas": 6, "pengelola_protokol": 11, "pengelola_pbj": 7, "analis_kebijakan": 8,
              "pranata_komputer": 3, "arsiparis": 4, "pengelola_data": 4, "perencana": 3},
    "SETWAN": {"pengadmin_umum": 17, "pengadmin_persidangan": 11, "pengelola_keuangan": 6, "analis_kebijakan": 4,
               "pranata_humas": 3, "arsiparis": 1, "pengelola_protokol": 4},
    "INSPEKTORAT": {"auditor": 20, "ppupd": 8, "pengadmin_umum": 6, "pengelola_keuangan": 3, "pranata_komputer": 1},
    "BAPPEDA": {"perencana": 14, "analis_kebijakan": 6, "statistisi": 3},
    "BKPSDM": {"analis_sdm": 13, "pengadmin_kepegawaian": 11, "pranata_komputer": 3},
    "BKAD": {"pengelola_keuangan": 17, "analis_keuangan": 11, "pengelola_aset": 8, "pengelola_pajak": 11,
             "pranata_komputer": 3},
    "DISDIK": {"pengawas_sekolah": 13, "pengelola_dapodik": 6, "analis_kebijakan": 3, "pengadmin_umum": 14},
    "DINKES": {"administrator_kesehatan": 15, "epidemiolog": 4, "apoteker": 4, "pengadmin_umum": 12,
               "pranata_komputer": 1, "pengelola_data": 3},
    "DINSOS": {"pekerja_sosial": 8, "pengelola_bansos": 8},
    "DISDUKCAPIL": {"adb": 4, "pengadmin_kependudukan": 10, "pranata_komputer": 1},
    "DPMPTSPNAKER": {"analis_perizinan": 6, "verifikator_perizinan": 4, "mediator_hi": 3, "pengantar_kerja": 3},
    "DISPARPORA": {"adyatama": 4, "pengelola_wisata": 7, "pengelola_museum": 7, "pengelola_olahraga": 7,
                   "pengadmin_umum": 7},
    "DPUPR": {"teknik_jalan": 11, "teknik_pengairan": 6, "penata_ruang": 4, "teknik_bangunan": 6, "pengadmin_umum": 14},
    "DISHUB": {"penguji_kendaraan": 6, "petugas_lalin": 20},
    "DLH": {"pengendali_dampak": 6, "pengelola_sampah": 20},
    "SATPOLPP-DAMKAR": {"polpp": 56, "damkar": 50},
    "DISARPUS": {"arsiparis": 11, "pustakawan": 10},
    "DISKOMINFO": {"pranata_komputer": 11, "pranata_humas": 7, "statistisi": 3, "sandiman": 3},
    "DISKOPUKMDAG": {"pengawas_koperasi": 4, "penera": 4, "pengawas_perdagangan": 6},
    "DISTAN": {"penyuluh_pertanian": 25, "medik_veteriner": 3, "paramedik_veteriner": 6},
    "DP3AP2KB": {"penyuluh_kb": 11, "pengelola_pa": 6},
    "DISPERKIM": {"teknik_bangunan": 6, "pengelola_pertanahan": 4},
    "LOKET-DUKCAPIL": {"operator_dukcapil": 6, "verifikator_dukcapil": 3},
    "MPP": {"petugas_mpp": 5, "verifikator_perizinan": 3, "analis_perizinan": 2},
    "TIC": {"petugas_tic": 3},
}
KECAMATAN_STAFF = {"pengadmin_umum": 10, "pengelola_pemerintahan": 10, "pengadmin_pelayanan_kec": 6, "pengelola_keuangan": 3}

#: Mean target EJ per unit (1.0 = workload exactly fills the holders' WKE); default 0.85.
UNIT_EJ = {
    "SETDA": 0.58, "SETWAN": 0.6, "DISARPUS": 0.74, "BKAD": 0.95, "BKPSDM": 0.92,
    "DISDUKCAPIL": 1.28, "LOKET-DUKCAPIL": 1.45, "DPMPTSPNAKER": 1.0, "MPP": 1.4,
    "DISPARPORA": 1.3, "TIC": 1.6, "DINKES": 1.0,
    "PKM-KOLOK": 1.35, "PKM-TALAWI": 1.3, "PKM-SILUNGKANG": 1.15, "PKM-LUNTO": 1.05,
    "PKM-SUNGAI-DURIAN": 1.25, "PKM-SANTUR": 1.0, "KEC-TALAWI": 0.92, "KEC-LEMBAH-SEGAR": 0.7,
}
#: Overstaffed posts: (unit, role) -> target EJ (staff a transfer can take from).
OVERSTAFFED = {
    ("SETDA", "pengadmin_umum"): 0.4, ("SETDA", "pengelola_protokol"): 0.5, ("SETDA", "analis_kebijakan"): 0.55,
    ("SETWAN", "pengadmin_umum"): 0.45, ("SETWAN", "pengadmin_persidangan"): 0.55,
    ("DPUPR", "pengadmin_umum"): 0.48, ("DISDIK", "pengadmin_umum"): 0.5,
    ("KEC-LEMBAH-SEGAR", "pengadmin_umum"): 0.5, ("DISHUB", "petugas_lalin"): 0.55,
}

#: Permenkes 75/2014 minimum staff per puskesmas column (see city.PUSKESMAS).
PERMENKES_75 = {
    "dokter": {"kota_nri": 1, "kota_ri": 2, "desa_nri": 1, "desa_ri": 2},
    "dokter_gigi": {"kota_nri": 1, "kota_ri": 1, "desa_nri": 1, "desa_ri": 1},
    "perawat": {"kota_nri": 5, "kota_ri": 8, "desa_nri": 5, "desa_ri": 8},
    "bidan": {"kota_nri": 4, "kota_ri": 7, "desa_nri": 4, "desa_ri": 7},
    "penyuluh_kesmas": {"kota_nri": 2, "kota_ri": 2, "desa_nri": 1, "desa_ri": 1},
    "sanitarian": {"kota_nri": 1, "kota_ri": 1, "desa_nri": 1, "desa_ri": 1},
    "pranata_lab": {"kota_nri": 1, "kota_ri": 1, "desa_nri": 1, "desa_ri": 1},
    "nutrisionis": {"kota_nri": 1, "kota_ri": 2, "desa_nri": 1, "desa_ri": 2},
    "asisten_apoteker": {"kota_nri": 1, "kota_ri": 2, "desa_nri": 1, "desa_ri": 1},
    "pengadmin_puskesmas": {"kota_nri": 3, "kota_ri": 3, "desa_nri": 2, "desa_ri": 2},
    "pekarya": {"kota_nri": 2, "kota_ri": 2, "desa_nri": 1, "desa_ri": 1},
}
#: Actual headcount per puskesmas column (above the minimum; the ABK shows they are still short).
PUSKESMAS_STAFF = {
    "desa_nri": {"dokter": 2, "dokter_gigi": 1, "perawat": 12, "bidan": 13, "penyuluh_kesmas": 2, "sanitarian": 1,
                 "pranata_lab": 1, "nutrisionis": 2, "asisten_apoteker": 2, "pengadmin_puskesmas": 5, "pekarya": 2},
    "kota_nri": {"dokter": 3, "dokter_gigi": 2, "perawat": 13, "bidan": 11, "penyuluh_kesmas": 2, "sanitarian": 1,
                 "pranata_lab": 2, "nutrisionis": 2, "asisten_apoteker": 3, "pengadmin_puskesmas": 6, "pekarya": 2},
    "desa_ri": {"dokter": 4, "dokter_gigi": 1, "perawat": 18, "bidan": 15, "penyuluh_kesmas": 2, "sanitarian": 2,
                "pranata_lab": 2, "nutrisionis": 2, "asisten_apoteker": 3, "pengadmin_puskesmas": 6, "pekarya": 3},
}
# fmt: on


@dataclass
class Post:
    """A position plus the planning values used by the other builders."""

    id: str
    name: str
    unit: str
    type: str
    role: str
    domain: str
    fields: tuple[str, ...]
    holders: int
    formasi: int = 0
    min_staff: int = 0
    eselon: str | None = None
    golongan_min: str | None = None
    golongan_max: str | None = None
    leadership: bool = False
    subject: str | None = None
    #: Target EJ for the ABK; None for teacher posts (no ABK rows).
    ej: float | None = None
    #: OPD of the post, its kecamatan, and the area of a school (urban / normal / remote).
    opd: str = ""
    kecamatan: str = ""
    area: str = ""

    @property
    def teacher(self) -> bool:
        return self.role in ("guru", "kepala_sekolah")

    def requirements(self, rng: random.Random) -> list[dict]:
        """1-4 competency requirements (PermenPAN-RB 38/2017): teknis, manajerial, sosial kultural.

        Levels: pelaksana 1-2, fungsional 2-3, pengawas 2-3, administrator 3, JPT 4.
        """
        level = {
            "pelaksana": rng.randint(1, 2),
            "fungsional": rng.randint(2, 3),
            "pengawas": rng.randint(2, 3),
            "administrator": 3,
            "jpt": 4,
        }[self.type]
        rows = [("teknis", self.domain, level)]
        role = ROLES.get(self.role)
        if role and role.also:
            rows.append(("teknis", role.also, max(1, level - 1)))
        if self.type in ("jpt", "administrator", "pengawas") or self.leadership:
            rows.append(("manajerial", "M8", level))
            rows.append(("manajerial", "M4", level))
        elif self.unit in ("LOKET-DUKCAPIL", "MPP", "TIC") or self.opd == "DINKES" or "pelayanan" in self.role:
            rows.append(("manajerial", "M5", max(2, level)))
        else:
            rows.append(("manajerial", "M1", level))
        if self.type in ("jpt", "administrator"):
            rows.append(("sosial_kultural", "SK1", level))
        return [{"position": self.id, "dimension": d, "code": c, "level": lv} for d, c, lv in rows[:4]]

    def row(self) -> dict:
        return {
            "id": self.id,
            "name": self.name,
            "unit": self.unit,
            "type": self.type,
            "eselon": self.eselon,
            "golongan_min": self.golongan_min,
            "golongan_max": self.golongan_max,
            "formasi": self.formasi,
            "min_staff": self.min_staff,
            "leadership": "true" if self.leadership else "false",
            "subject": self.subject,
        }


def _code(role: str) -> str:
    return role.upper().replace("_", "-")


def _structural(uid: str, code: str, name: str, eselon: str, opd: Opd, type_: str, holders: int = 1) -> Post:
    low, high = ESELON_BAND[eselon]
    kind = {"II.a": "kepala", "II.b": "kepala", "III.a": "administrator", "III.b": "administrator"}.get(
        eselon, "pengawas"
    )
    fields = fields_of(ROLES["analis_kebijakan"], opd.domain)
    return Post(
        f"{uid}.{code}",
        name,
        uid,
        type_,
        kind,
        opd.domain,
        fields,
        holders,
        eselon=eselon,
        golongan_min=low,
        golongan_max=high,
        opd=opd.id,
        kecamatan=opd.kecamatan,
    )


def structural_posts(opd: Opd, rng: random.Random) -> list[Post]:
    """The eselon posts of one OPD, shaped by its kind (dinas, Setda, kecamatan...)."""
    u, posts = opd.id, []

    def add(code: str, name: str, eselon: str, type_: str) -> None:
        # A few pengawas posts are vacant (holders 0): the usual state of a peta jabatan.
        holders = 0 if eselon.startswith("IV") and rng.random() < 0.08 else 1
        posts.append(_structural(u, code, name, eselon, opd, type_, holders))

    if opd.shape == "setda":
        add("SEKDA", "Sekretaris Daerah", "II.a", "jpt")
        for i, title in enumerate(
            ("Pemerintahan dan Kesejahteraan Rakyat", "Perekonomian dan Pembangunan", "Administrasi Umum"), start=1
        ):
            add(f"ASISTEN-{i}", f"Asisten {title}", "II.b", "jpt")
    elif opd.shape == "kecamatan":
        add("CAMAT", "Camat", "III.a", "administrator")
        add("SEKCAM", "Sekretaris Kecamatan", "III.b", "administrator")
    else:
        head = {"setwan": "Sekretaris DPRD", "inspektorat": "Inspektur"}.get(opd.shape, f"Kepala {opd.name}")
        add("KEPALA", head, "II.b", "jpt")
        if opd.shape in ("dinas", "badan", "inspektorat"):
            add("SEKRETARIS", "Sekretaris", "III.a", "administrator")
    for i, bidang in enumerate(opd.bidang, start=1):
        if opd.shape in ("setda", "setwan"):
            add(f"KABAG-{i}", f"Kepala Bagian {bidang}", "III.a", "administrator")
            add(f"KASUBAG-{i}", f"Kepala Subbagian pada Bagian {bidang}", "IV.a", "pengawas")
        elif opd.shape == "inspektorat":
            add(f"IRBAN-{i}", bidang, "III.a", "administrator")
        elif opd.shape == "kecamatan":
            add(f"KASI-{i}", f"Kepala Seksi {bidang}", "IV.a", "pengawas")
        else:
            add(f"KABID-{i}", f"Kepala Bidang {bidang}", "III.b", "administrator")
            add(f"KASI-{i}", f"Kepala Seksi pada Bidang {bidang}", "IV.a", "pengawas")
    if opd.shape not in ("setda", "setwan"):
        add("KASUBAG-UMPEG", "Kepala Subbagian Umum dan Kepegawaian", "IV.a", "pengawas")
        add("KASUBAG-KEU", "Kepala Subbagian Keuangan dan Perencanaan", "IV.a", "pengawas")
    return posts


def staff_post(uid: str, role_key: str, holders: int, opd: Opd, kecamatan: str) -> Post:
    role = ROLES[role_key]
    domain = role.domain or opd.domain
    post = Post(
        f"{uid}.{_code(role_key)}",
        role.name,
        uid,
        role.type,
        role_key,
        domain,
        fields_of(role, opd.domain),
        holders,
        opd=opd.id,
        kecamatan=kecamatan,
    )
    if role.band:
        post.golongan_min, post.golongan_max = role.band
    return post


def _target_ej(post: Post, rng: random.Random) -> float:
    base = OVERSTAFFED.get((post.unit, post.role)) or UNIT_EJ.get(post.unit) or UNIT_EJ.get(post.opd, 0.85)
    spread = 0.06 if (post.unit, post.role) in OVERSTAFFED else 0.12
    return round(base * rng.uniform(1 - spread, 1 + spread), 3)


def _set_formasi(post: Post, minimum: int | None = None) -> None:
    """Formasi = staff the ABK calls for (nearest whole person, at least 1); min_staff <= formasi."""
    assert post.ej is not None
    need = max(1, math.floor(post.ej * max(post.holders, 1) + 0.5))
    if post.type in ("jpt", "administrator", "pengawas") or post.leadership:
        post.formasi, post.min_staff = 1, 1
        return
    post.min_staff = minimum if minimum is not None else max(1, math.ceil(need * 0.6)) if need > 1 else 1
    post.formasi = max(need, post.min_staff)


def teacher_holders(school: School, subject: str, need: int, rng: random.Random, short: frozenset[str]) -> int:
    """Current teachers of a subject: surplus in urban schools, shortage in remote ones, few informatika.

    ``short`` names the subjects a remote SMP lacks a teacher for (two or three of them).
    """
    if subject == "informatika":
        return 1 if school.area == "urban" and rng.random() < 0.6 else 0
    if subject == "prakarya" and school.area != "urban" and rng.random() < 0.5:
        return 0
    r = rng.random()
    if school.area == "urban":
        delta = 2 if r < 0.12 and subject in ("guru_kelas", "bindo", "mtk", "ipa") else 1 if r < 0.6 else 0
    elif school.area == "remote" and school.level == "SMP":
        delta = -1 if subject in short else 0
    elif school.area == "remote":
        # A subject needing one teacher is left empty less often than a large guru kelas team is short.
        delta = -2 if r < 0.15 and subject == "guru_kelas" else -1 if r < (0.6 if need > 1 else 0.3) else 0
    else:
        delta = -1 if r < (0.15 if need > 1 else 0.08) else 1 if r > 0.85 else 0
    return max(0, need + delta)


def school_posts(school: School, rng: random.Random) -> list[Post]:
    """Kepala sekolah plus one teacher post per subject of the school's level."""
    unit, kec = school.id, school.kecamatan
    head = Post(
        f"{unit}.KEPSEK",
        "Kepala Sekolah",
        unit,
        "fungsional",
        "kepala_sekolah",
        "T.MANAJEMEN.SEKOLAH",
        (),
        0 if school.area == "remote" and rng.random() < 0.15 else 1,
        formasi=1,
        min_staff=1,
        golongan_min=BAND_GURU[0],
        golongan_max=BAND_GURU[1],
        leadership=True,
        opd="DISDIK",
        kecamatan=kec,
        area=school.area,
    )
    posts = [head]
    subjects = [s for level, s, _n, _h in CURRICULUM if level == "SMP" and s not in ("informatika", "prakarya")]
    short = frozenset(rng.sample(subjects, rng.randint(2, 3)))
    for level, subject, name, hours in CURRICULUM:
        if level != school.level:
            continue
        need, _rule = juknis_round(hours * school.rombel / 24)
        domain, fields = SUBJECTS[subject]
        title = "Guru Kelas" if subject == "guru_kelas" else f"Guru {name}"
        min_staff = max(1, need - 1) if subject == "guru_kelas" else min(1, need)
        code = "GURU-KELAS" if subject == "guru_kelas" else f"GURU-{_code(subject)}"
        posts.append(
            Post(
                f"{unit}.{code}",
                title,
                unit,
                "fungsional",
                "guru",
                domain,
                fields,
                teacher_holders(school, subject, need, rng, short),
                formasi=need,
                min_staff=min_staff,
                golongan_min=BAND_GURU[0],
                golongan_max=BAND_GURU[1],
                subject=subject,
                opd="DISDIK",
                kecamatan=kec,
                area=school.area,
            )
        )
    return posts


def puskesmas_posts(uid: str, name: str, kec: str, column: str, dinkes: Opd, rng: random.Random) -> list[Post]:
    """Kepala puskesmas and one post per Permenkes 75/2014 staff type."""
    head = staff_post(uid, "kepala_puskesmas", 1, dinkes, kec)
    head.leadership = True
    posts = [head]
    for role_key, holders in PUSKESMAS_STAFF[column].items():
        posts.append(staff_post(uid, role_key, holders, dinkes, kec))
    for post in posts:
        post.ej = _target_ej(post, rng)
        _set_formasi(post, PERMENKES_75.get(post.role, {}).get(column))
    return posts


def build_positions(city: City, rng: random.Random) -> list[Post]:
    """All positions in file order: OPD by OPD (with its counters), then puskesmas, then schools."""
    opds = {o.id: o for o in city.opds}
    counters = {
        "DPMPTSPNAKER": ("MPP", "Silungkang"),
        "DISDUKCAPIL": ("LOKET-DUKCAPIL", "Barangin"),
        "DISPARPORA": ("TIC", "Lembah Segar"),
    }
    posts: list[Post] = []
    for opd in city.opds:
        own = structural_posts(opd, rng)
        staff = (
            dict(KECAMATAN_STAFF)
            if opd.shape == "kecamatan"
            else dict(GENERIC)
            if opd.shape in ("dinas", "badan")
            else {}
        )
        staff.update(STAFF.get(opd.id, {}))
        own += [staff_post(opd.id, role, n, opd, opd.kecamatan) for role, n in staff.items()]
        if opd.id in counters:
            counter, kec = counters[opd.id]
            own += [staff_post(counter, role, n, opd, kec) for role, n in STAFF[counter].items()]
        for post in own:
            post.ej = _target_ej(post, rng)
            _set_formasi(post)
        posts += own
    for uid, name, kec, column in city.puskesmas:
        posts += puskesmas_posts(uid, name, kec, column, opds["DINKES"], rng)
    for school in city.schools:
        posts += school_posts(school, rng)
    return posts


if __name__ == "__main__":
    from collections import Counter

    from .city import build_city

    rng = random.Random(1373)
    ps = build_positions(build_city(rng), rng)
    teachers = sum(p.holders for p in ps if p.teacher)
    health = sum(p.holders for p in ps if p.opd == "DINKES")
    total = sum(p.holders for p in ps)
    print(len(ps), "positions;", Counter(p.type for p in ps))
    print("holders total", total, "teachers", teachers, "health", health, "other", total - teachers - health)
    print(
        "teacher need", sum(p.formasi for p in ps if p.role == "guru"), "vacant", sum(1 for p in ps if p.holders == 0)
    )
    ids = [p.id for p in ps]
    assert len(ids) == len(set(ids)), "duplicate position id"
