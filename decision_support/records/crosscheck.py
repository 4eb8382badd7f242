"""Check the records against the audit trail: each audited fact (a decision's outcome, reason, SK number and
TMT; a proposal version's content hash; a simulation's scenario and results hashes; a rule file's hash; a
token's role) must still be what the rows say. The chain protects the log; this protects the rows it describes.
"""

from __future__ import annotations

import hashlib
from typing import Any

import sqlalchemy as sa

from ..i18n import _
from .audit import entries
from .errors import entity_name
from .models import AuditEntry, ProposalContent
from .proposals import content_hash
from .schema import decisions, proposal_versions, rule_files, simulations, tokens


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def record_problems(conn: sa.Connection) -> list[str]:
    """Every row that no longer matches what the audit trail recorded about it (or that it never recorded)."""
    audited: dict[tuple[str, str], list[AuditEntry]] = {}
    for entry in entries(conn):
        audited.setdefault((entry.entity, entry.entity_id), []).append(entry)
    problems: list[str] = []
    problems += _decisions(conn, audited)
    problems += _proposal_versions(conn, audited)
    problems += _simulations(conn, audited)
    problems += _rule_files(conn, audited)
    problems += _tokens(conn, audited)
    return problems


def _first(
    audited: dict[tuple[str, str], list[AuditEntry]], entity: str, key: object, action: str
) -> AuditEntry | None:
    return next((e for e in audited.get((entity, str(key)), []) if e.action == action), None)


def _unaudited(what: str, key: object) -> str:
    return _("{what} {key} is not in the audit trail: it was written outside seimbang").format(what=what, key=key)


def _changed(what: str, key: object, fields: list[str]) -> str:
    return _("{what} {key} differs from the audit trail in {fields}: it was changed after it was recorded").format(
        what=what, key=key, fields=", ".join(fields)
    )


def _compare(recorded: dict[str, Any], row: dict[str, Any]) -> list[str]:
    return [name for name, value in recorded.items() if row.get(name) != value]


def _decisions(conn: sa.Connection, audited: dict[tuple[str, str], list[AuditEntry]]) -> list[str]:
    problems = []
    for row in conn.execute(sa.select(decisions).order_by(decisions.c.id)):
        entry = _first(audited, "decision", row.id, "decision.create")
        if entry is None:
            problems.append(_unaudited(entity_name("decision"), row.id))
            continue
        fields = ("proposal_id", "proposal_version", "outcome", "reason", "sk_number", "tmt", "corrects")
        changed = _compare({k: entry.payload.get(k) for k in fields}, dict(row._mapping))
        if changed:
            problems.append(_changed(entity_name("decision"), row.id, changed))
    return problems


def _proposal_versions(conn: sa.Connection, audited: dict[tuple[str, str], list[AuditEntry]]) -> list[str]:
    problems = []
    for row in conn.execute(
        sa.select(proposal_versions).order_by(proposal_versions.c.proposal_id, proposal_versions.c.version)
    ):
        key = f"{row.proposal_id}/{row.version}"
        entry = next(
            (e for e in audited.get(("proposal", str(row.proposal_id)), []) if e.payload.get("version") == row.version),
            None,
        )
        if entry is None:
            problems.append(_unaudited(entity_name("proposal version"), key))
            continue
        try:
            digest = content_hash(ProposalContent.model_validate_json(row.content))
        except ValueError:
            digest = None
        current = {"state": row.state, "title": row.title, "content_sha256": digest}
        changed = _compare({k: entry.payload.get(k) for k in current}, current)
        if changed:
            problems.append(_changed(entity_name("proposal version"), key, changed))
    return problems


def _simulations(conn: sa.Connection, audited: dict[tuple[str, str], list[AuditEntry]]) -> list[str]:
    problems = []
    for row in conn.execute(sa.select(simulations).order_by(simulations.c.id)):
        entry = _first(audited, "simulation", row.id, "proposal.evidence")
        if entry is None:
            problems.append(_unaudited(_("simulation"), row.id))
            continue
        current = {
            "proposal_id": row.proposal_id,
            "proposal_version": row.proposal_version,
            "scenario_sha256": _sha(row.scenario_text),
            "seed": int(row.seed),
            "replications": row.replications,
            "verdict": row.verdict,
            "results_sha256": _sha(row.results),
        }
        changed = _compare({k: entry.payload.get(k) for k in current}, current)
        if changed:
            problems.append(_changed(_("simulation"), row.id, changed))
    return problems


def _rule_files(conn: sa.Connection, audited: dict[tuple[str, str], list[AuditEntry]]) -> list[str]:
    problems = []
    for row in conn.execute(sa.select(rule_files).order_by(rule_files.c.id)):
        entry = _first(audited, "rule_file", row.id, "rules.upload")
        if entry is None:
            problems.append(_unaudited(entity_name("rule file"), row.id))
            continue
        current = {"kind": row.kind, "pack": row.pack, "version": row.version, "sha256": _sha(row.text)}
        changed = _compare({k: entry.payload.get(k) for k in current}, current)
        if changed:
            problems.append(_changed(entity_name("rule file"), row.id, changed))
    return problems


def _tokens(conn: sa.Connection, audited: dict[tuple[str, str], list[AuditEntry]]) -> list[str]:
    problems = []
    for row in conn.execute(sa.select(tokens).order_by(tokens.c.id)):
        entry = _first(audited, "token", row.id, "token.create")
        if entry is None:
            problems.append(_unaudited(entity_name("token"), row.id))
            continue
        changed = _compare({k: entry.payload.get(k) for k in ("role", "nip")}, {"role": row.role, "nip": row.nip})
        revoked = _first(audited, "token", row.id, "token.revoke") is not None
        if revoked != (row.revoked_at is not None):
            changed.append("revoked_at")
        if changed:
            problems.append(_changed(entity_name("token"), row.id, changed))
    return problems
