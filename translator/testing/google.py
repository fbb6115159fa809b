"""Loopback emulator of Google Cloud Translation (v3 Advanced, v2 Basic) and the bit of Cloud Storage
that v3 glossaries need.

Why: the ``google`` backend must be tested end to end over HTTP, glossary creation included,
which at Google spans two services (a CSV uploaded to Cloud Storage, then a long-running
``glossaries.create`` operation). One server answers both, so tests point the translation URL
and ``STORAGE_EMULATOR_HOST`` at the same ``emu.url``.

Behaviour worth knowing when writing backend tests:

* v3 (``/v3/projects/{p}/locations/{l}:translateText``, glossaries, operations,
  ``supportedLanguages``) and Cloud Storage uploads need ``Authorization: Bearer <token>`` from
  ``access_tokens`` (401 UNAUTHENTICATED otherwise) and the emulated ``project`` (403
  PERMISSION_DENIED otherwise). v2 (``/language/translate/v2``) takes an API key in the
  ``X-goog-api-key`` header or ``?key=`` (400 API_KEY_INVALID otherwise) or a bearer token.
  Recorded requests show ``Bearer ***`` and ``***`` for keys.
* Errors use Google's shape ``{"error": {"code", "message", "status", "details"}}``. The
  ``"quota"`` fault answers like an exhausted daily quota (429 RESOURCE_EXHAUSTED, "per day"),
  the ``"429"`` fault like a per-minute limit, ``"auth"`` 403 PERMISSION_DENIED.
* Texts go through :class:`~translator.testing.engine.FakeEngine`; with ``mimeType:
  text/html`` apostrophes come back as ``&#39;``, as Google returns them. With a glossary,
  ``glossaryTranslations`` apply its terms and ``translations`` do not, like the real service.
  Glossaries and ``glossaryConfig`` need a non-global location.
* ``glossaries.create`` reads the CSV previously uploaded to the emulated bucket; the operation
  reports ``done`` after ``polls_until_done`` polls. ``glossary_creations`` counts creations.
* v3 takes at most 1024 ``contents``, v2 at most 128 ``q`` (400 INVALID_ARGUMENT beyond).
"""

from __future__ import annotations

import csv
import dataclasses
import io
import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
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

__all__ = ["GoogleTranslateEmulator"]

V3_MAX_CONTENTS = 1024
V2_MAX_SEGMENTS = 128
LANGUAGES = ("en", "ja", "de", "es", "fr", "ko", "pt", "zh", "zh-TW", "it")
GLOBAL_LOCATION_MESSAGE = "Non-global location is required for requests using AutoML models or custom glossaries."

GLOSSARY_LOCATION_MESSAGE = "Glossaries are not supported in location global; use a region such as us-central1."

_STATUS_NAMES = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    405: "UNIMPLEMENTED",
    409: "ALREADY_EXISTS",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    503: "UNAVAILABLE",
}
_TAG = re.compile(r"(<[^>]*>)")
_LOCATION = r"/v3/projects/(?P<project>[^/]+)/locations/(?P<location>[^/:]+)"


@dataclass
class EmulatedGlossary:
    name: str
    source_lang: str
    target_lang: str
    input_uri: str
    entries: dict[str, str] = field(default_factory=dict)

    def json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "languagePair": {"sourceLanguageCode": self.source_lang, "targetLanguageCode": self.target_lang},
            "inputConfig": {"gcsSource": {"inputUri": self.input_uri}},
            "entryCount": len(self.entries),
        }


@dataclass
class _Operation:
    name: str
    glossary: EmulatedGlossary | None
    error: str | None = None
    polls: int = 0


class GoogleTranslateEmulator(LoopbackServer):
    """Cloud Translation v3/v2 (+ Cloud Storage uploads) on 127.0.0.1.

    :param phrase_table: exact-text answers, see :data:`~translator.testing.engine.PhraseTable`.
    :param word_table: whole-word substitutions used by the pseudo-translation.
    :param access_tokens: accepted OAuth access tokens (v3, Storage, and v2).
    :param api_keys: accepted API keys (v2 only).
    :param project: the project id v3 paths must name.
    :param buckets: Cloud Storage buckets that exist.
    :param polls_until_done: operation polls answered ``done: false`` before it is done.
    """

    auth_error_message = "The caller does not have permission"

    def __init__(
        self,
        phrase_table: PhraseTable | None = None,
        word_table: Mapping[str, str] | None = None,
        access_tokens: Iterable[str] = ("test-token",),
        api_keys: Iterable[str] = ("test-api-key",),
        *,
        project: str = "test-project",
        buckets: Iterable[str] = ("test-bucket",),
        polls_until_done: int = 1,
    ) -> None:
        super().__init__()
        self.engine = FakeEngine(phrase_table, word_table)
        self.access_tokens = frozenset(access_tokens)
        self.api_keys = frozenset(api_keys)
        self.project = project
        self.buckets = frozenset(buckets)
        self.polls_until_done = polls_until_done
        self.glossaries: dict[str, EmulatedGlossary] = {}
        self.objects: dict[str, bytes] = {}  # "gs://bucket/name" -> content
        self.operations: dict[str, _Operation] = {}
        self.glossary_creations = 0
        self.characters = 0  # characters translated (v2 + v3)
        self._v3_routes: list[Route] = [
            ("POST", re.compile(_LOCATION + r":translateText"), self._translate_v3),
            ("GET", re.compile(_LOCATION + r"/supportedLanguages"), self._supported_languages),
            ("POST", re.compile(_LOCATION + r"/glossaries"), self._create_glossary),
            ("GET", re.compile(_LOCATION + r"/glossaries/(?P<glossary_id>[^/]+)"), self._get_glossary),
            ("GET", re.compile(_LOCATION + r"/operations/(?P<operation_id>[^/]+)"), self._get_operation),
            ("POST", re.compile(r"/upload/storage/v1/b/(?P<bucket>[^/]+)/o"), self._upload),
        ]
        self._v2_routes: list[Route] = [
            ("POST", re.compile(r"/language/translate/v2"), self._translate_v2),
            ("GET", re.compile(r"/language/translate/v2/languages"), self._languages_v2),
        ]

    def reset_state(self) -> None:
        """Forget glossaries, uploaded objects, operations and counted characters."""
        self.glossaries.clear()
        self.objects.clear()
        self.operations.clear()
        self.glossary_creations = 0
        self.characters = 0

    # -- LoopbackServer hooks --------------------------------------------------

    def error_response(self, status: int, message: str, **extra: str) -> Response:
        error: dict[str, Any] = {"code": status, "message": message, "status": _STATUS_NAMES.get(status, "UNKNOWN")}
        if "reason" in extra:
            error["details"] = [
                {
                    "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                    "reason": extra["reason"],
                    "domain": "googleapis.com",
                    "metadata": {"service": "translate.googleapis.com"},
                }
            ]
        elif status == 429:
            error["details"] = [
                {
                    "@type": "type.googleapis.com/google.rpc.ErrorInfo",
                    "reason": "RATE_LIMIT_EXCEEDED",
                    "domain": "googleapis.com",
                }
            ]
        return json_response(status, {"error": error})

    def quota_response(self) -> Response:
        return self.error_response(
            429,
            "Quota exceeded for quota metric 'v3 general model characters' and limit "
            f"'v3 general model characters per day' of service 'translate.googleapis.com' for consumer "
            f"'project:{self.project}'.",
            reason="RATE_LIMIT_EXCEEDED",
        )

    def redact(self, request: Request) -> Request:
        record = super().redact(request)
        headers = dict(record.headers)
        if "x-goog-api-key" in headers:
            headers["x-goog-api-key"] = "***"
        query = {k: (["***"] if k == "key" else v) for k, v in record.query.items()}
        return dataclasses.replace(record, headers=headers, query=query)

    def handle(self, request: Request) -> Response:
        if request.path.startswith("/language/translate/v2"):
            if not (self._bearer_ok(request) or self._api_key_ok(request)):
                raise ApiError(400, "API key not valid. Please pass a valid API key.", reason="API_KEY_INVALID")
            return self.dispatch(request, self._v2_routes)
        if not self._bearer_ok(request):
            raise ApiError(
                401,
                "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie "
                "or other valid authentication credential.",
                reason="ACCESS_TOKEN_TYPE_UNSUPPORTED",
            )
        return self.dispatch(request, self._v3_routes)

    # -- v3 ----------------------------------------------------------------------

    def _translate_v3(self, request: Request, project: str, location: str) -> Response:
        self._check_project(project)
        body = _json_body(request)
        contents = body.get("contents")
        if not isinstance(contents, list) or not contents or not all(isinstance(c, str) for c in contents):
            raise ApiError(400, "Empty or invalid contents.")
        if len(contents) > V3_MAX_CONTENTS:
            raise ApiError(400, f"Number of contents exceeds the limit of {V3_MAX_CONTENTS}.")
        target = _language(body.get("targetLanguageCode"), "target_language_code")
        source = body.get("sourceLanguageCode")
        mime_type = body.get("mimeType", "text/html")
        if mime_type not in ("text/html", "text/plain"):
            raise ApiError(400, f"Unsupported mime type: {mime_type}.")
        glossary = None
        config = body.get("glossaryConfig")
        if config is not None:
            if location == "global":
                raise ApiError(400, GLOBAL_LOCATION_MESSAGE)
            glossary = self._glossary_for(config, source, target)
        self.characters += sum(len(text) for text in contents)
        plain = [self._engine(text, target, mime_type) for text in contents]
        answer: dict[str, Any] = {"translations": [{"translatedText": t} for t in plain]}
        if glossary is not None:
            answer["glossaryTranslations"] = [
                {"translatedText": self._engine(text, target, mime_type, glossary.entries), "glossaryConfig": config}
                for text in contents
            ]
        return json_response(200, answer)

    def _supported_languages(self, request: Request, project: str, location: str) -> Response:
        self._check_project(project)
        return json_response(
            200,
            {"languages": [{"languageCode": code, "supportSource": True, "supportTarget": True} for code in LANGUAGES]},
        )

    def _create_glossary(self, request: Request, project: str, location: str) -> Response:
        self._check_project(project)
        if location == "global":
            raise ApiError(400, GLOSSARY_LOCATION_MESSAGE)
        body = _json_body(request)
        name = body.get("name")
        parent = f"projects/{project}/locations/{location}"
        if not isinstance(name, str) or not name.startswith(parent + "/glossaries/"):
            raise ApiError(400, "Glossary name must be under the parent resource.")
        if name in self.glossaries:
            raise ApiError(409, f"Glossary {name} already exists.")
        pair = body.get("languagePair") or {}
        source = _language(pair.get("sourceLanguageCode"), "language_pair.source_language_code")
        target = _language(pair.get("targetLanguageCode"), "language_pair.target_language_code")
        uri = ((body.get("inputConfig") or {}).get("gcsSource") or {}).get("inputUri")
        if not isinstance(uri, str) or not uri.startswith("gs://"):
            raise ApiError(400, "input_config.gcs_source.input_uri is required.")
        glossary = EmulatedGlossary(name, source, target, uri)
        error = None
        if uri not in self.objects:
            error = f"Glossary source file {uri} not found."
        else:
            glossary.entries = _parse_csv(self.objects[uri])
        operation = _Operation(f"{parent}/operations/{uuid.uuid4().hex}", glossary, error)
        self.operations[operation.name] = operation
        return json_response(200, self._operation_json(operation))

    def _get_glossary(self, request: Request, project: str, location: str, glossary_id: str) -> Response:
        self._check_project(project)
        name = f"projects/{project}/locations/{location}/glossaries/{glossary_id}"
        if name not in self.glossaries:
            raise ApiError(404, f"Glossary not found: {name}")
        return json_response(200, self.glossaries[name].json())

    def _get_operation(self, request: Request, project: str, location: str, operation_id: str) -> Response:
        self._check_project(project)
        name = f"projects/{project}/locations/{location}/operations/{operation_id}"
        operation = self.operations.get(name)
        if operation is None:
            raise ApiError(404, f"Operation not found: {name}")
        operation.polls += 1
        return json_response(200, self._operation_json(operation))

    def _operation_json(self, operation: _Operation) -> dict[str, Any]:
        glossary = operation.glossary
        assert glossary is not None
        done = operation.polls > self.polls_until_done
        data: dict[str, Any] = {
            "name": operation.name,
            "metadata": {
                "@type": "type.googleapis.com/google.cloud.translation.v3.CreateGlossaryMetadata",
                "name": glossary.name,
                "state": ("FAILED" if operation.error else "SUCCEEDED") if done else "RUNNING",
            },
            "done": done,
        }
        if done and operation.error:
            data["error"] = {"code": 3, "message": operation.error}
        elif done:
            if glossary.name not in self.glossaries:
                self.glossaries[glossary.name] = glossary
                self.glossary_creations += 1
            data["response"] = {"@type": "type.googleapis.com/google.cloud.translation.v3.Glossary", **glossary.json()}
        return data

    def _glossary_for(self, config: Any, source: Any, target: str) -> EmulatedGlossary:
        name = config.get("glossary") if isinstance(config, dict) else None
        glossary = self.glossaries.get(name) if isinstance(name, str) else None
        if glossary is None:
            raise ApiError(404, f"Glossary not found: {name}")
        if source != glossary.source_lang or target != glossary.target_lang:
            raise ApiError(400, "The language pair of the glossary does not match the request.")
        return glossary

    # -- Cloud Storage -------------------------------------------------------------

    def _upload(self, request: Request, bucket: str) -> Response:
        if request.query.get("uploadType") != ["media"]:
            raise ApiError(400, "Upload requests must include an uploadType URL parameter.")
        name = (request.query.get("name") or [""])[0]
        if not name:
            raise ApiError(400, "Required parameter: name")
        if bucket not in self.buckets:
            raise ApiError(404, "The specified bucket does not exist.")
        self.objects[f"gs://{bucket}/{name}"] = request.body
        return json_response(
            200,
            {
                "kind": "storage#object",
                "bucket": bucket,
                "name": name,
                "size": str(len(request.body)),
                "contentType": request.headers.get("content-type", "application/octet-stream"),
            },
        )

    # -- v2 ----------------------------------------------------------------------

    def _translate_v2(self, request: Request) -> Response:
        body = _json_body(request)
        texts = body.get("q")
        texts = [texts] if isinstance(texts, str) else texts
        if not isinstance(texts, list) or not texts or not all(isinstance(t, str) for t in texts):
            raise ApiError(400, "Required Text")
        if len(texts) > V2_MAX_SEGMENTS:
            raise ApiError(400, f"Too many text segments (maximum {V2_MAX_SEGMENTS}).")
        target = _language(body.get("target"), "target")
        mime_type = "text/plain" if body.get("format") == "text" else "text/html"
        self.characters += sum(len(text) for text in texts)
        translations = []
        for text in texts:
            item = {"translatedText": self._engine(text, target, mime_type)}
            if not body.get("source"):
                item["detectedSourceLanguage"] = "en"
            translations.append(item)
        return json_response(200, {"data": {"translations": translations}})

    def _languages_v2(self, request: Request) -> Response:
        return json_response(200, {"data": {"languages": [{"language": code} for code in LANGUAGES]}})

    # -- helpers -------------------------------------------------------------------

    def _engine(self, text: str, target: str, mime_type: str, terms: Mapping[str, str] | None = None) -> str:
        translated = self.engine.translate(text, target, extra_words=terms)
        if mime_type != "text/html":
            return translated
        return "".join(part if part.startswith("<") else part.replace("'", "&#39;") for part in _TAG.split(translated))

    def _bearer_ok(self, request: Request) -> bool:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        return scheme == "Bearer" and token.strip() in self.access_tokens

    def _api_key_ok(self, request: Request) -> bool:
        key = request.headers.get("x-goog-api-key") or (request.query.get("key") or [""])[0]
        return key in self.api_keys

    def _check_project(self, project: str) -> None:
        if project != self.project:
            raise ApiError(
                403,
                f"Permission 'cloudtranslate.generalModels.predict' denied on resource "
                f"'projects/{project}' (or it may not exist).",
                reason="IAM_PERMISSION_DENIED",
            )


def _json_body(request: Request) -> dict[str, Any]:
    if not isinstance(request.json, dict):
        raise ApiError(400, "Invalid JSON payload received.")
    return request.json


def _language(value: Any, field_name: str) -> str:
    if not isinstance(value, str) or not value:
        raise ApiError(400, f"Missing required field {field_name}.")
    if value not in LANGUAGES and value.split("-")[0] not in LANGUAGES:
        raise ApiError(400, f"Target language is invalid: {value}.")
    return value


def _parse_csv(content: bytes) -> dict[str, str]:
    rows = csv.reader(io.StringIO(content.decode("utf-8")))
    return {row[0]: row[1] for row in rows if len(row) >= 2 and row[0] and row[1]}
