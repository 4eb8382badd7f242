"""Import time and peak memory of `seimbang import` from a SIASN-style MariaDB database.

Builds a fresh database per size with scripts/build_siasn_db.py (its own uniquely named database, dropped at the
end), then imports it in a child process and reports wall time and the child's peak resident memory. Equal peaks
for different sizes show the import streams (bounded memory) instead of holding the tables.

    python benchmarks/simpeg_import_benchmark.py                       # 3,000 and 30,000 employees on MariaDB
    python benchmarks/simpeg_import_benchmark.py --server postgresql+psycopg://postgres@127.0.0.1:5432 --sizes 30000
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
MAPPING = ROOT / "plugins" / "seimbang-simpeg" / "mappings" / "siasn-mirror.yaml"
CHILD = """
import resource, sys, time
from pathlib import Path
from seimbang_simpeg import import_database
started = time.perf_counter()
summary = import_database(sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]), check=sys.argv[4] == "check")
rows = sum(c.read for c in summary.tables.values())
print(f"{time.perf_counter() - started:.2f} {rows} {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}")
"""


def run(server: str, size: int) -> list[tuple[float, int, float]]:
    sys.path.insert(0, str(ROOT / "scripts"))
    from build_siasn_db import build

    name = f"seimbang_bench_{uuid.uuid4().hex[:10]}"
    admin_url = server + ("/postgres" if server.startswith("postgresql") else "/")
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f"CREATE DATABASE {name}")
    try:
        url = f"{server}/{name}"
        build(url, size, 1373, broken=False)
        results = []
        for mode in ("stream", "check"):
            with tempfile.TemporaryDirectory() as folder:
                done = subprocess.run(
                    [sys.executable, "-c", CHILD, url, str(MAPPING), str(Path(folder) / "d"), mode],
                    check=False, capture_output=True, text=True,
                )  # fmt: skip
            if done.returncode:
                raise SystemExit(done.stderr)
            seconds, rows, peak = done.stdout.split()
            results.append((float(seconds), int(rows), float(peak)))
        return results
    finally:
        with admin.connect() as conn:
            if server.startswith("postgresql"):
                conn.exec_driver_sql(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'")
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {name}")
        admin.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--server", default="mysql+pymysql://root@127.0.0.1:3306")
    parser.add_argument("--sizes", type=int, nargs="+", default=[3000, 30000])
    args = parser.parse_args()
    print(f"server {args.server.split('@')[-1]}; mapping {MAPPING.name}")
    print("stream: read, map and write the folder; +check: then validate it as 'seimbang check' does (loads it all)")
    print(f"{'employees':>10} {'rows read':>10} {'stream s':>9} {'peak MiB':>9} {'+check s':>9} {'peak MiB':>9}")
    for size in args.sizes:
        (s1, rows, m1), (s2, _rows, m2) = run(args.server, size)
        print(f"{size:>10,} {rows:>10,} {s1:>9.1f} {m1:>9.0f} {s2:>9.1f} {m2:>9.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
