"""Request and response bodies of the HTTP API that the records and core models do not already define.

Responses reuse the records models (``records.Proposal``, ``records.Decision``, ``records.Job``...) as they are;
requests are frozen pydantic models that reject unknown fields, like every model of seimbang.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import Path
from pydantic import BaseModel, ConfigDict, Field

from .. import records

#: Record ids and versions fit a 32-bit signed column on every database.
MAX_ID = 2_147_483_647
RecordId = Annotated[int, Field(ge=1, le=MAX_ID)]
#: A record id in a URL path.
PathId = Annotated[int, Path(ge=1, le=MAX_ID)]
NIP = Field(min_length=18, max_length=18, pattern=r"^[0-9]{18}$", description="The 18-digit NIP.")


class Body(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Health(Body):
    status: Literal["ok"]
    version: str
    database: str
    dataset: str
    dataset_as_of: str
    rules_active: bool


class RuleUpload(Body):
    filename: str = Field(min_length=1, max_length=200, description="e.g. sawahlunto.yaml or calendar.yaml")
    text: str = Field(min_length=1, max_length=2_000_000, description="The YAML text of the rule pack.")


class RuleCheckRequest(Body):
    files: list[RuleUpload] = Field(min_length=1, max_length=50)


class RuleCheck(Body):
    """A rule set that loaded: the packs, rules and the summary as ``seimbang rules check`` prints it."""

    packs: list[dict[str, str]]
    rules: int
    summary: str


class Activate(Body):
    file_ids: list[RecordId] = Field(min_length=1, max_length=100)
    note: str = Field(default="", max_length=2000)


class ScreeningRequest(Body):
    positions: list[str] | None = Field(
        default=None, max_length=200, description="Position ids; null screens every under-staffed position."
    )
    top: int = Field(default=10, ge=1, le=1000)
    show_excluded: bool = False
    as_of: date | None = None
    engine: Literal["durable", "reference"] = "durable"


class MovePair(Body):
    nip: str = NIP
    to: str = Field(min_length=1, max_length=200)


class ExplainRequest(Body):
    nip: str = NIP
    to: str = Field(min_length=1, max_length=200, description="Id of the target position.")
    others: list[MovePair] = Field(
        default=[], max_length=200, description="Other moves of the same proposal (quotas are judged together)."
    )
    as_of: date | None = None
    engine: Literal["durable", "reference"] = "durable"


class PlanRequest(Body):
    mode: Literal["voluntary", "balance", "both"] = "both"
    band: float = Field(default=10.0, ge=0, lt=100)
    max_moves: int | None = Field(default=None, ge=0, le=10_000)
    lam: int = Field(default=100, ge=0, le=1_000_000)
    as_of: date | None = None
    engine: Literal["durable", "reference"] = "durable"


class MoveIn(Body):
    nip: str = NIP
    to: str = Field(min_length=1, max_length=200, description="Id of the target position.")
    kind: Literal["mutasi", "rotasi"] = "mutasi"
    note: str | None = Field(default=None, max_length=2000)


class ProposalDraft(Body):
    title: str = Field(min_length=1, max_length=200)
    moves: list[MoveIn] = Field(min_length=1, max_length=500)
    notes: str = Field(default="", max_length=10_000)
    as_of: date | None = None
    engine: Literal["durable", "reference"] = "durable"


class ProposalEdit(Body):
    version: int = Field(ge=1, le=MAX_ID, description="The version the edit is based on; a stale one is refused (409).")
    title: str | None = Field(default=None, min_length=1, max_length=200)
    moves: list[MoveIn] | None = Field(default=None, min_length=1, max_length=500)
    notes: str | None = Field(default=None, max_length=10_000)


class VersionRef(Body):
    version: int = Field(
        ge=1, le=MAX_ID, description="The version the request is based on; a stale one is refused (409)."
    )


class SimulationRequest(Body):
    version: int = Field(ge=1, le=MAX_ID, description="The proposal version to simulate.")
    scenario: str | None = Field(
        default=None, max_length=200, description="Name of a scenario template of the service (GET /scenarios)."
    )
    scenario_text: str | None = Field(
        default=None, max_length=1_000_000, description="A scenario template as YAML, instead of a name."
    )
    replications: int | None = Field(default=None, ge=2, le=1000)
    seed: int | None = Field(default=None, ge=0, lt=2**63)


class DecisionRequest(Body):
    version: int = Field(ge=1, le=MAX_ID, description="The proposal version decided on; a stale one is refused (409).")
    outcome: records.Outcome
    reason: str = Field(min_length=1, max_length=10_000)
    sk_number: str | None = Field(default=None, max_length=100, description="Number of the SK (needed to approve).")
    tmt: date | None = Field(default=None, description="Date the transfer takes effect (needed to approve).")
    corrects: int | None = Field(default=None, ge=1, le=MAX_ID, description="Id of the decision this one corrects.")
    overrides: dict[Annotated[str, Field(max_length=18)], Annotated[str, Field(max_length=10_000)]] = Field(
        default_factory=dict,
        max_length=10_000,
        description="Per NIP, why a move the active rules did not find eligible (excluded or undecided) is "
        "approved anyway; an approval needs one for each such move.",
    )


class Scenario(Body):
    name: str
    title: str


class JobAccepted(Body):
    job: records.Job
    #: Where to poll the job.
    href: str


JSONObject = dict[str, Any]
