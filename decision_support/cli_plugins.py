"""Plugins on the command line: ``seimbang plugins``, and ``--source URL --mapping FILE`` wherever a dataset is read."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from . import api
from .cli_support import I18nCommand, option
from .i18n import N_, _


def source_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--source URL`` and ``--mapping FILE``: read the dataset through a source plugin instead of a folder."""
    func = option(
        "--mapping",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help=N_("Mapping file of the --source database: its tables, columns, joins and code translations."),
    )(func)
    return option(
        "--source",
        default=None,
        metavar="URL",
        help=N_(
            "Read the dataset from a SIMPEG or SIASN database (a SQLAlchemy URL such as mysql+pymysql://user@host/db) "
            "with --mapping, instead of a dataset folder."
        ),
    )(func)


def load_input(dataset: Path | None, source: str | None, mapping: Path | None) -> api.Dataset:
    """The dataset named on the command line: a folder, or ``--source`` with ``--mapping`` (exactly one of the two)."""
    if (dataset is None) == (source is None):
        raise click.UsageError(_("give a dataset folder or --source URL --mapping FILE (one of the two)"))
    if source is not None and mapping is None:
        raise click.UsageError(_("--source needs --mapping FILE"))
    if dataset is not None and mapping is not None:
        raise click.UsageError(_("--mapping goes with --source"))
    return api.load_source(dataset if dataset is not None else str(source), mapping=mapping)


@click.command(
    "plugins",
    cls=I18nCommand,
    help=N_(
        "List the loaded plugins (the built-in dataset-folder source and those installed under the entry-point "
        "group 'seimbang') and which hooks each implements."
    ),
    short_help=N_("List loaded plugins and their hooks."),
)
def plugins_command() -> None:
    rows = api.default_plugins().info()
    width = max(len(row.name) for row in rows)
    click.echo(_("{n} plugins loaded:").format(n=len(rows)))
    for row in rows:
        origin = _("built-in") if row.origin == "built-in" else row.origin
        click.echo(f"  {row.name.ljust(width)}  {origin}")
        click.echo("  " + " " * width + "  " + _("hooks: {hooks}").format(hooks=", ".join(row.hooks) or "-"))


@click.command(
    "import",
    cls=I18nCommand,
    help=N_(
        "Read a SIMPEG or SIASN database (--source, a SQLAlchemy URL; read-only) with its mapping file and write "
        "a dataset folder. Rows that cannot be mapped are listed with their table, key and reason, and skipped; "
        "the summary counts rows read, imported and skipped per table. Exit code 1 when rows were skipped."
    ),
    short_help=N_("Import a SIMPEG database as a dataset folder."),
)
@option(
    "--source",
    required=True,
    metavar="URL",
    help=N_(
        "SQLAlchemy URL of the database, e.g. sqlite:///simpeg.db, or a SIASN employee CSV export (FILE.csv) whose "
        "mapping names the database for the rest."
    ),
)
@option(
    "--mapping",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help=N_("Mapping file: tables, columns, joins and code translations."),
)
@option(
    "--output",
    "-o",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help=N_("Dataset folder to write (created; must be empty if it exists)."),
)
def import_command(source: str, mapping: Path, output: Path) -> None:
    with click.progressbar(length=0, label=_("Reading"), file=sys.stderr) as bar:

        def progress(done: int, total: int | None) -> None:
            if total:
                bar.length = total
            bar.update(done - bar.pos)

        summary = api.import_source(source, output, mapping=mapping, progress=progress)
    for row in summary.skipped:
        click.echo(
            _("skipped: {table} {key}: {reason}").format(table=row.table, key=row.key, reason=row.reason), err=True
        )
    click.echo(_("Import summary (rows read = imported + skipped):"))
    width = max([len(t) for t in summary.tables] + [5])
    for table, count in summary.tables.items():
        click.echo(
            "  "
            + _("{table}: {read} read, {imported} imported, {skipped} skipped").format(
                table=table.ljust(width),
                read=api.format_number(count.read),
                imported=api.format_number(count.imported),
                skipped=api.format_number(count.skipped),
            )
        )
    click.echo(_("Written: {path}").format(path=output))
    if summary.skipped:
        click.get_current_context().exit(int(api.ExitCode.NEGATIVE_VERDICT))
