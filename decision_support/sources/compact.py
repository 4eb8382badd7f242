"""Compact storage of validated items: what makes a province's 400,000 rows fit in a few times the file size.

The items stay the frozen pydantic models of :mod:`decision_support.models`, equal field by field to what
``model_validate`` returns; only how they are held in memory changes:

- equal values are shared: the unit id, position id, golongan, education field, kecamatan and dates of
  100,000s of rows are a few thousand distinct objects, not one per row. Dates are always shared (a century
  has 36,525 of them); a text field only while it pays: one whose values are nearly all distinct (NIP, name)
  is left alone after a first sample, so that the pool of values does not cost more than it saves;
- the set of field names pydantic keeps per instance is shared among the items that set the same fields;
- an item's field values are stored in a key-sharing instance dictionary (the field names are held once per
  class, the values in a plain array per item), rebuilt as CPython does for ordinary objects: about half the
  size of the dictionary pydantic builds.

Items are frozen, so nothing ever changes a shared value or set after it is shared.
"""

from __future__ import annotations

from datetime import date
from typing import Any, TypeVar

from ..models.base import Model

M = TypeVar("M", bound=Model)

#: Values seen before a field's worth sharing is judged, and the share of distinct values beyond which the
#: field is left alone (a pool entry costs about as much as the string it saves).
SAMPLE = 2000
MOSTLY_DISTINCT = 0.5


class FieldPool:
    """Equal values of one field of one table, shared while sharing pays."""

    __slots__ = ("active", "seen", "values")

    def __init__(self) -> None:
        self.values: dict[Any, Any] = {}
        self.seen = 0
        self.active = True

    def share(self, value: Any) -> Any:
        shared = self.values.setdefault(value, value)
        self.seen += 1
        if self.seen == SAMPLE and len(self.values) > SAMPLE * MOSTLY_DISTINCT and type(value) is not date:
            self.active = False
            self.values = {}  # the items keep their values; the pool is let go
        return shared


#: Immutable value types worth sharing (enums, small ints, None and bool are shared by Python already).
SHAREABLE = (str, date)


class Compactor:
    """Shares values and field-name sets among the items of a load, and rebuilds items compactly."""

    def __init__(self) -> None:
        self.pools: dict[str, list[tuple[str, FieldPool]]] = {}
        self.fields_sets: dict[frozenset[str], set[str]] = {}
        #: Per model, an instance dictionary whose keys its instances share (copied for each new instance).
        self.templates: dict[type[Model], dict[str, Any]] = {}

    def compact(self, table: str, item: Model, cls: type[M]) -> M:
        """``item`` (as validated, not yet seen by anyone) as an instance of ``cls``, stored compactly.

        ``cls`` is ``item``'s model or a subclass whose further fields all have defaults (an ``Employee`` from
        an ``EmployeeRecord``): those fields take their defaults, as in ``cls.model_construct``.
        """
        values = item.__dict__
        for name, pool in self._pools(table, values):
            if pool.active:
                value = values[name]
                if type(value) in SHAREABLE:
                    values[name] = pool.share(value)
        return self.rebuild(cls, values, item.__pydantic_fields_set__)

    def attach(self, item: Model, **fields: Any) -> None:
        """Set further fields of an item built by :meth:`compact` before anyone else sees it.

        The loader attaches an employee's histories this way once every table is read; the item is as
        ``model_construct`` given every field would make it (so every field counts as set).
        """
        values = item.__dict__
        for name, value in fields.items():
            values[name] = value  # an existing key: the dictionary keeps sharing its keys
        fields_set = self.shared_fields_set(set(values))
        object.__setattr__(item, "__pydantic_fields_set__", fields_set)

    def rebuild(self, cls: type[M], values: dict[str, Any], fields_set: set[str]) -> M:
        """An instance of ``cls`` holding ``values`` (already validated), as ``model_construct`` would make it.

        Its dictionary is a copy of the model's template: a dictionary that shares its keys with the other
        instances of the model, as CPython makes for ordinary objects that set their attributes one by one.
        pydantic assigns a whole dictionary instead, which stores every key again in every instance.
        """
        if cls.__private_attributes__:
            return cls.model_construct(_fields_set=fields_set, **values)  # pydantic sets up the private state
        template = self.templates.get(cls)
        if template is None:
            template = self.templates[cls] = _key_sharing_dict(cls)
        own = template.copy()
        own.update(values)  # no new key (all are fields): the copy keeps sharing its keys
        item = cls.__new__(cls)
        setattr_ = object.__setattr__
        setattr_(item, "__dict__", own)
        setattr_(item, "__pydantic_fields_set__", self.shared_fields_set(fields_set))
        setattr_(item, "__pydantic_extra__", None)
        setattr_(item, "__pydantic_private__", None)
        return item

    def shared_fields_set(self, fields: set[str]) -> set[str]:
        """One set object per distinct set of field names (pydantic keeps one per instance)."""
        shared = self.fields_sets.get(frozenset(fields))
        if shared is None:
            shared = self.fields_sets[frozenset(fields)] = set(fields)
        return shared

    def _pools(self, table: str, values: dict[str, Any]) -> list[tuple[str, FieldPool]]:
        pools = self.pools.get(table)
        if pools is None:
            pools = self.pools[table] = []
        if len(pools) < len(values):  # the table's first item (or a field of a subclass not met before)
            known = {name for name, _ in pools}
            pools += [(name, FieldPool()) for name in values if name not in known]
        return pools


def _key_sharing_dict(cls: type[Model]) -> dict[str, Any]:
    """A dictionary with every field of ``cls`` as key, sharing its keys with the class's instances."""
    probe = cls.__new__(cls)
    for name, info in cls.model_fields.items():
        object.__setattr__(probe, name, info.default)
    return probe.__dict__.copy()
