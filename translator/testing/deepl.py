"""Loopback emulator of the DeepL API (v2 text translation, usage, languages, v2/v3 glossaries).

Why: the DeepL backend must be tested end to end over HTTP without the
internet. The wire format follows DeepL's OpenAPI spec
(a copy is in ``tests/fixtures/specs/deepl-openapi.yaml``); error messages follow DeepL's own
mock server (github.com/DeepLcom/deepl-mock) where the spec gives none.

Behaviour worth knowing when writing backend tests:

* Auth is ``Authorization: DeepL-Auth-Key <key>``; a missing or unknown key is
  403 ``{"message": ...}``. Recorded requests show ``DeepL-Auth-Key ***``.
* ``/v2/translate`` takes form bodies (repeated ``text=``, comma-separated
  ``ignore_tags``) or JSON (arrays); > 50 texts is 400, bodies > 128 KiB 413.
* Each text is translated by :class:`~translator.testing.engine.FakeEngine`
  (phrase table, else pseudo-translation). ``ignore_tags`` are honoured with
  ``tag_handling=xml``. With ``glossary_id`` (v2 or v3 id; ``source_lang``
  required) the glossary's terms replace source terms in the output.
* Source characters are billed; a request that would exceed
  ``character_limit`` gets 456 and is not billed.
* Untranslated source language is reported as ``detected_source_language``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from translator.testing.deepl_glossaries import Glossary, GlossaryService
from translator.testing.engine import FakeEngine, PhraseTable
from translator.testing.server import (
    ApiError,
    LoopbackServer,
    Request,
    Response,
    Route,
    json_response,
)

__all__ = ["DeepLEmulator"]

MAX_TEXTS = 50
MAX_BODY_BYTES = 128 * 1024

_SOURCE_LANGUAGES = {
    "AR": "Arabic",
    "BG": "Bulgarian",
    "CS": "Czech",
    "DA": "Danish",
    "DE": "German",
    "EL": "Greek",
    "EN": "English",
    "ES": "Spanish",
    "ET": "Estonian",
    "FI": "Finnish",
    "FR": "French",
    "HE": "Hebrew",
    "HU": "Hungarian",
    "ID": "Indonesian",
    "IT": "Italian",
    "JA": "Japanese",
    "KO": "Korean",
    "LT": "Lithuanian",
    "LV": "Latvian",
    "NB": "Norwegian",
    "NL": "Dutch",
    "PL": "Polish",
    "PT": "Portuguese",
    "RO": "Romanian",
    "RU": "Russian",
    "SK": "Slovak",
    "SL": "Slovenian",
    "SV": "Swedish",
    "TH": "Thai",
    "TR": "Turkish",
    "UK": "Ukrainian",
    "VI": "Vietnamese",
    "ZH": "Chinese",
}
_TARGET_LANGUAGES = {
    **{code: name for code, name in _SOURCE_LANGUAGES.items() if code not in ("EN", "PT", "ZH")},
    "EN-GB": "English (British)",
    "EN-US": "English (American)",
    "PT-BR": "Portuguese (Brazilian)",
    "PT-PT": "Portuguese (European)",
    "ZH": "Chinese (simplified)",
    "ZH-HANS": "Chinese (simplified)",
    "ZH-HANT": "Chinese (traditional)",
}
_DEPRECATED_TARGETS = ("EN", "PT")  # still accepted by DeepL, not listed
_FORMALITY_TARGETS = frozenset({"DE", "ES", "FR", "IT", "JA", "NL", "PL", "PT-BR", "PT-PT", "RU"})
_FORMALITY = ("default", "more", "less", "prefer_more", "prefer_less")
_MODEL_TYPES = ("quality_optimized", "prefer_quality_optimized", "latency_optimized")
_FLAGS = {"0": False, "1": True, "false": False, "true": True, False: False, True: True}


class DeepLEmulator(LoopbackServer):
    """DeepL API on 127.0.0.1.

    :param phrase_table: exact-text answers, see :data:`~translator.testing.engine.PhraseTable`.
    :param word_table: whole-word substitutions used by the pseudo-translation.
    :param auth_keys: accepted API keys.
    :param character_limit: billing-period limit reported by ``/v2/usage``.
    :param detected_source_language: reported when a request has no ``source_lang``.
    """

    auth_error_message = "Authorization failure, check auth_key"

    def __init__(
        self,
        phrase_table: PhraseTable | None = None,
        word_table: Mapping[str, str] | None = None,
        auth_keys: Iterable[str] = ("test-key",),
        *,
        varying: Mapping[str, Sequence[str]] | None = None,
        character_limit: int = 500_000,
        detected_source_language: str = "EN",
    ) -> None:
        super().__init__()
        # A 400 message to answer every glossary creation with, as DeepL does for a glossary it
        # will not make (an unsupported language pair, entries it rejects); None: create them.
        self.refuse_glossaries: str | None = None
        self.engine = FakeEngine(phrase_table, word_table, varying)
        self.auth_keys = frozenset(auth_keys)
        self.character_limit = character_limit
        self.character_count = 0
        self.detected_source_language = detected_source_language
        self._glossary_service = GlossaryService()
        self._routes: list[Route] = [
            ("POST", re.compile(r"/v2/translate"), self._translate),
            ("GET", re.compile(r"/v2/usage"), self._usage),
            ("POST", re.compile(r"/v2/usage"), self._usage),
            ("GET", re.compile(r"/v2/languages"), self._languages),
            ("POST", re.compile(r"/v2/languages"), self._languages),
            *self._glossary_service.routes,
        ]

    @property
    def glossaries(self) -> dict[str, Glossary]:
        """Live glossaries by id (v2 and v3 share one store, as at DeepL)."""
        return self._glossary_service.glossaries

    @property
    def glossary_creations(self) -> int:
        """How many glossaries were created (v2 + v3), deleted ones included."""
        return self._glossary_service.creations

    def reset_state(self) -> None:
        """Forget glossaries and billed characters."""
        self.character_count = 0
        self._glossary_service.clear()

    # -- LoopbackServer hooks --------------------------------------------------

    def error_response(self, status: int, message: str, **extra: str) -> Response:
        return json_response(status, {"message": message, **extra})

    def quota_response(self) -> Response:
        return self.error_response(456, "Quota for this billing period has been exceeded.")

    def handle(self, request: Request) -> Response:
        if len(request.body) > MAX_BODY_BYTES:
            raise ApiError(413, "Request Entity Too Large")
        if self.refuse_glossaries and request.method == "POST" and request.path.endswith("/glossaries"):
            raise ApiError(400, self.refuse_glossaries)
        scheme, _, key = request.headers.get("authorization", "").partition(" ")
        if scheme != "DeepL-Auth-Key" or key.strip() not in self.auth_keys:
            raise ApiError(403, self.auth_error_message)
        return self.dispatch(request, self._routes)

    # -- endpoints ---------------------------------------------------------------

    def _translate(self, request: Request) -> Response:
        if request.content_type not in ("application/json", "application/x-www-form-urlencoded", ""):
            raise ApiError(415, "Unsupported Content-Type")
        params = request.params(multi=("text", "ignore_tags"))
        if params is None:
            raise ApiError(400, "Invalid request: expected a JSON object")

        target = _language(params, "target_lang", (*_TARGET_LANGUAGES, *_DEPRECATED_TARGETS), required=True)
        assert target is not None  # required: a missing one was answered with a 400
        source = _language(params, "source_lang", _SOURCE_LANGUAGES, required=False)
        texts = params.get("text")
        if not texts:
            raise ApiError(400, "Parameter 'text' not specified")
        if not isinstance(texts, list) or not all(isinstance(t, str) for t in texts):
            raise ApiError(400, "Value for 'text' not supported.")
        if len(texts) > MAX_TEXTS:
            raise ApiError(400, f"Too many texts (maximum {MAX_TEXTS} per request)")

        terms: dict[str, str] = {}
        glossary_id = params.get("glossary_id")
        if glossary_id is not None:
            if source is None:
                raise ApiError(400, "Use of a glossary requires the source_lang parameter to be specified")
            terms = self._glossary_service.terms_for(str(glossary_id), source, target)

        _choice(params, "split_sentences", ("0", "1", "nonewlines"))
        _flag(params, "preserve_formatting")
        formality = _choice(params, "formality", _FORMALITY)
        if formality in ("more", "less") and target not in _FORMALITY_TARGETS:
            raise ApiError(400, "'formality' is not supported for given 'target_lang'.")
        tag_handling = _choice(params, "tag_handling", ("xml", "html"))
        tag_handling_version = _choice(params, "tag_handling_version", ("v1", "v2")) or "v1"
        model_type = _choice(params, "model_type", _MODEL_TYPES)
        show_billed = _flag(params, "show_billed_characters")
        ignore_tags = _tag_list(params.get("ignore_tags")) if tag_handling == "xml" else frozenset()

        billed = sum(len(t) for t in texts)
        if self.character_count + billed > self.character_limit:
            return self.quota_response()
        self.character_count += billed

        translations = []
        for text in texts:
            item: dict[str, Any] = {
                "detected_source_language": source or self.detected_source_language,
                "text": self.engine.translate(text, target, ignore_tags=ignore_tags, extra_words=terms),
            }
            if show_billed:
                item["billed_characters"] = len(text)
            if model_type:
                item["model_type_used"] = model_type.removeprefix("prefer_")
            if tag_handling:
                item["tag_handling_version"] = tag_handling_version
            translations.append(item)
        return json_response(200, {"translations": translations})

    def _usage(self, request: Request) -> Response:
        return json_response(200, {"character_count": self.character_count, "character_limit": self.character_limit})

    def _languages(self, request: Request) -> Response:
        kind = (request.params() or {}).get("type", "source")
        if kind == "source":
            return json_response(200, [{"language": c, "name": n} for c, n in _SOURCE_LANGUAGES.items()])
        if kind == "target":
            return json_response(
                200,
                [
                    {"language": c, "name": n, "supports_formality": c in _FORMALITY_TARGETS}
                    for c, n in _TARGET_LANGUAGES.items()
                ],
            )
        raise ApiError(400, "Parameter 'type' is invalid. 'source' and 'target' are valid values.")


# -- parameter readers (DeepL error messages) ------------------------------------


def _language(params: Mapping[str, Any], name: str, allowed: Iterable[str], *, required: bool) -> str | None:
    value = params.get(name)
    if value is None:
        if required:
            raise ApiError(400, f"Parameter '{name}' not specified")
        return None
    if not isinstance(value, str) or value.upper() not in allowed:
        raise ApiError(400, f"Value for '{name}' not supported.")
    return value.upper()


def _choice(params: Mapping[str, Any], name: str, allowed: Iterable[str]) -> str | None:
    value = params.get(name)
    if value is not None and value not in allowed:
        raise ApiError(400, f"Value for '{name}' not supported.")
    return value


def _flag(params: Mapping[str, Any], name: str) -> bool:
    value = params.get(name, False)
    if not isinstance(value, (str, bool)) or value not in _FLAGS:
        raise ApiError(400, f"Value for '{name}' not supported.")
    return _FLAGS[value]


def _tag_list(value: Any) -> frozenset[str]:
    """Form bodies send ``a,b``; JSON sends ``["a", "b"]`` (a comma string is accepted too)."""
    items = value if isinstance(value, list) else [value or ""]
    return frozenset(tag.strip() for item in items for tag in str(item).split(",") if tag.strip())
