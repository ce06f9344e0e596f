"""Running the feed application with the standard library: a threading WSGI server.

Every connection has a socket timeout (:data:`IDLE_TIMEOUT` by default): a client that sends
nothing, sends its request line and then nothing more (an HTTP/0.9 ``GET /``, which the
standard library's handler answers only after a header block that never comes), or stops
reading the answer, loses its thread after that long instead of holding it for ever.
"""

from __future__ import annotations

import socketserver
import sys
import threading
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from plancycle.errors import InputError
from plancycle.feed.app import FeedApp

#: Seconds a connection may be idle (waiting for the request, or for the client to read).
IDLE_TIMEOUT = 30.0


class ThreadingWSGIServer(socketserver.ThreadingMixIn, WSGIServer):
    """wsgiref's server, one thread per request; threads do not keep the process alive."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128


class _Handler(WSGIRequestHandler):
    """Access log lines without a timestamp (the application reads no clock); off when quiet.
    Nagle's algorithm is off: wsgiref writes the status line, the headers and the body
    separately, and small writes must not wait for the client's delayed ACK. ``timeout`` is
    the socket timeout :class:`socketserver.StreamRequestHandler` sets on the connection."""

    quiet = False
    disable_nagle_algorithm = True
    timeout = IDLE_TIMEOUT

    def log_message(self, format: str, *args: Any) -> None:
        if not self.quiet:
            sys.stderr.write(f"{self.address_string()} {format % args}\n")

    def handle(self) -> None:
        try:
            super().handle()
        except TimeoutError:  # an idle client: drop the connection and free the thread
            self.close_connection = True
            self.log_message("connection idle for %s s: closed", self.timeout)


def _handler(quiet: bool, timeout: float) -> type[_Handler]:
    if not timeout > 0:  # also refuses NaN
        raise InputError(key="feed_timeout", timeout=timeout)
    return type("_FeedHandler", (_Handler,), {"quiet": quiet, "timeout": float(timeout)})


def feed_server(app: FeedApp, host: str = "127.0.0.1", port: int = 8080, *,
                quiet: bool = False, timeout: float = IDLE_TIMEOUT) -> ThreadingWSGIServer:
    """A bound, not yet serving, threading server for ``app`` (``port=0``: any free port);
    ``timeout``: seconds a connection may be idle before it is closed."""
    server = make_server(host, port, app, server_class=ThreadingWSGIServer,
                         handler_class=_handler(quiet, timeout))
    assert isinstance(server, ThreadingWSGIServer)
    return server


def serve_in_thread(app: FeedApp, host: str = "127.0.0.1", port: int = 0, *,
                    quiet: bool = True, timeout: float = IDLE_TIMEOUT,
                    ) -> tuple[ThreadingWSGIServer, threading.Thread]:
    """Start a server in a daemon thread (tests, benchmarks, embedding); stop it with
    ``server.shutdown(); server.server_close()``. The bound port is ``server.server_port``."""
    server = feed_server(app, host, port, quiet=quiet, timeout=timeout)
    thread = threading.Thread(target=server.serve_forever, name="plancycle-feed", daemon=True)
    thread.start()
    return server, thread
