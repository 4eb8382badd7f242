"""Health, version and who-am-I."""

from __future__ import annotations

from fastapi import APIRouter, Request

from ... import api, records
from ..auth import AUTHENTICATED, PUBLIC, guard, principal
from ..context import Ctx
from ..schemas import Health

router = APIRouter(tags=["system"])


@router.get("/health", response_model=Health, **guard(PUBLIC))
def health(ctx: Ctx) -> Health:
    """Whether the service runs, on which database (without its password) and dataset."""
    return Health(
        status="ok",
        version=api.__version__,
        database=records.redacted(ctx.store.url),
        dataset=ctx.dataset_ref.name,
        dataset_as_of=ctx.dataset_ref.as_of,
        rules_active=ctx.store.rules.active() is not None,
    )


@router.get("/version", response_model=dict[str, str], **guard(PUBLIC))
def version() -> dict[str, str]:
    return {"version": api.__version__}


@router.get("/me", response_model=records.Principal, **guard(AUTHENTICATED))
def me(request: Request) -> records.Principal:
    """The caller's token: its id, name and role (any valid token)."""
    return principal(request)
