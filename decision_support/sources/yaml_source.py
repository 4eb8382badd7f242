"""YAML with source positions, defused against YAML 1.1 surprises.

PyYAML reads YAML 1.1: duplicate keys silently overwrite, ``NO`` becomes
``False`` and ``0123`` becomes 83. This module composes the node tree (which
keeps line and column of every value), rejects duplicate keys, anchors, aliases
and merge keys, and builds plain Python data together with a map from each
value's path to its node, so that any later validation error can be shown at
``file:line:column`` with a caret under the value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor

from ..errors import Location, Problem
from ..i18n import N_, _
from .text import read_utf8

PathKey = tuple[str | int, ...]

_TAG_KIND = {
    "tag:yaml.org,2002:bool": N_("boolean"),
    "tag:yaml.org,2002:int": N_("number"),
    "tag:yaml.org,2002:float": N_("number"),
    "tag:yaml.org,2002:timestamp": N_("date"),
    "tag:yaml.org,2002:null": N_("empty value"),
}


_NON_DECIMAL = re.compile(r"[-+]?(0[0-7_]+|0[xX][0-9a-fA-F_]+|0[bB][01_]+|0[oO][0-7_]+)")


class _Rejected(yaml.MarkedYAMLError):
    """A YAML feature that is valid YAML but not allowed in seimbang files."""


class _ComposeLoader(yaml.SafeLoader):
    """Composes nodes only; refuses aliases, which make hand-edited files hard to review."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise _Rejected(
                problem=_("anchors and aliases (*name) are not allowed; write the value out"),
                problem_mark=event.start_mark,
            )
        event = self.peek_event()
        if getattr(event, "anchor", None):
            raise _Rejected(
                problem=_("anchors (&name) are not allowed; write the value out"),
                problem_mark=event.start_mark,
            )
        return super().compose_node(parent, index)


@dataclass
class MarkedYaml:
    """Plain data from one YAML file plus where each value and key came from."""

    path: str
    data: Any
    lines: list[str]
    values: dict[PathKey, yaml.Node] = field(default_factory=dict)
    keys: dict[PathKey, yaml.Node] = field(default_factory=dict)
    #: Mappings that used a (rejected) merge key: their missing fields are a consequence, not news.
    merged: set[PathKey] = field(default_factory=set)
    #: Unquoted integers YAML 1.1 reads in another base (0123 is octal 83).
    non_decimal: set[PathKey] = field(default_factory=set)

    def location(self, path: PathKey, *, key: bool = False) -> Location:
        """Location of the value (or, with ``key``, the key) at ``path``, else its nearest ancestor."""
        table = self.keys if key else self.values
        probe = tuple(path)
        while probe and probe not in table and probe not in self.values:
            probe = probe[:-1]
        node = table.get(probe) or self.values.get(probe)
        if node is None:
            return Location(self.path, 1, 1)
        return self._location_of(node)

    def _location_of(self, node: yaml.Node) -> Location:
        mark = node.start_mark
        line = self.lines[mark.line] if mark.line < len(self.lines) else None
        return Location(self.path, mark.line + 1, mark.column + 1, source_line=line)

    def scalar(self, path: PathKey) -> yaml.ScalarNode | None:
        node = self.values.get(tuple(path))
        return node if isinstance(node, yaml.ScalarNode) else None


def misread_scalar(node: yaml.ScalarNode | None) -> tuple[str, str] | None:
    """If an unquoted scalar was typed by YAML 1.1 (bool, number, date), return (raw text, kind)."""
    if node is None or node.style is not None:
        return None
    kind = _TAG_KIND.get(node.tag)
    return (node.value, kind) if kind else None


def load_yaml(path: Path, shown_as: str) -> tuple[MarkedYaml | None, list[Problem]]:
    """Read ``path``; return the marked data and every structural problem found."""
    text, problems = read_utf8(path, shown_as)
    if text is None:
        return None, problems
    lines = text.splitlines()
    try:
        root = yaml.compose(text, Loader=_ComposeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        loc = Location(shown_as)
        if mark is not None:
            src = lines[mark.line] if mark.line < len(lines) else None
            loc = Location(shown_as, mark.line + 1, mark.column + 1, source_line=src)
        if isinstance(exc, _Rejected):
            return None, [Problem(loc, str(exc.problem))]
        problem, hint = describe_syntax_error(exc)
        return None, [Problem(loc, _("YAML syntax error: {problem}").format(problem=problem), hint=hint)]
    except yaml.reader.ReaderError as exc:
        # A control character YAML does not allow (e.g. U+0082 from a mis-decoded file): name where it is.
        line = text.count("\n", 0, exc.position) + 1
        column = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        src = lines[line - 1] if line - 1 < len(lines) else None
        message = _("character U+{code:04X} is not allowed in YAML").format(code=exc.character)
        return None, [Problem(Location(shown_as, line, column, source_line=src), message)]
    marked = MarkedYaml(shown_as, None, lines)
    problems = []
    if root is not None:
        marked.data = _build(root, (), marked, problems, SafeConstructor())
    return marked, problems


_INDENTATION_HINT = N_("Check the indentation (spaces, not tabs) and that a space follows each colon.")
_QUOTE_HINT = N_("Put the value in quotes.")

#: PyYAML's English problems a user meets most, as (pattern, message, hint); the message may use {char}.
_YAML_PROBLEMS: tuple[tuple[re.Pattern[str], str, str | None], ...] = (
    (
        re.compile(r"found character '\\t' that cannot start any token"),
        N_("a tab character; YAML indents with spaces only"),
        N_("Replace the tab by spaces."),
    ),
    (
        re.compile(r"found character '(?P<char>.+)' that cannot start any token"),
        N_("the character {char} cannot start a value"),
        _QUOTE_HINT,
    ),
    (
        re.compile(r"mapping values are not allowed here"),
        N_("a colon followed by a space starts a key, which is not allowed here"),
        N_("Check the indentation, or put a value that contains ': ' in quotes."),
    ),
    (re.compile(r"could not find expected ':'"), N_("a colon (:) is missing after a key"), _INDENTATION_HINT),
    (
        re.compile(r"expected <block end>, but found"),
        N_("this line is indented differently from the lines around it"),
        _INDENTATION_HINT,
    ),
    (re.compile(r"did not find expected key"), N_("a key (name: value) is expected here"), _INDENTATION_HINT),
    (
        re.compile(r"did not find expected '-' indicator"),
        N_("a list item starting with '- ' is expected here"),
        _INDENTATION_HINT,
    ),
    (
        re.compile(r"expected ',' or '\}', but got"),
        N_("a '{{' is not closed by '}}', or a comma is missing between its entries"),
        None,
    ),
    (
        re.compile(r"expected ',' or '\]', but got"),
        N_("a '[' is not closed by ']', or a comma is missing between its items"),
        None,
    ),
    (
        re.compile(r"found unexpected end of stream|found unexpected document separator"),
        N_("a quote that opens a value is never closed"),
        None,
    ),
    (
        re.compile(r"found unknown escape character '(?P<char>.+)'"),
        N_("\\{char} is not a valid escape inside double quotes"),
        N_("Use single quotes, or write a backslash as two backslashes."),
    ),
    (re.compile(r"expected the node content, but found"), N_("a value is expected here"), _QUOTE_HINT),
    (
        re.compile(r"found undefined tag handle"),
        N_("an exclamation mark (!) at the start of a value makes it a YAML tag"),
        _QUOTE_HINT,
    ),
    (
        re.compile(r"expected alphabetic or numeric character, but found"),
        N_("* or & at the start of a value makes it a YAML alias or anchor"),
        _QUOTE_HINT,
    ),
    (
        re.compile(r"expected '<document start>', but found"),
        N_("more content after the end of the document; check the indentation of this line"),
        _INDENTATION_HINT,
    ),
)


def describe_syntax_error(exc: yaml.MarkedYAMLError) -> tuple[str, str | None]:
    """PyYAML's English problem as a message and hint in the user's language (unknown ones kept as they are)."""
    problem = str(exc.problem or exc)
    for pattern, message, hint in _YAML_PROBLEMS:
        match = pattern.search(problem)
        if match:
            char = match.groupdict().get("char")
            return _(message).format(char=char), (_(hint) if hint else None)
    return problem, None


def _build(node: yaml.Node, path: PathKey, marked: MarkedYaml, problems: list[Problem], ctor: SafeConstructor) -> Any:
    marked.values[path] = node
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        first_seen: dict[Any, yaml.Node] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                marked.merged.add(path)
                problems.append(
                    Problem(marked._location_of(key_node), _("merge keys (<<) are not allowed; write the keys out"))
                )
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                problems.append(Problem(marked._location_of(key_node), _("a key must be a plain name")))
                continue
            key = key_node.value  # keys are names: keep their text, never YAML 1.1 types
            if key in first_seen:
                problems.append(
                    Problem(
                        marked._location_of(key_node),
                        _(
                            "duplicate key '{key}' (first on line {line}); the second would silently replace the first"
                        ).format(key=key, line=first_seen[key].start_mark.line + 1),
                    )
                )
                continue
            first_seen[key] = key_node
            marked.keys[(*path, key)] = key_node
            result[key] = _build(value_node, (*path, key), marked, problems, ctor)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, (*path, i), marked, problems, ctor) for i, item in enumerate(node.value)]
    if (
        isinstance(node, yaml.ScalarNode)
        and node.style is None
        and node.tag == "tag:yaml.org,2002:int"
        and _NON_DECIMAL.fullmatch(node.value)
    ):
        # YAML 1.1 reads 0123 as octal 83 and 0x1F as 31; validation reports it wherever it lands.
        marked.non_decimal.add(path)
    try:
        return ctor.construct_object(node)
    except (ValueError, OverflowError, yaml.YAMLError):
        # e.g. an unquoted 2025-02-30 resolves as a date that does not exist: keep the text and let
        # validation say what is wrong with it.
        return node.value
