"""The per-segment quality checks in a second process, so they overlap the run's other work.

A run's CPU work (reading, protecting, HTTP and JSON, glossary checks, the checks) is Python on
one thread under the interpreter's lock, so on a machine with two cores one of them idles while
the literalness rules (``Assessor.rule_findings``) and round-trip scores (``Assessor.score``) take
a third to a half of that thread's time. ``CheckOffload`` runs those two in one worker process, a batch at a
time, awaited on the event loop (``loop.run_in_executor``) while requests go on; the stage
applies what comes back in the order it always did, so outputs, verdicts and reports are the
same with or without the worker.

Decisions, and why:

* Spawned, not forked: the run already has threads (the memory writer, the HTTP client, the
  embedded model's) and an event loop, which a fork would copy in whatever state they were.
* The worker gets the run's ``Assessor`` pickled once, as its first task: rules, the glossary,
  scorer and thresholds, never the run's ``Settings`` (which can hold keys); the glossary's
  matcher is rebuilt there from the glossary, and the optional semantic model is not sent
  (``QualityStage`` scores in-process when one is loaded).
* A segment crosses as the few fields the rules read, with the glossary matches protect left on
  it (matching the protected text again would not always find the same ones).
* Started only when it pays: more than one usable core, and once the run has checked
  ``START_AFTER`` segments in-process (a few short files never pay for a process start).
  ``TRANSLATOR_CHECK_WORKER=0`` keeps every check in-process, ``=1`` starts the worker with the
  first batch (the throughput benchmark measures both side by side).
* The worker starts from the ``translator`` package alone, never from the caller's main script: a
  spawned interpreter otherwise runs that script again (as ``__mp_main__``), and a library caller's
  script without an ``if __name__ == "__main__":`` guard would translate its files a second time
  in the worker, then fail the run. Nothing of ``__main__`` is ever sent to the worker.
* Ctrl-C: the worker is spawned with SIGINT ignored, so the main process alone handles it and
  shuts the worker down; the user sees no traceback from the worker.
* A worker that dies (killed, out of memory) breaks the pool: every pending and later call raises
  ``CheckWorkerDied``, one line, which stops the run (``runs.translate.fatal``); the document it
  was checking is not written.
* ``close`` (the run's end, also on errors and Ctrl-C) shuts it down, waiting for at most the
  batch it is working on.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import pickle
import signal
import sys
import threading
import types
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import replace
from typing import Any, TypeVar

from ..errors import ConfigError, TranslatorError
from ..glossary.matcher import Match
from ..glossary.source_terms import SourceTerms
from ..types import Finding, Segment, Translation
from . import offload_worker
from .assess import Assessor
from .scores import Statistics
from .terms import TermIndex

# Segments a run checks in-process before the worker starts: below it a process start (about a
# second of the other core importing the checks) is not worth it. Tests set it to 0 or a huge value.
START_AFTER = 300
IN_WORKER = 2  # batches sent to the worker at once (see ``CheckOffload._turn``)

Item = tuple[Segment, Translation]
# What ``Assessor.score`` adds to a translation and returns, and the signatures it records.
ScoreResult = tuple[list[Finding], dict[str, float], Statistics | None, dict[str, str]]
# The same, as held from a group's return to the document's end (see ``HeldScores``).
PackedStatistics = tuple[tuple[str, "array[int] | list[Any]"], ...]
HeldScore = tuple[Sequence[Finding], tuple[tuple[str, float], ...], PackedStatistics | None, dict[str, str]]
T = TypeVar("T")

DIED = (
    "the quality checks' worker process stopped unexpectedly (killed, or out of memory?); "
    "the run was stopped and the document being checked was not written"
)


class CheckWorkerDied(TranslatorError):
    pass


def setting() -> str:
    """``TRANSLATOR_CHECK_WORKER``: ``0`` never starts the worker, ``1`` starts it with the first
    batch (on more than one core); anything else, or unset, decides by the run's size."""
    value = os.environ.get("TRANSLATOR_CHECK_WORKER", "").strip()
    if value not in ("", "0", "1"):
        raise ConfigError(
            f"TRANSLATOR_CHECK_WORKER={value!r} is not valid: 0 (never), 1 (from the first batch), or unset"
        )
    return value


def cores_to_spare() -> bool:
    """True when this process may run on more than one core (the worker would share one otherwise)."""
    try:
        return len(os.sched_getaffinity(0)) > 1
    except AttributeError:  # not on every platform
        return (os.cpu_count() or 1) > 1


@contextmanager
def _main_script_hidden() -> Iterator[None]:
    """While the worker is launched (``submit`` starts the process), ``__main__`` is a bare module
    with neither a file nor a spec, so the spawned interpreter has no script to run again."""
    main = sys.modules.get("__main__")
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        if main is not None:
            sys.modules["__main__"] = main


class CheckOffload:
    """The run's check worker: off until ``wanted`` says it pays, then one process to the end."""

    def __init__(self, assessor: Assessor) -> None:
        setting()  # a mistyped switch stops the run before anything is read, not mid-way
        self.assessor = assessor
        self.checked = 0  # segments checked in-process before the worker started
        self.pool: ProcessPoolExecutor | None = None
        self.setup: Future[None] | None = None  # the worker's first task: unpickling the Assessor
        self.closed = False
        self._turns: tuple[asyncio.AbstractEventLoop, asyncio.Semaphore] | None = None
        shared = assessor.terms.matcher
        # Glossary matches cross as the index of their entry in the matcher that found them.
        self.shared_matcher = shared
        self.entry_index = {id(entry): index for index, entry in enumerate(shared.entries)} if shared else {}

    @property
    def running(self) -> bool:
        return self.pool is not None

    def wanted(self, segments: int) -> bool:
        """Whether the next ``segments`` go to the worker; starts it once the run has checked
        enough in-process."""
        if self.pool is not None:
            return True
        wish = setting()
        if self.closed or wish == "0" or not cores_to_spare():
            return False
        if wish != "1" and self.checked < START_AFTER:
            self.checked += segments
            return False
        self._start()
        return True

    def payload(self) -> bytes:
        """What the worker is sent once: the Assessor without its matcher and semantic model."""
        worker_assessor = replace(
            self.assessor,
            terms=TermIndex(self.assessor.terms.glossary, self.assessor.terms.lang),
            semantic=None,
        )
        return pickle.dumps(worker_assessor, protocol=pickle.HIGHEST_PROTOCOL)

    def _start(self) -> None:
        payload = self.payload()
        entries = len(self.shared_matcher.entries) if self.shared_matcher else None
        pool = ProcessPoolExecutor(
            1, mp_context=multiprocessing.get_context("spawn"), initializer=offload_worker.ignore_interrupts
        )
        # The process is launched inside ``submit``; SIGINT ignored across its exec makes the new
        # interpreter keep ignoring it (Python installs its KeyboardInterrupt handler only over
        # the default disposition), so no Ctrl-C can reach it before its initializer runs.
        in_main_thread = threading.current_thread() is threading.main_thread()
        previous = signal.signal(signal.SIGINT, signal.SIG_IGN) if in_main_thread else None
        try:
            with _main_script_hidden():
                self.setup = pool.submit(offload_worker.setup, payload, entries)
        finally:
            if in_main_thread:
                signal.signal(signal.SIGINT, previous)
        self.pool = pool

    def pack(self, segment: Segment) -> offload_worker.PackedSegment:
        scope = segment.meta.get("scope")
        runs: offload_worker.PackedMatches | None = None
        found = segment.glossary_terms
        if (
            self.shared_matcher is not None
            and isinstance(found, SourceTerms)
            and found.matcher is self.shared_matcher
            and found.text == segment.text
        ):
            index = self.entry_index
            per_token = found.matches_per_token
            tokens_and_matches: Iterable[tuple[tuple[str, str] | None, tuple[Match, ...]]] = (
                ((None, matches) for matches in per_token)  # the same tokens ``markup.tokens`` gives
                if per_token is not None
                else (((run.token.kind, run.token.value), run.matches) for run in found.runs)
            )
            runs = tuple(
                (token, tuple((m.start, m.end, index[id(m.entry)], m.surface, m.base) for m in matches))
                for token, matches in tokens_and_matches
            )
        return (segment.id, segment.kind, segment.text, segment.spans, scope, runs)

    async def rule_findings(self, items: Sequence[Item]) -> list[list[Finding]]:
        async with self._turn():
            batch = [(self.pack(segment), translation.text) for segment, translation in items]
            return await self._call(offload_worker.rule_findings, batch)

    async def scores(self, items: Sequence[Item]) -> list[ScoreResult]:
        """``Assessor.score`` of each item (each has a back-translation): the findings and scores
        it would add to the translation, the statistics it would return and the signatures it
        would record in ``Scorer.signatures``."""
        async with self._turn():
            batch = [
                (self.pack(segment), translation.text, translation.back_translation) for segment, translation in items
            ]
            return await self._call(offload_worker.scores, batch)

    def _turn(self) -> asyncio.Semaphore:
        """At most ``IN_WORKER`` batches packed and sent at once: the one being checked and the
        next. Batches can come back from the service faster than the worker checks them; packed
        and queued as they came, a large document's waiting batches held a copy of their
        segments and matches (about 0.4 KB a segment). Each batch is checked on its own, so the
        order they are sent in changes nothing."""
        loop = asyncio.get_running_loop()
        if self._turns is None or self._turns[0] is not loop:
            self._turns = (loop, asyncio.Semaphore(IN_WORKER))
        return self._turns[1]

    async def _call(self, function: Callable[[Any], T], batch: Any) -> T:
        if self.pool is None:
            raise RuntimeError("the check worker is not running")
        try:
            if self.setup is not None and self.setup.done():
                self.setup.result()  # a worker that could not set up says why, once
            return await asyncio.get_running_loop().run_in_executor(self.pool, function, batch)
        except BrokenProcessPool:
            raise CheckWorkerDied(DIED) from None

    def close(self) -> None:
        """Stop the worker (the run's end, an error or Ctrl-C): queued batches are dropped, the
        one it is on is finished, then it exits."""
        self.closed = True
        pool, self.pool = self.pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


class HeldScores:
    """The worker's scores of a document's back-translated groups, held from each group's return
    until the document's end applies them (in document order, after the judges, as ``finish``
    computes them in-process). Every segment of a large document waits there, so each is held
    compact: no empty findings list, the scores as pairs, the statistics as arrays of machine
    integers (read back as the same ints), one signatures dict shared by all that have the same;
    about 0.6 KB a segment less than the unpickled results."""

    def __init__(self) -> None:
        self._signatures: dict[tuple[tuple[str, str], ...], dict[str, str]] = {}

    def compact(self, results: Sequence[ScoreResult]) -> list[HeldScore]:
        return [self._compact(result) for result in results]

    def _compact(self, result: ScoreResult) -> HeldScore:
        findings, scores, statistics, signatures = result
        shared = self._signatures.setdefault(tuple(signatures.items()), signatures)
        return (findings or (), tuple(scores.items()), _packed(statistics), shared)


def _packed(statistics: Statistics | None) -> PackedStatistics | None:
    if statistics is None:
        return None
    return tuple((name, _packed_list(values)) for name, values in statistics.items())


def _packed_list(values: list[Any]) -> array[int] | list[Any]:
    if all(type(value) is int and -(2**31) <= value < 2**31 for value in values):
        return array("i", values)  # counts of n-grams and words: 4 bytes each, not 32
    if all(type(value) is int and -(2**63) <= value < 2**63 for value in values):
        return array("q", values)
    return values  # floats (TER's lengths) kept as they are


def unpacked(packed: PackedStatistics | None) -> Statistics | None:
    """The statistics ``_packed`` held, as the lists of the same numbers ``Assessor.score`` gave."""
    if packed is None:
        return None
    return {name: list(values) for name, values in packed}
