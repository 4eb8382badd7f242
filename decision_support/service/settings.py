"""What a running service serves: its dataset, records database, rule packs and scenario templates."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .. import api


@dataclass(frozen=True)
class ServiceSettings:
    """The options of ``seimbang serve`` (docs/http-api.md)."""

    #: The records database URL (None: ``$SEIMBANG_DB``, else ``seimbang-data/seimbang.db``).
    db_url: str | None = None
    #: A dataset folder, or a SIMPEG database URL read with ``mapping``.
    dataset: str = field(default_factory=lambda: str(api.example_dataset()))
    mapping: str | None = None
    #: Rule files or folders activated at the first start, when the database has no active rule set yet.
    rule_paths: tuple[Path, ...] = ()
    #: The folder of scenario templates a simulation request can name.
    scenarios: Path = field(default_factory=lambda: api.shipped_path("scenarios"))
    #: Processes per simulation (replications in parallel; results do not depend on it).
    simulation_workers: int = 1
    #: Simulations run at the same time (each a background thread of the server).
    job_threads: int = 1

    def initial_rule_paths(self) -> list[Path]:
        return list(self.rule_paths) if self.rule_paths else api.default_rule_paths()
