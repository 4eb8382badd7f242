"""Where the files seimbang ships with live: rule packs, scenarios, the example dataset, the rule-pack schema.

An installed wheel carries them as package data under ``decision_support/_data`` (copied there by
``setup.py`` at build time, so the repository keeps one copy in its fixed layout: ``rules/``,
``scenarios/``, ``datasets/``). A source checkout or an editable install has no ``_data``; there the
repository's own folders next to the package are used. A host points elsewhere with an explicit path
(API argument, ``--rules``) or the environment variable ``$SEIMBANG_RULES``.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

#: Environment variable naming the default rule files or folders (separated by the OS path separator).
RULES_ENV_VAR = "SEIMBANG_RULES"
#: The shipped folders, by name, as they stand in the repository.
SHIPPED = ("rules", "scenarios", "datasets")


def shipped_path(name: str) -> Path:
    """The shipped folder ``name`` (one of :data:`SHIPPED`): package data, else the source checkout's folder."""
    if name not in SHIPPED:
        raise ValueError(f"name must be one of {SHIPPED}, not {name!r}")
    packaged = resources.files("decision_support") / "_data" / name
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parent.parent / name


def default_rule_paths() -> list[Path]:
    """The rule files or folders used when none are named: ``$SEIMBANG_RULES``, else the shipped packs."""
    configured = os.environ.get(RULES_ENV_VAR, "").strip()
    if configured:
        return [Path(part) for part in configured.split(os.pathsep) if part]
    return [shipped_path("rules")]


def rule_pack_schema_path() -> Path:
    """The committed JSON Schema of rule pack files, for editors."""
    return shipped_path("rules") / "rule-pack.schema.json"


def example_dataset() -> Path:
    """The bundled synthetic Sawahlunto dataset (every person in it is invented)."""
    return shipped_path("datasets") / "sawahlunto"
