"""The records commands: ``seimbang tokens``, ``seimbang audit`` and ``seimbang replay``.

They work on the records database named by ``--db`` (else ``$SEIMBANG_DB``, else
``seimbang-data/seimbang.db``). Changes made here are audited with the actor ``cli:<login name>``.
Exit codes: 0 ok, 1 a broken audit trail or a decision that does not replay the same, 2 invalid input.
"""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Any

import click

from . import api
from .cli_support import I18nGroup, option
from .i18n import N_, _
from .records import Proposal, Role, Store, open_store
from .records.models import AuditReport
from .records.replay import MoveReplay, ReplayReport, SimulationReplay, replay
from .records.workflow import MoveRequest, draft_proposal, moves_from_plan, simulate_proposal


def db_option(command: Any) -> Any:
    return option(
        "--db",
        "db",
        metavar="URL",
        default=None,
        help=N_(
            "Records database: a SQLAlchemy URL (sqlite:///file.db, postgresql+psycopg://..., mysql+pymysql://...) "
            "or a SQLite file. Default: $SEIMBANG_DB, else seimbang-data/seimbang.db."
        ),
    )(command)


def cli_actor() -> str:
    """Who changes records from the command line, as the audit trail names them."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unknown"
    return f"cli:{user}"


def store_at(db: str | None) -> Store:
    return open_store(db)


@click.group(
    "tokens",
    cls=I18nGroup,
    help=N_(
        "API tokens of the HTTP service: create one for a person or system with a role (policy_officer, planner, "
        "approver, viewer, or employee with an NIP), list them, revoke one. The secret is shown once at creation; "
        "only its SHA-256 is stored."
    ),
    short_help=N_("Create, list and revoke API tokens."),
)
def tokens_group() -> None:
    """The ``seimbang tokens`` group."""


@tokens_group.command("create", help=N_("Create a token for NAME and print its secret (shown only this once)."))
@click.argument("name")
@option("--role", type=click.Choice([r.value for r in Role]), required=True, help=N_("What the token may do."))
@option("--nip", default=None, help=N_("The employee's NIP (for --role employee only)."))
@db_option
def tokens_create(name: str, role: str, nip: str | None, db: str | None) -> None:
    with store_at(db) as store:
        info, secret = store.tokens.create(name, role, nip, actor=cli_actor())
    click.echo(
        _("Token {id} created for '{name}' with role {role}.").format(id=info.id, name=info.name, role=info.role.value),
        err=True,
    )
    click.echo(_("Secret (shown only now; keep it safe, it cannot be shown again):"), err=True)
    click.echo(secret)


@tokens_group.command("list", help=N_("List the tokens (never their secrets), revoked ones included."))
@db_option
def tokens_list(db: str | None) -> None:
    with store_at(db) as store:
        tokens = store.tokens.list()
    if not tokens:
        click.echo(_("No tokens yet. Create one with 'seimbang tokens create NAME --role ROLE'."))
        return
    header = (_("ID"), _("Name"), _("Role"), _("NIP"), _("Created"), _("Revoked"))
    rows = [
        (
            t.id,
            t.name,
            t.role.value,
            t.nip or "-",
            t.created_at[:19].replace("T", " "),
            (t.revoked_at or "-")[:19].replace("T", " "),
        )
        for t in tokens
    ]
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        click.echo("  ".join(str(cell).ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())


@tokens_group.command("revoke", help=N_("Revoke token ID: it authenticates nobody from now on."))
@click.argument("token_id", metavar="ID")
@db_option
def tokens_revoke(token_id: str, db: str | None) -> None:
    with store_at(db) as store:
        info = store.tokens.revoke(token_id, actor=cli_actor())
    click.echo(_("Token {id} ('{name}', {role}) revoked.").format(id=info.id, name=info.name, role=info.role.value))


@click.group(
    "audit",
    cls=I18nGroup,
    help=N_(
        "The audit trail of the records database: every change, chained by SHA-256 so that an edited, deleted, "
        "reordered or inserted entry is detected."
    ),
    short_help=N_("Verify and export the audit trail."),
)
def audit_group() -> None:
    """The ``seimbang audit`` group."""


def render_audit(report: AuditReport) -> str:
    if report.ok:
        return _("Audit trail intact: {n} entries, last hash {hash}.").format(n=report.entries, hash=report.head_hash)
    if report.chain_ok:
        head = _("The audit trail's chain is intact ({n} entries), but records differ from it:").format(
            n=report.entries
        )
        return "\n".join([head, *(f"  {line}" for line in report.records)])
    return _("Audit trail BROKEN at entry {seq} ({kind}): {detail}").format(
        seq=report.first_broken,
        kind=_(BREAKAGE_WORDS[report.breakage.value]) if report.breakage else "?",
        detail=report.detail,
    )


BREAKAGE_WORDS = {
    "edited": N_("edited"),
    "deleted": N_("deleted"),
    "reordered": N_("reordered"),
    "inserted": N_("inserted"),
}


@audit_group.command(
    "verify",
    help=N_("Recompute every hash of the audit trail. Exit code 0 when intact, 1 naming the first broken entry."),
)
@db_option
def audit_verify(db: str | None) -> None:
    with store_at(db) as store:
        report = store.audit.verify()
    click.echo(render_audit(report))
    raise click.exceptions.Exit(int(api.ExitCode.OK if report.ok else api.ExitCode.NEGATIVE_VERDICT))


@audit_group.command(
    "export",
    help=N_(
        "Write the audit trail for an inspector: one JSON object per entry, then a verification summary "
        "(JSON Lines; docs/records.md shows how to recheck it independently). Exit code 1 when the trail is broken."
    ),
)
@option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), required=True, help=N_("File to write."))
@db_option
def audit_export(output: Path, db: str | None) -> None:
    with store_at(db) as store:
        try:
            report = store.audit.export(output)
        except OSError as exc:
            raise api.OutputError(_("cannot write {path}: {reason}").format(path=output, reason=exc.strerror)) from None
    click.echo(_("Written: {path}").format(path=output), err=True)
    click.echo(render_audit(report))
    raise click.exceptions.Exit(int(api.ExitCode.OK if report.ok else api.ExitCode.NEGATIVE_VERDICT))


@click.command(
    "replay",
    cls=I18nGroup.command_class,
    help=N_(
        "Re-run the screening and the simulation of decision DECISION_ID from what was stored (dataset, rule "
        "pack texts, scenario, seed, replications) and compare with the stored verdicts. Exit code 0 when "
        "reproduced, 1 when something differs (each difference is named with its cause)."
    ),
    short_help=N_("Reproduce a recorded decision."),
)
@click.argument("decision_id", type=click.IntRange(1))
@option(
    "--workers",
    "-j",
    type=click.IntRange(1, 256),
    default=1,
    show_default=True,
    help=N_("Worker processes for the simulation."),
)
@db_option
def replay_command(decision_id: int, workers: int, db: str | None) -> None:
    with store_at(db) as store:
        report = replay(store, decision_id, workers=workers)
    click.echo(render_replay(report), nl=False)
    raise click.exceptions.Exit(int(api.ExitCode.OK if report.reproduced else api.ExitCode.NEGATIVE_VERDICT))


VERDICTS = {"eligible": N_("eligible"), "excluded": N_("excluded"), "unknown": N_("unknown")}
RULE_OUTCOMES = {"pass": N_("pass"), "fail": N_("FAIL"), "not_applicable": N_("n/a"), "unknown": N_("UNKNOWN")}
DECISIONS = {"approve": N_("approved"), "reject": N_("rejected")}
STATES = {"draft": N_("draft"), "submitted": N_("submitted"), "approved": N_("approved"), "rejected": N_("rejected")}


def word(words: dict[str, str], value: str | None) -> str:
    """A stored code in the user's language (codes not in ``words`` as they are)."""
    if value is None:
        return "-"
    return _(words[value]) if value in words else value


def render_replay(report: ReplayReport) -> str:
    lines = [
        _("Decision {id} ({outcome}) on proposal {proposal} version {version}").format(
            id=report.decision_id,
            outcome=word(DECISIONS, report.outcome),
            proposal=report.proposal_id,
            version=report.proposal_version,
        )
    ]
    lines += [_("Changed: {cause}").format(cause=c) for c in report.causes]
    lines += [_("Note: {note}").format(note=n) for n in report.notes]
    for move in report.moves:
        lines += _move_lines(move)
    lines += _simulation_lines(report.simulation)
    lines += [_("Cannot re-run: {problem}").format(problem=p) for p in report.problems]
    lines.append(
        _("Reproduced: the verdicts are the same.")
        if report.reproduced
        else _("NOT reproduced: see the differences above.")
    )
    return "\n".join(lines) + "\n"


def _move_lines(move: MoveReplay) -> list[str]:
    if move.same:
        verdict = word(VERDICTS, move.stored)
        return [_("  {nip} -> {target}: same ({verdict})").format(nip=move.nip, target=move.target, verdict=verdict)]
    head = _("  {nip} -> {target}: DIFFERS: recorded {stored}, now {replayed}").format(
        nip=move.nip, target=move.target, stored=word(VERDICTS, move.stored), replayed=word(VERDICTS, move.replayed)
    )
    return [head] + [
        _("      rule {rule}: {stored} -> {replayed}").format(
            rule=f.rule, stored=word(RULE_OUTCOMES, f.stored), replayed=word(RULE_OUTCOMES, f.replayed)
        )
        for f in move.flipped
    ]


def _simulation_lines(sim: SimulationReplay | None) -> list[str]:
    if sim is None:
        return [_("  simulation: none recorded with this decision")]
    if sim.same:
        return [_("  simulation: same ({verdict})").format(verdict=sim.stored)]
    head = _("  simulation: DIFFERS: recorded {stored}, now {replayed}").format(
        stored=sim.stored, replayed=sim.replayed or "-"
    )
    return [head] + [f"      {d}" for d in sim.differences]


# -- seimbang records: the decision workflow from the command line (the HTTP service is the main door) ----------


@click.group(
    "records",
    cls=I18nGroup,
    help=N_(
        "The decision workflow on the records database, for operators and scripts: activate rule packs, draft a "
        "proposal from moves or a plan file, simulate it with a scenario template, submit it, record the "
        "decision (SK number and TMT), list and show proposals. Every change is audited."
    ),
    short_help=N_("Draft, simulate and decide proposals."),
)
def records_group() -> None:
    """The ``seimbang records`` group."""


@records_group.command(
    "activate-rules",
    help=N_(
        "Store the rule files under PATHS (packs and calendar.yaml; rule tests are skipped) and make them the "
        "active rule set that screening and new proposals use."
    ),
)
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@option("--note", default="", help=N_("Why this set is activated (kept with the activation)."))
@db_option
def records_activate_rules(paths: tuple[Path, ...], note: str, db: str | None) -> None:
    files = rule_files(paths)
    with store_at(db) as store:
        ids = [store.rules.upload(f.name, f.read_text(encoding="utf-8"), actor=cli_actor()).id for f in files]
        activation = store.rules.activate(ids, actor=cli_actor(), note=note)
    for f in activation.files:
        label = f"{f.pack} {f.version}" if f.kind == "pack" else f.filename
        click.echo(f"  #{f.id}  {label}  {f.sha256[:12]}")
    click.echo(_("Rule set {id} is active.").format(id=activation.id))


def rule_files(paths: tuple[Path, ...]) -> list[Path]:
    """The rule packs and calendars under ``paths`` (folders searched recursively), without rule tests."""
    found: list[Path] = []
    for path in paths:
        candidates = sorted(p for p in path.rglob("*.y*ml") if p.is_file()) if path.is_dir() else [path]
        found += [p for p in candidates if not p.name.endswith((".test.yaml", ".test.yml"))]
    return found


@records_group.command(
    "draft",
    help=N_(
        "Draft a proposal titled TITLE on DATASET (a dataset folder) with the moves given by --move NIP=POSITION "
        "(repeatable) or --plan FILE (a plan file of 'seimbang plan'); every move is explained with the active "
        "rule set. Prints the proposal's id."
    ),
)
@click.argument("title")
@click.argument("dataset", type=click.Path(exists=True, file_okay=False, path_type=Path))
@option(
    "--move", "moves", multiple=True, metavar="NIP=POSITION", help=N_("A transfer: the NIP and the target position.")
)
@option(
    "--plan",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help=N_("Take the moves from this plan file."),
)
@db_option
def records_draft(title: str, dataset: Path, moves: tuple[str, ...], plan: Path | None, db: str | None) -> None:
    requests = parsed_moves(moves) + (moves_from_plan(plan) if plan is not None else [])
    with store_at(db) as store:
        proposal = draft_proposal(store, title, requests, dataset=str(dataset), actor=cli_actor())
    click.echo(render_proposal(proposal), nl=False)


def parsed_moves(moves: tuple[str, ...]) -> list[MoveRequest]:
    problems = []
    requests = []
    for i, text in enumerate(moves, start=1):
        nip, sep, target = text.partition("=")
        if not sep or not nip.strip() or not target.strip():
            message = _("expected NIP=POSITION, not '{value}'").format(value=text)
            problems.append(api.Problem(api.Location("--move"), message, field=str(i)))
            continue
        requests.append(MoveRequest(nip.strip(), target.strip()))
    if problems:
        raise api.InputError(problems)
    return requests


@records_group.command(
    "simulate",
    help=N_(
        "Simulate proposal PROPOSAL_ID with the scenario SCENARIO as a template (its proposal replaced by the "
        "proposal's moves, its dataset by the proposal's) and record the run as the proposal's evidence. Exit "
        "code 0 when LAYAK, 1 otherwise."
    ),
)
@click.argument("proposal_id", type=click.IntRange(1))
@click.argument("scenario", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@option(
    "--replications",
    "-r",
    type=click.IntRange(2, 10_000),
    default=None,
    help=N_("Number of replications (default: the scenario's replications)."),
)
@option(
    "--seed",
    type=click.IntRange(0, 2**63 - 1),
    default=None,
    help=N_("Master seed of the random streams (default: the scenario's seed)."),
)
@option(
    "--workers",
    "-j",
    type=click.IntRange(1, 256),
    default=1,
    show_default=True,
    help=N_("Worker processes for the simulation."),
)
@db_option
def records_simulate(
    proposal_id: int, scenario: Path, replications: int | None, seed: int | None, workers: int, db: str | None
) -> None:
    with store_at(db) as store:
        current = store.proposals.get(proposal_id)
        evidence = simulate_proposal(
            store,
            proposal_id,
            current.version,
            template=scenario.read_text(encoding="utf-8"),
            seed=seed,
            replications=replications,
            workers=workers,
            actor=cli_actor(),
        )
    click.echo(
        _("Proposal {id} version {version}: {verdict} ({replications} replications, seed {seed}).").format(
            id=proposal_id,
            version=evidence.proposal_version,
            verdict=evidence.verdict,
            replications=evidence.replications,
            seed=evidence.seed,
        )
    )
    raise click.exceptions.Exit(int(api.ExitCode.OK if evidence.verdict == "LAYAK" else api.ExitCode.NEGATIVE_VERDICT))


@records_group.command("submit", help=N_("Submit draft PROPOSAL_ID to the review body (it can no longer be edited)."))
@click.argument("proposal_id", type=click.IntRange(1))
@db_option
def records_submit(proposal_id: int, db: str | None) -> None:
    with store_at(db) as store:
        proposal = store.proposals.submit(proposal_id, store.proposals.get(proposal_id).version, actor=cli_actor())
    click.echo(render_proposal(proposal), nl=False)


@records_group.command(
    "decide",
    help=N_(
        "Record the review body's decision on submitted proposal PROPOSAL_ID: --approve with --sk and --tmt, or "
        "--reject; always with --reason. --corrects ID records a correction of the proposal's last decision."
    ),
)
@click.argument("proposal_id", type=click.IntRange(1))
@option("--approve/--reject", "approve", required=True, help=N_("Approve or reject the proposal."))
@option("--reason", required=True, help=N_("Why (kept with the decision)."))
@option("--sk", "sk_number", default=None, help=N_("Number of the SK that enacts an approval."))
@option("--tmt", default=None, help=N_("TMT of an approval: the date the transfers take effect (YYYY-MM-DD)."))
@option("--corrects", type=click.IntRange(1), default=None, help=N_("The decision this one corrects."))
@option(
    "--override",
    "overrides",
    multiple=True,
    metavar="NIP=REASON",
    help=N_(
        "Why a move the active rules did not find eligible is approved anyway; needed once per such move "
        "(repeat the option)."
    ),
)
@db_option
def records_decide(
    proposal_id: int,
    approve: bool,
    reason: str,
    sk_number: str | None,
    tmt: str | None,
    corrects: int | None,
    overrides: tuple[str, ...],
    db: str | None,
) -> None:
    reasons = override_reasons(overrides)
    with store_at(db) as store:
        decision = store.proposals.decide(
            proposal_id,
            store.proposals.get(proposal_id).version,
            actor=cli_actor(),
            outcome="approve" if approve else "reject",
            reason=reason,
            sk_number=sk_number,
            tmt=tmt,
            corrects=corrects,
            overrides=reasons,
        )
    click.echo(
        _("Decision {id} recorded: proposal {proposal} {outcome}.").format(
            id=decision.id, proposal=proposal_id, outcome=word(DECISIONS, decision.outcome.value)
        )
    )


def override_reasons(values: tuple[str, ...]) -> dict[str, str]:
    """``--override NIP=REASON`` options as a mapping; every malformed or repeated one is reported at once."""
    reasons: dict[str, str] = {}
    problems = []
    for value in values:
        nip, sep, reason = value.partition("=")
        nip = nip.strip()
        if not sep or not nip:
            message = _("expected NIP=REASON, not '{value}'").format(value=value)
        elif nip in reasons:
            message = _("NIP {nip} is given twice; give one reason per move").format(nip=nip)
        else:
            reasons[nip] = reason
            continue
        problems.append(api.Problem(api.Location("--override"), message))
    if problems:
        raise api.InputError(problems)
    return reasons


@records_group.command("list", help=N_("List the proposals with their state, version and latest simulation verdict."))
@db_option
def records_list(db: str | None) -> None:
    with store_at(db) as store:
        rows = [(p, store.proposals.latest_evidence(p.id)) for p in store.proposals.list()]
    if not rows:
        click.echo(_("No proposals yet."))
        return
    for proposal, evidence in rows:
        verdict = evidence.verdict if evidence else "-"
        click.echo(
            f"{proposal.id:>4}  {word(STATES, proposal.state.value):<9}  v{proposal.version:<3}  {verdict:<20}  {proposal.title}"
        )


@records_group.command(
    "show", help=N_("Show proposal PROPOSAL_ID: its moves with their verdicts, evidence and decisions.")
)
@click.argument("proposal_id", type=click.IntRange(1))
@db_option
def records_show(proposal_id: int, db: str | None) -> None:
    with store_at(db) as store:
        proposal = store.proposals.get(proposal_id)
        runs = store.proposals.evidence(proposal_id)
        decisions = store.proposals.decisions(proposal_id)
    lines = [render_proposal(proposal).rstrip("\n")]
    lines += [
        _("  simulation {id} on version {version}: {verdict} ({replications} replications, seed {seed})").format(
            id=e.id, version=e.proposal_version, verdict=e.verdict, replications=e.replications, seed=e.seed
        )
        for e in runs
    ]
    for d in decisions:
        sk = f", SK {d.sk_number}, TMT {d.tmt}" if d.sk_number else ""
        lines.append(
            _("  decision {id}: {outcome}{sk} ({actor}, {at}): {reason}").format(
                id=d.id,
                outcome=word(DECISIONS, d.outcome.value),
                sk=sk,
                actor=d.actor,
                at=d.at[:19].replace("T", " "),
                reason=d.reason,
            )
        )
        lines += [
            "    " + _("override for {nip}: {reason}").format(nip=nip, reason=why) for nip, why in d.overrides.items()
        ]
    click.echo("\n".join(lines))


def render_proposal(proposal: Proposal) -> str:
    content = proposal.content
    lines = [
        _("Proposal {id} '{title}': {state}, version {version}; dataset '{dataset}' ({sha}), rules {packs}").format(
            id=proposal.id,
            title=proposal.title,
            state=word(STATES, proposal.state.value),
            version=proposal.version,
            dataset=content.dataset.name,
            sha=content.dataset.sha256[:12],
            packs=", ".join(f"{p.pack} {p.version}" for p in content.packs),
        )
    ]
    for move, explanation in zip(content.moves, content.explanations, strict=True):
        failed = f" ({', '.join(explanation.failed)})" if explanation.failed else ""
        lines.append(f"  {move.nip}: {move.origin} -> {move.target}: {word(VERDICTS, explanation.verdict)}{failed}")
    return "\n".join(lines) + "\n"
