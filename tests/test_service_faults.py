"""The server killed with SIGKILL (no shutdown at all) and restarted on the same records database.

(a) during a simulation job: the job is reported lost after the restart (never forgotten), the draft acknowledged
before the kill is there; (b) inside a decision write, deterministically: the records layer's test hook
(decision_support/records/testhook.py) holds the transaction open after the decision row is written and before
its audit entry, and the test kills the server there. The unacknowledged decision is then fully absent (no
decision, no new proposal version, no audit entry), everything acknowledged is there, the decision can be made
again, and ``seimbang audit verify`` passes. On SQLite, PostgreSQL and MariaDB (when they run).
"""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from records_fixtures import KINDS
from service_fixtures import MOVES, Server, database, make_tokens, wait_for_job

from decision_support.records import testhook


@pytest.fixture(params=KINDS)
def fresh_server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Server]:
    """A server not yet started (the test sets the environment first) on a fresh database."""
    for url in database(request.param, tmp_path):
        server = Server(url, tmp_path / "server.log")
        server.tokens = make_tokens(url)
        try:
            yield server
        finally:
            server.stop(signal.SIGKILL)


def audit_verify(db_url: str) -> subprocess.CompletedProcess[str]:
    seimbang = str(Path(sys.executable).parent / "seimbang")
    return subprocess.run([seimbang, "audit", "verify", "--db", db_url], capture_output=True, text=True, check=False)


def test_kill_during_a_simulation_job(fresh_server: Server) -> None:
    server = fresh_server
    server.start()
    planner = server.client("planner", language="en")
    proposal = planner.post("/proposals", json={"title": "Killed while simulating", "moves": MOVES[:1]}).json()
    queued = planner.post(
        f"/proposals/{proposal['id']}/simulations",
        json={"version": 1, "scenario": "disdukcapil-mpp", "replications": 1000},
    )
    assert queued.status_code == 202
    running = wait_for_job(planner, queued.json()["href"], ("running",))

    server.stop(signal.SIGKILL)
    server.start()

    planner = server.client("planner", language="en")
    job = planner.get(f"/jobs/{running['id']}").json()
    assert job["state"] == "lost" and job["problem"]
    assert planner.get(f"/proposals/{proposal['id']}").json()["title"] == "Killed while simulating"
    audit = server.client("approver").get("/audit", params={"limit": 1000}).json()
    assert [e["entity_id"] for e in audit if e["action"] == "job.lost"] == [running["id"]]
    verified = audit_verify(server.db_url)
    assert verified.returncode == 0, verified.stdout + verified.stderr


def test_kill_inside_a_decision_write(fresh_server: Server, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    server = fresh_server
    paused = tmp_path / "paused"
    monkeypatch.setenv(testhook.PAUSE_AT, "decision.write")
    monkeypatch.setenv(testhook.PAUSE_FILE, str(paused))
    server.start()
    planner = server.client("planner", language="en")
    proposal = planner.post("/proposals", json={"title": "Killed while deciding", "moves": MOVES}).json()
    submitted = planner.post(f"/proposals/{proposal['id']}/submit", json={"version": 1})
    assert submitted.status_code == 200 and submitted.json()["version"] == 2
    decision = {
        "version": 2,
        "outcome": "approve",
        "reason": "Sesuai rapat Tim Penilai Kinerja",
        "sk_number": "800/1/BKPSDM/2026",
        "tmt": "2027-01-01",
    }
    answers: list[object] = []

    def decide() -> None:
        try:
            answers.append(server.client("approver").post(f"/proposals/{proposal['id']}/decisions", json=decision))
        except httpx.TransportError as error:
            answers.append(error)

    thread = threading.Thread(target=decide)
    thread.start()
    deadline = time.monotonic() + 60
    while not paused.exists():
        assert time.monotonic() < deadline, "the decision write never reached the test hook"
        time.sleep(0.05)
    server.process.send_signal(signal.SIGKILL)  # type: ignore[union-attr]
    server.process.wait(20)  # type: ignore[union-attr]
    thread.join(30)
    assert len(answers) == 1 and isinstance(answers[0], httpx.TransportError)  # never acknowledged

    monkeypatch.delenv(testhook.PAUSE_AT)
    server.stop()
    server.start()
    with server.store() as store:  # read from the database itself, not through the service
        assert store.proposals.decisions(proposal["id"]) == []
        kept = store.proposals.get(proposal["id"])
        assert (kept.version, kept.state.value) == (2, "submitted")
        assert [v.version for v in store.proposals.history(proposal["id"])] == [1, 2]
        actions = [e.action for e in store.audit.entries()]
    assert "decision.create" not in actions and "proposal.decide" not in actions
    assert actions.count("proposal.create") == 1 and actions.count("proposal.submit") == 1
    verified = audit_verify(server.db_url)
    assert verified.returncode == 0, verified.stdout + verified.stderr

    again = server.client("approver").post(f"/proposals/{proposal['id']}/decisions", json=decision)
    assert again.status_code == 201, again.text
    server.stop(signal.SIGKILL)
    with server.store() as store:
        assert [d.id for d in store.proposals.decisions(proposal["id"])] == [again.json()["id"]]
        assert store.proposals.get(proposal["id"]).state.value == "approved"
    verified = audit_verify(server.db_url)
    assert verified.returncode == 0, verified.stdout + verified.stderr
