"""Loopback emulator of the LibreTranslate API (``POST /translate``, ``GET /languages``).

Why: the LibreTranslate backend must be tested end to end over HTTP without a
server. Behaviour follows LibreTranslate's ``libretranslate/app.py``, including
its quirks, because those are what a client meets in production:

* JSON bodies may send ``q`` as a string or a list (answer mirrors the shape);
  form bodies only carry one ``q`` (the server reads the first value) and
  their line endings are normalised to ``\\n``.
* Errors are ``{"error": "..."}``: 400 for bad parameters, 403 "Invalid API
  key", 429 "Slowdown: ..." (no ``Retry-After`` header), 500.
* With ``api_keys`` set, a wrong key is 403 while a *missing* key is 400
  ("Please contact the server operator to get an API key"), as on servers
  that require keys.
* Every translation goes through ``html.unescape`` before it is returned, for
  both formats: entities such as ``&amp;`` come back decoded. ``format=html``
  keeps tags intact.
* ``source=auto`` adds ``detectedLanguage`` (always English here).
* ``alternatives=N`` is validated (N <= 3) and answered with empty lists.
* The ``"quota"`` fault answers like an exhausted daily request limit:
  429 ``Slowdown: ... per 1 day``.
"""

from __future__ import annotations

import dataclasses
import html
import re
from collections.abc import Iterable, Mapping
from typing import Any

from translator.testing.engine import FakeEngine, PhraseTable
from translator.testing.server import (
    ApiError,
    LoopbackServer,
    Request,
    Response,
    Route,
    json_response,
)

__all__ = ["LibreTranslateEmulator"]

ALTERNATIVES_LIMIT = 3

DEFAULT_LANGUAGES: Mapping[str, str] = {
    "en": "English",
    "ja": "Japanese",
    "de": "German",
    "es": "Spanish",
    "fr": "French",
    "ko": "Korean",
    "pt": "Portuguese",
    "zh-Hans": "Chinese",
    "zh-Hant": "Chinese (traditional)",
}

_FORM_API_KEY = re.compile(rb"(?:^|(?<=&))api_key=[^&]*")
_JSON_API_KEY = re.compile(rb'"api_key"\s*:\s*"(?:[^"\\]|\\.)*"')


class LibreTranslateEmulator(LoopbackServer):
    """LibreTranslate on 127.0.0.1.

    :param phrase_table: exact-text answers, see :data:`~translator.testing.engine.PhraseTable`.
    :param word_table: whole-word substitutions used by the pseudo-translation.
    :param api_keys: accepted keys; ``None`` runs an open server that ignores ``api_key``.
    :param char_limit: per-text character limit (``--char-limit``), ``None`` for unlimited.
    :param batch_limit: max texts per request (``--batch-limit``), ``None`` for unlimited.
    :param languages: code -> English name; every language translates to every other.
    """

    auth_error_message = "Invalid API key"

    def __init__(
        self,
        phrase_table: PhraseTable | None = None,
        word_table: Mapping[str, str] | None = None,
        api_keys: Iterable[str] | None = None,
        *,
        char_limit: int | None = None,
        batch_limit: int | None = None,
        languages: Mapping[str, str] = DEFAULT_LANGUAGES,
    ) -> None:
        super().__init__()
        self.engine = FakeEngine(phrase_table, word_table)
        self.api_keys = None if api_keys is None else frozenset(api_keys)
        self.char_limit = char_limit
        self.batch_limit = batch_limit
        self.languages = dict(languages)
        self._routes: list[Route] = [
            ("POST", re.compile(r"/translate"), self._translate),
            ("GET", re.compile(r"/languages"), self._languages),
        ]

    # -- LoopbackServer hooks --------------------------------------------------

    def error_response(self, status: int, message: str, **extra: str) -> Response:
        if status == 429 and not message.startswith("Slowdown:"):
            message = f"Slowdown: {message}"  # LibreTranslate prefixes every 429
        return json_response(status, {"error": message})

    def quota_response(self) -> Response:
        return self.error_response(429, "100 per 1 day")

    def handle(self, request: Request) -> Response:
        return self.dispatch(request, self._routes)

    def redact(self, request: Request) -> Request:
        """Mask ``api_key`` in the body, form, JSON and query of the recorded copy."""
        record = super().redact(request)
        if record.content_type == "application/json":
            body = _JSON_API_KEY.sub(b'"api_key": "***"', record.body)
        else:
            body = _FORM_API_KEY.sub(b"api_key=***", record.body)
        json = record.json
        if isinstance(json, dict) and "api_key" in json:
            json = {**json, "api_key": "***"}
        return dataclasses.replace(
            record,
            body=body,
            json=json,
            query=_mask_api_key(record.query),
            form=None if record.form is None else _mask_api_key(record.form),
        )

    # -- endpoints ---------------------------------------------------------------

    def _languages(self, request: Request) -> Response:
        return json_response(
            200,
            [
                {"code": code, "name": name, "targets": sorted(c for c in self.languages if c != code)}
                for code, name in self.languages.items()
            ],
        )

    def _translate(self, request: Request) -> Response:
        is_json = request.content_type == "application/json"
        params = request.params()
        if params is None:
            raise ApiError(400, "Invalid JSON format")
        self._check_api_key(params.get("api_key"))

        q = params.get("q")
        for name, value in (("q", q), ("source", params.get("source")), ("target", params.get("target"))):
            if not value:
                raise ApiError(400, f"Invalid request: missing {name} parameter")
        try:
            alternatives = max(0, int(params.get("alternatives", 0)))
        except (TypeError, ValueError):
            raise ApiError(400, "Invalid request: alternatives parameter is not a number") from None
        if alternatives > ALTERNATIVES_LIMIT:
            raise ApiError(400, f"Invalid request: alternatives parameter must be <= {ALTERNATIVES_LIMIT}")

        batch = isinstance(q, list)
        raw = q if isinstance(q, list) else [q]
        if not all(isinstance(t, str) for t in raw):
            raise ApiError(400, "Invalid request: q must be a string or a list of strings")
        texts: list[str] = [str(t) for t in raw]
        if not is_json:
            texts = ["\n".join(t.splitlines()) for t in texts]
        if batch and self.batch_limit is not None and len(texts) > self.batch_limit:
            raise ApiError(400, f"Invalid request: request ({len(texts)}) exceeds text limit ({self.batch_limit})")
        for text in texts:
            if self.char_limit is not None and len(text) > self.char_limit:
                raise ApiError(400, f"Invalid request: request ({len(text)}) exceeds text limit ({self.char_limit})")

        source, target = params["source"], params["target"]
        auto = source == "auto"
        for code in (("en" if auto else source), target):
            if code not in self.languages:
                raise ApiError(400, f"{code} is not supported")
        text_format = params.get("format") or "text"
        if text_format not in ("text", "html"):
            raise ApiError(400, f"{text_format} format is not supported")

        translated = [self._translate_one(t, "en" if auto else source, target) for t in texts]
        result: dict[str, Any] = {"translatedText": translated if batch else translated[0]}
        detected = {"confidence": 90.0, "language": "en"}
        if auto:
            result["detectedLanguage"] = [detected] * len(texts) if batch else detected
        if alternatives:
            result["alternatives"] = [[] for _ in texts] if batch else []
        return json_response(200, result)

    # -- helpers -----------------------------------------------------------------

    def _check_api_key(self, key: Any) -> None:
        if self.api_keys is None:
            return
        if not key:
            raise ApiError(400, "Please contact the server operator to get an API key")
        if key not in self.api_keys:
            raise ApiError(403, self.auth_error_message)

    def _translate_one(self, text: str, source: str, target: str) -> str:
        if source == target:
            return text
        return html.unescape(self.engine.translate(text, target))


def _mask_api_key(params: dict[str, list[str]]) -> dict[str, list[str]]:
    return {name: ["***"] * len(values) if name == "api_key" else values for name, values in params.items()}
