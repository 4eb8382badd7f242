"""The rules of the SYNTHETIC province: each local government's own rule pack and election calendar.

Every local government gets, in ``rules/<code>/`` of the generated dataset:

- ``<code>.yaml``: its local policy, scoped to it (``local_governments: [CODE]``). The policy is modelled on the
  Sawahlunto pack (``rules/sawahlunto/sawahlunto.yaml``: teachers and health workers stay in their sector,
  subject teachers in their subject, functional staff in their jabatan, and the same scores), with rule ids
  prefixed by the code and deterministic per-local-government variations, drawn from the seed: the weight of the
  ABK-need score, a local preference for rotating long-serving staff (after 3, 4 or 5 years, within the 2-5 year
  window of PP 11/2017 Pasal 190 ayat 3) and a cap on moves into one unit per plan. These variations are
  SYNTHETIC: no local government adopted them.
- ``calendar.yaml``: its Pilkada calendar (``local_government: CODE``): Pilkada serentak 2024 for all, penetapan
  paslon 22 September 2024 (PKPU 2/2024); the inauguration (and end of the previous term) on 20 February 2025,
  except for a few local governments whose inauguration is SYNTHETICALLY put later (as after a dispute at the
  Mahkamah Konstitusi), so that the post-inauguration window differs between local governments.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any, Protocol

import yaml

ROOT = Path(__file__).resolve().parent.parent
LOCAL_PACK = ROOT / "rules" / "sawahlunto" / "sawahlunto.yaml"
#: Penetapan pasangan calon of Pilkada serentak 2024 (PKPU 2/2024).
CANDIDATE_DETERMINATION = date(2024, 9, 22)
#: Pelantikan serentak of the heads elected in 2024.
INAUGURATION = date(2025, 2, 20)
#: A later inauguration (SYNTHETIC), for every fifth local government of the list.
LATE_INAUGURATION = date(2025, 4, 17)


class LocalGovernment(Protocol):
    code: str
    name: str


def rule_files(local_governments: Sequence[LocalGovernment], seed: int) -> dict[str, str]:
    """``rules/<code>/<code>.yaml`` and ``rules/<code>/calendar.yaml`` of each local government."""
    template = yaml.safe_load(LOCAL_PACK.read_text(encoding="utf-8"))
    files = {}
    for i, lg in enumerate(local_governments):
        folder = f"rules/{lg.code.lower()}"
        rng = random.Random(f"{seed}/{lg.code}/rules")
        files[f"{folder}/{lg.code.lower()}.yaml"] = _dump(local_pack(template, lg, rng), _pack_comment(lg))
        files[f"{folder}/calendar.yaml"] = _dump(calendar(lg, i), _calendar_comment(lg, i))
    return files


def local_pack(template: dict[str, Any], lg: LocalGovernment, rng: random.Random) -> dict[str, Any]:
    """The Sawahlunto policy as ``lg``'s own pack, with its variations."""
    prefix = lg.code.lower()
    need_points = rng.choice((5, 10, 15))
    tenure_years = rng.choice((3, 4, 5))
    tenure_points = rng.choice((4, 6, 8))
    unit_cap = rng.choice((4, 6, 8, 10))
    rules = []
    for rule in template["rules"]:
        copied = {**rule, "id": f"{prefix}_{rule['id']}"}
        if rule["id"] == "kebutuhan_abk_tujuan":
            copied["points"] = need_points
        rules.append(copied)
    rules.append(_tenure_rule(prefix, tenure_years, tenure_points))
    rules.append(_unit_cap_rule(prefix, unit_cap))
    return {
        "pack": f"lokal_{prefix}",
        "version": "2026.1",
        "title": f"Kebijakan lokal mutasi ASN {lg.name} (SINTETIS)",
        "effective_from": "2024-01-01",
        "local_governments": [lg.code],
        "legal_basis": [
            "SINTETIS: kebijakan lokal contoh, meniru kebijakan Kota Sawahlunto (rules/sawahlunto/sawahlunto.yaml)",
            "PP 11/2017 Pasal 190 ayat 3, 4 dan 6; Pasal 191 (mutasi dalam satu instansi ditetapkan PPK)",
            "Permendagri 12/2008 (Analisis Beban Kerja)",
        ],
        "owner": f"BKPSDM {lg.name} (data sintetis)",
        "description": (
            f"Kebijakan daerah {lg.name} yang SINTETIS: aturan Kota Sawahlunto dengan variasi bobot kebutuhan "
            f"ABK (+{need_points}), prioritas rotasi setelah {tenure_years} tahun (+{tenure_points}) dan batas "
            f"{unit_cap} mutasi masuk per unit."
        ),
        "rules": rules,
    }


def _tenure_rule(prefix: str, years: int, points: int) -> dict[str, Any]:
    return {
        "id": f"{prefix}_rotasi_setelah_{years}_tahun",
        "kind": "score",
        "title": f"Prioritas rotasi setelah {years} tahun di jabatan (kebijakan lokal sintetis)",
        "legal_basis": (
            f"SINTETIS: preferensi lokal dalam rentang 2-5 tahun PP 11/2017 Pasal 190 ayat 3; nilai {years} tahun "
            "adalah variasi contoh, bukan kebijakan yang ditetapkan"
        ),
        "unconfirmed": True,
        "when": {"fact": "employee.years_in_position", "op": "gte", "value": years},
        "points": points,
        "reasons": {
            "pass": {
                "id": "Sudah {employee.years_in_position} di jabatan sekarang, lewat {value} tahun: prioritas "
                "rotasi daerah (+{points})",
                "en": "{employee.years_in_position} in the current post, past {value} years: local rotation "
                "priority (+{points})",
            }
        },
    }


def _unit_cap_rule(prefix: str, cap: int) -> dict[str, Any]:
    return {
        "id": f"{prefix}_batas_mutasi_masuk_unit",
        "kind": "quota",
        "title": f"Paling banyak {cap} mutasi masuk ke satu unit per rencana (kebijakan lokal sintetis)",
        "legal_basis": (
            "SINTETIS: batas lokal agar pelayanan unit tujuan tidak terganggu; PP 11/2017 Pasal 190 ayat 4 "
            "(kebutuhan organisasi). Nilai batas adalah variasi contoh"
        ),
        "unconfirmed": True,
        "require": {"fact": "quota.moves_into_target_unit", "op": "lte", "value": cap},
        "reasons": {
            "pass": {
                "id": "Mutasi masuk ke unit tujuan {quota.moves_into_target_unit}, batas {value}",
                "en": "Moves into the target unit {quota.moves_into_target_unit}, limit {value}",
            },
            "fail": {
                "id": "Mutasi masuk ke unit tujuan {quota.moves_into_target_unit} melebihi batas daerah {value}",
                "en": "Moves into the target unit {quota.moves_into_target_unit} exceed the local limit {value}",
            },
        },
    }


def calendar(lg: LocalGovernment, index: int) -> dict[str, Any]:
    inauguration = LATE_INAUGURATION if index % 5 == 4 else INAUGURATION
    return {
        "region": lg.name,
        "local_government": lg.code,
        "period": {"start": "2024-01-01", "end": "2028-12-31"},
        "elections": [
            {"candidate_determination": CANDIDATE_DETERMINATION.isoformat(), "term_end": inauguration.isoformat()}
        ],
        "inaugurations": [inauguration.isoformat()],
        "mendagri_approvals": [],
        "source": (
            "PKPU 2/2024 (penetapan paslon 22 September 2024); SE Mendagri 100.2.1.3/1575/SJ; UU 10/2016 Pasal 71 "
            "ayat 2 dan Pasal 162 ayat 3. Tanggal pelantikan dan akhir masa jabatan: ASUMSI SINTETIS."
        ),
    }


def _pack_comment(lg: LocalGovernment) -> str:
    return (
        f"SINTETIS: kebijakan lokal contoh {lg.name}, dibuat oleh scripts/generate_province.py.\n"
        "Aturan meniru paket Kota Sawahlunto; bobot, masa rotasi dan batas unit adalah variasi contoh."
    )


def _calendar_comment(lg: LocalGovernment, index: int) -> str:
    late = index % 5 == 4
    note = (
        "pelantikan 2025-04-17 adalah ASUMSI SINTETIS (pelantikan tertunda, mis. sesudah sengketa di MK)"
        if late
        else "pelantikan serentak 2025-02-20; akhir masa jabatan sebelumnya 2025-02-20 adalah ASUMSI"
    )
    return f"Kalender Pilkada {lg.name} (SINTETIS, untuk uji skala provinsi): Pilkada serentak 2024;\n{note}."


def _dump(value: dict[str, Any], comment: str) -> str:
    header = "".join(f"# {line}\n" for line in comment.splitlines())
    return header + yaml.safe_dump(value, sort_keys=False, allow_unicode=True, width=120)
