"""Dataset loading at scale: time and peak memory of ``seimbang check`` against a plain CSV read, in one run.

Builds a dataset from the mini test dataset (``tests/data/mini``) with a large, deterministic synthetic
``employees.csv`` (valid NIPs, every row referring to the mini dataset's units and positions), then measures,
each in its own process so that its peak memory (max RSS) is its own:

- ``csv``: ``csv.reader`` over the same file, counting the rows (the least any loader must do);
- ``baseline``: the loader as it was before issue 14's compact loading (``benchmarks/baseline_loading``);
- ``load``: :func:`decision_support.sources.load_dataset`, every row validated and every reference checked.

Prints the wall-clock and CPU seconds and the peak RSS of each, the peak RSS above an idle interpreter with the
package imported, as a multiple of the file size, and CPU time and memory as multiples of the baseline's (CPU
time, because on a shared machine the wall clock measures the neighbours too). ``--repeat`` runs each variant
that many times, alternately, and keeps the least time and memory of each.

    python benchmarks/loading_benchmark.py [--rows 389000] [--keep DIR]

389,000 rows make a file of about 50 MB, the size of a large province's SIMPEG export.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "data" / "mini"
HEADER = (
    "nip,name,status,golongan,position,unit,tmt_position,birth_date,sex,education_level,"
    "education_field,bup,spouse_kecamatan"
)
#: (position, unit) pairs of the mini dataset that any pelaksana-like employee may hold.
POSTS = (
    ("ANALIS-SDM-DISDIK", "DISDIK"),
    ("GURU-KELAS-SDN01", "SDN-01-BARANGIN"),
)
GOLONGAN = ("II/a", "II/b", "II/c", "II/d", "III/a", "III/b", "III/c", "III/d")
NAMES = ("Ahmad", "Rina", "Budi", "Siti", "Dedi", "Yulia", "Hendra", "Nur", "Rahmat", "Dewi")
#: Syllables of family names: 3 or 4 of them make names nearly all distinct, as a real register's are (a
#: handful of repeated names would let the loader share them, which flatters its memory).
SYLLABLES = ("ra", "di", "ma", "su", "ti", "an", "wa", "ni", "ko", "la", "se", "gu", "ha", "to", "ri", "yo")
KECAMATAN = ("", "Barangin", "Lembah Segar", "Silungkang", "Talawi")


def family_name(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.choice((3, 4)))).capitalize()


def employee_rows(count: int, seed: int = 20250101) -> Iterator[list[str]]:
    """``count`` valid employees with unique NIPs, the same for the same seed (generated one by one, so that
    the benchmark itself stays small: a child process inherits its parent's peak memory on Linux)."""
    rng = random.Random(seed)
    first_birth = date(1966, 1, 1)
    for i in range(count):
        # Each birth date carries 999 sequence numbers per sex: unique NIPs for up to ~25 million rows.
        birth = first_birth + timedelta(days=(i // 999) % 12_000)
        sequence = i % 999 + 1
        sex_digit = rng.choice("12")
        cpns = date(birth.year + 23 + rng.randrange(8), rng.randrange(1, 13), 1)
        tmt = cpns + timedelta(days=rng.randrange(0, max(1, (date(2024, 12, 1) - cpns).days)))
        nip = f"{birth:%Y%m%d}{cpns:%Y%m}{sex_digit}{sequence:03d}"
        position, unit = POSTS[i % len(POSTS)]
        yield [
            nip,
            f"{rng.choice(NAMES)} {rng.choice(NAMES)} {family_name(rng)}",
            "PNS",
            rng.choice(GOLONGAN),
            position,
            unit,
            tmt.isoformat(),
            birth.isoformat(),
            "L" if sex_digit == "1" else "P",
            "S1",
            "Administrasi Negara",
            "58",
            rng.choice(KECAMATAN),
        ]


def build(folder: Path, count: int) -> Path:
    shutil.copytree(MINI, folder)
    path = folder / "employees.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(HEADER.split(","))
        writer.writerows(employee_rows(count))
    # Employee histories refer to the mini NIPs, which are gone: keep those tables out of the measure.
    for name in ("employee_competencies.csv", "trainings.csv", "skp.csv", "sanctions.csv", "preferences.csv"):
        (folder / name).unlink()
    return path


VARIANTS = {
    "idle": "import decision_support.sources",
    "csv": (
        "import csv, sys\n"
        "with open(sys.argv[1], encoding='utf-8', newline='') as fh:\n"
        "    n = sum(1 for _ in csv.reader(fh))\n"
        "assert n > 1"
    ),
    "baseline": (
        "import sys\n"
        "from pathlib import Path\n"
        f"sys.path.insert(0, {str(ROOT / 'benchmarks')!r})\n"
        "from baseline_loading import load_dataset\n"
        "data = load_dataset(Path(sys.argv[1]).parent)\n"
        "assert len(data.employees) > 0"
    ),
    "load": (
        "import sys\n"
        "from pathlib import Path\n"
        "from decision_support.sources import load_dataset\n"
        "data = load_dataset(Path(sys.argv[1]).parent)\n"
        "assert len(data.employees) > 0"
    ),
}

PROBE = (
    "import json, resource, sys, time\n"
    "start, cpu = time.perf_counter(), time.process_time()\n"
    "exec(compile(sys.argv.pop(1), 'variant', 'exec'))\n"
    "seconds, cpu = time.perf_counter() - start, time.process_time() - cpu\n"
    "peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024\n"
    "print(json.dumps({'seconds': seconds, 'cpu': cpu, 'peak_mb': peak_mb}))"
)


def measure(variant: str, path: Path) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", PROBE, VARIANTS[variant], str(path)], check=True, capture_output=True, text=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=389_000, help="employees to generate (default 389,000: ~50 MB)")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each variant; the least is kept")
    parser.add_argument("--keep", type=Path, default=None, help="build the dataset in this folder and keep it")
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="seimbang-bench-"))
    folder = args.keep or scratch / "ds"
    try:
        path = build(folder, args.rows)
        size_mb = path.stat().st_size / 2**20
        print(f"employees.csv: {args.rows:,} rows, {size_mb:.1f} MB")
        results: dict[str, dict[str, float]] = {}
        for _ in range(args.repeat):
            for name in VARIANTS:
                run = measure(name, path)
                best = results.setdefault(name, run)
                results[name] = {key: min(value, best[key]) for key, value in run.items()}
        idle = results["idle"]["peak_mb"]
        base = results["baseline"]
        base_above = max(1.0, base["peak_mb"] - idle)
        print(
            f"{'variant':<10} {'wall s':>8} {'CPU s':>8} {'x baseline':>11} {'peak MB':>9} {'above idle MB':>14} "
            f"{'x file':>7} {'x baseline':>11}"
        )
        for name in ("csv", "baseline", "load"):
            r = results[name]
            above = max(0.0, r["peak_mb"] - idle)
            print(
                f"{name:<10} {r['seconds']:>8.2f} {r['cpu']:>8.2f} {r['cpu'] / base['cpu']:>11.2f} "
                f"{r['peak_mb']:>9.0f} {above:>14.0f} {above / size_mb:>7.1f} {above / base_above:>11.2f}"
            )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
