"""Stateless questions and rule packs over HTTP: screening, explain, and a policy officer checking, uploading and
activating rule packs (problems located in the uploaded file, by its name)."""

from __future__ import annotations

from service_fixtures import MOVES, Server

from decision_support import api

POSITION = MOVES[0]["to"]


def test_screening_and_explain_answer_with_the_cli_json(sqlite_server: Server) -> None:
    planner = sqlite_server.client("planner")
    screening = planner.post("/screening", json={"positions": [POSITION], "top": 3})
    assert screening.status_code == 200, screening.text
    data = screening.json()
    [need] = data["needs"]
    assert need["need"]["position"] == POSITION and 0 < len(need["eligible"]) <= 3
    # Rule files are named by their stored record, not by the temporary folder they were loaded from.
    assert {p["path"].split("/")[0] for p in data["provenance"]["packs"]} == {"records:rule_file"}
    explanation = planner.post("/explain", json={"nip": MOVES[0]["nip"], "to": POSITION}).json()
    assert (explanation["nip"], explanation["target"]) == (MOVES[0]["nip"], POSITION)
    assert explanation["decision"]["verdict"] == "eligible"
    assert all(
        r["outcome"] in ("pass", "fail", "unknown", "not_applicable") for r in explanation["decision"]["results"]
    )


def test_a_policy_officer_checks_uploads_and_activates_rule_packs(sqlite_server: Server) -> None:
    officer = sqlite_server.client("policy_officer", language="en")
    broken = "schema_version: 1\npack: lokal\nversion: '1'\nrules:\n  - id: x\n    kind: filtr\n"
    checked = officer.post("/rules/check", json={"files": [{"filename": "lokal.yaml", "text": broken}]})
    assert checked.status_code == 422
    problems = checked.json()["problems"]
    assert problems and all(p["path"] == "lokal.yaml" for p in problems), problems
    assert all("/tmp" not in p["text"] for p in problems)

    folder = api.shipped_path("rules")
    texts = {
        name: (folder / "sawahlunto" / name).read_text(encoding="utf-8")
        for name in ("sawahlunto.yaml", "calendar.yaml")
    }
    texts["nasional.yaml"] = (folder / "nasional" / "nasional.yaml").read_text(encoding="utf-8")
    ok = officer.post("/rules/check", json={"files": [{"filename": k, "text": v} for k, v in texts.items()]})
    assert ok.status_code == 200, ok.text
    assert {p["pack"] for p in ok.json()["packs"]} == {"nasional", "sawahlunto"} and ok.json()["rules"] > 5

    stored = [officer.post("/rules/files", json={"filename": k, "text": v}) for k, v in texts.items()]
    assert all(r.status_code == 201 for r in stored), [r.text for r in stored]
    listed = {f["id"] for f in officer.get("/rules/files").json()}
    ids = [r.json()["id"] for r in stored]
    assert set(ids) <= listed  # the same texts as at the first start: the stored files are returned
    activated = officer.post("/rules/activate", json={"file_ids": ids, "note": "re-activated by the test"})
    assert activated.status_code == 201, activated.text
    active = officer.get("/rules/active").json()
    assert active["id"] == activated.json()["id"] and {f["id"] for f in active["files"]} == set(ids)
    assert officer.get(f"/rules/files/{ids[0]}").json()["text"] == texts["sawahlunto.yaml"]


def test_editing_a_draft_makes_one_version_per_request(sqlite_server: Server) -> None:
    planner = sqlite_server.client("planner")
    proposal = planner.post("/proposals", json={"title": "Edit", "moves": MOVES[:1]}).json()
    path = f"/proposals/{proposal['id']}"
    noted = planner.put(path, json={"version": 1, "notes": "catatan rapat"}).json()
    assert (noted["version"], noted["content"]["notes"]) == (2, "catatan rapat")
    assert noted["content"]["explanations"] == proposal["content"]["explanations"]  # not explained again
    both = planner.put(path, json={"version": 2, "title": "Edit 2", "moves": MOVES}).json()
    assert (both["version"], both["title"], both["content"]["notes"]) == (3, "Edit 2", "catatan rapat")
    assert [e["nip"] for e in both["content"]["explanations"]] == [m["nip"] for m in MOVES]
    history = planner.get(f"{path}/versions").json()
    assert [(v["version"], v["title"]) for v in history] == [(1, "Edit"), (2, "Edit"), (3, "Edit 2")]
