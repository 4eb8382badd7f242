"""What the records store takes and gives: frozen pydantic models, never ORM rows.

The HTTP service serialises these as they are (``model_dump(mode="json")``).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict


class Record(BaseModel):
    """Base of the records models: frozen, unknown keys rejected."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Role(StrEnum):
    POLICY_OFFICER = "policy_officer"
    PLANNER = "planner"
    APPROVER = "approver"
    VIEWER = "viewer"
    #: Bound to one NIP: sees only their own record.
    EMPLOYEE = "employee"


class Permission(StrEnum):
    READ = "read"
    READ_OWN = "read_own"
    MANAGE_RULES = "manage_rules"
    SCREEN = "screen"
    PLAN = "plan"
    SIMULATE = "simulate"
    DRAFT = "draft"
    DECIDE = "decide"
    AUDIT = "audit"


#: What each role may do; the HTTP service enforces it, the CLI (an operator on the server) is not bound by it.
PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.POLICY_OFFICER: frozenset({Permission.READ, Permission.MANAGE_RULES, Permission.SCREEN, Permission.AUDIT}),
    Role.PLANNER: frozenset(
        {Permission.READ, Permission.SCREEN, Permission.PLAN, Permission.SIMULATE, Permission.DRAFT}
    ),
    Role.APPROVER: frozenset({Permission.READ, Permission.DECIDE, Permission.AUDIT}),
    Role.VIEWER: frozenset({Permission.READ}),
    Role.EMPLOYEE: frozenset({Permission.READ_OWN}),
}


class TokenInfo(Record):
    """An API token as listed: never its secret."""

    id: str
    name: str
    role: Role
    nip: str | None = None
    created_at: str
    created_by: str
    revoked_at: str | None = None
    revoked_by: str | None = None

    @property
    def active(self) -> bool:
        return self.revoked_at is None


class Principal(Record):
    """Who is calling: the token's id, name, role and (for an employee) NIP."""

    token_id: str
    name: str
    role: Role
    nip: str | None = None

    @property
    def actor(self) -> str:
        """How the audit log names this caller."""
        return f"token:{self.token_id} ({self.name})"

    def may(self, permission: Permission) -> bool:
        return permission in PERMISSIONS[self.role]


class RuleFile(Record):
    """A stored rule file: a rule pack (with its id and version) or an election calendar."""

    id: int
    kind: Literal["pack", "calendar"]
    filename: str
    pack: str | None = None
    version: str | None = None
    sha256: str
    uploaded_at: str
    uploaded_by: str


class RuleFileText(RuleFile):
    text: str


class Activation(Record):
    """The rule files in force for screening from ``activated_at`` on (until the next activation)."""

    id: int
    files: tuple[RuleFile, ...]
    note: str
    activated_at: str
    activated_by: str


class Move(Record):
    """One transfer of a proposal."""

    nip: str
    origin: str
    target: str
    #: ``mutasi`` (a transfer to another post) or ``rotasi`` (within the same unit), as the planner states it.
    kind: str = "mutasi"
    note: str | None = None


class DatasetRef(Record):
    """Which data a proposal was drafted on: where it was read from and its content hash."""

    name: str
    location: str
    as_of: str
    sha256: str
    mapping: str | None = None


class PackRef(Record):
    """A rule pack a proposal was judged with."""

    pack: str
    version: str
    sha256: str


class MoveExplanation(Record):
    """The screening verdict of one move with every rule's result, as ``api.render_explanation`` JSON."""

    nip: str
    target: str
    verdict: str
    failed: tuple[str, ...] = ()
    explanation: dict[str, Any]


class ProposalContent(Record):
    """Everything a proposal says, kept in every version."""

    moves: tuple[Move, ...]
    dataset: DatasetRef
    packs: tuple[PackRef, ...]
    #: The rule files used (id and SHA-256 of each stored file), so replay can find the exact texts.
    rule_files: tuple[int, ...] = ()
    as_of: str
    engine: str = "durable"
    explanations: tuple[MoveExplanation, ...]
    notes: str = ""


class ProposalState(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    REJECTED = "rejected"


class Proposal(Record):
    id: int
    version: int
    state: ProposalState
    title: str
    content: ProposalContent
    created_at: str
    created_by: str
    updated_at: str
    updated_by: str


class ProposalVersion(Record):
    proposal_id: int
    version: int
    state: ProposalState
    title: str
    content: ProposalContent
    at: str
    actor: str


class Evidence(Record):
    """A simulation of a proposal version: the scenario run, its seed, replications, results and verdict."""

    id: int
    proposal_id: int
    proposal_version: int
    scenario_text: str
    scenario_sha256: str
    seed: int
    replications: int
    #: LAYAK, TIDAK LAYAK or TIDAK DAPAT DINILAI.
    verdict: str
    results: dict[str, Any]
    at: str
    actor: str


class Outcome(StrEnum):
    APPROVE = "approve"
    REJECT = "reject"


class Decision(Record):
    """What the review body (Tim Penilai Kinerja) decided: append-only; a correction is a new decision."""

    id: int
    proposal_id: int
    proposal_version: int
    outcome: Outcome
    reason: str
    sk_number: str | None = None
    tmt: str | None = None
    corrects: int | None = None
    #: Per NIP, why a move the active rules did not find eligible was approved anyway.
    overrides: dict[str, str] = {}
    at: str
    actor: str


class JobState(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    #: The server stopped while the job ran; its work is gone and it must be submitted again.
    LOST = "lost"


class Job(Record):
    id: str
    kind: str
    state: JobState
    request: dict[str, Any]
    actor: str
    done: int = 0
    total: int | None = None
    result: dict[str, Any] | None = None
    problem: str | None = None
    created_at: str
    started_at: str | None = None
    finished_at: str | None = None


class AuditEntry(Record):
    seq: int
    at: str
    actor: str
    action: str
    entity: str
    entity_id: str
    payload: dict[str, Any]
    prev_hash: str
    hash: str


class Breakage(StrEnum):
    EDITED = "edited"
    DELETED = "deleted"
    REORDERED = "reordered"
    INSERTED = "inserted"


class AuditReport(Record):
    """The result of checking the hash chain: intact, or the first broken entry and why."""

    entries: int
    head_seq: int
    head_hash: str
    first_broken: int | None = None
    breakage: Breakage | None = None
    detail: str | None = None
    #: Rows that no longer match what the audit trail recorded about them (a decision edited in SQL).
    records: tuple[str, ...] = ()

    @property
    def chain_ok(self) -> bool:
        return self.first_broken is None

    @property
    def ok(self) -> bool:
        return self.first_broken is None and not self.records


class DecisionInputs(Record):
    """A decision with everything it was taken on: what replay re-runs."""

    decision: Decision
    proposal: ProposalVersion
    evidence: Evidence | None
    rule_files: tuple[RuleFileText, ...] = ()
