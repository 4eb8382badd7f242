"""A proposal from draft through a simulation job to an approval with SK number and TMT, over real HTTP, on
SQLite, PostgreSQL and MariaDB; a stale version is refused with 409 and changes nothing."""

from __future__ import annotations

from service_fixtures import MOVES, Server, served, short_scenario, wait_for_job  # noqa: F401 (fixture)


def test_draft_simulate_submit_approve(served: Server) -> None:  # noqa: F811
    planner, approver = served.client("planner"), served.client("approver")
    drafted = planner.post("/proposals", json={"title": "Operator loket Dukcapil", "moves": MOVES})
    assert drafted.status_code == 201, drafted.text
    proposal = drafted.json()
    assert drafted.headers["Location"] == f"/api/v1/proposals/{proposal['id']}"
    assert (proposal["version"], proposal["state"]) == (1, "draft")
    # Every move is explained with the active rule set (the shipped packs, activated at the first start).
    assert [e["verdict"] for e in proposal["content"]["explanations"]] == ["eligible", "eligible"]
    assert {p["pack"] for p in proposal["content"]["packs"]} == {"nasional", "sawahlunto"}

    accepted = planner.post(
        f"/proposals/{proposal['id']}/simulations",
        json={"version": 1, "scenario_text": short_scenario(), "replications": 3, "seed": 7},
    )
    assert accepted.status_code == 202, accepted.text
    href = accepted.json()["href"]
    assert accepted.headers["Location"] == href and accepted.json()["job"]["state"] == "queued"
    job = wait_for_job(planner, href, ("done", "failed", "lost"))
    assert job["state"] == "done", job
    assert (job["done"], job["total"]) == (3, 3)
    assert job["result"]["verdict"] in ("LAYAK", "TIDAK LAYAK", "TIDAK DAPAT DINILAI")
    evidence = planner.get(f"/proposals/{proposal['id']}/evidence").json()
    assert [(e["id"], e["seed"], e["replications"], e["verdict"]) for e in evidence] == [
        (job["result"]["evidence_id"], 7, 3, job["result"]["verdict"])
    ]

    submitted = planner.post(f"/proposals/{proposal['id']}/submit", json={"version": 1})
    assert submitted.status_code == 200 and submitted.json()["state"] == "submitted"
    version = submitted.json()["version"]
    decided = approver.post(
        f"/proposals/{proposal['id']}/decisions",
        json={
            "version": version,
            "outcome": "approve",
            "reason": "Sesuai rapat Tim Penilai Kinerja",
            "sk_number": "800/123/BKPSDM/2026",
            "tmt": "2027-01-01",
        },
    )
    assert decided.status_code == 201, decided.text
    decision = decided.json()
    assert (decision["outcome"], decision["sk_number"], decision["tmt"]) == (
        "approve",
        "800/123/BKPSDM/2026",
        "2027-01-01",
    )
    assert "approver" in decision["actor"]
    assert planner.get(f"/proposals/{proposal['id']}").json()["state"] == "approved"
    assert planner.get(f"/decisions/{decision['id']}").json() == decision

    report = approver.get("/audit/verify").json()
    assert report["first_broken"] is None and report["records"] == []
    actions = [e["action"] for e in approver.get("/audit", params={"limit": 1000}).json()]
    for action in ("proposal.create", "job.create", "job.start", "proposal.evidence", "job.finish", "proposal.submit"):
        assert action in actions
    assert actions[-1].startswith("proposal.decide") or "decision" in actions[-1]


def test_a_stale_version_is_refused_and_changes_nothing(served: Server) -> None:  # noqa: F811
    first, second = served.client("planner"), served.client("planner", language="en")
    proposal = first.post("/proposals", json={"title": "Rotasi", "moves": MOVES[:1]}).json()
    renamed = first.put(f"/proposals/{proposal['id']}", json={"version": 1, "title": "Rotasi operator"})
    assert renamed.status_code == 200 and renamed.json()["version"] == 2
    with served.store() as store:
        head = store.audit.verify().head_seq
    stale = second.put(f"/proposals/{proposal['id']}", json={"version": 1, "title": "Judul lain"})
    assert stale.status_code == 409
    assert stale.headers["content-type"] == "application/problem+json"
    problem = stale.json()
    assert (problem["expected_version"], problem["current_version"]) == (1, 2)
    assert problem["type"] == "urn:seimbang:problem:stale-version"
    assert "changed by someone else" in problem["detail"]
    stale_job = second.post(
        f"/proposals/{proposal['id']}/simulations", json={"version": 1, "scenario": "disdukcapil-mpp"}
    )
    assert stale_job.status_code == 409
    current = first.get(f"/proposals/{proposal['id']}").json()
    assert (current["version"], current["title"]) == (2, "Rotasi operator")
    with served.store() as store:
        assert store.audit.verify().head_seq == head
