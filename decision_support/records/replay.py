"""Replay a decision: re-run the screening and the simulation from what was stored, and compare.

The rule files are the stored texts the proposal was explained with (each checked against its recorded
SHA-256), the dataset is read again from its recorded location (its content hash compared), the simulation is
the stored scenario text with the stored seed and replications. Every move's verdict and every rule's outcome,
and the simulation's verdict and numbers, are compared with the stored ones; what differs is named with why.
"""

from __future__ import annotations

import hashlib
from typing import Any

from .. import api
from ..i18n import _
from .models import DecisionInputs, Record, RuleFileText
from .rulepacks import load_ruleset
from .workflow import SCENARIO_PATH, explain, load_dataset, run_scenario_text


class RuleFlip(Record):
    rule: str
    stored: str
    replayed: str


class MoveReplay(Record):
    nip: str
    target: str
    stored: str
    replayed: str | None
    flipped: tuple[RuleFlip, ...] = ()

    @property
    def same(self) -> bool:
        return self.stored == self.replayed and not self.flipped


class SimulationReplay(Record):
    stored: str
    replayed: str | None
    #: Result fields whose values differ (``path: stored -> replayed``), at most a few.
    differences: tuple[str, ...] = ()

    @property
    def same(self) -> bool:
        return self.stored == self.replayed and not self.differences


class ReplayReport(Record):
    decision_id: int
    proposal_id: int
    proposal_version: int
    outcome: str
    #: Why the inputs are not those of the decision (a changed dataset, a rule file that no longer matches).
    causes: tuple[str, ...] = ()
    moves: tuple[MoveReplay, ...] = ()
    simulation: SimulationReplay | None = None
    #: Why a part could not be re-run at all.
    problems: tuple[str, ...] = ()
    #: What changed since without affecting the replay (a newer rule set activated since the decision).
    notes: tuple[str, ...] = ()

    @property
    def reproduced(self) -> bool:
        moves_same = all(m.same for m in self.moves)
        return (
            not self.problems and not self.causes and moves_same and (self.simulation is None or self.simulation.same)
        )


def replay(store: Any, decision_id: int, *, workers: int = 1) -> ReplayReport:
    """Replay decision ``decision_id`` (raises ``NotFound`` for an unknown one)."""
    inputs: DecisionInputs = store.inputs(decision_id)
    content = inputs.proposal.content
    head: dict[str, Any] = {
        "decision_id": decision_id,
        "proposal_id": inputs.decision.proposal_id,
        "proposal_version": inputs.decision.proposal_version,
        "outcome": inputs.decision.outcome.value,
    }
    causes, problems = _rule_file_causes(inputs), []
    head["notes"] = tuple(_active_set_notes(store, inputs))
    try:
        dataset, ref = load_dataset(content.dataset.location, content.dataset.mapping)
    except api.InputError as exc:
        problems.append(
            _("the dataset {location} cannot be read any more: {reason}").format(
                location=content.dataset.location, reason=exc.render()
            )
        )
        return ReplayReport(**head, causes=tuple(causes), problems=tuple(problems))
    if ref.sha256 != content.dataset.sha256:
        causes.append(
            _("dataset '{name}' changed since the decision: content hash {stored}, now {now}").format(
                name=ref.name, stored=content.dataset.sha256[:12], now=ref.sha256[:12]
            )
        )
    moves = _replay_moves(inputs, dataset, problems)
    simulation = _replay_simulation(inputs, workers, problems)
    return ReplayReport(
        **head, causes=tuple(causes), moves=tuple(moves), simulation=simulation, problems=tuple(problems)
    )


def _active_set_notes(store: Any, inputs: DecisionInputs) -> list[str]:
    """The rule packs active now that differ from those of the decision (the replay uses the decision's)."""
    active = store.rules.active()
    used = {(p.pack, p.version, p.sha256) for p in inputs.proposal.content.packs}
    now = {(f.pack or "", f.version or "", f.sha256) for f in (active.files if active else ()) if f.kind == "pack"}
    if now == used or not now:
        return []
    listed = ", ".join(f"{pack} {version}" for pack, version, _sha in sorted(now))
    return [
        _(
            "the active rule set changed since this decision (now: {packs}); the replay uses the rule packs the "
            "decision was taken with"
        ).format(packs=listed)
    ]


def _rule_file_causes(inputs: DecisionInputs) -> list[str]:
    causes = []
    recorded = {(p.pack, p.version): p.sha256 for p in inputs.proposal.content.packs}
    for file in inputs.rule_files:
        now = hashlib.sha256(file.text.encode("utf-8")).hexdigest()
        if now != file.sha256:
            causes.append(
                _(
                    "rule file #{id} ({name}) was changed in the database: recorded SHA-256 {stored}, its text now hashes to {now}"
                ).format(id=file.id, name=file.filename, stored=file.sha256[:12], now=now[:12])
            )
        elif file.kind == "pack" and recorded.get((file.pack or "", file.version or "")) not in (None, now):
            causes.append(
                _("rule pack {pack} {version} changed since the decision: SHA-256 {stored}, now {now}").format(
                    pack=file.pack,
                    version=file.version,
                    stored=recorded[(file.pack or "", file.version or "")][:12],
                    now=now[:12],
                )
            )
    return causes


def _replay_moves(inputs: DecisionInputs, dataset: api.Dataset, problems: list[str]) -> list[MoveReplay]:
    content = inputs.proposal.content
    try:
        files = [
            RuleFileText(**{**f.model_dump(), "sha256": hashlib.sha256(f.text.encode("utf-8")).hexdigest()})
            for f in inputs.rule_files
        ]
        explained, _packs, _day = explain(
            dataset,
            files,
            [(m.nip, m.target) for m in content.moves],
            as_of=api.parse_date(content.as_of),
            engine=content.engine,
            ruleset=load_ruleset(files),
        )
    except api.InputError as exc:
        problems.append(_("the screening cannot be re-run: {reason}").format(reason=exc.render()))
        return []
    replayed = {(e.nip, e.target): e for e in explained}
    result = []
    for stored in content.explanations:
        again = replayed.get((stored.nip, stored.target))
        result.append(
            MoveReplay(
                nip=stored.nip,
                target=stored.target,
                stored=stored.verdict,
                replayed=again.verdict if again else None,
                flipped=tuple(_flips(stored.explanation, again.explanation if again else {})),
            )
        )
    return result


def _outcomes(explanation: dict[str, Any]) -> dict[str, str]:
    results = (explanation.get("decision") or {}).get("results") or []
    return {r["rule"]: r["outcome"] for r in results if isinstance(r, dict) and "rule" in r}


def _flips(stored: dict[str, Any], replayed: dict[str, Any]) -> list[RuleFlip]:
    before, after = _outcomes(stored), _outcomes(replayed)
    rules = list(before) + [r for r in after if r not in before]
    missing = _("(not in the rules)")
    return [
        RuleFlip(rule=r, stored=before.get(r, missing), replayed=after.get(r, missing))
        for r in rules
        if before.get(r) != after.get(r)
    ]


def _replay_simulation(inputs: DecisionInputs, workers: int, problems: list[str]) -> SimulationReplay | None:
    evidence = inputs.evidence
    if evidence is None:
        return None
    shown = SCENARIO_PATH.format(proposal=evidence.proposal_id, version=evidence.proposal_version)
    try:
        result, results = run_scenario_text(
            evidence.scenario_text, seed=evidence.seed, replications=evidence.replications, workers=workers, shown=shown
        )
    except api.InputError as exc:
        problems.append(_("the simulation cannot be re-run: {reason}").format(reason=exc.render()))
        return SimulationReplay(stored=evidence.verdict, replayed=None)
    return SimulationReplay(
        stored=evidence.verdict,
        replayed=result.verdict.label,
        differences=tuple(differences(evidence.results, results)),
    )


def differences(stored: Any, replayed: Any, path: str = "", limit: int = 10) -> list[str]:
    """The first ``limit`` places where two JSON documents differ, as ``path: stored -> replayed``."""
    found: list[str] = []
    _diff(stored, replayed, path, found, limit)
    return found


def _diff(a: Any, b: Any, path: str, found: list[str], limit: int) -> None:
    if len(found) >= limit:
        return
    if isinstance(a, dict) and isinstance(b, dict):
        for key in list(a) + [k for k in b if k not in a]:
            _diff(a.get(key), b.get(key), f"{path}.{key}" if path else str(key), found, limit)
    elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            _diff(x, y, f"{path}[{i}]", found, limit)
    elif a != b and not (_is_nan(a) and _is_nan(b)):
        found.append(f"{path}: {a!r} -> {b!r}")


def _is_nan(value: Any) -> bool:
    return isinstance(value, float) and value != value
