"""Errors over HTTP are RFC 9457 problem details with the CLI's located problems, in the request's language."""

from __future__ import annotations

import pytest
from service_fixtures import MOVES, Server, wait_for_job

from decision_support.service.language import negotiate


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, "id"),
        ("", "id"),
        ("en", "en"),
        ("en-US,en;q=0.9", "en"),
        ("fr-FR, en;q=0.5", "en"),
        ("fr, de", "id"),
        ("en;q=0.4, id;q=0.8", "id"),
        ("id-ID, en;q=0.8", "id"),
        ("en;q=0", "id"),
        ("EN-gb", "en"),
    ],
)
def test_accept_language(header: str | None, expected: str) -> None:
    assert negotiate(header) == expected


def problem(response) -> dict:
    assert response.headers["content-type"] == "application/problem+json", response.text
    body = response.json()
    assert body["status"] == response.status_code
    assert response.headers["content-language"] == body["language"]
    return body


def test_a_located_problem_in_indonesian_and_english(sqlite_server: Server) -> None:
    request = {"nip": MOVES[0]["nip"], "to": "LOKET-DUKCAPIL.OPERATOR-DUKCAPI"}
    english = problem(sqlite_server.client("planner", language="en-GB,en;q=0.9").post("/explain", json=request))
    indonesian = problem(sqlite_server.client("planner").post("/explain", json=request))
    assert english["status"] == indonesian["status"] == 422
    assert english["type"] == indonesian["type"] == "urn:seimbang:problem:invalid-input"
    assert (english["language"], indonesian["language"]) == ("en", "id")
    assert english["title"] == "Invalid input" and indonesian["title"] == "Masukan tidak valid"
    [en], [id_] = english["problems"], indonesian["problems"]
    assert "LOKET-DUKCAPIL.OPERATOR-DUKCAPI is not in the dataset" in en["message"]
    assert en["hint"] == "Did you mean 'LOKET-DUKCAPIL.OPERATOR-DUKCAPIL'?"
    assert "LOKET-DUKCAPIL.OPERATOR-DUKCAPIL" in id_["hint"] and id_["hint"] != en["hint"]
    assert en["text"].endswith(en["hint"])
    assert english["detail"] == "1 problem in 1 file; nothing was computed."


def test_request_validation_errors_are_located_and_translated(sqlite_server: Server) -> None:
    body = {"version": "x", "outcome": "maybe", "sk_nomor": "1"}
    english = problem(sqlite_server.client("approver", language="en").post("/proposals/1/decisions", json=body))
    indonesian = problem(sqlite_server.client("approver").post("/proposals/1/decisions", json=body))
    assert english["status"] == 422
    fields = {p["field"]: p for p in english["problems"]}
    assert set(fields) == {"version", "outcome", "reason", "sk_nomor"}
    assert fields["version"]["message"] == "expected a whole number"
    assert fields["reason"]["message"] == "required, but missing"
    assert fields["sk_nomor"]["message"] == "unknown field"
    assert fields["sk_nomor"]["hint"] == "Did you mean 'sk_number'?"
    assert {p["path"] for p in english["problems"]} == {"request body"}
    id_fields = {p["field"]: p for p in indonesian["problems"]}
    assert set(id_fields) == set(fields)
    assert id_fields["version"]["message"] != fields["version"]["message"]
    assert "4" in english["detail"] and "nothing was changed" in english["detail"]


def test_malformed_json_names_the_line_and_column(sqlite_server: Server) -> None:
    client = sqlite_server.client("planner", language="en")
    response = client.post(
        "/explain", content=b'{\n  "nip": "1",\n  "to" "X"\n}', headers={"content-type": "application/json"}
    )
    body = problem(response)
    [found] = body["problems"]
    assert (found["path"], found["line"], found["column"]) == ("request body", 3, 8)
    assert found["message"].startswith("not valid JSON")


def test_authentication_and_not_found_problems(sqlite_server: Server) -> None:
    anonymous = problem(sqlite_server.client(language="en").get("/proposals"))
    assert anonymous["status"] == 401 and "Authorization: Bearer" in anonymous["detail"]
    assert anonymous["type"] == "urn:seimbang:problem:unauthenticated"
    denied = problem(sqlite_server.client("viewer").post("/proposals", json={}))
    assert denied["status"] == 403 and denied["language"] == "id" and "viewer" in denied["detail"]
    missing = problem(sqlite_server.client("viewer", language="en").get("/proposals/424242"))
    assert missing["status"] == 404 and "424242" in missing["detail"]
    nowhere = problem(sqlite_server.client(language="en").get("/no-such-route"))
    assert nowhere["status"] == 404


def test_simulation_requests_with_bad_scenarios(sqlite_server: Server) -> None:
    planner = sqlite_server.client("planner", language="en")
    proposal = planner.post("/proposals", json={"title": "Skenario", "moves": MOVES[:1]}).json()
    simulations = f"/proposals/{proposal['id']}/simulations"
    unknown = problem(planner.post(simulations, json={"version": 1, "scenario": "disdukcapil-mp"}))
    assert unknown["status"] == 422
    assert unknown["problems"][0]["hint"] == "Did you mean 'disdukcapil-mpp'?"
    both = problem(planner.post(simulations, json={"version": 1}))
    assert both["status"] == 422 and "one of the two" in both["problems"][0]["message"]
    queued = planner.post(simulations, json={"version": 1, "scenario_text": "schema_version: 1\nhorizon: [\n"})
    assert queued.status_code == 202
    job = wait_for_job(planner, queued.json()["href"], ("done", "failed", "lost"))
    assert job["state"] == "failed"
    # The located problems as the CLI prints them, in the language of the request that queued the job.
    assert job["problem"].startswith("scenario: not valid YAML") and "line 3" in job["problem"]
    assert job["problem"].endswith("1 problem in 1 file; nothing was computed.")
