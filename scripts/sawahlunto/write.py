"""Deterministic writers: CSV (UTF-8, comma, ``\\n`` line ends) and a small YAML emitter.

The YAML emitter writes every string double-quoted (JSON string syntax is valid
YAML), so ids such as ``NO`` or ``0123`` and times such as ``07:30`` can never
be read as YAML 1.1 booleans, octal or sexagesimal numbers. Keys stay plain.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def csv_text(header: list[str], rows: list[dict]) -> str:
    """The table as CSV text: the header, then each row's cells in header order (missing = empty)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_cell(row.get(column)) for column in header])
    return buffer.getvalue()


def _scalar(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    return json.dumps(str(value), ensure_ascii=False)


def _emit(value: Any, indent: int, lines: list[str]) -> None:
    pad = " " * indent
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, (dict, list)) and item:
                lines.append(f"{pad}{key}:")
                _emit(item, indent + 2, lines)
            elif isinstance(item, (dict, list)):
                lines.append(f"{pad}{key}: {'{}' if isinstance(item, dict) else '[]'}")
            else:
                lines.append(f"{pad}{key}: {_scalar(item)}")
    else:
        for item in value:
            if isinstance(item, dict) and item:
                sub: list[str] = []
                _emit(item, indent + 2, sub)
                sub[0] = f"{pad}- {sub[0][indent + 2 :]}"
                lines.extend(sub)
            else:
                lines.append(f"{pad}- {_scalar(item)}")


def yaml_text(value: Any, comment: str = "") -> str:
    """``value`` (nested dicts, lists and scalars) as block YAML, after an optional ``#`` comment."""
    lines = [f"# {line}".rstrip() for line in comment.splitlines()] if comment else []
    _emit(value, 0, lines)
    return "\n".join(lines) + "\n"


def write(folder: Path, name: str, text: str) -> None:
    """Write ``text`` as UTF-8 with ``\\n`` line ends (the same bytes on every platform)."""
    (folder / name).write_text(text, encoding="utf-8", newline="\n")


if __name__ == "__main__":
    import yaml

    sample = [
        {
            "id": "NO",
            "code": "0123",
            "times": ["07:30"],
            "n": 3,
            "x": 1.5,
            "empty": None,
            "nested": {"list": [{"a": "b", "c": [1, 2]}], "monthly": {7: 1.3}},
        }
    ]
    text = yaml_text(sample, "comment\nsecond line")
    print(text)
    assert yaml.safe_load(text) == [{**sample[0], "empty": None}], yaml.safe_load(text)
    print(csv_text(["a", "b", "c"], [{"a": "x,y", "b": None, "c": True}, {"a": 2.0}]))
