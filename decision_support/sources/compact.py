"""Compact storage of validated items: what makes a province's 400,000 rows fit in a few times the file size.

The items stay the frozen pydantic models of :mod:`decision_support.models`, equal field by field to what
``model_validate`` returns; only how they are held in memory changes:

- equal values are shared: the unit id, position id, golongan, education field, kecamatan and dates of
  100,000s of rows are a few hundred distinct objects, not one per row. A field is shared only while it pays:
  one whose values are nearly all distinct (NIP, name) is left alone after a first sample, so that the pool
  of values does not cost more than it saves;
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
        if self.seen == SAMPLE and len(self.values) > SAMPLE * MOSTLY_DISTINCT:
            self.active = False
            self.values = {}  # the items keep their values; the pool is let go
        return shared


#: Immutable value types worth sharing (enums, small ints, None and bool are shared by Python already).
SHAREABLE = (str, date)


class Compactor:
    """Shares values and field-name sets among the items of a load, and rebuilds items compactly."""

    def __init__(self) -> None:
        self.pools: dict[tuple[str, str], FieldPool] = {}
        self.fields_sets: dict[frozenset[str], set[str]] = {}

    def compact(self, table: str, item: M) -> M:
        """``item`` (as validated, not yet seen by anyone) stored compactly; equal to it."""
        values = item.__dict__
        for name, value in values.items():
            if type(value) not in SHAREABLE:
                continue
            pool = self.pools.get((table, name))
            if pool is None:
                pool = self.pools[(table, name)] = FieldPool()
            if pool.active:
                values[name] = pool.share(value)
        return rebuild(type(item), values, self._fields_set(item.__pydantic_fields_set__))

    def extend(self, cls: type[M], item: Model, **more: Any) -> M:
        """An instance of ``cls`` (a subclass of ``item``'s model) with ``item``'s values and ``more`` fields.

        Like ``cls.model_construct(**item.__dict__, **more)``: every value was validated already.
        """
        values = {**item.__dict__, **more}
        return rebuild(cls, values, self._fields_set({*item.__pydantic_fields_set__, *more}))

    def _fields_set(self, fields: set[str]) -> set[str]:
        """One set object per distinct set of field names (pydantic keeps one per instance)."""
        return self.fields_sets.setdefault(frozenset(fields), set(fields))


def rebuild(cls: type[M], values: dict[str, Any], fields_set: set[str]) -> M:
    """An instance of ``cls`` holding ``values`` (already validated), as ``model_construct`` would make it.

    Attributes are set one by one, in the model's field order, on an instance without a dictionary: CPython
    then gives it a dictionary that shares its keys with the class's other instances. pydantic assigns a
    whole dictionary instead, which stores every key again in every instance.
    """
    if cls.__private_attributes__:
        return cls.model_construct(_fields_set=fields_set, **values)  # pydantic must set up the private state
    item = cls.__new__(cls)
    setattr_ = object.__setattr__
    for name in cls.model_fields:
        setattr_(item, name, values[name])
    setattr_(item, "__pydantic_fields_set__", fields_set)
    setattr_(item, "__pydantic_extra__", None)
    setattr_(item, "__pydantic_private__", None)
    return item
