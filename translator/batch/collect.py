"""The two stand-ins for a plugin that batch mode puts behind the run's backend stack.

``Collector`` answers every request with its own texts and keeps the request: run under the
stack's memory and de-duplication with nothing stored and nothing written (like a dry run), it
gathers exactly the requests a synchronous run would send. ``Answering`` then stands in for the
real plugin in the real run: it answers texts from the finished job's results and sends only
what the job did not answer (back-translation, a piece the job left out) to the plugin itself.
Everything above the plugin (memory, markup protection, glossary checks, quality, writers)
works unchanged, and the memory scope is the plugin's own, so batch and synchronous runs share
their translations.
"""

from __future__ import annotations

from dataclasses import replace

from ..backends.base import Backend, Capabilities, TranslateRequest
from ..config import Settings
from ..errors import ConfigError

AnswerKey = tuple[str, str, str]  # source language, target language, text


class Collector:
    """Records requests; answers each text with itself (nothing is sent)."""

    def __init__(self, plugin: Backend) -> None:
        self.plugin = plugin
        self.requests: list[TranslateRequest] = []

    @property
    def name(self) -> str:
        return self.plugin.name

    @property
    def capabilities(self) -> Capabilities:
        return self.plugin.capabilities

    def signature(self) -> str:
        return self.plugin.signature()

    async def translate(self, request: TranslateRequest) -> list[str]:
        self.requests.append(request)
        return list(request.texts)


class Answering(Backend):
    """The plugin, with a finished batch job's answers in front of it."""

    def __init__(self, plugin: Backend, answers: dict[AnswerKey, str]) -> None:
        self.plugin = plugin
        self.name = plugin.name  # type: ignore[misc]  # the memory scope is the plugin's
        self.capabilities = plugin.capabilities
        self.spec = plugin.spec  # type: ignore[misc]
        self.answers = answers
        self.from_job = 0  # texts answered by the job
        self.sent = 0  # texts the plugin had to send itself

    @classmethod
    def from_settings(cls, settings: Settings, *, url: str | None = None) -> Backend:
        raise ConfigError("a batch job's answers are built by --batch, not from settings")

    def signature(self) -> str:
        return self.plugin.signature()

    async def translate(self, request: TranslateRequest) -> list[str]:
        keys = [(request.source_lang, request.target_lang, text) for text in request.texts]
        missing = [text for key, text in zip(keys, request.texts, strict=True) if key not in self.answers]
        fresh: dict[str, str] = {}
        if missing:
            answers = await self.plugin.translate(replace(request, texts=missing))
            fresh = dict(zip(missing, answers, strict=False))  # a wrong count is the stack's to report
            self.sent += len(missing)
            if len(answers) != len(missing):
                return answers
        self.from_job += len(request.texts) - len(missing)
        return [
            self.answers[key] if key in self.answers else fresh[text]
            for key, text in zip(keys, request.texts, strict=True)
        ]
