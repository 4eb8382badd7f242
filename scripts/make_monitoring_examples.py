"""Write the synthetic follow-up observations in datasets/pemantauan/ (deterministic: same files every run).

For each bundled scenario, the projection (``simulate`` JSON, copied next to the observations as
proyeksi.json) and the dataset give the moved employees and the units. Observations are generated so that
every value is unremarkable (satisfaction 3.3-4.6, SKP as before the move, service metrics inside the
projection's interval, EJ as the ABK projects it after the moves) except the PLANTED cases listed below and in
datasets/pemantauan/README.md. Run from the project folder:

    python scripts/make_monitoring_examples.py [--simulate] [--out FOLDER]

``--simulate`` first re-runs the three scenarios into hasil-simulasi/ and copies their JSON; without it the
existing proyeksi.json files are used. ``--out`` writes elsewhere (it must hold each scenario's proyeksi.json);
tests/test_monitoring.py regenerates the examples there and compares them byte for byte.
"""

from __future__ import annotations

import csv
import json
import random
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "datasets" / "pemantauan"
sys.path.insert(0, str(ROOT))

from decision_support import api  # noqa: E402
from decision_support.monitoring.engine import Move, add_months, moved_dataset, pre_move_skp  # noqa: E402

#: Per scenario: TMT, date of the latest collection, seed.
SCENARIOS = {
    "disdukcapil-mpp": ("2026-07-13", "2027-07-31", 1301),
    "disparpora-lebaran": ("2026-03-16", "2026-12-15", 1302),
    "pemerataan-guru": ("2026-07-13", "2027-08-01", 1303),
}
#: Planted employee observations: (scenario, NIP, checkpoint) -> the columns to overwrite.
PLANTED_EMPLOYEES = {
    ("disdukcapil-mpp", "199611112016092171", 6): {"satisfaction": 2.6},
    ("disdukcapil-mpp", "199611112016092171", 12): {"satisfaction": 2.8},
    ("disdukcapil-mpp", "197206091997041255", 12): {"skp_predicate": "butuh_perbaikan"},
    ("disparpora-lebaran", "197406272008082130", 3): {"satisfaction": 2.4},
    ("pemerataan-guru", "197903052011102160", 12): {"skp_predicate": "kurang"},
    ("pemerataan-guru", "198211012006021416", 6): {"satisfaction": 2.9},
}
#: Edge cases that must NOT be flagged: exactly on the satisfaction threshold, an SKP predicate that rose.
EDGES = {
    ("disdukcapil-mpp", "197206091997041255", 3): {"satisfaction": 3.0},
    ("disparpora-lebaran", "197402021996032855", 6): {"skp_predicate": "sangat_baik"},
}
#: Planted unit observations: (scenario, unit, checkpoint) -> metric and how far beyond the interval.
PLANTED_UNITS = {
    ("disdukcapil-mpp", "LOKET-DUKCAPIL", 6): ("wait_mean", 6.0),
    ("disparpora-lebaran", "TIC", 6): ("service_level", -7.5),
    ("pemerataan-guru", "SMPN-09", 12): ("uncovered_hours_week", 9.0),
}
#: Missing rows (a due checkpoint without data: reported as missing, never as fine).
MISSING_EMPLOYEES = {("pemerataan-guru", "197502152003102997", 12)}
UNIT_METRICS = ("wait_mean", "service_level", "backlog_hours", "utilisation", "overtime_hours", "uncovered_hours_week")
EMPLOYEE_COLUMNS = [
    "nip",
    "checkpoint",
    "observed_on",
    "satisfaction",
    "skp_predicate",
    "attendance_pct",
    "overtime_hours",
    "note",
]
UNIT_COLUMNS = ["unit", "checkpoint", "observed_on", "ej", *UNIT_METRICS, "note"]


def inside(rng: random.Random, estimate: dict, digits: int = 4) -> float | None:
    """A value inside the projection's interval (the mean where rounding would leave it)."""
    mean, (low, high) = estimate["mean"], estimate["ci"]
    if mean is None or low is None or high is None:
        return None
    value = round(mean + rng.uniform(-0.6, 0.6) * (high - mean), digits)
    value = value if low <= value <= high else mean
    return max(value, 0.0)


def beyond(estimate: dict, offset: float) -> float:
    """A value ``offset`` beyond the interval's bound on the side of the offset's sign."""
    low, high = estimate["ci"]
    return round((high + offset) if offset > 0 else (low + offset), 2)


def employee_rows(name: str, projection: dict, dataset: api.Dataset, rng: random.Random) -> list[dict]:
    tmt, as_of, _seed = SCENARIOS[name]
    start, end = api.parse_date(tmt), api.parse_date(as_of)
    people = {e.nip: e for e in dataset.employees}
    staff = {s["nip"]: s["metrics"] for s in projection["staff"]}
    rows = []
    for move in projection["moves"]:
        before, _year = pre_move_skp(people[move["nip"]], start)
        for months in (3, 6, 12):
            due = add_months(start, months)
            if due > end or (name, move["nip"], months) in MISSING_EMPLOYEES:
                continue
            overtime = staff.get(move["nip"], {}).get("overtime_hours")
            row = {
                "nip": move["nip"],
                "checkpoint": months,
                "observed_on": add_months(start, months).isoformat(),
                "satisfaction": round(rng.uniform(3.3, 4.6), 1),
                "skp_predicate": before or "baik",
                "attendance_pct": round(rng.uniform(93.0, 99.5), 1),
                "overtime_hours": inside(rng, overtime["proposal"], 3) if overtime else None,
                "note": "",
            }
            key = (name, move["nip"], months)
            row.update(PLANTED_EMPLOYEES.get(key, {}))
            row.update(EDGES.get(key, {}))
            if key in PLANTED_EMPLOYEES:
                row["note"] = "DITANAM (planted): " + ", ".join(PLANTED_EMPLOYEES[key])
            rows.append(row)
    return rows


def unit_rows(name: str, projection: dict, dataset: api.Dataset, rng: random.Random) -> list[dict]:
    tmt, as_of, _seed = SCENARIOS[name]
    start, end = api.parse_date(tmt), api.parse_date(as_of)
    moves = [
        Move(m["nip"], m["name"], m["from_position"], m["from_unit"], m["to_position"], m["to_unit"])
        for m in projection["moves"]
    ]
    after = {u.unit: u.ej for u in api.analyse_workload(moved_dataset(dataset, moves)).units}
    rows = []
    for unit in projection["units"]:
        for months in (3, 6, 12):
            if add_months(start, months) > end:
                continue
            ej = after.get(unit["id"])
            row: dict = {"unit": unit["id"], "checkpoint": months, "observed_on": add_months(start, months).isoformat()}
            row["ej"] = round(ej, 3) if ej is not None else None
            for metric in UNIT_METRICS:
                comparison = unit["metrics"].get(metric)
                row[metric] = inside(rng, comparison["proposal"]) if comparison else None
            planted = PLANTED_UNITS.get((name, unit["id"], months))
            if planted:
                metric, offset = planted
                row[metric] = beyond(unit["metrics"][metric]["proposal"], offset)
                row["note"] = f"DITANAM (planted): {metric}"
            rows.append(row)
    return rows


def cell(column: str, value: object) -> object:
    """Fixed decimals: never exactly three after the dot, which reads as an Indonesian thousands separator."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.1f}" if column in ("satisfaction", "attendance_pct") else f"{value:.4f}"
    return value


def write_csv(path: Path, columns: list[str], rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, columns, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({c: cell(c, row.get(c)) for c in columns})


def manifest(name: str, projection: dict) -> str:
    tmt, as_of, _seed = SCENARIOS[name]
    return (
        "# Synthetic follow-up observations of the moves in scenarios/{name}.yaml (written by\n"
        "# scripts/make_monitoring_examples.py; the planted poor adaptations are listed in ../README.md).\n"
        "schema_version: 1\n"
        'name: "{title}"\n'
        "tmt: {tmt}\n"
        "as_of: {as_of}\n"
        "synthetic: true\n"
    ).format(name=name, title=projection["run"]["scenario_name"].replace('"', "'"), tmt=tmt, as_of=as_of)


def main(argv: list[str]) -> None:
    out = Path(argv[argv.index("--out") + 1]) if "--out" in argv else OUT
    dataset = api.load_dataset(ROOT / "datasets" / "sawahlunto")
    for name, (_tmt, _as_of, seed) in SCENARIOS.items():
        folder = out / name
        folder.mkdir(parents=True, exist_ok=True)
        if "--simulate" in argv:
            simulate = shutil.which("simulate") or "simulate"
            subprocess.run([simulate, f"scenarios/{name}.yaml", "--no-html"], cwd=ROOT, check=False)
            shutil.copy(ROOT / "hasil-simulasi" / f"{name}.json", folder / "proyeksi.json")
        projection = json.loads((folder / "proyeksi.json").read_text(encoding="utf-8"))
        rng = random.Random(seed)
        write_csv(folder / "employees.csv", EMPLOYEE_COLUMNS, employee_rows(name, projection, dataset, rng))
        write_csv(folder / "units.csv", UNIT_COLUMNS, unit_rows(name, projection, dataset, rng))
        (folder / "monitoring.yaml").write_text(manifest(name, projection), encoding="utf-8")
        print(f"written: {folder}")


if __name__ == "__main__":
    main(sys.argv[1:])
