"""A bounded load test of ``seimbang serve`` on loopback: latency, throughput, and nothing lost or duplicated.

Starts the real server (a ``seimbang serve`` subprocess on 127.0.0.1 and a free port; a fresh SQLite file by
default, ``--db URL`` for PostgreSQL or MariaDB), then runs ``--clients`` concurrent clients for ``--duration``
seconds. Each client repeats a planner's session:

1. screen one under-staffed post (``POST /screening``),
2. explain one move (``POST /explain``),
3. draft a proposal whose title carries a marker unique to this run, client and iteration (``POST /proposals``),
4. read it back (``GET /proposals/{id}``) and check it is the one drafted,
5. edit it with the version read (``PUT /proposals/{id}``),
6. repeat that edit with the now stale version: an intended **409** (the only non-2xx answer not counted as an
   error; a 2xx there would be a lost update and is an error).

Before the load, the same session runs with one client for ``--baseline`` seconds on the same server: the
baseline. Prints the requests, error responses, p50/p95/p99 latency per endpoint and overall, throughput, and the
ratio of the latency under load to the single-client baseline. Then it checks that nothing was lost or duplicated:
every acknowledged (201) draft is in the records database exactly once (by marker) with its acknowledged edit,
and ``seimbang audit verify`` passes. Exit code 0 when all holds, 1 on errors, lost or duplicated proposals or a
broken audit trail.

    python benchmarks/service_load.py [--clients 50] [--duration 60] [--baseline 5] [--db URL]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Awaitable
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from decision_support import records

BIN = Path(sys.executable).parent
POST = "LOKET-DUKCAPIL.OPERATOR-DUKCAPIL"
MOVE = {"nip": "199104182016011879", "to": POST}
ENDPOINTS = ("screening", "explain", "draft", "read", "update", "stale-update")


@dataclass
class Tally:
    """What the clients saw: latencies per endpoint, errors, and the drafts acknowledged."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: list[str] = field(default_factory=list)
    conflicts: int = 0
    #: marker -> (proposal id, version acknowledged by the last successful edit)
    acknowledged: dict[str, tuple[int, int]] = field(default_factory=dict)

    @property
    def requests(self) -> int:
        return sum(len(v) for v in self.latencies.values())


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(db_url: str, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    command = [str(BIN / "seimbang"), "serve", "--db", db_url, "--port", str(port)]
    with log.open("ab") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server exited with {process.returncode}:\n{log.read_text()}")
        try:
            if httpx.get(base + "/api/v1/health", timeout=2).status_code == 200:
                return process, base
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    process.kill()
    raise SystemExit(f"the server did not answer within 300 s:\n{log.read_text()}")


async def timed(
    tally: Tally, name: str, call: Awaitable[httpx.Response], expect: tuple[int, ...]
) -> httpx.Response | None:
    start = time.perf_counter()
    try:
        response = await call
    except httpx.HTTPError as error:
        tally.latencies[name].append(time.perf_counter() - start)
        tally.errors.append(f"{name}: {type(error).__name__}: {error}")
        return None
    tally.latencies[name].append(time.perf_counter() - start)
    if response.status_code == 409 and 409 in expect:
        tally.conflicts += 1
    elif response.status_code not in expect:
        tally.errors.append(f"{name}: HTTP {response.status_code}: {response.text[:300]}")
        return None
    return response


async def session(client: httpx.AsyncClient, tally: Tally, marker: str) -> None:
    """One planner session (see the module documentation); stops at the first unexpected answer."""
    if not await timed(tally, "screening", client.post("/screening", json={"positions": [POST], "top": 5}), (200,)):
        return
    if not await timed(tally, "explain", client.post("/explain", json=MOVE), (200,)):
        return
    drafted = await timed(tally, "draft", client.post("/proposals", json={"title": marker, "moves": [MOVE]}), (201,))
    if not drafted:
        return
    proposal_id = drafted.json()["id"]
    tally.acknowledged[marker] = (proposal_id, 1)
    read = await timed(tally, "read", client.get(f"/proposals/{proposal_id}"), (200,))
    if not read:
        return
    if read.json()["title"] != marker:
        tally.errors.append(f"read: proposal {proposal_id} has title {read.json()['title']!r}, drafted {marker!r}")
        return
    version = read.json()["version"]
    edit = {"version": version, "notes": f"edited {marker}"}
    updated = await timed(tally, "update", client.put(f"/proposals/{proposal_id}", json=edit), (200,))
    if not updated:
        return
    tally.acknowledged[marker] = (proposal_id, updated.json()["version"])
    stale = {"version": version, "notes": "a lost update"}
    await timed(tally, "stale-update", client.put(f"/proposals/{proposal_id}", json=stale), (409,))


async def client_loop(base: str, token: str, tally: Tally, run: str, number: int, until: float) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=base + "/api/v1", headers=headers, timeout=900) as client:
        iteration = 0
        while time.monotonic() < until:
            await session(client, tally, f"load {run} c{number} i{iteration}")
            iteration += 1


async def run_clients(base: str, token: str, run: str, clients: int, duration: float) -> tuple[Tally, float]:
    tally = Tally()
    start = time.monotonic()
    until = start + duration
    await asyncio.gather(*(client_loop(base, token, tally, run, n, until) for n in range(clients)))
    return tally, time.monotonic() - start


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) in milliseconds."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * q // 100))
    return ordered[int(rank) - 1] * 1000


def report(title: str, tally: Tally, elapsed: float) -> dict[str, float]:
    print(f"\n{title}: {tally.requests} requests in {elapsed:.1f} s, {tally.requests / elapsed:.1f} requests/s")
    print(f"  error responses: {len(tally.errors)}; intended 409 (stale version): {tally.conflicts}")
    for error in tally.errors[:10]:
        print(f"    {error}")
    print(f"  {'endpoint':<14}{'count':>7}{'p50 ms':>10}{'p95 ms':>10}{'p99 ms':>10}")
    every = [v for values in tally.latencies.values() for v in values]
    p50s = {}
    for name in (*ENDPOINTS, "overall"):
        values = every if name == "overall" else tally.latencies.get(name, [])
        if not values:
            continue
        p50s[name] = percentile(values, 50)
        p95, p99 = percentile(values, 95), percentile(values, 99)
        print(f"  {name:<14}{len(values):>7}{p50s[name]:>10.1f}{p95:>10.1f}{p99:>10.1f}")
    return p50s


def check_records(db_url: str, run: str, tally: Tally) -> tuple[int, int]:
    """Lost and duplicated acknowledged drafts, read from the records database (not through the service)."""
    with records.open_store(db_url) as store:
        stored = [p for p in store.proposals.list() if p.title.startswith(f"load {run}")]
    counts = Counter(p.title for p in stored)
    by_title = {p.title: p for p in stored}
    lost = duplicated = 0
    for marker, (proposal_id, version) in tally.acknowledged.items():
        found = by_title.get(marker)
        if counts[marker] == 0 or found is None:
            lost += 1
            print(f"  LOST: {marker} (proposal {proposal_id})")
        elif found.id != proposal_id or found.version < version:
            lost += 1
            print(
                f"  LOST: {marker}: proposal {found.id} version {found.version}, acknowledged {proposal_id} v{version}"
            )
    for marker, count in counts.items():
        if count > 1:
            duplicated += 1
            print(f"  DUPLICATED: {marker} stored {count} times")
    unacknowledged = len(set(counts) - set(tally.acknowledged))
    print(
        f"\nrecords: {len(tally.acknowledged)} drafts acknowledged, {len(stored)} stored with this run's marker; "
        f"lost {lost}, duplicated {duplicated}, stored but unacknowledged {unacknowledged}"
    )
    return lost, duplicated


def audit_verifies(db_url: str) -> bool:
    done = subprocess.run(
        [str(BIN / "seimbang"), "audit", "verify", "--db", db_url], capture_output=True, text=True, check=False
    )
    print(f"seimbang audit verify: exit {done.returncode}: {done.stdout.strip()}")
    return done.returncode == 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60, help="seconds of load")
    parser.add_argument("--baseline", type=float, default=5, help="seconds of the single-client baseline")
    parser.add_argument("--db", help="records database URL (default: a fresh SQLite file)")
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="seimbang-load-"))
    db_url = args.db or f"sqlite:///{folder / 'load.db'}"
    with records.open_store(db_url) as store:
        _info, token = store.tokens.create("load test planner", "planner", None, actor="benchmark")
    process, base = start_server(db_url, folder / "server.log")
    run = uuid.uuid4().hex[:8]
    print(f"server {base} on {records.redacted(db_url)}; run {run}; load average {os.getloadavg()}")
    try:
        single, single_time = asyncio.run(run_clients(base, token, run + "-b", 1, args.baseline))
        base_p50 = report("baseline: 1 client", single, single_time) if args.baseline > 0 else {}
        loaded, loaded_time = asyncio.run(run_clients(base, token, run, args.clients, args.duration))
        load_p50 = report(f"load: {args.clients} clients", loaded, loaded_time)
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(60)
    print(f"\nload average after the run: {os.getloadavg()}")
    print("p50 latency under load / single-client baseline (same run, same server):")
    for name, value in load_p50.items():
        if base_p50.get(name):
            print(f"  {name:<14}{value / base_p50[name]:>8.2f}x")
    alone = single.requests / single_time if single_time > 0 else 0
    print(f"throughput: {loaded.requests / loaded_time:.1f} requests/s under load vs {alone:.1f} alone")
    merged = Tally(acknowledged={**single.acknowledged, **loaded.acknowledged})
    lost, duplicated = check_records(db_url, run, merged)
    intact = audit_verifies(db_url)
    errors = len(single.errors) + len(loaded.errors)
    ok = errors == 0 and lost == 0 and duplicated == 0 and intact
    print(
        f"\nRESULT: {'OK' if ok else 'FAILED'}: errors {errors}, lost {lost}, duplicated {duplicated}, audit {'intact' if intact else 'BROKEN'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
