"""Who may call what: bearer tokens (kept hashed by the records store) and one declared permission per route.

Every route states its permission with :func:`guard` (or :data:`PUBLIC`); :func:`permission_table` refuses to start
an app with a route that states none, so a new endpoint is never open by accident. The middleware decides before
the request reaches the endpoint (before its body is even read): no or an unknown token is 401, a role without
the route's permission 403, and neither touches the database beyond looking the token up.
"""

from __future__ import annotations

import re
from http.cookies import CookieError, SimpleCookie
from typing import Any
from urllib.parse import parse_qs

import sqlalchemy
from fastapi import Depends, FastAPI, Request
from fastapi.responses import RedirectResponse
from fastapi.security import HTTPBearer
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Receive, Scope, Send

from .. import api, records
from ..i18n import _
from . import problems
from .language import negotiate

#: Key of a route's permission in its ``openapi_extra`` (also shown in the OpenAPI document).
PERMISSION_KEY = "x-permission"
PUBLIC = "public"
#: Any valid token, whatever its role.
AUTHENTICATED = "authenticated"
bearer = HTTPBearer(auto_error=False, description="An API token made with 'seimbang tokens create'.")


def guard(permission: records.Permission | str) -> dict[str, Any]:
    """The keyword arguments of a route that needs ``permission`` (a :class:`records.Permission` or a marker)."""
    value = permission.value if isinstance(permission, records.Permission) else permission
    extra: dict[str, Any] = {"openapi_extra": {PERMISSION_KEY: value}}
    if value != PUBLIC:
        extra["dependencies"] = [Depends(bearer)]  # documents the scheme; the middleware enforces it
    return extra


def permission_table(app: FastAPI) -> list[tuple[re.Pattern[str], str, str]]:
    """(path pattern, method, permission) of every operation of the app's OpenAPI document.

    Also refuses an app with an operation that declares no permission (fail closed), and documents the 401 and
    403 problems on every operation that needs a token.
    """
    schema = app.openapi()
    table = []
    for path, operations in schema.get("paths", {}).items():
        pattern = re.compile("^" + re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(path)) + "$")
        for method, operation in operations.items():
            permission = operation.get(PERMISSION_KEY)
            if permission is None:
                raise RuntimeError(f"operation {method.upper()} {path} declares no permission")
            if "422" in operation.get("responses", {}):
                # FastAPI documents its own validation error body; the service answers with problem details.
                operation["responses"]["422"] = _refusal_doc(422)
            if permission != PUBLIC:
                refusals = {str(k): _refusal_doc(k) for k in (401, 403)}
                operation["responses"] = {**refusals, **operation.get("responses", {})}
            table.append((pattern, method.upper(), str(permission)))
    return table


def _refusal_doc(status: int) -> dict[str, Any]:
    ref = {"$ref": "#/components/schemas/ProblemDetails"}
    return {"description": problems.TITLES[status], "content": {problems.MEDIA_TYPE: {"schema": ref}}}


def principal(request: Request) -> records.Principal:
    """The caller the middleware authenticated (only on routes that need a token)."""
    found = request.scope.get("state", {}).get("principal")
    if not isinstance(found, records.Principal):
        raise RuntimeError("no authenticated caller on a route that needs one")
    return found


def allowed(role: records.Role, permission: str) -> bool:
    if permission in (PUBLIC, AUTHENTICATED):
        return True
    return records.Permission(permission) in records.PERMISSIONS[role]


SESSION_COOKIE = "seimbang_session"
LANGUAGE_COOKIE = "seimbang_lang"


def _cookies(header: str) -> dict[str, str]:
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(header)
    except CookieError:
        return {}
    return {name: morsel.value for name, morsel in jar.items()}


def _is_page(scope: Scope) -> bool:
    """A page of the review meeting (HTML), not the API."""
    return not str(scope.get("path", "")).startswith(("/api/", "/openapi.json", "/docs"))


def _page_language(scope: Scope, cookies: dict[str, str]) -> str | None:
    """On pages, the language chosen with the switch (``?lang=`` now, the cookie afterwards)."""
    if not _is_page(scope):
        return None
    query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
    chosen = (query.get("lang") or [cookies.get(LANGUAGE_COOKIE, "")])[0]
    return chosen if chosen in api.LANGUAGES else None


class Gatekeeper:
    """ASGI middleware: the request's language, then authentication and authorisation of the matched route."""

    def __init__(self, app: ASGIApp, store: records.Store, table: list[tuple[re.Pattern[str], str, str]]) -> None:
        self.app, self.store, self.table = app, store, table

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        cookies = _cookies(headers.get("cookie", ""))
        code = _page_language(scope, cookies) or negotiate(headers.get("accept-language"))
        scope.setdefault("state", {})["language"] = code
        authorization = headers.get("authorization")
        if authorization is None and cookies.get(SESSION_COOKIE):
            # The review page's session: the same token, kept in an HttpOnly cookie.
            authorization = "Bearer " + cookies[SESSION_COOKIE]
        with api.language(code):
            refusal = await self._refusal(scope, authorization)
            wants_html = "text/html" in headers.get("accept", "")
            if refusal is not None and _is_page(scope) and authorization is None and wants_html:
                # A browser without a session: to the login form rather than a problem document.
                refusal = RedirectResponse("/login", status_code=303)
            if refusal is not None:
                await refusal(scope, receive, send)
                return
            await self.app(scope, receive, send)

    async def _refusal(self, scope: Scope, authorization: str | None) -> Any:
        permission = self._permission(scope)
        if permission is None or permission == PUBLIC:
            return None
        request = Request(scope)
        scheme, _sep, secret = (authorization or "").partition(" ")
        caller = None
        if scheme.lower() == "bearer":
            # A database lookup: in a worker thread, so the event loop keeps serving other requests meanwhile.
            try:
                caller = await run_in_threadpool(self.store.tokens.authenticate, secret.strip())
            except (sqlalchemy.exc.OperationalError, sqlalchemy.exc.InterfaceError) as exc:
                return problems.database_down(request, exc)
        if caller is None:
            detail = (
                _("Send an API token: 'Authorization: Bearer TOKEN' (made with 'seimbang tokens create').")
                if not authorization
                else _("The API token is unknown or was revoked.")
            )
            return problems.problem_response(request, 401, detail, headers={"WWW-Authenticate": "Bearer"})
        if not allowed(caller.role, permission):
            detail = _("The role {role} may not do this; it needs the permission {permission}.").format(
                role=caller.role.value, permission=permission
            )
            return problems.problem_response(request, 403, detail)
        scope["state"]["principal"] = caller
        return None

    def _permission(self, scope: Scope) -> str | None:
        path, method = scope.get("path", ""), scope.get("method", "GET").upper()
        for pattern, allowed_method, permission in self.table:
            if (method == allowed_method or (method == "HEAD" and allowed_method == "GET")) and pattern.match(path):
                return permission
        return None
