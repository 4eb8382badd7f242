"""The ``seimbang monitor`` command: follow up approved moves at 3, 6 and 12 months against the projection.

Exit codes (docs/cli.md): 0 no poor adaptation flagged, 1 at least one flag (``api.ExitCode.NEGATIVE_VERDICT``),
2 invalid input (every problem listed with its file, row and column). The report goes to stdout (or
``--output``), the names of written files to stderr.
"""

from __future__ import annotations

from pathlib import Path

import click

from . import api
from .cli_support import I18nCommand, option, write_output
from .i18n import N_

FOLDER = click.Path(exists=True, file_okay=False, dir_okay=True, path_type=Path)
FILE = click.Path(exists=True, file_okay=True, dir_okay=False, path_type=Path)


@click.command(
    "monitor",
    cls=I18nCommand,
    help=N_(
        "Follow up approved transfers: compare what was observed 3, 6 and 12 months after the TMT (satisfaction "
        "survey, SKP predicate, attendance, overtime; each unit's EJ and service metrics) with the projection, "
        "flag poor adaptation and propose a follow-up review. DATASET is the dataset the plan was made on, "
        "OBSERVATIONS the observations folder (docs/monitoring.md). Exit code 0: nothing flagged; 1: flags raised."
    ),
    short_help=N_("Follow up transfers: observed against projected."),
)
@click.argument("dataset", type=FOLDER)
@click.argument("observations", type=FOLDER)
@option(
    "--projection",
    type=FILE,
    default=None,
    help=N_(
        "The JSON file 'simulate' wrote for the approved proposal (hasil-simulasi/SCENARIO.json). Without it no "
        "service metric can be judged."
    ),
)
@option(
    "--plan",
    type=FILE,
    default=None,
    help=N_("The plan or scenario file of the approved moves (default: the projection's moves)."),
)
@option(
    "--policy",
    type=FILE,
    default=None,
    help=N_("Thresholds of the flags (default: policy.yaml in OBSERVATIONS, else the documented defaults)."),
)
@option(
    "--format",
    "fmt",
    type=click.Choice(api.FORMATS),
    default="table",
    show_default=True,
    help=N_("Output: tables for people, or JSON or CSV for other tools."),
)
@option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help=N_("Write to this file instead of the terminal."),
)
@option(
    "--html",
    "html",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help=N_("Also write the HTML report with projected-against-observed charts to this file."),
)
def monitor_command(
    dataset: Path,
    observations: Path,
    projection: Path | None,
    plan: Path | None,
    policy: Path | None,
    fmt: str,
    output: Path | None,
    html: Path | None,
) -> None:
    data = api.load_dataset(dataset)
    report = api.monitor(data, observations, projection=projection, plan=plan, policy=policy)
    write_output(api.render_monitoring(report, fmt=fmt), output)
    if html is not None:
        write_output(api.render_monitoring_html(report), html)
    code = api.ExitCode.NEGATIVE_VERDICT if report.flagged else api.ExitCode.OK
    raise click.exceptions.Exit(int(code))
