"""The audit trail: an append-only log whose entries are chained by SHA-256.

Entry ``n`` stores ``prev_hash`` (the hash of entry ``n - 1``; 64 zeros for the first) and
``hash = sha256(prev_hash + canonical(entry))`` where ``canonical`` is the JSON object of the entry's
``seq``, ``at``, ``actor``, ``action``, ``entity``, ``entity_id`` and ``payload`` with sorted keys, no spaces
and UTF-8 text (docs/records.md shows how to recheck it in a few lines). The one row of ``chain_head`` holds
the last ``seq`` and ``hash``; every writer locks it first, so appends are serialised and the chain never forks.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from ..i18n import _
from .models import AuditEntry, AuditReport, Breakage
from .schema import audit_log, chain_head

GENESIS = "0" * 64
HASHED_FIELDS = ("seq", "at", "actor", "action", "entity", "entity_id", "payload")


def now() -> str:
    """The current time as stored: ISO-8601 UTC with microseconds."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical_json(value: Any) -> str:
    """JSON with sorted keys, no spaces, non-ASCII kept: one text per value."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def entry_hash(prev_hash: str, entry: dict[str, Any]) -> str:
    """``sha256(prev_hash + canonical(entry))`` over the hashed fields of ``entry``."""
    body = canonical_json({name: entry[name] for name in HASHED_FIELDS})
    return hashlib.sha256((prev_hash + body).encode("utf-8")).hexdigest()


def lock_head(conn: sa.Connection) -> tuple[int, str]:
    """Lock the chain head for this transaction (SQLite: the transaction is already BEGIN IMMEDIATE)."""
    row = conn.execute(
        sa.select(chain_head.c.seq, chain_head.c.hash).where(chain_head.c.id == 1).with_for_update()
    ).one()
    return int(row.seq), str(row.hash)


def append(
    conn: sa.Connection, actor: str, action: str, entity: str, entity_id: object, payload: dict[str, Any]
) -> AuditEntry:
    """Append one entry in the caller's transaction (which has locked the head with :func:`lock_head`)."""
    seq, prev = lock_head(conn)
    entry: dict[str, Any] = {
        "seq": seq + 1,
        "at": now(),
        "actor": actor,
        "action": action,
        "entity": entity,
        "entity_id": str(entity_id),
        # Through JSON and back: the payload hashed is exactly the one read back later.
        "payload": json.loads(canonical_json(payload)),
    }
    entry["prev_hash"] = prev
    entry["hash"] = entry_hash(prev, entry)
    conn.execute(audit_log.insert().values(**{**entry, "payload": canonical_json(entry["payload"])}))
    conn.execute(chain_head.update().where(chain_head.c.id == 1).values(seq=entry["seq"], hash=entry["hash"]))
    return AuditEntry(**entry)


def entries(conn: sa.Connection, after: int = 0, limit: int | None = None) -> Iterator[AuditEntry]:
    """The stored entries in ``seq`` order; a payload that is not JSON any more is shown as ``{"unreadable": text}``."""
    query = sa.select(audit_log).where(audit_log.c.seq > after).order_by(audit_log.c.seq)
    if limit is not None:
        query = query.limit(limit)
    for row in conn.execute(query):
        yield _entry(row)


def _entry(row: sa.Row[Any]) -> AuditEntry:
    try:
        payload = json.loads(row.payload)
        if not isinstance(payload, dict):
            payload = {"unreadable": row.payload}
    except ValueError:
        payload = {"unreadable": row.payload}
    values = {name: getattr(row, name) for name in (*HASHED_FIELDS, "prev_hash", "hash")}
    return AuditEntry(**{**values, "seq": int(row.seq), "payload": payload})


def verify(conn: sa.Connection) -> AuditReport:
    """Check every entry and the chain head; name the first broken entry and why."""
    head_seq, head_hash = (lambda r: (int(r.seq), str(r.hash)))(
        conn.execute(sa.select(chain_head.c.seq, chain_head.c.hash).where(chain_head.c.id == 1)).one()
    )
    rows = list(entries(conn))
    report = check_chain(rows, head_seq, head_hash)
    if not report.chain_ok:
        return report  # the rows cannot be checked against a log that is itself broken
    from .crosscheck import record_problems  # it reads the log through this module

    return report.model_copy(update={"records": tuple(record_problems(conn))})


def check_chain(rows: list[AuditEntry], head_seq: int, head_hash: str) -> AuditReport:
    """The verification itself, on entries already read (also used on an exported file)."""
    by_hash = {row.hash: row.seq for row in rows}
    prev, expected = GENESIS, 1
    report: dict[str, Any] = {"entries": len(rows), "head_seq": head_seq, "head_hash": head_hash}
    for row in rows:
        broken = _check_entry(row, prev, expected, head_seq, by_hash)
        if broken is not None:
            return AuditReport(**report, first_broken=broken[0], breakage=broken[1], detail=broken[2])
        prev, expected = row.hash, row.seq + 1
    if expected - 1 != head_seq or prev != head_hash:
        detail = _(
            "the chain head records entry {head} (hash {hash}) as the last, but the log ends at entry {last}: "
            "entries after {last} were deleted"
        ).format(head=head_seq, hash=head_hash[:12], last=expected - 1)
        return AuditReport(**report, first_broken=expected, breakage=Breakage.DELETED, detail=detail)
    return AuditReport(**report)


def _check_entry(
    row: AuditEntry, prev: str, expected: int, head_seq: int, by_hash: dict[str, int]
) -> tuple[int, Breakage, str] | None:
    if row.seq > head_seq:
        return (
            row.seq,
            Breakage.INSERTED,
            _(
                "entry {seq} is after the last entry the chain head records ({head}): it was added outside seimbang"
            ).format(seq=row.seq, head=head_seq),
        )
    if row.seq != expected:
        return (
            expected,
            Breakage.DELETED,
            _("entries {first} to {last} are missing").format(first=expected, last=row.seq - 1),
        )
    recomputed = entry_hash(row.prev_hash, row.model_dump())
    if recomputed == row.hash and row.prev_hash == prev:
        return None
    if recomputed == row.hash:
        return (
            row.seq,
            Breakage.INSERTED,
            _(
                "entry {seq} is consistent in itself but does not follow entry {previous}: it was put in the chain "
                "from outside"
            ).format(seq=row.seq, previous=row.seq - 1),
        )
    original = _original_seq(row, by_hash)
    if original is not None and original != row.seq:
        return (
            row.seq,
            Breakage.REORDERED,
            _("entry {seq} was written as entry {original}: the order of the log was changed").format(
                seq=row.seq, original=original
            ),
        )
    return (
        row.seq,
        Breakage.EDITED,
        _(
            "entry {seq} ({action} {entity} {entity_id}) does not match its hash: its content was changed after it was "
            "written"
        ).format(seq=row.seq, action=row.action, entity=row.entity, entity_id=row.entity_id),
    )


def _original_seq(row: AuditEntry, by_hash: dict[str, int]) -> int | None:
    """The position an entry was written at, when only its ``seq`` was changed (it then rehashes there)."""
    candidate = 1 if row.prev_hash == GENESIS else by_hash.get(row.prev_hash, -1) + 1
    if candidate > 0 and entry_hash(row.prev_hash, {**row.model_dump(), "seq": candidate}) == row.hash:
        return candidate
    return None


def export_lines(rows: Iterable[AuditEntry], report: AuditReport, generated_at: str) -> Iterator[str]:
    """The export: one JSON object per entry, then one summary line (``"summary": true``)."""
    for row in rows:
        yield canonical_json(row.model_dump()) + "\n"
    summary = {
        "summary": True,
        "generated_at": generated_at,
        "algorithm": "sha256(prev_hash + canonical_json(seq, at, actor, action, entity, entity_id, payload))",
        "genesis": GENESIS,
        **report.model_dump(mode="json"),
        "ok": report.ok,
    }
    yield canonical_json(summary) + "\n"
