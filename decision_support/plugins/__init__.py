"""Plugins (pluggy): where datasets come from, facts added to the rule language, and where results go.

:class:`Plugins` is one plugin manager. A process has a default one (:func:`plugins`), created on first
use with the built-in dataset-folder source and, unless ``$SEIMBANG_PLUGINS_AUTOLOAD`` is ``0``, every
plugin installed under the entry-point group ``seimbang``. A host builds its own with ``Plugins(autoload=...)``
and passes it to the API functions that take ``plugins=``. Reference: docs/plugins.md.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pluggy

from ..errors import InputError, Location, Problem
from ..i18n import _
from ..models import Dataset
from ..rules.extensions import register_derived_fact
from ..rules.facts import FactType
from ..rules.operators import PluginOperator, register_operator
from . import builtin
from .spec import (
    HOOKS,
    PROJECT,
    DerivedFact,
    ImportSummary,
    RuleOperator,
    SeimbangHookSpec,
    SkippedRow,
    SourceRequest,
    TableCount,
    hookimpl,
    hookspec,
)

#: Set to 0 to load no entry-point plugins (the test suite does).
AUTOLOAD_ENV_VAR = "SEIMBANG_PLUGINS_AUTOLOAD"


@dataclass(frozen=True)
class PluginInfo:
    """A loaded plugin: its name, where it came from, and the hooks it implements."""

    name: str
    origin: str  # "built-in", "entry point <dist> <version>" or "registered"
    hooks: tuple[str, ...]


class Plugins:
    """One plugin manager with seimbang's hooks; thread-safe to call once loaded."""

    def __init__(self, *, autoload: bool | None = None) -> None:
        self.manager = pluggy.PluginManager(PROJECT)
        self.manager.add_hookspecs(SeimbangHookSpec)
        self._origins: dict[str, str] = {}
        self._undo: dict[str, list[Callable[[], None]]] = {}
        self._lock = threading.Lock()
        self.register(builtin, builtin.NAME, origin="built-in")
        if autoload is None:
            autoload = os.environ.get(AUTOLOAD_ENV_VAR, "1").strip() not in ("0", "false", "no")
        if autoload:
            self._load_entry_points()

    def _load_entry_points(self) -> None:
        before = set(self.manager.get_plugins())
        self.manager.load_setuptools_entrypoints(PROJECT)
        for plugin, dist in self.manager.list_plugin_distinfo():
            if plugin in before:
                continue
            name = self.manager.get_name(plugin) or repr(plugin)
            self._origins[name] = f"entry point {dist.project_name} {dist.version}"
            self._add_facts(name)

    def register(self, plugin: ModuleType | object, name: str | None = None, *, origin: str = "registered") -> str:
        """Register ``plugin`` (a module or object with ``@hookimpl`` functions); return its name."""
        with self._lock:
            registered = self.manager.register(plugin, name)
            if registered is None:
                raise ValueError(f"plugin {name!r} is blocked or already registered")
            self._origins[registered] = origin
            try:
                self._add_facts(registered)
            except Exception:
                self.manager.unregister(name=registered)
                self._origins.pop(registered, None)
                raise
            return registered

    def unregister(self, name: str) -> None:
        """Remove the plugin ``name`` and the facts it added."""
        with self._lock:
            for undo in self._undo.pop(name, []):
                undo()
            self.manager.unregister(name=name)
            self._origins.pop(name, None)

    def worker_setup(self) -> WorkerPlugins:
        """What a worker process runs before its first job to have this manager's plugins: the entry points,
        and the plugins registered here by hand (they must be picklable: instances of importable classes)."""
        with self._lock:
            registered = tuple(
                (name, self.manager.get_plugin(name))
                for name, origin in self._origins.items()
                if origin == "registered"
            )
        return WorkerPlugins(registered)

    def close(self) -> None:
        """Unregister every plugin (their facts leave the rule language)."""
        for name in list(self._origins):
            self.unregister(name)

    def _add_facts(self, name: str) -> None:
        """Add the facts and operators of plugin ``name`` to the rule language (all or none of them)."""
        plugin = self.manager.get_plugin(name)
        facts = getattr(plugin, "seimbang_derived_facts", None)
        operators = getattr(plugin, "seimbang_rule_operators", None)
        undo: list[Callable[[], None]] = []
        try:
            for operator in (operators() or []) if operators is not None else []:
                undo.append(register_operator(_operator(name, operator)))
            for fact in (facts() or []) if facts is not None else []:
                if not isinstance(fact, DerivedFact):
                    raise TypeError(f"plugin {name}: seimbang_derived_facts must return DerivedFact objects")
                kind = FactType(fact.type)
                undo.append(
                    register_derived_fact(
                        fact.name, kind, fact.description, fact.inputs, fact.compute, owner=name, values=fact.values
                    )
                )
        except Exception:
            for step in undo:
                step()
            raise
        self._undo[name] = undo

    def info(self) -> list[PluginInfo]:
        """Every loaded plugin with the hooks it implements, built-in first, then by name."""
        rows = []
        for name, origin in self._origins.items():
            plugin = self.manager.get_plugin(name)
            hooks = tuple(h for h in HOOKS if callable(getattr(plugin, h, None)))
            rows.append(PluginInfo(name, origin, hooks))
        return sorted(rows, key=lambda r: (r.origin != "built-in", r.name))

    def load_source(self, request: SourceRequest) -> Dataset:
        """The dataset at ``request`` from the first plugin that reads it; InputError when none does."""
        dataset = self.manager.hook.seimbang_source(request=request)
        if dataset is None:
            message = _("no installed plugin reads '{location}' (see 'seimbang plugins')").format(
                location=request.location
            )
            raise InputError([Problem(Location(request.location), message)])
        if not isinstance(dataset, Dataset):
            raise TypeError(f"a seimbang_source hook returned {type(dataset).__name__}, not a Dataset")
        return dataset

    def import_source(self, request: SourceRequest, output: Path) -> ImportSummary:
        """Write the dataset at ``request`` as the folder ``output``; InputError when no plugin imports it."""
        summary = self.manager.hook.seimbang_import(request=request, output=output)
        if summary is None:
            message = _("no installed plugin imports '{location}' (see 'seimbang plugins')").format(
                location=request.location
            )
            raise InputError([Problem(Location(request.location), message)])
        return summary

    def publish(self, hook: str, **kwargs: Any) -> None:
        """Call the publishing hook ``hook`` (``seimbang_after_screening``, ...) of every plugin."""
        getattr(self.manager.hook, hook)(**kwargs)


def _operator(owner: str, operator: object) -> PluginOperator:
    """The rule-language form of a plugin's :class:`RuleOperator` (types checked)."""
    if not isinstance(operator, RuleOperator):
        raise TypeError(f"plugin {owner}: seimbang_rule_operators must return RuleOperator objects")
    value_type = FactType(operator.value_type) if operator.value_type is not None else None
    if value_type is FactType.STRINGS:
        raise TypeError(f"plugin {owner}: operator {operator.name!r}: a rule's value is one value, not a list")
    fact_types = tuple(FactType(t) for t in operator.fact_types)
    return PluginOperator(operator.name, fact_types, operator.predicate, dict(operator.words), owner, value_type)


_default: Plugins | None = None
_default_lock = threading.Lock()


@dataclass(frozen=True)
class WorkerPlugins:
    """Setup of a worker process (see :meth:`Plugins.worker_setup`): its default plugin manager loads the
    entry-point plugins, then registers the host's hand-registered ones, so plugin operators and derived facts
    decide in workers as on the host."""

    registered: tuple[tuple[str, Any], ...] = ()

    def __call__(self) -> Plugins:
        host = plugins()
        for name, plugin in self.registered:
            if host.manager.get_plugin(name) is None:
                host.register(plugin, name)
        return host


def plugins() -> Plugins:
    """The process's default plugin manager (created on first use)."""
    global _default
    with _default_lock:
        if _default is None:
            _default = Plugins()
        return _default


__all__ = [
    "AUTOLOAD_ENV_VAR",
    "DerivedFact",
    "ImportSummary",
    "PluginInfo",
    "Plugins",
    "RuleOperator",
    "SkippedRow",
    "SourceRequest",
    "TableCount",
    "hookimpl",
    "hookspec",
    "plugins",
]
