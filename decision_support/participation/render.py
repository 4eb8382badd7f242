"""The consultation summary as a table (for the meeting), JSON or CSV, in the current language."""

from __future__ import annotations

import csv
import io
import json

from ..i18n import N_, _
from ..models import Reason, StatedView, ViewKind
from .record import ParticipationRecord
from .summary import ConsultationEntry, ConsultationSummary, Treatment, ViewTreatment

FORMATS = ("table", "json", "csv")

REASON_NAMES = {
    Reason.FAMILY: N_("family"),
    Reason.SPOUSE: N_("spouse's workplace"),
    Reason.HEALTH: N_("health"),
    Reason.COMPETENCE: N_("competence development"),
    Reason.OTHER: N_("other reason"),
}
TREATMENT_NAMES = {
    Treatment.HONOURED: N_("honoured"),
    Treatment.PARTLY: N_("partly honoured"),
    Treatment.NOT_HONOURED: N_("not honoured"),
    Treatment.OTHER_WISH: N_("another wish honoured"),
    Treatment.FOR_DISCUSSION: N_("for discussion"),
    Treatment.NO_VIEW: N_("no view stated"),
}


def describe_view(view: StatedView) -> str:
    """The view as one phrase: 'wished DISPARPORA (rank 1), on health grounds: "dekat rumah"'."""
    if view.kind is ViewKind.WISH:
        where = view.unit if view.position is None else f"{view.unit} / {view.position}"
        text = _("wished {unit} (rank {rank})").format(unit=where, rank=view.rank)
    elif view.kind is ViewKind.OBJECTION and view.unit is None:
        text = _("objected to being moved")
    elif view.kind is ViewKind.OBJECTION:
        text = _("objected to a move to {unit}").format(unit=view.unit)
    else:
        text = _("hope")
    if view.reason is not None:
        text += ", " + _("on grounds of {reason}").format(reason=_(REASON_NAMES[view.reason]))
    if view.note:
        text += f': "{view.note}"'
    if view.stated_on is not None:
        text += " " + _("(stated {date})").format(date=view.stated_on.isoformat())
    return text


def explain(entry: ConsultationEntry, item: ViewTreatment) -> str:
    """How the proposal treats the view, and why, from what the proposal says."""
    t = item.treatment
    if t is Treatment.HONOURED and item.view.kind is ViewKind.OBJECTION:
        return _("not moved to {unit}: honoured").format(unit=item.view.unit)
    if t is Treatment.HONOURED:
        return _("moved to {unit}: honoured").format(unit=entry.target_unit)
    if t is Treatment.PARTLY and item.within_wished_unit:
        return _("moved to {unit}, a unit under {wished}: partly honoured").format(
            unit=entry.target_unit, wished=item.view.unit
        )
    if t is Treatment.PARTLY:
        return _("moved to {unit}, but to position {position}: partly honoured").format(
            unit=entry.target_unit, position=entry.target_position
        )
    if t is Treatment.OTHER_WISH:
        return _("moved to {unit}, the employee's wish number {rank} instead").format(
            unit=entry.target_unit, rank=item.instead_rank
        )
    if t is Treatment.FOR_DISCUSSION:
        return _("free text: the program cannot judge it; discuss it in the consultation")
    if item.view.kind is ViewKind.WISH:
        return _("moved to {unit} instead: not honoured, because {why}").format(unit=entry.target_unit, why=_why(entry))
    return _("moved to {unit} anyway: not honoured, because {why}").format(unit=entry.target_unit, why=_why(entry))


def _why(entry: ConsultationEntry) -> str:
    parts = []
    if entry.stage == "balance":
        parts.append(_("the plan's balance stage chose the move to bring staffing closer to the ABK need"))
    elif entry.stage == "voluntary":
        parts.append(_("the plan's voluntary stage made the move"))
    if entry.reasons:
        quoted = "; ".join(f'"{r}"' for r in entry.reasons)
        parts.append(_("the proposal states: {reasons}").format(reasons=quoted))
    if not parts:
        return _("(the proposal gives no reason for this move)")
    return "; ".join(parts)


def render_consultation(summary: ConsultationSummary, fmt: str = "table") -> str:
    """The summary as ``table`` (text for the meeting), ``json`` or ``csv``."""
    if fmt == "json":
        return json.dumps(summary.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        return _csv(summary)
    if fmt == "table":
        return _table(summary)
    raise ValueError(f"unknown format {fmt!r}; expected one of {FORMATS}")


def _table(summary: ConsultationSummary) -> str:
    title = _("Consultation summary: {proposal}").format(proposal=summary.proposal or summary.dataset)
    lines = [title, "=" * len(title), _("Dataset: {name}").format(name=summary.dataset)]
    if summary.proposed_on is not None:
        lines.append(_("Proposal date: {date}").format(date=summary.proposed_on.isoformat()))
    counts = summary.counts()
    lines.append(
        _("Affected employees: {n}; honoured {honoured}, partly {partly}, not honoured {not_honoured}, "
          "for discussion only {discussion}, no view stated {none}").format(
            n=len(summary.entries), honoured=counts["honoured"], partly=counts["partly_honoured"],
            not_honoured=counts["not_honoured"], discussion=counts["for_discussion"], none=counts["no_view"],
        )
    )  # fmt: skip
    for entry in summary.entries:
        lines += ["", _entry_heading(entry)]
        if not entry.views:
            lines.append("  - " + _("no view stated"))
        for item in entry.views:
            after = " " + _("[stated after the proposal]") if item.after_proposal else ""
            lines.append(f"  - {describe_view(item.view)}{after}")
            lines.append(f"    -> {explain(entry, item)}")
    return "\n".join(lines) + "\n"


def _entry_heading(entry: ConsultationEntry) -> str:
    return _("{name} (NIP {nip}): {origin} ({origin_unit}) -> {target} ({target_unit}) [{overall}]").format(
        name=entry.name, nip=entry.nip, origin=entry.origin_position, origin_unit=entry.origin_unit,
        target=entry.target_position, target_unit=entry.target_unit, overall=_(TREATMENT_NAMES[entry.overall]),
    )  # fmt: skip


CSV_COLUMNS = (
    "nip", "name", "origin_position", "origin_unit", "target_position", "target_unit", "overall", "view_kind",
    "view_unit", "view_position", "rank", "reason", "note", "stated_on", "treatment", "explanation",
)  # fmt: skip


def _csv(summary: ConsultationSummary) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for entry in summary.entries:
        head = [
            entry.nip, entry.name, entry.origin_position, entry.origin_unit, entry.target_position,
            entry.target_unit, entry.overall.value,
        ]  # fmt: skip
        if not entry.views:
            writer.writerow([*head, "", "", "", "", "", "", "", Treatment.NO_VIEW.value, _("no view stated")])
        for item in entry.views:
            v = item.view
            writer.writerow(
                [
                    *head,
                    v.kind.value,
                    v.unit or "",
                    v.position or "",
                    v.rank or "",
                    v.reason.value if v.reason else "",
                    v.note or "",
                    v.stated_on.isoformat() if v.stated_on else "",
                    item.treatment.value,
                    explain(entry, item),
                ]
            )
    return buffer.getvalue()


def render_record(record: ParticipationRecord, fmt: str = "table") -> str:
    """One employee's own record: ``table`` (one line per view) or ``json``."""
    if fmt == "json":
        return json.dumps(record.model_dump(mode="json"), ensure_ascii=False, indent=2) + "\n"
    lines = [_("{name} (NIP {nip}), {position} ({unit})").format(**record.model_dump())]
    if not record.views:
        lines.append("  - " + _("no view stated"))
    lines += [f"  - {describe_view(v)}" for v in record.views]
    return "\n".join(lines) + "\n"
