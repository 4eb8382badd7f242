"""The plan file (YAML): ``moves:`` usable directly as a scenario's proposal, and ``plan:`` with the details."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

import yaml

from ..i18n import _, ngettext
from .plan import Plan

SCHEMA = "seimbang-plan/1"


def _note(move: Any) -> str:
    """What the move is, and for a move between local governments its legal path (PP 11/2017 Pasal 192)."""
    path = getattr(move, "legal_path", None)
    return _kind_note(move) + ("; " + path if path else "")


def _kind_note(move: Any) -> str:
    if move.voluntary:
        return _("wish {rank}, {stage} stage, score {score:g}").format(
            rank=move.wish_rank, stage=move.stage, score=move.score
        )
    note = _("not requested, balance stage, score {score:g}").format(score=move.score)
    if move.against_objection:
        note += "; " + _("AGAINST THE EMPLOYEE'S STATED OBJECTION")
    return note


def plan_document(plan: Plan) -> dict[str, Any]:
    """The plan as plain data, in the order written to the file."""
    return {
        "moves": [{"nip": mv.nip, "to": mv.to, "note": _note(mv)} for mv in plan.moves],
        "plan": {
            "schema": SCHEMA,
            "options": asdict(plan.options),
            "provenance": plan.provenance,
            "metrics": plan.metrics,
            "mechanisms": plan.mechanisms,
            "details": [asdict(mv) for mv in plan.moves],
        },
    }


def render_yaml(plan: Plan) -> str:
    """The plan file's text."""
    header = _("# Transfer plan made by 'seimbang plan'; 'moves' can be used as a scenario's proposal.") + "\n"
    return header + yaml.safe_dump(plan_document(plan), sort_keys=False, allow_unicode=True, width=120)


def _solver_line(op: dict[str, Any]) -> str:
    if op["gap"] is None:
        return _("Solver: {solver} ({status}, optimality not proven), balance stage {seconds:g} s").format(
            solver=op["solver"], status=op["status"], seconds=op["balance_seconds"]
        )
    return _("Solver: {solver} ({status}, gap {gap:g}), balance stage {seconds:g} s").format(
        solver=op["solver"], status=op["status"], gap=op["gap"], seconds=op["balance_seconds"]
    )


def render_summary(plan: Plan) -> str:
    """A short terminal summary of the plan and its metrics."""
    t = plan.metrics["transfers"]
    before, after = plan.metrics["imbalance_before"], plan.metrics["imbalance_after"]
    w, f, op = plan.metrics["wishes"], plan.metrics["fairness"], plan.metrics["operational"]
    lines = [
        _("Transfers: {total} ({voluntary} voluntary, {forced} forced)").format(**t),
        _("Applicants satisfied: {satisfied} of {applicants}").format(**w),
        _("Imbalance (sum of squares): {before} -> {after}").format(
            before=before["sum_of_squares"], after=after["sum_of_squares"]
        ),
        _("Positions outside the band: {before} -> {after}").format(
            before=before["outside_band"], after=after["outside_band"]
        ),
        _("Justified envy: {envy}; blocking pairs: {blocking}; IR violations of voluntary moves: {ir}").format(
            envy=f["justified_envy"], blocking=f["blocking_pairs"], ir=f["ir_violations_voluntary"]
        ),
        _solver_line(op),
    ]
    against = t.get("against_objection", 0)
    if against:
        lines.append(
            ngettext(
                "{n} move goes against the employee's stated objection (see 'seimbang participation summary')",
                "{n} moves go against the employees' stated objections (see 'seimbang participation summary')",
                against,
            ).format(n=against)
        )
    for name, row in plan.mechanisms.items():
        line = _("{mechanism}: {movers} movers, justified envy {envy}").format(
            mechanism=name.upper().replace("_STAR", "*"), movers=row["movers"], envy=row["justified_envy"]
        )
        below, above = row.get("below_minimum", 0), row.get("above_cap", 0)
        if below or above:
            where = ngettext("{n} position", "{n} positions", below).format(n=below)
            line += "; " + _("not a feasible plan: {below} below minimum staffing, {above} above the quota cap").format(
                below=where, above=above
            )
        lines.append(line)
    lines += _undecided_lines(plan.metrics.get("undecided") or [])
    return "\n".join(lines) + "\n"


def _undecided_lines(undecided: list[dict[str, Any]], shown: int = 5) -> list[str]:
    """Moves the rules could not decide are left out of the plan: say so, and why (most frequent first)."""
    if not undecided:
        return []
    lines = [_("Left out because a rule could not decide them (never planned without a decision):")]
    for row in undecided[:shown]:
        why = f"{row['rule']}: {row['reason']}" if row["reason"] else row["rule"]
        lines.append(
            "  " + ngettext("{n} move: {why}", "{n} moves: {why}", row["moves"]).format(n=row["moves"], why=why)
        )
    if len(undecided) > shown:
        more = _("... and {n} other reasons (see plan.metrics.undecided in the plan file)")
        lines.append("  " + more.format(n=len(undecided) - shown))
    return lines
