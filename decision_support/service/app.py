"""The FastAPI application of ``seimbang serve``: routers under ``/api/v1``, problem details, the gatekeeper
(language, token, role) and the simulation job runner, started and stopped with the app."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from .. import api
from . import pages, problems
from .auth import Gatekeeper, permission_table
from .context import ServiceContext, open_context
from .jobs import JobRunner
from .routers import audit, participation, proposals, rules, screening, system
from .settings import ServiceSettings

PREFIX = "/api/v1"
DESCRIPTION = """Decision support for transfers (mutasi) of civil servants, over HTTP: screening, explanations,
plans, proposals with simulations as jobs, decisions with SK number and TMT, and the audit trail.
Send `Authorization: Bearer TOKEN` (made with `seimbang tokens create`); errors are RFC 9457 problem details in
the language of `Accept-Language` (Indonesian by default). Reference: docs/http-api.md."""


def create_app(settings: ServiceSettings | None = None, *, context: ServiceContext | None = None) -> FastAPI:
    """The app serving ``settings`` (opens the store and reads the dataset now, so a bad option fails at start)."""
    ctx = context or open_context(settings or ServiceSettings())
    runner = JobRunner(ctx, threads=ctx.settings.job_threads)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        runner.start()
        try:
            yield
        finally:
            runner.stop()

    app = FastAPI(
        title="seimbang",
        version=api.__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        openapi_url="/openapi.json",
        docs_url="/docs",
        redoc_url=None,
    )
    app.state.context = ctx
    app.state.jobs = runner
    for router in (
        system.router,
        rules.router,
        screening.router,
        proposals.router,
        participation.router,
        audit.router,
    ):
        app.include_router(router, prefix=PREFIX)
    app.include_router(pages.router)
    problems.install(app)
    app.add_middleware(Gatekeeper, store=ctx.store, table=permission_table(app))
    return app
