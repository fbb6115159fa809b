"""A backend as a run uses it: limiter → retry → memory → answer check → plugin.

Like an httpx client takes a transport, a run takes ready-made stacks: each layer wraps the one
below and has the same shape (``translate(request) -> list[str]``), so the pipeline, the
back-translation and ``--fix`` all see one interface, and every plugin gets the same behaviour
without writing it:

* ``Limited`` — one semaphore shared by every stack of a run: never more requests in flight than
  ``--concurrency``, whichever document or stage sends them;
* ``Retrying`` — ``TransientError`` (429, 5xx, timeouts, dropped connections) retried with
  exponential backoff and jitter, honouring Retry-After; a ``MalformedAnswer`` asked once more;
* ``Remembering`` — the translation memory: known texts are answered from it, the rest sent and
  stored; what it recalls is checked like an answer, so a bad entry is ignored and replaced;
* ``Checked`` — one non-empty string per text sent (``MalformedAnswer`` otherwise), and the
  usage counters (requests, texts, characters) that reach the service.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Protocol

from .. import markup
from ..errors import MalformedAnswer, RetriesExhausted, TransientError
from ..keys import without_credentials
from ..memory import TranslationMemory
from ..types import RunSignature
from ._http import RetryPolicy
from .base import Backend, Capabilities, TranslateRequest


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
        if not isinstance(answers, list) or len(answers) != len(request.texts):
            count = len(answers) if isinstance(answers, list) else type(answers).__name__
            raise MalformedAnswer(
                f"{self.name} answered {count} translations for {len(request.texts)} texts sent"
            )
        for index, (source, answer) in enumerate(zip(request.texts, answers, strict=True)):
            if not usable(source, answer):
                what = "an empty translation" if isinstance(answer, str) else f"{type(answer).__name__}, not text,"
                raise MalformedAnswer(f"{self.name} answered {what} for text {index + 1} of {len(request.texts)}")
        return answers


class Remembering(Layer):
    """The translation memory, scoped by backend, its options, languages and glossary."""

    def __init__(self, inner: Translator, memory: TranslationMemory, glossary_hash: str) -> None:
        super().__init__(inner)
        self.memory = memory
        self.glossary_hash = glossary_hash

    def scope(self, source_lang: str, target_lang: str) -> str:
        return RunSignature(
            backend=self.name,
            source_lang=source_lang,
            target_lang=target_lang,
            backend_options=without_credentials(self.signature()),
            glossary_hash=self.glossary_hash,
        ).cache_scope()

    def recall(self, texts: Sequence[str], source_lang: str, target_lang: str) -> dict[str, str]:
        """Texts the memory already holds a usable translation of."""
        found = self.memory.lookup(self.scope(source_lang, target_lang), texts)
        return {text: answer for text, answer in found.items() if usable(text, answer)}

    async def translate(self, request: TranslateRequest) -> list[str]:
        known = self.recall(request.texts, request.source_lang, request.target_lang)
        pending = [text for text in dict.fromkeys(request.texts) if text not in known]
        if pending:
            answers = await self.inner.translate(replace(request, texts=pending))
            fresh = dict(zip(pending, answers, strict=True))
            self.memory.store(self.scope(request.source_lang, request.target_lang), fresh)
            known.update(fresh)
        return [known[text] for text in request.texts]


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
                attempt += 1
                self.usage.retries += 1
                await self._sleep(delay)  # type: ignore[misc]


class Limited(Layer):
    def __init__(self, inner: Translator, limit: asyncio.Semaphore) -> None:
        super().__init__(inner)
        self.limit = limit

    async def translate(self, request: TranslateRequest) -> list[str]:
        async with self.limit:
            return await self.inner.translate(request)


class Stack(Layer):
    """The top of a composed stack, with what the pipeline asks of it besides ``translate``."""

    def __init__(self, inner: Translator, plugin: Backend, memory: Remembering | None, usage: Usage) -> None:
        super().__init__(inner)
        self.plugin = plugin
        self.memory = memory
        self.usage = usage

    def recall(self, texts: Sequence[str], source_lang: str, target_lang: str) -> dict[str, str]:
        """What the memory answers without a request (nothing when the stack has no memory)."""
        return self.memory.recall(texts, source_lang, target_lang) if self.memory else {}

    def remember(self, answers: dict[str, str], source_lang: str, target_lang: str) -> None:
        """Store translations the pipeline assembled (a long text joined from its pieces)."""
        usable_answers = {text: answer for text, answer in answers.items() if usable(text, answer)}
        if self.memory and usable_answers:
            self.memory.memory.store(self.memory.scope(source_lang, target_lang), usable_answers)


def compose(
    plugin: Backend,
    *,
    limit: asyncio.Semaphore,
    retry: RetryPolicy,
    memory: TranslationMemory | None = None,
    glossary_hash: str = "",
    usage: Usage | None = None,
) -> Stack:
    """limiter → retry → memory → answer check → plugin."""
    usage = usage if usage is not None else Usage()
    layer: Translator = Checked(plugin, usage)
    remembering = None
    if memory is not None:
        remembering = Remembering(layer, memory, glossary_hash)
        layer = remembering
    layer = Retrying(layer, retry, usage)
    layer = Limited(layer, limit)
    return Stack(layer, plugin, remembering, usage)
