"""The shared HTTP client against hostile servers on 127.0.0.1: a server that trickles bytes, one
that never stops sending, and one that keeps saying "retry after 0 seconds"."""

from __future__ import annotations

import asyncio
import random
import socket
import threading
from collections.abc import Callable, Iterator

import pytest

from translator.backends._http import HttpService, RetryPolicy
from translator.backends.stack import Retrying, Usage
from translator.errors import BackendError, RetriesExhausted, TransientError

TOTAL_STREAM = 64 * 1024 * 1024


class RawServer:
    """Answers every connection with ``handler(conn)`` after reading the request head."""

    def __init__(self, handler: Callable[[socket.socket, RawServer], None]) -> None:
        self.handler = handler
        self.stop = threading.Event()
        self.sent = 0
        self.requests = 0
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(0.1)
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.sock.getsockname()[1]}"

    def _serve(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    def _answer(self, conn: socket.socket) -> None:
        with conn:
            head = b""
            while b"\r\n\r\n" not in head:
                data = conn.recv(65536)
                if not data:
                    return
                head += data
            self.requests += 1
            try:
                self.handler(conn, self)
            except OSError:
                pass  # the client hung up, as it should

    def close(self) -> None:
        self.stop.set()
        self.thread.join()
        self.sock.close()


def trickle(conn: socket.socket, server: RawServer) -> None:
    """Valid headers, then one body byte every 50 ms: each read is well inside any timeout."""
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n")
    for _ in range(400):  # 20 s at most, then the handler ends by itself
        if server.stop.wait(0.05):
            return
        conn.sendall(b" ")
        server.sent += 1


def endless(conn: socket.socket, server: RawServer) -> None:
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n")
    chunk = b" " * 65536
    while server.sent < TOTAL_STREAM and not server.stop.is_set():
        conn.sendall(chunk)
        server.sent += len(chunk)


@pytest.fixture
def serve() -> Iterator[Callable[[Callable[[socket.socket, RawServer], None]], RawServer]]:
    servers: list[RawServer] = []

    def start(handler: Callable[[socket.socket, RawServer], None]) -> RawServer:
        servers.append(RawServer(handler))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


def send(service: HttpService) -> None:
    async def go() -> None:
        try:
            await service.request("POST", "/translate", json={"text": ["Hello."]})
        finally:
            await service.aclose()

    asyncio.run(go())


def test_a_server_that_trickles_bytes_is_cut_off_at_the_deadline(serve):
    server = serve(trickle)
    with pytest.raises(TransientError, match=r"^Trickle did not finish answering within 0.5 s$"):
        send(HttpService("Trickle", server.url, timeout=0.5))
    assert server.requests == 1
    assert server.sent < 50  # about ten bytes in half a second, not the 400 it would send


def test_an_endless_answer_is_not_read_past_the_limit(serve):
    server = serve(endless)
    service = HttpService("Endless", server.url, timeout=10, max_response_bytes=1_000_000)
    with pytest.raises(
        BackendError, match="Endless sent an answer larger than 1,000,000 bytes; refusing to read it"
    ) as caught:
        send(service)
    assert not isinstance(caught.value, TransientError)  # not retried: the same answer would come again
    assert server.sent < TOTAL_STREAM


class AlwaysBusy:
    """A backend whose service keeps answering 429 with ``Retry-After: 0``."""

    capabilities = None

    async def translate(self, request: object) -> list[str]:
        raise TransientError("Busy is rate limiting (HTTP 429)", retry_after=0.0)


def test_retry_after_zero_keeps_the_backoff():
    waits: list[float] = []

    async def recorded_sleep(delay: float) -> None:
        waits.append(delay)

    retrying = Retrying(AlwaysBusy(), RetryPolicy(max_retries=4, base_delay=0.5), Usage(), sleep=recorded_sleep, seed=1)  # type: ignore[arg-type]
    with pytest.raises(RetriesExhausted, match="gave up after 5 attempts"):
        asyncio.run(retrying.translate(object()))  # type: ignore[arg-type]
    assert len(waits) == 4
    for attempt, wait in enumerate(waits):
        assert 0.5 * 2**attempt / 2 <= wait <= 0.5 * 2**attempt


def test_a_huge_retry_after_is_capped():
    policy = RetryPolicy(base_delay=0.5, max_retry_after=60.0)
    assert policy.delay(0, 100_000.0, random.Random(1)) == 60.0
    assert policy.delay(0, 2.0, random.Random(1)) == 2.0  # a shorter one is honoured as it is


def test_a_long_wait_is_announced_and_a_short_one_is_not(capsys):
    policy = RetryPolicy()
    policy.announce(1.0, "DeepL is rate limiting (HTTP 429)")
    assert capsys.readouterr().err == ""
    policy.announce(42.4, "DeepL is rate limiting (HTTP 429)")
    assert capsys.readouterr().err == "warning: DeepL is rate limiting (HTTP 429); waiting 42 s before trying again\n"
