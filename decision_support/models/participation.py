"""Employee participation: the views an ASN states about a transfer (wishes, hopes, objections) and why.

One row of ``participation.csv`` is one :class:`StatedView`. It extends the older ``preferences.csv``
(wish / avoid with a free-text reason), which keeps loading: :func:`views_of` reads its rows as views
(a wish stays a wish, an avoided unit becomes an objection to a move into that unit). The format is in
docs/dataset-format.md (participation) and docs/participation.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import BeforeValidator, Field, model_validator

from ..i18n import _
from .base import Date, FieldError, Identifier, Model, normalise_choice
from .codes import Nip

if TYPE_CHECKING:
    from .workforce import Employee


class ViewKind(StrEnum):
    """What the employee states: a wished unit (ranked), a hope (free text), an objection to a move."""

    WISH = "wish"
    HOPE = "hope"
    OBJECTION = "objection"


class Reason(StrEnum):
    """The controlled vocabulary of reasons (a survey's choice list); free text goes in ``note``."""

    FAMILY = "family"
    SPOUSE = "spouse"
    HEALTH = "health"
    COMPETENCE = "competence"
    OTHER = "other"


#: Indonesian (and English) spellings a survey form uses, after lower-casing and joining words with '_'.
_KIND_ALIASES = {
    "keinginan": "wish", "pilihan": "wish", "usulan_unit": "wish", "harapan": "hope", "keberatan": "objection",
    "objection_to_move": "objection", "avoid": "objection",
}  # fmt: skip
_REASON_ALIASES = {
    "keluarga": "family", "alasan_keluarga": "family", "pasangan": "spouse", "ikut_suami": "spouse",
    "ikut_istri": "spouse", "ikut_suami/istri": "spouse", "tempat_kerja_pasangan": "spouse",
    "tempat_kerja_suami/istri": "spouse", "spouse's_workplace": "spouse", "spouse_workplace": "spouse",
    "kesehatan": "health", "alasan_kesehatan": "health", "pengembangan_kompetensi": "competence",
    "kompetensi": "competence", "competence_development": "competence", "lainnya": "other", "lain_lain": "other",
    "lain-lain": "other",
}  # fmt: skip


def _kind(value: Any) -> Any:
    value = normalise_choice(value)
    return _KIND_ALIASES.get(value, value) if isinstance(value, str) else value


def _reason(value: Any) -> Any:
    value = normalise_choice(value)
    return _REASON_ALIASES.get(value, value) if isinstance(value, str) else value


def reason_code(text: str) -> str:
    """The key a reason's spelling maps to (``Ikut Suami/Istri`` -> ``spouse``), for the survey import."""
    normalised = re.sub(r"[\s\-]+", "_", text.strip().lower())
    return _REASON_ALIASES.get(normalised, normalised)


def kind_code(text: str) -> str:
    """The key a view kind's spelling maps to (``Keberatan`` -> ``objection``)."""
    normalised = re.sub(r"[\s\-]+", "_", text.strip().lower())
    return _KIND_ALIASES.get(normalised, normalised)


class StatedView(Model):
    """One view an employee stated: a ranked wish, a hope, or an objection to a move.

    A wish names a ``unit`` (and may narrow it to a ``position`` there) with a ``rank``. An objection names
    the ``unit`` it objects to being moved into, or no unit: an objection to being moved at all. A hope is
    free text in ``note``. ``stated_on`` dates the view, so a consultation can tell a view stated before a
    proposal from one stated in answer to it.
    """

    nip: Nip
    kind: Annotated[ViewKind, BeforeValidator(_kind)]
    unit: Identifier | None = None
    position: Identifier | None = None
    rank: int | None = Field(default=None, ge=1, le=20)
    reason: Annotated[Reason, BeforeValidator(_reason)] | None = None
    note: str | None = None
    stated_on: Date | None = None

    @model_validator(mode="after")
    def _complete(self) -> StatedView:
        if self.kind is ViewKind.WISH:
            if self.unit is None:
                raise FieldError("unit", _("a wish needs a unit (the unit the employee wishes to move to)"))
            if self.rank is None:
                raise FieldError("rank", _("a wish needs a rank (1 = most wanted)"))
        elif self.rank is not None:
            raise FieldError("rank", _("only a wish has a rank; leave rank empty for a {kind}").format(kind=self.kind))
        if self.kind is ViewKind.HOPE and not self.note:
            raise FieldError("note", _("a hope needs its text in note"))
        if self.kind is not ViewKind.WISH and self.position is not None and self.unit is None:
            raise FieldError("unit", _("a position needs its unit"))
        return self


@dataclass(frozen=True)
class Stance:
    """What one employee stated about a move into one unit, from every view that concerns it."""

    wish: StatedView | None = None
    #: The objection to this unit, or else to any move.
    objection: StatedView | None = None

    @property
    def wished(self) -> bool:
        return self.wish is not None

    @property
    def objected(self) -> bool:
        return self.objection is not None


def _from_preference(employee: Employee) -> list[StatedView]:
    """The rows of preferences.csv as views: a wish stays a wish, an avoided unit is an objection to it."""
    views = []
    for pref in employee.preferences:
        kind = ViewKind.WISH if pref.kind.value == "wish" else ViewKind.OBJECTION
        views.append(
            StatedView.model_construct(
                nip=pref.nip,
                kind=kind,
                unit=pref.unit,
                position=None,
                rank=pref.rank,
                reason=None,
                note=pref.reason,
                stated_on=None,
            )
        )
    return views


def views_of(employee: Employee) -> tuple[StatedView, ...]:
    """Every view of ``employee``: participation.csv rows, then preferences.csv rows read as views."""
    return (*employee.participation, *_from_preference(employee))


def wishes_of(employee: Employee) -> list[StatedView]:
    """The employee's wishes, most wanted first."""
    wishes = [v for v in views_of(employee) if v.kind is ViewKind.WISH]
    return sorted(wishes, key=lambda v: (v.rank or 99, v.unit or ""))


def any_move_objection(employee: Employee) -> StatedView | None:
    """The employee's objection to being moved at all, if any (the latest stated first)."""
    general = [v for v in views_of(employee) if v.kind is ViewKind.OBJECTION and v.unit is None]
    return max(general, key=_stated_key, default=None)


def _stated_key(view: StatedView) -> date:
    return view.stated_on or date.min


def stances(employee: Employee) -> dict[str, Stance]:
    """Per unit the employee named, their stance on a move into it (an objection to any move not included)."""
    wishes: dict[str, StatedView] = {}
    objections: dict[str, StatedView] = {}
    for view in views_of(employee):
        if view.unit is None:
            continue
        if view.kind is ViewKind.WISH:
            wishes.setdefault(view.unit, view)
        elif view.kind is ViewKind.OBJECTION:
            objections.setdefault(view.unit, view)
    return {unit: Stance(wishes.get(unit), objections.get(unit)) for unit in sorted({*wishes, *objections})}


def stance_on(employee: Employee, unit: str) -> Stance:
    """The employee's stance on a move into ``unit``: its wish, its objection (to it or to any move)."""
    stance = stances(employee).get(unit, Stance())
    if stance.objection is None:
        stance = Stance(stance.wish, any_move_objection(employee))
    return stance


def stated_reasons(employee: Employee) -> list[str]:
    """The reason codes the employee gave for any view, sorted."""
    return sorted({v.reason.value for v in views_of(employee) if v.reason is not None})
