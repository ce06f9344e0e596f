"""The public plan overview page of a stored term (issue 10): ``GET /plans/{owner}/{election_year}``.

Renders :func:`plancycle.plans.overview.render_overview` for the stored term's plan register, on
the service's day (or ``?today=YYYY-MM-DD``), in ``?lang=`` (nb, nn, en). A URL that names no
term is 404, a term without a register 404 too, bad parameters 400, each as one line of text.
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, Response

from plancycle.errors import InputError, PlanCycleError, UnknownMunicipalityError
from plancycle.i18n import Language, check_language
from plancycle.plans.of_term import overview_of_term
from plancycle.plans.overview import CONTENT_SECURITY_POLICY
from plancycle.service.service import NotFound
from plancycle.term import Term

__all__ = ["router"]

_HEADERS = {"Content-Security-Policy": CONTENT_SECURITY_POLICY, "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "same-origin", "X-Frame-Options": "DENY"}


class _Store(Protocol):
    def term(self, owner: str, election_year: int) -> Term: ...


class _Service(Protocol):
    @property
    def store(self) -> _Store: ...

    def today(self) -> dt.date: ...

    def term_ref(self, owner: str, election_year: str) -> tuple[str, int]: ...


router = APIRouter(include_in_schema=False)


@router.get("/plans/{owner}/{election_year}", response_class=HTMLResponse)
def plans_page(request: Request, owner: str, election_year: str) -> Response:
    """The plan overview of the stored term ``owner``/``election_year``."""
    service: _Service = request.app.state.service
    lang: Language = "nb"
    try:
        lang = check_language(request.query_params.get("lang", "nb"))
        segment, year = service.term_ref(owner, election_year)
        today_text = request.query_params.get("today")
        today = _day(today_text) if today_text else service.today()
        term = service.store.term(segment, year)
        body = overview_of_term(term, today=today, lang=lang)
    except PlanCycleError as exc:
        missing = isinstance(exc, NotFound | UnknownMunicipalityError)
        status = 404 if missing or exc.key == "plans_no_register" else 400
        return PlainTextResponse(exc.in_language(lang) + "\n", status_code=status,
                                 headers=_HEADERS)
    return HTMLResponse(body, headers=_HEADERS)


def _day(text: str) -> dt.date:
    try:
        if len(text) == 10:
            return dt.date.fromisoformat(text)
    except ValueError:
        pass
    raise InputError(key="plan_bad_date", value=text[:40])
