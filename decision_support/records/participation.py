"""``store.participation``: an employee's own views (wishes, objections, hopes) as submitted over HTTP.

Every submission is a new version (the earlier ones stay, readable as history) and an audit entry with the
views' hash, so a record changed in SQL afterwards no longer matches the trail.
"""

from __future__ import annotations

import builtins
import hashlib
import json
from typing import Any

import sqlalchemy as sa

from .. import api
from . import audit
from .errors import StaleVersion
from .models import Record
from .schema import participation_records
from .store import Database


class StoredParticipation(Record):
    """One version of an employee's submitted views."""

    nip: str
    version: int
    views: tuple[dict[str, Any], ...]
    at: str
    actor: str


def _stored(row: Any) -> StoredParticipation:
    views = tuple(json.loads(row.views))
    return StoredParticipation(nip=row.nip, version=row.version, views=views, at=row.at, actor=row.actor)


class Participation:
    def __init__(self, db: Database) -> None:
        self._db = db

    def history(self, nip: str) -> builtins.list[StoredParticipation]:
        """Every version of the employee's record, oldest first (empty when they never submitted)."""
        query = sa.select(participation_records).where(participation_records.c.nip == nip)
        with self._db.read() as conn:
            return [_stored(r) for r in conn.execute(query.order_by(participation_records.c.version))]

    def current(self, nip: str) -> StoredParticipation | None:
        found = self.history(nip)
        return found[-1] if found else None

    def all_current(self) -> builtins.list[StoredParticipation]:
        """The latest version of every employee's record, by NIP."""
        with self._db.read() as conn:
            rows = conn.execute(sa.select(participation_records).order_by(participation_records.c.nip)).all()
        latest: dict[str, Any] = {}
        for row in rows:
            if row.nip not in latest or row.version > latest[row.nip].version:
                latest[row.nip] = row
        return [_stored(r) for r in latest.values()]

    def submit(
        self, nip: str, views: builtins.list[api.StatedView], *, expected_version: int, actor: str
    ) -> StoredParticipation:
        """A new version of the employee's views; ``expected_version`` is the one it replaces (0 for the first),
        a stale one is refused (:class:`StaleVersion`)."""
        text = audit.canonical_json([v.model_dump(mode="json", exclude_none=True) for v in views])
        with self._db.write() as conn:
            audit.lock_head(conn)  # serialises writers, so two submissions cannot take the same version
            query = sa.select(sa.func.max(participation_records.c.version)).where(participation_records.c.nip == nip)
            current = conn.execute(query).scalar() or 0
            if current != expected_version:
                raise StaleVersion("participation", nip, expected_version, current)
            values = {"nip": nip, "version": current + 1, "views": text, "at": audit.now(), "actor": actor}
            conn.execute(participation_records.insert().values(**values))
            digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
            payload = {"version": current + 1, "views": len(views), "views_sha256": digest}
            audit.append(conn, actor, "participation.submit", "participation", nip, payload)
        at, version = str(values["at"]), current + 1
        return StoredParticipation(nip=nip, version=version, views=tuple(json.loads(text)), at=at, actor=actor)
