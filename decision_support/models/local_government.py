"""Local governments (pemda) of a dataset: a province's kabupaten and kota, each owning a tree of units.

A dataset may list its local governments in ``dataset.yaml`` (``local_governments:``); each names the root unit
of its tree, and every unit belongs to the local government whose root is its ancestor (or itself). Without the
list the dataset is one implicit local government, and nothing about it changes. Moves inside one local
government are decided by its PPK (PP 11/2017 Pasal 191); moves between two of one province by the Gubernur
(Pasal 192).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from pydantic import Field

from .base import Identifier, Model
from .organisation import Unit


class LocalGovernment(Model):
    """One pemda: a kota or kabupaten, with the root unit of its organisation (``PADANG.PEMKO``)."""

    #: Short code, used in unit ids, rule pack scopes and calendars (``PADANG``).
    id: Identifier
    name: str = Field(min_length=1)
    kind: Literal["kota", "kabupaten"]
    #: Id of the unit at the top of this local government's organisation.
    root: Identifier


def unit_local_governments(units: Iterable[Unit], local_governments: Iterable[LocalGovernment]) -> dict[str, str]:
    """The local government of each unit under a listed root (units under no root are left out).

    The nearest root on a unit's parent chain decides; a root under another root is reported by the
    loader, so for a valid dataset there is only one.
    """
    roots = {lg.root: lg.id for lg in local_governments}
    parent = {u.id: u.parent for u in units}
    found: dict[str, str] = {}
    for unit in parent:
        chain = []
        current: str | None = unit
        owner = None
        while current is not None and current not in found:
            if current in roots:
                owner = roots[current]
                break
            chain.append(current)
            current = parent.get(current)
            if len(chain) > len(parent):  # a loop (reported by the loader)
                break
        if current is not None and current in found and owner is None:
            owner = found[current]
        if current in roots:
            found[current] = roots[current]
        if owner is not None:
            for visited in chain:
                found[visited] = owner
    return found
