"""OpenAI-compatible chat-completions LLMs (OpenAI, Azure-style proxies, Ollama, vLLM, LM Studio…).

Which server and model is configuration, not code: ``OPENAI_BASE_URL`` (or ``--backend-url`` /
``[backends.openai] url``) and ``[backends.openai] model``. A batch goes as one JSON message and
must come back as ``{"translations": [...]}`` with the same count; an answer that does not is
asked again once, then the batch is split in halves, because smaller batches are what models
get right.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import httpx

from ..config import Settings
from ..errors import AuthError, BackendError, QuotaExceeded
from ..keys import resolve_key
from ._http import HttpService
from ._llm import (
    parse_translations,
    system_prompt,
    translate_with_splitting,
    user_message,
)
from .base import (
    Backend,
    BackendSpec,
    Capabilities,
    Readiness,
    TranslateRequest,
    request_timeout,
    resolve_url,
)
from .options import BackendOptions, described

DEFAULT_MODEL = "gpt-4o-mini"


@dataclasses.dataclass(frozen=True)
class OpenAIOptions(BackendOptions):
    model: str = described(DEFAULT_MODEL, "model name")
    temperature: float = described(0.0, "sampling temperature")
    json_mode: bool = described(True, "ask for a JSON object answer (response_format)")


def _map_status(response: httpx.Response) -> BackendError | None:
    try:
        error = response.json().get("error") or {}
    except (ValueError, AttributeError):
        error = {}
    code = error.get("code") or error.get("type") if isinstance(error, dict) else None
    if code == "insufficient_quota":
        return QuotaExceeded("the LLM account's quota is used up (insufficient_quota); check the plan and billing")
    if response.status_code == 401:
        return AuthError("the LLM server refused the API key (HTTP 401); set OPENAI_API_KEY")
    return None


class OpenAICompatibleBackend(Backend):
    name = "openai"
    description = "OpenAI-compatible chat completions (OpenAI, Ollama, vLLM, LM Studio, proxies)"
    spec = BackendSpec(
        needs="OPENAI_API_KEY (any value for local servers) and optionally OPENAI_BASE_URL and [backends.openai] model",
        key_env=("OPENAI_API_KEY",),
        url_env=("OPENAI_BASE_URL",),
        default_url="https://api.openai.com/v1",
    )
    capabilities = Capabilities(max_texts=20, max_bytes=16 * 1024, markup="xml", uses_instructions=True)
    Options = OpenAIOptions

    def __init__(self, http: HttpService, *, model: str, temperature: float, json_mode: bool):
        self.http = http
        self.model = model
        self.temperature = temperature
        self.json_mode = json_mode

    @classmethod
    def from_settings(cls, settings: Settings, *, url: str | None = None) -> OpenAICompatibleBackend:
        key = resolve_key(cls.name, settings, cls.spec.key_env)
        base = resolve_url(cls.name, cls.spec, settings, url)
        assert base is not None and key is not None
        options = cls.options(settings, OpenAIOptions)
        http = HttpService(
            "the LLM server",
            base,
            headers={"Authorization": f"Bearer {key}", "User-Agent": "translator"},
            timeout=request_timeout(options, settings, floor=120.0),
            status_mapper=_map_status,
        )
        return cls(http, model=options.model, temperature=options.temperature, json_mode=options.json_mode)

    def signature(self) -> str:
        return f"openai|{self.http.base_url}|{self.model}|t={self.temperature}"

    async def translate(self, request: TranslateRequest) -> list[str]:
        return await translate_with_splitting(self._ask, request)

    async def _ask(self, texts: list[str], request: TranslateRequest) -> list[str]:
        content = await self.complete(system_prompt(request), user_message(texts, request))
        return parse_translations(content, len(texts))

    async def complete(self, system: str, user: str) -> str:
        body: dict[str, Any] = {
            "model": self.model,
            "temperature": self.temperature,
            "messages": [{"role": "system", "content": system}, {"role": "user", "content": user}],
        }
        if self.json_mode:
            body["response_format"] = {"type": "json_object"}
        response = await self.http.request("POST", "/chat/completions", json=body)
        return _content(response)

    async def readiness(self) -> Readiness:
        await self.http.request("GET", "/models")
        return Readiness(True, f"server reachable at {self.http.base_url}; model {self.model}")

    async def aclose(self) -> None:
        await self.http.aclose()


def _content(response: httpx.Response) -> str:
    try:
        content = response.json()["choices"][0]["message"]["content"]
    except (ValueError, KeyError, IndexError, TypeError) as exc:
        raise BackendError("the LLM server answered without a chat completion") from exc
    if not isinstance(content, str):
        raise BackendError("the LLM server answered without a chat completion")
    return content
