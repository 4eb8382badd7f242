"""Reading text files: UTF-8 (with or without a BOM), or a problem that says where it is not."""

from __future__ import annotations

from pathlib import Path

from ..errors import Location, Problem, os_reason
from ..i18n import _


def read_utf8(path: Path, shown_as: str) -> tuple[str | None, list[Problem]]:
    """The text of ``path``, or a problem naming the line and byte that is not UTF-8."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, [Problem(Location(shown_as), _("cannot read the file: {reason}").format(reason=os_reason(exc)))]
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, [
            Problem(
                Location(shown_as, line, column),
                _("the file is not UTF-8 text: byte 0x{byte:02X} cannot be read").format(byte=raw[exc.start]),
                hint=_("Save it as 'CSV UTF-8' in the spreadsheet program.")
                if path.suffix.lower() == ".csv"
                else _("Save the file with the UTF-8 encoding in the text editor."),
            )
        ]
