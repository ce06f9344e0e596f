"""The JSON API, ``/api/v1``: a followed term's status, facts and audit trail.

- ``GET /api/v1/terms/{owner}/{election_year}?today=YYYY-MM-DD&lang=nb|nn|en``: the status,
  the same bytes as ``plancycle status --format json`` (``today`` defaults to the server's day).
- ``GET …/facts``: the current facts (public: council decisions are public).
- ``POST …/facts`` with a JSON :class:`~plancycle.service.models.FactIn` and
  ``Authorization: Bearer <token>``: records the fact, checked as ``plancycle record`` checks
  it. **201** with the stored fact when a row was written; **200** with the stored fact when the
  same fact was already recorded (nothing written: the same request sent twice records it once);
  401 without a valid token (``WWW-Authenticate: Bearer``), 403 with another owner's token, 409
  when it contradicts a recorded fact (send ``"replace": true`` to correct it), 422 when it is
  invalid, 413 when the body is too big, 415 when it is not JSON.
- ``GET …/audit`` (a token for that owner, or an admin token): who recorded what, and when.

``owner`` is a kommunenummer (``1103``) or ``fylke-<fylkesnummer>`` (``fylke-46``). Errors are
``{"error": "<one line in the asked language>"}``. A token is only read from the
``Authorization`` header: one in the query string is refused (400), never used.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any
from urllib.parse import parse_qsl

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import ValidationError

from plancycle.errors import InputError, PlanCycleError
from plancycle.i18n import LANGUAGES, Language, check_language
from plancycle.service.models import (
    AuditListOut,
    ErrorOut,
    FactIn,
    FactOut,
    FactsOut,
    StatusOut,
    audit_out,
    fact_out,
)
from plancycle.service.service import Service

router = APIRouter(prefix="/api/v1")
bearer = HTTPBearer(auto_error=False, description="a token from `plancycle token create`")
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
#: Query parameters that look like a credential: refused, so a token never travels in a URL.
TOKEN_KEYS = frozenset({"token", "access_token", "api_key", "apikey", "key", "auth",
                        "authorization", "bearer", "password", "secret"})
LangQuery = Annotated[str | None, Query(description="language of texts and errors: nb, nn or en",
                                        json_schema_extra={"enum": list(LANGUAGES)})]
OwnerPath = Annotated[str, Path(description="a kommunenummer (1103) or fylke-<fylkesnummer> "
                                            "(fylke-46)",
                                examples=["1103"],
                                json_schema_extra={"pattern": "^([0-9]{4}|fylke-[0-9]{2})$"})]
YearPath = Annotated[str, Path(description="the municipal election year of the term",
                               examples=["2027"], json_schema_extra={"pattern": "^[0-9]{4}$"})]
TodayQuery = Annotated[str | None, Query(description="the day of the status, YYYY-MM-DD "
                                                     "(default: the server's day)",
                                         json_schema_extra={"format": "date"})]


class BadQuery(InputError):
    """An option of the URL that is not allowed: HTTP 400."""


class NotJSON(InputError):
    """A body that is not ``application/json``: HTTP 415."""


class BadBody(InputError):
    """A body that is not a fact: HTTP 422."""


def _errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    texts = {400: "a URL option that is not allowed", 401: "no valid token",
             403: "a token for another owner", 404: "no such owner or election year",
             409: "contradicts a recorded fact", 413: "the body is too big",
             415: "the body is not JSON", 422: "the fact is invalid",
             500: "a server error (logged)"}
    return {code: {"model": ErrorOut, "description": texts[code]} for code in codes}


def service_of(request: Request) -> Service:
    service: Service = request.app.state.service
    return service


def options(request: Request, allowed: tuple[str, ...]) -> dict[str, str]:
    """The URL's options, strictly: each at most once, none but ``allowed``, no token."""
    try:
        pairs = parse_qsl(request.url.query, keep_blank_values=True, errors="strict",
                          max_num_fields=len(allowed) + 1)
    except UnicodeDecodeError:
        raise BadQuery(key="feed_query_encoding") from None
    except ValueError:
        raise BadQuery(key="feed_query_many", allowed=", ".join(allowed)) from None
    values: dict[str, str] = {}
    for key, value in pairs:
        if key.lower() in TOKEN_KEYS:
            raise BadQuery(key="service_token_in_query", option=key[:40])
        if key not in allowed:
            raise BadQuery(key="feed_unknown_option", option=key[:40], allowed=", ".join(allowed))
        if key in values:
            raise BadQuery(key="feed_repeated_option", option=key[:40])
        values[key] = value.strip()
    if values.get("lang"):
        try:
            check_language(values["lang"])
        except InputError as exc:
            raise BadQuery(None, key=exc.key, **exc.fields) if exc.key else BadQuery(str(exc)) from None
    return values


def language(values: dict[str, str]) -> Language:
    return check_language(values.get("lang") or "nb")


def token_of(credentials: HTTPAuthorizationCredentials | None) -> str | None:
    return credentials.credentials if credentials is not None else None


def _json(model: Any, status: int = 200) -> Response:
    return Response(model.model_dump_json().encode() + b"\n", status_code=status,
                    media_type="application/json", headers={"Cache-Control": "no-store"})


@router.get("/terms/{owner}/{election_year}", response_model=None,
            responses={200: {"model": StatusOut, "description": "the term's status"},
                       **_errors(400, 404, 500)},
            summary="A followed term's status (plancycle status --format json)")
def get_status(request: Request, owner: OwnerPath, election_year: YearPath, today: TodayQuery = None,
               lang: LangQuery = None) -> Response:
    del today, lang  # read strictly from the URL below (documented here)
    service = service_of(request)
    values = options(request, ("today", "lang"))
    segment, year = service.term_ref(owner, election_year)
    day = service.today()
    if values.get("today"):
        try:
            day = dt.date.fromisoformat(values["today"])
        except ValueError:
            raise BadQuery(key="feed_bad_date", value=values["today"][:20]) from None
    body = service.status_json(segment, year, day, language(values))
    return Response(body, media_type="application/json", headers={"Cache-Control": "no-store"})


@router.get("/terms/{owner}/{election_year}/facts", response_model=None,
            responses={200: {"model": FactsOut, "description": "the current facts"},
                       **_errors(400, 404, 500)},
            summary="The recorded facts (public)")
def get_facts(request: Request, owner: OwnerPath, election_year: YearPath,
              lang: LangQuery = None) -> Response:
    del lang
    service = service_of(request)
    options(request, ("lang",))
    segment, year = service.term_ref(owner, election_year)
    rows = service.facts(segment, year)
    return _json(FactsOut(owner=segment, election_year=year, facts=[fact_out(r) for r in rows]))


@router.post("/terms/{owner}/{election_year}/facts", response_model=None, status_code=201,
             responses={201: {"model": FactOut, "description": "recorded: a row was written"},
                        200: {"model": FactOut,
                              "description": "the same fact was already recorded (nothing "
                                             "written)"},
                        **_errors(400, 401, 403, 404, 409, 413, 415, 422, 500)},
             openapi_extra={"requestBody": {"required": True, "content": {
                 "application/json": {"schema": FactIn.model_json_schema()}}}},
             summary="Record a fact (a token for this owner)")
async def post_fact(request: Request, owner: OwnerPath, election_year: YearPath, credentials: Credentials,
                    lang: LangQuery = None) -> Response:
    del lang
    service = service_of(request)
    options(request, ("lang",))
    segment, year = service.term_ref(owner, election_year)
    token = await run_in_threadpool(service.authenticate, token_of(credentials))
    service.check_access(segment, token)
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media != "application/json" and not (media.startswith("application/")
                                            and media.endswith("+json")):
        raise NotJSON(key="service_not_json", type=media[:60] or "-")
    fact = parse_fact(await request.body())
    outcome = await run_in_threadpool(service.record, segment, year, fact, token)
    return _json(fact_out(outcome.fact), 201 if outcome.created else 200)


def parse_fact(body: bytes) -> FactIn:
    """The fact of a JSON body; the first problem as one line (:class:`BadBody`)."""
    try:
        return FactIn.model_validate_json(body)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first.get("loc", ())) or "body"
        raise BadBody(key="service_bad_body", where=where[:60],
                      reason=str(first.get("msg", ""))[:200]) from None
    except PlanCycleError as exc:  # pragma: no cover - FactIn is a plain BaseModel
        raise BadBody(str(exc)) from None


@router.get("/terms/{owner}/{election_year}/audit", response_model=None,
            responses={200: {"model": AuditListOut, "description": "the audit trail"},
                       **_errors(400, 401, 403, 404, 500)},
            summary="Who recorded or replaced what, and when (a token for this owner)")
def get_audit(request: Request, owner: OwnerPath, election_year: YearPath, credentials: Credentials,
              lang: LangQuery = None) -> Response:
    del lang
    service = service_of(request)
    options(request, ("lang",))
    segment, year = service.term_ref(owner, election_year)
    token = service.authenticate(token_of(credentials))
    entries = service.audit(segment, year, token)
    return _json(AuditListOut(owner=segment, election_year=year,
                              entries=[audit_out(e) for e in entries]))
