"""Fault plans shared by all loopback emulators.

Why a separate module: retry, back-off and timeout logic is the part of an HTTP
backend that real services exercise least predictably, so every emulator offers
the same small vocabulary of failures, either queued for the next N requests
or sprinkled over requests with a seeded (hence reproducible) generator.

Kinds (see :data:`FAULT_KINDS`):

``"429"``    rate limited; ``Retry-After: <retry_after>`` header (option
             ``retry_after``, default ``0``; ``None`` omits the header).
``"500"``, ``"503"``
             server errors in the service's own error format.
``"502"``    an HTML page, as a gateway in front of the service would send.
``"quota"``  the service's "quota exhausted" answer (emulator specific).
``"auth"``   403 in the service's error format, whatever the credentials.
``"slow"``   wait ``seconds`` (option, default ``1.0``) then answer normally.
``"drop"``   read the request, then close the TCP connection without a byte
             of response.
``"cut"``    answer normally, but close the connection after ``after`` bytes
             of the body (option, default half of it), as a line that breaks
             mid-download does; the headers still announce the whole length.
"""

from __future__ import annotations

import random as _random
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["FAULT_KINDS", "Fault", "FaultInjector"]

FAULT_KINDS = frozenset({"429", "500", "502", "503", "quota", "auth", "slow", "drop", "cut"})


@dataclass(frozen=True)
class Fault:
    """One fault to apply to one request; ``opts`` are the kind's options."""

    kind: str
    opts: Mapping[str, Any] = field(default_factory=dict)


@dataclass
class _Queued:
    fault: Fault
    remaining: int
    path: str | None


@dataclass
class _RandomPlan:
    ratio: float
    kinds: tuple[str, ...]
    rng: _random.Random
    path: str | None
    opts: Mapping[str, Any]


def _check_kind(kind: str | int) -> str:
    name = str(kind)
    if name not in FAULT_KINDS:
        raise ValueError(f"unknown fault kind {kind!r}; expected one of {sorted(FAULT_KINDS)}")
    return name


def _applies(path_filter: str | None, path: str) -> bool:
    return path_filter is None or path.startswith(path_filter)


class FaultInjector:
    """Decides, request by request, whether and how to misbehave.

    ``path`` arguments restrict a plan to request paths starting with that
    prefix (e.g. ``"/v2/translate"``), so a client's metadata calls can be left
    alone. Queued faults are used first, in the order they were queued.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._queue: list[_Queued] = []
        self._random: _RandomPlan | None = None

    def queue(self, kind: str | int, count: int = 1, *, path: str | None = None, **opts: Any) -> None:
        """Fail the next ``count`` matching requests with ``kind``."""
        if count < 1:
            raise ValueError("count must be >= 1")
        fault = Fault(_check_kind(kind), dict(opts))
        with self._lock:
            self._queue.append(_Queued(fault, count, path))

    def random(
        self,
        ratio: float,
        kinds: Iterable[str | int] = ("500",),
        *,
        seed: int = 0,
        path: str | None = None,
        **opts: Any,
    ) -> None:
        """Fail about ``ratio`` of matching requests with a kind drawn from ``kinds``.

        The draws come from ``random.Random(seed)``, so the same sequence of
        requests always meets the same faults. Replaces any earlier random plan.
        """
        if not 0.0 <= ratio <= 1.0:
            raise ValueError("ratio must be between 0 and 1")
        names = tuple(_check_kind(k) for k in kinds)
        if not names:
            raise ValueError("kinds must not be empty")
        with self._lock:
            self._random = _RandomPlan(ratio, names, _random.Random(seed), path, dict(opts))

    def clear(self) -> None:
        """Forget queued faults and the random plan."""
        with self._lock:
            self._queue.clear()
            self._random = None

    @property
    def pending(self) -> int:
        """Number of queued faults not yet used."""
        with self._lock:
            return sum(q.remaining for q in self._queue)

    def take(self, path: str) -> Fault | None:
        """Return the fault for the request now arriving at ``path``, if any."""
        with self._lock:
            for queued in self._queue:
                if _applies(queued.path, path):
                    queued.remaining -= 1
                    if queued.remaining == 0:
                        self._queue.remove(queued)
                    return queued.fault
            plan = self._random
            if plan is None or not _applies(plan.path, path):
                return None
            if plan.rng.random() >= plan.ratio:
                return None
            return Fault(plan.rng.choice(plan.kinds), plan.opts)
