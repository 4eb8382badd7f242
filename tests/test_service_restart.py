"""A server stopped while a simulation runs and another waits: after a restart on the same database the running
job is reported lost (with why, and in the audit trail) and the queued one runs; no job is forgotten."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from service_fixtures import MOVES, Server, running_server, short_scenario, wait_for_job


@pytest.fixture
def own_server(tmp_path: Path) -> Iterator[Server]:
    yield from running_server(f"sqlite:///{tmp_path / 'service.db'}", tmp_path / "server.log")


def test_jobs_survive_a_restart_or_are_reported_lost(own_server: Server) -> None:
    server = own_server
    planner = server.client("planner", language="en")
    proposal = planner.post("/proposals", json={"title": "Restart", "moves": MOVES[:1]}).json()
    simulations = f"/proposals/{proposal['id']}/simulations"
    long = planner.post(simulations, json={"version": 1, "scenario": "disdukcapil-mpp", "replications": 1000})
    running = wait_for_job(planner, long.json()["href"], ("running",))
    short = planner.post(simulations, json={"version": 1, "scenario_text": short_scenario(), "replications": 2})
    assert short.status_code == 202
    time.sleep(0.5)
    assert planner.get(short.json()["href"].removeprefix("/api/v1")).json()["state"] == "queued"

    server.stop()
    with server.store() as store:
        assert store.jobs.get(running["id"]).state == "running"  # the stopped server could not say more
    server.start()

    planner = server.client("planner", language="en")
    lost = planner.get(f"/jobs/{running['id']}").json()
    assert lost["state"] == "lost"
    assert lost["problem"] and lost["finished_at"]  # why, in the language the server started in
    done = wait_for_job(planner, short.json()["href"], ("done", "failed", "lost"))
    assert done["state"] == "done" and done["result"]["replications"] == 2
    audit = server.client("approver").get("/audit", params={"limit": 1000}).json()
    assert [e["entity_id"] for e in audit if e["action"] == "job.lost"] == [running["id"]]
    assert server.client("approver").get("/audit/verify").json()["first_broken"] is None
