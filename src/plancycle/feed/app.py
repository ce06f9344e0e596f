"""The feed server as a WSGI application (PEP 3333): mount it anywhere, or run ``plancycle serve``.

Routes: ``/`` (and ``/index.html``) the index page, ``/feeds/<kommunenummer>.ics``,
``/feeds/fylke/<fylkesnummer>.ics`` and ``/healthz``. GET and HEAD only. Feeds answer with
``ETag`` (a hash of the body) and ``Last-Modified`` (the latest LAST-MODIFIED inside it, never
the clock); ``If-None-Match`` (or, without it, ``If-Modified-Since``) gives 304. Unknown paths,
municipalities and counties give 404, bad options 400, each with one plain line; no request can
make the server stop serving others. With ``terms_dir``, a followed term's calendar replaces
the plan feed of its owner and year (:mod:`plancycle.feed.terms`); a term file left out is
logged once, with its name, and the others serve. With a ``source``
(:class:`~plancycle.feed.render.FeedSource`), the followed terms and the register come from it
instead of files: the plan service (:mod:`plancycle.service`) serves these routes so.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
import traceback
from collections.abc import Callable, Iterable
from email.utils import format_datetime, parsedate_to_datetime
from typing import Any

from plancycle.errors import DataError, PlanCycleError, UnknownMunicipalityError
from plancycle.feed.cache import LRUCache
from plancycle.feed.config import FeedConfig
from plancycle.feed.index import CONTENT_SECURITY_POLICY, render_index
from plancycle.feed.query import FEED_OPTIONS, INDEX_OPTIONS, message_language, parse_options
from plancycle.feed.render import Document, FeedBuilder, FeedSource, make_document
from plancycle.i18n import Language, label
from plancycle.ical import dtstamp
from plancycle.municipalities import find_county, find_municipality

StartResponse = Callable[..., Any]
Environ = dict[str, Any]

_MUNICIPALITY = re.compile(r"/feeds/([0-9]{4})\.ics")
_COUNTY = re.compile(r"/feeds/fylke/([0-9]{2})\.ics")
_CACHE_CONTROL = "public, max-age=300"
_STATUS = {200: "200 OK", 304: "304 Not Modified", 400: "400 Bad Request", 404: "404 Not Found",
           405: "405 Method Not Allowed", 500: "500 Internal Server Error"}


class _Problem(Exception):
    """A request that cannot be answered with a document: status and one line of text."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


class FeedApp:
    """The WSGI callable. Thread-safe: one instance serves every thread of a server."""

    def __init__(self, config: FeedConfig | None = None, *,
                 source: FeedSource | None = None) -> None:
        self.config = config or FeedConfig()
        self.builder = FeedBuilder(self.config, source)
        self.cache: LRUCache[Document] = LRUCache(self.config.cache_size)

    def __call__(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD", "GET")
        lang = message_language(environ.get("QUERY_STRING", ""))
        try:
            if method not in ("GET", "HEAD"):
                raise _Problem(405, label("error_feed_method", lang, method=method[:20]))
            document = self._route(environ, lang)
        except _Problem as problem:
            return _plain(start_response, problem.status, str(problem), method)
        except UnknownMunicipalityError as exc:
            return _plain(start_response, 404, exc.in_language(lang), method)
        except DataError as exc:
            _log(environ, f"plancycle feed: server data error: {exc}")
            return _plain(start_response, 500, exc.in_language(lang), method)
        except PlanCycleError as exc:
            return _plain(start_response, 400, exc.in_language(lang), method)
        except Exception:  # a bug must not take the server down or leak a traceback
            _log(environ, traceback.format_exc())
            return _plain(start_response, 500, "internal error: the request was logged", method)
        if document is None:
            return _plain(start_response, 200, "ok", method)
        return _send(environ, start_response, document, method)

    # -- routing ----------------------------------------------------------------------------
    def _route(self, environ: Environ, lang: Language) -> Document | None:
        path = environ.get("PATH_INFO", "") or "/"
        query = environ.get("QUERY_STRING", "")
        if path == "/healthz":
            return None
        if path in ("/", "/index.html"):
            return self._index(environ, query)
        if match := _MUNICIPALITY.fullmatch(path):
            return self._feed(environ, find_municipality(match.group(1)), query)
        if match := _COUNTY.fullmatch(path):
            return self._feed(environ, find_county(match.group(1)), query)
        index = environ.get("SCRIPT_NAME", "") + "/"
        raise _Problem(404, label("error_feed_not_found", lang, path=path[:80], index=index))

    def _feed(self, environ: Environ, owner: Any, query: str) -> Document:
        options, _ = parse_options(query, FEED_OPTIONS, self.config.default_year)
        inputs = self.builder.inputs(owner, options)
        for problem in self.builder.take_problems():  # a term file left out: once, by name
            _log(environ, f"plancycle feed: warning: {problem.message('en')}")
        key = ("feed", *inputs.key)
        document = self.cache.get(key)
        if document is None:
            document = self.builder.feed(owner, options, inputs)
            for warning in document.warnings:  # what a lenient meeting-plan reader overlooked
                _log(environ, f"plancycle feed: warning: {warning}")
            self.cache.put(key, document)
        return document

    def _index(self, environ: Environ, query: str) -> Document:
        options, search = parse_options(query, INDEX_OPTIONS, self.config.default_year)
        base = self.config.base_url or _request_base(environ)
        key = ("index", options, search, base)
        document = self.cache.get(key)
        if document is None:
            body = render_index(options, search, base_url=base,
                                default_year=self.config.default_year, revised=dtstamp().date())
            document = make_document(body, "text/html; charset=utf-8", dtstamp())
            self.cache.put(key, document)
        return document


def make_app(config: FeedConfig | None = None) -> FeedApp:
    """A feed application for ``config`` (defaults: no meeting plans, no register)."""
    return FeedApp(config)


def _request_base(environ: Environ) -> str:
    scheme = environ.get("wsgi.url_scheme", "http")
    host = environ.get("HTTP_HOST") or (
        f"{environ.get('SERVER_NAME', 'localhost')}:{environ.get('SERVER_PORT', '80')}")
    return f"{scheme}://{host}{environ.get('SCRIPT_NAME', '')}"


def _log(environ: Environ, text: str) -> None:
    stream = environ.get("wsgi.errors") or sys.stderr
    stream.write(text if text.endswith("\n") else text + "\n")


def _plain(start_response: StartResponse, status: int, message: str, method: str) -> list[bytes]:
    body = (message.splitlines()[0] if message else "").encode("utf-8") + b"\n"
    headers = [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body))),
               ("Cache-Control", "no-store"), ("X-Content-Type-Options", "nosniff")]
    if status == 405:
        headers.append(("Allow", "GET, HEAD"))
    start_response(_STATUS[status], headers)
    return [] if method == "HEAD" else [body]


def _not_modified(environ: Environ, document: Document) -> bool:
    """RFC 9110 § 13.1: If-None-Match (weak comparison) wins over If-Modified-Since."""
    match = environ.get("HTTP_IF_NONE_MATCH")
    if match is not None:
        tags = [tag.strip() for tag in match.split(",")]
        return "*" in tags or any(tag.removeprefix("W/") == document.etag for tag in tags)
    since = environ.get("HTTP_IF_MODIFIED_SINCE")
    if since:
        try:
            moment = parsedate_to_datetime(since)
        except (TypeError, ValueError):
            return False
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=dt.UTC)
        return document.last_modified <= moment
    return False


def _send(environ: Environ, start_response: StartResponse, document: Document,
          method: str) -> list[bytes]:
    headers = [("ETag", document.etag),
               ("Last-Modified", format_datetime(document.last_modified, usegmt=True)),
               ("Cache-Control", _CACHE_CONTROL)]
    if _not_modified(environ, document):
        start_response(_STATUS[304], headers)
        return []
    headers += [("Content-Type", document.content_type),
                ("Content-Length", str(len(document.body))),
                ("X-Content-Type-Options", "nosniff")]
    if document.filename:
        headers.append(("Content-Disposition", f'inline; filename="{document.filename}"'))
    if document.content_type.startswith("text/html"):
        headers.append(("Content-Security-Policy", CONTENT_SECURITY_POLICY))
    start_response(_STATUS[200], headers)
    return [] if method == "HEAD" else [document.body]
