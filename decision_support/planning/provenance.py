"""A plan knows its dataset: its name, date and content hash, and a fingerprint of what each move depends on.

A plan is a set of moves checked against one dataset. Used with another dataset, its NIPs and positions mean
nothing (or something else); used with a dataset that changed since planning, a move may break a rule it
passed (a formasi reduced at its target post). :func:`plan_dataset_problem` says so in one message.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

from ..i18n import _
from ..models import Dataset

#: Moves listed by name in a message before "and N more".
SHOWN = 10


def dataset_hash(dataset: Dataset) -> str:
    """SHA-256 of the validated dataset's content (independent of file formats and row order on disk)."""
    return hashlib.sha256(dataset.model_dump_json().encode()).hexdigest()


def move_fingerprint(dataset: Dataset, nip: str, target: str) -> str | None:
    """A hash of the records one move depends on: the employee, the origin and target posts and their units.

    None when the employee or the target post is not in the dataset.
    """
    employees = {e.nip: e for e in dataset.employees}
    positions = {p.id: p for p in dataset.positions}
    units = {u.id: u for u in dataset.units}
    employee, to = employees.get(nip), positions.get(target)
    if employee is None or to is None:
        return None
    origin = positions[employee.position]
    records = [employee, origin, to, units[origin.unit], units[to.unit]]
    digest = hashlib.sha256("\n".join(r.model_dump_json() for r in records).encode())
    return digest.hexdigest()[:16]


def dataset_provenance(dataset: Dataset, moves: Sequence[tuple[str, str]]) -> dict[str, Any]:
    """``provenance.dataset`` of a plan: identity, content hash and each move's fingerprint."""
    return {
        "name": dataset.manifest.name,
        "as_of": dataset.as_of.isoformat(),
        "sha256": dataset_hash(dataset),
        "moves": {nip: move_fingerprint(dataset, nip, to) for nip, to in moves},
    }


def plan_dataset_problem(plan: dict[str, Any] | None, moves: Sequence[tuple[str, str]], dataset: Dataset) -> str | None:
    """Why the plan's moves must not be used with ``dataset`` (one message), or None when they may.

    A plan without ``provenance.dataset`` (written by hand, or by an older version) is taken as it is. A plan
    whose dataset changed since planning is refused unless its ``provenance.dataset.accept_changes`` is true.
    """
    recorded = ((plan or {}).get("provenance") or {}).get("dataset")
    if not isinstance(recorded, dict) or "sha256" not in recorded:
        return None
    if recorded["sha256"] == dataset_hash(dataset):
        return None
    known = {e.nip for e in dataset.employees}
    unknown = sum(1 for nip, _to in moves if nip not in known)
    if recorded.get("name") != dataset.manifest.name or unknown * 2 > len(moves):
        return _(
            "this plan was made for dataset '{planned}' (data of {as_of}), not for '{used}', the scenario's "
            "dataset: {unknown} of its {total} NIPs are not in it; make a plan for this dataset with 'seimbang plan'"
        ).format(
            planned=recorded.get("name"),
            as_of=recorded.get("as_of"),
            used=dataset.manifest.name,
            unknown=unknown,
            total=len(moves),
        )
    if recorded.get("accept_changes") is True:
        return None
    fingerprints = recorded.get("moves") or {}
    affected = [f"{nip} -> {to}" for nip, to in moves if fingerprints.get(nip) != move_fingerprint(dataset, nip, to)]
    if not affected:
        listed = _("none of its moves' own records changed (employee, origin and target posts, their units)")
    else:
        shown = ", ".join(affected[:SHOWN])
        more = _(" and {n} more").format(n=len(affected) - SHOWN) if len(affected) > SHOWN else ""
        listed = _("moves whose employee, posts or units changed: {moves}{more}").format(moves=shown, more=more)
    return _(
        "dataset '{name}' changed since this plan was made (content hash {planned}, now {now}); {listed}. "
        "Make a new plan with 'seimbang plan', or, to simulate these moves anyway, set "
        "plan.provenance.dataset.accept_changes: true in the plan file"
    ).format(name=dataset.manifest.name, planned=recorded["sha256"][:12], now=dataset_hash(dataset)[:12], listed=listed)
