"""A backend as a run uses it: limiter → retry → memory → answer check → plugin.

Like an httpx client takes a transport, a run takes ready-made stacks: each layer wraps the one
below and has the same shape (``translate(request) -> list[str]``), so the pipeline, the
back-translation and ``--fix`` all see one interface, and every plugin gets the same behaviour
without writing it:

* ``Limited`` — one limit shared by every stack of a run (``RequestLimit``): never more requests in
  flight than ``--concurrency``, whichever document or stage sends them, follow-up work first;
* ``Retrying`` — ``TransientError`` (429, 5xx, timeouts, dropped connections) retried with
  exponential backoff and jitter, honouring Retry-After; a ``MalformedAnswer`` asked once more;
* ``Remembering`` — the translation memory: known texts are answered from it, the rest sent and
  stored; what it recalls is checked like an answer, so a bad entry is ignored and replaced;
* ``Budgeted`` — a run's ``--budget``: a request that would exceed it is not sent
  (``BudgetExceeded`` stops the run; what was answered is in the memory for the rerun);
* ``Checked`` — one non-empty string per text sent (``MalformedAnswer`` otherwise), and the
  usage counters (requests, texts, characters) that reach the service.

The top of a stack (``Stack``) also keeps the run's claims and answers: a text one document is
already having translated is awaited by every other document that needs it, and one translated
earlier in the run is answered again, never sent twice (also with ``--no-cache``, among the
run's last ``ANSWERED_LIMIT`` texts), so ten identical transcripts cost what one does.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import itertools
import random
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from .. import markup
from ..errors import BudgetExceeded, MalformedAnswer, RetriesExhausted, TransientError
from ..keys import without_credentials
from ..types import RunSignature
from ._http import RetryPolicy
from .base import Backend, Capabilities, TranslateRequest


class MemoryStore(Protocol):
    """A translation memory: the SQLite default (``translator.memory``) or a shared one
    (``translator.memory_postgres``, which may also ``claim`` and ``release`` texts)."""

    def lookup(self, scope: str, sources: Iterable[str]) -> dict[str, str]: ...

    def store(self, scope: str, pairs: Mapping[str, str]) -> None: ...

    def entries(self) -> Iterable[tuple[str, str, str]]: ...

    def close(self) -> None: ...


class Translator(Protocol):
    """What the pipeline talks to: a plugin, or a stack of layers around one."""

    @property
    def name(self) -> str: ...

    @property
    def capabilities(self) -> Capabilities: ...

    def signature(self) -> str: ...

    async def translate(self, request: TranslateRequest) -> list[str]: ...


@dataclass
class Usage:
    """What reached the service (after the memory), counted once for a whole run."""

    requests: int = 0
    texts: int = 0
    characters: int = 0
    context_characters: int = 0
    retries: int = 0


class Layer:
    """A layer passes everything it does not change through to the layer below."""

    def __init__(self, inner: Translator) -> None:
        self.inner = inner

    @property
    def name(self) -> str:
        return self.inner.name

    @property
    def capabilities(self) -> Capabilities:
        return self.inner.capabilities

    def signature(self) -> str:
        return self.inner.signature()

    async def translate(self, request: TranslateRequest) -> list[str]:
        return await self.inner.translate(request)


def usable(source: str, answer: object) -> bool:
    """An answer a document can use: a string, not empty when the source has words to translate."""
    return isinstance(answer, str) and (bool(answer.strip()) or not markup.has_translatable_text(source))


class Checked(Layer):
    def __init__(self, inner: Translator, usage: Usage) -> None:
        super().__init__(inner)
        self.usage = usage

    async def translate(self, request: TranslateRequest) -> list[str]:
        answers = await self.inner.translate(request)
        self.usage.requests += 1
        self.usage.texts += len(request.texts)
        self.usage.characters += sum(len(text) for text in request.texts)
        self.usage.context_characters += len(request.context or "")
        if not isinstance(answers, list) or len(answers) != len(request.texts):
            count = len(answers) if isinstance(answers, list) else type(answers).__name__
            raise MalformedAnswer(f"{self.name} answered {count} translations for {len(request.texts)} texts sent")
        for index, (source, answer) in enumerate(zip(request.texts, answers, strict=True)):
            if not usable(source, answer):
                what = "an empty translation" if isinstance(answer, str) else f"{type(answer).__name__}, not text,"
                raise MalformedAnswer(f"{self.name} answered {what} for text {index + 1} of {len(request.texts)}")
        return answers


class Remembering(Layer):
    """The translation memory, scoped by backend, its options, languages and glossary."""

    def __init__(self, inner: Translator, memory: MemoryStore, glossary_hash: str, *, store: bool = True) -> None:
        super().__init__(inner)
        self.memory = memory
        self.glossary_hash = glossary_hash
        self.store = store  # False for a dry run: look up, never write

    def scope(self, source_lang: str, target_lang: str) -> str:
        return RunSignature(
            backend=self.name,
            source_lang=source_lang,
            target_lang=target_lang,
            backend_options=without_credentials(self.signature()),
            glossary_hash=self.glossary_hash,
        ).cache_scope()

    def recall(self, texts: Sequence[str], source_lang: str, target_lang: str) -> dict[str, str]:
        """Texts the memory already holds a usable translation of: this backend's own entries,
        then translations imported from other tools for the language pair (``memory import``)."""
        found = self.memory.lookup(self.scope(source_lang, target_lang), texts)
        missing = [text for text in texts if text not in found]
        if missing:
            found.update(self.memory.lookup(f"imported|{source_lang}|{target_lang}", missing))
        return {text: answer for text, answer in found.items() if usable(text, answer)}

    async def translate(self, request: TranslateRequest) -> list[str]:
        known = self.recall(request.texts, request.source_lang, request.target_lang)
        pending = [text for text in dict.fromkeys(request.texts) if text not in known]
        while pending:
            mine = self._claim(pending, request)
            if mine:
                known.update(await self._send(mine, request))
            pending = [text for text in pending if text not in known]
            if pending:  # another process is translating them: its answers land in the memory
                await asyncio.sleep(self.POLL_SECONDS)
                known.update(self.recall(pending, request.source_lang, request.target_lang))
                pending = [text for text in pending if text not in known]
        return [known[text] for text in request.texts]

    POLL_SECONDS = 0.2

    def _claim(self, texts: list[str], request: TranslateRequest) -> list[str]:
        """Texts this process sends; a shared memory (PostgreSQL) lets several processes share
        the work, each text sent by whichever claims it first."""
        claim = getattr(self.memory, "claim", None)
        if claim is None or not self.store:
            return texts
        claimed = claim(self.scope(request.source_lang, request.target_lang), texts)
        return [text for text in texts if text in claimed]

    async def _send(self, texts: list[str], request: TranslateRequest) -> dict[str, str]:
        scope = self.scope(request.source_lang, request.target_lang)
        try:
            answers = await self.inner.translate(request.subset(texts))
        except BaseException:
            release = getattr(self.memory, "release", None)
            if release is not None and self.store:
                release(scope, texts)
            raise
        fresh = dict(zip(texts, answers, strict=True))
        if self.store:
            self.memory.store(scope, fresh)
        return fresh


class Spending:
    """A run's budget, shared by its stacks: amounts are reserved before a request is sent (so
    requests in flight together cannot overshoot it) and kept once the request is answered."""

    def __init__(self, limit: float, unit: str) -> None:
        self.limit = limit
        self.unit = unit  # "characters" or a currency
        self.spent = 0.0
        self.reserved = 0.0

    def reserve(self, amount: float) -> None:
        if self.spent + self.reserved + amount > self.limit:
            raise BudgetExceeded(
                f"the budget of {self.limit:,g} {self.unit} would be exceeded "
                f"({self.spent:,.6g} spent, the next request costs {amount:,.6g}); nothing more was sent. "
                "Run again with a larger --budget: what was translated is kept and not paid for twice"
            )
        self.reserved += amount

    def settle(self, amount: float, *, spent: bool) -> None:
        self.reserved -= amount
        if spent:
            self.spent += amount


class Budgeted(Layer):
    def __init__(self, inner: Translator, spending: Spending, cost: Callable[[TranslateRequest], float]) -> None:
        super().__init__(inner)
        self.spending = spending
        self.cost = cost

    async def translate(self, request: TranslateRequest) -> list[str]:
        amount = self.cost(request)
        self.spending.reserve(amount)
        answered = False
        try:
            answers = await self.inner.translate(request)
            answered = True
            return answers
        finally:
            self.spending.settle(amount, spent=answered)


class DryRun(Layer):
    """Stands in for a plugin in a dry run: counts what would be sent, sends nothing. The
    "translations" are the texts themselves; a dry run writes no output and stores nothing."""

    async def translate(self, request: TranslateRequest) -> list[str]:
        return list(request.texts)


class Retrying(Layer):
    MALFORMED_RETRIES = 1

    def __init__(
        self,
        inner: Translator,
        policy: RetryPolicy,
        usage: Usage,
        *,
        sleep: Callable[[float], object] = asyncio.sleep,
        seed: int | None = None,
    ) -> None:
        super().__init__(inner)
        self.policy = policy
        self.usage = usage
        self._sleep = sleep
        self._rng = random.Random(seed)

    async def translate(self, request: TranslateRequest) -> list[str]:
        attempt = malformed = 0
        while True:
            try:
                return await self.inner.translate(request)
            except MalformedAnswer:
                if malformed >= self.MALFORMED_RETRIES:
                    raise
                malformed += 1
            except RetriesExhausted:
                raise
            except TransientError as exc:
                if attempt >= self.policy.max_retries:
                    tries = attempt + 1
                    raise RetriesExhausted(
                        f"{exc.message} (gave up after {tries} attempt{'s' if tries > 1 else ''})"
                    ) from exc
                delay = self.policy.delay(attempt, exc.retry_after, self._rng)
                self.policy.announce(delay, exc.message)
                attempt += 1
                self.usage.retries += 1
                await self._sleep(delay)  # type: ignore[misc]


FOLLOW_UP = 0  # priority of requests that finish work already started (back-translation, --fix)
NEW_WORK = 1  # priority of requests that start new work (the forward translation)


class RequestLimit:
    """The run's one bound on requests in flight, shared by all its stacks. When a slot frees,
    a waiting request that finishes work already under way (a back-translation of a batch that
    has returned) goes before one that starts more, so a large document's back-translations
    interleave with its forward batches instead of queueing behind all of them; among equals,
    first come, first served."""

    def __init__(self, size: int) -> None:
        self.free = size
        self._waiting: list[tuple[int, int, asyncio.Future[None]]] = []
        self._arrivals = itertools.count()

    async def acquire(self, priority: int = NEW_WORK) -> None:
        if self.free > 0 and not self._waiting:
            self.free -= 1
            return
        slot: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._waiting, (priority, next(self._arrivals), slot))
        try:
            await slot
        except asyncio.CancelledError:
            if slot.done() and not slot.cancelled():
                self.release()  # handed a slot as it was cancelled: pass it on
            raise

    def release(self) -> None:
        while self._waiting:
            _priority, _arrival, slot = heapq.heappop(self._waiting)
            if not slot.done():  # a cancelled waiter is skipped
                slot.set_result(None)
                return
        self.free += 1

    @contextlib.asynccontextmanager
    async def slot(self, priority: int = NEW_WORK) -> AsyncIterator[None]:
        await self.acquire(priority)
        try:
            yield
        finally:
            self.release()

    async def __aenter__(self) -> None:
        await self.acquire()

    async def __aexit__(self, *exc: object) -> None:
        self.release()


Limit = asyncio.Semaphore | RequestLimit


class Limited(Layer):
    def __init__(self, inner: Translator, limit: Limit, priority: int = NEW_WORK) -> None:
        super().__init__(inner)
        self.limit = limit
        self.priority = priority

    async def translate(self, request: TranslateRequest) -> list[str]:
        if isinstance(self.limit, RequestLimit):
            async with self.limit.slot(self.priority):
                return await self.inner.translate(request)
        async with self.limit:
            return await self.inner.translate(request)


ClaimKey = tuple[str, str, str]  # source language, target language, text
# The run's most recent answers kept for texts that come again. Bounded, so a batch run over
# hundreds of transcripts holds the same memory at its last file as at its first; the translation
# memory (unless --no-cache) answers older repeats.
ANSWERED_LIMIT = 4_096  # a few long lecture transcripts, both ways; about 2 KB a text


class Stack(Layer):
    """The top of a composed stack, with what the pipeline asks of it besides ``translate``."""

    def __init__(self, inner: Translator, plugin: Backend, memory: Remembering | None, usage: Usage) -> None:
        super().__init__(inner)
        self.plugin = plugin
        self.memory = memory
        self.usage = usage
        self._claims: dict[ClaimKey, asyncio.Future[str]] = {}
        # This run's recent answers, however the memory is set (oldest first; see ANSWERED_LIMIT).
        self._answered: OrderedDict[ClaimKey, str] = OrderedDict()

    def claim(
        self, texts: Sequence[str], source_lang: str, target_lang: str
    ) -> tuple[list[str], dict[str, asyncio.Future[str]]]:
        """Split ``texts`` into those this caller now sends (claimed for it) and those another
        document of the run is already sending (their answers, to await)."""
        mine: list[str] = []
        theirs: dict[str, asyncio.Future[str]] = {}
        loop = asyncio.get_running_loop()
        for text in texts:
            key = (source_lang, target_lang, text)
            if key in self._answered:
                self._answered.move_to_end(key)
                theirs[text] = loop.create_future()
                theirs[text].set_result(self._answered[key])
            elif key in self._claims:
                theirs[text] = self._claims[key]
            else:
                self._claims[key] = loop.create_future()
                mine.append(text)
        return mine, theirs

    def settle(self, answers: dict[str, str], source_lang: str, target_lang: str) -> None:
        """Hand claimed texts' answers to whoever awaits them."""
        for text, answer in answers.items():
            key = (source_lang, target_lang, text)
            self._answered[key] = answer
            self._answered.move_to_end(key)
            if len(self._answered) > ANSWERED_LIMIT:
                self._answered.popitem(last=False)
            future = self._claims.pop((source_lang, target_lang, text), None)
            if future is not None and not future.done():
                future.set_result(answer)

    def release(self, texts: Sequence[str], source_lang: str, target_lang: str) -> None:
        """Give up claims that failed: those awaiting them send the texts themselves."""
        for text in texts:
            future = self._claims.pop((source_lang, target_lang, text), None)
            if future is not None and not future.done():
                future.cancel()

    def recall(self, texts: Sequence[str], source_lang: str, target_lang: str) -> dict[str, str]:
        """What the memory answers without a request (nothing when the stack has no memory)."""
        return self.memory.recall(texts, source_lang, target_lang) if self.memory else {}

    def remember(self, answers: dict[str, str], source_lang: str, target_lang: str) -> None:
        """Store translations the pipeline assembled (a long text joined from its pieces)."""
        usable_answers = {text: answer for text, answer in answers.items() if usable(text, answer)}
        if self.memory and self.memory.store and usable_answers:
            self.memory.memory.store(self.memory.scope(source_lang, target_lang), usable_answers)


def compose(
    plugin: Backend,
    *,
    limit: Limit,
    retry: RetryPolicy,
    memory: MemoryStore | None = None,
    glossary_hash: str = "",
    usage: Usage | None = None,
    budget: tuple[Spending, Callable[[TranslateRequest], float]] | None = None,
    dry_run: bool = False,
    priority: int = NEW_WORK,
) -> Stack:
    """limiter → retry → memory → budget → answer check → plugin (or, for a dry run, a stand-in
    that counts what would be sent)."""
    usage = usage if usage is not None else Usage()
    layer: Translator = Checked(DryRun(plugin) if dry_run else plugin, usage)
    if budget is not None:
        layer = Budgeted(layer, *budget)
    remembering = None
    if memory is not None:
        remembering = Remembering(layer, memory, glossary_hash, store=not dry_run)
        layer = remembering
    layer = Retrying(layer, retry, usage)
    layer = Limited(layer, limit, priority)
    return Stack(layer, plugin, remembering, usage)
