"""Approving a move the active rules did not find eligible needs its own reason (an override), kept with the
decision and audited; without one the approval is refused and nothing is written. On the store (SQLite,
PostgreSQL, MariaDB), the command line and the HTTP service."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from records_fixtures import db_url  # noqa: F401 (fixture)
from service_fixtures import Server, sqlite_server  # noqa: F401 (fixture)

from decision_support import api
from decision_support.cli import main
from decision_support.records import (
    DatasetRef,
    Move,
    MoveExplanation,
    PackRef,
    ProposalContent,
    ProposalState,
    Store,
    open_store,
)

ACTOR = "test:approver"
ELIGIBLE, EXCLUDED, UNDECIDED = "199001012015011001", "198505052010011002", "197703032005012003"
APPROVAL = {"outcome": "approve", "reason": "Rapat TPK", "sk_number": "800/1/BKPSDM/2026", "tmt": "2027-01-04"}


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:  # noqa: F811
    with open_store(db_url) as opened, api.language("en"):
        yield opened


def content() -> ProposalContent:
    """Three moves as the workflow explains them: one eligible, one excluded by a rule, one undecided."""
    verdicts = (
        (ELIGIBLE, "eligible", ()),
        (EXCLUDED, "excluded", ("masa_jabatan_minimal",)),
        (UNDECIDED, "unknown", ()),
    )
    return ProposalContent(
        moves=tuple(
            Move(nip=nip, origin="SETDA.ADM", target=f"DISDUKCAPIL.OPERATOR-{i}")
            for i, (nip, _v, _f) in enumerate(verdicts)
        ),
        dataset=DatasetRef(name="Kota Sawahlunto", location="/data/sawahlunto", as_of="2026-11-01", sha256="ab" * 32),
        packs=(PackRef(pack="nasional", version="2026.1", sha256="cd" * 32),),
        as_of="2026-11-01",
        explanations=tuple(
            MoveExplanation(
                nip=nip,
                target=f"DISDUKCAPIL.OPERATOR-{i}",
                verdict=verdict,
                failed=failed,
                explanation={"decision": {}},
            )
            for i, (nip, verdict, failed) in enumerate(verdicts)
        ),
    )


def submitted(store: Store) -> tuple[int, int]:
    proposal = store.proposals.create("Operator Dukcapil", content(), actor="test:planner")
    proposal = store.proposals.submit(proposal.id, proposal.version, actor="test:planner")
    return proposal.id, proposal.version


def test_an_approval_without_override_reasons_is_refused_and_writes_nothing(store: Store) -> None:
    proposal_id, version = submitted(store)
    entries = len(store.audit.entries())
    with pytest.raises(api.InputError) as raised:
        store.proposals.decide(proposal_id, version, actor=ACTOR, **APPROVAL)
    shown = [p.render() for p in raised.value.problems]
    assert shown == [
        f"decision: employee {EXCLUDED}: overrides: the move to DISDUKCAPIL.OPERATOR-1 is excluded under the active "
        f"rules (masa_jabatan_minimal); approving it needs a reason for overriding them. Give it as the override of "
        f"NIP {EXCLUDED}.",
        f"decision: employee {UNDECIDED}: overrides: the move to DISDUKCAPIL.OPERATOR-2 is undecided under the "
        f"active rules (data missing); approving it needs a reason for overriding them. Give it as the override of "
        f"NIP {UNDECIDED}.",
    ]
    assert store.proposals.decisions(proposal_id) == []
    assert len(store.audit.entries()) == entries
    assert store.proposals.get(proposal_id).state is ProposalState.SUBMITTED


def test_wrong_override_reasons_are_all_reported(store: Store) -> None:
    proposal_id, version = submitted(store)
    overrides = {EXCLUDED: "  ", ELIGIBLE: "tidak perlu", EXCLUDED[:-1] + "9": "salah ketik", UNDECIDED: "SKP dikirim"}
    with pytest.raises(api.InputError) as raised:
        store.proposals.decide(proposal_id, version, actor=ACTOR, overrides=overrides, **APPROVAL)
    shown = [p.render() for p in raised.value.problems]
    assert shown == [
        f"decision: employee {EXCLUDED}: overrides: the move to DISDUKCAPIL.OPERATOR-1 is excluded under the active "
        f"rules (masa_jabatan_minimal); approving it needs a reason for overriding them. Give it as the override of "
        f"NIP {EXCLUDED}.",
        f"decision: employee {EXCLUDED}: overrides: the override reason is empty",
        f"decision: employee {ELIGIBLE}: overrides: the move is eligible under the active rules: nothing to override",
        f"decision: employee {EXCLUDED[:-1]}9: overrides: no move of this employee is in the proposal. "
        f"Did you mean '{EXCLUDED}'?",
    ]
    rejection = {"outcome": "reject", "reason": "Belum siap"}
    with pytest.raises(api.InputError) as raised:
        store.proposals.decide(proposal_id, version, actor=ACTOR, overrides={EXCLUDED: "x"}, **rejection)
    assert [p.message for p in raised.value.problems] == [
        "a rejection overrides no rule; leave out the override reasons"
    ]
    assert store.proposals.decisions(proposal_id) == []


def test_overrides_are_kept_audited_and_checked_against_the_trail(store: Store, db_url: str) -> None:  # noqa: F811
    proposal_id, version = submitted(store)
    reasons = {EXCLUDED: "Kebutuhan mendesak loket; masa jabatan 1 tahun 11 bulan", UNDECIDED: "SKP 2025 sudah ada"}
    decision = store.proposals.decide(proposal_id, version, actor=ACTOR, overrides=reasons, **APPROVAL)
    assert decision.overrides == reasons
    assert store.proposals.decision(decision.id) == decision
    entry = store.audit.entries()[-1]
    assert entry.action == "decision.create" and entry.payload["overrides"] == reasons
    report = store.audit.verify()
    assert report.chain_ok and report.records == ()

    # An override reason edited in SQL afterwards no longer matches the audited one.
    engine = sa.create_engine(db_url)
    with engine.begin() as conn:
        edited = json.dumps({**reasons, EXCLUDED: "diubah"})
        conn.execute(sa.text("UPDATE decisions SET overrides = :o WHERE id = :i"), {"o": edited, "i": decision.id})
    engine.dispose()
    problems = store.audit.verify().records
    assert problems == (
        f"decision {decision.id} differs from the audit trail in overrides: it was changed after it was recorded",
    )


def test_a_decision_without_overrides_keeps_the_payload_it_always_had(store: Store) -> None:
    """Decisions that override nothing are audited exactly as before the overrides existed (no new key)."""
    proposal = store.proposals.create("Penolakan", content(), actor="test:planner")
    proposal = store.proposals.submit(proposal.id, proposal.version, actor="test:planner")
    store.proposals.decide(proposal.id, proposal.version, actor=ACTOR, outcome="reject", reason="Belum siap")
    payload = store.audit.entries()[-1].payload
    assert sorted(payload) == ["corrects", "outcome", "proposal_id", "proposal_version", "reason", "sk_number", "tmt"]
    assert store.audit.verify().records == ()


def test_the_command_line_takes_repeated_overrides(tmp_path: Path) -> None:
    db = tmp_path / "catatan.db"
    with open_store(f"sqlite:///{db}") as opened:
        proposal_id, _version = submitted(opened)
    runner = CliRunner()
    base = ["records", "decide", str(proposal_id), "--approve", "--reason", "Rapat TPK", "--sk", "800/1", "--tmt"]
    base += ["2027-01-04", "--db", str(db), "--lang", "en"]
    bad = runner.invoke(main, [*base, "--override", "tanpa-tanda-sama-dengan", "--override", f"{EXCLUDED}=a"])
    assert bad.exit_code == 2, bad.output
    assert "--override: expected NIP=REASON, not 'tanpa-tanda-sama-dengan'" in bad.output
    missing = runner.invoke(main, [*base, "--override", f"{EXCLUDED}=Kebutuhan loket"])
    assert missing.exit_code == 2 and f"employee {UNDECIDED}: overrides: the move to" in missing.output
    assert "Traceback" not in bad.output + missing.output
    good = runner.invoke(
        main, [*base, "--override", f"{EXCLUDED}=Kebutuhan loket", "--override", f"{UNDECIDED}=SKP ada"]
    )
    assert good.exit_code == 0, good.output
    assert f"Decision 1 recorded: proposal {proposal_id} approved." in good.output
    shown = runner.invoke(main, ["records", "show", str(proposal_id), "--db", str(db), "--lang", "en"])
    assert f"override for {EXCLUDED}: Kebutuhan loket" in shown.output
    assert f"override for {UNDECIDED}: SKP ada" in shown.output


def test_the_http_service_refuses_then_records_overrides(sqlite_server: Server) -> None:  # noqa: F811
    with sqlite_server.store() as opened:
        proposal_id, version = submitted(opened)
    approver = sqlite_server.client("approver", language="en")
    url = f"/proposals/{proposal_id}/decisions"
    refused = approver.post(url, json={"version": version, **APPROVAL})
    assert refused.status_code == 422, refused.text
    problem = refused.json()
    assert problem["title"] and [e.get("entity") for e in problem["problems"]] == [
        f"employee {EXCLUDED}",
        f"employee {UNDECIDED}",
    ]
    assert approver.get(f"/proposals/{proposal_id}").json()["state"] == "submitted"
    reasons = {EXCLUDED: "Kebutuhan loket", UNDECIDED: "SKP 2025 ada"}
    decided = approver.post(url, json={"version": version, **APPROVAL, "overrides": reasons})
    assert decided.status_code == 201, decided.text
    assert decided.json()["overrides"] == reasons


def test_the_review_page_asks_a_reason_for_each_move_the_rules_did_not_find_eligible(
    sqlite_server: Server,  # noqa: F811
) -> None:
    with sqlite_server.store() as opened:
        proposal_id, version = submitted(opened)
    cookies = {"seimbang_session": sqlite_server.tokens["approver"]}
    page = httpx.get(f"{sqlite_server.base}/review?lang=en", cookies=cookies).text
    form = page[page.index(f'id="decide-{proposal_id}"') :]
    form = form[: form.index("</form>")]
    assert re.findall(r'name="(override-\d+)"', form) == [f"override-{EXCLUDED}", f"override-{UNDECIDED}"]
    csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', form)
    assert csrf is not None
    fields = {"csrf": csrf.group(1), "version": str(version), **APPROVAL, f"override-{EXCLUDED}": "Kebutuhan loket"}
    url = f"{sqlite_server.base}/review/proposals/{proposal_id}/decision"
    refused = httpx.post(url, data=fields, cookies=cookies)
    assert refused.status_code == 422 and f"override-{UNDECIDED}" in refused.text
    assert UNDECIDED in refused.text[refused.text.index('role="alert"') :]
    accepted = httpx.post(url, data={**fields, f"override-{UNDECIDED}": "SKP ada"}, cookies=cookies)
    assert accepted.status_code == 303, accepted.text
    decisions = sqlite_server.client("approver").get("/decisions").json()
    (decision,) = [d for d in decisions if d["proposal_id"] == proposal_id]
    assert decision["overrides"] == {EXCLUDED: "Kebutuhan loket", UNDECIDED: "SKP ada"}


def test_the_review_page_shows_the_simulation_of_exactly_these_moves(sqlite_server: Server) -> None:  # noqa: F811
    with sqlite_server.store() as opened:
        proposal = opened.proposals.create("Bukti simulasi", content(), actor="test:planner")
        opened.proposals.attach_evidence(
            proposal.id, proposal.version, actor="test:planner", scenario_text="name: x", seed=11, replications=5,
            verdict="TIDAK LAYAK", results={},
        )  # fmt: skip
        proposal = opened.proposals.submit(proposal.id, proposal.version, actor="test:planner")
        bare = opened.proposals.create("Tanpa bukti", content(), actor="test:planner")
        opened.proposals.submit(bare.id, bare.version, actor="test:planner")
    cookies = {"seimbang_session": sqlite_server.tokens["viewer"]}
    page = httpx.get(f"{sqlite_server.base}/review?lang=en", cookies=cookies).text
    with_evidence = page[page.index(f'id="proposal-{proposal.id}"') : page.index(f'id="proposal-{bare.id}"')]
    assert "Simulation of these moves: TIDAK LAYAK (5 replications, seed 11; evidence" in with_evidence
    without = page[page.index(f'id="proposal-{bare.id}"') :]
    assert "No simulation of these moves is on record" in without.split("<h3")[0]
