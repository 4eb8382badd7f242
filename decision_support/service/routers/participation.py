"""Employees' participation over HTTP: an employee reads and replaces their own views (wishes, objections,
hopes); planners, approvers and the other readers read anyone's; the consultation summary of a proposal.

An employee token is bound to one NIP: another NIP is refused with 403, whatever the route's permission.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from pydantic import Field

from ... import api, records
from ...i18n import _
from ..auth import AUTHENTICATED, guard, principal
from ..context import Ctx, ServiceContext
from ..problems import problem_response, responses
from ..schemas import Body, PathId

router = APIRouter(tags=["participation"])
NipPath = Annotated[str, Path(min_length=18, max_length=18, pattern=r"^\d{18}$")]


class ParticipationSubmission(Body):
    #: The version this submission replaces: 0 for the first one; a stale one is refused with 409.
    version: int = Field(ge=0, le=1_000_000)
    views: list[dict[str, Any]] = Field(max_length=50, description="Wishes, objections and hopes (StatedView).")


class ParticipationView(Body):
    """An employee's record: what the dataset's survey holds and what they submitted over HTTP."""

    nip: str
    survey: list[dict[str, Any]]
    submitted: records.StoredParticipation | None
    history: list[records.StoredParticipation]


def _may_see(caller: records.Principal, nip: str) -> bool:
    if caller.role is records.Role.EMPLOYEE:
        return caller.nip == nip
    return caller.may(records.Permission.READ)


def _refused(request: Request, nip: str) -> Any:
    detail = _("An employee token sees only its own record, not NIP {nip}.").format(nip=nip)
    return problem_response(request, 403, detail)


def _record(ctx: ServiceContext, nip: str) -> ParticipationView:
    survey = api.participation_of(ctx.dataset, nip)  # InputError (422) for an NIP not in the dataset
    history = ctx.store.participation.history(nip)
    views = [v.model_dump(mode="json", exclude_none=True) for v in survey.views]
    return ParticipationView(nip=nip, survey=views, submitted=history[-1] if history else None, history=history)


@router.get("/participation/{nip}", response_model=ParticipationView, responses=responses(422), **guard(AUTHENTICATED))
def read(nip: NipPath, request: Request, ctx: Ctx) -> Any:
    """An employee's record (their own only, for the employee role)."""
    if not _may_see(principal(request), nip):
        return _refused(request, nip)
    return _record(ctx, nip)


@router.put(
    "/participation/{nip}", response_model=ParticipationView, responses=responses(409, 422), **guard(AUTHENTICATED)
)
def submit(nip: NipPath, body: ParticipationSubmission, request: Request, ctx: Ctx) -> Any:
    """Replace the employee's submitted views with a new version (employees only, their own record)."""
    caller = principal(request)
    if caller.role is not records.Role.EMPLOYEE or caller.nip != nip:
        detail = _("Only the employee {nip} submits their own views.").format(nip=nip)
        return problem_response(request, 403, detail)
    api.participation_of(ctx.dataset, nip)
    views = api.stated_views(nip, body.views)
    ctx.store.participation.submit(nip, list(views), expected_version=body.version, actor=caller.actor)
    return _record(ctx, nip)


@router.get(
    "/proposals/{proposal_id}/consultation",
    responses=responses(404, 422),
    **guard(records.Permission.READ),
)
def consultation(proposal_id: PathId, ctx: Ctx) -> Any:
    """How the proposal's moves treat the views each moved employee stated (docs/participation.md)."""
    proposal = ctx.store.proposals.get(proposal_id)
    summary = consultation_of(ctx, proposal)
    return summary.model_dump(mode="json")


def consultation_of(ctx: ServiceContext, proposal: records.Proposal) -> api.ConsultationSummary:
    """The consultation summary of a stored proposal, on the dataset's survey rows plus the views employees
    submitted over HTTP (a submitted record replaces that employee's survey rows)."""
    dataset = with_submitted_views(ctx)
    pairs = [(m.nip, m.target) for m in proposal.content.moves]
    return api.consultation_summary(dataset, pairs, proposal=proposal.title)


def with_submitted_views(ctx: ServiceContext) -> api.Dataset:
    """The served dataset with each submitted record in place of that employee's survey rows (their
    participation and preference rows): what they said last is what counts."""
    submitted = {r.nip: r for r in ctx.store.participation.all_current()}
    if not submitted:
        return ctx.dataset
    employees = tuple(
        e.model_copy(update={"participation": api.stated_views(e.nip, list(submitted[e.nip].views)), "preferences": ()})
        if e.nip in submitted
        else e
        for e in ctx.dataset.employees
    )
    return ctx.dataset.model_copy(update={"employees": employees})
