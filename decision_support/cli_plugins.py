"""Plugins on the command line: ``seimbang plugins``, and ``--source URL --mapping FILE`` wherever a dataset is read."""

from __future__ import annotations

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
