"""Errors of the records store a caller can act on (the service maps them to HTTP statuses)."""

from __future__ import annotations

from ..api import ExitCode, SeimbangError
from ..i18n import N_, _

#: How messages name the records (the English names are also the ``entity`` of the error).
ENTITIES = {
    "proposal": N_("proposal"),
    "proposal version": N_("proposal version"),
    "decision": N_("decision"),
    "token": N_("token"),
    "job": N_("job"),
    "rule file": N_("rule file"),
    "participation": N_("participation record"),
}


def entity_name(entity: str) -> str:
    return _(ENTITIES[entity]) if entity in ENTITIES else entity


class RecordsError(SeimbangError):
    """A request the records store refuses; the message says why."""

    exit_code = ExitCode.INVALID_INPUT


class NotFound(RecordsError):
    """No such record (HTTP 404)."""

    def __init__(self, entity: str, key: object) -> None:
        self.entity, self.key = entity, key
        super().__init__(_("no {entity} with id {key}").format(entity=entity_name(entity), key=key))


class StaleVersion(RecordsError):
    """The record changed since the caller read it (HTTP 409); ``current`` is its version now."""

    def __init__(self, entity: str, key: object, expected: int, current: int) -> None:
        self.entity, self.key, self.expected, self.current = entity, key, expected, current
        super().__init__(
            _(
                "{entity} {key} was changed by someone else: you edited version {expected}, it is now at version "
                "{current}; reload it and apply your change again"
            ).format(entity=entity_name(entity), key=key, expected=expected, current=current)
        )


class WrongState(RecordsError):
    """The record is not in a state that allows this (HTTP 409), e.g. deciding a draft."""


class StoreUnavailable(RecordsError):
    """The database cannot be opened or reached."""
