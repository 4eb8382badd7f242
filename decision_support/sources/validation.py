"""Turn pydantic validation errors into located, localized :class:`Problem` s.

pydantic's messages are English and name a ``loc`` path; users need the file,
line and column, the entity, what was expected, and a hint. This module does
that translation for flat table rows and for nested YAML documents alike.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Callable, Mapping
from datetime import date, timedelta
from enum import Enum
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails
from yaml.constructor import SafeConstructor

from ..errors import Location, Problem, did_you_mean
from ..i18n import _
from ..models.base import FieldError
from .yaml_source import MarkedYaml, misread_scalar

M = TypeVar("M", bound=BaseModel)

Locator = Callable[[tuple[Any, ...], bool], Location]


def _expected_values(error: ErrorDetails) -> list[str]:
    ctx = error.get("ctx") or {}
    expected = str(ctx.get("expected", ""))
    return [part.strip().strip("'") for part in expected.replace(" or ", ",").split(",") if part.strip()]


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    """Every pydantic model an annotation can hold (through unions, lists, Annotated...)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    found: list[type[BaseModel]] = []
    for arg in getattr(annotation, "__args__", ()) or ():
        found += _models_in(arg)
    origin = getattr(annotation, "__origin__", None)
    if origin is not None and origin is not annotation:
        found += _models_in(origin)
    return found


def _fields_at(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """Field names of the (possibly nested) model the error at ``loc`` belongs to."""
    candidates: list[type[BaseModel]] = [model]
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        owner = next((m for m in candidates if part in _field_names(m)), None)
        if owner is None:
            return []
        info = next(f for name, f in owner.model_fields.items() if part in (name, f.alias))
        candidates = _models_in(info.annotation)
    names: list[str] = []
    for candidate in candidates:
        names += [n for n in _field_names(candidate) if n not in names]
    return names


def _field_names(model: type[BaseModel]) -> list[str]:
    return [info.alias or name for name, info in model.model_fields.items()]


def describe(
    error: ErrorDetails, model: type[BaseModel], misread: tuple[str, str] | None, fmt: str
) -> tuple[str, str | None]:
    """Localized message and hint for one pydantic error."""
    kind = error["type"]
    value = error.get("input")
    ctx = error.get("ctx") or {}
    loc = tuple(error["loc"])
    name = str(loc[-1]) if loc else ""
    shown = value.value if isinstance(value, Enum) else value
    if kind == "missing":
        if fmt in ("csv", "xlsx"):
            return _("required value is missing"), _("Fill in the '{name}' column.").format(name=name)
        return _("required field '{name}' is missing").format(name=name), None
    if kind == "extra_forbidden":
        return _("unknown field '{name}'").format(name=name), did_you_mean(name, _fields_at(model, loc))
    if kind == "string_type":
        if misread is not None:
            raw, what = misread
            return (
                _("unquoted {raw} was read by YAML as a {what}, but text is expected").format(raw=raw, what=_(what)),
                _("Write it in quotes: '{raw}'.").format(raw=raw),
            )
        if fmt == "xlsx" and isinstance(value, int | float):
            return (
                _("the cell holds the number {value}, but text is expected").format(value=value),
                _("Format the column as Text in the spreadsheet; long numbers such as an NIP lose digits otherwise."),
            )
        return _("expected text, got {value!r}").format(value=shown), None
    if kind in ("int_parsing", "int_from_float", "int_type"):
        return _("expected a whole number, got '{value}'").format(value=shown), None
    if kind in ("float_parsing", "float_type"):
        hint = _("Use a dot as the decimal separator.") if isinstance(value, str) and "," in value else None
        return _("expected a number, got '{value}'").format(value=shown), hint
    if kind == "finite_number":
        return _("must be a finite number, got {value}").format(value=shown), None
    if kind in ("bool_parsing", "bool_type"):
        return _("expected true or false, got '{value}'").format(value=shown), None
    if kind in ("enum", "literal_error"):
        choices = _expected_values(error)
        if misread is not None:
            shown = misread[0]
        message = _("'{value}' is not allowed; expected one of: {choices}").format(
            value=shown, choices=", ".join(choices)
        )
        if misread is not None and misread[1] == "boolean":
            return message, _("Write it in quotes: '{raw}'.").format(raw=misread[0])
        numeric = all(c.replace(".", "", 1).isdigit() for c in choices)
        return message, None if numeric else did_you_mean(str(shown), choices)
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        bound = ctx.get("ge", ctx.get("gt", ctx.get("le", ctx.get("lt"))))
        op = {"greater_than_equal": ">=", "greater_than": ">", "less_than_equal": "<=", "less_than": "<"}[kind]
        return _("must be {op} {bound}, got {value}").format(op=op, bound=bound, value=shown), None
    if kind == "string_pattern_mismatch" and str(ctx.get("pattern", "")).startswith("^[a-z]["):
        return (
            _("'{value}' is not a valid id: use lowercase letters, digits and _, starting with a letter").format(
                value=shown
            ),
            None,
        )
    if kind == "string_pattern_mismatch":
        return (
            _("'{value}' is not a valid identifier: use letters, digits and _ . - / without spaces").format(
                value=shown
            ),
            None,
        )
    if kind in ("string_too_short", "too_short"):
        return _("must not be empty"), None
    if kind in ("date_parsing", "date_type", "date_from_datetime_parsing", "date_from_datetime_inexact"):
        return _("'{value}' is not a date; expected YYYY-MM-DD (or DD-MM-YYYY)").format(value=shown), None
    if kind == "union_tag_invalid":
        tag = ctx.get("tag")
        choices = [c.strip().strip("'") for c in str(ctx.get("expected_tags", "")).split(",")]
        return (
            _("'{value}' is not allowed; expected one of: {choices}").format(value=tag, choices=", ".join(choices)),
            did_you_mean(str(tag), choices),
        )
    if kind == "union_tag_not_found":
        return _("required field '{name}' is missing").format(name=ctx.get("discriminator", "").strip("'")), None
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return _("expected named fields (key: value)"), None
    if kind in ("list_type", "tuple_type"):
        return _("expected a list"), None
    if kind == "value_error":
        return str(ctx.get("error", error["msg"])), None
    return str(error["msg"]), None


#: Prefix of tags of discriminated unions in error paths (see rules.language.TAG).
UNION_TAG_PREFIX = "condition:"


def _without_tags(loc: Any, values: Any = None) -> tuple[Any, ...]:
    """Tagged unions put their tag ("condition:all", or a discriminator value such as "lognormal") into the
    path; it is no key of the user's file. With ``values``, a path part that is not a key of the mapping it
    indexes but one of its values is such a tag (``service_time.lognormal.cv`` -> ``service_time.cv``).
    """
    kept, node = [], values
    for part in loc:
        if isinstance(part, str) and part.startswith(UNION_TAG_PREFIX):
            continue
        if isinstance(node, dict) and isinstance(part, str) and part not in node and part in node.values():
            continue
        kept.append(part)
        if isinstance(node, dict):
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        else:
            node = None
    return tuple(kept)


def error_location(error: ErrorDetails) -> tuple[tuple[Any, ...], bool]:
    """The path a user should look at for ``error``, and whether it points at a key rather than a value."""
    loc = _without_tags(error["loc"])
    ctx = error.get("ctx") or {}
    if error["type"] == "value_error" and isinstance(ctx.get("error"), FieldError):
        return (*loc, ctx["error"].field), False
    if error["type"] in ("union_tag_invalid", "union_tag_not_found"):
        return (*loc, str(ctx.get("discriminator", "")).strip("'")), error["type"] == "union_tag_not_found"
    if loc and loc[-1] == "[key]":
        return loc[:-1], True
    return loc, error["type"] == "extra_forbidden"


def _follows_from_items(loc: tuple[Any, ...], kind: str, where: list[tuple[Any, ...]]) -> bool:
    """A list reported "too short" only because its items were invalid (a NaN rate): report the items only."""
    return kind == "too_short" and any(len(other) > len(loc) and other[: len(loc)] == loc for other in where)


def validate_row(
    model: type[M],
    values: dict[str, Any],
    locate: Locator,
    *,
    fmt: str,
    entity: str | None,
    marked: MarkedYaml | None = None,
    prefix: tuple[Any, ...] = (),
) -> tuple[M | None, list[Problem]]:
    """Validate ``values`` as ``model``; on failure return located problems instead."""
    surprises = _non_decimal_problems(marked, prefix, locate, entity)
    try:
        item = model.model_validate(values)
    except ValidationError as exc:
        errors: list[Any] = [{**e, "loc": _without_tags(e["loc"], values)} for e in exc.errors(include_url=False)]
    else:
        return (None, surprises) if surprises else (item, [])
    # A misspelt key (secter) also makes its field (sector) missing: report the typo only.
    suggested = {
        _closest(str(e["loc"][-1]), _fields_at(model, tuple(e["loc"])))
        for e in errors
        if e["type"] == "extra_forbidden" and e["loc"]
    }
    problems = []
    where: list[tuple[Any, ...]] = [tuple(e["loc"]) for e in errors]
    for error in errors:
        loc, at_key = error_location(error)
        if error["type"] == "missing" and loc and loc[-1] in suggested:
            continue
        if _follows_from_items(tuple(error["loc"]), str(error["type"]), where):
            continue
        if error["type"] == "missing" and marked is not None and (*prefix, *loc[:-1]) in marked.merged:
            continue
        misread = misread_scalar(marked.scalar((*prefix, *loc))) if marked is not None else None
        message, hint = describe({**error, "loc": loc}, model, misread, fmt)  # type: ignore[typeddict-item]
        field = ".".join(str(p) for p in loc) or None
        problems.append(Problem(locate(loc, at_key), message, entity=entity, field=field, hint=hint))
    reported = {p.field for p in problems}
    return None, problems + [p for p in surprises if p.field not in reported]


_GROUPED = re.compile(r"[-+]?\d{1,3}(\.\d{3})+")


@functools.cache
def float_fields(model: type[BaseModel]) -> frozenset[str]:
    """Fields of ``model`` that hold a decimal number."""
    return frozenset(name for name, info in model.model_fields.items() if info.annotation in (float, float | None))


def ambiguous_numbers(model: type[BaseModel], values: Mapping[str, Any]) -> list[tuple[str, str, str]]:
    """Cells like '9.000' in number fields: nine thousand in Indonesian notation, nine in English.

    Returns (field, message, hint) for each; the caller locates them.
    """
    found = []
    for name in float_fields(model):
        text = values.get(name)
        if isinstance(text, str) and _GROUPED.fullmatch(text.strip()):
            message = _("'{value}' is ambiguous: a dot can group thousands (Indonesian) or mark decimals").format(
                value=text
            )
            hint = _("Write the number without thousands separators, e.g. {plain}.").format(
                plain=text.strip().replace(".", "")
            )
            found.append((name, message, hint))
    return found


_SCIENTIFIC = re.compile(r"[-+]?\d(?:[.,]\d+)?[eE][-+]?\d+")
_SERIAL_DATE = re.compile(r"\d{5}")
#: Day 0 of spreadsheet serial dates (Excel's 1900 system, as LibreOffice also counts).
_SERIAL_EPOCH = date(1899, 12, 30)


def _holds_date(annotation: Any) -> bool:
    """Whether a field's type is a date, possibly optional or annotated."""
    if annotation is date:
        return True
    return any(_holds_date(arg) for arg in getattr(annotation, "__args__", ()) or ()) or (
        getattr(annotation, "__origin__", None) is not None and _holds_date(annotation.__origin__)
    )


def spreadsheet_hint(model: type[BaseModel], name: str, value: Any) -> str | None:
    """Cause and fix of a CSV cell a spreadsheet changed before saving: 1.97E+17 for an NIP, 45123 for a date.

    The XLSX path sees typed cells and says so itself; in a CSV only the text is left, so it is recognised here.
    """
    if not isinstance(value, str):
        return None
    text = value.strip()
    if _SCIENTIFIC.fullmatch(text):
        return _(
            "The spreadsheet wrote a long number in scientific notation and kept only its first digits. Format "
            "the column as Text, retype or re-import the values, and save as 'CSV UTF-8' again; the lost digits "
            "cannot be recovered from this file."
        )
    info = model.model_fields.get(name)
    if info is not None and _holds_date(info.annotation) and _SERIAL_DATE.fullmatch(text):
        shown = _SERIAL_EPOCH + timedelta(days=int(text))
        return _(
            "{value} looks like a spreadsheet serial date (day {value} is {date}). Format the column as a date "
            "YYYY-MM-DD (or as Text) in the spreadsheet before saving as CSV."
        ).format(value=text, date=shown.isoformat())
    return None


def _non_decimal_problems(
    marked: MarkedYaml | None, prefix: tuple[Any, ...], locate: Locator, entity: str | None
) -> list[Problem]:
    """Unquoted 0300 in a number field validates as 192 without any error: report it anyway."""
    if marked is None:
        return []
    problems = []
    for path in sorted(marked.non_decimal, key=str):
        if path[: len(prefix)] != prefix:
            continue
        node = marked.values[path]
        loc = path[len(prefix) :]
        value = SafeConstructor().construct_object(node)
        message = _("unquoted {raw} is read by YAML 1.1 as the number {value}").format(raw=node.value, value=value)
        hint = _("Write it without the leading zero if it is a number, or in quotes ('{raw}') if it is a code.").format(
            raw=node.value
        )
        field = ".".join(str(p) for p in loc) or None
        problems.append(Problem(locate(loc, False), message, entity=entity, field=field, hint=hint))
    return problems


def _closest(name: str, choices: list[str]) -> str | None:
    match = difflib.get_close_matches(name, choices, n=1, cutoff=0.6)
    return match[0] if match else None


def render_value(value: Any) -> str:
    """A value as users write it (dates ISO, enums by value)."""
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
