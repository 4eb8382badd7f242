"""The proposal a consultation summary is about: a plan file (``seimbang plan``) or a simulation scenario.

The reasons shown for a move come from the proposal itself: a plan file's details (stage and the rule
reasons that passed), a scenario's ``note`` per move. Nothing is added here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InputError, Location, Problem, display_path
from ..i18n import _
from ..models import Dataset
from ..planning.provenance import plan_dataset_problem
from ..simulation import load_scenario
from ..simulation.scenario import PlanFile
from ..sources import load_dataset
from ..sources.validation import validate_row
from ..sources.yaml_source import load_yaml
from .summary import ProposedMove


@dataclass(frozen=True)
class LoadedProposal:
    """A proposal's moves with their reasons, and the dataset they apply to."""

    dataset: Dataset
    moves: tuple[ProposedMove, ...]
    #: The file as shown to the user.
    name: str


def load_proposal(path: str | Path, dataset: str | Path | Dataset | None = None) -> LoadedProposal:
    """Read the plan file or scenario at ``path``.

    A scenario names its dataset; a plan file does not, so ``dataset`` (a folder or a loaded dataset) is then
    required. Raises :class:`InputError` with every problem.
    """
    path = Path(path)
    shown = display_path(path)
    if not path.is_file():
        raise InputError([Problem(Location(shown), _("file not found: expected a plan file or a scenario"))])
    marked, problems = load_yaml(path, shown)
    if marked is None or problems:
        raise InputError(problems)
    data = marked.data
    if not isinstance(data, dict):
        raise InputError([Problem(marked.location(()), _("expected named fields (key: value)"))])
    if "schema_version" in data or "proposal" in data:
        return _from_scenario(path, shown, dataset)
    return _from_plan(path, shown, marked, data, dataset)


def _from_scenario(path: Path, shown: str, dataset: str | Path | Dataset | None) -> LoadedProposal:
    loaded = load_scenario(path)
    reasons = _plan_reasons(path.parent, loaded.scenario.proposal)
    moves = tuple(
        reasons.get((m.nip, m.to)) or ProposedMove(nip=m.nip, to=m.to, reasons=(m.note,) if m.note else ())
        for m in loaded.moves
    )
    chosen = dataset if isinstance(dataset, Dataset) else loaded.dataset
    return LoadedProposal(chosen, moves, shown)


def _plan_reasons(base: Path, proposal: Any) -> dict[tuple[str, str], ProposedMove]:
    """A scenario whose proposal is a plan file: the plan's reasons per move (read again for its details)."""
    if not isinstance(proposal, str):
        return {}
    marked, problems = load_yaml(base / proposal, display_path(base / proposal))
    if marked is None or problems or not isinstance(marked.data, dict):
        return {}  # the scenario loader has checked this file already
    return {(m.nip, m.to): m for m in _details(marked.data)}


def _from_plan(
    path: Path, shown: str, marked: Any, data: dict[str, Any], dataset: str | Path | Dataset | None
) -> LoadedProposal:
    plan, problems = validate_row(
        PlanFile, data, lambda loc, key: marked.location(loc, key=key), fmt="yaml", entity=None, marked=marked
    )
    if dataset is None:
        message = _("a plan file does not name its dataset; give the dataset folder as the second argument")
        problems.append(Problem(Location(shown), message))
    if problems or plan is None or dataset is None:
        raise InputError(problems)
    loaded = dataset if isinstance(dataset, Dataset) else load_dataset(dataset)
    wrong = plan_dataset_problem(plan.plan, [(m.nip, m.to) for m in plan.moves], loaded)
    if wrong:
        raise InputError([Problem(marked.location(("plan",)), wrong)])
    detailed = {(m.nip, m.to): m for m in _details(data)}
    moves = tuple(
        detailed.get((m.nip, m.to)) or ProposedMove(nip=m.nip, to=m.to, reasons=(m.note,) if m.note else ())
        for m in plan.moves
    )
    return LoadedProposal(loaded, moves, shown)


def _details(data: dict[str, Any]) -> list[ProposedMove]:
    """The moves of ``plan.details`` (written by ``seimbang plan``) with their stage and rule reasons."""
    details = (data.get("plan") or {}).get("details") if isinstance(data.get("plan"), dict) else None
    out = []
    for row in details or ():
        if not isinstance(row, dict) or not isinstance(row.get("nip"), str) or not isinstance(row.get("to"), str):
            continue
        # The score rules' reasons say why the plan ranked the move; a plan without them gives every reason.
        chosen = row.get("score_reasons") if "score_reasons" in row else row.get("reasons")
        reasons = tuple(str(r) for r in chosen or () if r)
        stage = row.get("stage") if row.get("stage") in ("voluntary", "balance") else None
        out.append(ProposedMove(nip=row["nip"], to=row["to"], reasons=reasons, stage=stage))
    return out
