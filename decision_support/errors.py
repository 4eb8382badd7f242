"""Errors a user can act on, and the exit codes the CLI maps them to.

Every problem with the user's input is a :class:`Problem` that names the file,
the position in it (line:column for YAML, row:column for CSV and XLSX), the
entity (an NIP, a unit id, a position id...), the field, what was expected, and
a hint such as "did you mean". Loaders collect *all* problems of a run and raise
one :class:`InputError`, so a policy officer fixes a file in one pass.
"""

from __future__ import annotations

import difflib
import errno
import os
from dataclasses import dataclass, field
from enum import IntEnum
from pathlib import Path

from .i18n import _, ngettext


class ExitCode(IntEnum):
    """Process exit codes of the ``seimbang`` and ``simulate`` commands (documented in docs/cli.md)."""

    OK = 0
    #: The analysis ran, and its verdict is negative (e.g. a plan judged TIDAK LAYAK).
    NEGATIVE_VERDICT = 1
    #: The input (files, options) is invalid; nothing was computed or written.
    INVALID_INPUT = 2
    #: An internal error: a bug in seimbang. The message says how to report it.
    INTERNAL_ERROR = 3
    #: Interrupted by the user (Ctrl+C).
    INTERRUPTED = 130


@dataclass(frozen=True)
class Location:
    """Where a value sits in a source file.

    ``line`` and ``column`` are 1-based. For CSV and XLSX files ``line`` is the
    row number as a spreadsheet shows it and ``column_name`` the header.
    """

    path: str
    line: int | None = None
    column: int | None = None
    column_name: str | None = None
    #: The source text of that line, for a caret snippet (YAML only).
    source_line: str | None = None

    def render(self) -> str:
        parts = [self.path]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, ready to be shown to a user."""

    location: Location
    message: str
    #: e.g. ``"pegawai 198609262015051001"`` or ``"unit DISDUKCAPIL"``.
    entity: str | None = None
    field: str | None = None
    hint: str | None = None

    def render(self, snippet: bool = True) -> str:
        head = [self.location.render()]
        if self.entity:
            head.append(self.entity)
        if self.field:
            head.append(self.field)
        text = ": ".join(head) + ": " + self.message
        if self.hint:
            text += ("" if self.message.endswith((".", "?", "!", ":")) else ".") + " " + self.hint
        if snippet and self.location.source_line is not None and self.location.column:
            line = self.location.source_line.rstrip("\n")
            caret = " " * (self.location.column - 1) + "^"
            text += f"\n    {line}\n    {caret}"
        return text

    def sort_key(self) -> tuple[str, int, int]:
        return (self.location.path, self.location.line or 0, self.location.column or 0)


class SeimbangError(Exception):
    """Base of every error seimbang reports to a user without a traceback."""

    exit_code: ExitCode = ExitCode.INVALID_INPUT


class OutputError(SeimbangError):
    """A result could not be written (a read-only folder, a full disk); nothing partial was left behind."""

    exit_code = ExitCode.INVALID_INPUT


@dataclass
class InputError(SeimbangError):
    """The input has one or more problems; all of them are listed."""

    problems: list[Problem] = field(default_factory=list)
    #: One line each for problems that follow from those listed (e.g. tests of a pack that did not load),
    #: shown after them instead of one problem per consequence.
    consequences: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(self.render())

    def render(self) -> str:
        ordered = sorted(self.problems, key=Problem.sort_key)
        return "\n".join([*(p.render() for p in ordered), *self.consequences])

    def summary(self) -> str:
        n = len(self.problems)
        files = len({p.location.path for p in self.problems})
        problems = ngettext("{n} problem", "{n} problems", n).format(n=n)
        in_files = ngettext("in {files} file", "in {files} files", files).format(files=files)
        return _("{problems} {in_files}; nothing was computed.").format(problems=problems, in_files=in_files)


def did_you_mean(value: object, choices: list[str] | tuple[str, ...] | set[str]) -> str | None:
    """A localized "did you mean 'x'?" for the closest of ``choices``, if any is close."""
    if not isinstance(value, str) or not choices:
        return None
    pool = sorted(choices)
    match = difflib.get_close_matches(value, pool, n=1, cutoff=0.6)
    if not match:
        lowered = {c.lower(): c for c in pool}
        match = difflib.get_close_matches(value.lower(), list(lowered), n=1, cutoff=0.6)
        match = [lowered[m] for m in match]
    if not match:
        return None
    return _("Did you mean '{choice}'?").format(choice=match[0])


def display_path(path: Path | str) -> str:
    """Show ``path`` relative to the working directory when it lies below it."""
    p = Path(path)
    try:
        # Not resolve() first: a symbolic link is shown by its own name, not by the file it points to.
        return str(Path(os.path.abspath(p)).relative_to(os.getcwd()))
    except (ValueError, OSError):
        pass
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError, RuntimeError):
        # RuntimeError: a symbolic link loop (Python < 3.13); the path as given still says where to look.
        return str(p)


def os_reason(exc: OSError) -> str:
    """Why a file could not be read, in the user's language for the common causes."""
    reasons = {
        errno.EACCES: _("permission denied"),
        errno.EPERM: _("permission denied"),
        errno.ENOENT: _("no such file or folder"),
        errno.EISDIR: _("it is a folder, not a file"),
        errno.ELOOP: _("a symbolic link that loops back to itself"),
        errno.ENOTDIR: _("a part of the path is not a folder"),
    }
    return reasons.get(exc.errno or 0, exc.strerror or str(exc))
