"""API tokens: created with a role (an employee's with their NIP), shown once, kept only as SHA-256, revoked.

A secret is 32 random bytes (``secrets.token_urlsafe``), so a plain SHA-256 is enough to keep it at rest: there
is nothing to guess. Lookup is by the hash's index; the stored and computed hashes are compared in constant time.
"""

from __future__ import annotations

import builtins
import hashlib
import hmac
import secrets
from typing import Any

import sqlalchemy as sa

from .. import api
from ..i18n import _
from . import audit
from .errors import NotFound, WrongState
from .models import Principal, Role, TokenInfo
from .schema import tokens
from .store import Database

SECRET_PREFIX = "smb_"


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _problem(field: str, message: str, hint: str | None = None) -> api.Problem:
    return api.Problem(api.Location("token"), message, field=field, hint=hint)


def _validated(name: str, role: str, nip: str | None) -> tuple[str, Role, str | None]:
    problems = []
    name = name.strip()
    if not name:
        problems.append(_problem("name", _("give the token a name (who or what uses it)")))
    elif len(name) > 200:
        problems.append(_problem("name", _("at most 200 characters")))
    chosen: Role | None = None
    try:
        chosen = Role(role)
    except ValueError:
        roles = ", ".join(r.value for r in Role)
        problems.append(
            _problem("role", _("unknown role '{role}'; expected one of {roles}").format(role=role, roles=roles))
        )
    if chosen is Role.EMPLOYEE and not nip:
        problems.append(_problem("nip", _("an employee token needs the employee's NIP (--nip)")))
    if chosen is not None and chosen is not Role.EMPLOYEE and nip:
        problems.append(_problem("nip", _("only an employee token is bound to an NIP")))
    if nip:
        try:
            api.parse_nip(nip)
        except ValueError as exc:
            problems.append(_problem("nip", str(exc)))
    if problems:
        raise api.InputError(problems)
    assert chosen is not None
    return name, chosen, nip or None


def _info(row: Any) -> TokenInfo:
    return TokenInfo(
        id=row.id,
        name=row.name,
        role=Role(row.role),
        nip=row.nip,
        created_at=row.created_at,
        created_by=row.created_by,
        revoked_at=row.revoked_at,
        revoked_by=row.revoked_by,
    )


class Tokens:
    """``store.tokens``: create, list, revoke, authenticate."""

    def __init__(self, db: Database) -> None:
        self._db = db

    def create(self, name: str, role: str, nip: str | None = None, *, actor: str) -> tuple[TokenInfo, str]:
        """A new token and its secret, which is shown this once and never stored."""
        name, chosen, nip = _validated(name, role, nip)
        secret = SECRET_PREFIX + secrets.token_urlsafe(32)
        values = {
            "id": "tok_" + secrets.token_hex(6),
            "name": name,
            "role": chosen.value,
            "nip": nip,
            "secret_sha256": secret_hash(secret),
            "created_at": audit.now(),
            "created_by": actor,
        }
        with self._db.write() as conn:
            conn.execute(tokens.insert().values(**values))
            audit.append(
                conn, actor, "token.create", "token", values["id"], {"name": name, "role": chosen.value, "nip": nip}
            )
        return _info(_Row(values)), secret

    def list(self, *, include_revoked: bool = True) -> builtins.list[TokenInfo]:
        query = sa.select(tokens).order_by(tokens.c.created_at, tokens.c.id)
        if not include_revoked:
            query = query.where(tokens.c.revoked_at.is_(None))
        with self._db.read() as conn:
            return [_info(row) for row in conn.execute(query)]

    def get(self, token_id: str) -> TokenInfo:
        with self._db.read() as conn:
            row = conn.execute(sa.select(tokens).where(tokens.c.id == token_id)).first()
        if row is None:
            raise NotFound("token", token_id)
        return _info(row)

    def revoke(self, token_id: str, *, actor: str) -> TokenInfo:
        """Revoke a token: it authenticates nobody from now on. Revoking twice is refused."""
        with self._db.write() as conn:
            row = conn.execute(sa.select(tokens).where(tokens.c.id == token_id)).first()
            if row is None:
                raise NotFound("token", token_id)
            if row.revoked_at is not None:
                raise WrongState(_("token {id} was already revoked on {at}").format(id=token_id, at=row.revoked_at))
            at = audit.now()
            conn.execute(tokens.update().where(tokens.c.id == token_id).values(revoked_at=at, revoked_by=actor))
            audit.append(conn, actor, "token.revoke", "token", token_id, {"name": row.name, "role": row.role})
        return self.get(token_id)

    def authenticate(self, secret: str) -> Principal | None:
        """Who holds ``secret``, or None for an unknown or revoked token."""
        if not secret:
            return None
        computed = secret_hash(secret)
        with self._db.read() as conn:
            row = conn.execute(sa.select(tokens).where(tokens.c.secret_sha256 == computed)).first()
        if row is None or not hmac.compare_digest(row.secret_sha256, computed) or row.revoked_at is not None:
            return None
        return Principal(token_id=row.id, name=row.name, role=Role(row.role), nip=row.nip)


class _Row:
    """Attribute access to a freshly inserted row's values."""

    def __init__(self, values: dict[str, Any]) -> None:
        self.__dict__.update({"revoked_at": None, "revoked_by": None, **values})
