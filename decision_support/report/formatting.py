"""Text tables and numbers for people: Indonesian number style (1.250,5) unless English is active."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from dataclasses import asdict, is_dataclass
from typing import Any

from ..i18n import format_number


def number(value: float | int | None, digits: int = 0) -> str:
    """Format a number in the active language; ``-`` for a missing value; never ``-0,00``."""
    if value is not None and value == value and round(value, digits) == 0:
        value = 0  # a tiny negative value would print as "-0,00", which reads as a real decrease
    return format_number(value, digits)


def signed(value: int) -> str:
    """An integer with an explicit sign, so surpluses and shortages read at a glance."""
    return ("+" if value > 0 else "") + number(value)


def shorten(text: str, width: int) -> str:
    """``text`` cut to ``width`` characters with an ellipsis, so long OPD names keep a table readable."""
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def text_table(headers: Sequence[str], rows: Sequence[Sequence[str]], right: set[int] | None = None) -> str:
    """An aligned plain-text table; ``right`` holds the indexes of right-aligned (numeric) columns."""
    right = right or set()
    widths = [len(h) for h in headers]
    for row in rows:
        widths = [max(w, len(cell)) for w, cell in zip(widths, row, strict=True)]

    def line(cells: Sequence[str]) -> str:
        parts = [c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(cells, widths, strict=True))]
        return "  ".join(parts).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(headers), rule, *(line(r) for r in rows)])


def to_plain(value: Any) -> Any:
    """Dataclasses and containers as JSON-ready data."""
    if is_dataclass(value) and not isinstance(value, type):
        return to_plain(asdict(value))
    if isinstance(value, dict):
        return {k: to_plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_plain(v) for v in value]
    if isinstance(value, float):
        return round(value, 4)
    return value


def to_json(value: Any) -> str:
    return json.dumps(to_plain(value), ensure_ascii=False, indent=2) + "\n"


def to_csv(rows: Sequence[Any]) -> str:
    """Rows (dataclasses) as CSV with field names as the header; numbers with a dot decimal."""
    # A list in a cell (the subjects a school is short in) becomes "a; b": spreadsheets can't hold lists.
    plain = [{k: "; ".join(map(str, v)) if isinstance(v, list) else v for k, v in to_plain(r).items()} for r in rows]
    buffer = io.StringIO()
    if not plain:
        return ""
    writer = csv.DictWriter(buffer, fieldnames=list(plain[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(plain)
    return buffer.getvalue()
