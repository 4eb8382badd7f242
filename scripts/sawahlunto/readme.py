"""The dataset's README.md: what it is (SYNTHETIC), how to regenerate it, sources, imbalances, assumptions.

The figures in it are computed here from the generated tables with the same
formulas the analysis uses (EJ = workload / (holders x 75,000 min); teacher gap
= holders - SKB 5 Menteri need), so the README always matches the data.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from . import AS_OF
from .city import City
from .people import Histories, Person
from .positions import WKE_MINUTES, Post
from .roles import ROLES


def _ej_by(posts: list[Post], workload: list[dict], key) -> dict[str, tuple[float, int]]:
    """EJ and holders per group of positions that have ABK tasks."""
    minutes: dict[str, float] = defaultdict(float)
    for row in workload:
        minutes[row["position"]] += row["volume"] * row["norma_waktu"]
    total: dict[str, float] = defaultdict(float)
    holders: dict[str, int] = defaultdict(int)
    for post in posts:
        if post.id in minutes:
            total[key(post)] += minutes[post.id]
            holders[key(post)] += post.holders
    return {k: (total[k] / (holders[k] * WKE_MINUTES), holders[k]) for k in total if holders[k]}


def _fmt(ej: float) -> str:
    return f"{ej:.2f}"


def readme_text(
    seed: int,
    city: City,
    posts: list[Post],
    people: list[Person],
    histories: Histories,
    workload: list[dict],
    services: list[dict],
    requirements: int,
) -> str:
    names = {u["id"]: u["name"] for u in city.units}
    kinds = Counter(u["kind"] for u in city.units)
    status = Counter(p.status for p in people)
    teachers = sum(1 for p in people if p.post.teacher)
    health = sum(1 for p in people if p.post.opd == "DINKES")
    by_opd = _ej_by(posts, workload, lambda p: p.opd)
    by_unit = _ej_by(posts, workload, lambda p: p.unit)
    ranked = sorted(by_opd.items(), key=lambda kv: -kv[1][0])
    high = [f"{names[k]} ({k}) {_fmt(e)}" for k, (e, _h) in ranked if e > 1.1]
    low = [f"{names[k]} ({k}) {_fmt(e)}" for k, (e, _h) in ranked if e < 0.7]
    special = ["LOKET-DUKCAPIL", "MPP", "TIC", *[u for u, *_ in city.puskesmas]]
    unit_lines = [f"| {names[u]} (`{u}`) | {by_unit[u][1]} | {_fmt(by_unit[u][0])} |" for u in special if u in by_unit]
    over_posts = sorted((e, k) for k, (e, _h) in _ej_by(posts, workload, lambda p: p.id).items() if e < 0.6)[:10]
    school_gap: dict[str, int] = defaultdict(int)
    short_schools, surplus_schools = set(), set()
    for post in posts:
        if post.role == "guru":
            gap = post.holders - post.formasi
            school_gap[post.unit] += gap
            if gap < 0:
                short_schools.add(post.unit)
            if gap > 0:
                surplus_schools.add(post.unit)
    area = {s.id: s.area for s in city.schools}
    kec = {s.id: s.kecamatan for s in city.schools}
    net = Counter()
    for unit, gap in school_gap.items():
        net[(kec[unit], area[unit])] += gap
    net_lines = [f"| {k} | {a} | {g:+d} |" for (k, a), g in sorted(net.items())]
    info = [p for p in posts if p.subject == "informatika"]
    info_need, info_have = sum(p.formasi for p in info), sum(p.holders for p in info)
    tourism_staff = [p for p in people if p.post.opd == "DISPARPORA" and p.post.type in ("pelaksana", "fungsional")]
    tourism_ok = sum(1 for p in tourism_staff if any(c[1] == "T.PARIWISATA" and c[2] >= 2 for c in p.competencies))
    talent = Counter(
        c[1]
        for p in people
        if p.post.opd not in ("DISPARPORA", "DISKOMINFO")
        for c in p.competencies
        if c[1] in ("T.PARIWISATA", "T.TI")
        and c[1] not in (p.post.domain, getattr(ROLES.get(p.post.role), "also", None))
    )
    active = sum(1 for s in histories.sanctions if s["end"] >= AS_OF.isoformat())
    wishers = len({r["nip"] for r in histories.preferences})
    lines = f"""# Kota Sawahlunto (data sintetis): the bundled example dataset

> **SYNTHETIC DATA.** Every employee, NIP, name, grade, score and wish in this folder is invented by a
> random generator. No row describes a real person. Only the shape of the city (kecamatan, number of
> schools, the MPP, the tourism season) follows public sources, listed below. Do not use these numbers as
> facts about the Pemerintah Kota Sawahlunto.

## Regenerate

```bash
python scripts/generate_sawahlunto.py                  # writes datasets/sawahlunto/ (seed {seed})
python scripts/generate_sawahlunto.py --out /tmp/x --seed 7   # another draw of the same city
```

The files are generated, not hand-edited: change `scripts/sawahlunto/` and regenerate. The generator uses
the standard library plus `decision_support` (for the juknis rounding), one `random.Random(seed)` passed
explicitly to every builder, a fixed row order and no timestamps, so every run with the same seed writes
byte-identical files (checked by `tests/test_sawahlunto_example.py`). Default seed: **{seed}** (the BPS code
of Kota Sawahlunto). Snapshot date `as_of`: **{AS_OF.isoformat()}**.

| Module | Builds |
|---|---|
| `scripts/sawahlunto/city.py` | units: PEMKO, the OPD, counters, puskesmas, SD and SMP; curriculum |
| `scripts/sawahlunto/roles.py` | the job catalogue: name, jenis jabatan, competency, education, grade band |
| `scripts/sawahlunto/positions.py` | positions with formasi/min_staff, planned holders and target EJ |
| `scripts/sawahlunto/people.py` | employees with valid NIPs, then competencies, trainings, SKP, sanctions, wishes |
| `scripts/sawahlunto/participation.py` | participation.csv (fixed rows, no random numbers) |
| `scripts/sawahlunto/abk.py` | ABK Form A tasks calibrated to each position's target EJ |
| `scripts/sawahlunto/services.py` | services.yaml (arrivals, service times, servers, targets) |
| `scripts/sawahlunto/write.py`, `readme.py` | CSV/YAML writers and this README |

## Contents

| File | Rows |
|---|---|
| `units.yaml` | {len(city.units)} units: {kinds["opd"]} opd (PEMKO + {kinds["opd"] - 1} OPD), {kinds["school"]} schools \
({sum(1 for s in city.schools if s.level == "SD")} SD, {sum(1 for s in city.schools if s.level == "SMP")} SMP), \
{kinds["puskesmas"]} puskesmas, {kinds["service_counter"]} service counters |
| `positions.csv` | {len(posts)} positions ({sum(1 for p in posts if p.holders == 0)} vacant) |
| `position_competencies.csv` | {requirements} (1-4 requirements per position) |
| `employees.csv` | {len(people)} employees: {status["PNS"]} PNS, {status["CPNS"]} CPNS, {status["PPPK"]} PPPK; \
{teachers} teachers (incl. kepala sekolah), {health} health staff, {len(people) - teachers - health} in other OPD |
| `employee_competencies.csv` | {len(histories.competencies)} |
| `trainings.csv` | {len(histories.trainings)} |
| `skp.csv` | {len(histories.skp)} (2023-2025) |
| `sanctions.csv` | {len(histories.sanctions)} ({active} still active on {AS_OF.isoformat()}) |
| `preferences.csv` | {len(histories.preferences)} rows from {wishers} employees |
| `participation.csv` | hand-written survey views (wishes, hopes, objections with reasons) of employees the \
bundled scenarios move, to show every case of the consultation summary |
| `workload.csv` | {len(workload)} ABK tasks (every non-teacher position) |
| `schools.csv`, `curriculum.csv` | {len(city.schools)} schools; 14 curriculum entries |
| `services.yaml` | {len(services)} services |

## Public facts used

From the project's domain reference (`asn-mutasi.md`, sections 2-5 and 7), with its sources:

- 4 kecamatan: Barangin, Lembah Segar, Silungkang, Talawi; seat of government in Barangin, city centre in
  Lembah Segar. Schools are spread in proportion to the 2010 census (Talawi 17,676; Barangin 16,852; Lembah
  Segar 12,164; Silungkang 10,120); population ~67,000 in 2021 (66,962).
  <https://id.m.wikipedia.org./wiki/Kependudukan_kota_Sawahlunto>, <https://langgam.id/?p=24013>
- 63 SD and 14 SMP (BPS, ~2017/18; TK 41 and SMA 9 are not modelled). <https://langgam.id/?p=24013>
- Mal Pelayanan Publik opened 26 Sep 2022 in the former Pasar Songket building, Muaro Kalaban (Kec.
  Silungkang), 134 service types, 23-24 gerai.
  <https://topsumbar.co.id/2022/09/ke-68-di-indonesia-menpanrb-resmikan-mal-pelayanan-publik-kota-sawahlunto>
- Tourism peak: Lebaran 2025 peak 8,442 visits/day (mean ~5,842/day over 1-5 April) against ~2,000/day on
  ordinary busy days; the Info Box counted 424 visits in those five days.
  <https://sumbar.antaranews.com/berita/670881/dalam-5-hari-libur-lebaran-kunjungan-wisata-di-sawahlunto-hampir-30-ribu>,
  <https://www.fajarsumbar.com/2025/04/taman-satwa-kandi-jadi-destinasi.html>
- OPD names seen in public sources (Setda, Inspektorat, BKPSDM, BKAD, Dinas PUPR, Satpol PP dan Damkar,
  Disparpora, Disdukcapil, DPMPTSP dan Tenaga Kerja, Dinas Pendidikan, Sekretariat DPRD):
  <https://www.fajarsumbar.com/2020/01/pemko-sawahlunto-akan-mutasi-besar.html>
- Puskesmas Kolok Mudik (inpatient since 2017) and Durian: <https://portal.sawahluntokota.go.id/pembangunan-puskesmas-kolok-mudik-dimulai/>
- Rules: ABK `EJ = workload / (holders x WKE)` with WKE 1,250 h (PermenPAN-RB 1/2020); teachers needed =
  curriculum hours x rombel / 24 with the SKB 5 Menteri juknis rounding; SD rombel at most 28 pupils
  (Permendikbud 22/2016); puskesmas minimum staff from the Permenkes 75/2014 table (`min_staff`); NIP
  structure (Perka BKN 22/2007), NI PPPK with `21` in digits 13-14 (reported practice).

## Built-in imbalances (what the analysis should find)

Run `seimbang workload datasets/sawahlunto --view opd` (or `--view unit`, `--view school`).

**Overloaded (EJ > 1.1)**, OPD level: {"; ".join(high) or "none"}.

| Unit | Holders | EJ |
|---|---|---|
{chr(10).join(unit_lines)}

**Spare capacity (EJ < 0.7)**, OPD level: {"; ".join(low) or "none"}. Overstaffed posts a transfer can draw
from (the ten lowest with EJ < 0.6): {", ".join(f"`{k}` {_fmt(e)}" for e, k in over_posts)}.

**Teachers**: {len(short_schools)} schools lack a teacher in at least one subject and {len(surplus_schools)}
have more than needed in at least one. Urban Lembah Segar schools carry the surplus; remote desa schools in
Talawi and Barangin the shortage. Net teacher gap (holders - need) by kecamatan and area:

| Kecamatan | Area | Net gap |
|---|---|---|
{chr(10).join(net_lines)}

Informatika is scarce: {info_have} informatika teachers for a need of {info_need} in the 14 SMP.

**Competence**: only {tourism_ok} of {len(tourism_staff)} pelaksana/fungsional staff of Disparpora hold the
tourism competency `T.PARIWISATA` at level 2 or more, while {talent["T.PARIWISATA"]} employees in other OPD
hold it (education in tourism) and {talent["T.TI"]} outside IT posts hold `T.TI`; most of them
wish to move to Disparpora, the TIC or Diskominfo (`preferences.csv`).

## Assumptions (not from a source)

- The OPD list (SOTK), the bidang names and the eselon structure are a plausible reconstruction; the
  official Perda is not confirmed. Structural posts carry the golongan bands of the PP 13/2002 annex
  table (II.a IV/c-IV/d, II.b IV/b-IV/c, III.a IV/a-IV/b, III.b III/d-IV/a, IV.a III/c-III/d); a promotion
  one step below a band (PP 100/2000 Pasal 5 huruf b) is a rule of `rules/nasional`, not data. The Camat
  is an administrator post.
- `bup` is empty except for PPPK in functional posts other than teachers': seimbang derives the
  retirement age from the post (UU 5/2014 Pasal 90, PP 11/2017 Pasal 239; docs/rules-reference.md), and a
  PPPK's post and golongan do not tell its jenjang.
- Puskesmas list (Kolok rawat inap, Talawi, Silungkang, Lunto, Sungai Durian, Santur) and their kecamatan
  are **partly unconfirmed**; the Permenkes 75/2014 column chosen per puskesmas is an assumption, and
  Permenkes 43/2019 (whose annex could not be read) governs today.
- Curriculum hours per rombel are modelled on Kurikulum 2013: SD guru kelas 24 (one per rombel), PJOK 4,
  PAI 4; SMP PAI 3, PPKn 3, Bahasa Indonesia 6, Matematika 5, IPA 5, IPS 4, Bahasa Inggris 4, Seni Budaya 3,
  PJOK 3, Prakarya 2, Informatika 2. Pupil numbers are random (SD 60-300, SMP 150-700); `rombel` is empty
  (derived with at most 28 pupils for SD, 32 for SMP) except for small SD, which still run six rombel.
- ABK norma waktu and yearly volumes are invented and calibrated so that EJ lands where intended; they are
  not measured standards. Teacher posts have no ABK rows. WKE 1,250 h is the default (figure unconfirmed
  in the regulation text).
- Careers: TMT CPNS at age 19-40, one golongan step every 4 years from the entry grade of the education
  level (SMA II/a, D3 II/c, S1 III/a, S2 III/b), capped by education and post; about a fifth of teachers and
  health staff are PPPK (appointed 2022-2025); CPNS have TMT CPNS within the year before `as_of`. A few
  rows lack `birth_date` or `sex`, as SIMPEG exports do.
- Competency codes: manajerial M1-M8 and sosial kultural SK1 follow PermenPAN-RB 38/2017 (M1 integritas,
  M2 kerja sama, M3 komunikasi, M4 orientasi pada hasil, M5 pelayanan publik, M6 pengembangan diri dan
  orang lain, M7 mengelola perubahan, M8 pengambilan keputusan; SK1 perekat bangsa); the teknis codes
  (`T.KEPENDUDUKAN`, `T.PARIWISATA`, `T.TI`, `T.PEMBELAJARAN.MTK`...) are this dataset's own.
- Services: office hours Monday-Thursday 07:30-16:00 and Friday 07:30-16:30 with breaks; arrival rates and
  service times are assumptions (Sawahlunto's own standar pelayanan was not found). The Lebaran 2026
  multiplier (3.5, 19-25 March 2026) comes from the 2025 peak against ordinary busy days; the school and
  year-end holiday multipliers are assumptions.
- Names are random combinations of common Indonesian/Minang given names; any match with a real person is
  coincidental.
"""
    return lines
