"""Generate a SYNTHETIC province dataset: the 19 local governments of West Sumatra in one dataset folder.

    python scripts/generate_province.py -o /tmp/sumbar                # ~30,000 ASN, seed 13
    python scripts/generate_province.py -o /tmp/small --scale 0.2 --local-governments 3   # small, for tests
    python scripts/generate_province.py -o /tmp/x --seed 7            # another draw

Each local government (12 kabupaten, 7 kota) is built with the builders of the Sawahlunto example
(``scripts/sawahlunto/``): its own OPD, puskesmas and schools, positions with formasi and ABK, people
and their histories. A local government keeps a share of the example's schools and of its staff
(its *size*, below), so that the province holds about 30,000 ASN. Every id is prefixed with the
local government's code (``PADANG.DINKES``, ``PADANG.SDN-03-TALAWI.GURU-KELAS``) and every kecamatan
with its name (``Kota Padang: Talawi``), so the local governments never share a unit, a position or a
kecamatan. NIPs are unique across the province.

The output is byte-identical for the same ``--seed`` and ``--scale``: one ``random.Random`` per local
government, seeded from the seed and the local government's code (never from the clock or the
global generator), fixed ordering, no timestamps.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(ROOT))

from generate_sawahlunto import COMMENT, HEADERS  # noqa: E402
from province_rules import rule_files  # noqa: E402
from sawahlunto import AS_OF  # noqa: E402
from sawahlunto.abk import workload_rows  # noqa: E402
from sawahlunto.city import CURRICULUM, build_city  # noqa: E402
from sawahlunto.people import NipRegistry, build_histories, make_person  # noqa: E402
from sawahlunto.positions import Post, _set_formasi, build_positions  # noqa: E402
from sawahlunto.write import csv_text, write, yaml_text  # noqa: E402

DEFAULT_SEED = 13  # BPS code of the province of Sumatera Barat


@dataclass(frozen=True)
class LocalGovernment:
    """One kabupaten or kota: id prefix, name, and its size as a share of the Sawahlunto example."""

    code: str
    name: str
    size: float

    @property
    def kind(self) -> str:
        return "kota" if self.name.startswith("Kota ") else "kabupaten"


# fmt: off
#: The 19 local governments of Sumatera Barat (12 kabupaten, 7 kota). Sizes are invented (a kabupaten
#: is larger than a kota) and add up to 11.4 Sawahlunto examples, i.e. about 30,000 ASN.
LOCAL_GOVERNMENTS: tuple[LocalGovernment, ...] = (
    LocalGovernment("AGAM", "Kabupaten Agam", 0.75),
    LocalGovernment("DHARMASRAYA", "Kabupaten Dharmasraya", 0.55),
    LocalGovernment("MENTAWAI", "Kabupaten Kepulauan Mentawai", 0.40),
    LocalGovernment("LIMAPULUHKOTA", "Kabupaten Lima Puluh Kota", 0.70),
    LocalGovernment("PADANGPARIAMAN", "Kabupaten Padang Pariaman", 0.70),
    LocalGovernment("PASAMAN", "Kabupaten Pasaman", 0.60),
    LocalGovernment("PASAMANBARAT", "Kabupaten Pasaman Barat", 0.60),
    LocalGovernment("PESISIRSELATAN", "Kabupaten Pesisir Selatan", 0.75),
    LocalGovernment("SIJUNJUNG", "Kabupaten Sijunjung", 0.50),
    LocalGovernment("SOLOK", "Kabupaten Solok", 0.65),
    LocalGovernment("SOLOKSELATAN", "Kabupaten Solok Selatan", 0.45),
    LocalGovernment("TANAHDATAR", "Kabupaten Tanah Datar", 0.70),
    LocalGovernment("BUKITTINGGI", "Kota Bukittinggi", 0.40),
    LocalGovernment("PADANG", "Kota Padang", 0.95),
    LocalGovernment("PADANGPANJANG", "Kota Padang Panjang", 0.30),
    LocalGovernment("PARIAMAN", "Kota Pariaman", 0.30),
    LocalGovernment("PAYAKUMBUH", "Kota Payakumbuh", 0.40),
    LocalGovernment("SAWAHLUNTO", "Kota Sawahlunto", 0.35),
    LocalGovernment("KOTASOLOK", "Kota Solok", 0.35),
)
# fmt: on

#: Tables with unit or position references, and the columns holding them (renamed per local government).
UNIT_COLUMNS = {
    "units": ("id", "parent"),
    "positions": ("unit",),
    "employees": ("unit",),
    "preferences": ("unit",),
    "schools": ("unit",),
}
POSITION_COLUMNS = {
    "positions": ("id",),
    "employees": ("position",),
    "position_competencies": ("position",),
    "workload": ("position",),
}
TABLES = ("positions", "position_competencies", "employees", "employee_competencies", "trainings", "skp")
TABLES += ("sanctions", "preferences", "workload", "schools")


def _shrink(posts: list[Post], size: float) -> None:
    """Scale the staff of every non-structural, non-teacher post by ``size`` and recompute its formasi."""
    for post in posts:
        structural = post.type in ("jpt", "administrator", "pengawas") or post.leadership
        if post.teacher or structural or post.ej is None or post.holders <= 1:
            continue
        post.holders = max(1, round(post.holders * size))
        _set_formasi(post)


def build_local(lg: LocalGovernment, seed: int, scale: float, nips: NipRegistry) -> dict[str, list[dict]]:
    """The tables of one local government, ids not yet prefixed."""
    rng = random.Random(f"{seed}/{lg.code}")
    size = lg.size * scale
    city = build_city(rng)
    kept = [s for s in city.schools if rng.random() < size]
    dropped = {s.id for s in city.schools} - {s.id for s in kept}
    city.schools = kept
    city.units = [u for u in city.units if u["id"] not in dropped]
    posts = build_positions(city, rng)
    _shrink(posts, size)
    people = [make_person(post, rng, nips) for post in posts for _ in range(post.holders)]
    histories = build_histories(people, posts, rng)
    return {
        "units": [{k: v for k, v in unit.items() if v is not None} for unit in city.units],
        "positions": [p.row() for p in posts],
        "position_competencies": [row for post in posts for row in post.requirements(rng)],
        "employees": [p.row() for p in people],
        "employee_competencies": histories.competencies,
        "trainings": histories.trainings,
        "skp": histories.skp,
        "sanctions": histories.sanctions,
        "preferences": histories.preferences,
        "workload": workload_rows(posts, rng),
        "schools": [{"unit": s.id, "level": s.level, "pupils": s.pupils, "rombel": s.rombel_given} for s in kept],
    }


def _renamer(lg: LocalGovernment) -> tuple[Callable[[str], str], Callable[[str], str], Callable[[str], str]]:
    def ident(value: str) -> str:
        return f"{lg.code}.{value}"

    def kecamatan(value: str) -> str:
        return f"{lg.name}: {value}"

    def text(value: str) -> str:
        place = lg.name.split(" ", 1)[1]
        return value.replace("Pemerintah Kota Sawahlunto", f"Pemerintah {lg.name}").replace("Sawahlunto", place)

    return ident, kecamatan, text


def prefix(lg: LocalGovernment, tables: dict[str, list[dict]]) -> dict[str, list[dict]]:
    """The tables with ids prefixed by the local government's code and kecamatan by its name."""
    ident, kecamatan, text = _renamer(lg)
    for table, rows in tables.items():
        for row in rows:
            for column in UNIT_COLUMNS.get(table, ()) + POSITION_COLUMNS.get(table, ()):
                if row.get(column):
                    row[column] = ident(row[column])
            for column in ("kecamatan", "spouse_kecamatan"):
                if row.get(column):
                    row[column] = kecamatan(row[column])
            if table in ("units",):
                row["name"] = text(row["name"])
    return tables


def manifest(seed: int, scale: float, count: int, kecamatan: list[str]) -> dict:
    local_governments = [
        {"id": lg.code, "name": lg.name, "kind": lg.kind, "root": f"{lg.code}.PEMKO"}
        for lg in LOCAL_GOVERNMENTS[:count]
    ]
    return {
        "schema_version": 1,
        "name": "Provinsi Sumatera Barat (data sintetis)",
        "description": (
            "Contoh data ASN 19 pemerintah kabupaten dan kota di Sumatera Barat yang sepenuhnya sintetis, "
            "dibangun dengan generator contoh Kota Sawahlunto untuk uji skala provinsi."
        ),
        "as_of": AS_OF.isoformat(),
        "synthetic": True,
        "source": f"scripts/generate_province.py --seed {seed} --scale {scale} --local-governments {count}",
        "settings": {"wke_hours": 1250, "kecamatan": kecamatan},
        "local_governments": local_governments,
    }


def build(seed: int, scale: float = 1.0, count: int = len(LOCAL_GOVERNMENTS)) -> dict[str, str]:
    """Every file of the province dataset (the first ``count`` local governments) as name -> text."""
    nips = NipRegistry()
    merged: dict[str, list[dict]] = {name: [] for name in ("units", *TABLES)}
    for lg in LOCAL_GOVERNMENTS[:count]:
        for name, rows in prefix(lg, build_local(lg, seed, scale, nips)).items():
            merged[name] += rows
    kecamatan = list(dict.fromkeys(u["kecamatan"] for u in merged["units"] if u.get("kecamatan")))
    comment = COMMENT.format(seed=seed).replace("generate_sawahlunto.py", "generate_province.py")
    curriculum = [{"level": lv, "subject": s, "name": n, "hours_per_rombel": h} for lv, s, n, h in CURRICULUM]
    files = {
        "dataset.yaml": yaml_text(manifest(seed, scale, count, kecamatan), comment),
        "units.yaml": yaml_text(merged.pop("units"), comment),
        "curriculum.csv": csv_text(HEADERS["curriculum.csv"], curriculum),
    }
    files.update({f"{name}.csv": csv_text(HEADERS[f"{name}.csv"], rows) for name, rows in merged.items()})
    counts = {name: len(rows) for name, rows in merged.items()}
    files.update(rule_files(LOCAL_GOVERNMENTS[:count], seed))
    files["README.md"] = readme(seed, scale, count, counts)
    return dict(sorted(files.items()))


def readme(seed: int, scale: float, count: int, counts: dict[str, int]) -> str:
    lines = [
        "# Provinsi Sumatera Barat (data sintetis)",
        "",
        "SYNTHETIC: every person in this dataset is invented. Generated by",
        f"`python scripts/generate_province.py --seed {seed} --scale {scale} --local-governments {count}`;",
        "do not edit by hand.",
        "",
        f"{count} local governments, each built like the Sawahlunto example and scaled by its size:",
        "",
        "| code | local government | size |",
        "|---|---|---|",
        *(f"| {lg.code} | {lg.name} | {lg.size * scale:.3f} |" for lg in LOCAL_GOVERNMENTS[:count]),
        "",
        "Rows: " + ", ".join(f"{name} {count}" for name, count in counts.items()) + ".",
        "",
        "`dataset.yaml` lists the local governments (`local_governments:`, each with its root unit).",
        "`rules/<code>/` holds each local government's own rule pack (scoped to it with",
        "`local_governments: [CODE]`; SYNTHETIC variations of the Sawahlunto policy) and its Pilkada calendar",
        "(`local_government: CODE`). Screen and plan with the national pack and these:",
        "",
        "```bash",
        "seimbang screen . --all-needs --rules <seimbang>/rules/nasional --rules rules",
        "seimbang plan . --rules <seimbang>/rules/nasional --rules rules -o plan.yaml",
        "```",
        "",
        "Moves stay inside each local government (PP 11/2017 Pasal 191); add `--across-local-governments` to",
        "also consider moves between them (PP 11/2017 Pasal 192: the Gubernur decides).",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-o", "--out", type=Path, required=True, help="output folder")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})")
    parser.add_argument("--scale", type=float, default=1.0, help="share of the full size (default 1: ~30,000 ASN)")
    parser.add_argument(
        "--local-governments",
        type=int,
        default=len(LOCAL_GOVERNMENTS),
        help=f"only the first N local governments of the list (default all {len(LOCAL_GOVERNMENTS)})",
    )
    args = parser.parse_args(argv)
    if not 0 < args.scale <= 2:
        parser.error("--scale must be in (0, 2]")
    if not 1 <= args.local_governments <= len(LOCAL_GOVERNMENTS):
        parser.error(f"--local-governments must be between 1 and {len(LOCAL_GOVERNMENTS)}")
    files = build(args.seed, args.scale, args.local_governments)
    args.out.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (args.out / name).parent.mkdir(parents=True, exist_ok=True)
        write(args.out, name, text)
    print(f"wrote {len(files)} files to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
