"""The ``seimbang participation`` commands: import a survey export, the consultation summary, one record."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from . import api
from .cli_progress import progress
from .cli_rules import _as_of
from .cli_support import I18nGroup, option, write_output
from .i18n import N_, _

DATASET = click.Path(file_okay=False, dir_okay=True, path_type=Path)
FILE = click.Path(dir_okay=False, path_type=Path)


@click.group(
    "participation",
    cls=I18nGroup,
    help=N_(
        "Employee participation in transfers: import the survey of wishes, hopes and objections, and show how "
        "a proposal treats each affected employee's stated view (docs/participation.md)."
    ),
    short_help=N_("Employees' wishes, hopes and objections."),
)
def participation_group() -> None:
    """The participation commands."""


@participation_group.command(
    "import",
    help=N_(
        "Read a survey form export (Google Forms or Microsoft Forms, CSV or XLSX) and write participation.csv. "
        "Every bad row is reported with its row, column and NIP; nothing is written then. -o names the file or "
        "the dataset folder (then DATASET/participation.csv)."
    ),
    short_help=N_("Import a survey export into participation.csv."),
)
@click.argument("survey", type=FILE)
@option(
    "--output",
    "-o",
    type=click.Path(path_type=Path),
    required=True,
    help=N_("participation.csv to write, or the dataset folder to write it into."),
)
@option(
    "--dataset",
    type=DATASET,
    default=None,
    help=N_("Dataset to check NIPs and unit ids against. Default: the folder -o names or writes into."),
)
def import_participation(survey: Path, output: Path, dataset: Path | None) -> None:
    target = output / "participation.csv" if output.is_dir() else output
    folder = dataset or (output if output.is_dir() else output.parent)
    with progress(_("Loading the dataset")):
        data = api.load_dataset(folder)
    result = api.import_survey(survey, data)
    write_output(api.render_participation_csv(result), target)
    click.echo(
        _("{views} views from {responses} responses imported from {source}.").format(
            views=len(result.views), responses=result.responses, source=result.source
        )
    )


@participation_group.command(
    "summary",
    help=N_(
        "Consultation summary of a proposal (a plan file from 'seimbang plan' or a scenario): for each employee "
        "it moves, their stated views and whether the proposal honours each, and if not, why (the reasons the "
        "proposal gives). A plan file needs the DATASET folder."
    ),
    short_help=N_("How a proposal treats the employees' stated views."),
)
@click.argument("proposal", type=FILE)
@click.argument("dataset", type=DATASET, required=False)
@option(
    "--proposed-on",
    callback=_as_of,
    metavar="YYYY-MM-DD",
    help=N_("Date of the proposal: views stated after it are marked."),
)
@option(
    "--format",
    "fmt",
    type=click.Choice(api.CONSULTATION_FORMATS),
    default="table",
    show_default=True,
    help=N_("Output: a table for the meeting, JSON or CSV (one row per view)."),
)
@option("--output", "-o", type=FILE, default=None, help=N_("Write to this file instead of the terminal."))
def summary(proposal: Path, dataset: Path | None, proposed_on: date | None, fmt: str, output: Path | None) -> None:
    with progress(_("Loading the proposal and the dataset")):
        loaded = api.load_proposal(proposal, dataset)
    result = api.consultation_summary(loaded.dataset, loaded, proposed_on=proposed_on)
    write_output(api.render_consultation(result, fmt), output)


@participation_group.command(
    "show",
    help=N_("One employee's own participation record: the views they stated (what the employee role sees)."),
    short_help=N_("One employee's stated views."),
)
@click.argument("nip")
@click.argument("dataset", type=DATASET)
@option(
    "--format",
    "fmt",
    type=click.Choice(("table", "json")),
    default="table",
    show_default=True,
    help=N_("Output: one line per view, or JSON."),
)
def show(nip: str, dataset: Path, fmt: str) -> None:
    record = api.participation_of(api.load_dataset(dataset), nip)
    click.echo(api.render_participation_record(record, fmt), nl=False)
