"""The meeting pack of a periodic review: one self-contained HTML file that prints to A4, one part per page.

Parts, in the order the tim penilai kinerja discusses them: the cover (period, date, dataset, rule packs and
their hashes, the verdict, contents), needs, proposed moves with their rule explanations, the period's demand and
the simulation evidence, the participation summary, and the monitoring of past moves. Each part starts on a new
page (``break-before: page``); tables wrap long words so nothing runs past the printable width. Everything is
inline (CSS, SVG charts drawn by Matplotlib); the file fetches nothing. Texts are in the active language.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from ..i18n import N_, _, current_language, ngettext
from ..participation.render import TREATMENT_NAMES, describe_view, explain
from ..planning.planfile import render_summary as plan_summary
from ..report.formatting import number
from ..report.monitoring_html import summary_html as monitoring_summary
from ..report.rules_report import outcome_label, verdict_label
from ..report.simulation_html import CSS as SIMULATION_CSS
from ..report.simulation_html import evidence_html, verdict_class
from ..rules.service import Explanation
from .pipeline import Review
from .seasons import DATASET, PeriodDemand

#: Needs listed in the pack; the rest are counted (the full list: ``seimbang screen --all-needs``).
SHOWN_NEEDS = 40
PART_IDS = ("kebutuhan", "mutasi", "simulasi", "partisipasi", "pemantauan")
PART_TITLES = {
    "kebutuhan": N_("1. Staffing needs"),
    "mutasi": N_("2. Proposed moves and their rule explanations"),
    "simulasi": N_("3. Demand in the period and simulation evidence"),
    "partisipasi": N_("4. Participation of the employees concerned"),
    "pemantauan": N_("5. Monitoring of past moves"),
}
KIND_WORDS = {"S": N_("semester"), "Q": N_("quarter"), "M": N_("month")}

PRINT_CSS = """
@page{size:A4;margin:16mm 14mm}
section.part{break-before:page}
h1.cover{font-size:1.7em;margin-top:0}
.toc ol{padding-left:1.4em}
table{max-width:100%}
td,th{overflow-wrap:break-word}
td.hash,code{font-family:'DejaVu Sans Mono',monospace;font-size:.85em;overflow-wrap:anywhere;word-break:break-all}
tr,figure,li{break-inside:avoid}
h2,h3,h4{break-after:avoid}
.note{background:#fff3cd;color:#6a4c00;padding:.4em .7em;border-radius:4px}
.move{margin:1em 0 .4em;font-weight:600}
@media print{body{margin:0;max-width:none;padding:0;font-size:10pt}svg.chart{max-width:100%}}
"""


def render_pack(review: Review) -> str:
    """The whole meeting pack."""
    title = _("Periodic review {period}: meeting pack of the tim penilai kinerja").format(period=review.period.label)
    parts = [_cover(review, title), _needs(review), _moves(review), _simulation(review)]
    parts += [_participation(review), _monitoring(review)]
    return (
        f'<!DOCTYPE html>\n<html lang="{current_language()}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>{SIMULATION_CSS}{PRINT_CSS}</style>\n</head>\n<body>\n"
        + "\n".join(parts)
        + "\n</body>\n</html>\n"
    )


# --- helpers -------------------------------------------------------------------------------------------------


def _p(text: str, css: str = "") -> str:
    klass = f' class="{css}"' if css else ""
    return f"<p{klass}>{escape(text)}</p>"


def _breakable(text: str) -> str:
    """``text`` escaped, with line-break opportunities after the dots, underscores and slashes of identifiers
    (``DISDUKCAPIL.PENGADMIN-UMUM``, ``masa_jabatan_lewat_5_tahun``), so a narrow column wraps them instead of
    running past the printed page; numeric cells do not wrap at all."""
    html = escape(text)
    for mark in (".", "_", "/"):
        html = html.replace(mark, mark + "<wbr>")
    return html


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]], numeric: frozenset[int] = frozenset()) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join(
        "<tr>"
        + "".join(
            f"<td class=n>{escape(c)}</td>" if i in numeric else f"<td>{_breakable(c)}</td>" for i, c in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    return f"<table><tr>{head}</tr>{body}</table>"


def _part(part: str, content: str) -> str:
    return f'<section class="part" id="{part}"><h2>{escape(_(PART_TITLES[part]))}</h2>{_demote(content)}</section>'


def _demote(html: str) -> str:
    """Headings of embedded reports one level down, under the part's own heading."""
    for level in (4, 3, 2):
        html = html.replace(f"<h{level}>", f"<h{level + 1}>").replace(f"</h{level}>", f"</h{level + 1}>")
    return html


# --- cover ---------------------------------------------------------------------------------------------------


def _cover(review: Review, title: str) -> str:
    period, data = review.period, review.dataset
    rows = [
        [
            _("Period"),
            _("{label} ({kind}, {start} to {end})").format(
                label=period.label,
                kind=_(KIND_WORDS[period.kind]),
                start=period.start.isoformat(),
                end=period.end.isoformat(),
            ),
        ],
        [_("Prepared on"), review.prepared_on.isoformat()],
        [
            _("Dataset"),
            _("{name}, data as of {as_of}").format(name=data.manifest.name, as_of=data.as_of.isoformat())
            + (" " + _("(SYNTHETIC data)") if data.manifest.synthetic else ""),
        ],
        [_("Dataset content hash (SHA-256)"), review.dataset_sha256],
        [_("Rules applied as of"), review.screening.provenance.as_of],
    ]
    for pack in review.screening.provenance.packs:
        rows.append([_("Rule pack {pack} version {version}").format(pack=pack.pack, version=pack.version), pack.sha256])
    if review.screening.provenance.calendar:
        rows.append(
            [
                _("Election calendar {path}").format(path=review.screening.provenance.calendar["path"]),
                review.screening.provenance.calendar["sha256"],
            ]
        )
    if review.template is not None:
        rows.append([_("Scenario template {path}").format(path=review.template[0]), review.template[1]])
    rows.append([_("Prepared with"), _("seimbang {version}").format(version=review.version)])
    table = (
        "<table>"
        + "".join(
            f"<tr><th>{escape(k)}</th><td{' class=hash' if _is_hash(v) else ''}>{escape(v)}</td></tr>" for k, v in rows
        )
        + "</table>"
    )
    toc = "".join(f'<li><a href="#{p}">{escape(_(PART_TITLES[p]))}</a></li>' for p in PART_IDS)
    return (
        f'<header id="sampul"><h1 class="cover">{escape(title)}</h1>'
        + _p(
            _(
                "For the advice of the tim penilai kinerja to the PPK. seimbang decides nothing: it computes the "
                "facts the decision needs and shows the reasons behind each figure."
            ),
            "meta",
        )
        + _judgement_box(review)
        + table
        + '<nav class="toc"><h2>'
        + escape(_("Contents"))
        + f"</h2><ol>{toc}</ol></nav></header>"
    )


def _is_hash(text: str) -> bool:
    return len(text) == 64 and all(c in "0123456789abcdef" for c in text)


def _judgement_box(review: Review) -> str:
    judgement = review.judgement
    if not judgement:
        return _p(_("The plan proposes no moves; there is nothing to simulate or decide."), "note")
    css = "ok" if review.feasible else ("unknown" if judgement == "TIDAK DAPAT DINILAI" else "no")
    if review.simulation is not None and review.demand.covered:
        css = verdict_class(review.simulation)
    text = _("Simulation verdict for the plan: {verdict}").format(verdict=judgement)
    box = f'<div class="verdict {css}" id="putusan">{escape(text)}</div>'
    if not review.demand.covered:
        box += _p(_uncovered_text(review.demand), "note")
    return box


# --- 1. needs ------------------------------------------------------------------------------------------------


def _needs(review: Review) -> str:
    screenings = review.screening.screenings
    shortage = sum(-s.need.gap for s in screenings)
    teacher = sum(1 for s in screenings if s.need.source == "teacher")
    intro = ngettext(
        "{n} position has fewer holders than its need ({teacher} of them teacher posts); {shortage} people are "
        "missing in all.",
        "{n} positions have fewer holders than their need ({teacher} of them teacher posts); {shortage} people are "
        "missing in all.",
        len(screenings),
    ).format(n=number(len(screenings)), teacher=number(teacher), shortage=number(shortage))
    rows = [
        [
            s.need.position,
            s.need.position_name,
            s.need.unit,
            number(-s.need.gap),
            _("ABK") if s.need.source == "abk" else _("teachers (SKB 5 Menteri)"),
            number(len(s.eligible)),
            number(len(s.unknown)),
        ]
        for s in screenings[:SHOWN_NEEDS]
    ]
    headers = [
        _("Position"),
        _("Name"),
        _("Unit"),
        _("Missing"),
        _("Need by"),
        _("Eligible candidates"),
        _("Undecided"),
    ]
    parts = [_p(intro), _table(headers, rows, frozenset({3, 5, 6}))]
    if len(screenings) > SHOWN_NEEDS:
        parts.append(
            _p(
                _(
                    "The {shown} largest shortages are listed; the full list with every candidate: "
                    "seimbang screen DATASET --all-needs."
                ).format(shown=SHOWN_NEEDS),
                "meta",
            )
        )
    parts.append(
        _p(
            _(
                "Need: the ABK (PermenPAN-RB 1/2020) for structural and functional posts, the SKB 5 Menteri "
                "teaching-hour rule for teachers. Candidates: employees who pass every rule pack in force."
            ),
            "meta",
        )
    )
    return _part("kebutuhan", "".join(parts))


# --- 2. moves ------------------------------------------------------------------------------------------------


def _moves(review: Review) -> str:
    plan = review.plan
    if not plan.moves:
        return _part("mutasi", _p(_("The plan proposes no moves.")))
    lines = [line for line in plan_summary(plan).splitlines() if line.strip()]
    summary = "<ul>" + "".join(f"<li>{escape(line)}</li>" for line in lines) + "</ul>"
    rows = [[m.nip, m.name, m.origin, m.to, _stage(m.stage), number(m.score, 1)] for m in plan.moves]
    table = _table([_("NIP"), _("Name"), _("From"), _("To"), _("Stage"), _("Score")], rows, frozenset({5}))
    explained = "".join(_explanation(e) for e in review.explanations)
    note = _p(
        _(
            "Every move was judged with every rule in force, the quotas counted after all moves together "
            "(seimbang explain NIP POSITION shows the same explanation for one move)."
        ),
        "meta",
    )
    heading = "<h3>" + escape(_("Rule explanations")) + "</h3>"
    return _part("mutasi", summary + table + heading + note + explained)


def _stage(stage: str) -> str:
    return {"voluntary": _("voluntary"), "balance": _("balance")}.get(stage, stage)


def _explanation(explanation: Explanation) -> str:
    decision = explanation.decision
    head = _("{nip} ({name}): {origin} -> {target}; verdict {verdict}, score {score}").format(
        nip=explanation.nip,
        name=explanation.name,
        origin=explanation.origin,
        target=explanation.target,
        verdict=verdict_label(decision.verdict.value).upper(),
        score=number(decision.score, 1),
    )
    rows = []
    for r in decision.results:
        basis = r.legal_basis + (" " + _("[legal basis not confirmed]") if r.unconfirmed else "")
        rows.append(
            [r.rule, outcome_label(r.outcome), r.reason or r.condition, number(r.points, 1) if r.points else "", basis]
        )
    headers = [_("Rule"), _("Outcome"), _("Reason or condition"), _("Points"), _("Legal basis")]
    return f'<p class="move">{escape(head)}</p>' + _table(headers, rows, frozenset({3}))


# --- 3. demand and simulation --------------------------------------------------------------------------------


def _simulation(review: Review) -> str:
    demand = review.demand
    parts = [_demand(review)]
    if review.simulation is None:
        parts.append(_p(_("Not simulated: the plan proposes no moves.")))
        return _part("simulasi", "".join(parts))
    window = _("Simulated window: {start} to {end} ({days} days), {reps} replications per arm, seed {seed}.").format(
        start=demand.window_start.isoformat(),
        end=demand.window_end.isoformat(),
        days=demand.window_days,
        reps=review.simulation.run.replications,
        seed=review.simulation.run.seed,
    )
    parts.append(_p(window))
    if not demand.covered:
        parts.append(
            _p(
                _uncovered_text(demand)
                + " "
                + _("The figures below use only the demand that is known; they are not evidence for the period."),
                "note",
            )
        )
    parts.append(evidence_html(review.simulation))
    return _part("simulasi", "".join(parts))


def _demand(review: Review) -> str:
    demand = review.demand
    rows = [
        [
            s.label,
            s.start.isoformat(),
            s.end.isoformat(),
            number(s.multiplier, 2),
            ", ".join(s.services) if s.services else _("every service"),
            _("dataset") if s.source == DATASET else _("scenario template"),
        ]
        for s in demand.seasons
    ]
    title = _("Seasonal demand in {period}").format(period=demand.period.label)
    parts = ["<h3>" + escape(title) + "</h3>"]
    if rows:
        headers = [_("Season"), _("From"), _("To"), _("Multiplier"), _("Services"), _("Declared in")]
        parts.append(_table(headers, rows, frozenset({3})))
    else:
        parts.append(_p(_("No demand season is declared for this period.")))
    if demand.holidays:
        text = "; ".join(f"{d.isoformat()} {name}" for d, name in demand.holidays)
        parts.append(_p(_("Holidays: {list}").format(list=text)))
    if demand.ramadan is not None:
        parts.append(
            _p(
                _("Ramadan working hours: {start} to {end}").format(
                    start=demand.ramadan[0].isoformat(), end=demand.ramadan[1].isoformat()
                )
            )
        )
    if demand.covered:
        assert demand.covers is not None
        parts.append(
            _p(
                _("The calendar is declared complete from {start} to {end}, which covers the period.").format(
                    start=demand.covers[0].isoformat(), end=demand.covers[1].isoformat()
                ),
                "meta",
            )
        )
    return "".join(parts)


def _uncovered_text(demand: PeriodDemand) -> str:
    if demand.covers is None:
        why = _("no scenario calendar declares the dates it is complete for (calendar.covers)")
    else:
        why = _("the scenario calendar is complete only from {start} to {end}").format(
            start=demand.covers[0].isoformat(), end=demand.covers[1].isoformat()
        )
    return _(
        "The seasonal demand of {period} is unknown: {why}. Holidays and demand seasons (such as Lebaran) of the "
        "period may be missing, so the simulation verdict cannot be judged (TIDAK DAPAT DINILAI). Add the period's "
        "holidays and seasons to the scenario template and extend calendar.covers."
    ).format(period=demand.period.label, why=why)


# --- 4. participation ----------------------------------------------------------------------------------------


def _participation(review: Review) -> str:
    summary = review.participation
    if summary is None or not summary.entries:
        return _part("partisipasi", _p(_("The plan moves nobody, so nobody is consulted.")))
    counts = summary.counts()
    count_rows = [[_(TREATMENT_NAMES[t]), number(n)] for t, n in ((t, counts[t.value]) for t in TREATMENT_NAMES)]
    intro = _p(
        _(
            "For each employee the plan moves: the wishes, objections and hopes they stated (participation.csv "
            "and preferences.csv) and how the plan treats each. The overall outcome counts the worst treatment."
        )
    )
    rows = []
    for entry in summary.entries:
        move = f"{entry.origin_position} -> {entry.target_position}"
        if not entry.views:
            rows.append([entry.nip, entry.name, move, _("no view stated"), ""])
        for item in entry.views:
            rows.append([entry.nip, entry.name, move, describe_view(item.view), explain(entry, item)])
    headers = [_("NIP"), _("Name"), _("Move"), _("Stated view"), _("How the plan treats it")]
    return _part(
        "partisipasi",
        intro + _table([_("Overall outcome"), _("Employees")], count_rows, frozenset({1})) + _table(headers, rows),
    )


# --- 5. monitoring -------------------------------------------------------------------------------------------


def _monitoring(review: Review) -> str:
    report = review.monitoring
    if report is None:
        text = _(
            "No follow-up observations were given (seimbang review --observations FOLDER), so this pack does "
            "not report on past moves. Nothing is assumed about them."
        )
        return _part("pemantauan", _p(text, "note"))
    head = _p(
        _("Follow-up of '{name}' (TMT {tmt}), observations as of {as_of} from {folder}.").format(
            name=report.name, tmt=report.tmt.isoformat(), as_of=report.as_of.isoformat(), folder=review.observations
        )
    )
    return _part("pemantauan", head + monitoring_summary(report))
