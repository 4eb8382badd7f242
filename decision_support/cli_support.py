"""click plumbing for a bilingual CLI with one error handler.

- The language is chosen before click parses anything (``--lang`` anywhere on
  the command line, else ``$SEIMBANG_LANG``, else Indonesian), so even
  ``seimbang workload --help --lang en`` renders in English.
- Help texts are message ids translated when rendered, not when declared.
- click's own words ("Usage:", "Missing argument") go through our catalogue.
- Every :class:`api.SeimbangError` becomes a message on stderr and its exit code;
  anything else is an internal error (exit 3) with a traceback only on ``--debug``.
"""

from __future__ import annotations

import os
import sys
import tempfile
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from . import api, i18n
from .i18n import N_, N_plural, _

# click's own messages that users meet most often; listed so that extraction puts them in our catalogue.
CLICK_MESSAGES = (
    N_("Usage:"),
    N_("Options"),
    N_("Commands"),
    N_("Show this message and exit."),
    N_("Show the version and exit."),
    N_("Error: {message}"),
    N_("Try '{command} {option}' for help."),
    N_("Missing argument"),
    N_("Missing option"),
    N_("Missing parameter: {param_name}"),
    N_("Missing command."),
    N_("No such command {name!r}."),
    N_("No such option {name!r}."),
    N_("Invalid value for {param_hint}: {message}"),
    N_("Invalid value: {message}"),
    N_("{name} {filename!r} does not exist."),
    N_("{name} {filename!r} is a directory."),
    N_("{name} {filename!r} is a file."),
    N_("{value!r} is not a valid {number_type}."),
    N_("Aborted!"),
    N_("file"),
    N_("directory"),
    N_("path"),
    N_("Path"),
    N_("File"),
    N_("Directory"),
    N_("default: {default}"),
    N_("required"),
)

# click's messages with a plural form (click calls ngettext for them).
CLICK_PLURAL_MESSAGES = (
    N_plural("{value!r} is not {choice}.", "{value!r} is not one of {choices}."),
    N_plural("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})"),
    N_plural("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments."),
    N_plural("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)"),
)

_CLICK_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "types", "utils", "termui")


def install_click_translations() -> None:
    """Route click's gettext calls through the language of the current seimbang call.

    Idempotent and context-aware: outside a seimbang command click keeps its own English.
    """
    import importlib

    for name in _CLICK_MODULES:
        module = importlib.import_module(f"click.{name}")
        if hasattr(module, "_"):
            module._ = i18n.chosen_gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = i18n.chosen_ngettext  # type: ignore[attr-defined]


def language_from_args(args: Sequence[str]) -> str | None:
    """The value of ``--lang`` wherever it stands on the command line."""
    for i, arg in enumerate(args):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(args):
            return args[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None


class I18nOption(click.Option):
    """An option whose help text is a message id, translated at render time."""

    def get_help_record(self, ctx: click.Context) -> tuple[str, str] | None:
        original = self.help
        self.help = _(original) if original else original
        try:
            return super().get_help_record(ctx)
        finally:
            self.help = original


class I18nCommand(click.Command):
    """A command with translated help, the shared ``--lang`` option and the shared error handler."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not any(p.name == "lang" for p in self.params):
            self.params.append(lang_option())

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        # click builds --help once and caches it with the text of the language active then.
        self._help_option = None
        return super().get_help_option(ctx)

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        original = self.help
        self.help = _(original) if original else original
        try:
            super().format_help_text(ctx, formatter)
        finally:
            self.help = original

    def get_short_help_str(self, limit: int = 45) -> str:
        original = self.short_help, self.help
        self.short_help = _(self.short_help) if self.short_help else None
        self.help = _(self.help) if self.help else self.help
        try:
            return super().get_short_help_str(limit)
        finally:
            self.short_help, self.help = original

    def main(self, args: Sequence[str] | None = None, *pargs: Any, **kwargs: Any) -> Any:
        arguments = list(sys.argv[1:] if args is None else args)
        install_click_translations()
        with i18n.language(language_from_args(arguments)):
            return super().main(arguments, *pargs, **kwargs)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except api.SeimbangError as exc:
            report_error(exc)
            ctx.exit(int(exc.exit_code))
        except KeyboardInterrupt:
            click.echo(_("Interrupted."), err=True)
            ctx.exit(int(api.ExitCode.INTERRUPTED))
        except Exception:
            report_internal_error(ctx)
            ctx.exit(int(api.ExitCode.INTERNAL_ERROR))


def debug_requested(ctx: click.Context) -> bool:
    """Whether ``--debug`` was given, on this command or on the root group."""
    return bool(ctx.find_root().params.get("debug") or ctx.params.get("debug"))


def debug_command_line(ctx: click.Context) -> str | None:
    """How to rerun this command with ``--debug``, or None where no command of the chain has it."""
    root = ctx.find_root()
    if not any(p.name == "debug" for p in root.command.params):
        return None
    words = ctx.command_path.split()
    return " ".join([words[0], "--debug", *words[1:]])


def report_internal_error(ctx: click.Context) -> None:
    """A bug: the traceback with ``--debug``, else a short message with how to get the traceback."""
    if debug_requested(ctx):
        traceback.print_exc(file=sys.stderr)
        return
    rerun = debug_command_line(ctx)
    if rerun is None:
        message = _(
            "Internal error in seimbang (a bug, not a problem with your data). Send this message to the developers."
        )
    else:
        message = _(
            "Internal error in seimbang (a bug, not a problem with your data). Run again as '{command} ...' "
            "and send the output to the developers."
        ).format(command=rerun)
    click.echo(message, err=True)
    click.echo("".join(traceback.format_exception_only(*sys.exc_info()[:2])).strip(), err=True)


def debug_option() -> Any:
    """``--debug``: show the traceback of an internal error (exit code 3 either way)."""
    return click.option("--debug", is_flag=True, cls=I18nOption, help=N_("Show the full traceback of internal errors."))


class I18nGroup(I18nCommand, click.Group):
    """A group whose subcommands share the same behaviour."""

    command_class = I18nCommand

    def invoke(self, ctx: click.Context) -> Any:
        # Errors raised in subcommands are handled by the subcommand itself.
        return click.Group.invoke(self, ctx)


def report_error(exc: api.SeimbangError) -> None:
    """Print ``exc`` for a user: every problem, then a one-line summary, all on stderr."""
    if isinstance(exc, api.InputError):
        click.echo(exc.render(), err=True)
        click.echo(exc.summary(), err=True)
    else:
        click.echo(_("Error: {message}").format(message=exc), err=True)


def _set_language(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is not None:
        i18n.set_language(value)
    return value


def lang_option() -> click.Option:
    return I18nOption(
        ["--lang"],
        type=click.Choice(i18n.LANGUAGES),
        default=None,
        expose_value=False,
        is_eager=True,
        callback=_set_language,
        help=N_("Language of messages: id (Bahasa Indonesia, the default) or en. Also $SEIMBANG_LANG."),
    )


def version_option(version: str, prog_name: str) -> Any:
    """``--version`` whose help and message are translated when shown, not when declared."""

    def show(ctx: click.Context, param: click.Parameter, value: bool) -> None:
        if value and not ctx.resilient_parsing:
            click.echo(_("{prog}, version {version}").format(prog=prog_name, version=version))
            ctx.exit()

    return click.option(
        "--version",
        is_flag=True,
        expose_value=False,
        is_eager=True,
        callback=show,
        cls=I18nOption,
        help=N_("Show the version and exit."),
    )


def option(*param_decls: str, **attrs: Any) -> Any:
    """``click.option`` with a translatable help text."""
    attrs.setdefault("cls", I18nOption)
    return click.option(*param_decls, **attrs)


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
        raise api.OutputError(_("cannot write {path}: {reason}").format(path=output, reason=exc.strerror)) from None
    click.echo(_("Written: {path}").format(path=output), err=True)
