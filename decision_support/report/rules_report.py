"""Render rule checks, rule tests, explanations, screenings and rule diffs for people and machines."""

from __future__ import annotations

from typing import Any

from ..i18n import N_, _, ngettext
from ..rules.loading import RuleSet
from ..rules.outcomes import Outcome, RuleResult, show
from ..rules.screening import Candidate
from ..rules.service import Explanation, Provenance, RuleDiff, ScreeningReport
from ..rules.testing import TestReport
from .formatting import number, shorten, text_table, to_csv, to_json

_OUTCOME = {
    Outcome.PASS: N_("pass"),
    Outcome.FAIL: N_("FAIL"),
    Outcome.NOT_APPLICABLE: N_("n/a"),
    Outcome.UNKNOWN: N_("UNKNOWN"),
}
_VERDICT = {"eligible": N_("eligible"), "excluded": N_("excluded"), "unknown": N_("unknown")}


def outcome_label(outcome: Outcome) -> str:
    return _(_OUTCOME[outcome])


def verdict_label(verdict: str) -> str:
    return _(_VERDICT[verdict])


def provenance_lines(p: Provenance) -> list[str]:
    packs = ", ".join(f"{r.pack} {r.version} (sha256 {r.sha256[:12]})" for r in p.packs)
    return [_("Rules in force on {day}: {packs}; engine: {engine}.").format(day=p.as_of, packs=packs, engine=p.engine)]


# -- check and test ----------------------------------------------------------------------------


def _scope_note(local_governments: list[str] | None) -> str:
    """The local governments a pack is scoped to ("" for a pack that applies everywhere)."""
    if not local_governments:
        return ""
    return "; " + _("only for local governments {ids}").format(ids=", ".join(local_governments))


def render_check(ruleset: RuleSet) -> str:
    lines = []
    for loaded in ruleset.packs:
        pack = loaded.pack
        until = pack.effective_until.isoformat() if pack.effective_until else _("open-ended")
        rules = ngettext("{n} rule", "{n} rules", len(pack.rules)).format(n=len(pack.rules))
        lines.append(
            _("{path}: pack {pack} {version}, {rules}, in force {start} to {until}").format(
                path=loaded.path,
                pack=pack.pack,
                version=pack.version,
                rules=rules,
                start=pack.effective_from.isoformat(),
                until=until,
            )
            + _scope_note(pack.local_governments)
        )
    for calendar in ruleset.calendars:
        if calendar.local_government is not None:
            lines.append(
                _("{path}: election calendar of local government {id}").format(
                    path=calendar.path, id=calendar.local_government
                )
            )
    tests = sum(len(t.tests) for t in ruleset.tests)
    lines.append(
        ngettext(
            "All rule files are valid ({tests} test found).", "All rule files are valid ({tests} tests found).", tests
        ).format(tests=tests)
    )
    return "\n".join(lines) + "\n"


def render_tests(report: TestReport, fmt: str) -> str:
    if fmt == "json":
        return to_json(
            {
                "results": report.results,
                "coverage": report.coverage,
                "uncovered": report.uncovered(),
                "rules": {r: sorted(o.value for o in report.seen.get(r, set())) for r in report.kinds},
            }
        )
    lines = []
    for result in report.results:
        mark = _("ok") if result.passed else _("FAILED")
        lines.append(f"{mark:7} {result.location}  {result.name}")
        lines += [f"        - {d}" for d in result.differences]
    rows = []
    for rule_id, kind in report.kinds.items():
        seen = ", ".join(sorted(outcome_label(o) for o in report.seen.get(rule_id, set()))) or "-"
        rows.append([rule_id, kind.value, seen, _("yes") if report.covered(rule_id) else _("NO")])
    lines += ["", text_table([_("Rule"), _("Kind"), _("Outcomes seen"), _("Covered")], rows)]
    passed = len(report.results) - len(report.failed)
    lines.append("")
    lines.append(
        _("{passed} of {total} tests passed; rule coverage {coverage}%.").format(
            passed=passed, total=len(report.results), coverage=number(report.coverage * 100, 0)
        )
    )
    return "\n".join(lines) + "\n"


# -- explain -----------------------------------------------------------------------------------


def _values(result: RuleResult) -> str:
    return "; ".join(f"{name} = {show(value)}" for name, value in result.values.items()) or "-"


def render_explanation(explanation: Explanation, fmt: str) -> str:
    if fmt == "json":
        return to_json(explanation)
    decision = explanation.decision
    if fmt == "csv":
        return to_csv([_result_row(r) for r in decision.results])
    lines = [
        _("Employee {nip} ({name}), now {origin}, considered for {target}").format(
            nip=explanation.nip, name=explanation.name, origin=explanation.origin, target=explanation.target
        ),
        *provenance_lines(explanation.provenance),
        *_proposal_lines(explanation),
        *_legal_path_lines(explanation),
        "",
    ]
    for result in decision.results:
        basis = result.legal_basis + (" " + _("[legal basis not confirmed]") if result.unconfirmed else "")
        lines.append(f"[{outcome_label(result.outcome)}] {result.rule} ({result.kind}) - {basis}")
        lines.append("    " + _("condition: {condition}").format(condition=result.condition))
        lines.append("    " + _("values read: {values}").format(values=_values(result)))
        if result.reason:
            lines.append("    " + _("reason: {reason}").format(reason=result.reason))
        if result.points:
            lines.append("    " + _("points: {points}").format(points=number(result.points, 1)))
    lines.append("")
    lines.append(
        _("Verdict: {verdict}; score {score}.").format(
            verdict=verdict_label(decision.verdict.value).upper(), score=number(decision.score, 1)
        )
    )
    return "\n".join(lines) + "\n"


def _legal_path_lines(explanation: Explanation) -> list[str]:
    """For a move between two local governments: who decides it (PP 11/2017 Pasal 192)."""
    path = getattr(explanation, "legal_path", "")
    return [_("Legal path: {path}").format(path=path)] if path else []


def _proposal_lines(explanation: Explanation) -> list[str]:
    if not explanation.proposal:
        return []
    moves = ", ".join(f"{nip} -> {position}" for nip, position in explanation.proposal)
    return [_("Judged as one proposal with: {moves} (quotas count every move together)").format(moves=moves)]


def _result_row(result: RuleResult) -> dict[str, Any]:
    return {
        "rule": result.rule,
        "kind": result.kind,
        "outcome": result.outcome.value,
        "points": result.points,
        "values": _values(result),
        "condition": result.condition,
        "reason": result.reason or "",
        "legal_basis": result.legal_basis,
    }


# -- screening ---------------------------------------------------------------------------------


def _top_reasons(candidate: Candidate, limit: int = 3) -> str:
    if candidate.excluded_by:
        reasons = [r.reason or r.rule for r in candidate.results if r.rule in candidate.excluded_by]
        return "; ".join(reasons[:limit]) or ", ".join(candidate.excluded_by)
    scored = sorted((r for r in candidate.results if r.points), key=lambda r: -abs(r.points))
    return "; ".join(f"{r.rule} {'+' if r.points > 0 else ''}{number(r.points, 0)}" for r in scored[:limit]) or "-"


def render_screening(report: ScreeningReport, fmt: str, top: int, show_excluded: bool) -> str:
    if fmt == "json":
        return to_json(_screening_data(report, top, show_excluded))
    if fmt == "csv":
        return to_csv(_screening_rows(report, top, show_excluded))
    lines = provenance_lines(report.provenance)
    for screening in report.screenings:
        need = screening.need
        lines += [
            "",
            *_local_government_line(report, need.position),
            _(
                "{position} ({name}) at {unit}: gap {gap}; {eligible} eligible, {unknown} undecided, "
                "{excluded} excluded"
            ).format(
                position=need.position,
                name=shorten(need.position_name, 40),
                unit=need.unit,
                gap=need.gap,
                eligible=len(screening.eligible),
                unknown=len(screening.unknown),
                excluded=len(screening.excluded),
            ),
        ]
        rows = [
            [str(i), c.nip, shorten(c.name, 24), c.origin, number(c.score, 1), shorten(_top_reasons(c), 60)]
            for i, c in enumerate(screening.eligible[:top], start=1)
        ]
        if rows:
            lines.append(text_table(["#", "NIP", _("Name"), _("Now at"), _("Score"), _("Main reasons")], rows, {0, 4}))
        lines += _crossing_lines(report, need.position, screening.eligible[:top] + screening.unknown[:top])
        if screening.unknown:
            lines.append(
                _("Undecided (data missing): {nips}").format(nips=", ".join(c.nip for c in screening.unknown[:top]))
            )
            lines.extend("  " + why for why in _undecided_reasons(screening.unknown[:top]))
        if show_excluded and screening.excluded:
            rows = [[c.nip, shorten(c.name, 24), c.origin, shorten(_top_reasons(c, 1), 70)] for c in screening.excluded]
            lines.append(_("Excluded:"))
            lines.append(text_table(["NIP", _("Name"), _("Now at"), _("Excluded by")], rows))
    return "\n".join(lines) + "\n"


def _local_government_line(report: ScreeningReport, position: str) -> list[str]:
    lg = report.local_government(position)
    return [] if lg is None else [_("Local government {id}:").format(id=lg)]


def _crossing_lines(report: ScreeningReport, position: str, shown: list[Candidate]) -> list[str]:
    """The shown candidates from another local government, with the legal path of their move."""
    crossing = [c.nip for c in shown if report.legal_path(position, c.nip)]
    if not crossing:
        return []
    return [
        _("From another local government ({nips}): {path}").format(
            nips=", ".join(crossing), path=report.legal_path(position, crossing[0])
        )
    ]


def _undecided_reasons(candidates: list[Any]) -> list[str]:
    """Why the shown undecided candidates could not be decided: each distinct reason once, with its rule."""
    seen: dict[str, list[str]] = {}
    for candidate in candidates:
        for result in candidate.results:
            if result.outcome is Outcome.UNKNOWN and result.reason and result.kind != "score":
                seen.setdefault(f"{result.rule}: {result.reason}", []).append(candidate.nip)
    return list(seen)


def _screening_data(report: ScreeningReport, top: int, show_excluded: bool) -> dict[str, Any]:
    needs = []
    for s in report.screenings:
        entry: dict[str, Any] = {
            "need": s.need,
            "eligible": s.eligible[:top],
            "unknown": list(s.unknown),
            "excluded": list(s.excluded) if show_excluded else len(s.excluded),
        }
        if report.position_local_government:
            shown = [*s.eligible[:top], *s.unknown, *(s.excluded if show_excluded else [])]
            entry["local_government"] = report.local_government(s.need.position)
            entry["between_local_governments"] = [
                {"nip": c.nip, "from": report.employee_local_government.get(c.nip), "legal_path": path}
                for c in shown
                if (path := report.legal_path(s.need.position, c.nip))
            ]
        needs.append(entry)
    return {"provenance": report.provenance, "needs": needs}


def _screening_rows(report: ScreeningReport, top: int, show_excluded: bool) -> list[dict[str, Any]]:
    rows = []
    for s in report.screenings:
        chosen = [*s.eligible[:top], *s.unknown, *(s.excluded if show_excluded else [])]
        for rank, c in enumerate(chosen, start=1):
            rows.append(
                {
                    "position": s.need.position,
                    "rank": rank if c.verdict.value == "eligible" else "",
                    "nip": c.nip,
                    "name": c.name,
                    "origin": c.origin,
                    "verdict": c.verdict.value,
                    "score": c.score,
                    "excluded_by": "; ".join(c.excluded_by),
                    "reasons": _top_reasons(c, 5),
                    **_csv_local_government(report, s.need.position, c.nip),
                }
            )
    return rows


def _csv_local_government(report: ScreeningReport, position: str, nip: str) -> dict[str, str]:
    """The local-government columns of a screening row (only for a dataset that lists local governments)."""
    if not report.position_local_government:
        return {}
    return {
        "local_government": report.local_government(position) or "",
        "legal_path": report.legal_path(position, nip) or "",
    }


# -- diff --------------------------------------------------------------------------------------


def render_diff(diff: RuleDiff, fmt: str) -> str:
    if fmt == "json":
        return to_json(diff)
    if fmt == "csv":
        return to_csv(diff.changes)
    lines = [_("Old: ") + provenance_lines(diff.old)[0], _("New: ") + provenance_lines(diff.new)[0], ""]
    if not diff.changes:
        lines.append(_("No candidate's verdict changes ({pairs} pairs compared).").format(pairs=number(diff.pairs)))
        return "\n".join(lines) + "\n"
    rows = [
        [
            c.position,
            c.nip,
            shorten(c.name, 24),
            f"{verdict_label(c.old_verdict)} -> {verdict_label(c.new_verdict)}",
            ", ".join(c.new_excluded_by or c.old_excluded_by) or "-",
        ]
        for c in diff.changes
    ]
    lines.append(text_table([_("Position"), "NIP", _("Name"), _("Verdict"), _("Rules")], rows))
    lines.append("")
    lines.append(
        ngettext(
            "{n} verdict changes ({pairs} pairs compared).",
            "{n} verdicts change ({pairs} pairs compared).",
            len(diff.changes),
        ).format(n=len(diff.changes), pairs=number(diff.pairs))
    )
    return "\n".join(lines) + "\n"
