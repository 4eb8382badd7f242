"""Errors as RFC 9457 problem details (``application/problem+json``) in the language of the request.

Every error a user can act on carries the same located problems as the CLI prints: the file (or request part),
line and column, the entity, the field, what was expected and a "did you mean". FastAPI's own request
validation errors are turned into the same shape, their messages translated. An internal error is a 500
problem without a traceback (the traceback goes to the server's log).
"""

from __future__ import annotations

import difflib
import logging
import traceback
import typing
from typing import Any

import sqlalchemy
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import api, records
from ..i18n import N_, _, ngettext

MEDIA_TYPE = "application/problem+json"
#: Problem types are URNs documented in docs/http-api.md ("Problem details").
TYPE_PREFIX = "urn:seimbang:problem:"
log = logging.getLogger("seimbang.service")


class LocatedProblem(BaseModel):
    """One thing wrong, as ``api.Problem`` holds it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    path: str
    line: int | None = None
    column: int | None = None
    column_name: str | None = None
    entity: str | None = None
    field: str | None = None
    message: str
    hint: str | None = None
    #: The problem as the CLI prints it: ``path:line:column: entity: field: message. hint``.
    text: str


class ProblemDetails(BaseModel):
    """An RFC 9457 problem details object with seimbang's extension members."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    type: str
    title: str
    status: int
    detail: str
    instance: str | None = None
    #: The language of ``title``, ``detail`` and the messages (also the ``Content-Language`` header).
    language: str
    problems: list[LocatedProblem] = []
    #: For a stale version (409): the version the client edited and the one stored now.
    expected_version: int | None = None
    current_version: int | None = None


TITLES = {
    400: N_("Bad request"),
    401: N_("Not authenticated"),
    403: N_("Not allowed for this role"),
    404: N_("Not found"),
    405: N_("Method not allowed"),
    409: N_("Conflict with the current state"),
    413: N_("Request too large"),
    415: N_("Unsupported media type"),
    422: N_("Invalid input"),
    500: N_("Internal error"),
    503: N_("Service unavailable"),
}
SLUGS = {
    401: "unauthenticated",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    409: "conflict",
    422: "invalid-input",
    500: "internal-error",
    503: "unavailable",
}


def problem_response(
    request: Request,
    status: int,
    detail: str,
    *,
    problems: list[api.Problem] = (),  # type: ignore[assignment]
    slug: str | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    """The problem response for ``status``, in the request's language (set by the middleware)."""
    # Handlers of unexpected errors run outside the middleware's context: the language is on the request too.
    with api.language(request.scope.get("state", {}).get("language")):
        return _problem_response(request, status, detail, problems=problems, slug=slug, headers=headers, **extra)


def _problem_response(
    request: Request,
    status: int,
    detail: str,
    *,
    problems: list[api.Problem],
    slug: str | None,
    headers: dict[str, str] | None,
    **extra: Any,
) -> JSONResponse:
    body = ProblemDetails(
        type=TYPE_PREFIX + (slug or SLUGS.get(status, "error")),
        title=_(TITLES.get(status, N_("Error"))),
        status=status,
        detail=detail,
        instance=request.url.path,
        language=api.current_language(),
        problems=[located(p) for p in sorted(problems, key=lambda p: p.sort_key())],
        **extra,
    )
    return problem_json(body, headers)


def problem_json(body: ProblemDetails, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(
        body.model_dump(mode="json", exclude_none=True),
        status_code=body.status,
        media_type=MEDIA_TYPE,
        headers={"Content-Language": body.language, **(headers or {})},
    )


def located(problem: api.Problem) -> LocatedProblem:
    where = problem.location
    return LocatedProblem(
        path=where.path,
        line=where.line,
        column=where.column,
        column_name=where.column_name,
        entity=problem.entity,
        field=problem.field,
        message=problem.message,
        hint=problem.hint,
        text=problem.render(snippet=False),
    )


def _input_error(request: Request, exc: api.InputError) -> JSONResponse:
    return problem_response(request, 422, exc.summary(), problems=exc.problems)


def _records_error(request: Request, exc: records.RecordsError) -> JSONResponse:
    if isinstance(exc, records.StaleVersion):
        return problem_response(
            request,
            409,
            str(exc),
            slug="stale-version",
            expected_version=exc.expected,
            current_version=exc.current,
        )
    if isinstance(exc, records.NotFound):
        return problem_response(request, 404, str(exc))
    if isinstance(exc, records.WrongState):
        return problem_response(request, 409, str(exc), slug="wrong-state")
    if isinstance(exc, records.StoreUnavailable):
        return problem_response(request, 503, str(exc))
    return problem_response(request, 409, str(exc), slug="refused")


def _seimbang_error(request: Request, exc: api.SeimbangError) -> JSONResponse:
    if isinstance(exc, api.InputError):
        return _input_error(request, exc)
    if isinstance(exc, records.RecordsError):
        return _records_error(request, exc)
    return problem_response(request, 422, str(exc))


def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    detail = exc.detail if isinstance(exc.detail, str) and exc.status_code not in TITLES else None
    return problem_response(
        request,
        exc.status_code,
        detail or _(TITLES.get(exc.status_code, N_("Error"))),
        headers=dict(exc.headers or {}),
    )


def database_down(request: Request, exc: Exception) -> JSONResponse:
    """The records database went away while the service runs: 503, so a client knows to retry later."""
    log.error("records database error on %s %s: %s", request.method, request.url.path, exc)
    with api.language(request.scope.get("state", {}).get("language")):
        message = _("The records database cannot be reached right now; nothing was changed. Try again later.")
        return problem_response(request, 503, message, headers={"Retry-After": "5"})


def _internal_error(request: Request, exc: Exception) -> JSONResponse:
    trace = "".join(traceback.format_exception(exc))
    log.error("internal error on %s %s\n%s", request.method, request.url.path, trace)
    # This handler runs outside the middleware that set the request's language: set it again.
    with api.language(request.scope.get("state", {}).get("language")):
        message = _(
            "Internal error in seimbang (a bug, not a problem with your data). Send this message to the developers."
        )
        return problem_response(request, 500, message)


def _validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    model = body_model(request.scope.get("route"))
    problems = [validation_problem(error, exc.body, model) for error in exc.errors()]
    n = len(problems)
    detail = ngettext(
        "The request has {n} problem; nothing was changed.", "The request has {n} problems; nothing was changed.", n
    ).format(n=n)
    return problem_response(request, 422, detail, problems=problems)


def body_model(route: object) -> type[BaseModel] | None:
    """The pydantic model of the route's request body, to suggest the field a misspelt one meant."""
    endpoint = getattr(route, "endpoint", None)
    if endpoint is None:
        return None
    for hint in typing.get_type_hints(endpoint).values():
        if isinstance(hint, type) and issubclass(hint, BaseModel):
            return hint
    return None


def _field_names(model: type[BaseModel] | None, path: list[str]) -> list[str]:
    """The fields of the (nested) model at ``path`` of the body."""
    for part in path:
        if model is None or part.isdigit():
            continue
        field = model.model_fields.get(part)
        model = _model_in(field.annotation) if field is not None else None
    return list(model.model_fields) if model is not None else []


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


#: pydantic's error types as messages of our catalogue ({placeholders} filled from the error's context).
VALIDATION_MESSAGES = {
    "missing": N_("required, but missing"),
    "extra_forbidden": N_("unknown field"),
    "string_type": N_("expected text"),
    "string_too_short": N_("expected at least {min_length} characters"),
    "string_too_long": N_("expected at most {max_length} characters"),
    "int_type": N_("expected a whole number"),
    "int_parsing": N_("expected a whole number"),
    "int_from_float": N_("expected a whole number"),
    "float_type": N_("expected a number"),
    "float_parsing": N_("expected a number"),
    "bool_type": N_("expected true or false"),
    "bool_parsing": N_("expected true or false"),
    "greater_than": N_("expected a number greater than {gt}"),
    "greater_than_equal": N_("expected a number of at least {ge}"),
    "less_than": N_("expected a number less than {lt}"),
    "less_than_equal": N_("expected a number of at most {le}"),
    "list_type": N_("expected a list"),
    "dict_type": N_("expected an object with named fields"),
    "model_type": N_("expected an object with named fields"),
    "model_attributes_type": N_("expected an object with named fields"),
    "too_short": N_("expected at least {min_length} items"),
    "too_long": N_("expected at most {max_length} items"),
    "literal_error": N_("expected one of {expected}"),
    "enum": N_("expected one of {expected}"),
    "date_type": N_("expected a date (YYYY-MM-DD)"),
    "date_parsing": N_("expected a date (YYYY-MM-DD)"),
    "date_from_datetime_parsing": N_("expected a date (YYYY-MM-DD)"),
    "date_from_datetime_inexact": N_("expected a date (YYYY-MM-DD)"),
    "json_invalid": N_("not valid JSON: {error}"),
    "json_type": N_("expected JSON"),
    "value_error": N_("invalid value: {error}"),
}
PARTS = {"body": N_("request body"), "query": N_("query string"), "path": N_("path"), "header": N_("header")}


def validation_problem(error: dict[str, Any], body: Any = None, model: type[BaseModel] | None = None) -> api.Problem:
    """One FastAPI validation error as a located problem: the request part, the field path, a translated message,
    the line and column of malformed JSON, and the field a misspelt one meant."""
    loc = [str(part) for part in error.get("loc", ())]
    part = loc[0] if loc and loc[0] in PARTS else "body"
    field_path = ".".join(loc[1:] if loc and loc[0] in PARTS else loc) or None
    template = VALIDATION_MESSAGES.get(str(error.get("type")))
    context = {k: str(v) for k, v in (error.get("ctx") or {}).items()}
    message = str(error.get("msg", ""))
    if template is not None:
        try:
            message = _(template).format(**context)
        except (KeyError, IndexError):
            message = str(error.get("msg", ""))
    where = api.Location(_(PARTS[part]))
    hint = None
    if error.get("type") == "json_invalid":
        field_path = None
        where = _json_position(where, body, error.get("loc", ()))
    elif error.get("type") == "extra_forbidden" and part == "body":
        hint = did_you_mean(loc[-1], _field_names(model, loc[1:-1]))
    return api.Problem(where, message, field=field_path, hint=hint)


def _json_position(where: api.Location, body: Any, loc: Any) -> api.Location:
    """The line and column of a JSON syntax error (FastAPI gives the character offset)."""
    offset = loc[-1] if loc and isinstance(loc[-1], int) else None
    if not isinstance(body, str) or offset is None:
        return where
    line = body.count("\n", 0, offset) + 1
    column = offset - (body.rfind("\n", 0, offset) + 1) + 1
    return api.Location(where.path, line, column)


def did_you_mean(value: str, choices: list[str]) -> str | None:
    match = difflib.get_close_matches(value, choices, n=1, cutoff=0.6)
    return _("Did you mean '{choice}'?").format(choice=match[0]) if match else None


def install(app: FastAPI) -> None:
    """Register the problem handlers on ``app``."""
    app.add_exception_handler(api.SeimbangError, _seimbang_error)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, _validation_error)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, _http_error)  # type: ignore[arg-type]
    app.add_exception_handler(sqlalchemy.exc.OperationalError, database_down)
    app.add_exception_handler(sqlalchemy.exc.InterfaceError, database_down)
    app.add_exception_handler(Exception, _internal_error)


#: The problem responses every route may give, for the OpenAPI document.
def responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    return {
        status: {"model": ProblemDetails, "content": {MEDIA_TYPE: {}}, "description": TITLES.get(status, "Error")}
        for status in statuses
    }
