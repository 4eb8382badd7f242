"""The ``seimbang review`` command: the periodic review of a period and its meeting pack (docs/review.md).

Exit codes: 0 when the plan is simulated LAYAK for the period (or proposes no moves), 1 when it is TIDAK LAYAK or
cannot be judged (also when the calendar does not cover the period), 2 for a bad period or input. The summary goes
to stdout, the progress and the name of the written pack to stderr.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from . import api
from .cli_plugins import load_input, source_options
from .cli_progress import progress
from .cli_rules import as_of_option, engine_option, resolve_rule_paths, rules_option
from .cli_support import I18nCommand, option, write_output
from .i18n import N_, _

FOLDER = click.Path(file_okay=False, dir_okay=True, path_type=Path)
FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


@click.command(
    "review",
    cls=I18nCommand,
    help=N_(
        "Periodic review of staffing needs for a period (2027-S1, 2027-Q3, 2027-03): workload analysis, screening "
        "of under-staffed positions, a transfer plan with the rule explanation of every move, its simulation over "
        "the period's seasonal peak, the participation of the employees moved and the monitoring of past moves, "
        "written as one meeting pack (HTML, prints to A4) for the tim penilai kinerja."
    ),
    short_help=N_("Periodic review and meeting pack for a period."),
)
@click.argument("dataset", type=FOLDER, required=False)
@option("--period", required=True, metavar="PERIOD", help=N_("The period: YYYY-S1/S2, YYYY-Q1..Q4 or YYYY-MM."))
@source_options
@option(
    "--scenario",
    "template",
    type=FILE,
    default=None,
    help=N_(
        "Scenario file whose calendar (with calendar.covers), demand, criteria, replications and seed the "
        "simulation uses; its horizon.days sets the simulated window and its dataset the dataset."
    ),
)
@rules_option()
@option("--max-moves", type=click.IntRange(0), default=None, help=N_("At most this many transfers in all."))
@option(
    "--band",
    type=click.FloatRange(0, 100, max_open=True),
    default=10.0,
    show_default=True,
    help=N_("Tolerance band around each position's ABK target, in percent."),
)
@option(
    "--mode",
    type=click.Choice(api.PLAN_MODES),
    default="both",
    show_default=True,
    help=N_("voluntary (exchange among applicants only), balance (optimiser only) or both (exchange first)."),
)
@option(
    "--observations",
    type=FOLDER,
    default=None,
    help=N_("Follow-up observations folder of past moves (seimbang monitor) to report on in the pack."),
)
@option(
    "--projection",
    type=FILE,
    default=None,
    help=N_("With --observations: the simulation JSON of the approved proposal the observations are compared with."),
)
@option(
    "--replications",
    "-r",
    type=click.IntRange(2, 10_000),
    default=None,
    help=N_("Number of replications (default: the scenario's, else 10)."),
)
@option("--seed", type=click.IntRange(0, 2**63 - 1), default=None, help=N_("Master seed of the random streams."))
@option("--workers", "-j", type=click.IntRange(1, 256), default=1, show_default=True, help=N_("Worker processes."))
@engine_option()
@as_of_option()
@option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help=N_("The meeting pack to write (default: tinjauan-PERIOD.html)."),
)
def review_command(
    dataset: Path | None,
    period: str,
    source: str | None,
    mapping: Path | None,
    template: Path | None,
    rule_paths: tuple[Path, ...],
    max_moves: int | None,
    band: float,
    mode: str,
    observations: Path | None,
    projection: Path | None,
    replications: int | None,
    seed: int | None,
    workers: int,
    engine: str,
    as_of: date | None,
    output: Path | None,
) -> None:
    chosen = api.parse_period(period)
    if projection is not None and observations is None:
        raise click.UsageError(_("--projection goes with --observations"))
    with progress(_("Loading the dataset and the rules")) as shown:
        loaded = api.load_scenario(template) if template is not None else None
        data, folder = _dataset(loaded, template, dataset, source, mapping)
        ruleset = api.check_rules(resolve_rule_paths(rule_paths))
        options = api.PlanOptions(mode=mode, band=band, max_moves=max_moves, engine=engine)
        result = api.review(
            data,
            ruleset,
            chosen,
            options=options,
            template=loaded,
            source=folder,
            as_of=as_of,
            observations=observations,
            projection=projection,
            replications=replications,
            seed=seed,
            workers=workers,
            phase=shown.phase,
            progress=shown.update,
        )
    target = output or Path(f"tinjauan-{chosen.label}.html")
    write_output(api.render_review_pack(result), target)
    click.echo(_summary(result), nl=False)
    feasible = result.feasible or not result.plan.moves
    raise click.exceptions.Exit(int(api.ExitCode.OK if feasible else api.ExitCode.NEGATIVE_VERDICT))


def _dataset(
    loaded: api.LoadedScenario | None,
    template: Path | None,
    dataset: Path | None,
    source: str | None,
    mapping: Path | None,
) -> tuple[api.Dataset, Path | None]:
    """The dataset: the one named, or the scenario template's; both must be the same folder."""
    if loaded is None or template is None:
        return load_input(dataset, source, mapping), dataset
    own = (template.parent / loaded.scenario.dataset).resolve()
    if source is not None or (dataset is not None and dataset.resolve() != own):
        where = api.Location(loaded.path)
        message = _("the scenario template uses dataset {own}, not {given}").format(
            own=own, given=source or (dataset.resolve() if dataset else "")
        )
        hint = _("Leave out DATASET, or give the template's dataset folder.")
        raise api.InputError([api.Problem(where, message, field="dataset", hint=hint)])
    return loaded.dataset, own


def _summary(result: api.Review) -> str:
    period, screenings = result.period, result.screening.screenings
    lines = [
        _("Periodic review {period} ({start} to {end})").format(
            period=period.label, start=period.start.isoformat(), end=period.end.isoformat()
        ),
        _("Needs: {n} under-staffed positions, {missing} people missing").format(
            n=api.format_number(len(screenings)), missing=api.format_number(sum(-s.need.gap for s in screenings))
        ),
        _("Plan: {n} moves").format(n=api.format_number(len(result.plan.moves))),
    ]
    demand = result.demand
    if result.simulation is not None:
        lines.append(
            _("Simulated window: {start} to {end} ({days} days)").format(
                start=demand.window_start.isoformat(), end=demand.window_end.isoformat(), days=demand.window_days
            )
        )
    if not demand.covered:
        lines.append(
            _("Seasonal demand of {period}: unknown (the calendar does not cover it)").format(period=period.label)
        )
    if result.judgement:
        lines.append(_("Verdict: {verdict}").format(verdict=result.judgement))
    if result.participation is not None:
        counts = result.participation.counts()
        lines.append(
            _("Participation: {n} employees moved, {not_honoured} with a view not honoured").format(
                n=api.format_number(len(result.participation.entries)),
                not_honoured=api.format_number(counts["not_honoured"]),
            )
        )
    if result.monitoring is None:
        lines.append(_("Monitoring: no follow-up observations given"))
    else:
        lines.append(
            _("Monitoring: {n} poor adaptations flagged").format(n=api.format_number(len(result.monitoring.flags)))
        )
    return "\n".join(lines) + "\n"
