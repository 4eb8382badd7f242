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
from .records import Role, Store, open_store
from .records.models import AuditReport
from .records.replay import MoveReplay, ReplayReport, SimulationReplay, replay


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
