"""Running the feed application with the standard library: a threading WSGI server."""

from __future__ import annotations

import socketserver
import sys
import threading
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from plancycle.feed.app import FeedApp


class ThreadingWSGIServer(socketserver.ThreadingMixIn, WSGIServer):
    """wsgiref's server, one thread per request; threads do not keep the process alive."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128


class _Handler(WSGIRequestHandler):
    """Access log lines without a timestamp (the application reads no clock); off when quiet.
    Nagle's algorithm is off: wsgiref writes the status line, the headers and the body
    separately, and small writes must not wait for the client's delayed ACK."""

    quiet = False
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:
        if not self.quiet:
            sys.stderr.write(f"{self.address_string()} {format % args}\n")


class _QuietHandler(_Handler):
    quiet = True


def feed_server(app: FeedApp, host: str = "127.0.0.1", port: int = 8080, *,
                quiet: bool = False) -> ThreadingWSGIServer:
    """A bound, not yet serving, threading server for ``app`` (``port=0``: any free port)."""
    handler = _QuietHandler if quiet else _Handler
    server = make_server(host, port, app, server_class=ThreadingWSGIServer, handler_class=handler)
    assert isinstance(server, ThreadingWSGIServer)
    return server


def serve_in_thread(app: FeedApp, host: str = "127.0.0.1", port: int = 0, *,
                    quiet: bool = True) -> tuple[ThreadingWSGIServer, threading.Thread]:
    """Start a server in a daemon thread (tests, benchmarks, embedding); stop it with
    ``server.shutdown(); server.server_close()``. The bound port is ``server.server_port``."""
    server = feed_server(app, host, port, quiet=quiet)
    thread = threading.Thread(target=server.serve_forever, name="plancycle-feed", daemon=True)
    thread.start()
    return server, thread
