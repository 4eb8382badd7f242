"""participation.csv: the stated views (participation survey) of a few employees the bundled scenarios move.

Hand-written, not drawn: the rows are tied to the NIPs the scenarios in scenarios/ move, so that their
consultation summaries show every case (a wish honoured, a wish not honoured, an objection on health grounds
overridden, an objection to a unit honoured, a hope for discussion). No random numbers are used, so the
other files do not change. A row is kept only if its employee exists in the draw and has no preferences.csv
rows (participation.csv supersedes them per NIP); with another seed the file is then (nearly) empty.
"""

from __future__ import annotations

HEADER = ["nip", "kind", "unit", "position", "rank", "reason", "note", "stated_on"]

VIEWS = [
    # disdukcapil-mpp: three SETDA clerks to the Dukcapil counter.
    ("199104182016011879", "wish", "LOKET-DUKCAPIL", None, 1, "competence",
     "ingin belajar pelayanan administrasi kependudukan", "2026-05-04"),
    ("197206091997041255", "objection", None, None, None, "health",
     "kontrol rutin di RSUD setiap minggu; mohon tidak dipindah ke pelayanan loket", "2026-05-05"),
    ("199611112016092171", "hope", None, None, None, None,
     "tetap di pelayanan publik dengan jam kerja yang jelas", "2026-05-05"),
    ("199611112016092171", "objection", "KEC-TALAWI", None, None, "spouse",
     "suami bekerja di Lembah Segar", "2026-05-05"),
    # pemerataan-guru: teachers between schools.
    ("197412211998121633", "wish", "SMPN-02", None, 1, "family", "dekat rumah orang tua", "2026-05-06"),
    ("196804302000102188", "objection", "SMPN-07", None, None, "health",
     "perjalanan jauh memperberat kondisi kesehatan", "2026-05-06"),
    ("198910112013042100", "wish", "SDN-18-TALAWI", None, 1, "spouse", "suami bertugas di Talawi", "2026-05-06"),
    ("197610102011012115", "hope", None, None, None, None,
     "mendapat kesempatan pelatihan kurikulum merdeka", "2026-07-20"),
]  # fmt: skip


def participation_rows(people: list, preferences: list[dict]) -> list[dict]:
    """The :data:`VIEWS` of employees in ``people`` without preferences.csv rows, as CSV rows."""
    present = {p.nip for p in people}
    stated = {row["nip"] for row in preferences}
    rows = []
    for view in VIEWS:
        if view[0] in present and view[0] not in stated:
            rows.append(dict(zip(HEADER, view, strict=True)))
    return rows
