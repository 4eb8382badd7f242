"""The ``seimbang`` and ``simulate`` commands: parse, call :mod:`decision_support.api`, render.

Exit codes (docs/cli.md): 0 success, 1 negative verdict, 2 invalid input or
usage, 3 internal error, 4 capability not available in this version,
130 interrupted.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import click

from . import __version__, api
from .cli_support import I18nCommand, I18nGroup, option, version_option
from .errors import ExitCode, OutputError
from .i18n import N_, _
from .models import WKE_CHOICES
from .report.formatting import number

DATASET = click.Path(file_okay=False, dir_okay=True, path_type=Path)


@click.group(
    "seimbang",
    cls=I18nGroup,
    context_settings={"help_option_names": ["-h", "--help"]},
    help=N_(
        "seimbang: decision support for balanced ASN transfers (mutasi). Start with "
        "'seimbang workload DATASET' on the example in datasets/sawahlunto."
    ),
)
@option("--debug", is_flag=True, help=N_("Show the full traceback of internal errors."))
@version_option(__version__, "seimbang")
def main(debug: bool) -> None:
    """Entry point of the ``seimbang`` console script."""


def write_output(text: str, output: Path | None) -> None:
    """Print ``text``, or write it to ``output`` atomically so a failed write never leaves half a file."""
    if output is None:
        click.echo(text, nl=False)
        return
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=output.parent, prefix=f".{output.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
                fh.write(text)
            # mkstemp creates the file private (0600); give it the mode any new file would get.
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
            os.replace(tmp, output)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
    except OSError as exc:
        raise OutputError(_("cannot write {path}: {reason}").format(path=output, reason=exc.strerror)) from None
    click.echo(_("Written: {path}").format(path=output), err=True)


@main.command(
    "check",
    help=N_("Validate a dataset folder and report every problem with its file, line and column."),
    short_help=N_("Validate a dataset folder."),
)
@click.argument("dataset", type=DATASET)
def check(dataset: Path) -> None:
    data = api.load_dataset(dataset)
    click.echo(
        _(
            "Dataset '{name}' is valid: {employees} employees, {units} units, {positions} positions, "
            "{tasks} ABK tasks, {schools} schools, {services} services (as of {as_of})."
        ).format(
            name=data.manifest.name,
            employees=number(len(data.employees)),
            units=number(len(data.units)),
            positions=number(len(data.positions)),
            tasks=number(len(data.workload)),
            schools=number(len(data.schools)),
            services=number(len(data.services)),
            as_of=data.as_of.isoformat(),
        )
    )


@main.command(
    "workload",
    help=N_(
        "Staffing-needs analysis (Anjab/ABK): workload hours, required staff, holders, gap and "
        "efisiensi jabatan (EJ) with its band, per unit, OPD or position; teachers needed per school "
        "and subject by the SKB 5 Menteri rule."
    ),
    short_help=N_("Workload (ABK) and staffing needs."),
)
@click.argument("dataset", type=DATASET)
@option(
    "--view",
    type=click.Choice(api.VIEWS),
    default="unit",
    show_default=True,
    help=N_("What each row is: unit, opd (with its sub-units), position, school, or teacher (school x subject)."),
)
@option(
    "--wke",
    type=click.Choice([str(h) for h in WKE_CHOICES]),
    default=None,
    help=N_(
        "Effective working hours per year: 1250 (PermenPAN-RB 1/2020), 1200 (Perka BKN 19/2011) or "
        "1300 (KepMenPAN 75/2004). Default: the dataset's setting, else 1250."
    ),
)
@option(
    "--sort",
    type=click.Choice(api.SORTS),
    default="ej",
    show_default=True,
    help=N_("Row order: ej (most overloaded first), gap (largest shortage first) or id (dataset order)."),
)
@option(
    "--format",
    "fmt",
    type=click.Choice(api.FORMATS),
    default="table",
    show_default=True,
    help=N_("Output: a table for people, JSON (every view) or CSV (the chosen view) for other tools."),
)
@option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help=N_("Write to this file instead of the terminal."),
)
def workload(dataset: Path, view: str, wke: str | None, sort: str, fmt: str, output: Path | None) -> None:
    data = api.load_dataset(dataset)
    report = api.analyse_workload(data, wke_hours=int(wke) if wke else None)
    write_output(api.render_workload(report, view=view, fmt=fmt, sort=sort), output)


SIMULATE_HELP = N_(
    "Project service queues and workload after the proposed transfers in SCENARIO (a YAML file) "
    "with a discrete-event simulation."
)


def _simulation_not_available(scenario: Path) -> None:
    click.echo(
        _(
            "The simulation is not available in seimbang {version} yet; it arrives with the simulation release. "
            "Scenario not run: {scenario}"
        ).format(version=__version__, scenario=scenario),
        err=True,
    )
    raise click.exceptions.Exit(int(ExitCode.NOT_AVAILABLE))


@main.command("simulate", help=SIMULATE_HELP, short_help=N_("Simulate a transfer scenario."))
@click.argument("scenario", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def simulate_command(scenario: Path) -> None:
    _simulation_not_available(scenario)


@click.command(
    "simulate", cls=I18nCommand, help=SIMULATE_HELP, context_settings={"help_option_names": ["-h", "--help"]}
)
@click.argument("scenario", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@version_option(__version__, "simulate")
def simulate(scenario: Path) -> None:
    """Entry point of the ``simulate`` console script (what planners type)."""
    _simulation_not_available(scenario)
