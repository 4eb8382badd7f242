"""The ``seimbang`` and ``simulate`` commands: parse, call :mod:`decision_support.api`, render.

Exit codes (docs/cli.md): 0 success, 1 negative verdict, 2 invalid input or
usage, 3 internal error, 130 interrupted.
"""

from __future__ import annotations

from pathlib import Path

import click

from . import api
from .cli_plugins import import_command, load_input, plugins_command, source_options
from .cli_progress import progress
from .cli_support import I18nGroup, option, version_option, write_output
from .i18n import N_, _

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
@version_option(api.__version__, "seimbang")
def main(debug: bool) -> None:
    """Entry point of the ``seimbang`` console script."""


@main.command(
    "check",
    help=N_("Validate a dataset folder and report every problem with its file, line and column."),
    short_help=N_("Validate a dataset folder."),
)
@click.argument("dataset", type=DATASET, required=False)
@source_options
def check(dataset: Path | None, source: str | None, mapping: Path | None) -> None:
    with progress(_("Checking the dataset")) as shown:
        if source is None and dataset is not None and mapping is None:
            data, notices = api.load_dataset_with_notices(dataset, shown)
        else:
            data, notices = load_input(dataset, source, mapping), []
    for notice in notices:
        click.echo(_("Note: {notice}").format(notice=notice.render()), err=True)
    click.echo(
        _(
            "Dataset '{name}' is valid: {employees} employees, {units} units, {positions} positions, "
            "{tasks} ABK tasks, {schools} schools, {services} services (as of {as_of})."
        ).format(
            name=data.manifest.name,
            employees=api.format_number(len(data.employees)),
            units=api.format_number(len(data.units)),
            positions=api.format_number(len(data.positions)),
            tasks=api.format_number(len(data.workload)),
            schools=api.format_number(len(data.schools)),
            services=api.format_number(len(data.services)),
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
@click.argument("dataset", type=DATASET, required=False)
@source_options
@option(
    "--view",
    type=click.Choice(api.VIEWS),
    default="unit",
    show_default=True,
    help=N_("What each row is: unit, opd (with its sub-units), position, school, or teacher (school x subject)."),
)
@option(
    "--wke",
    type=click.Choice([str(h) for h in api.WKE_CHOICES]),
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
def workload(
    dataset: Path | None,
    source: str | None,
    mapping: Path | None,
    view: str,
    wke: str | None,
    sort: str,
    fmt: str,
    output: Path | None,
) -> None:
    data = load_input(dataset, source, mapping)
    report = api.analyse_workload(data, wke_hours=int(wke) if wke else None)
    write_output(api.render_workload(report, view=view, fmt=fmt, sort=sort), output)


# The simulation commands live in their own module; ``simulate`` is also the console script of that name.
from .cli_simulate import simulate, simulate_command  # noqa: E402, F401 (simulate: the console script)

main.add_command(simulate_command)


# The rule commands live in their own module; registered here so `seimbang --help` lists them.
from .cli_rules import explain_command, rules_group, screen_command  # noqa: E402

main.add_command(rules_group)
main.add_command(explain_command)
main.add_command(screen_command)

# The planning command lives in its own module.
from .cli_plan import plan_command  # noqa: E402

main.add_command(plan_command)

# The monitoring command lives in its own module.
from .cli_monitor import monitor_command  # noqa: E402

main.add_command(monitor_command)
main.add_command(plugins_command)
main.add_command(import_command)

# The participation commands (survey import, consultation summary) live in their own module.
from .cli_participation import participation_group  # noqa: E402

main.add_command(participation_group)

# The periodic review lives in its own module.
from .cli_review import review_command  # noqa: E402

main.add_command(review_command)

# The records commands (tokens, audit trail, replay of decisions) live in their own module.
from .cli_records import audit_group, records_group, replay_command, tokens_group  # noqa: E402

main.add_command(tokens_group)
main.add_command(audit_group)
main.add_command(replay_command)
main.add_command(records_group)

# The HTTP service lives in its own module (it imports FastAPI only when it runs).
from .cli_serve import serve_command  # noqa: E402

main.add_command(serve_command)
