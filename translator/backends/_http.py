"""The HTTP client every web backend shares: one attempt per call, errors mapped; the retry policy.

Lower-level httpx errors are mapped into ``translator.errors`` with ``raise … from exc`` so the CLI
can say one clear line. A failure worth retrying is raised as ``TransientError``; the retrying
itself happens once for every backend, in ``stack.Retrying``, with the ``RetryPolicy`` defined
here. The transport is injectable (``transport=``) for tests that need it, but the project's own
tests talk to the real loopback emulators over sockets.
"""

from __future__ import annotations

import asyncio
import email.utils
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from ..errors import (
    AuthError,
    BackendError,
    QuotaExceeded,
    RequestRejected,
    TransientError,
)
from ..notices import warn

MAX_RETRY_AFTER = 60.0  # a longer Retry-After is cut to this: minutes of silence help no one
ANNOUNCE_WAITS_FROM = 5.0  # a wait at least this long is said on stderr, so a run never seems hung
MAX_RESPONSE_BYTES = 32 * 1024 * 1024  # translations of a 128 KiB request are a few hundred KiB


@dataclass(frozen=True)
class RetryPolicy:
    max_retries: int = 6
    base_delay: float = 0.5
    max_delay: float = 30.0
    max_retry_after: float = MAX_RETRY_AFTER

    def delay(self, attempt: int, retry_after: float | None, rng: random.Random) -> float:
        """Exponential backoff with full jitter; a server's Retry-After wins when it is longer,
        up to ``max_retry_after``. ``Retry-After: 0`` never turns the backoff off: seven tries
        in one second would only use up the retries."""
        backoff = min(self.max_delay, self.base_delay * (2**attempt))
        jittered = rng.uniform(backoff / 2, backoff)  # spread clients that failed together
        if retry_after is None:
            return jittered
        return max(jittered, min(retry_after, self.max_retry_after))

    def announce(self, delay: float, reason: str) -> None:
        """Say a long wait on stderr (one line), so a run that waits is not taken for a hung one."""
        if delay >= ANNOUNCE_WAITS_FROM:
            warn(f"{reason}; waiting {delay:.0f} s before trying again")


def parse_retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        parsed = email.utils.parsedate_to_datetime(value) if value else None
        if parsed is None:
            return None
        return max(0.0, parsed.timestamp() - time.time())


StatusMapper = Callable[[httpx.Response], BackendError | None]


def default_error_for(response: httpx.Response, service: str) -> BackendError:
    """The usual meaning of an HTTP error status; backends map their own codes first."""
    status = response.status_code
    detail = _error_detail(response)
    if status == 429:
        return TransientError(
            f"{service} is rate limiting (HTTP 429){detail}",
            retry_after=parse_retry_after(response.headers.get("retry-after")),
        )
    if status >= 500:
        return TransientError(
            f"{service} server error (HTTP {status}){detail}",
            retry_after=parse_retry_after(response.headers.get("retry-after")),
        )
    if status in (401, 403):
        return AuthError(f"{service} refused the credentials (HTTP {status}){detail}; check the key")
    if status == 413:
        return RequestRejected(f"{service} says the request is too large (HTTP 413)")
    return RequestRejected(f"{service} rejected the request (HTTP {status}){detail}")


def _error_detail(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        text = response.text.strip()
        return f": {text[:200]}" if text and "<" not in text[:1] else ""
    if isinstance(body, dict):
        for key in ("message", "error", "detail"):
            if isinstance(body.get(key), str):
                return f": {body[key][:200]}"
            if isinstance(body.get(key), dict) and isinstance(body[key].get("message"), str):
                return f": {body[key]['message'][:200]}"
    return ""


class HttpService:
    """An async client for one service, with retries and error mapping built in."""

    def __init__(
        self,
        service: str,
        base_url: str,
        *,
        headers: Mapping[str, str] | None = None,
        timeout: float = 30.0,
        status_mapper: StatusMapper | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        max_response_bytes: int = MAX_RESPONSE_BYTES,
    ) -> None:
        self.service = service
        self.deadline = timeout
        self.max_response_bytes = max_response_bytes
        self.base_url = base_url.rstrip("/")
        self._status_mapper = status_mapper
        self.requests_sent = 0
        self._client = httpx.AsyncClient(
            base_url=self.base_url,
            headers=dict(headers or {}),
            timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
            transport=transport,
            follow_redirects=False,
        )

    async def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """Send once; return a 2xx response or raise a ``BackendError`` (``TransientError`` for
        what the stack should retry)."""
        return await self._send_once(method, path, **kwargs)

    async def _send_once(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """One request whose whole exchange, body included, ends within ``deadline`` and whose
        answer is read only up to ``max_response_bytes``: a server that sends one byte a second
        (each inside the read timeout) or an endless body cannot hold or swamp the run."""
        self.requests_sent += 1
        try:
            async with asyncio.timeout(self.deadline):
                response = await self._client.send(self._client.build_request(method, path, **kwargs), stream=True)
                try:
                    response = await self._read_capped(response)
                finally:
                    await response.aclose()
        except TimeoutError as exc:
            raise TransientError(f"{self.service} did not finish answering within {self.deadline:g} s") from exc
        except httpx.TimeoutException as exc:
            raise TransientError(f"{self.service} did not answer in time ({type(exc).__name__})") from exc
        except httpx.ConnectError as exc:
            raise TransientError(f"cannot reach {self.service} at {self.base_url}") from exc
        except httpx.TransportError as exc:
            raise TransientError(f"connection to {self.service} broke ({type(exc).__name__})") from exc
        if response.is_success:
            return response
        mapped = self._status_mapper(response) if self._status_mapper else None
        raise mapped or default_error_for(response, self.service)

    async def _read_capped(self, response: httpx.Response) -> httpx.Response:
        """The response with its body read, refused past ``max_response_bytes`` (decoded size,
        so a compressed bomb is cut too)."""
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_response_bytes:
            raise BackendError(self._too_large())
        chunks: list[bytes] = []
        received = 0
        async for chunk in response.aiter_bytes():
            received += len(chunk)
            if received > self.max_response_bytes:
                raise BackendError(self._too_large())
            chunks.append(chunk)
        headers = [
            (k, v) for k, v in response.headers.multi_items() if k.lower() not in ("content-encoding", "content-length")
        ]
        return httpx.Response(response.status_code, headers=headers, content=b"".join(chunks), request=response.request)

    def _too_large(self) -> str:
        return f"{self.service} sent an answer larger than {self.max_response_bytes:,} bytes; refusing to read it"

    async def request_json(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        """``request``, then the body as a JSON object (anything else is a ``BackendError``)."""
        response = await self.request(method, path, **kwargs)
        try:
            data = response.json()
        except ValueError as exc:
            raise BackendError(f"{self.service} answered with something that is not JSON") from exc
        if not isinstance(data, dict):
            raise BackendError(f"{self.service} answered with unexpected JSON")
        return data

    async def aclose(self) -> None:
        await self._client.aclose()


__all__ = [
    "HttpService",
    "RetryPolicy",
    "QuotaExceeded",
    "default_error_for",
    "parse_retry_after",
]
