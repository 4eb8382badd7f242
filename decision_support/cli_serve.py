"""The ``seimbang serve`` command: the HTTP service on a dataset, a records database and the active rule set."""

from __future__ import annotations

import errno
import logging
import socket
from pathlib import Path

import click

from . import api
from .cli_records import db_option
from .cli_rules import RULE_PATHS
from .cli_support import I18nCommand, option
from .i18n import N_, _


@click.command(
    "serve",
    cls=I18nCommand,
    help=N_(
        "Run the HTTP service for SIMPEG and other systems: screening, explanations, plans, proposals with "
        "simulations as jobs, decisions with SK number and TMT, and the audit trail, with API tokens per role "
        "(seimbang tokens create). OpenAPI at /openapi.json, interactive docs at /docs. Stop with Ctrl+C."
    ),
    short_help=N_("Run the HTTP service."),
)
@option(
    "--dataset",
    type=click.Path(file_okay=False, dir_okay=True, path_type=Path),
    default=None,
    help=N_("Dataset folder to serve (default: the bundled synthetic Sawahlunto example)."),
)
@option(
    "--source",
    default=None,
    metavar="URL",
    help=N_("Serve the dataset of a SIMPEG or SIASN database (a SQLAlchemy URL) with --mapping, instead of a folder."),
)
@option(
    "--mapping",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help=N_("Mapping file of the --source database."),
)
@db_option
@option(
    "--rules",
    "rule_paths",
    type=RULE_PATHS,
    multiple=True,
    help=N_(
        "Rule pack file or folder activated at the first start, when the database has no active rule set "
        "(repeatable; default: $SEIMBANG_RULES, else the shipped rule packs)."
    ),
)
@option(
    "--scenarios",
    type=click.Path(file_okay=False, dir_okay=True, path_type=Path),
    default=None,
    help=N_("Folder of scenario templates simulations can name (default: the shipped scenarios)."),
)
@option("--host", default="127.0.0.1", show_default=True, help=N_("Address to listen on."))
@option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True, help=N_("Port to listen on."))
@option(
    "--workers",
    type=click.IntRange(1),
    default=1,
    show_default=True,
    help=N_("Processes per simulation (replications in parallel; results do not depend on it)."),
)
def serve_command(
    dataset: Path | None,
    source: str | None,
    mapping: Path | None,
    db: str | None,
    rule_paths: tuple[Path, ...],
    scenarios: Path | None,
    host: str,
    port: int,
    workers: int,
) -> None:
    import uvicorn

    from .service import ServiceSettings, create_app

    if dataset is not None and source is not None:
        raise click.UsageError(_("give --dataset or --source URL --mapping FILE (one of the two)"))
    if (source is None) != (mapping is None):
        raise click.UsageError(_("--source needs --mapping FILE, and --mapping goes with --source"))
    location = source if source is not None else str(dataset or api.example_dataset())
    settings = ServiceSettings(
        db_url=db,
        dataset=location,
        mapping=str(mapping) if mapping else None,
        rule_paths=rule_paths,
        scenarios=scenarios or api.shipped_path("scenarios"),
        simulation_workers=workers,
    )
    sock = listening_socket(host, port)
    app = create_app(settings)
    context = app.state.context
    click.echo(
        _("seimbang {version}: serving '{dataset}' on http://{host}:{port} (API docs: /docs); records: {db}").format(
            version=api.__version__,
            dataset=context.dataset_ref.name,
            host=host,
            port=port,
            db=redact(context.store.url),
        ),
        err=True,
    )
    logging.basicConfig(level=logging.INFO, format="%(levelname)s: %(name)s: %(message)s")
    server = uvicorn.Server(uvicorn.Config(app, log_level="info", timeout_graceful_shutdown=5))
    server.run(sockets=[sock])


def redact(url: str) -> str:
    from .records import redacted

    return redacted(url)


def listening_socket(host: str, port: int) -> socket.socket:
    """A socket bound to ``host:port``, or a usage error naming why (an address in use, not ours to take)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        reason = _("the port is in use") if exc.errno == errno.EADDRINUSE else (exc.strerror or str(exc))
        raise click.UsageError(
            _("cannot listen on {host}:{port}: {reason}").format(host=host, port=port, reason=reason)
        ) from None
    sock.listen(128)
    sock.set_inheritable(True)
    return sock
