"""Every route and every role over real HTTP: 401 without a token or with a wrong or revoked one, 403 for a role
without the route's permission, and neither changes the records or the audit trail. A role with the
permission gets past the gate (an answer other than 401/403)."""

from __future__ import annotations

import re

import pytest
from service_fixtures import MOVES, ROLES, Server

from decision_support import records


def operations(server: Server) -> list[tuple[str, str, str]]:
    """(method, path with sample ids, permission) of every operation of the served OpenAPI document."""
    spec = server.client().get(server.base + "/openapi.json").json()
    found = []
    for path, items in spec["paths"].items():
        for method, operation in items.items():
            # An NIP: the employee token's own (its record is the one an employee may reach).
            sample = path.replace("{nip}", MOVES[0]["nip"])
            found.append((method.upper(), re.sub(r"\{[^}]+\}", "999999", sample), operation["x-permission"]))
    return found


def snapshot(server: Server) -> tuple[int, str, int, int]:
    with server.store() as store:
        report = store.audit.verify()
        return report.head_seq, report.head_hash, len(store.proposals.list()), len(store.jobs.list())


def call(server: Server, method: str, path: str, headers: dict[str, str]) -> int:
    client = server.client()
    # Every request body rejects unknown fields: a role that passes the gate gets 422 (or 404 for the sample id),
    # so the matrix changes nothing and computes nothing even where the role is allowed.
    body = {"not_a_field": True} if method in ("POST", "PUT", "PATCH") else None
    response = client.request(method, server.base + path, json=body, headers=headers)
    if response.status_code in (401, 403):
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["status"] == response.status_code
    return response.status_code


def test_every_route_declares_a_permission(sqlite_server: Server) -> None:
    found = operations(sqlite_server)
    assert len(found) >= 25
    public = {path for _method, path, permission in found if permission == "public"}
    assert public == {"/api/v1/health", "/api/v1/version", "/login"}  # the review page's login form
    allowed = {p.value for p in records.Permission} | {"public", "authenticated"}
    assert {permission for *_rest, permission in found} <= allowed


def test_authorisation_matrix(sqlite_server: Server) -> None:
    server = sqlite_server
    with server.store() as store:
        revoked_info, revoked = store.tokens.create("revoked planner", "planner", actor="test")
        store.tokens.revoke(revoked_info.id, actor="test")
    before = snapshot(server)
    checked = 0
    for method, path, permission in operations(server):
        if permission == "public":
            assert call(server, method, path, {}) not in (401, 403)
            continue
        for headers in ({}, {"Authorization": "Bearer smb_wrong"}, {"Authorization": f"Bearer {revoked}"}):
            assert call(server, method, path, headers) == 401, (method, path, headers)
        assert call(server, method, path, {"Authorization": "Basic dXNlcjpwYXNz"}) == 401
        for role in ROLES:
            status = call(server, method, path, {"Authorization": f"Bearer {server.tokens[role]}"})
            may = (
                permission == "authenticated"
                or records.Permission(permission) in records.PERMISSIONS[records.Role(role)]
            )
            if may:
                assert status in ((200, 404) if method == "GET" else (404, 422)), (method, path, role, status)
            else:
                assert status == 403, (method, path, role, status)
            checked += 1
    assert checked >= 20 * len(ROLES)
    assert snapshot(server) == before


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("policy_officer", {"read", "manage_rules", "screen", "audit"}),
        ("planner", {"read", "screen", "plan", "simulate", "draft"}),
        ("approver", {"read", "decide", "audit"}),
        ("viewer", {"read"}),
    ],
)
def test_roles_have_the_documented_permissions(role: str, expected: set[str]) -> None:
    """docs/http-api.md lists these; a change of the roles must change the documentation too."""
    assert {p.value for p in records.PERMISSIONS[records.Role(role)]} == expected
