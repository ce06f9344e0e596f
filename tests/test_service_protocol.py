"""The HTTP protocol the service runs on (:mod:`plancycle.service.protocol`): httptools with a
bounded request head. A real uvicorn server on port 0 in a thread, a tiny ASGI app, raw
sockets as clients."""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
import uvicorn

from plancycle.service.protocol import BoundedHttpToolsProtocol
from plancycle.service.settings import MAX_HEADER_BYTES


class QuickHead(BoundedHttpToolsProtocol):
    """The same protocol with a head deadline short enough for a test."""

    head_timeout = 0.5


async def _hello(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] != "http":
        return
    body = f"{scope['method']} {scope['path']}\n".encode()
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"text/plain"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


@pytest.fixture
def port() -> Iterator[int]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    config = uvicorn.Config(_hello, http=QuickHead, lifespan="off", log_level="error",
                            timeout_keep_alive=5)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=lambda: asyncio.run(server.serve(sockets=[sock])),
                              daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    assert server.started
    try:
        yield sock.getsockname()[1]
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


def _read_all(connection: socket.socket, seconds: float = 5) -> bytes:
    connection.settimeout(seconds)
    chunks = []
    while True:
        try:
            chunk = connection.recv(65536)
        except TimeoutError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    return b"".join(chunks)


def test_a_normal_request_and_pipelined_requests_are_answered(port: int) -> None:
    with socket.create_connection(("127.0.0.1", port), timeout=5) as connection:
        connection.sendall(b"GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n"
                           b"Connection: close\r\n\r\n")
        answer = _read_all(connection)
    assert answer.count(b"HTTP/1.1 200 OK") == 2
    assert b"GET /a\n" in answer and b"GET /b\n" in answer


def test_a_head_over_the_limit_is_answered_431_and_closed(port: int) -> None:
    limit = BoundedHttpToolsProtocol.head_limit
    with socket.create_connection(("127.0.0.1", port), timeout=5) as connection:
        head = b"GET / HTTP/1.1\r\nHost: x\r\n" + b"X-Filler: " + b"a" * limit  # no end
        connection.sendall(head)
        answer = _read_all(connection)
    assert limit > MAX_HEADER_BYTES
    assert answer.startswith(b"HTTP/1.1 431 ")


def test_a_connection_that_sends_nothing_is_closed_after_the_head_deadline(port: int) -> None:
    with socket.create_connection(("127.0.0.1", port), timeout=5) as connection:
        started = time.monotonic()
        assert _read_all(connection, seconds=5) == b""  # closed, not answered
        assert time.monotonic() - started < 4.5  # closed by the server, not by our timeout


def test_a_head_sent_too_slowly_is_closed(port: int) -> None:
    with socket.create_connection(("127.0.0.1", port), timeout=5) as connection:
        connection.sendall(b"GET / HTTP/1.1\r\n")
        time.sleep(0.3)
        connection.sendall(b"Host: x\r\n")  # still no end of the head
        assert _read_all(connection, seconds=5) == b""


def test_an_http_0_9_line_does_not_hold_the_connection(port: int) -> None:
    with socket.create_connection(("127.0.0.1", port), timeout=5) as connection:
        connection.sendall(b"GET /\r\n")
        answer = _read_all(connection, seconds=5)
    assert answer == b"" or answer.startswith(b"HTTP/1.1 400")
