"""Stateless questions on the served dataset with the active rules: who could fill a post, why not this person,
what would a balanced plan look like. The answers are the JSON the CLI writes with ``--format json``."""

from __future__ import annotations

import json
from typing import Any

import yaml
from fastapi import APIRouter

from ... import api, records
from ..auth import guard
from ..context import Ctx
from ..jobs import available_scenarios
from ..problems import responses
from ..schemas import ExplainRequest, JSONObject, PlanRequest, Scenario, ScreeningRequest

router = APIRouter(tags=["screening"])
SCREEN = guard(records.Permission.SCREEN)


@router.post("/screening", response_model=JSONObject, responses=responses(409, 422), **SCREEN)
def screening(body: ScreeningRequest, ctx: Ctx) -> Any:
    """Who could fill these posts: eligible candidates ranked with their reasons (``seimbang screen``)."""
    ruleset, ids = ctx.active_rules()
    report = api.screen_needs(
        ctx.dataset,
        ctx.workload,
        ruleset,
        positions=body.positions,
        as_of=body.as_of,
        engine=body.engine,
        explain_top=body.top,
        explain_excluded=body.show_excluded,
        workers=1,
    )
    return ctx.name_stored_files(json.loads(api.render_screening(report, "json", body.top, body.show_excluded)), ids)


@router.post("/explain", response_model=JSONObject, responses=responses(409, 422), **SCREEN)
def explain(body: ExplainRequest, ctx: Ctx) -> Any:
    """Why (not) this person for this post: every rule with the values read, threshold, reason and legal basis."""
    ruleset, ids = ctx.active_rules()
    explanation = api.explain_move(
        ctx.dataset,
        ctx.workload,
        ruleset,
        body.nip,
        body.to,
        as_of=body.as_of,
        engine=body.engine,
        others=[(m.nip, m.to) for m in body.others],
    )
    return ctx.name_stored_files(json.loads(api.render_explanation(explanation, "json")), ids)


@router.post("/plans", response_model=JSONObject, responses=responses(409, 422), **guard(records.Permission.PLAN))
def plan(body: PlanRequest, ctx: Ctx) -> Any:
    """A balanced transfer plan with every move checked by the rules (the plan file of ``seimbang plan``)."""
    options = api.PlanOptions(
        mode=body.mode, band=body.band, max_moves=body.max_moves, lam=body.lam, engine=body.engine
    )
    ruleset, ids = ctx.active_rules()
    result = api.make_plan(ctx.dataset, ctx.workload, ruleset, options, as_of=body.as_of)
    return ctx.name_stored_files(yaml.safe_load(api.render_plan(result)), ids)


@router.get("/scenarios", response_model=list[Scenario], **guard(records.Permission.READ))
def scenarios(ctx: Ctx) -> list[Scenario]:
    """The scenario templates a simulation can name (their moves are replaced by the proposal's)."""
    found = []
    for name in available_scenarios(ctx):
        data = yaml.safe_load((ctx.settings.scenarios / f"{name}.yaml").read_text(encoding="utf-8"))
        found.append(Scenario(name=name, title=str(data.get("name", name)) if isinstance(data, dict) else name))
    return found
