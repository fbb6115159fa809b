"""Loopback emulator of Amazon Bedrock's Converse API (bedrock-runtime, REST-JSON), for the
``bedrock`` backend.

Why: the backend goes through boto3/botocore, which signs requests and speaks AWS's wire format;
only a real HTTP server shows that the whole chain works without the internet. Point a client at
it with ``endpoint_url=emu.url`` (or ``AWS_ENDPOINT_URL_BEDROCK_RUNTIME``). Shapes follow
botocore's service model ``bedrock-runtime/2023-09-30``.

Behaviour worth knowing when writing backend tests:

* ``POST /model/{modelId}/converse`` must carry a SigV4 ``Authorization`` header scoped to
  service ``bedrock`` (the signing name of bedrock-runtime) with a known access key; otherwise 403
  ``MissingAuthenticationTokenException`` / ``IncompleteSignatureException`` /
  ``InvalidSignatureException`` / ``UnrecognizedClientException``. ``signatures`` records scopes.
* Like the OpenAI emulator, it understands the translator's JSON user message
  (``{"source_lang", "target_lang", "texts"}``) and answers ``{"translations": [...]}`` as the
  assistant's text, translated by the fake engine. ``misbehave(n)`` drops a translation from
  the next ``n`` answers. ``prompts`` holds the system prompts received. The quality judge's
  prompts are answered by ``judge`` (``llm_judge.JudgeAnswers``: planted errors, spoilt answers).
* ``fail_next(code, count)`` answers the next converse calls with one of Bedrock's errors:
  ``ThrottlingException`` (429), ``ModelNotReadyException`` (429), ``ValidationException`` (400),
  ``AccessDeniedException`` (403), ``ServiceUnavailableException`` (503), … A model id outside
  ``models`` (when given) is a ``ValidationException``.
* Faults: ``"429"`` ``ThrottlingException``; ``"500"`` ``InternalServerException``; ``"503"``
  ``ServiceUnavailableException``; ``"quota"`` 400 ``ServiceQuotaExceededException``; ``"auth"``
  403 ``AccessDeniedException``.
"""

from __future__ import annotations

import json
import re
import urllib.parse
from collections.abc import Iterable, Mapping
from typing import Any

from translator.testing._aws import Signature, aws_error, aws_json, check_sigv4
from translator.testing.engine import FakeEngine, PhraseTable
from translator.testing.llm_judge import JudgeAnswers
from translator.testing.server import ApiError, LoopbackServer, Request, Response

__all__ = ["ERRORS", "BedrockEmulator"]

JSON_TYPE = "application/json"
NAMESPACE = "com.amazon.bedrock"
ERRORS = {
    "AccessDeniedException": (403, "You don't have access to the model with the specified model ID."),
    "ThrottlingException": (429, "Too many requests, please wait before trying again."),
    "ModelNotReadyException": (429, "Model is not ready for inference. Wait and try your request again."),
    "ModelTimeoutException": (408, "Model has timed out in processing the request."),
    "ValidationException": (400, "The provided model identifier is invalid."),
    "ServiceQuotaExceededException": (400, "Your request exceeds the service quota for your account."),
    "InternalServerException": (500, "The server encountered an internal error."),
    "ServiceUnavailableException": (503, "The service is temporarily unavailable."),
    "ResourceNotFoundException": (404, "The specified resource could not be found."),
}
_STATUS_CODES = {
    400: "ValidationException",
    403: "AccessDeniedException",
    404: "ResourceNotFoundException",
    429: "ThrottlingException",
    500: "InternalServerException",
    503: "ServiceUnavailableException",
}
_CONVERSE = re.compile(r"/model/(?P<model>[^/]+)/converse")


class BedrockEmulator(LoopbackServer):
    """bedrock-runtime Converse on 127.0.0.1; ``url`` is the ``endpoint_url`` for boto3.

    :param models: model ids accepted; ``None`` accepts any.
    """

    auth_error_message = ERRORS["AccessDeniedException"][1]

    def __init__(
        self,
        phrase_table: PhraseTable | None = None,
        word_table: Mapping[str, str] | None = None,
        access_keys: Iterable[str] = ("AKIAEMULATOR0000TEST",),
        *,
        models: Iterable[str] | None = None,
    ) -> None:
        super().__init__()
        self.engine = FakeEngine(phrase_table, word_table)
        self.access_keys = frozenset(access_keys)
        self.models = frozenset(models) if models is not None else None
        self.prompts: list[str] = []
        self.judge = JudgeAnswers()
        self.signatures: list[Signature] = []
        self.model_ids: list[str] = []  # model id of each converse call answered
        self._misbehave = 0
        self._failures: list[tuple[str, str]] = []

    def misbehave(self, count: int = 1) -> None:
        """Answer the next ``count`` converse calls with one translation missing."""
        self._misbehave += count

    def fail_next(self, code: str, count: int = 1, message: str | None = None) -> None:
        """Answer the next ``count`` converse calls with the Bedrock error ``code`` (see ``ERRORS``)."""
        if code not in ERRORS:
            raise ValueError(f"unknown Bedrock error {code!r}; expected one of {sorted(ERRORS)}")
        self._failures.extend([(code, message or ERRORS[code][1])] * count)

    def converse_requests(self) -> list[Request]:
        return [r for r in self.requests if _CONVERSE.fullmatch(r.path)]

    def reset_state(self) -> None:
        self.prompts.clear()
        self.judge.reset()
        self.signatures.clear()
        self.model_ids.clear()
        self._misbehave = 0
        self._failures.clear()

    # -- LoopbackServer hooks --------------------------------------------------

    def error_response(self, status: int, message: str, **extra: str) -> Response:
        code = extra.get("code") or _STATUS_CODES.get(status, "InternalServerException")
        return aws_error(status, code, message, namespace=NAMESPACE, json_type=JSON_TYPE)

    def quota_response(self) -> Response:
        return self.error_response(
            400, ERRORS["ServiceQuotaExceededException"][1], code="ServiceQuotaExceededException"
        )

    def handle(self, request: Request) -> Response:
        self.signatures.append(check_sigv4(request, "bedrock", self.access_keys))
        match = _CONVERSE.fullmatch(request.path)
        if match is None:
            raise ApiError(404, "The specified resource could not be found.", code="UnknownOperationException")
        if request.method != "POST":
            raise ApiError(405, "Method not allowed", code="UnknownOperationException")
        return self._converse(request, urllib.parse.unquote(match["model"]))

    # -- converse --------------------------------------------------------------------

    def _converse(self, request: Request, model: str) -> Response:
        if self._failures:
            code, message = self._failures.pop(0)
            raise ApiError(ERRORS[code][0], message, code=code)
        if self.models is not None and model not in self.models:
            raise ApiError(400, "The provided model identifier is invalid.", code="ValidationException")
        body = request.json
        if not isinstance(body, dict) or not isinstance(body.get("messages"), list) or not body["messages"]:
            raise ApiError(400, "A conversation must start with a user message.", code="ValidationException")
        system = "".join(block.get("text", "") for block in body.get("system") or [] if isinstance(block, dict))
        self.prompts.append(system)
        user = _last_user_text(body["messages"])
        try:
            payload: Any = json.loads(user)
            judging = JudgeAnswers.is_judge_request(payload)
            if not judging:
                texts, target = payload["texts"], payload["target_lang"]
        except (ValueError, KeyError, TypeError) as exc:
            raise ApiError(
                400, "the emulator understands only the translator's JSON requests", code="ValidationException"
            ) from exc
        self.model_ids.append(model)
        if judging:
            content = self.judge.answer(payload)
        else:
            translations = [self.engine.translate(t, target, ignore_tags=("x",)) for t in texts]
            if self._misbehave > 0:
                self._misbehave -= 1
                translations = translations[:-1]
            content = json.dumps({"translations": translations}, ensure_ascii=False)
        input_tokens, output_tokens = (len(system) + len(user)) // 4, len(content) // 4
        return aws_json(
            200,
            {
                "output": {"message": {"role": "assistant", "content": [{"text": content}]}},
                "stopReason": "end_turn",
                "usage": {
                    "inputTokens": input_tokens,
                    "outputTokens": output_tokens,
                    "totalTokens": input_tokens + output_tokens,
                },
                "metrics": {"latencyMs": 1},
            },
            JSON_TYPE,
        )


def _last_user_text(messages: list[Any]) -> str:
    for message in reversed(messages):
        if isinstance(message, dict) and message.get("role") == "user":
            return "".join(b.get("text", "") for b in message.get("content") or [] if isinstance(b, dict))
    raise ApiError(400, "A conversation must start with a user message.", code="ValidationException")
