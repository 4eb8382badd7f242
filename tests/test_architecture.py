"""The data flow is visible in the imports: stages import only upstream stages.

Order (upstream first): i18n/errors -> models -> sources -> workload -> ... -> monitoring -> report -> review -> api -> cli.
Only the simulation package may import simpy.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "decision_support"

#: Each layer and the layers it may import from.
LAYERS = [
    "i18n",
    "errors",
    "models",
    "sources",
    "workload",
    "rules",
    "planning",
    "simulation",
    "monitoring",
    "report",
    "review",
    "api",
    "cli_support",
    "cli",
]


def layer_of(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "decision_support" or len(parts) < 2:
        return None
    return parts[1]


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    relative_base = ["decision_support", *path.relative_to(PACKAGE).with_suffix("").parts]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = relative_base[: len(relative_base) - node.level]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            found.add(module)
    return found


def test_relative_imports_are_resolved() -> None:
    assert "decision_support.models" in imports_of(PACKAGE / "sources" / "dataset_loader.py")
    assert "decision_support.workload.abk" in imports_of(PACKAGE / "workload" / "__init__.py")


def test_imports_point_upstream_only() -> None:
    violations = []
    for path in PACKAGE.rglob("*.py"):
        own = layer_of(".".join(["decision_support", *path.relative_to(PACKAGE).with_suffix("").parts]))
        if own not in LAYERS:
            continue
        for module in imports_of(path):
            target = layer_of(module)
            if target in LAYERS and LAYERS.index(target) > LAYERS.index(own):
                violations.append(f"{path.relative_to(PACKAGE)} imports {module}")
    assert violations == []


def test_only_the_simulation_package_imports_simpy() -> None:
    offenders = [
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if "simulation" not in path.parts and any(m.split(".")[0] == "simpy" for m in imports_of(path))
    ]
    assert offenders == []


def test_models_are_frozen_and_reject_unknown_keys() -> None:
    import inspect

    from decision_support import models
    from decision_support.models.base import Model

    for name in dir(models):
        obj = getattr(models, name)
        if inspect.isclass(obj) and issubclass(obj, Model):
            assert obj.model_config.get("frozen") is True, name
            assert obj.model_config.get("extra") == "forbid", name
