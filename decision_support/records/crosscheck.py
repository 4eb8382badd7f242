"""Check the records against the audit trail: each audited fact (a decision's outcome, reason, SK number and
TMT; a proposal version's content hash; a simulation's scenario and results hashes; a rule file's hash; a
token's role) must still be what the rows say. The chain protects the log; this protects the rows it describes.
"""

from __future__ import annotations

import hashlib
import json
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
    checks = (_decisions, _proposal_versions, _simulations, _rule_files, _tokens)
    return [problem for check in checks for problem in check(conn, audited) if problem is not None]


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


def _judge(
    what: str, key: object, entry: AuditEntry | None, row: dict[str, Any], more: list[str] | None = None
) -> str | None:
    """The problem with one row against the audit entry that recorded it (``row``: the audited fields as the row
    holds them now; ``more``: further fields found changed), or None when they agree."""
    if entry is None:
        return _unaudited(what, key)
    changed = [name for name, value in row.items() if entry.payload.get(name) != value] + (more or [])
    return _changed(what, key, changed) if changed else None


def _decisions(conn: sa.Connection, audited: dict[tuple[str, str], list[AuditEntry]]) -> list[str | None]:
    fields = ("proposal_id", "proposal_version", "outcome", "reason", "sk_number", "tmt", "corrects")
    return [
        _judge(
            entity_name("decision"),
            row.id,
            _first(audited, "decision", row.id, "decision.create"),
            {k: row._mapping[k] for k in fields} | _overrides(row.overrides),
        )
        for row in conn.execute(sa.select(decisions).order_by(decisions.c.id))
    ]


def _overrides(text: str | None) -> dict[str, Any]:
    """A decision's override reasons as the payload holds them (None: overrode nothing, the key is absent)."""
    try:
        return {"overrides": json.loads(text) if text else None}
    except ValueError:  # edited into something that is not JSON: differs from any audited value
        return {"overrides": text}


def _proposal_versions(conn: sa.Connection, audited: dict[tuple[str, str], list[AuditEntry]]) -> list[str | None]:
    problems = []
    for row in conn.execute(
        sa.select(proposal_versions).order_by(proposal_versions.c.proposal_id, proposal_versions.c.version)
    ):
        entry = next(
            (e for e in audited.get(("proposal", str(row.proposal_id)), []) if e.payload.get("version") == row.version),
            None,
        )
        try:
            digest = content_hash(ProposalContent.model_validate_json(row.content))
        except ValueError:
            digest = None
        current = {"state": row.state, "title": row.title, "content_sha256": digest}
        key = f"{row.proposal_id}/{row.version}"
        problems.append(_judge(entity_name("proposal version"), key, entry, current))
    return problems


def _simulations(conn: sa.Connection, audited: dict[tuple[str, str], list[AuditEntry]]) -> list[str | None]:
    problems = []
    for row in conn.execute(sa.select(simulations).order_by(simulations.c.id)):
        current = {
            "proposal_id": row.proposal_id,
            "proposal_version": row.proposal_version,
            "scenario_sha256": _sha(row.scenario_text),
            "seed": int(row.seed),
            "replications": row.replications,
            "verdict": row.verdict,
            "results_sha256": _sha(row.results),
        }
        entry = _first(audited, "simulation", row.id, "proposal.evidence")
        problems.append(_judge(_("simulation"), row.id, entry, current))
    return problems


def _rule_files(conn: sa.Connection, audited: dict[tuple[str, str], list[AuditEntry]]) -> list[str | None]:
    return [
        _judge(
            entity_name("rule file"),
            row.id,
            _first(audited, "rule_file", row.id, "rules.upload"),
            {"kind": row.kind, "pack": row.pack, "version": row.version, "sha256": _sha(row.text)},
        )
        for row in conn.execute(sa.select(rule_files).order_by(rule_files.c.id))
    ]


def _tokens(conn: sa.Connection, audited: dict[tuple[str, str], list[AuditEntry]]) -> list[str | None]:
    problems = []
    for row in conn.execute(sa.select(tokens).order_by(tokens.c.id)):
        revoked = _first(audited, "token", row.id, "token.revoke") is not None
        more = ["revoked_at"] if revoked != (row.revoked_at is not None) else []
        entry = _first(audited, "token", row.id, "token.create")
        problems.append(_judge(entity_name("token"), row.id, entry, {"role": row.role, "nip": row.nip}, more))
    return problems
