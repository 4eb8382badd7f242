"""Proposals (planners draft and edit them), their simulation as a job, and decisions (approvers).

Every change names the version it is based on; a stale version is refused with 409 and changes nothing.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi import Path as FastAPIPath

from ... import api, records
from ...i18n import _
from ...records import workflow
from ..auth import guard, principal
from ..context import Ctx, ServiceContext
from ..jobs import scenario_template
from ..problems import responses
from ..schemas import (
    MAX_ID,
    DecisionRequest,
    JobAccepted,
    MoveIn,
    PathId,
    ProposalDraft,
    ProposalEdit,
    SimulationRequest,
    VersionRef,
)

router = APIRouter(tags=["proposals"])
READ = guard(records.Permission.READ)
DRAFT = guard(records.Permission.DRAFT)
CONFLICTS = responses(404, 409, 422)


def _moves(moves: list[MoveIn]) -> list[workflow.MoveRequest]:
    return [workflow.MoveRequest(m.nip, m.to, kind=m.kind, note=m.note) for m in moves]


def _options(ctx: ServiceContext, body: ProposalDraft) -> dict[str, Any]:
    return {"as_of": body.as_of, "engine": body.engine, "notes": body.notes, "mapping": ctx.settings.mapping}


@router.post("/proposals", response_model=records.Proposal, status_code=201, responses=responses(409, 422), **DRAFT)
def draft(body: ProposalDraft, request: Request, response: Response, ctx: Ctx) -> Any:
    """A new draft (version 1) on the served dataset, every move explained with the active rule set."""
    proposal = workflow.draft_proposal(
        ctx.store,
        body.title,
        _moves(body.moves),
        dataset=ctx.settings.dataset,
        actor=principal(request).actor,
        **_options(ctx, body),
    )
    response.headers["Location"] = f"{request.url.path}/{proposal.id}"
    return proposal


@router.get("/proposals", response_model=list[records.Proposal], responses=responses(422), **READ)
def list_proposals(ctx: Ctx, state: Annotated[records.ProposalState | None, Query()] = None) -> Any:
    """Every proposal (optionally in one state), oldest first."""
    return ctx.store.proposals.list(state)


@router.get("/proposals/{proposal_id}", response_model=records.Proposal, responses=responses(404, 422), **READ)
def get_proposal(proposal_id: PathId, ctx: Ctx) -> Any:
    return ctx.store.proposals.get(proposal_id)


@router.put("/proposals/{proposal_id}", response_model=records.Proposal, responses=CONFLICTS, **DRAFT)
def edit(proposal_id: PathId, body: ProposalEdit, request: Request, ctx: Ctx) -> Any:
    """A new version of a draft: another title, notes or moves, in one version. New moves are explained again
    with the active rule set; a change of title or notes keeps the explanations. 409 on a stale ``version``."""
    current = ctx.store.proposals.get(proposal_id)
    if current.version != body.version:  # refused before the moves are explained again
        raise records.StaleVersion("proposal", proposal_id, body.version, current.version)
    content = current.content
    if body.moves is not None:
        content = workflow.proposal_content(
            ctx.store,
            _moves(body.moves),
            dataset=content.dataset.location,
            mapping=content.dataset.mapping,
            engine=content.engine,
            notes=body.notes if body.notes is not None else content.notes,
        )
    elif body.notes is not None:
        content = content.model_copy(update={"notes": body.notes})
    changed = content if content is not current.content else None
    return ctx.store.proposals.update(
        proposal_id, body.version, actor=principal(request).actor, title=body.title, content=changed
    )


@router.post("/proposals/{proposal_id}/submit", response_model=records.Proposal, responses=CONFLICTS, **DRAFT)
def submit(proposal_id: PathId, body: VersionRef, request: Request, ctx: Ctx) -> Any:
    """Hand the draft to the review body; it can no longer be edited."""
    return ctx.store.proposals.submit(proposal_id, body.version, actor=principal(request).actor)


@router.get(
    "/proposals/{proposal_id}/versions",
    response_model=list[records.ProposalVersion],
    responses=responses(404, 422),
    **READ,
)
def versions(proposal_id: PathId, ctx: Ctx) -> Any:
    """Every version of the proposal, as it was."""
    ctx.store.proposals.get(proposal_id)
    return ctx.store.proposals.history(proposal_id)


@router.get(
    "/proposals/{proposal_id}/evidence", response_model=list[records.Evidence], responses=responses(404, 422), **READ
)
def evidence(proposal_id: PathId, ctx: Ctx) -> Any:
    """The simulations recorded for the proposal: scenario, seed, replications, results and verdict."""
    ctx.store.proposals.get(proposal_id)
    return ctx.store.proposals.evidence(proposal_id)


@router.post(
    "/proposals/{proposal_id}/simulations",
    response_model=JobAccepted,
    status_code=202,
    responses=CONFLICTS,
    **guard(records.Permission.SIMULATE),
)
def simulate(
    proposal_id: PathId,
    body: SimulationRequest,
    request: Request,
    response: Response,
    ctx: Ctx,
) -> Any:
    """Queue a simulation of the proposal version with a scenario template; poll the job for progress and result."""
    proposal = ctx.store.proposals.get(proposal_id)
    if proposal.version != body.version:
        raise records.StaleVersion("proposal", proposal_id, body.version, proposal.version)
    if (body.scenario is None) == (body.scenario_text is None):
        where = api.Location(_("request body"))
        raise api.InputError([api.Problem(where, _("give scenario or scenario_text (one of the two)"))])
    if body.scenario is not None:
        scenario_template(ctx, {"scenario": body.scenario})  # an unknown name is refused now, not in the job
    caller = principal(request)
    job = request.app.state.jobs.submit(
        {
            "proposal_id": proposal_id,
            "version": body.version,
            "scenario": body.scenario,
            "scenario_text": body.scenario_text,
            "replications": body.replications,
            "seed": body.seed,
            "language": api.current_language(),
            "actor": caller.actor,
        },
        actor=caller.actor,
    )
    href = str(request.url_for("get_job", job_id=job.id).path)
    response.headers["Location"] = href
    return JobAccepted(job=job, href=href)


@router.get("/jobs", response_model=list[records.Job], responses=responses(422), **READ)
def list_jobs(ctx: Ctx, state: Annotated[records.JobState | None, Query()] = None) -> Any:
    return ctx.store.jobs.list(state)


@router.get("/jobs/{job_id}", response_model=records.Job, responses=responses(404, 422), **READ)
def get_job(job_id: Annotated[str, FastAPIPath(max_length=100)], ctx: Ctx) -> Any:
    """A job: queued, running (with replications done of total), done (with its result), failed or lost."""
    return ctx.store.jobs.get(job_id)


@router.post(
    "/proposals/{proposal_id}/decisions",
    response_model=records.Decision,
    status_code=201,
    responses=CONFLICTS,
    **guard(records.Permission.DECIDE),
)
def decide(proposal_id: PathId, body: DecisionRequest, request: Request, ctx: Ctx) -> Any:
    """The review body's decision on a submitted proposal: approve (with SK number and TMT) or reject."""
    return record_decision(ctx, proposal_id, body, principal(request).actor)


def record_decision(ctx: ServiceContext, proposal_id: int, body: DecisionRequest, actor: str) -> records.Decision:
    """The one path that records a decision, for the API and the review page alike."""
    return ctx.store.proposals.decide(
        proposal_id,
        body.version,
        actor=actor,
        outcome=body.outcome,
        reason=body.reason,
        sk_number=body.sk_number,
        tmt=body.tmt,
        corrects=body.corrects,
        overrides=body.overrides,
    )


@router.get("/decisions", response_model=list[records.Decision], responses=responses(422), **READ)
def list_decisions(ctx: Ctx, proposal_id: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None) -> Any:
    return ctx.store.proposals.decisions(proposal_id)


@router.get("/decisions/{decision_id}", response_model=records.Decision, responses=responses(404, 422), **READ)
def get_decision(decision_id: PathId, ctx: Ctx) -> Any:
    return ctx.store.proposals.decision(decision_id)
