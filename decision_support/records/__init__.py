"""The records of transfer decisions: proposals, simulation evidence, decisions, rule packs, API tokens, jobs and
the hash-chained audit trail, in a SQL database (SQLite file by default; PostgreSQL or MariaDB by URL).

An outer layer: it uses the core only through :mod:`decision_support.api`, and nothing in the core imports it.
Reference: docs/records.md.
"""

from __future__ import annotations

import os
from pathlib import Path

from . import audit
from .errors import NotFound, RecordsError, StaleVersion, StoreUnavailable, WrongState
from .jobs import Jobs
from .models import (
    PERMISSIONS,
    Activation,
    AuditEntry,
    AuditReport,
    Breakage,
    DatasetRef,
    Decision,
    DecisionInputs,
    Evidence,
    Job,
    JobState,
    Move,
    MoveExplanation,
    Outcome,
    PackRef,
    Permission,
    Principal,
    Proposal,
    ProposalContent,
    ProposalState,
    ProposalVersion,
    Role,
    RuleFile,
    RuleFileText,
    TokenInfo,
)
from .participation import Participation, StoredParticipation
from .proposals import Proposals
from .rulepacks import RulePacks
from .store import DB_ENV_VAR, DEFAULT_PATH, Database, connect, redacted, resolve_url
from .tokens import Tokens


class AuditLog:
    """``store.audit``: read, verify and export the hash-chained log."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def entries(self, after: int = 0, limit: int | None = None) -> list[AuditEntry]:
        with self._db.read() as conn:
            return list(audit.entries(conn, after, limit))

    def verify(self) -> AuditReport:
        # Under the head lock: no writer can append between reading the head and reading the entries.
        with self._db.write() as conn:
            return audit.verify(conn)

    def export(self, path: str | os.PathLike[str]) -> AuditReport:
        """Write every entry and a verification summary as JSON Lines to ``path`` (docs/records.md)."""
        with self._db.write() as conn:
            rows = list(audit.entries(conn))
            report = audit.verify(conn)
        text = "".join(audit.export_lines(rows, report, audit.now()))
        Path(path).write_text(text, encoding="utf-8")
        return report


class Store:
    """The records store; its parts are ``tokens``, ``rules``, ``proposals``, ``jobs`` and ``audit``."""

    def __init__(self, db: Database, url: str) -> None:
        self.db = db
        self.url = url
        self.tokens = Tokens(db)
        self.rules = RulePacks(db)
        self.proposals = Proposals(db)
        self.jobs = Jobs(db)
        self.participation = Participation(db)
        self.audit = AuditLog(db)

    def inputs(self, decision_id: int) -> DecisionInputs:
        """A decision with everything it was taken on (for replay)."""
        return self.proposals.inputs(decision_id, self.rules)

    def close(self) -> None:
        self.db.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_store(url: str | os.PathLike[str] | None = None) -> Store:
    """The store at ``url`` (else ``$SEIMBANG_DB``, else ``seimbang-data/seimbang.db``), migrated to the newest
    schema. Raises :class:`StoreUnavailable` when the database cannot be reached."""
    resolved = resolve_url(url)
    return Store(connect(resolved), resolved)


__all__ = [
    "DB_ENV_VAR",
    "DEFAULT_PATH",
    "PERMISSIONS",
    "Activation",
    "AuditEntry",
    "AuditLog",
    "AuditReport",
    "Breakage",
    "DatasetRef",
    "Decision",
    "DecisionInputs",
    "Evidence",
    "Job",
    "JobState",
    "Move",
    "MoveExplanation",
    "NotFound",
    "Outcome",
    "PackRef",
    "Participation",
    "Permission",
    "Principal",
    "Proposal",
    "ProposalContent",
    "ProposalState",
    "ProposalVersion",
    "RecordsError",
    "Role",
    "RuleFile",
    "RuleFileText",
    "StaleVersion",
    "Store",
    "StoreUnavailable",
    "StoredParticipation",
    "TokenInfo",
    "WrongState",
    "open_store",
    "redacted",
    "resolve_url",
]
