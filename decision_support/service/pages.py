"""The review page of ``seimbang serve``: the meeting itself, server-rendered HTML (no scripts, no remote assets).

Login takes an API token and keeps it in an HttpOnly, SameSite=Strict session cookie (Secure over HTTPS); the
gatekeeper accepts that cookie where no ``Authorization`` header is sent, so the per-route permissions are the
same for pages and API. Every form that changes something carries a CSRF token derived from the session (an
HMAC), checked before anything is written. Decisions go through :func:`routers.proposals.record_decision`, the
API's own path.
"""

from __future__ import annotations

import hashlib
import hmac
from html import escape
from typing import Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from .. import api, records
from ..i18n import _
from .auth import AUTHENTICATED, LANGUAGE_COOKIE, PUBLIC, SESSION_COOKIE, guard, principal
from .context import Ctx, ServiceContext
from .routers.participation import consultation_of
from .routers.proposals import record_decision
from .schemas import DecisionRequest

router = APIRouter(tags=["pages"], default_response_class=HTMLResponse)
STYLE = """body{font-family:sans-serif;margin:1.5rem;max-width:70rem}table{border-collapse:collapse;margin:.5rem 0}
td,th{border:1px solid #999;padding:.2rem .5rem;text-align:left}.problem{color:#a00;font-weight:bold}
.verdict-LAYAK{color:#060}form.decide{border:1px solid #ccc;padding:.5rem;margin:.5rem 0}label{display:block}"""


def csrf_token(session: str) -> str:
    """The CSRF token of a session: only a page served to that session's holder can know it."""
    return hmac.new(session.encode("utf-8"), b"seimbang-csrf", hashlib.sha256).hexdigest()


def _page(title: str, body: str, status: int = 200) -> HTMLResponse:
    lang = api.current_language()
    switch = '<a href="?lang=id">Bahasa Indonesia</a> | <a href="?lang=en">English</a>'
    html = (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{escape(title)}</title>'
        f"<style>{STYLE}</style></head><body><nav>{switch}</nav><h1>{escape(title)}</h1>{body}</body></html>"
    )
    return HTMLResponse(html, status_code=status)


async def _form(request: Request) -> dict[str, str]:
    body = (await request.body()).decode("utf-8", errors="replace")
    return {k: v[0] for k, v in parse_qs(body, keep_blank_values=True).items()}


def _language_switch(request: Request, response: Response) -> None:
    chosen = request.query_params.get("lang")
    if chosen in api.LANGUAGES:
        response.set_cookie(LANGUAGE_COOKIE, chosen, httponly=True, samesite="strict", path="/")


def _login_form(problem: str = "") -> str:
    shown = f'<p class="problem" role="alert">{escape(problem)}</p>' if problem else ""
    token_label, log_in = _("API token"), _("Log in")
    return (
        f'{shown}<form method="post" action="/login"><label>{escape(token_label)} '
        f'<input type="password" name="token" id="token" autocomplete="off" required></label>'
        f'<button type="submit" id="login">{escape(log_in)}</button></form>'
    )


@router.get("/login", **guard(PUBLIC))
def login_page(request: Request) -> Any:
    """The login form: paste the API token made with 'seimbang tokens create'."""
    response = _page(_("Log in to the review meeting"), _login_form())
    _language_switch(request, response)
    return response


@router.post("/login", **guard(PUBLIC))
async def login(request: Request, ctx: Ctx) -> Any:
    """Check the token and keep it in the session cookie; an unknown token shows the form again (401)."""
    secret = (await _form(request)).get("token", "").strip()
    if not secret:
        problem = _("Paste the API token made with 'seimbang tokens create'.")
        return _page(_("Log in to the review meeting"), _login_form(problem), status=422)
    caller = ctx.store.tokens.authenticate(secret)
    if caller is None:
        problem = _("The API token is unknown or was revoked.")
        return _page(_("Log in to the review meeting"), _login_form(problem), status=401)
    response = RedirectResponse("/review", status_code=303)
    secure = request.url.scheme == "https"
    response.set_cookie(SESSION_COOKIE, secret, httponly=True, samesite="strict", secure=secure, path="/")
    return response


@router.post("/logout", **guard(AUTHENTICATED))
async def logout(request: Request) -> Any:
    refused = _csrf_refusal(request, await _form(request))
    if refused is not None:
        return refused
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


def _csrf_refusal(request: Request, form: dict[str, str]) -> HTMLResponse | None:
    """None when the form carries the session's CSRF token; else the refusal: 422 without the field (not a
    form of this page), 403 with a wrong one. Checked before anything is written."""
    if "csrf" not in form:
        problem = _("The form has no CSRF token; send it from the review page.")
        return _page(_("Review meeting"), f'<p class="problem" role="alert">{escape(problem)}</p>', status=422)
    session = request.cookies.get(SESSION_COOKIE, "")
    if not session or not hmac.compare_digest(form["csrf"], csrf_token(session)):
        problem = _("The form is not from this session (CSRF check failed); reload the page.")
        return _page(_("Review meeting"), f'<p class="problem" role="alert">{escape(problem)}</p>', status=403)
    return None


@router.get("/review", **guard(AUTHENTICATED))
def review_page(request: Request, ctx: Ctx) -> Any:
    """The meeting page: what the caller's role may see, with approve/reject forms for the approver."""
    response = _page(_("Review meeting"), _review_body(request, ctx, {}))
    _language_switch(request, response)
    return response


@router.post("/review/proposals/{proposal_id}/decision", **guard(records.Permission.DECIDE))
async def decide_page(proposal_id: int, request: Request, ctx: Ctx) -> Any:
    """Approve or reject a submitted proposal from the page; a problem is shown beside the form (422)."""
    form = await _form(request)
    refused = _csrf_refusal(request, form)
    if refused is not None:
        return refused
    try:
        # The records layer validates outcome, reason, SK number and TMT (every problem, translated).
        body = DecisionRequest.model_construct(**_decision_fields(form))
        record_decision(ctx, proposal_id, body, principal(request).actor)
    except api.InputError as exc:
        return _with_problems(request, ctx, proposal_id, [p.render() for p in exc.problems])
    except records.RecordsError as exc:
        return _with_problems(request, ctx, proposal_id, [str(exc)])
    return RedirectResponse("/review", status_code=303)


def _decision_fields(form: dict[str, str]) -> dict[str, Any]:
    version = form.get("version", "").strip()
    if not version.isdigit():
        where = api.Location(_("form"))
        raise api.InputError([api.Problem(where, _("the proposal version is missing; reload the page"))])
    fields: dict[str, Any] = {k: form.get(k, "").strip() for k in ("outcome", "reason")}
    fields.update(version=int(version), corrects=None)
    for optional in ("sk_number", "tmt"):
        fields[optional] = form.get(optional, "").strip() or None
    prefix = "override-"
    fields["overrides"] = {k[len(prefix) :]: v.strip() for k, v in form.items() if k.startswith(prefix) and v.strip()}
    return fields


def _with_problems(request: Request, ctx: ServiceContext, proposal_id: int, problems: list[str]) -> Any:
    return _page(_("Review meeting"), _review_body(request, ctx, {proposal_id: problems}), status=422)


def _review_body(request: Request, ctx: ServiceContext, problems: dict[int, list[str]]) -> str:
    caller = principal(request)
    session = request.cookies.get(SESSION_COOKIE, "")
    who = _("Logged in as {name} (role {role}).").format(name=caller.name, role=caller.role.value)
    log_out = _("Log out")
    logout = (
        f'<form method="post" action="/logout"><input type="hidden" name="csrf" value="{csrf_token(session)}">'
        f'<button type="submit">{escape(log_out)}</button></form>'
    )
    head = f'<p id="who">{escape(who)}</p>{logout}'
    if caller.role is records.Role.EMPLOYEE:
        return head + _employee_section(ctx, caller)
    proposals = [p for p in ctx.store.proposals.list() if p.state is not records.ProposalState.DRAFT]
    decide = caller.may(records.Permission.DECIDE)
    parts = [head, _needs_section(ctx), '<h2 id="moves">' + escape(_("Proposed moves")) + "</h2>"]
    if not proposals:
        parts.append("<p>" + escape(_("No proposal has been submitted for review yet.")) + "</p>")
    for proposal in proposals:
        form = _decision_form(proposal, session, problems.get(proposal.id, [])) if decide else ""
        parts.append(_proposal_section(ctx, proposal) + form)
    return "".join(parts)


def _needs_section(ctx: ServiceContext) -> str:
    """The units short of staff, largest shortage first, as a table and a bar chart (inline SVG)."""
    short = sorted((u for u in ctx.workload.units if u.gap < 0), key=lambda u: (u.gap, u.unit))[:15]
    title = "<h2 id='needs'>" + escape(_("Staffing needs (ABK)")) + "</h2>"
    if not short:
        return title + "<p>" + escape(_("No unit is short of staff.")) + "</p>"
    header = "".join(f"<th>{escape(h)}</th>" for h in (_("Unit"), _("Required"), _("Holders"), _("Shortage")))
    rows = "".join(
        f"<tr><td>{escape(u.unit_name)}</td><td>{u.required}</td><td>{u.holders}</td><td>{-u.gap}</td></tr>"
        for u in short
    )
    return f"{title}{_bar_chart(short)}<table><tr>{header}</tr>{rows}</table>"


def _bar_chart(units: list[Any]) -> str:
    widest = max(-u.gap for u in units)
    bars = "".join(
        f'<text x="0" y="{i * 20 + 14}" font-size="12">{escape(u.unit[:28])}</text>'
        f'<rect x="200" y="{i * 20 + 3}" width="{300 * -u.gap / widest:.1f}" height="14" fill="#c44"/>'
        f'<text x="{205 + 300 * -u.gap / widest:.1f}" y="{i * 20 + 14}" font-size="12">{-u.gap}</text>'
        for i, u in enumerate(units)
    )
    label = escape(_("Shortage of staff per unit"))
    return f'<svg role="img" aria-label="{label}" width="560" height="{len(units) * 20 + 6}">{bars}</svg>'


def _proposal_section(ctx: ServiceContext, proposal: records.Proposal) -> str:
    state = _("state: {state}, version {version}").format(state=proposal.state.value, version=proposal.version)
    head = f'<h3 id="proposal-{proposal.id}">#{proposal.id} {escape(proposal.title)} ({escape(state)})</h3>'
    verdicts = {(e.nip, e.target): e for e in proposal.content.explanations}
    columns = (_("NIP"), _("From"), _("To"), _("Rule verdict"), _("Rules failed"))
    header = "".join(f"<th>{escape(h)}</th>" for h in columns)
    rows = "".join(_move_row(m, verdicts.get((m.nip, m.target))) for m in proposal.content.moves)
    decisions = "".join(
        "<p class='decision'>"
        + escape(
            _("Decision {id}: {outcome} by {actor}; SK {sk}, TMT {tmt}; reason: {reason}").format(
                id=d.id,
                outcome=d.outcome.value,
                actor=d.actor,
                sk=d.sk_number or "-",
                tmt=d.tmt or "-",
                reason=d.reason,
            )
        )
        + "".join(
            "<br>" + escape(_("Override for {nip}: {reason}").format(nip=nip, reason=why))
            for nip, why in d.overrides.items()
        )
        + "</p>"
        for d in ctx.store.proposals.decisions(proposal.id)
    )
    evidence = _evidence_line(ctx, proposal)
    return f"{head}<table><tr>{header}</tr>{rows}</table>{evidence}{_participation_section(ctx, proposal)}{decisions}"


def _evidence_line(ctx: ServiceContext, proposal: records.Proposal) -> str:
    """The last simulation of exactly these moves (a run on an earlier, different draft does not count)."""
    same = [
        e
        for e in ctx.store.proposals.evidence(proposal.id)
        if ctx.store.proposals.version(proposal.id, e.proposal_version).content == proposal.content
    ]
    if not same:
        text = _(
            "No simulation of these moves is on record: their effect on the service queues has not been projected."
        )
        return f"<p class='evidence none'>{escape(text)}</p>"
    last = same[-1]
    text = _("Simulation of these moves: {verdict} ({replications} replications, seed {seed}; evidence {id}).").format(
        verdict=last.verdict, replications=last.replications, seed=last.seed, id=last.id
    )
    return f"<p class='evidence verdict-{escape(last.verdict.replace(' ', '-'))}'>{escape(text)}</p>"


def _move_row(move: records.Move, explanation: records.MoveExplanation | None) -> str:
    verdict = explanation.verdict if explanation else _("not explained")
    failed = ", ".join(explanation.failed) if explanation and explanation.failed else "-"
    cells = (move.nip, move.origin, move.target)
    shown = "".join(f"<td>{escape(c)}</td>" for c in cells)
    return f'<tr>{shown}<td class="verdict-{escape(verdict)}">{escape(verdict)}</td><td>{escape(failed)}</td></tr>'


def _participation_section(ctx: ServiceContext, proposal: records.Proposal) -> str:
    """How the moves treat the views the employees stated (survey rows and views submitted over HTTP)."""
    try:
        summary = consultation_of(ctx, proposal)
    except api.InputError as exc:
        return "<p class='problem'>" + escape("; ".join(p.render() for p in exc.problems)) + "</p>"
    counts = ", ".join(f"{escape(k)}: {v}" for k, v in summary.counts().items())
    title = escape(_("Participation: how the moves treat the employees' stated views"))
    return f"<h4>{title}</h4><p class='participation'>{counts}</p>"


def _decision_form(proposal: records.Proposal, session: str, problems: list[str]) -> str:
    if proposal.state is not records.ProposalState.SUBMITTED:
        return ""
    shown = "".join(f'<p class="problem" role="alert">{escape(p)}</p>' for p in problems)
    reason, sk_number, tmt = _("Reason"), _("SK number (to approve)"), _("TMT (to approve, YYYY-MM-DD)")
    approve, reject = _("Approve"), _("Reject")
    fields = (
        f'<input type="hidden" name="csrf" value="{csrf_token(session)}">'
        f'<input type="hidden" name="version" value="{proposal.version}">'
        f'<label>{escape(reason)} <textarea name="reason" required></textarea></label>'
        f'<label>{escape(sk_number)} <input name="sk_number"></label>'
        f'<label>{escape(tmt)} <input name="tmt"></label>'
        f"{_override_fields(proposal)}"
        f'<button type="submit" name="outcome" value="approve">{escape(approve)}</button> '
        f'<button type="submit" name="outcome" value="reject">{escape(reject)}</button>'
    )
    action = f"/review/proposals/{proposal.id}/decision"
    return f'<form class="decide" id="decide-{proposal.id}" method="post" action="{action}">{shown}{fields}</form>'


def _override_fields(proposal: records.Proposal) -> str:
    """A reason field for each move the rules did not find eligible: approving it needs one."""
    fields = []
    for e in proposal.content.explanations:
        if e.verdict == "eligible":
            continue
        label = _("Reason for approving {nip} to {target} although the rules did not find it eligible").format(
            nip=e.nip, target=e.target
        )
        fields.append(f'<label>{escape(label)} <textarea name="override-{escape(e.nip)}"></textarea></label>')
    return "".join(fields)


def _employee_section(ctx: ServiceContext, caller: records.Principal) -> str:
    """An employee's own record and the moves that concern them, nothing about anyone else."""
    assert caller.nip is not None
    try:
        record = api.participation_of(ctx.dataset, caller.nip)
        own = "<pre id='own-record'>" + escape(api.render_participation_record(record)) + "</pre>"
    except api.InputError as exc:
        own = "<p class='problem'>" + escape("; ".join(p.render() for p in exc.problems)) + "</p>"
    moves = [
        (p, m)
        for p in ctx.store.proposals.list()
        if p.state is not records.ProposalState.DRAFT
        for m in p.content.moves
        if m.nip == caller.nip
    ]
    rows = "".join(
        f"<tr><td>#{p.id} {escape(p.title)}</td><td>{escape(p.state.value)}</td><td>{escape(m.origin)}</td>"
        f"<td>{escape(m.target)}</td></tr>"
        for p, m in moves
    )
    header = "".join(f"<th>{escape(h)}</th>" for h in (_("Proposal"), _("State"), _("From"), _("To")))
    table = (
        f"<table id='own-moves'><tr>{header}</tr>{rows}</table>"
        if moves
        else "<p>" + escape(_("No proposed move concerns you.")) + "</p>"
    )
    return (
        "<h2>"
        + escape(_("Your participation record"))
        + "</h2>"
        + own
        + "<h2>"
        + escape(_("Proposed moves concerning you"))
        + "</h2>"
        + table
    )
