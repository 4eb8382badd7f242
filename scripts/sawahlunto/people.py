"""Employees with valid NIPs, grades and careers, and their histories.

NIP (Perka BKN 22/2007): ``YYYYMMDD`` birth, ``YYYYMM`` TMT CPNS, sex digit
(1 male, 2 female), 3-digit sequence. An NI PPPK has ``21`` where the month
would be (see ``decision_support.models.codes.parse_nip``).

Careers: TMT CPNS at age 19-40; golongan starts by education (SMA II/a, D3
II/c, S1/D4 III/a, S2 III/b) and rises one ruang every 4 years, capped by
education and the post's band; TMT jabatan is never before TMT CPNS nor after
``as_of``. About a fifth of teachers and health staff are PPPK.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from . import AS_OF, KECAMATAN
from .positions import Post
from .roles import ROLES, SMA_FIELDS, SUBJECTS

#: Golongan ladder, I/a (rank 1) .. IV/e (rank 17).
LADDER = [f"{g}/{r}" for g in ("I", "II", "III", "IV") for r in ("abcd" if g != "IV" else "abcde")]
RANK = {label: i + 1 for i, label in enumerate(LADDER)}
ENTRY = {"SMA": "II/a", "D3": "II/c", "D4": "III/a", "S1": "III/a", "S2": "III/b"}
CAP = {"SMA": "III/c", "D3": "III/d", "D4": "IV/a", "S1": "IV/a", "S2": "IV/b"}
ENTRY_AGE = {"SMA": (19, 27), "D3": (21, 30), "D4": (22, 32), "S1": (22, 35), "S2": (25, 40)}

# fmt: off
MALE = ("Ahmad", "Rahmat", "Budi", "Andi", "Syahrul", "Fauzan", "Hendra", "Riko", "Yudi", "Zulkifli", "Irwan",
        "Afrizal", "Doni", "Fadli", "Gusrizal", "Hafiz", "Ilham", "Joni", "Khairul", "Lukman", "Muhammad", "Novri",
        "Oktavianus", "Putra", "Rizki", "Syafri", "Taufik", "Wahyu", "Yusril", "Zainal", "Arif", "Dedi", "Edwar",
        "Febri", "Hardi", "Indra", "Jefri", "Mulyadi", "Nofrizal", "Refki", "Sutan", "Yoserizal", "Aldi", "Bayu")
FEMALE = ("Rina", "Siti", "Dewi", "Yuliana", "Fitri", "Rahmi", "Nurhayati", "Desi", "Elvi", "Fauziah", "Gusnita",
          "Hartati", "Indah", "Juwita", "Kurnia", "Lisa", "Mardiah", "Nofita", "Oktaviani", "Putri", "Rosmaini",
          "Sri", "Trisna", "Ulfa", "Vivi", "Wulan", "Yessi", "Zuraida", "Afrida", "Betri", "Cici", "Deswita",
          "Erni", "Fadhila", "Gita", "Hidayati", "Irma", "Lestari", "Meri", "Nelvi", "Reni", "Sukma", "Yunita")
SECOND_M = ("Hidayat", "Saputra", "Putra", "Syahputra", "Fauzi", "Rahman", "Effendi", "Kurniawan", "Firmansyah",
            "Gusman", "Hamdani", "Iskandar", "Jamaris", "Kasmir", "Marzuki", "Nasrul", "Pratama", "Ramadhan",
            "Syafrudin", "Tanjung", "Yuhendri", "Zulfikar", "Anwar", "Chaniago", "Piliang", "Koto", "Sikumbang")
SECOND_F = ("Marlina", "Rahmawati", "Sari", "Yanti", "Wati", "Fitriani", "Handayani", "Susanti", "Novita",
            "Amelia", "Agustina", "Elfira", "Herlina", "Kartika", "Lestari", "Maisarah", "Nengsih", "Permata",
            "Rosita", "Sulastri", "Yusnita", "Zahara", "Asmarni", "Dahlia", "Ermawati", "Febriyanti", "Gustina")
# fmt: on


@dataclass
class Person:
    """One employee (the CSV columns) plus private career facts used for the histories."""

    nip: str
    name: str
    status: str
    golongan: str | None
    post: Post
    tmt_position: date
    birth: date
    sex: str
    education_level: str
    education_field: str
    bup: int
    spouse_kecamatan: str | None
    #: TMT CPNS (PNS/CPNS) or appointment date (PPPK).
    tmt_cpns: date
    #: Whether birth_date / sex are written (SIMPEG exports have gaps).
    show_birth: bool = True
    show_sex: bool = True
    #: The name without academic titles (to re-title after a change of education field).
    plain_name: str = ""
    #: (dimension, code, level) rows of employee_competencies.
    competencies: list[tuple[str, str, int]] = field(default_factory=list)

    def retrain(self, field_: str) -> None:
        """Give this person another field of study (and the matching title)."""
        self.education_field = field_
        self.name = _title(self.plain_name, self.education_level, field_)

    def bup_column(self) -> int | None:
        """The ``bup`` cell: empty where seimbang derives it from the post (rules/retirement.py), written
        for a PPPK in a functional post other than a teacher's, whose jenjang (and so BUP) the post and a
        PPPK golongan do not tell."""
        functional = self.post.type == "fungsional" and not self.post.teacher and self.post.role != "pengawas_sekolah"
        return self.bup if self.status == "PPPK" and functional else None

    def row(self) -> dict:
        return {
            "nip": self.nip,
            "name": self.name,
            "status": self.status,
            "golongan": self.golongan,
            "position": self.post.id,
            "unit": self.post.unit,
            "tmt_position": self.tmt_position.isoformat(),
            "birth_date": self.birth.isoformat() if self.show_birth else None,
            "sex": self.sex if self.show_sex else None,
            "education_level": self.education_level,
            "education_field": self.education_field,
            "bup": self.bup_column(),
            "spouse_kecamatan": self.spouse_kecamatan,
        }


def _weighted(rng: random.Random, pairs: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def _date_in(rng: random.Random, start: date, end: date) -> date:
    """A uniformly random day in [start, end]."""
    return start + timedelta(days=rng.randint(0, max(0, (end - start).days)))


def _education(post: Post, rng: random.Random) -> str:
    if post.type == "jpt":
        return _weighted(rng, (("S2", 7), ("S1", 3)))
    if post.type == "administrator":
        return _weighted(rng, (("S2", 4), ("S1", 6)))
    if post.type == "pengawas":
        return _weighted(rng, (("S1", 8), ("S2", 1), ("D3", 1)))
    level = _weighted(rng, ROLES[post.role].education)
    # Posts of the keahlian band (and teachers, UU 14/2005) need at least S1/D4: a D3 holder sits in the
    # keterampilan post of the same role elsewhere, so here the draw falls back to S1.
    if post.golongan_min == "III/a" and level in ("SMA", "D3"):
        return "S1"
    return level


def _field(post: Post, level: str, rng: random.Random) -> str:
    if level == "SMA":
        return rng.choice(SMA_FIELDS)
    if post.subject:
        # Most teachers hold a degree in their subject; informatika is often taught by others.
        mismatch = 0.45 if post.subject == "informatika" else 0.08
        if rng.random() < mismatch:
            other = rng.choice([s for s in SUBJECTS if s not in (post.subject, "guru_kelas")])
            return rng.choice(SUBJECTS[other][1])
        return rng.choice(SUBJECTS[post.subject][1])
    if post.role == "kepala_sekolah":
        return rng.choice(("PGSD", "Pendidikan Matematika", "Pendidikan Bahasa Indonesia", "Manajemen Pendidikan"))
    return rng.choice(post.fields)


#: Bachelor titles by field of study (exact, or a prefix when written "Pendidikan*"); default S.Sos.
DEGREES: tuple[tuple[tuple[str, ...], str], ...] = (
    (("Pendidikan*", "PGSD", "Tarbiyah", "Manajemen Pendidikan", "Administrasi Pendidikan"), "S.Pd."),
    (("Keperawatan", "Ners"), "S.Kep., Ners"),
    (("Kesehatan Masyarakat",), "S.KM."),
    (("Profesi Apoteker",), "S.Farm., Apt."),
    (("Hukum",), "S.H."),
    (("Akuntansi", "Manajemen", "Ekonomi Pembangunan", "Perpajakan", "Manajemen SDM"), "S.E."),
    (("Teknik*", "Arsitektur", "Perencanaan Wilayah dan Kota", "Geodesi"), "S.T."),
    (("Sistem Informasi", "Manajemen Informatika", "Ilmu Komputer"), "S.Kom."),
    (("Agribisnis", "Agroteknologi"), "S.P."),
    (("Peternakan",), "S.Pt."),
    (("Psikologi",), "S.Psi."),
    (("Pariwisata", "Usaha Perjalanan Wisata", "Manajemen Perhotelan"), "S.Par."),
    (("Statistika", "Matematika", "Fisika", "Biologi", "Kimia", "Gizi"), "S.Si."),
)


def _matches(field_: str, pattern: str) -> bool:
    return field_.startswith(pattern[:-1]) if pattern.endswith("*") else field_ == pattern


def _title(name: str, level: str, field_: str) -> str:
    """Add the usual academic title to a name (dr./drg. before, others after)."""
    if level == "SMA":
        return name
    if field_ == "Kedokteran":
        return f"dr. {name}" + (", M.Kes." if level == "S2" else "")
    if field_ == "Kedokteran Gigi":
        return f"drg. {name}"
    if field_ == "Kedokteran Hewan":
        return f"drh. {name}"
    if level == "D3":
        special = {"Keperawatan": "A.Md.Kep.", "Kebidanan": "A.Md.Keb.", "Farmasi": "A.Md.Farm."}
        return f"{name}, {special.get(field_, 'A.Md.')}"
    if level == "D4":
        return f"{name}, S.Tr.Keb." if field_ == "Kebidanan" else f"{name}, S.Tr."
    first = next((title for fields, title in DEGREES if any(_matches(field_, f) for f in fields)), "S.Sos.")
    if level == "S2":
        second = "M.Pd." if first == "S.Pd." else "M.Kes." if first in ("S.KM.", "S.Kep., Ners") else "M.Si."
        return f"{name}, {first}, {second}"
    return f"{name}, {first}"


def _status(post: Post, rng: random.Random) -> str:
    leader = post.type in ("jpt", "administrator", "pengawas") or post.leadership
    if leader:
        return "PNS"
    if (post.role == "guru" or post.opd == "DINKES") and rng.random() < 0.24:
        return "PPPK"
    return "CPNS" if rng.random() < 0.035 else "PNS"


def _tenure_years(post: Post, rng: random.Random) -> float:
    """Years in the current post: some under 2, many 2-5, a sizeable share over 5."""
    if post.type == "jpt":
        return rng.uniform(0.3, 5.5)
    u = rng.random()
    if u < 0.22:
        return rng.uniform(0.1, 2.0)
    if u < 0.62:
        return rng.uniform(2.0, 5.0)
    return rng.uniform(5.0, 14.0)


class NipRegistry:
    """Hands out unique 18-digit NIPs."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def issue(self, birth: date, year: int, month_code: int, sex: str, rng: random.Random) -> str:
        prefix = f"{birth:%Y%m%d}{year:04d}{month_code:02d}{1 if sex == 'L' else 2}"
        while True:
            nip = f"{prefix}{rng.randint(1, 999):03d}"
            if nip not in self.used:
                self.used.add(nip)
                return nip


def make_person(post: Post, rng: random.Random, nips: NipRegistry) -> Person:
    """One holder of ``post`` with a consistent NIP, grade, dates and education."""
    role = ROLES.get(post.role)
    status = _status(post, rng)
    female = role.female if role else 0.35
    sex = "P" if rng.random() < female else "L"
    level = _education(post, rng)
    bup = 60 if post.teacher or post.type == "jpt" or post.role == "pengawas_sekolah" else 58
    lo_age, hi_age = ENTRY_AGE["S1" if level == "D4" else level]
    golongan = None
    if status == "PPPK":
        year = rng.choices((2022, 2023, 2024, 2025), weights=(3, 3, 2, 2))[0]
        start = date(year, rng.choice((1, 3, 4, 7, 10)), 1)
        entry_age = rng.randint(24, 45)
        month_code = 21
    elif status == "CPNS":
        start = rng.choice((date(2025, 12, 1), date(2026, 1, 1), date(2026, 3, 1), date(2026, 6, 1)))
        entry_age = rng.randint(lo_age, min(hi_age, 32))
        month_code = start.month
        golongan = ENTRY[level]
    else:
        entry_age = rng.randint(lo_age, hi_age)
        entry = RANK[ENTRY[level]]
        cap = min(
            RANK[CAP[level]] + (2 if post.type == "fungsional" and level in ("S1", "S2", "D4") else 0),
            RANK[post.golongan_max] if post.golongan_max else 99,
        )
        structural = bool(post.golongan_min) and post.type in ("jpt", "administrator", "pengawas")
        band_floor = RANK[post.golongan_min] if structural and post.golongan_min else entry
        # Careers are drawn from the floor of an earlier version of this generator, one step below the
        # band for eselon III.a, III.b and IV.a (it widened those bands by PP 100/2000 Pasal 5 huruf b),
        # so the example keeps its people (NIPs, dates) from one version to the next; the golongan is then
        # lifted into the post's band of the PP 13/2002 annex below.
        floor = band_floor - (1 if structural and post.eselon in ("III.a", "III.b", "IV.a") else 0)
        need = max(0, 4 * (floor - entry))
        longest = max(need + 1, bup - 1 - entry_age)
        service = rng.randint(min(need + 1, longest), min(longest, need + 14 if floor > entry else 34))
        if service + entry_age > bup - 1:
            entry_age = max(19, bup - 1 - service)
        rank = entry + service // 4 - (1 if rng.random() < 0.25 and service >= 8 else 0)
        rank = max(band_floor, min(rank, cap, RANK["IV/e"]))
        golongan = LADDER[rank - 1]
        year = AS_OF.year - service
        start = date(min(year, 2025), rng.randint(1, 12) if year < 2025 else rng.choice((1, 3, 6)), 1)
        month_code = start.month
    birth = _date_in(
        rng, date(start.year - entry_age - 1, start.month, 1), date(start.year - entry_age, start.month, 1)
    )
    # Keep everyone below the retirement age on as_of.
    latest_birth = date(AS_OF.year - bup, AS_OF.month, AS_OF.day) + timedelta(days=60)
    if birth < latest_birth:
        birth = _date_in(rng, latest_birth, latest_birth + timedelta(days=900))
        if start.year - birth.year < 19:
            birth = date(start.year - 19, birth.month, min(birth.day, 28))
    tenure = _tenure_years(post, rng)
    tmt = AS_OF - timedelta(days=int(tenure * 365.25))
    tmt = max(tmt, start) if status != "CPNS" else start
    tmt = min(tmt, AS_OF)
    nip = nips.issue(birth, start.year, month_code, sex, rng)
    field_ = _field(post, level, rng)
    first = rng.choice(FEMALE if sex == "P" else MALE)
    second = rng.choice(SECOND_F if sex == "P" else SECOND_M)
    spouse = rng.choice(KECAMATAN) if rng.random() < 0.3 else None
    plain = f"{first} {second}"
    return Person(
        nip,
        _title(plain, level, field_),
        status,
        golongan,
        post,
        tmt,
        birth,
        sex,
        level,
        field_,
        bup,
        spouse,
        start,
        show_birth=rng.random() > 0.04,
        show_sex=rng.random() > 0.03,
        plain_name=plain,
    )


def build_people(posts: list[Post], rng: random.Random) -> list[Person]:
    """Every holder of every post, in post order."""
    nips = NipRegistry()
    return [make_person(post, rng, nips) for post in posts for _ in range(post.holders)]


# -- histories: competencies, trainings, SKP, sanctions, preferences ------------------------------

#: Levels (low, high) of the teknis competency held, by jenis jabatan.
HELD_LEVEL = {"pelaksana": (1, 2), "fungsional": (2, 3), "pengawas": (2, 3), "administrator": (3, 4), "jpt": (4, 5)}
#: Manajerial level (low, high) by jenis jabatan.
MANAGERIAL_LEVEL = {
    "pelaksana": (1, 2),
    "fungsional": (2, 3),
    "pengawas": (2, 3),
    "administrator": (3, 4),
    "jpt": (4, 5),
}
TOURISM_FIELDS = ("Pariwisata", "Usaha Perjalanan Wisata", "Manajemen Perhotelan")
IT_FIELDS = ("Teknik Informatika", "Sistem Informasi", "Ilmu Komputer")


def _competencies(person: Person, rng: random.Random) -> None:
    """2-6 rows: 1-2 teknis, 1-3 manajerial, maybe SK1."""
    post = person.post
    low, high = HELD_LEVEL[post.type]
    rows: list[tuple[str, str, int]] = []
    domain = post.domain
    # Disparpora is short of tourism competence: most of its staff have none.
    tourism_post = domain == "T.PARIWISATA" and post.opd == "DISPARPORA" and post.type in ("pelaksana", "fungsional")
    if tourism_post and rng.random() > 0.3:
        domain = "T.ADMINISTRASI"
    rows.append(("teknis", domain, rng.randint(low, high)))
    role = ROLES.get(post.role)
    if role and role.also:
        rows.append(("teknis", role.also, rng.randint(low, high)))
    elif rng.random() < 0.25 and domain != "T.ADMINISTRASI" and not post.teacher:
        rows.append(("teknis", "T.ADMINISTRASI", rng.randint(1, 3)))
    mlow, mhigh = MANAGERIAL_LEVEL[post.type]
    for code in sorted(rng.sample(sorted(_MANAJERIAL_CODES), rng.randint(1, 3))):
        rows.append(("manajerial", code, rng.randint(mlow, mhigh)))
    if rng.random() < 0.6:
        rows.append(("sosial_kultural", "SK1", rng.randint(max(1, mlow), min(5, mhigh + 1))))
    person.competencies = rows


_MANAJERIAL_CODES = ("M1", "M2", "M3", "M4", "M5", "M6", "M7", "M8")


def _add_talent(person: Person, code: str, fields: tuple[str, ...], rng: random.Random) -> None:
    """A spare talent: an employee outside the OPD that needs it who holds the competency."""
    person.retrain(rng.choice(fields))
    person.competencies = [c for c in person.competencies if not (c[0] == "teknis" and c[1] == code)]
    person.competencies.insert(1, ("teknis", code, rng.randint(2, 3)))
    person.competencies = person.competencies[:6]


def talents(people: list[Person], rng: random.Random) -> dict[str, list[Person]]:
    """Pick employees elsewhere who hold tourism (T.PARIWISATA) or IT (T.TI) competence."""
    pool = [
        p
        for p in people
        if not p.post.teacher
        and p.post.opd not in ("DISPARPORA", "DISKOMINFO", "DINKES")
        and p.post.type in ("pelaksana", "fungsional")
        and p.education_level in ("D3", "S1")
        and p.status == "PNS"
    ]
    chosen = rng.sample(pool, 22)
    tourism, it = chosen[:12], chosen[12:]
    for p in tourism:
        _add_talent(p, "T.PARIWISATA", TOURISM_FIELDS, rng)
    for p in it:
        _add_talent(p, "T.TI", IT_FIELDS, rng)
    return {"T.PARIWISATA": tourism, "T.TI": it}


def _label(code: str) -> str:
    return " ".join(part.capitalize() for part in code.split(".")[1:])


def trainings(person: Person, rng: random.Random) -> list[dict]:
    """Prajabatan/orientation, leadership training for structural posts, functional and technical courses."""
    p, post, rows = person, person.post, []
    first = p.tmt_cpns.year

    def add(name: str, kind: str, year: int, hours: int | None, competency: str | None = None) -> None:
        rows.append(
            {
                "nip": p.nip,
                "name": name,
                "kind": kind,
                "year": min(max(year, first), AS_OF.year),
                "hours": hours,
                "competency": competency,
            }
        )

    if p.status == "PPPK":
        add("Orientasi PPPK", "prajabatan", first, 40)
    elif p.status == "PNS" or rng.random() < 0.5:
        grade = "III" if ENTRY[p.education_level].startswith("III") else "II"
        if first >= 2018:
            add(f"Latihan Dasar CPNS Golongan {grade}", "prajabatan", first + (1 if p.status == "PNS" else 0), 300)
        else:
            add(f"Diklat Prajabatan Golongan {grade}", "prajabatan", first + 1, 200 if grade == "III" else 150)
    lead = {
        "jpt": "Pelatihan Kepemimpinan Nasional Tingkat II",
        "administrator": "Pelatihan Kepemimpinan Administrator",
        "pengawas": "Pelatihan Kepemimpinan Pengawas",
    }
    if post.type in lead:
        year = rng.randint(p.tmt_position.year - 3, p.tmt_position.year + 1)
        if year < 2019:
            old = {
                "jpt": "Diklat Kepemimpinan Tingkat II",
                "administrator": "Diklat Kepemimpinan Tingkat III",
                "pengawas": "Diklat Kepemimpinan Tingkat IV",
            }
            add(old[post.type], "kepemimpinan", year, 280 if post.type == "jpt" else 250)
        else:
            add(lead[post.type], "kepemimpinan", year, 240 if post.type != "pengawas" else 200)
    if post.role == "guru" and p.status == "PNS" and rng.random() < 0.7:
        add(
            "Pendidikan Profesi Guru",
            "fungsional",
            rng.randint(min(first + 2, AS_OF.year), AS_OF.year),
            160,
            post.domain,
        )
    elif post.type == "fungsional" and not post.teacher and rng.random() < 0.6:
        add(
            f"Diklat Fungsional {post.name}",
            "fungsional",
            rng.randint(first, AS_OF.year),
            rng.choice((40, 60, 80)),
            post.domain,
        )
    for code in [c[1] for c in p.competencies if c[0] == "teknis"][: rng.randint(0, 2)]:
        if code in ("T.PARIWISATA", "T.TI") and post.domain != code:
            add(
                "Pelatihan Pemandu Wisata" if code == "T.PARIWISATA" else "Pelatihan Pengembangan Aplikasi Web",
                "teknis",
                rng.randint(first, AS_OF.year),
                40,
                code,
            )
        else:
            add(
                f"Bimbingan Teknis {_label(code)}",
                "teknis",
                rng.randint(first, AS_OF.year),
                rng.choice((16, 24, 32, 40)),
                code,
            )
    return rows


def skp(person: Person, rng: random.Random) -> list[dict]:
    """SKP predicates 2023-2025: mostly baik, some sangat baik, a few butuh perbaikan or kurang."""
    if person.status == "CPNS":
        return []
    tendency = rng.random()
    rows = []
    for year in (2023, 2024, 2025):
        if person.tmt_cpns.year > year:
            continue
        u = rng.random() * 0.7 + tendency * 0.3
        predicate = "kurang" if u < 0.03 else "butuh_perbaikan" if u < 0.09 else "baik" if u < 0.76 else "sangat_baik"
        rows.append({"nip": person.nip, "year": year, "predicate": predicate})
    return rows


SANCTIONS = {
    "ringan": ("teguran lisan", "teguran tertulis", "pernyataan tidak puas secara tertulis"),
    "sedang": (
        "pemotongan tunjangan kinerja 25% selama 6 bulan",
        "pemotongan tunjangan kinerja 25% selama 9 bulan",
        "pemotongan tunjangan kinerja 25% selama 12 bulan",
    ),
    "berat": (
        "penurunan jabatan setingkat lebih rendah selama 12 bulan",
        "pembebasan dari jabatan menjadi jabatan pelaksana selama 12 bulan",
    ),
}


def sanctions(people: list[Person], rng: random.Random) -> list[dict]:
    """About 1.5 % of PNS/PPPK with a hukuman disiplin (PP 94/2021); some still active on as_of."""
    candidates = [p for p in people if p.status != "CPNS" and p.tmt_cpns.year <= 2023]
    rows = []
    for person in rng.sample(candidates, round(len(people) * 0.015)):
        level = rng.choices(("ringan", "sedang", "berat"), weights=(6, 3, 1))[0]
        description = rng.choice(SANCTIONS[level])
        months = 6 if level == "ringan" else 12 if level == "berat" else int(description.split("selama ")[1].split()[0])
        active = rng.random() < 0.4
        if active:
            start = _date_in(rng, AS_OF - timedelta(days=30 * months - 20), AS_OF - timedelta(days=10))
        else:
            start = _date_in(rng, date(2022, 1, 1), AS_OF - timedelta(days=30 * months + 30))
        end = start + timedelta(days=30 * months)
        rows.append(
            {
                "nip": person.nip,
                "level": level,
                "start": start.isoformat(),
                "end": end.isoformat(),
                "description": description,
            }
        )
    return sorted(rows, key=lambda r: r["nip"])


def preferences(
    people: list[Person], talent: dict[str, list[Person]], posts: list[Post], rng: random.Random
) -> list[dict]:
    """Wishes (ranked) of ~15-20 % of employees and a few avoided units, with reasons in Indonesian.

    Teachers wish for urban Lembah Segar schools (the pull behind the surplus there); health staff for
    the town puskesmas; the tourism and IT talents for Disparpora and Diskominfo.
    """
    school_area = {p.unit: (p.area, p.kecamatan) for p in posts if p.role == "kepala_sekolah"}
    urban_sd = sorted(u for u, (a, _k) in school_area.items() if a == "urban" and u.startswith("SD"))
    urban_smp = sorted(u for u, (a, _k) in school_area.items() if a == "urban" and u.startswith("SMP"))
    remote = sorted(u for u, (a, _k) in school_area.items() if a == "remote")
    town_pkm = ["PKM-LUNTO", "PKM-SANTUR"]
    kec_office = {k: "KEC-" + k.upper().replace(" ", "-") for k in KECAMATAN}
    opds = sorted({p.opd for p in posts if p.opd not in ("DISDIK", "DINKES")})
    special = {p.nip: code for code, group in talent.items() for p in group}
    rows: list[dict] = []
    for person in people:
        post, wishes = person.post, []
        spouse_reason = "ikut suami" if person.sex == "P" else "ikut istri"
        if person.nip in special:
            if rng.random() < 0.75:
                if special[person.nip] == "T.PARIWISATA":
                    wishes = [("DISPARPORA", "sesuai kompetensi pariwisata"), ("TIC", "sesuai kompetensi pariwisata")]
                else:
                    wishes = [("DISKOMINFO", "sesuai kompetensi teknologi informasi")]
        elif rng.random() < 0.16:
            if post.teacher:
                pool = urban_sd if post.unit.startswith("SD") else urban_smp
                wishes = [(u, "dekat dengan domisili") for u in rng.sample(pool, min(len(pool), rng.randint(1, 3)))]
                if person.spouse_kecamatan == "Lembah Segar" and wishes:
                    wishes[0] = (wishes[0][0], spouse_reason)
            elif post.opd == "DINKES":
                wishes = [(u, "dekat dengan domisili") for u in town_pkm[: rng.randint(1, 2)]]
            elif person.spouse_kecamatan and rng.random() < 0.5:
                wishes = [(kec_office[person.spouse_kecamatan], spouse_reason)]
            else:
                reason = rng.choice(
                    ("pengembangan karier", "ingin suasana kerja baru", "sesuai latar belakang pendidikan")
                )
                wishes = [(u, reason) for u in rng.sample(opds, rng.randint(1, 3))]
        rank = 0
        seen = {post.unit}
        for unit, reason in wishes:
            if unit in seen:
                continue
            seen.add(unit)
            rank += 1
            rows.append({"nip": person.nip, "kind": "wish", "unit": unit, "rank": rank, "reason": reason})
        if rng.random() < 0.012:
            if post.teacher and remote:
                unit, reason = rng.choice(remote), "jarak tempuh jauh dari domisili"
            else:
                unit, reason = rng.choice(
                    (("MPP", "beban pelayanan tinggi"), ("SATPOLPP-DAMKAR", "tidak sesuai latar belakang pendidikan"))
                )
            if unit not in seen:
                rows.append({"nip": person.nip, "kind": "avoid", "unit": unit, "rank": None, "reason": reason})
    return rows


@dataclass
class Histories:
    """The per-employee tables, each a list of CSV rows."""

    competencies: list[dict]
    trainings: list[dict]
    skp: list[dict]
    sanctions: list[dict]
    preferences: list[dict]


def build_histories(people: list[Person], posts: list[Post], rng: random.Random) -> Histories:
    """Competencies (with the spare tourism/IT talents), trainings, SKP, sanctions and preferences."""
    for person in people:
        _competencies(person, rng)
    talent = talents(people, rng)
    competencies = [
        {"nip": p.nip, "dimension": d, "code": c, "level": lv} for p in people for d, c, lv in p.competencies
    ]
    return Histories(
        competencies=competencies,
        trainings=[row for p in people for row in trainings(p, rng)],
        skp=[row for p in people for row in skp(p, rng)],
        sanctions=sanctions(people, rng),
        preferences=preferences(people, talent, posts, rng),
    )
