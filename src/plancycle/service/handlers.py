"""How the service answers an error: an HTTP status and one line in the asked language.

API routes (``/api/…``) answer ``{"error": "<line>"}``; other routes one plain line, as the feed
server does. The status follows the error's class (:data:`STATUS`); a bug is a logged 500 that
shows no traceback.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException

from plancycle.errors import (
    DataError,
    FactConflictError,
    PlanCycleError,
    RuleViolation,
    UnknownMunicipalityError,
)
from plancycle.feed.query import message_language
from plancycle.i18n import label
from plancycle.service.api import BadBody, BadQuery, NotJSON
from plancycle.service.service import AuthRequired, Forbidden, NotFound

log = logging.getLogger("plancycle.service")

#: The HTTP status of each error class (the most specific class that matches wins).
STATUS: tuple[tuple[type[PlanCycleError], int], ...] = (
    (AuthRequired, 401), (Forbidden, 403), (NotFound, 404), (UnknownMunicipalityError, 404),
    (BadQuery, 400), (NotJSON, 415), (BadBody, 422), (FactConflictError, 409),
    (RuleViolation, 422), (DataError, 500), (PlanCycleError, 422),
)


def answer(request: Request, status: int, line: str) -> Response:
    """One line: JSON for the API, plain text elsewhere."""
    line = (line.splitlines() or [""])[0]
    headers = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"}
    if status == 401:
        headers["WWW-Authenticate"] = 'Bearer realm="plancycle"'
    if request.url.path.startswith("/api/"):
        import json

        body = json.dumps({"error": line}, ensure_ascii=False).encode() + b"\n"
        return Response(body, status, headers=headers, media_type="application/json")
    return Response(line.encode() + b"\n", status, headers=headers,
                    media_type="text/plain; charset=utf-8")


def install(app: FastAPI) -> None:
    """Register the handlers on ``app``."""

    async def plancycle_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, PlanCycleError)
        status = next(code for kind, code in STATUS if isinstance(exc, kind))
        if status >= 500:
            log.error("plancycle service: %s", exc)
        return answer(request, status, exc.in_language(message_language(request.url.query)))

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        lang = message_language(request.url.query)
        if exc.status_code == 404:
            line = label("error_feed_not_found", lang, path=request.url.path[:80],
                         index=request.scope.get("root_path", "") + "/")
        elif exc.status_code == 405:
            line = label("error_service_method", lang, method=request.method[:20])
        else:
            line = str(exc.detail)
        return answer(request, exc.status_code, line)

    async def validation_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        first: dict[str, Any] = dict(exc.errors()[0]) if exc.errors() else {}
        where = ".".join(str(part) for part in first.get("loc", ())) or "request"
        status = 422 if where.startswith("body") else 400
        line = label("error_service_bad_body", message_language(request.url.query),
                     where=where[:60], reason=str(first.get("msg", ""))[:200])
        return answer(request, status, line)

    async def bug(request: Request, exc: Exception) -> Response:
        log.exception("plancycle service: internal error", exc_info=exc)
        return answer(request, 500, label("service_internal", message_language(request.url.query)))

    app.add_exception_handler(PlanCycleError, plancycle_error)
    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(Exception, bug)
