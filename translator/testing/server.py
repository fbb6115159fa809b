"""A real HTTP server on 127.0.0.1 that service emulators build on.

Why a real socket instead of mocking the HTTP client: the backends under test
must be exercised through their actual transport (headers, encodings, timeouts,
connection errors), and a loopback server is the only way to do that without
the internet. This module owns everything that is not service specific:

* the server lifecycle (port 0, daemon thread, context manager),
* request parsing (query, form and JSON bodies) and recording,
* fault injection (:mod:`translator.testing.faults`),
* a tiny router.

Subclasses implement :meth:`LoopbackServer.handle`, :meth:`error_response`
and :meth:`quota_response`. Calls to ``handle`` are serialized, so emulator
state needs no further locking. Every response carries ``Connection: close``
(unless :attr:`LoopbackServer.keep_alive` is set, as a benchmark does): one request per
connection keeps fault behaviour easy to reason about.
"""

from __future__ import annotations

import dataclasses
import json
import re
import socket
import socketserver
import threading
import traceback
import urllib.parse
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Self

from translator.testing.faults import Fault, FaultInjector

__all__ = [
    "ApiError",
    "LoopbackServer",
    "Request",
    "Response",
    "Route",
    "json_response",
    "text_response",
]

_MAX_BODY = 32 * 1024 * 1024  # refuse to buffer absurd bodies in a test process
_GATEWAY_PAGE = "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>"


@dataclass
class Request:
    """One HTTP request as the emulator saw it.

    Handlers receive it unredacted; :attr:`LoopbackServer.requests` holds
    redacted copies (credentials replaced by ``***``) with the outcome fields
    ``fault``, ``status`` and ``error`` filled in.
    """

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]  # lower-case names
    body: bytes
    form: dict[str, list[str]] | None = None  # parsed x-www-form-urlencoded body
    json: Any = None  # parsed JSON body; None when absent or invalid
    fault: str | None = None  # fault kind applied to this request
    status: int | None = None  # status sent back; None when the connection was dropped
    error: str | None = None  # traceback when the emulator itself crashed

    @property
    def content_type(self) -> str:
        """Media type of the body, lower-case, without parameters."""
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    def params(self, multi: Collection[str] = ()) -> dict[str, Any] | None:
        """The request's parameters, the way form-or-JSON APIs read them.

        A JSON body is returned as is (``None`` if it is not a JSON object).
        Otherwise query and form parameters are merged (form wins); names in
        ``multi`` map to the list of their values, others to the first value.
        """
        if self.content_type == "application/json":
            return self.json if isinstance(self.json, dict) else None
        merged = {**self.query, **(self.form or {})}
        return {name: values if name in multi else values[0] for name, values in merged.items()}


@dataclass
class Response:
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


def json_response(status: int, payload: Any, headers: Mapping[str, str] | None = None) -> Response:
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    return Response(status, body, {"Content-Type": "application/json", **(headers or {})})


def text_response(status: int, text: str, content_type: str = "text/plain; charset=utf-8") -> Response:
    return Response(status, text.encode("utf-8"), {"Content-Type": content_type})


class ApiError(Exception):
    """Raised by handlers to answer with :meth:`LoopbackServer.error_response`."""

    def __init__(self, status: int, message: str, **extra: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.extra = extra


Route = tuple[str, re.Pattern[str], Callable[..., Response]]
"""``(method, path regex, handler)``; named groups become handler keyword arguments."""


class LoopbackServer:
    """Base class: a threaded HTTP server bound to an ephemeral loopback port.

    Usage::

        with SomeEmulator() as emu:
            httpx.post(emu.url + "/path", ...)
            assert emu.requests[-1].status == 200
    """

    auth_error_message = "Authorization failed"
    """Message of 403 answers, both real ones and the ``"auth"`` fault."""

    latency = 0.0
    """Seconds every answer waits (outside any lock), like a real service's round trip; with it,
    :attr:`max_in_flight` shows how many requests a client really keeps open at once."""

    keep_alive = False
    """Keep each connection open for the client's next request, as real services do (a
    benchmark sets it: opening a connection per request costs both sides CPU a service never
    asks for). Off by default: one request per connection keeps faults easy to reason about;
    a fault that hangs up, or cuts an answer short, closes its connection either way."""

    def __init__(self) -> None:
        self.faults = FaultInjector()
        self.in_flight = 0
        self.max_in_flight = 0
        self._flight_lock = threading.Lock()
        self._records: list[Request] = []
        self._records_lock = threading.Lock()
        self._handle_lock = threading.Lock()
        self._stopping = threading.Event()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -----------------------------------------------------------

    def start(self) -> Self:
        if self._httpd is not None:
            return self
        self._stopping.clear()
        self._httpd = _Server(self)
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.01},  # bounds how long stop() waits
            name=f"{type(self).__name__}-loopback",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is None:
            return
        self._stopping.set()  # wakes up "slow" faults
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join()
        self._httpd = self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """Base URL without trailing slash, e.g. ``http://127.0.0.1:54321``."""
        if self._httpd is None:
            raise RuntimeError("emulator is not running; use it as a context manager or call start()")
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    # -- recording -----------------------------------------------------------

    @property
    def requests(self) -> list[Request]:
        """Snapshot of the recorded (redacted) requests, oldest first."""
        with self._records_lock:
            return list(self._records)

    def reset(self) -> None:
        """Forget recorded requests, fault plans and service state (see :meth:`reset_state`)."""
        with self._records_lock:
            self._records.clear()
        self.max_in_flight = 0
        self.faults.clear()
        with self._handle_lock:
            self.reset_state()

    # -- subclass API --------------------------------------------------------

    def handle(self, request: Request) -> Response:
        """Answer a request that no fault intercepted."""
        raise NotImplementedError

    def error_response(self, status: int, message: str, **extra: str) -> Response:
        """An error in the service's own wire format (``extra``: additional fields, if the format has any)."""
        raise NotImplementedError

    def quota_response(self) -> Response:
        """The service's answer when the account's quota is used up."""
        raise NotImplementedError

    def reset_state(self) -> None:
        """Return the emulated account to its initial state; called by :meth:`reset`."""

    def redact(self, request: Request) -> Request:
        """Copy of ``request`` safe to keep in :attr:`requests` (credentials masked)."""
        headers = dict(request.headers)
        if "authorization" in headers:
            scheme, _, credentials = headers["authorization"].partition(" ")
            headers["authorization"] = f"{scheme} ***" if credentials else "***"
        return dataclasses.replace(request, headers=headers)

    def dispatch(self, request: Request, routes: Sequence[Route]) -> Response:
        """Call the first route matching the request; 404/405 like most services."""
        path_matched = False
        for method, pattern, handler in routes:
            match = pattern.fullmatch(request.path)
            if match is None:
                continue
            path_matched = True
            if method == request.method:
                return handler(request, **match.groupdict())
        if path_matched:
            return self.error_response(405, "Method not allowed")
        return self.error_response(404, "Not found")

    # -- internals -----------------------------------------------------------

    def _fault_response(self, fault: Fault) -> Response:
        kind = fault.kind
        if kind == "429":
            response = self.error_response(429, "Too many requests")
            retry_after = fault.opts.get("retry_after", 0)
            if retry_after is not None:
                response.headers["Retry-After"] = _format_seconds(retry_after)
            return response
        if kind == "502":
            return text_response(502, _GATEWAY_PAGE, "text/html")
        if kind == "quota":
            return self.quota_response()
        if kind == "auth":
            return self.error_response(403, self.auth_error_message)
        return self.error_response(int(kind), "Internal error" if kind == "500" else "Service unavailable")

    def _serve(self, handler: _Handler) -> None:
        with self._flight_lock:
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)
        landed = False

        def land() -> None:
            # Counted out just before the answer leaves: once the client holds it, it may send its
            # next request, which must not find this one still counted in flight.
            nonlocal landed
            if not landed:
                landed = True
                with self._flight_lock:
                    self.in_flight -= 1

        try:
            if self.latency:
                self._stopping.wait(self.latency)
            self._serve_one(handler, land)
        finally:
            land()

    def _serve_one(self, handler: _Handler, land: Callable[[], None] = lambda: None) -> None:
        request = handler.parse_request_body()
        fault = self.faults.take(request.path)
        record = self.redact(request)
        record.fault = fault.kind if fault else None
        with self._records_lock:
            self._records.append(record)

        if fault is not None and fault.kind == "drop":
            land()
            handler.drop_connection()
            return
        if fault is not None and fault.kind == "slow":
            self._stopping.wait(float(fault.opts.get("seconds", 1.0)))
            fault = None
        cut_after: int | None = None
        if fault is not None and fault.kind == "cut":
            cut_after = fault.opts.get("after")
            fault = None
        if fault is not None:
            response = self._fault_response(fault)
        else:
            try:
                with self._handle_lock:
                    response = self.handle(request)
            except ApiError as exc:
                response = self.error_response(exc.status, exc.message, **exc.extra)
            except Exception:  # noqa: BLE001 - an emulator bug must not kill the server thread
                record.error = traceback.format_exc()
                response = text_response(500, "emulator internal error; see Request.error")
        record.status = response.status
        if cut_after is None and record.fault == "cut":
            cut_after = len(response.body) // 2
        land()
        handler.write_response(response, cut_after=cut_after)


def _format_seconds(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 64

    def __init__(self, emulator: LoopbackServer) -> None:
        self.emulator = emulator
        super().__init__(("127.0.0.1", 0), _Handler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind would call socket.getfqdn(), a reverse DNS lookup
        # that can stall for seconds in sandboxes; the name is never used here.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = str(self.server_address[0]), int(self.server_address[1])

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Stay quiet: clients hanging up mid-response are expected in fault tests."""


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def _any(self) -> None:
        self.close_connection = not self.server.emulator.keep_alive
        self.server.emulator._serve(self)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _any

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        """Silence the default stderr access log."""

    def parse_request_body(self) -> Request:
        url = urllib.parse.urlsplit(self.path)
        headers: dict[str, str] = {}
        for name, value in self.headers.items():
            key = name.lower()
            headers[key] = f"{headers[key]}, {value}" if key in headers else value
        request = Request(
            method=self.command,
            path=url.path,
            query=urllib.parse.parse_qs(url.query, keep_blank_values=True),
            headers=headers,
            body=self._read_body(headers),
        )
        if request.content_type == "application/x-www-form-urlencoded":
            request.form = urllib.parse.parse_qs(request.body.decode("utf-8", "replace"), keep_blank_values=True)
        elif request.content_type == "application/json" and request.body:
            try:
                request.json = json.loads(request.body)
            except ValueError:
                request.json = None
        return request

    def _read_body(self, headers: Mapping[str, str]) -> bytes:
        if "chunked" in headers.get("transfer-encoding", "").lower():
            return self._read_chunked()
        length = min(int(headers.get("content-length", "0") or 0), _MAX_BODY)
        return self.rfile.read(length) if length > 0 else b""

    def _read_chunked(self) -> bytes:
        parts: list[bytes] = []
        while True:
            size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
            if size == 0:
                while self.rfile.readline().strip():  # trailer section
                    pass
                return b"".join(parts)
            parts.append(self.rfile.read(size))
            self.rfile.readline()  # CRLF after each chunk

    def drop_connection(self) -> None:
        """Close the TCP connection without answering (clients see a protocol error)."""
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def write_response(self, response: Response, cut_after: int | None = None) -> None:
        """Send the response; with ``cut_after``, only that many body bytes, then hang up."""
        try:
            self.send_response(response.status)
            for name, value in response.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(response.body)))
            if cut_after is not None or not self.server.emulator.keep_alive:
                self.close_connection = True
            if self.close_connection:
                self.send_header("Connection", "close")
            self.end_headers()
            if self.command != "HEAD" and response.status not in (204, 304):
                self.wfile.write(response.body if cut_after is None else response.body[:cut_after])
            if cut_after is not None:
                self.wfile.flush()
                self.drop_connection()
        except OSError:
            pass  # the client gave up first (e.g. timed out on a "slow" fault)
