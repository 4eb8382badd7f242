"""The simulation result for people: a terminal summary in the active language, ending with the verdict."""

from __future__ import annotations

from ..i18n import N_, _, ngettext
from ..simulation import Check, SimulationResult, UnitInfo
from ..simulation.results import FAILED, FEW_REPLICATIONS, NO_STAFF, NO_VALUE, NONE_SERVED, PASSED, UNDETERMINED
from .formatting import number, shorten, text_table
from .simulation_metrics import KINDS, OVERALL_VIEW, UNIT_VIEW, difference, label, shown, with_interval

NAME_WIDTH = 44
SHOWN_CHECKS = 12

CHECK_MESSAGES = {
    "service_level_drop": N_(
        "{entity}: the service level changes by {value} points or more (lower 95 % bound); a drop of at most "
        "{limit} points is allowed"
    ),
    "imbalance_improves": N_(
        "imbalance across units (CV of utilisation) changes by at most {value} (upper 95 % bound); it must fall"
    ),
    "max_utilisation": N_(
        "{entity}: utilisation in the proposal is at most {value} % (upper 95 % bound); the limit is {limit} %"
    ),
    "max_wait": N_(
        "{entity}: the wait ({metric}) in the proposal is at most {value} minutes (upper 95 % bound); the limit is "
        "{limit} minutes"
    ),
    "uncovered_hours": N_(
        "{entity}: uncovered class-hours change by at most {value} per week (upper 95 % bound); the allowed "
        "increase is {limit}"
    ),
    "uncovered_hours_total": N_(
        "all schools: uncovered class-hours change by at most {value} per week (upper 95 % bound); they must fall"
    ),
    "max_backlog_increase": N_(
        "{entity}: the back-office backlog changes by at most {value} hours per day (upper 95 % bound); the "
        "allowed increase is {limit}"
    ),
}
#: Checks decided without an interval: a collapsed service fails, an undefined interval cannot be judged.
REASON_MESSAGES = {
    NO_STAFF: N_(
        "{entity}: {criterion} fails: in the proposal work arrives at this unit but nobody is on duty to do it "
        "(waits and utilisation are undefined)"
    ),
    NONE_SERVED: N_("{entity}: {criterion} fails: in the proposal customers arrive but not one of them is served"),
    FEW_REPLICATIONS: N_(
        "{entity}: {criterion} cannot be judged: {metric} has a value in only {n} replication(s), too few for a "
        "95 % interval"
    ),
    NO_VALUE: N_("{entity}: {criterion} cannot be judged: {metric} is undefined in every replication"),
}
#: The wait a ``max_wait`` check judged, in words (the check carries the KPI's id).
WAIT_WORDS = {"wait_mean": N_("mean"), "wait_p90": N_("90th percentile")}
MARKS = {PASSED: N_("passed"), FAILED: N_("FAILED"), UNDETERMINED: N_("CANNOT BE JUDGED")}
NOT_APPLICABLE = N_("Criterion {criterion} has nothing to check in this scenario and does not count.")


def render_summary(result: SimulationResult) -> str:
    """The whole terminal summary."""
    parts = [
        "\n".join(_header(result)),
        _moves(result),
        *(_unit_block(result, unit) for unit in result.units),
        _overall(result),
        "\n".join(_verdict(result)),
    ]
    return "\n\n".join(p for p in parts if p) + "\n"


def header_lines(result: SimulationResult) -> list[str]:
    """What was run, on which data, and how to read the numbers (shared with the HTML report)."""
    run = result.run
    lines = [
        _("Dataset '{dataset}' as of {as_of}; scenario {file} (sha256 {digest}).").format(
            dataset=run.dataset, as_of=run.dataset_as_of, file=run.scenario_file, digest=run.scenario_sha256[:12]
        ),
        _(
            "{start} to {end} ({days} calendar days); {replications} replications, seed {seed}; mode {mode}; "
            "shift change {shift_change}."
        ).format(
            start=run.horizon_start,
            end=run.horizon_end,
            days=number(run.days_counted),
            replications=number(run.replications),
            seed=run.seed,
            mode=run.mode,
            shift_change=run.shift_change,
        ),
        _(
            "Baseline = staff as in the dataset; proposal = after the moves; difference = proposal - baseline "
            "with its 95 % confidence interval over paired replications (common random numbers)."
        ),
    ]
    if run.synthetic:
        lines.append(_("Note: this dataset is synthetic example data, not real employees."))
    return lines


def _header(result: SimulationResult) -> list[str]:
    return [_("Simulation: {name}").format(name=result.run.scenario_name), *header_lines(result)]


def _moves(result: SimulationResult) -> str:
    title = ngettext("Proposed move ({n}):", "Proposed moves ({n}):", len(result.moves)).format(n=len(result.moves))
    rows = [
        [m.nip, shorten(m.name, 30), f"{m.from_position} ({m.from_unit})", f"{m.to_position} ({m.to_unit})"]
        for m in result.moves
    ]
    return title + "\n" + text_table([_("NIP"), _("Name"), _("From"), _("To")], rows)


def metric_rows(
    result: SimulationResult, scopes: tuple[str, ...], entity: str, metrics: tuple[str, ...]
) -> list[list[str]]:
    """One row per KPI (label, baseline, proposal, difference), from the first scope that has it."""
    rows = []
    for metric in metrics:
        for scope in scopes:
            comparison = result.get(scope, entity, metric)
            if comparison is None:
                continue
            if shown(metric, comparison):
                rows.append(
                    [
                        label(metric),
                        with_interval(metric, comparison.baseline),
                        with_interval(metric, comparison.proposal),
                        difference(metric, comparison.difference),
                    ]
                )
            break
    return rows


def comparison_headers() -> list[str]:
    return [_("Indicator"), _("Baseline"), _("Proposal"), _("Difference [95 % CI]")]


def _unit_block(result: SimulationResult, unit: UnitInfo) -> str:
    rows = metric_rows(result, ("unit", "school"), unit.id, UNIT_VIEW[unit.kind])
    kind = _(KINDS[unit.kind])
    title = f"{unit.id}  {shorten(unit.name, NAME_WIDTH)}  [{kind}]"
    if not rows:
        return title + "\n" + _("(nothing to measure: the unit was closed on every simulated day)")
    return title + "\n" + text_table(comparison_headers(), rows, right={1, 2, 3})


def _overall(result: SimulationResult) -> str:
    rows = metric_rows(result, ("overall",), "", OVERALL_VIEW)
    return _("All simulated units") + "\n" + text_table(comparison_headers(), rows, right={1, 2, 3}) if rows else ""


def check_mark(check: Check) -> str:
    """``passed``, ``FAILED`` or ``CANNOT BE JUDGED`` in the active language."""
    return _(MARKS[check.status])


def _entity(check: Check, result: SimulationResult) -> str:
    entity = check.entity
    if not entity:
        return _("all simulated units")
    if entity in result.unit_names:
        return f"{entity} ({result.unit_names[entity]})"
    return entity


def check_message(check: Check, result: SimulationResult) -> str:
    """One check of the approval gate in words."""
    if check.reason:
        return _(REASON_MESSAGES[check.reason]).format(
            entity=_entity(check, result), criterion=check.criterion, metric=label(check.metric), n=check.replications
        )
    key = "uncovered_hours_total" if check.criterion == "uncovered_hours" and not check.entity else check.criterion
    scale = 100.0 if check.criterion == "max_utilisation" else 1.0
    limit = -check.limit if check.criterion == "service_level_drop" else check.limit
    return _(CHECK_MESSAGES[key]).format(
        entity=_entity(check, result),
        value=number(check.value * scale, 2),
        limit=number(limit * scale, 2),
        metric=_(WAIT_WORDS[check.metric]) if check.metric in WAIT_WORDS else label(check.metric),
    )


def _verdict(result: SimulationResult) -> list[str]:
    verdict = result.verdict
    lines = [_("Verdict: {verdict}").format(verdict=verdict.label)]
    order = {FAILED: 0, UNDETERMINED: 1, PASSED: 2}
    ordered = sorted(verdict.checks, key=lambda c: order[c.status])
    if not verdict.checks:
        lines.append(_("No criterion had anything to check, so the proposal cannot be judged."))
    elif verdict.undetermined and not verdict.failed:
        lines.append(_("No check failed, but some could not be judged: the evidence does not support LAYAK."))
    for check in ordered[:SHOWN_CHECKS]:
        lines.append(f"  [{check_mark(check)}] {check_message(check, result)}")
    hidden = len(verdict.checks) - SHOWN_CHECKS
    if hidden > 0:
        lines.append("  " + ngettext("... and {n} more check", "... and {n} more checks", hidden).format(n=hidden))
    lines += ["  " + _(NOT_APPLICABLE).format(criterion=c) for c in verdict.not_applicable]
    return lines
