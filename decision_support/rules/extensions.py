"""Facts added by plugins: registered next to the built-in derived facts, and removable again.

A plugin's derived fact is a ``move.*`` pair fact computed from employee-side and target-side facts,
exactly like the built-in :data:`~decision_support.rules.facts.DERIVED` facts, so rules, the checker, both
engines and the screening index treat it the same way.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from typing import Any

from ..errors import SeimbangError
from .facts import DERIVED, FACTS, MISSING, Facts, FactSpec, FactType, check_types
from .situations import DERIVABLE

_lock = threading.Lock()
#: The groups a derived fact may read: the employee side, the current and the target position, the date.
INPUT_GROUPS = ("employee", "origin", "target", "context")


class ExtensionError(SeimbangError):
    """A plugin's fact is unusable (a name clash, a wrong group, a value of the wrong type)."""


def register_derived_fact(
    name: str,
    kind: FactType,
    description: str,
    inputs: tuple[str, ...],
    compute: Callable[[Mapping[str, Any]], Any],
    *,
    owner: str,
    values: tuple[str, ...] = (),
) -> Callable[[], None]:
    """Add the pair fact ``name`` (``move.<name>``); return the function that removes it again.

    ``compute`` gets the input facts present (a missing input is simply absent) and returns the value, or
    ``None`` when the inputs do not give one (the fact is then absent and rules reading it are unknown).
    """
    group, _sep, rest = name.partition(".")
    if group != "move" or not rest or not rest.replace("_", "").isalnum() or rest != rest.lower():
        raise ExtensionError(f"plugin {owner}: derived fact {name!r} must be named move.<lowercase_name>")
    bad_inputs = [i for i in inputs if i not in FACTS or i.split(".", 1)[0] not in INPUT_GROUPS]
    if bad_inputs:
        raise ExtensionError(f"plugin {owner}: derived fact {name!r} reads unknown or pair facts {bad_inputs}")

    def derive(facts: Facts) -> Any:
        value = compute({i: facts[i] for i in inputs if i in facts})
        if value is None:
            return MISSING
        if check_types({name: value}):
            raise ExtensionError(f"plugin {owner}: derived fact {name!r} gave {value!r}, not a {kind.value}")
        return value

    with _lock:
        if name in FACTS:
            raise ExtensionError(f"plugin {owner}: fact {name!r} already exists")
        FACTS[name] = FactSpec(kind, f"{description} (plugin {owner})", values)
        DERIVED[name] = (inputs, derive)
        DERIVABLE[name] = (inputs, derive)

    def remove() -> None:
        with _lock:
            for table in (FACTS, DERIVED, DERIVABLE):
                table.pop(name, None)

    return remove
