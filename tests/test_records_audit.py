"""The audit trail: an edited, deleted, reordered or inserted entry is found and named, on every database;
the export can be rechecked without seimbang; ``seimbang audit verify`` passes and fails on a tampered copy."""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from records_fixtures import db_url  # noqa: F401 (fixture)

from decision_support import api
from decision_support.cli import main
from decision_support.records import AuditEntry, Breakage, Store, open_store
from decision_support.records.audit import GENESIS, check_chain, entry_hash


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:  # noqa: F811
    """A store with six audited changes."""
    with open_store(db_url) as opened, api.language("en"):
        for i, role in enumerate(("planner", "approver", "viewer", "policy_officer", "planner")):
            opened.tokens.create(f"Pegawai {i} – Dinas Pariwisata", role, actor="test:admin")
        opened.jobs.create("simulate", {"proposal": 1, "catatan": "Lebaran"}, actor="test:planner")
        yield opened


def sql(store: Store, statement: str, **params: object) -> None:
    with store.db.engine.begin() as conn:
        conn.execute(sa.text(statement), params)


def test_an_untouched_trail_verifies(store: Store) -> None:
    report = store.audit.verify()
    assert report.ok and report.entries == 6 and report.head_seq == 6


def test_an_edited_payload_is_named(store: Store) -> None:
    sql(
        store, "UPDATE audit_log SET payload = :p WHERE seq = 3", p='{"name":"Orang lain","nip":null,"role":"approver"}'
    )
    report = store.audit.verify()
    assert (report.first_broken, report.breakage) == (3, Breakage.EDITED)
    assert "content was changed" in (report.detail or "")


def test_an_edited_actor_is_named(store: Store) -> None:
    sql(store, "UPDATE audit_log SET actor = 'test:someone-else' WHERE seq = 5")
    assert (store.audit.verify().first_broken, store.audit.verify().breakage) == (5, Breakage.EDITED)


def test_a_deleted_entry_is_named(store: Store) -> None:
    sql(store, "DELETE FROM audit_log WHERE seq = 2")
    report = store.audit.verify()
    assert (report.first_broken, report.breakage) == (2, Breakage.DELETED)
    assert "entries 2 to 2 are missing" in (report.detail or "")


def test_a_deleted_last_entry_is_found_through_the_chain_head(store: Store) -> None:
    sql(store, "DELETE FROM audit_log WHERE seq = 6")
    report = store.audit.verify()
    assert (report.first_broken, report.breakage) == (6, Breakage.DELETED)


def test_swapped_entries_are_named_as_reordered(store: Store) -> None:
    sql(store, "UPDATE audit_log SET seq = 100 WHERE seq = 2")
    sql(store, "UPDATE audit_log SET seq = 2 WHERE seq = 4")
    sql(store, "UPDATE audit_log SET seq = 4 WHERE seq = 100")
    report = store.audit.verify()
    assert (report.first_broken, report.breakage) == (2, Breakage.REORDERED)
    assert "written as entry 4" in (report.detail or "")


def _forged(store: Store, seq: int, prev_hash: str) -> dict[str, object]:
    """An entry computed exactly as seimbang would, by someone who read docs/records.md."""
    entry = {
        "seq": seq,
        "at": "2026-12-06T04:00:00.000000Z",
        "actor": "cli:mallory",
        "action": "token.create",
        "entity": "token",
        "entity_id": "tok_forged",
        "payload": {"name": "Mallory", "nip": None, "role": "approver"},
    }
    body = json.dumps(entry, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return {
        **entry,
        "payload": json.dumps(entry["payload"]),
        "prev_hash": prev_hash,
        "hash": hashlib.sha256((prev_hash + body).encode()).hexdigest(),
    }


def test_a_forged_entry_appended_in_sql_is_named_as_inserted(store: Store) -> None:
    last = store.audit.entries()[-1]
    row = _forged(store, 7, last.hash)
    sql(
        store,
        "INSERT INTO audit_log (seq, at, actor, action, entity, entity_id, payload, prev_hash, hash) "
        "VALUES (:seq, :at, :actor, :action, :entity, :entity_id, :payload, :prev_hash, :hash)",
        **row,
    )
    report = store.audit.verify()
    assert (report.first_broken, report.breakage) == (7, Breakage.INSERTED)


def test_a_forged_entry_in_the_middle_is_named_as_inserted(store: Store) -> None:
    """Entry 3 replaced by a self-consistent forgery: entry 3 no longer follows entry 2."""
    entries = store.audit.entries()
    row = _forged(store, 3, entries[0].hash)  # chained to entry 1, as if it had been written after it
    sql(store, "DELETE FROM audit_log WHERE seq = 3")
    sql(
        store,
        "INSERT INTO audit_log (seq, at, actor, action, entity, entity_id, payload, prev_hash, hash) "
        "VALUES (:seq, :at, :actor, :action, :entity, :entity_id, :payload, :prev_hash, :hash)",
        **row,
    )
    report = store.audit.verify()
    assert report.first_broken == 3 and report.breakage in (Breakage.INSERTED, Breakage.EDITED)


def test_the_export_rechecks_with_a_few_lines_of_python(store: Store, tmp_path: Path) -> None:
    """The recipe of docs/records.md, written here independently of seimbang's code."""
    path = tmp_path / "audit.jsonl"
    assert store.audit.export(path).ok
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    *entries, summary = lines
    prev = "0" * 64
    for entry in entries:
        hashed = {k: entry[k] for k in ("seq", "at", "actor", "action", "entity", "entity_id", "payload")}
        body = json.dumps(hashed, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        assert entry["prev_hash"] == prev
        assert hashlib.sha256((prev + body).encode("utf-8")).hexdigest() == entry["hash"]
        prev = entry["hash"]
    assert summary["summary"] is True and summary["ok"] is True
    assert (summary["head_seq"], summary["head_hash"]) == (len(entries), prev)
    assert "Dinas Pariwisata" in path.read_text(encoding="utf-8")  # UTF-8 text, not \\u escapes


def test_cli_verify_passes_and_fails_on_a_tampered_copy(tmp_path: Path) -> None:
    original = tmp_path / "records.db"
    runner = CliRunner()
    created = runner.invoke(main, ["tokens", "create", "Budi", "--role", "planner", "--db", str(original)])
    assert created.exit_code == 0, created.output
    runner.invoke(main, ["tokens", "create", "Sari", "--role", "approver", "--db", str(original)])
    copy = tmp_path / "salinan.db"
    shutil.copy(original, copy)
    engine = sa.create_engine(f"sqlite:///{copy}")
    with engine.begin() as conn:
        conn.execute(
            sa.text("UPDATE audit_log SET payload = replace(payload, 'approver', 'policy_officer') WHERE seq = 2")
        )
    engine.dispose()
    intact = runner.invoke(main, ["audit", "verify", "--db", str(original), "--lang", "en"])
    assert intact.exit_code == 0 and "Audit trail intact: 2 entries" in intact.output
    broken = runner.invoke(main, ["audit", "verify", "--db", str(copy), "--lang", "en"])
    assert broken.exit_code == 1
    assert "Audit trail BROKEN at entry 2 (edited)" in broken.output
    in_indonesian = runner.invoke(main, ["audit", "verify", "--db", str(copy)])
    assert in_indonesian.exit_code == 1 and "entri 2" in in_indonesian.output
    exported = runner.invoke(
        main, ["audit", "export", "-o", str(tmp_path / "bukti.jsonl"), "--db", str(copy), "--lang", "en"]
    )
    assert exported.exit_code == 1 and (tmp_path / "bukti.jsonl").is_file()
    summary = json.loads((tmp_path / "bukti.jsonl").read_text(encoding="utf-8").splitlines()[-1])
    assert (summary["ok"], summary["first_broken"], summary["breakage"]) == (False, 2, "edited")


def test_a_decision_edited_in_its_table_is_found_against_the_trail(tmp_path: Path) -> None:
    """The chain protects the log; verify also checks the rows it describes (here an SK number changed in SQL)."""
    from test_records_store import content

    with open_store(tmp_path / "records.db") as store, api.language("en"):
        draft = store.proposals.create("Rotasi", content("A.B"), actor="test:planner")
        submitted = store.proposals.submit(draft.id, 1, actor="test:planner")
        decision = store.proposals.decide(
            draft.id,
            submitted.version,
            actor="test:tpk",
            outcome="approve",
            reason="ABK",
            sk_number="821/1/2026",
            tmt="2027-01-02",
        )
        assert store.audit.verify().ok
        sql(store, "UPDATE decisions SET sk_number = '821/9/2026', tmt = '2027-03-01' WHERE id = :id", id=decision.id)
        sql(store, "UPDATE proposal_versions SET title = 'Rotasi lain' WHERE version = 1")
        report = store.audit.verify()
    assert report.chain_ok and not report.ok
    assert report.records == (
        f"decision {decision.id} differs from the audit trail in sk_number, tmt: it was changed after it was recorded",
        f"proposal version {draft.id}/1 differs from the audit trail in title: it was changed after it was recorded",
    )
    result = CliRunner().invoke(main, ["audit", "verify", "--db", str(tmp_path / "records.db"), "--lang", "en"])
    assert result.exit_code == 1 and "records differ from it" in result.output and "sk_number, tmt" in result.output


# -- any single change to a chain is found, at or before the entry changed (pure check, no database) ----------


def chain(payloads: list[dict[str, int]]) -> list[AuditEntry]:
    entries, prev = [], GENESIS
    for seq, payload in enumerate(payloads, start=1):
        entry = {
            "seq": seq,
            "at": f"2026-12-06T00:00:{seq % 60:02d}.000000Z",
            "actor": "a",
            "action": "x.y",
            "entity": "x",
            "entity_id": str(seq),
            "payload": payload,
        }
        entry["prev_hash"] = prev
        entry["hash"] = prev = entry_hash(prev, entry)
        entries.append(AuditEntry(**entry))
    return entries


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.fixed_dictionaries({"n": st.integers(0, 5)}), min_size=2, max_size=8),
    st.sampled_from(["edit", "delete", "swap", "append"]),
    st.data(),
)
def test_any_single_change_is_found_at_or_before_it(
    payloads: list[dict[str, int]], change: str, data: st.DataObject
) -> None:
    entries = chain(payloads)
    head_seq, head_hash = entries[-1].seq, entries[-1].hash
    assert check_chain(entries, head_seq, head_hash).ok
    i = data.draw(st.integers(0, len(entries) - 1))
    changed = list(entries)
    if change == "edit":
        changed[i] = entries[i].model_copy(update={"payload": {"n": entries[i].payload["n"] + 1}})
    elif change == "delete":
        del changed[i]
    elif change == "swap":
        j = data.draw(st.integers(0, len(entries) - 1).filter(lambda j: j != i))
        changed[i] = entries[j].model_copy(update={"seq": entries[i].seq})
        changed[j] = entries[i].model_copy(update={"seq": entries[j].seq})
        changed.sort(key=lambda e: e.seq)
    else:
        forged = chain([*payloads, {"n": 9}])[-1]
        changed.append(forged)
    report = check_chain(changed, head_seq, head_hash)
    assert not report.ok
    first_changed = len(entries) + 1 if change == "append" else (min(i, j) + 1 if change == "swap" else i + 1)
    assert report.first_broken is not None and report.first_broken <= first_changed
