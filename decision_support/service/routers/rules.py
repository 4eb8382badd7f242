"""Rule packs: policy officers upload, check and activate them; every role reads them."""

from __future__ import annotations

import dataclasses
import tempfile
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from ... import api, records
from ...i18n import _
from ..auth import guard, principal
from ..context import Ctx
from ..problems import responses
from ..schemas import Activate, PathId, RuleCheck, RuleCheckRequest, RuleUpload

router = APIRouter(prefix="/rules", tags=["rules"])
READ = guard(records.Permission.READ)
MANAGE = guard(records.Permission.MANAGE_RULES)


@router.get("/files", response_model=list[records.RuleFile], **READ)
def list_files(ctx: Ctx) -> list[records.RuleFile]:
    """Every stored rule file (pack versions and calendars), oldest first."""
    return ctx.store.rules.list()


@router.get("/files/{file_id}", response_model=records.RuleFileText, responses=responses(404, 422), **READ)
def get_file(file_id: PathId, ctx: Ctx) -> records.RuleFileText:
    """A stored rule file with its YAML text."""
    return ctx.store.rules.get(file_id)


@router.post("/files", response_model=records.RuleFile, status_code=201, responses=responses(409, 422), **MANAGE)
def upload(body: RuleUpload, request: Request, ctx: Ctx) -> records.RuleFile | JSONResponse:
    """Store a rule pack (or ``calendar.yaml``) after checking it; the same text again returns the stored file."""
    return ctx.store.rules.upload(body.filename, body.text, actor=principal(request).actor)


@router.post("/check", response_model=RuleCheck, responses=responses(422), **MANAGE)
def check(body: RuleCheckRequest) -> RuleCheck:
    """Check rule files together without storing them: every problem at its file, line and column."""
    with tempfile.TemporaryDirectory(prefix="seimbang-rules-") as folder:
        names = []
        for file in body.files:
            name = Path(file.filename).name
            if not name.endswith((".yaml", ".yml")) or name in names:
                where = api.Location(name or "?")
                message = _("expected distinct file names ending in .yaml")
                raise api.InputError([api.Problem(where, message, field="filename")])
            names.append(name)
            (Path(folder) / name).write_text(file.text, encoding="utf-8")
        try:
            ruleset = api.check_rules([Path(folder)])
        except api.InputError as exc:
            raise api.InputError([_relocated(p, folder) for p in exc.problems], exc.consequences) from None
        summary = api.render_rule_check(ruleset).replace(folder + "/", "")
    packs = [{"pack": p.pack.pack, "version": str(p.pack.version)} for p in ruleset.packs]
    return RuleCheck(packs=packs, rules=sum(len(p.pack.rules) for p in ruleset.packs), summary=summary)


def _relocated(problem: api.Problem, folder: str) -> api.Problem:
    """The problem at the uploaded file's name, not at the temporary folder it was checked in."""
    path = problem.location.path
    for prefix in (folder + "/", str(Path(folder).resolve()) + "/"):
        path = path.replace(prefix, "")
    return dataclasses.replace(problem, location=dataclasses.replace(problem.location, path=path))


@router.get("/active", response_model=records.Activation | None, **READ)
def active(ctx: Ctx) -> records.Activation | None:
    """The rule files screening, explanations, plans and proposals use now (null when none was activated)."""
    return ctx.store.rules.active()


@router.post(
    "/activate", response_model=records.Activation, status_code=201, responses=responses(404, 409, 422), **MANAGE
)
def activate(body: Activate, request: Request, ctx: Ctx) -> records.Activation:
    """Make these stored files the active rule set (checked together first)."""
    return ctx.store.rules.activate(body.file_ids, actor=principal(request).actor, note=body.note)
