"""Every refusal as RFC 9457 problem+json with the failing `field`, and never a 500 for bad input.

Status codes: pydantic validation 422 (field = path such as `lines[0].qty`), `ValidationError`
400, authentication 401, permission 403, not found 404, conflicts and refused transitions 409,
body too large 413. Anything unexpected is a 500 problem without internals (logged with trace).
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from core.domain.errors import (
    ConflictError,
    IllegalTransitionError,
    InsufficientStockError,
    NotFoundError,
    OmsError,
)
from core.domain.orders import field_path
from core.services.hub.access import AuthenticationError, PermissionDeniedError

log = logging.getLogger("oms.hub")
PROBLEM = "application/problem+json"
STATUS_BY_ERROR: tuple[tuple[type[OmsError], int], ...] = (
    (AuthenticationError, 401),
    (PermissionDeniedError, 403),
    (NotFoundError, 404),
    (ConflictError, 409),
    (IllegalTransitionError, 409),
    (InsufficientStockError, 409),
)
TITLES = {
    400: "Bad request",
    401: "Not authenticated",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    413: "Request too large",
    415: "Unsupported media type",
    422: "Invalid input",
    500: "Internal error",
}


def problem(status: int, detail: str, *, field: str | None = None, **extra: Any) -> JSONResponse:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
        "field": field,
    }
    body.update(extra)
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(body, status_code=status, media_type=PROBLEM, headers=headers)


def status_for(exc: OmsError) -> int:
    return next((status for kind, status in STATUS_BY_ERROR if isinstance(exc, kind)), 400)


def _validation_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    out = []
    for err in exc.errors():
        loc = tuple(p for p in err.get("loc", ()) if p not in ("body", "query", "path", "header"))
        message = str(err.get("msg", "")).removeprefix("Value error, ")
        if err.get("type") == "json_invalid":  # loc is a character position, not a field
            detail = err.get("ctx", {}).get("error", "")
            message = f"the body is not valid JSON: {detail} (at character {loc[0] if loc else '?'})"
            loc = ()
        out.append({"field": field_path(loc) or None, "message": message})
    return out


def install(app: FastAPI) -> None:
    @app.exception_handler(OmsError)
    async def _oms(_: Request, exc: OmsError) -> JSONResponse:
        return problem(status_for(exc), exc.message, field=exc.field)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = _validation_errors(exc) or [{"field": None, "message": "invalid request"}]
        first = errors[0]
        return problem(422, first["message"], field=first["field"], errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        return problem(exc.status_code, str(exc.detail))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return problem(500, "the hub hit an unexpected error; it has been logged")
