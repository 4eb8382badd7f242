"""The steps of a transfer decision, shared by the CLI and the HTTP service: draft a proposal (every move
explained with the active rule set), simulate it with a scenario template, record the decision.

Replay lives in :mod:`.replay`. Everything here goes through :mod:`decision_support.api`.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from .. import api
from ..i18n import _
from .errors import StaleVersion, WrongState
from .models import DatasetRef, Evidence, Move, MoveExplanation, PackRef, Proposal, ProposalContent, RuleFileText
from .proposals import SIMULATABLE
from .rulepacks import load_ruleset

#: Where a stored rule file is said to come from in a stored explanation (instead of a temporary folder).
RULE_FILE_PATH = "records:rule_file/{id}"
#: Where the scenario of stored evidence is said to come from (instead of a temporary file).
SCENARIO_PATH = "records:simulation/{proposal}/{version}"


@dataclass(frozen=True)
class MoveRequest:
    """A move as a planner enters it: who, to which post, and optionally the kind and a note."""

    nip: str
    target: str
    kind: str = "mutasi"
    note: str | None = None


def load_dataset(location: str, mapping: str | None = None) -> tuple[api.Dataset, DatasetRef]:
    """The dataset at ``location`` (a folder, or a SIMPEG URL with its ``mapping``) and its reference."""
    folder = Path(location)
    shown = str(folder.resolve()) if "://" not in location and folder.exists() else location
    dataset = api.load_source(shown, mapping=mapping)
    ref = DatasetRef(
        name=dataset.manifest.name,
        location=shown,
        mapping=str(Path(mapping).resolve()) if mapping else None,
        as_of=dataset.as_of.isoformat(),
        sha256=api.dataset_hash(dataset),
    )
    return dataset, ref


def moves_from_plan(path: str | Path) -> list[MoveRequest]:
    """The moves of a plan file written by ``seimbang plan`` (or any YAML with ``moves: [{nip, to}]``), or of the
    proposal of a scenario file (``proposal: {moves: [{nip, to}]}``)."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise api.InputError(
            [api.Problem(api.Location(str(path)), _("cannot read the plan file: {reason}").format(reason=exc))]
        ) from None
    raw = data.get("moves") if isinstance(data, dict) else None
    if raw is None and isinstance(data, dict) and isinstance(data.get("proposal"), dict):
        raw = data["proposal"].get("moves")  # a scenario file: the moves of its proposal
    if not isinstance(raw, list) or not raw:
        raise api.InputError(
            [api.Problem(api.Location(str(path)), _("expected a list of moves (nip, to)"), field="moves")]
        )
    moves, problems = [], []
    for i, item in enumerate(raw):
        if not isinstance(item, dict) or not item.get("nip") or not item.get("to"):
            problems.append(
                api.Problem(api.Location(str(path)), _("each move needs nip and to"), field=f"moves.{i + 1}")
            )
            continue
        moves.append(MoveRequest(str(item["nip"]), str(item["to"]), note=item.get("note")))
    if problems:
        raise api.InputError(problems)
    return moves


def explain(
    dataset: api.Dataset,
    files: Sequence[RuleFileText],
    moves: Sequence[tuple[str, str]],
    *,
    as_of: date | None = None,
    engine: str = "durable",
    ruleset: api.RuleSet | None = None,
) -> tuple[list[MoveExplanation], list[PackRef], str]:
    """Every move explained with the rule ``files`` (quotas judged after all moves), the packs used and the date."""
    ruleset = ruleset or load_ruleset(files)
    explanations = api.explain_proposal(
        dataset, api.analyse_workload(dataset), ruleset, list(moves), as_of=as_of, engine=engine
    )
    ids = {f.sha256: f.id for f in files}
    result = []
    for item in explanations:
        data = json.loads(api.render_explanation(item, "json"))
        _stored_paths(data.get("provenance") or {}, ids)
        result.append(
            MoveExplanation(
                nip=item.nip,
                target=item.target,
                verdict=str(item.decision.verdict.value),
                failed=tuple(item.decision.failed),
                explanation=data,
            )
        )
    provenance = explanations[0].provenance if explanations else None
    packs = [PackRef(pack=p.pack, version=p.version, sha256=p.sha256) for p in (provenance.packs if provenance else [])]
    day = provenance.as_of if provenance else (as_of or dataset.as_of).isoformat()
    return result, packs, day


def _stored_paths(provenance: dict[str, Any], ids: dict[str, int]) -> None:
    """Name stored rule files by their record, not by the temporary folder they were loaded from."""
    for pack in provenance.get("packs") or []:
        if pack.get("sha256") in ids:
            pack["path"] = RULE_FILE_PATH.format(id=ids[pack["sha256"]])
    calendar = provenance.get("calendar")
    if isinstance(calendar, dict) and calendar.get("sha256") in ids:
        calendar["path"] = RULE_FILE_PATH.format(id=ids[calendar["sha256"]])


def proposal_content(
    store: Any,
    moves: Sequence[MoveRequest],
    *,
    dataset: str,
    mapping: str | None = None,
    as_of: date | None = None,
    engine: str = "durable",
    notes: str = "",
) -> ProposalContent:
    """The content of a proposal: the moves on the dataset, each explained with the active rule set."""
    if not moves:
        raise api.InputError([api.Problem(api.Location("proposal"), _("list at least one move"), field="moves")])
    data, ref = load_dataset(dataset, mapping)
    ruleset, files = store.rules.active_ruleset()
    pairs = [(m.nip, m.target) for m in moves]
    explanations, packs, day = explain(data, files, pairs, as_of=as_of, engine=engine, ruleset=ruleset)
    origins = {e.nip: e.position for e in data.employees}
    return ProposalContent(
        moves=tuple(Move(nip=m.nip, origin=origins[m.nip], target=m.target, kind=m.kind, note=m.note) for m in moves),
        dataset=ref,
        packs=tuple(packs),
        rule_files=tuple(f.id for f in files),
        as_of=day,
        engine=engine,
        explanations=tuple(explanations),
        notes=notes,
    )


def draft_proposal(
    store: Any, title: str, moves: Sequence[MoveRequest], *, dataset: str, actor: str, **options: Any
) -> Proposal:
    """A new draft proposal (see :func:`proposal_content` for the options)."""
    return store.proposals.create(title, proposal_content(store, moves, dataset=dataset, **options), actor=actor)


def redraft_proposal(
    store: Any, proposal_id: int, expected_version: int, moves: Sequence[MoveRequest], *, actor: str, **options: Any
) -> Proposal:
    """A new version of a draft with other moves, explained again with the active rule set, on its dataset."""
    current = store.proposals.get(proposal_id)
    options.setdefault("dataset", current.content.dataset.location)
    options.setdefault("mapping", current.content.dataset.mapping)
    content = proposal_content(store, moves, **options)
    return store.proposals.update(proposal_id, expected_version, actor=actor, content=content)


def scenario_text(template: str, content: ProposalContent) -> str:
    """The template scenario with the proposal's moves and dataset (an absolute folder) instead of its own."""
    try:
        data = yaml.safe_load(template)
    except yaml.YAMLError as exc:
        raise api.InputError(
            [api.Problem(api.Location("scenario"), _("not valid YAML: {reason}").format(reason=exc))]
        ) from None
    if not isinstance(data, dict):
        raise api.InputError([api.Problem(api.Location("scenario"), _("expected named fields (key: value)"))])
    if "://" in content.dataset.location:
        message = _(
            "the simulation reads a dataset folder; this proposal's dataset is {location}: import it into a folder first"
        )
        raise api.InputError(
            [api.Problem(api.Location("scenario"), message.format(location=content.dataset.location), field="dataset")]
        )
    data["dataset"] = content.dataset.location
    data["proposal"] = {
        "moves": [{"nip": m.nip, "to": m.target, **({"note": m.note} if m.note else {})} for m in content.moves]
    }
    # Rule packs named by the template are relative to it and only serve automatic proposals.
    data.pop("rules", None)
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)


def run_scenario_text(
    text: str,
    *,
    seed: int | None = None,
    replications: int | None = None,
    workers: int = 1,
    progress: Callable[[int, int], None] | None = None,
    shown: str = "scenario.yaml",
) -> tuple[api.SimulationResult, dict[str, Any]]:
    """Run the scenario ``text``; the result and its JSON (the scenario named ``shown``, not a temporary file)."""
    with tempfile.TemporaryDirectory(prefix="seimbang-scenario-") as folder:
        path = Path(folder) / "scenario.yaml"
        path.write_text(text, encoding="utf-8")
        try:
            loaded = api.load_scenario(path)
        except api.InputError as exc:
            raise api.InputError([_renamed(p, str(path), shown) for p in exc.problems]) from None
        api.check_work(loaded, replications)
        result = api.run_scenario(loaded, replications=replications, seed=seed, workers=workers, progress=progress)
    results = json.loads(api.render_simulation(result, fmt="json"))
    if isinstance(results.get("run"), dict):
        results["run"]["scenario_file"] = shown
    return result, results


def _renamed(problem: api.Problem, path: str, shown: str) -> api.Problem:
    import dataclasses

    location = problem.location
    return dataclasses.replace(problem, location=dataclasses.replace(location, path=location.path.replace(path, shown)))


def simulate_proposal(
    store: Any,
    proposal_id: int,
    expected_version: int,
    *,
    template: str,
    seed: int | None = None,
    replications: int | None = None,
    workers: int = 1,
    progress: Callable[[int, int], None] | None = None,
    actor: str,
) -> Evidence:
    """Simulate the proposal with the scenario ``template`` (its proposal replaced by the proposal's moves) and
    record the scenario run, seed, replications, results and verdict as the proposal's evidence."""
    proposal = store.proposals.get(proposal_id)
    # Refused before the run, not after it: a simulation may take minutes.
    if proposal.version != expected_version:
        raise StaleVersion("proposal", proposal_id, expected_version, proposal.version)
    if proposal.state not in SIMULATABLE:
        message = _("proposal {id} is {state}; this needs it to be {allowed}")
        allowed = " / ".join(s.value for s in SIMULATABLE)
        raise WrongState(message.format(id=proposal_id, state=proposal.state.value, allowed=allowed))
    text = scenario_text(template, proposal.content)
    shown = SCENARIO_PATH.format(proposal=proposal_id, version=proposal.version)
    result, results = run_scenario_text(
        text, seed=seed, replications=replications, workers=workers, progress=progress, shown=shown
    )
    return store.proposals.attach_evidence(
        proposal_id,
        expected_version,
        actor=actor,
        scenario_text=text,
        seed=result.run.seed,
        replications=result.run.replications,
        verdict=result.verdict.label,
        results=results,
    )


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
