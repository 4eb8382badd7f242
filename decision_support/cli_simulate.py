"""The ``simulate SCENARIO`` command (also ``seimbang simulate``): run, report, exit with the verdict.

Exit code 0 only when the proposal is LAYAK, 1 when it is TIDAK LAYAK or TIDAK DAPAT DINILAI
(``api.ExitCode.NEGATIVE_VERDICT``), 2 when the scenario or its dataset has problems or the run would exceed the
work limit (all listed with file:line:column). The summary goes to stdout, the
progress bar and the names of written files to stderr.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from . import api
from .cli_support import I18nCommand, debug_option, option, version_option, write_output
from .i18n import N_, _

SIMULATE_HELP = N_(
    "Project service queues and workload after the proposed transfers in SCENARIO (a YAML file) "
    "with a discrete-event simulation, and judge the proposal LAYAK, TIDAK LAYAK or TIDAK DAPAT DINILAI "
    "(cannot be judged) by the scenario's criteria."
)
DEFAULT_OUTPUT = Path("hasil-simulasi")


def simulate_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The arguments and options shared by ``simulate`` and ``seimbang simulate``."""
    decorators = [
        click.argument("scenario", type=click.Path(exists=True, dir_okay=False, path_type=Path)),
        option(
            "--replications",
            "-r",
            type=click.IntRange(2, 10_000),
            default=None,
            help=N_("Number of replications (default: the scenario's replications)."),
        ),
        option(
            "--seed",
            type=click.IntRange(0, 2**63 - 1),
            default=None,
            help=N_("Master seed of the random streams (default: the scenario's seed)."),
        ),
        option(
            "--workers",
            "-j",
            type=click.IntRange(1, 256),
            default=None,
            help=N_(
                "Worker processes running replications in parallel (default: the number of CPUs). "
                "The results do not depend on it."
            ),
        ),
        option(
            "--executor",
            default="local",
            show_default=True,
            metavar="URL",
            help=N_(
                "Where replications run: 'local' (worker processes on this computer), 'serial' (this process) "
                "or 'dask://HOST:PORT' (the workers of a Dask scheduler). The results do not depend on it."
            ),
        ),
        option(
            "--format",
            "fmt",
            type=click.Choice(api.FORMATS),
            default="table",
            show_default=True,
            help=N_("What to print: a summary for people (table), or the JSON or CSV written to the output folder."),
        ),
        option(
            "--output-dir",
            "-o",
            type=click.Path(file_okay=False, path_type=Path),
            default=DEFAULT_OUTPUT,
            show_default=True,
            help=N_("Folder for the result files SCENARIO.json, SCENARIO.csv and SCENARIO.html."),
        ),
        option(
            "--html/--no-html",
            default=True,
            help=N_("Write the HTML report with charts, which opens offline in any browser (the default), or not."),
        ),
    ]
    for decorator in reversed(decorators):
        command = decorator(command)
    return command


def default_workers() -> int:
    """The CPUs this process may use."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def run_simulation(
    scenario: Path,
    replications: int | None,
    seed: int | None,
    workers: int | None,
    executor: str,
    fmt: str,
    output_dir: Path,
    html: bool,
) -> None:
    """Load, simulate with a progress bar, write the files, print the summary, exit with the verdict."""
    if api.is_sweep_file(scenario):
        run_sweep(scenario, replications, seed, workers, executor, fmt, output_dir, html)
        return
    loaded = api.load_scenario(scenario)
    api.check_work(loaded, replications)  # refuse an oversized run before the progress bar appears
    total = replications or loaded.scenario.replications
    workers = min(workers or default_workers(), total)
    with (
        api.executor_from_url(executor, workers=workers) as runner,
        click.progressbar(length=total, label=_("Replications"), file=sys.stderr) as bar,
    ):

        def advance(done: int, _total: int) -> None:
            bar.update(done - bar.pos)

        result = api.run_scenario(loaded, replications=replications, seed=seed, executor=runner, progress=advance)
    click.echo(api.render_simulation(result, fmt=fmt), nl=False)
    stem = scenario.stem
    write_output(api.render_simulation(result, fmt="json"), output_dir / f"{stem}.json")
    write_output(api.render_simulation(result, fmt="csv"), output_dir / f"{stem}.csv")
    if html:
        write_output(api.render_simulation_html(result), output_dir / f"{stem}.html")
    code = api.ExitCode.OK if result.verdict.feasible else api.ExitCode.NEGATIVE_VERDICT
    raise click.exceptions.Exit(int(code))


def run_sweep(
    sweep_file: Path,
    replications: int | None,
    seed: int | None,
    workers: int | None,
    executor: str,
    fmt: str,
    output_dir: Path,
    html: bool,
) -> None:
    """A sweep file: simulate every grid point, write the combined report, print the table of verdicts.

    Exit 0 when at least one grid point is LAYAK, 1 when none is.
    """
    sweep = api.load_sweep(sweep_file, replications=replications, seed=seed)
    api.check_sweep_work(sweep)
    total = sweep.total_replications
    with (
        api.executor_from_url(executor, workers=min(workers or default_workers(), total)) as runner,
        click.progressbar(length=total, label=_("Replications"), file=sys.stderr) as bar,
    ):

        def advance(done: int, _total: int) -> None:
            bar.update(done - bar.pos)

        result = api.run_sweep(sweep, executor=runner, progress=advance)
    click.echo(api.render_sweep(result, fmt=fmt), nl=False)
    stem = sweep_file.stem
    write_output(api.render_sweep(result, fmt="json"), output_dir / f"{stem}.json")
    write_output(api.render_sweep(result, fmt="csv"), output_dir / f"{stem}.csv")
    if html:
        write_output(api.render_sweep_html(result), output_dir / f"{stem}.html")
    code = api.ExitCode.OK if result.passed else api.ExitCode.NEGATIVE_VERDICT
    raise click.exceptions.Exit(int(code))


@click.command("simulate", cls=I18nCommand, help=SIMULATE_HELP, short_help=N_("Simulate a transfer scenario."))
@simulate_options
def simulate_command(**kwargs: Any) -> None:
    """``seimbang simulate``."""
    run_simulation(**kwargs)


@click.command(
    "simulate", cls=I18nCommand, help=SIMULATE_HELP, context_settings={"help_option_names": ["-h", "--help"]}
)
@simulate_options
@version_option(api.__version__, "simulate")
@debug_option()
def simulate(debug: bool, **kwargs: Any) -> None:
    """Entry point of the ``simulate`` console script (what planners type)."""
    run_simulation(**kwargs)
