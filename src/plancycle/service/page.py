"""The planner's web page: ``/terms/{owner}/{election_year}``, a followed term at a glance, and with
a write token the form that records a fact (issue 9, item 4).

``GET`` shows the page (``?lang=nb|nn|en``, ``?today=YYYY-MM-DD``, else the service's day). The
token is entered once (``POST …/token``) and kept in a cookie (``HttpOnly``, ``SameSite=Strict``,
``Secure`` over https, ``Path=/``), never in a URL; ``POST …/record`` records a fact through
:meth:`Service.record` with the cookie's token and answers 303 back to the page with the outcome,
or the page with the error and its status (401, 403, 409, 422); ``POST …/logout`` forgets the
token. Posts are checked by :func:`~plancycle.service.page_forms.check_same_host` (CSRF) and read
bounded (:func:`~plancycle.service.page_forms.read_form`). Bad owners give 404, bad years, days
and languages 400, each a small page with the one-line message in the asked language.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Protocol

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from plancycle.calendar_no import check_election_year
from plancycle.errors import (
    DataError,
    FactConflictError,
    InputError,
    PlanCycleError,
    RuleViolation,
    UnknownMunicipalityError,
)
from plancycle.i18n import LANGUAGES, Language, check_language, label
from plancycle.service.models import FactIn
from plancycle.service.page_forms import FormRefused, check_same_host, form_date, parse_day, read_form
from plancycle.service.page_render import (
    CONTENT_SECURITY_POLICY,
    PagePaths,
    PageView,
    long_date,
    page_query,
    render_error,
    render_page,
)
from plancycle.service.service import AuthRequired, Forbidden
from plancycle.store import RecordOutcome, TokenInfo, owner_segment, parse_owner
from plancycle.term import TermStatus

#: The cookie that holds the write token.
TOKEN_COOKIE = "plancycle_token"
#: How long the browser keeps it: a term's working season (90 days), then enter it again.
TOKEN_MAX_AGE = 90 * 24 * 3600
_OUTCOMES = ("recorded", "already", "token", "logout")
_HEADERS = {"Content-Security-Policy": CONTENT_SECURITY_POLICY, "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "same-origin", "X-Frame-Options": "DENY",
            "Cache-Control": "no-store"}


class PageService(Protocol):
    """What the page needs of :class:`plancycle.service.Service`."""

    @property
    def config(self) -> _PageConfig: ...

    def today(self) -> dt.date: ...

    def authenticate(self, token: str | None) -> TokenInfo | None: ...

    def status(self, owner: str, election_year: int, today: dt.date,
               lang: Language) -> TermStatus: ...

    def record(self, owner: str, election_year: int, fact: FactIn,
               token: TokenInfo | None) -> RecordOutcome: ...

    def feed_links(self, owner: str, election_year: int, base_url: str) -> dict[str, str]: ...


class _PageConfig(Protocol):
    @property
    def base_url(self) -> str | None: ...

    @property
    def max_body_bytes(self) -> int: ...


class _Refused(Exception):
    """A request answered with the small error page."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class _Target:
    """The page a request is about: owner segment, year, language, the asked day."""

    owner: str
    election_year: int
    lang: Language
    today: dt.date | None

    def location(self, request: Request, **extra: str) -> str:
        return _paths(request, self).page + page_query(self.lang, self.today, **extra)


router = APIRouter(include_in_schema=False)


async def _posted(request: Request, target: _Target, limit: int | None) -> dict[str, str]:
    """A form post from this host (Origin/Referer), its fields read within ``limit`` bytes
    (None: the fields are not read); a refusal as the page's error in the term's language."""
    try:
        check_same_host(request)
        return {} if limit is None else await read_form(request, limit)
    except FormRefused as refused:
        raise _Refused(refused.status, refused.error.in_language(target.lang)) from None


@router.get("/terms/{owner}/{election_year}", response_class=HTMLResponse)
def term_page(request: Request, owner: str, election_year: str) -> Response:
    """The term at a glance (and the forms)."""
    try:
        target = _target(request, owner, election_year)
        service = _service(request)
        status = _status(service, target)
        notice = _outcome(request, target, status)
        return _page(request, service, target, status, notice=notice)
    except _Refused as refused:
        return _error_page(request, refused)


@router.post("/terms/{owner}/{election_year}/token")
async def enter_token(request: Request, owner: str, election_year: str) -> Response:
    """Check the token and keep it in the cookie; 401/403 with the page when it cannot write."""
    try:
        target = _target(request, owner, election_year)
        service = _service(request)
        form = await _posted(request, target, service.config.max_body_bytes)
        token = form.get("token", "")
        info = await run_in_threadpool(service.authenticate, token or None)
        problem = _write_problem(info, target, had_token=bool(token))
        if problem is not None:
            return await run_in_threadpool(_page_now, request, service, target, problem, {})
        response = RedirectResponse(target.location(request, outcome="token"), status_code=303)
        response.set_cookie(TOKEN_COOKIE, token, max_age=TOKEN_MAX_AGE, path="/", httponly=True,
                            samesite="strict", secure=request.url.scheme == "https")
        return response
    except _Refused as refused:
        return _error_page(request, refused)


@router.post("/terms/{owner}/{election_year}/record")
async def record_fact(request: Request, owner: str, election_year: str) -> Response:
    """Record a fact with the cookie's token; 303 to the page, or the page with the error."""
    try:
        target = _target(request, owner, election_year)
        service = _service(request)
        form = await _posted(request, target, service.config.max_body_bytes)
        return await run_in_threadpool(_record, request, service, target, form)
    except _Refused as refused:
        return _error_page(request, refused)


@router.post("/terms/{owner}/{election_year}/logout")
async def forget_token(request: Request, owner: str, election_year: str) -> Response:
    """Forget the token (the cookie is cleared); 303 to the page."""
    try:
        target = _target(request, owner, election_year)
        await _posted(request, target, None)
        response = RedirectResponse(target.location(request, outcome="logout"), status_code=303)
        response.delete_cookie(TOKEN_COOKIE, path="/", httponly=True, samesite="strict",
                               secure=request.url.scheme == "https")
        return response
    except _Refused as refused:
        return _error_page(request, refused)


# -- the work behind the routes ------------------------------------------------------------------
def _record(request: Request, service: PageService, target: _Target,
            form: dict[str, str]) -> Response:
    token = request.cookies.get(TOKEN_COOKIE)
    info = service.authenticate(token) if token else None
    problem = _write_problem(info, target, had_token=bool(token))
    if problem is not None:
        return _page_now(request, service, target, problem, form)
    try:
        milestone = form.get("milestone", "")
        if not milestone:
            raise InputError(key="page_field_missing", field="milestone")
        day = form_date(form, "date", required=True)
        assert day is not None  # required
        fact = FactIn(milestone=milestone, date=day, end=form_date(form, "end", required=False),
                      replace=form.get("replace", "") in ("1", "on", "true"),
                      source=form.get("source") or None)
        outcome = service.record(target.owner, target.election_year, fact, info)
    except FactConflictError as exc:
        return _page_now(request, service, target, (409, exc.in_language(target.lang)), form)
    except (RuleViolation, InputError) as exc:
        return _page_now(request, service, target, (422, exc.in_language(target.lang)), form)
    except AuthRequired as exc:  # revoked between the check above and the write
        return _page_now(request, service, target, (401, exc.in_language(target.lang)), form)
    except Forbidden as exc:
        return _page_now(request, service, target, (403, exc.in_language(target.lang)), form)
    key = "recorded" if outcome.created else "already"
    return RedirectResponse(target.location(request, outcome=key, milestone=outcome.fact.milestone),
                            status_code=303)


def _write_problem(info: TokenInfo | None, target: _Target, *,
                   had_token: bool) -> tuple[int, str] | None:
    """Why the token cannot write for the target (401 or 403 and the line), or None."""
    lang = target.lang
    if info is None:
        key = "error_page_token_refused" if had_token else "error_page_no_token"
        return 401, label(key, lang)
    if not info.may_write(target.owner):
        return 403, label("error_page_token_owner", lang, owner=target.owner)
    return None


def _page_now(request: Request, service: PageService, target: _Target,
              problem: tuple[int, str], form: dict[str, str]) -> Response:
    """The page with an error line and the refused form's values (the status of ``problem``)."""
    code, message = problem
    return _page(request, service, target, _status(service, target), error=message, form=form,
                 code=code)


def _page(request: Request, service: PageService, target: _Target, status: TermStatus, *,
          notice: str | None = None, error: str | None = None,
          form: dict[str, str] | None = None, code: int = 200) -> Response:
    cookie = request.cookies.get(TOKEN_COOKIE)
    info = service.authenticate(cookie) if cookie else None
    writer = None
    unusable = False
    if info is not None and info.may_write(target.owner):
        writer = info.label or ""
    elif cookie:
        unusable = True
        if error is None:
            error = (label("error_page_token_refused", target.lang) if info is None
                     else label("error_page_token_owner", target.lang, owner=target.owner))
    base = service.config.base_url or str(request.base_url).rstrip("/")
    links = service.feed_links(target.owner, target.election_year, base)
    view = PageView(status=status, lang=target.lang, paths=_paths(request, target), links=links,
                    today=target.today, writer=writer, cookie_unusable=unusable, notice=notice,
                    error=error, form=form or {})
    return HTMLResponse(render_page(view), status_code=code, headers=_HEADERS)


def _status(service: PageService, target: _Target) -> TermStatus:
    """The term's status on the asked day (or the service's); refusals as pages."""
    try:
        return service.status(target.owner, target.election_year,
                              target.today or service.today(), target.lang)
    except UnknownMunicipalityError as exc:
        raise _Refused(404, exc.in_language(target.lang)) from None
    except DataError:
        raise
    except PlanCycleError as exc:
        raise _Refused(400, exc.in_language(target.lang)) from None


def _outcome(request: Request, target: _Target, status: TermStatus) -> str | None:
    """The line for ``?outcome=`` (after a redirect); unknown values show nothing."""
    outcome = request.query_params.get("outcome")
    if outcome not in _OUTCOMES:
        return None
    if outcome in ("token", "logout"):
        return label(f"page_outcome_{outcome}", target.lang)
    wanted = request.query_params.get("milestone", "")
    for m in status.milestones:
        if m.id == wanted:
            day = m.actual_start or m.start
            text = long_date(day, target.lang)
            if m.actual_end is not None and m.actual_end != day:
                text += "–" + long_date(m.actual_end, target.lang)
            return label(f"page_outcome_{outcome}", target.lang, title=m.title, date=text)
    return None


def _target(request: Request, owner: str, election_year: str) -> _Target:
    """The owner, year, language and day of a request, checked (404/400 otherwise)."""
    lang_text = request.query_params.get("lang", "nb")
    lang: Language = "nb"
    try:
        lang = check_language(lang_text)
        entity = parse_owner(owner)
        if not (election_year.isascii() and election_year.isdigit() and len(election_year) <= 4):
            raise InputError(key="page_bad_year", year=election_year[:12])
        year = int(election_year)
        check_election_year(year)
        today_text = request.query_params.get("today")
        today = parse_day(today_text, "today") if today_text else None
    except UnknownMunicipalityError as exc:
        raise _Refused(404, exc.in_language(lang)) from None
    except PlanCycleError as exc:
        raise _Refused(400, exc.in_language(lang)) from None
    request.state.page_lang = lang
    return _Target(owner_segment(entity), year, lang, today)


def _service(request: Request) -> PageService:
    service: PageService = request.app.state.service
    return service


def _paths(request: Request, target: _Target) -> PagePaths:
    root = request.scope.get("root_path", "").rstrip("/")
    return PagePaths(page=f"{root}/terms/{target.owner}/{target.election_year}",
                     api=f"{root}/api/v1/terms/{target.owner}/{target.election_year}",
                     index=f"{root}/")


def _error_page(request: Request, refused: _Refused) -> Response:
    lang = getattr(request.state, "page_lang", None)
    if lang not in LANGUAGES:
        text = request.query_params.get("lang", "nb")
        lang = text if text in LANGUAGES else "nb"
    root = request.scope.get("root_path", "").rstrip("/")
    body = render_error(str(refused).splitlines()[0], lang, f"{root}/")
    return HTMLResponse(body, status_code=refused.status, headers=_HEADERS)

