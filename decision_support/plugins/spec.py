"""The hook specifications of seimbang plugins (pluggy project name ``seimbang``). Reference: docs/plugins.md.

A plugin is a module or object with functions marked ``@hookimpl`` named like the specifications below; it is
found through the entry-point group ``seimbang`` or registered by a host with
:meth:`~decision_support.plugins.Plugins.register`. Every hook is optional.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pluggy

from ..models import Dataset

if TYPE_CHECKING:
    from ..planning import Plan
    from ..rules.service import ScreeningReport
    from ..simulation import SimulationResult

PROJECT = "seimbang"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


@dataclass(frozen=True)
class SourceRequest:
    """Where a workforce dataset comes from: a dataset folder, or a database URL with a mapping file."""

    #: A dataset folder path, or a SQLAlchemy URL (``sqlite:///...``, ``mysql+pymysql://...``, ...).
    location: str
    #: The mapping file that tells a database source its tables, columns, joins and code translations.
    mapping: Path | None = None
    #: Called as ``progress(done, total)`` while a large source is read (``total`` may be None).
    progress: Callable[[int, int | None], None] | None = field(default=None, compare=False)


@dataclass(frozen=True)
class DerivedFact:
    """A pair fact a plugin adds to the rule language: ``move.<name>``, computed from other facts.

    ``compute`` receives the ``inputs`` that are present (an absent input is simply missing) and returns the
    value, or ``None`` when they do not give one; rules reading the fact are then *unknown*, never guessed.
    """

    name: str
    type: str  # number, string, boolean, date or strings
    description: str
    inputs: tuple[str, ...]
    compute: Callable[[Mapping[str, Any]], Any]
    values: tuple[str, ...] = ()


@dataclass(frozen=True)
class RuleOperator:
    """A comparison operator a plugin adds to the rule language: ``{fact: X, op: <name>, value: V}``.

    ``predicate(fact_value, rule_value)`` returns True or False and must be pure (no I/O, no state): it is
    called with the fact's value (a ``datetime.date`` for a date fact, a list for a list fact) and the rule's
    value, typed as ``value_type`` (default: the fact's type, its item type for a list fact). A rule whose fact
    is missing is *unknown*, never guessed; a predicate that raises stops the evaluation with an error naming
    the plugin and the rule (nothing is decided).
    """

    name: str  # lowercase letters, digits and _; not a built-in operator
    fact_types: tuple[str, ...]  # the fact types it accepts: number, string, boolean, date, strings
    predicate: Callable[[Any, Any], bool]
    #: The operator in words for explanations, per language: {"id": "...", "en": "..."}.
    words: Mapping[str, str]
    value_type: str | None = None  # number, string, boolean or date; None: the fact's own type


@dataclass(frozen=True)
class SkippedRow:
    """A source row that could not be imported: where it is and why."""

    table: str
    key: str
    reason: str


@dataclass
class TableCount:
    """Rows of one source table: read = imported + skipped."""

    read: int = 0
    imported: int = 0
    skipped: int = 0


@dataclass
class ImportSummary:
    """What an import read, wrote and skipped, per source table, with every skipped row and its reason."""

    tables: dict[str, TableCount] = field(default_factory=dict)
    skipped: list[SkippedRow] = field(default_factory=list)

    def skip(self, table: str, key: str, reason: str) -> None:
        self.tables.setdefault(table, TableCount()).skipped += 1
        self.skipped.append(SkippedRow(table, key, reason))


class SeimbangHookSpec:
    """The hooks; a plugin implements any of them as module-level functions marked ``@hookimpl``.

    Specifications only, as in pluggy's own examples: the bodies are docstrings and pluggy never calls them.
    """

    @hookspec(firstresult=True)
    def seimbang_source(self, request: SourceRequest) -> Dataset | None:
        """Provide the validated workforce :class:`Dataset` for ``request``, or None if this plugin does not read
        that kind of location. The first plugin that returns a dataset wins; a plugin that recognises the location
        but finds problems raises :class:`~decision_support.errors.InputError` listing all of them."""

    @hookspec(firstresult=True)
    def seimbang_import(self, request: SourceRequest, output: Path) -> ImportSummary | None:
        """Write the dataset at ``request`` as a dataset folder ``output`` (that ``seimbang check`` accepts), or
        return None if this plugin does not read that kind of location. Rows that cannot be mapped are skipped and
        listed in the summary with their table, primary key and reason."""

    @hookspec
    def seimbang_derived_facts(self) -> list[DerivedFact]:
        """Pair facts this plugin adds to the rule language (see :class:`DerivedFact`), registered when the plugin
        is loaded and removed when it is unloaded."""

    @hookspec
    def seimbang_rule_operators(self) -> list[RuleOperator]:
        """Comparison operators this plugin adds to the rule language (see :class:`RuleOperator`), registered
        when the plugin is loaded and removed when it is unloaded."""

    @hookspec
    def seimbang_after_screening(self, report: ScreeningReport, dataset: Dataset) -> None:
        """Publish a screening (for example into the SIMPEG's own tables or a message queue)."""

    @hookspec
    def seimbang_after_plan(self, plan: Plan, dataset: Dataset) -> None:
        """Publish a transfer plan."""

    @hookspec
    def seimbang_after_simulation(self, result: SimulationResult) -> None:
        """Publish a simulation result (baseline, proposal, verdict)."""


#: Hook names, in the order ``seimbang plugins`` lists them.
HOOKS = tuple(name for name in vars(SeimbangHookSpec) if name.startswith("seimbang_"))
