"""Property-based tests of the running service against its own OpenAPI document (Schemathesis): generated
requests, with a token of a role allowed to make them, never crash the server and every answer conforms to the
document (status codes, media types, schemas). Derandomized and bounded, so the run takes seconds.

Excluded: the operations that start long computations by design (screening every need, planning, drafting a
proposal on the whole dataset, queueing simulations); the flow tests cover them with real data. The review page's
HTML routes, which tests/test_review_page.py drives in a browser.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import positive_data_acceptance
from service_fixtures import Server, running_server

from decision_support import records

HEAVY = r"^/api/v1/(screening|plans|proposals|proposals/\{proposal_id\}/simulations)$"
PAGES = r"^/(login|logout|review)"
#: A role allowed to make each kind of request.
ROLE_FOR = {
    "read": "viewer",
    "authenticated": "viewer",
    "manage_rules": "policy_officer",
    "screen": "planner",
    "plan": "planner",
    "simulate": "planner",
    "draft": "planner",
    "decide": "approver",
    "audit": "approver",
}


def operations(server: Server) -> list[schemathesis.APIOperation]:
    schema = schemathesis.openapi.from_url(server.base + "/openapi.json").exclude(method="POST", path_regex=HEAVY)
    # The review page's HTML (login, redirects, forms) is driven in a browser by tests/test_review_page.py.
    schema = schema.exclude(path_regex=PAGES)
    return [result.ok() for result in schema.get_all_operations()]


def check_operation(operation: schemathesis.APIOperation, server: Server) -> None:
    permission = operation.definition.raw.get("x-permission", "public")
    headers = {"Accept-Language": "en"}
    if permission != "public":
        headers["Authorization"] = f"Bearer {server.tokens[ROLE_FOR[permission]]}"

    # Schemathesis' pytest plugin does not run on this pytest; Hypothesis drives its strategies directly.
    @given(case=operation.as_strategy())
    @settings(max_examples=6, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def run(case: schemathesis.Case) -> None:
        # A schema-valid request may still be refused on its meaning (an NIP not in the dataset, a rule pack with
        # errors): 422 with the located problems, as documented; every other check applies.
        case.call_and_validate(headers=headers, excluded_checks=[positive_data_acceptance])

    run()


@pytest.fixture(scope="module")
def fuzzed_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server of its own: generated requests may store or activate rule files, which other tests must not see."""
    folder = tmp_path_factory.mktemp("service-schemathesis")
    yield from running_server(f"sqlite:///{folder / 'service.db'}", folder / "server.log")


def test_the_service_keeps_its_openapi_contract(fuzzed_server: Server) -> None:
    found = operations(fuzzed_server)
    assert len(found) >= 20
    for operation in found:
        check_operation(operation, fuzzed_server)


def test_every_permission_has_a_role_for_the_property_tests() -> None:
    assert set(ROLE_FOR) == {p.value for p in records.Permission} - {"read_own"} | {"authenticated"}
