"""The ``seimbang plan`` command: propose a checked transfer plan and write it as a plan file."""

from __future__ import annotations

from pathlib import Path

import click

from . import api
from .cli_plugins import load_input, source_options
from .cli_progress import progress
from .cli_rules import across_option, as_of_option, engine_option, resolve_rule_paths, rules_option
from .cli_support import I18nCommand, option, write_output
from .i18n import N_, _

DATASET = click.Path(file_okay=False, dir_okay=True, path_type=Path)


@click.command(
    "plan",
    cls=I18nCommand,
    help=N_(
        "Propose a transfer plan: a voluntary exchange among employees who asked to move (top trading cycles, "
        "with deferred acceptance as the baseline), then a balance optimiser (min-cost flow) that brings "
        "headcounts into the band around the ABK targets. Every move passes every rule; the plan file can be "
        "used as a scenario's proposal."
    ),
    short_help=N_("Propose a balanced transfer plan."),
)
@click.argument("dataset", type=DATASET, required=False)
@source_options
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
    "--lambda",
    "lam",
    type=click.IntRange(0),
    default=100,
    show_default=True,
    help=N_("Weight of the squared imbalance against the preference costs of moves."),
)
@option("--pareto", is_flag=True, help=N_("Print the transfers-against-imbalance frontier of the balance stage."))
@option(
    "--pareto-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help=N_("With --pareto, write one plan file per frontier point into this folder."),
)
@engine_option()
@as_of_option()
@across_option()
@option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("plan.yaml"),
    show_default=True,
    help=N_("Plan file to write."),
)
def plan_command(
    dataset: Path | None,
    source: str | None,
    mapping: Path | None,
    rule_paths: tuple[Path, ...],
    max_moves: int | None,
    band: float,
    mode: str,
    lam: int,
    pareto: bool,
    pareto_dir: Path | None,
    engine: str,
    as_of,
    across: bool,
    output: Path,
) -> None:
    with progress(_("Loading the dataset and the rules")) as shown:
        data = load_input(dataset, source, mapping)
        report = api.analyse_workload(data)
        ruleset = api.check_rules(resolve_rule_paths(rule_paths))
        options = api.PlanOptions(mode=mode, band=band, max_moves=max_moves, lam=lam, engine=engine)
        if pareto:
            shown.phase(_("Planning"))
            points = api.pareto_plans(data, report, ruleset, options, as_of=as_of, source=dataset)
        else:
            shown.phase(_("Screening the under-staffed positions"))

            def advance(done: int, total: int) -> None:
                shown.update(done, total)
                if done == total:
                    shown.phase(_("Solving the plan"))

            plan = api.make_plan(
                data, report, ruleset, options, as_of=as_of, source=dataset, progress=advance,
                across_local_governments=across,
            )  # fmt: skip
    if pareto:
        click.echo(api.render_pareto(points), nl=False)
        if pareto_dir is not None:
            for point in points:
                write_output(api.render_plan(point.plan), pareto_dir / f"plan-lambda-{point.lam}.yaml")
        return
    write_output(api.render_plan(plan), output)
    click.echo(api.render_plan_summary(plan), nl=False)
