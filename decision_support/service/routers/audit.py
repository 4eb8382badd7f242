"""The audit trail: its entries and the verification of its hash chain (approvers, policy officers)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query

from ... import records
from ..auth import guard
from ..context import Ctx
from ..problems import responses
from ..schemas import MAX_ID

router = APIRouter(prefix="/audit", tags=["audit"])
AUDIT = guard(records.Permission.AUDIT)


@router.get("", response_model=list[records.AuditEntry], responses=responses(422), **AUDIT)
def entries(
    ctx: Ctx,
    after: Annotated[int, Query(ge=0, le=MAX_ID, description="Entries after this sequence number.")] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> Any:
    return ctx.store.audit.entries(after, limit)


@router.get("/verify", response_model=records.AuditReport, **AUDIT)
def verify(ctx: Ctx) -> Any:
    """Check the hash chain and the records against it: intact, or the first broken entry and why."""
    return ctx.store.audit.verify()
