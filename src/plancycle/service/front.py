"""The service's outer ASGI layer: the feed routes on a lean path, body limits for the rest.

Feed routes (``/``, ``/index.html``, ``/healthz``, ``/feeds/…``) go straight to the feed
application (:class:`plancycle.feed.app.FeedApp`, the same code the WSGI feed server runs, so
the same bytes, headers, 304s and one-line errors), called in a worker thread with a WSGI
environ made from the ASGI scope: no routing, validation or middleware of FastAPI per request.
Every other request reaches FastAPI with its body read first and bounded: a ``Content-Length``
over the limit is refused before anything is read, a chunked body once it passes the limit
(HTTP 413, one JSON line). Nothing of the request is used as a path.
"""

from __future__ import annotations

import asyncio
import io
import json
import sys
from collections.abc import Awaitable, Callable, Hashable, MutableMapping
from dataclasses import dataclass
from typing import Any

from anyio import to_thread

from plancycle.feed.app import FeedApp
from plancycle.feed.cache import LRUCache
from plancycle.feed.query import message_language
from plancycle.i18n import label

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

FEED_PATHS = frozenset({"/", "/index.html", "/healthz"})
FEED_PREFIX = "/feeds/"


def is_feed_path(path: str) -> bool:
    return path in FEED_PATHS or path.startswith(FEED_PREFIX)


#: The request headers a feed response depends on (besides method, path and query).
VARY = (b"host", b"if-none-match", b"if-modified-since")


@dataclass(frozen=True)
class Answer:
    """A feed route's whole response, and the stamp of the data it was made from."""

    stamp: Hashable
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes


class FrontMiddleware:
    """Feeds on the lean path, then the body limit, then ``app`` (FastAPI's router).

    A feed route's answer (200 or 304) is kept in the event loop with the ``stamp`` of the data
    it was made from (:meth:`plancycle.service.service.Service.feed_stamp`: the database's change
    stamp, the day overdue is flagged as of, the meeting plans' files). The same request (method,
    scheme, root path, path, query and the headers of :data:`VARY`) is answered from it, without
    a worker thread, as long as the stamp is unchanged; any commit, by any process, changes the stamp,
    so the next request builds the answer again. ``cache_size`` answers at most (0: none)."""

    def __init__(self, app: ASGIApp, feeds: FeedApp, max_body_bytes: int,
                 stamp: Callable[[], Hashable] | None = None, cache_size: int = 0) -> None:
        self.app = app
        self.feeds = feeds
        self.max_body_bytes = max_body_bytes
        self.stamp = stamp
        self.answers: LRUCache[Answer] | None = (
            LRUCache(cache_size) if stamp is not None and cache_size > 0 else None)
        self._building: dict[Hashable, asyncio.Future[Answer]] = {}  # in the event loop only

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if is_feed_path(scope["path"]):
            await self.feed(scope, send)
            return
        query = scope.get("query_string", b"").decode("latin-1")
        length = _content_length(scope)
        if length is not None and length > self.max_body_bytes:
            await too_large(send, query, self.max_body_bytes)
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body_bytes:
                await too_large(send, query, self.max_body_bytes)
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        await self.app(scope, _replay(b"".join(chunks), receive), send)

    async def feed(self, scope: Scope, send: Send) -> None:
        """Answer a feed route (:func:`is_feed_path`): from the kept answers while the stamp is
        unchanged, else built by the feed application in a worker thread — once for all the
        identical requests that arrive while it is being built (a fact posted while hundreds of
        subscribers poll the same feed builds it once per process, not once per poll)."""
        if self.answers is None or self.stamp is None:
            await _send_answer(send, await self._build(scope))
            return
        headers = dict(scope.get("headers", ()))
        key = (scope["method"], scope.get("scheme", "http"), scope.get("root_path", ""),
               scope["path"], scope.get("query_string", b""),
               *(headers.get(name) for name in VARY))
        stamp = self.stamp()  # before building: a commit after it is a new stamp
        answer = self.answers.get(key)
        if answer is not None and answer.stamp == stamp:
            await _send_answer(send, answer)
            return
        flight = (key, stamp)
        pending = self._building.get(flight)
        if pending is not None:
            await _send_answer(send, await asyncio.shield(pending))
            return
        future: asyncio.Future[Answer] = asyncio.get_running_loop().create_future()
        self._building[flight] = future
        try:
            answer = await self._build(scope, stamp)
        except BaseException as exc:
            future.set_exception(exc)
            future.exception()  # retrieved: no "never retrieved" warning without waiters
            raise
        finally:
            del self._building[flight]
        future.set_result(answer)
        if answer.status in (200, 304):
            self.answers.put(key, answer)
        await _send_answer(send, answer)

    async def _build(self, scope: Scope, stamp: Hashable = None) -> Answer:
        environ = wsgi_environ(scope)
        seen: dict[str, Any] = {}

        def start_response(status: str, headers: list[tuple[str, str]],
                           exc_info: Any = None) -> Callable[[bytes], None]:
            seen["status"], seen["headers"] = int(status.split()[0]), headers
            return _no_write

        def call() -> bytes:
            return b"".join(self.feeds(environ, start_response))

        body = await to_thread.run_sync(call)
        headers = [(name.lower().encode("latin-1"), value.encode("latin-1"))
                   for name, value in seen["headers"]]
        return Answer(stamp, seen["status"], headers, body)


async def _send_answer(send: Send, answer: Answer) -> None:
    await send({"type": "http.response.start", "status": answer.status,
                "headers": answer.headers})
    await send({"type": "http.response.body", "body": answer.body})


def _no_write(data: bytes) -> None:  # PEP 3333's write(): the feed app never calls it
    del data


def wsgi_environ(scope: Scope) -> dict[str, Any]:
    """The WSGI environ of an ASGI request scope (PEP 3333: the path as latin-1 text)."""
    server = scope.get("server") or ("localhost", 80)
    environ: dict[str, Any] = {
        "REQUEST_METHOD": scope["method"],
        "SCRIPT_NAME": scope.get("root_path", "").encode("utf-8").decode("latin-1"),
        "PATH_INFO": scope["path"].encode("utf-8").decode("latin-1"),
        "QUERY_STRING": scope.get("query_string", b"").decode("latin-1"),
        "SERVER_NAME": str(server[0]),
        "SERVER_PORT": str(server[1]) if server[1] is not None else "80",
        "SERVER_PROTOCOL": f"HTTP/{scope.get('http_version', '1.1')}",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": scope.get("scheme", "http"),
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    for raw_name, raw_value in scope.get("headers", ()):
        name = raw_name.decode("latin-1").upper().replace("-", "_")
        if name in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            continue
        key = "HTTP_" + name
        value = raw_value.decode("latin-1")
        environ[key] = f"{environ[key]},{value}" if key in environ else value
    return environ


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            text = value.decode("latin-1").strip()
            return int(text) if text.isascii() and text.isdigit() else None
    return None


def _replay(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` that gives the body read already, then waits for the client as before."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


async def too_large(send: Send, query: str, limit: int) -> None:
    """HTTP 413 with one JSON line; the connection is closed (the body was not read)."""
    text = label("error_service_body_large", message_language(query), limit=limit)
    await send_json(send, 413, {"error": text}, close=True)


async def send_json(send: Send, status: int, data: dict[str, str], *, close: bool = False) -> None:
    body = json.dumps(data, ensure_ascii=False).encode() + b"\n"
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
               (b"cache-control", b"no-store"), (b"x-content-type-options", b"nosniff")]
    if close:
        headers.append((b"connection", b"close"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
