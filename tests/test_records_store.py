"""The records store on SQLite, PostgreSQL and MariaDB: migrations, tokens, proposals with optimistic locking,
decisions, jobs, rule packs, and one audit chain under concurrent writers."""

from __future__ import annotations

import hashlib
import itertools
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from records_fixtures import db_url, sqlite_url  # noqa: F401 (fixtures)

from decision_support import api
from decision_support.records import (
    DatasetRef,
    JobState,
    Move,
    MoveExplanation,
    Outcome,
    PackRef,
    Permission,
    ProposalContent,
    ProposalState,
    RecordsError,
    StaleVersion,
    Store,
    WrongState,
    open_store,
)
from decision_support.records.schema import metadata
from decision_support.records.store import MIGRATIONS

REPO = Path(__file__).resolve().parents[1]
ACTOR = "test:planner"


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:  # noqa: F811
    with open_store(db_url) as opened, api.language("en"):
        yield opened


def content(*targets: str) -> ProposalContent:
    """A proposal's content as the workflow stores it (explanations abridged: the store reads only the verdicts)."""
    moves = tuple(Move(nip=f"19900101201501100{i}", origin="SETDA.ADM", target=t) for i, t in enumerate(targets))
    return ProposalContent(
        moves=moves,
        dataset=DatasetRef(name="Kota Sawahlunto", location="/data/sawahlunto", as_of="2026-11-01", sha256="ab" * 32),
        packs=(PackRef(pack="nasional", version="2026.1", sha256="cd" * 32),),
        as_of="2026-11-01",
        explanations=tuple(
            MoveExplanation(nip=m.nip, target=m.target, verdict="eligible", explanation={"decision": {"results": []}})
            for m in moves
        ),
    )


def test_migrations_reach_head_and_agree_with_the_models(db_url: str) -> None:  # noqa: F811
    """From an empty database to head; then autogenerate finds nothing to change (``alembic check``)."""
    store = open_store(db_url)
    try:
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        head = ScriptDirectory.from_config(config).get_current_head()
        with store.db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            assert context.get_current_revision() == head
            assert compare_metadata(context, metadata) == []
            tables = set(sa.inspect(conn).get_table_names())
        assert {t.name for t in metadata.sorted_tables} <= tables
        # Opening again is a no-op migration.
        open_store(db_url).close()
    finally:
        store.close()


def test_a_token_authenticates_until_revoked_and_its_secret_is_not_stored(store: Store) -> None:
    info, secret = store.tokens.create("Rina (BKPSDM)", "approver", actor=ACTOR)
    principal = store.tokens.authenticate(secret)
    assert principal is not None and principal.token_id == info.id and principal.role.value == "approver"
    assert principal.may(Permission.DECIDE) and not principal.may(Permission.MANAGE_RULES)
    with store.db.engine.connect() as conn:
        stored = [tuple(map(str, row)) for row in conn.execute(sa.text("SELECT * FROM tokens"))]
    assert not any(secret in cell for row in stored for cell in row)
    assert any(hashlib.sha256(secret.encode()).hexdigest() in row for row in stored)
    assert store.tokens.authenticate(secret + "x") is None
    assert store.tokens.authenticate("") is None
    store.tokens.revoke(info.id, actor=ACTOR)
    assert store.tokens.authenticate(secret) is None
    assert store.tokens.list()[0].revoked_by == ACTOR
    with pytest.raises(WrongState, match="already revoked"):
        store.tokens.revoke(info.id, actor=ACTOR)


def test_token_input_problems_are_all_reported_with_their_field(store: Store) -> None:
    with pytest.raises(api.InputError) as caught:
        store.tokens.create(" ", "boss", "1234", actor=ACTOR)
    fields = sorted(p.field or "" for p in caught.value.problems)
    assert fields == ["name", "nip", "role"]
    assert "policy_officer, planner, approver, viewer, employee" in caught.value.render()
    with pytest.raises(api.InputError, match="needs the employee's NIP"):
        store.tokens.create("Andi", "employee", actor=ACTOR)
    info, _secret = store.tokens.create("Andi", "employee", "199104182016011879", actor=ACTOR)
    assert info.nip == "199104182016011879"


def test_a_stale_version_is_refused_with_the_current_version(store: Store) -> None:
    draft = store.proposals.create("Operator Dukcapil", content("LOKET.OPERATOR"), actor=ACTOR)
    assert (draft.version, draft.state) == (1, ProposalState.DRAFT)
    edited = store.proposals.update(draft.id, 1, actor="test:other", title="Operator Dukcapil (revisi)")
    assert edited.version == 2
    with pytest.raises(StaleVersion) as caught:
        store.proposals.update(draft.id, 1, actor=ACTOR, content=content("MPP.PETUGAS"))
    assert (caught.value.expected, caught.value.current) == (1, 2)
    # The refused edit changed nothing; every version is kept.
    assert store.proposals.get(draft.id).content == content("LOKET.OPERATOR")
    assert [v.title for v in store.proposals.history(draft.id)] == ["Operator Dukcapil", "Operator Dukcapil (revisi)"]


def test_concurrent_editors_lose_nothing(store: Store) -> None:
    """Two editors start from the same version at once: exactly one wins, the other gets StaleVersion."""
    draft = store.proposals.create("Serentak", content("A.B"), actor=ACTOR)
    barrier, outcomes = threading.Barrier(2), []

    def edit(title: str) -> None:
        barrier.wait()
        try:
            store.proposals.update(draft.id, 1, actor=title, title=title)
            outcomes.append("ok")
        except StaleVersion as exc:
            outcomes.append(f"stale {exc.current}")

    threads = [threading.Thread(target=edit, args=(t,)) for t in ("satu", "dua")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["ok", "stale 2"]
    assert len(store.proposals.history(draft.id)) == 2


def test_decisions_need_sk_and_tmt_and_are_corrected_by_new_records(store: Store) -> None:
    draft = store.proposals.create("Rotasi", content("A.B"), actor=ACTOR)
    with pytest.raises(WrongState, match="draft"):
        store.proposals.decide(draft.id, 1, actor=ACTOR, outcome="reject", reason="belum siap")
    submitted = store.proposals.submit(draft.id, 1, actor=ACTOR)
    with pytest.raises(api.InputError) as caught:
        store.proposals.decide(
            submitted.id, submitted.version, actor=ACTOR, outcome="approve", reason=" ", tmt="31-02-2027"
        )
    assert sorted(p.field or "" for p in caught.value.problems) == ["reason", "sk_number", "tmt"]
    assert "'31-02-2027' is not a date" in caught.value.render()
    approval = store.proposals.decide(
        submitted.id,
        submitted.version,
        actor="test:tpk",
        outcome=Outcome.APPROVE,
        reason="Sesuai ABK",
        sk_number="821/45/BKPSDM/2026",
        tmt="01-01-2027",
    )
    assert (approval.tmt, approval.sk_number, approval.proposal_version) == ("2027-01-01", "821/45/BKPSDM/2026", 3)
    decided = store.proposals.get(draft.id)
    assert decided.state == ProposalState.APPROVED
    with pytest.raises(WrongState):
        store.proposals.update(draft.id, decided.version, actor=ACTOR, title="diam-diam")
    correction = store.proposals.decide(
        draft.id, decided.version, actor="test:tpk", outcome="reject", reason="SK dibatalkan", corrects=approval.id
    )
    assert correction.corrects == approval.id
    assert store.proposals.decision(approval.id) == approval  # the corrected decision stays as it was
    assert [d.outcome for d in store.proposals.decisions(draft.id)] == [Outcome.APPROVE, Outcome.REJECT]
    assert store.proposals.get(draft.id).state == ProposalState.REJECTED


def test_jobs_left_running_are_marked_lost_on_recovery(store: Store) -> None:
    first = store.jobs.create("simulate", {"proposal": 1}, actor=ACTOR)
    second = store.jobs.create("simulate", {"proposal": 2}, actor=ACTOR)
    claimed = store.jobs.claim(worker="worker-1")
    assert claimed is not None and claimed.id == first.id and claimed.state == JobState.RUNNING
    store.jobs.progress(first.id, 3, 10)
    assert store.jobs.get(first.id).done == 3
    lost = store.jobs.recover(actor="service:start")
    assert [j.id for j in lost] == [first.id]
    assert store.jobs.get(first.id).state == JobState.LOST and "submit it again" in (
        store.jobs.get(first.id).problem or ""
    )
    assert store.jobs.get(second.id).state == JobState.QUEUED
    with pytest.raises(WrongState):
        store.jobs.finish(first.id, {"verdict": "LAYAK"}, worker="worker-1")
    again = store.jobs.claim(worker="worker-2")
    assert again is not None and again.id == second.id
    done = store.jobs.finish(second.id, {"verdict": "LAYAK"}, worker="worker-2")
    assert done.state == JobState.DONE and done.result == {"verdict": "LAYAK"}
    assert store.jobs.claim(worker="worker-2") is None
    actions = [e.action for e in store.audit.entries() if e.entity == "job"]
    assert actions == ["job.create", "job.create", "job.start", "job.lost", "job.start", "job.finish"]


def test_rule_pack_versions_are_immutable_and_activation_checks_the_set(store: Store) -> None:
    nasional = (REPO / "rules/nasional/nasional.yaml").read_text(encoding="utf-8")
    stored = store.rules.upload("nasional.yaml", nasional, actor="test:policy")
    assert (stored.pack, stored.version) == ("nasional", "2026.1")
    assert stored.sha256 == hashlib.sha256((REPO / "rules/nasional/nasional.yaml").read_bytes()).hexdigest()
    assert store.rules.upload("nasional.yaml", nasional, actor="test:policy").id == stored.id
    with pytest.raises(RecordsError, match="already stored"):
        store.rules.upload("nasional.yaml", nasional.replace("value: 2}", "value: 3}", 1), actor="test:policy")
    with pytest.raises(api.InputError) as caught:
        store.rules.upload(
            "rusak.yaml", "pack: rusak\nversion: '1'\nrules: [{id: x, kind: filter}]\n", actor="test:policy"
        )
    assert all(p.location.path.startswith("rusak.yaml") for p in caught.value.problems)
    assert store.rules.active() is None
    activation = store.rules.activate([stored.id], actor="test:policy", note="awal")
    assert [f.id for f in store.rules.active().files] == [stored.id] and activation.note == "awal"  # type: ignore[union-attr]


def test_concurrent_writers_keep_one_chain(db_url: str) -> None:  # noqa: F811
    """Writers on separate connections (and a second store, as another process would have) never fork the chain."""
    stores = [open_store(db_url), open_store(db_url)]
    errors: list[BaseException] = []

    def write(n: int) -> None:
        try:
            for i in range(5):
                stores[n % 2].tokens.create(f"writer {n}/{i}", "viewer", actor=f"test:{n}")
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    try:
        assert errors == []
        report = stores[0].audit.verify()
        assert report.ok and report.entries == 30 and report.head_seq == 30
        entries = stores[1].audit.entries()
        assert [e.seq for e in entries] == list(range(1, 31))
        assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(entries))
    finally:
        for s in stores:
            s.close()


def test_the_default_database_is_a_file_in_seimbang_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from decision_support.records import resolve_url

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SEIMBANG_DB", raising=False)
    assert resolve_url() == f"sqlite:///{tmp_path / 'seimbang-data' / 'seimbang.db'}"
    monkeypatch.setenv("SEIMBANG_DB", "postgresql+psycopg://u@h/db")
    assert resolve_url() == "postgresql+psycopg://u@h/db"
    assert resolve_url("arsip/records.db") == f"sqlite:///{tmp_path / 'arsip' / 'records.db'}"
