"""uvicorn's httptools protocol with the bounds the service needs: a request head of bounded
size that must arrive within a bounded time.

httptools (llhttp, in C) parses about 2.5 times as many requests per second as h11 here (a
93 KB answer, two workers: 21,300 against 8,200 requests/s, ``wrk -t2 -c64``), but uvicorn sets
it no limit on the size of a request head and no deadline for it: a client that sends headers
without end, or connects and sends nothing (or a line of HTTP/0.9), would hold its connection
and memory for ever. :class:`BoundedHttpToolsProtocol` adds both:

- the bytes received while a request head is incomplete are counted; more than
  :data:`~plancycle.service.settings.MAX_HEADER_BYTES` plus the body limit (a head and a whole
  allowed body may arrive in one read) is answered ``431`` and the connection closed;
- a connection must complete each request head within
  :data:`~plancycle.service.settings.HEAD_TIMEOUT` seconds of connecting or of the previous
  answer; otherwise it is closed (idle keep-alive connections close after uvicorn's
  ``timeout_keep_alive``, which is shorter).
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from plancycle.service.config import MAX_BODY_BYTES
from plancycle.service.settings import HEAD_TIMEOUT, MAX_HEADER_BYTES

_TOO_LARGE = (b"HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-type: text/plain; "
              b"charset=utf-8\r\ncontent-length: 32\r\nconnection: close\r\n\r\n"
              b"request header fields too large\n")


class BoundedHttpToolsProtocol(HttpToolsProtocol):
    """:class:`HttpToolsProtocol` with a bounded request head (see the module doc)."""

    #: The most bytes read while a request head is incomplete.
    head_limit = MAX_HEADER_BYTES + MAX_BODY_BYTES
    #: Seconds to send a whole request head, from connecting or from the previous answer.
    head_timeout: float = HEAD_TIMEOUT

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._head_bytes = 0
        self._in_head = True
        self._head_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._await_head()

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_head_timer()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._in_head:
            self._head_bytes += len(data)
            if self._head_bytes > self.head_limit:
                self._stop_head_timer()
                if not self.transport.is_closing():
                    self.transport.write(_TOO_LARGE)
                    self.transport.close()
                return
        super().data_received(data)

    def on_headers_complete(self) -> None:
        self._in_head = False
        self._stop_head_timer()
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        super().on_message_complete()
        self._in_head = True  # what comes next is the head of the next request
        self._head_bytes = 0

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if self._in_head and not self.transport.is_closing():
            self._await_head()  # not while a pipelined request is already being answered

    def _await_head(self) -> None:
        self._stop_head_timer()
        self._head_timer = self.loop.call_later(self.head_timeout, self._head_timed_out)

    def _head_timed_out(self) -> None:
        self._head_timer = None
        if self._in_head and not self.transport.is_closing():
            self.transport.close()

    def _stop_head_timer(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None
