"""Participation over HTTP: an employee reads and replaces their own views, never another's; readers see any
record; every submission is a version in the records with an audit entry; the consultation summary of a
proposal counts the submitted views in place of the employee's survey rows."""

from __future__ import annotations

from service_fixtures import MOVES, Server, sqlite_server  # noqa: F401 (fixture)

OWN, OTHER = MOVES[0]["nip"], MOVES[1]["nip"]


def test_an_employee_submits_and_reads_only_their_own_views(sqlite_server: Server) -> None:  # noqa: F811
    employee = sqlite_server.client("employee")
    before = employee.get(f"/participation/{OWN}")
    assert before.status_code == 200 and before.json()["nip"] == OWN
    assert employee.get(f"/participation/{OTHER}").status_code == 403
    refused = employee.put(f"/participation/{OTHER}", json={"version": 0, "views": []})
    assert refused.status_code == 403
    start = len(before.json()["history"])

    bad = employee.put(
        f"/participation/{OWN}",
        json={"version": start, "views": [{"kind": "wish"}, {"kind": "hope", "note": "x", "colour": 1}]},
    )
    assert bad.status_code == 422
    fields = {(p["path"], p.get("field")) for p in bad.json()["problems"]}
    assert ("views[0]", "unit") in fields and ("views[1]", "colour") in fields, bad.json()

    objection = {"kind": "objection", "unit": "LOKET-DUKCAPIL", "reason": "spouse"}
    saved = employee.put(f"/participation/{OWN}", json={"version": start, "views": [objection]})
    assert saved.status_code == 200, saved.text
    record = saved.json()
    assert record["submitted"]["version"] == start + 1
    assert record["submitted"]["views"] == [{"nip": OWN, **objection}]
    stale = employee.put(f"/participation/{OWN}", json={"version": start, "views": []})
    assert stale.status_code == 409

    planner = sqlite_server.client("planner")
    assert planner.get(f"/participation/{OWN}").json()["submitted"]["version"] == start + 1
    assert planner.put(f"/participation/{OWN}", json={"version": start + 1, "views": []}).status_code == 403
    entries = sqlite_server.client("approver").get("/audit", params={"limit": 1000}).json()
    assert any(e["action"] == "participation.submit" and e["entity_id"] == OWN for e in entries)


def test_the_consultation_summary_counts_the_submitted_objection(sqlite_server: Server) -> None:  # noqa: F811
    employee, planner = sqlite_server.client("employee"), sqlite_server.client("planner")
    current = employee.get(f"/participation/{OWN}").json()
    version = len(current["history"])
    objection = {"kind": "objection", "unit": "LOKET-DUKCAPIL", "reason": "health"}
    assert employee.put(f"/participation/{OWN}", json={"version": version, "views": [objection]}).status_code == 200
    drafted = planner.post("/proposals", json={"title": "Konsultasi", "moves": MOVES[:1]}).json()
    summary = planner.get(f"/proposals/{drafted['id']}/consultation")
    assert summary.status_code == 200, summary.text
    [entry] = summary.json()["entries"]
    assert entry["nip"] == OWN
    assert [v["view"]["kind"] for v in entry["views"]] == ["objection"]
    assert employee.get(f"/proposals/{drafted['id']}/consultation").status_code == 403
