"""Checks of ``local_governments:`` in dataset.yaml against the units (each unit under exactly one root)."""

from __future__ import annotations

from ..errors import Problem, did_you_mean
from ..i18n import _
from ..models import Manifest, Unit
from ..models.local_government import unit_local_governments
from .references import Loaded, ReadResult
from .yaml_source import MarkedYaml


def check_local_governments(manifest: Manifest, marked: MarkedYaml, read: ReadResult) -> list[Problem]:
    """Unknown or repeated ids and roots, roots under other roots, units under no root: every problem at once."""
    listed = manifest.local_governments
    if not listed or "units" in read.unavailable:
        return []
    rows = read.rows["units"]
    units: dict[str, Unit] = {u.id: u for u in rows.items}
    problems: list[Problem] = []
    seen_ids: dict[str, int] = {}
    seen_roots: dict[str, str] = {}
    roots_ok = True
    for i, lg in enumerate(listed):
        entity = _("local government {id}").format(id=lg.id)
        if lg.id in seen_ids:
            message = _("local government id '{id}' is listed twice").format(id=lg.id)
            problems.append(Problem(marked.location(("local_governments", i, "id")), message, entity=entity))
        seen_ids.setdefault(lg.id, i)
        where = marked.location(("local_governments", i, "root"))
        if lg.root not in units:
            roots_ok = False
            if lg.root not in read.invalid_keys["units"]:
                message = _("root unit '{unit}' is not defined in units").format(unit=lg.root)
                problems.append(Problem(where, message, entity=entity, hint=did_you_mean(lg.root, list(units))))
            continue
        if lg.root in seen_roots:
            roots_ok = False
            message = _("unit '{unit}' is already the root of local government {other}").format(
                unit=lg.root, other=seen_roots[lg.root]
            )
            problems.append(Problem(where, message, entity=entity))
            continue
        seen_roots[lg.root] = lg.id
    if not roots_ok:
        return problems  # units under no root would mostly be consequences
    for i, lg in enumerate(listed):
        above = unit_local_governments(units.values(), [x for x in listed if x.root != lg.root])
        owner = above.get(units[lg.root].parent or "")
        if owner is not None:
            message = _("root unit '{unit}' lies under the root of local government {other}").format(
                unit=lg.root, other=owner
            )
            entity = _("local government {id}").format(id=lg.id)
            problems.append(Problem(marked.location(("local_governments", i, "root")), message, entity=entity))
    owners = unit_local_governments(units.values(), listed)
    roots = ", ".join(lg.root for lg in listed)
    for position, unit in enumerate(rows.items):
        if unit.id not in owners:
            loaded = Loaded(rows, position)
            message = _("unit '{unit}' is under none of the local governments' root units ({roots})").format(
                unit=unit.id, roots=roots
            )
            problems.append(Problem(loaded.row.location("parent"), message, entity=loaded.entity, field="parent"))
    return problems
