"""What every request of one service shares: the records store, the served dataset and the active rule set."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, Request

from .. import api, records
from ..records import workflow
from ..records.rulepacks import CALENDAR
from .settings import ServiceSettings

#: The audit trail's name for the service itself (first-start activation, recovering lost jobs).
SERVICE_ACTOR = "service"


@dataclass
class ServiceContext:
    settings: ServiceSettings
    store: records.Store
    dataset: api.Dataset
    dataset_ref: records.DatasetRef
    workload: api.WorkloadReport
    _rules: tuple[int, api.RuleSet, dict[str, int]] | None = field(default=None, repr=False)
    _rules_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def ruleset(self) -> api.RuleSet:
        """The active rule set, loaded once per activation."""
        return self.active_rules()[0]

    def active_rules(self) -> tuple[api.RuleSet, dict[str, int]]:
        """The active rule set and the stored file id of each of its files by SHA-256 (one load per activation)."""
        active = self.store.rules.active()
        with self._rules_lock:
            if active is None or self._rules is None or self._rules[0] != active.id:
                ruleset, files = self.store.rules.active_ruleset()  # RecordsError when none is active
                assert active is not None
                self._rules = (active.id, ruleset, {f.sha256: f.id for f in files})
            return self._rules[1], self._rules[2]

    def name_stored_files(self, data: dict[str, Any], ids: dict[str, int]) -> dict[str, Any]:
        """Name the rule files in a result's provenance by their record, not the temporary folder they were read
        from (the way stored proposals name them)."""
        provenance = data.get("provenance") if isinstance(data.get("provenance"), dict) else None
        for entry in [*((provenance or {}).get("packs") or []), (provenance or {}).get("calendar") or {}]:
            if isinstance(entry, dict) and entry.get("sha256") in ids:
                entry["path"] = workflow.RULE_FILE_PATH.format(id=ids[entry["sha256"]])
        return data


def open_context(settings: ServiceSettings) -> ServiceContext:
    """Open the store (migrating it), read the dataset and make sure a rule set is active."""
    store = records.open_store(settings.db_url)
    try:
        dataset, ref = workflow.load_dataset(settings.dataset, settings.mapping)
        activate_initial_rules(store, settings.initial_rule_paths())
        return ServiceContext(settings, store, dataset, ref, api.analyse_workload(dataset))
    except BaseException:
        store.close()
        raise


def rule_files(paths: list[Path]) -> list[Path]:
    """The rule packs and calendars under ``paths`` (tests beside them are not stored)."""
    found: list[Path] = []
    for path in paths:
        candidates = sorted(path.rglob("*.yaml")) if path.is_dir() else [path]
        found += [p for p in candidates if not p.name.endswith(".test.yaml")]
    return found


def activate_initial_rules(store: records.Store, paths: list[Path]) -> records.Activation | None:
    """At the first start (no rule set ever activated), store and activate the rule packs under ``paths``.

    Later starts keep what the policy officers activated; the audit trail records this activation as the
    service's own.
    """
    if store.rules.active() is not None:
        return None
    files = rule_files(paths)
    if not files:
        return None
    stored = [store.rules.upload(p.name, p.read_text(encoding="utf-8"), actor=SERVICE_ACTOR) for p in files]
    calendars = [f for f in stored if f.filename == CALENDAR]
    chosen = [f for f in stored if f.kind == "pack"] + calendars[:1]
    note = "rule packs activated at the first start of the service: " + ", ".join(str(p) for p in paths)
    return store.rules.activate([f.id for f in chosen], actor=SERVICE_ACTOR, note=note)


def context(request: Request) -> ServiceContext:
    """The service context of the app serving ``request``."""
    found = request.app.state.context
    assert isinstance(found, ServiceContext)
    return found


#: The context as an endpoint parameter.
Ctx = Annotated[ServiceContext, Depends(context)]
