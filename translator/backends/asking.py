"""An LLM backend asked questions (``complete``) under the run's request limit and retry policy.

The run's stacks (``stack.py``) wrap ``translate``; the LLM judge asks its own questions through
the plugin's ``complete`` (``_llm.ChatModel``) and must get the same treatment: never more
requests in flight than ``--concurrency`` across every stage, transient failures (429, 5xx,
timeouts) retried with the same backoff. So a question is carried through the very same
``Limited``, ``Retrying`` (and, with ``--budget``, ``Budgeted``) layers, as a one-text request whose
"translation" is the answer.
Whether an answer makes sense is the caller's business (the judge checks and asks again), so no
answer check sits below.
"""

from __future__ import annotations

from collections.abc import Callable

from ._http import RetryPolicy
from ._llm import ChatModel
from .base import Backend, Capabilities, TranslateRequest
from .stack import Budgeted, Limit, Limited, Retrying, Spending, Translator, Usage


class _Question:
    """A plugin's ``complete`` in the shape the layers wrap: the request's instructions are the
    system prompt, its one text the user message."""

    def __init__(self, plugin: Backend) -> None:
        assert isinstance(plugin, ChatModel)
        self.plugin = plugin

    @property
    def name(self) -> str:
        return self.plugin.name

    @property
    def capabilities(self) -> Capabilities:
        return self.plugin.capabilities

    def signature(self) -> str:
        return self.plugin.signature()

    async def translate(self, request: TranslateRequest) -> list[str]:
        assert isinstance(self.plugin, ChatModel)
        return [await self.plugin.complete(request.instructions or "", request.texts[0])]


class AskingModel:
    """A ``ChatModel`` whose questions go through the run's limiter and retries."""

    def __init__(
        self,
        plugin: Backend,
        *,
        limit: Limit,
        retry: RetryPolicy,
        usage: Usage,
        budget: tuple[Spending, Callable[[TranslateRequest], float]] | None = None,
    ) -> None:
        self.plugin = plugin
        self.model = str(getattr(plugin, "model", ""))  # the judge names it in reports
        layer: Translator = _Question(plugin)
        if budget is not None:
            layer = Budgeted(layer, *budget)
        layer = Retrying(layer, retry, usage)
        self._layers: Translator = Limited(layer, limit)
        self.usage = usage

    async def complete(self, system: str, user: str) -> str:
        (answer,) = await self._layers.translate(TranslateRequest([user], "", "", instructions=system))
        self.usage.requests += 1
        self.usage.texts += 1
        self.usage.characters += len(user)
        return answer
