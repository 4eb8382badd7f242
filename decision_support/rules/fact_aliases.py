"""Indonesian words for facts, so that "did you mean" suggests by meaning, not only by spelling.

A policy officer writes ``employee.masa_kerja`` and means ``employee.years_of_service``; by spelling alone
the closest fact is ``employee.sex``. Fact names are English (docs/rules-reference.md); the words here are
the terms of the regulations and of SIMPEG/SIASN exports (masa kerja, golongan, pangkat, unit kerja, TMT...).
Suggestions only ever name facts that exist, so a renamed fact never yields a wrong suggestion.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

from ..i18n import _

#: The part before the dot, as people say it.
GROUP_ALIASES: dict[str, str] = {
    "pegawai": "employee",
    "asn": "employee",
    "pns": "employee",
    "karyawan": "employee",
    "calon": "employee",
    "kandidat": "employee",
    "asal": "origin",
    "jabatan_asal": "origin",
    "sumber": "origin",
    "tujuan": "target",
    "sasaran": "target",
    "jabatan_tujuan": "target",
    "mutasi": "move",
    "pindah": "move",
    "perpindahan": "move",
    "konteks": "context",
    "kuota": "quota",
}

#: The part after the dot, as people say it -> the attributes meant, the likeliest first.
ATTRIBUTE_ALIASES: dict[str, tuple[str, ...]] = {
    "masa_kerja": ("years_of_service",),
    "lama_kerja": ("years_of_service",),
    "lama_bekerja": ("years_of_service",),
    "masa_kerja_golongan": ("years_of_service",),
    "tmt_cpns": ("years_of_service",),
    "masa_jabatan": ("years_in_position",),
    "lama_jabatan": ("years_in_position",),
    "lama_menjabat": ("years_in_position",),
    "tmt_jabatan": ("years_in_position",),
    "golongan": ("golongan", "golongan_rank"),
    "gol": ("golongan", "golongan_rank"),
    "pangkat": ("golongan", "golongan_rank"),
    "ruang": ("golongan", "golongan_rank"),
    "pangkat_golongan": ("golongan", "golongan_rank"),
    "golongan_pppk": ("golongan_pppk",),
    "jabatan": ("position", "position_name"),
    "nama_jabatan": ("position_name",),
    "jenis_jabatan": ("position_type",),
    "unit_kerja": ("unit",),
    "satuan_kerja": ("unit",),
    "satker": ("unit",),
    "jenis_unit": ("unit_kind",),
    "usia": ("age_years",),
    "umur": ("age_years",),
    "pendidikan": ("education_level", "education_rank"),
    "jenjang_pendidikan": ("education_level", "education_rank"),
    "tingkat_pendidikan": ("education_level", "education_rank"),
    "pendidikan_terakhir": ("education_level", "education_rank"),
    "jurusan": ("education_field",),
    "bidang_pendidikan": ("education_field",),
    "program_studi": ("education_field",),
    "jenis_kelamin": ("sex",),
    "kelamin": ("sex",),
    "status_pegawai": ("status",),
    "status_kepegawaian": ("status",),
    "hukuman_disiplin": ("has_active_sanction", "sanctioned_last_2_years"),
    "hukdis": ("has_active_sanction", "sanctioned_last_2_years"),
    "sanksi": ("has_active_sanction", "sanctioned_last_2_years"),
    "tingkat_hukuman": ("active_sanction_level",),
    "skp": ("skp_last", "skp_last_rank"),
    "predikat_skp": ("skp_last", "skp_last_rank"),
    "kinerja": ("skp_last", "skp_last_rank"),
    "penilaian_kinerja": ("skp_last", "skp_last_rank"),
    "kompetensi": ("competencies", "required_competencies", "competency_fit"),
    "kesesuaian_kompetensi": ("competency_fit",),
    "pensiun": ("months_to_retirement",),
    "bup": ("months_to_retirement",),
    "batas_usia_pensiun": ("months_to_retirement",),
    "sisa_masa_kerja": ("months_to_retirement",),
    "pasangan": ("spouse_kecamatan", "spouse_colocated"),
    "kecamatan_pasangan": ("spouse_kecamatan",),
    "domisili_pasangan": ("spouse_kecamatan",),
    "ikut_pasangan": ("spouse_colocated",),
    "eselon": ("eselon",),
    "pimpinan": ("leadership",),
    "jabatan_pimpinan": ("leadership",),
    "struktural": ("leadership",),
    "sektor": ("sector",),
    "bidang": ("sector",),
    "urusan": ("sector",),
    "perangkat_daerah": ("opd",),
    "skpd": ("opd",),
    "dinas": ("opd",),
    "instansi": ("opd",),
    "kecamatan": ("kecamatan",),
    "lokasi": ("kecamatan",),
    "formasi": ("formasi",),
    "pemangku": ("holders",),
    "jumlah_pemangku": ("holders",),
    "jumlah_pegawai": ("holders",),
    "bezetting": ("holders",),
    "kebutuhan": ("need",),
    "kebutuhan_pegawai": ("need",),
    "kekurangan": ("gap",),
    "selisih": ("gap",),
    "beban_kerja": ("ej",),
    "efisiensi_jabatan": ("ej",),
    "mapel": ("subject", "subject_match"),
    "mata_pelajaran": ("subject", "subject_match"),
    "kesesuaian_mapel": ("subject_match",),
    "pilihan": ("wished", "wish_rank"),
    "keinginan": ("wished", "wish_rank"),
    "usulan_pegawai": ("wished", "wish_rank"),
    "dihindari": ("avoided",),
    "tanggal": ("as_of",),
    "per_tanggal": ("as_of",),
    "pilkada": ("pre_election_window", "post_inauguration_window"),
    "masa_pilkada": ("pre_election_window",),
    "pelantikan": ("post_inauguration_window",),
    "izin_mendagri": ("mendagri_approval",),
    "persetujuan_mendagri": ("mendagri_approval",),
    "jabatan_sama": ("same_position", "same_position_name"),
    "unit_sama": ("same_unit",),
    "opd_sama": ("same_opd",),
}


def _normalise(text: str) -> str:
    return re.sub(r"[\s\-]+", "_", text.strip().lower())


def _split(name: str) -> tuple[str | None, str]:
    group, dot, attribute = _normalise(name).partition(".")
    return (group, attribute) if dot else (None, group)


def suggest_by_meaning(name: str, facts: Iterable[str]) -> list[str]:
    """Existing facts that ``name`` means by its Indonesian words, the likeliest first (maybe none)."""
    known = list(facts)
    group, attribute = _split(name)
    group = GROUP_ALIASES.get(group, group) if group is not None else None
    # The whole attribute, else the longest alias it contains (masa_kerja_tahun -> masa_kerja).
    meant = ATTRIBUTE_ALIASES.get(attribute)
    if meant is None:
        inside = [alias for alias in ATTRIBUTE_ALIASES if re.search(rf"(^|_){alias}(_|$)", attribute)]
        meant = ATTRIBUTE_ALIASES[max(inside, key=len)] if inside else ()
    found = [f"{group}.{wanted}" for wanted in (*meant, attribute) if f"{group}.{wanted}" in known]
    if not found:
        # The meant attribute exists only in other groups (employee.jabatan -> origin.position).
        found = [f for wanted in meant for f in known if f.partition(".")[2] == wanted]
    return [f for f in dict.fromkeys(found) if f != name]


def did_you_mean_fact(name: str, facts: Iterable[str]) -> str | None:
    """A localized "did you mean" for an unknown fact: by meaning first, else by spelling."""
    known = sorted(facts)
    meant = suggest_by_meaning(name, known)
    if meant:
        return _("Did you mean '{choice}'?").format(choice=meant[0])
    group, attribute = _split(name)
    probe = f"{GROUP_ALIASES.get(group, group)}.{attribute}" if group is not None else attribute
    match = difflib.get_close_matches(probe, known, n=1, cutoff=0.6)
    return _("Did you mean '{choice}'?").format(choice=match[0]) if match else None
