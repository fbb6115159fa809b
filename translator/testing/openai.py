"""An OpenAI-compatible chat-completions server on 127.0.0.1 that translates with the fake engine.

It understands the request the ``openai`` backend sends (a user message holding
``{"source_lang", "target_lang", "texts"}``) and answers ``{"translations": [...]}`` as the
assistant's content. ``misbehave(n)`` makes the next ``n`` answers drop a translation, which is
how models fail in practice; the ``quota`` fault answers 429 ``insufficient_quota`` like OpenAI.
The quality judge's prompts are answered by ``judge`` (see ``llm_judge.JudgeAnswers``), which can
plant errors and spoil answers on demand.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterable, Mapping
from typing import Any

from translator.testing.engine import FakeEngine, PhraseTable
from translator.testing.llm_judge import JudgeAnswers
from translator.testing.server import (
    ApiError,
    LoopbackServer,
    Request,
    Response,
    Route,
    json_response,
)

__all__ = ["OpenAIEmulator"]


class OpenAIEmulator(LoopbackServer):
    """OpenAI-compatible API; ``url`` + ``/v1`` is the base URL clients use."""

    auth_error_message = "Incorrect API key provided"

    def __init__(
        self,
        phrase_table: PhraseTable | None = None,
        word_table: Mapping[str, str] | None = None,
        api_keys: Iterable[str] = ("sk-test",),
        *,
        model: str = "gpt-4o-mini",
        rewrites: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__()
        self.engine = FakeEngine(phrase_table, word_table)
        # Source text → the answer given when the request carries a note about an earlier
        # translation of it (a --fix rewrite): an engine that writes better when told what was wrong.
        self.rewrites = dict(rewrites or {})
        self.api_keys = frozenset(api_keys)
        self.model = model
        self.prompts: list[str] = []  # system prompts received, for tests about instructions
        self.judge = JudgeAnswers()
        self._misbehave = 0
        self._routes: list[Route] = [
            ("POST", re.compile(r"/v1/chat/completions"), self._chat),
            ("GET", re.compile(r"/v1/models"), self._models),
        ]

    @property
    def base_url(self) -> str:
        return self.url + "/v1"

    def misbehave(self, count: int = 1) -> None:
        """Answer the next ``count`` chat requests with one translation missing."""
        self._misbehave += count

    def reset_state(self) -> None:
        self.prompts.clear()
        self.judge.reset()
        self._misbehave = 0

    def error_response(self, status: int, message: str, **extra: str) -> Response:
        kind = {401: "invalid_request_error", 429: "rate_limit_exceeded"}.get(status, "server_error")
        return json_response(status, {"error": {"message": message, "type": kind, "code": extra.get("code")}})

    def quota_response(self) -> Response:
        return json_response(
            429,
            {
                "error": {
                    "message": "You exceeded your current quota, please check your plan and billing details.",
                    "type": "insufficient_quota",
                    "code": "insufficient_quota",
                }
            },
        )

    def handle(self, request: Request) -> Response:
        scheme, _, key = request.headers.get("authorization", "").partition(" ")
        if scheme != "Bearer" or key.strip() not in self.api_keys:
            raise ApiError(401, self.auth_error_message, code="invalid_api_key")
        return self.dispatch(request, self._routes)

    def _models(self, request: Request) -> Response:
        return json_response(200, {"object": "list", "data": [{"id": self.model, "object": "model"}]})

    def _chat(self, request: Request) -> Response:
        body = request.json
        if not isinstance(body, dict) or not isinstance(body.get("messages"), list):
            raise ApiError(400, "'messages' is a required property")
        system = next((m.get("content", "") for m in body["messages"] if m.get("role") == "system"), "")
        self.prompts.append(system)
        user = next((m.get("content", "") for m in reversed(body["messages"]) if m.get("role") == "user"), "")
        try:
            payload: Any = json.loads(user)
            if JudgeAnswers.is_judge_request(payload):
                return self._completion(body, user, self.judge.answer(payload))
            texts, target = payload["texts"], payload["target_lang"]
        except (ValueError, KeyError, TypeError) as exc:
            raise ApiError(400, "the emulator understands only the translator's JSON requests") from exc
        notes = payload.get("notes") or [""] * len(texts)
        translations = [
            self.rewrites[text]
            if note and text in self.rewrites
            else self.engine.translate(text, target, ignore_tags=("x",))
            for text, note in zip(texts, notes, strict=False)
        ]
        if self._misbehave > 0:
            self._misbehave -= 1
            translations = translations[:-1]
        return self._completion(body, user, json.dumps({"translations": translations}, ensure_ascii=False))

    def _completion(self, body: dict[str, Any], user: str, content: str) -> Response:
        return json_response(
            200,
            {
                "id": f"chatcmpl-{len(self.requests)}",
                "object": "chat.completion",
                "created": int(time.time()),
                "model": body.get("model", self.model),
                "choices": [
                    {"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": content}}
                ],
                "usage": {
                    "prompt_tokens": len(user) // 4,
                    "completion_tokens": len(content) // 4,
                    "total_tokens": (len(user) + len(content)) // 4,
                },
            },
        )
