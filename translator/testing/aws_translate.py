"""Loopback emulator of Amazon Translate (AWS JSON 1.1 protocol), for the ``amazon-translate`` backend.

Why: the backend goes through boto3/botocore, which signs requests and speaks AWS's wire format;
only a real HTTP server shows that the whole chain works without the internet. Point a client at
it with ``endpoint_url=emu.url`` (or ``AWS_ENDPOINT_URL_TRANSLATE``). Request and response shapes
follow botocore's service model ``translate/2017-07-01``.

Behaviour worth knowing when writing backend tests:

* Every request is ``POST /`` with ``X-Amz-Target: AWSShineFrontendService_20170701.<Operation>``
  and must carry a SigV4 ``Authorization`` header scoped to service ``translate`` with a known
  access key (``access_keys``); otherwise 403 ``MissingAuthenticationTokenException`` /
  ``IncompleteSignatureException`` / ``InvalidSignatureException`` /
  ``UnrecognizedClientException``. ``signatures`` records the scope of each signed request.
* Operations: ``TranslateText``, ``ImportTerminology``, ``ListTerminologies``, ``GetTerminology``,
  ``ListLanguages``. ``TranslateText`` translates with the fake engine, keeps the content of
  elements marked ``translate="no"`` as it is, applies the named terminologies' terms to the
  output, and refuses texts over 10,000 bytes (``TextSizeLimitExceededException``).
* Faults: ``"429"`` answers what Translate sends when throttling, HTTP 400
  ``TooManyRequestsException`` (with the Retry-After header the fault asks for); ``"500"``
  ``InternalServerException``; ``"503"`` ``ServiceUnavailableException``; ``"quota"`` HTTP 400
  ``LimitExceededException``, Translate's answer when an account limit is reached; ``"auth"``
  403 ``UnrecognizedClientException``.
"""

from __future__ import annotations

import base64
import binascii
import csv
import io
import json
import re
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from translator.testing._aws import Signature, aws_error, aws_json, check_sigv4
from translator.testing.engine import FakeEngine, PhraseTable
from translator.testing.server import ApiError, LoopbackServer, Request, Response

__all__ = ["AmazonTranslateEmulator", "Terminology"]

JSON_TYPE = "application/x-amz-json-1.1"
TARGET_PREFIX = "AWSShineFrontendService_20170701."
NAMESPACE = "com.amazonaws.shine"
MAX_TEXT_BYTES = 10_000
ACCOUNT = "123456789012"

LANGUAGES = {
    "en": "English", "ja": "Japanese", "ko": "Korean", "zh": "Chinese (Simplified)",
    "zh-TW": "Chinese (Traditional)", "de": "German", "fr": "French", "fr-CA": "French (Canada)",
    "es": "Spanish", "es-MX": "Spanish (Mexico)", "it": "Italian", "pt": "Portuguese (Brazil)",
    "pt-PT": "Portuguese (Portugal)",
}
_STATUS_CODES = {
    400: "InvalidRequestException",
    403: "UnrecognizedClientException",
    404: "UnknownOperationException",
    429: "TooManyRequestsException",
    500: "InternalServerException",
    503: "ServiceUnavailableException",
}
_NO_TRANSLATE = re.compile(r"""<([A-Za-z][\w-]*)\b[^>]*?\btranslate\s*=\s*["']?no\b["']?[^>]*>""", re.IGNORECASE)


@dataclass
class Terminology:
    """One imported custom terminology: source term → {target language → rendering}."""

    name: str
    source_lang: str
    target_langs: tuple[str, ...]
    terms: dict[str, dict[str, str]]
    size: int
    created: float = field(default_factory=time.time)

    def words_for(self, target: str) -> dict[str, str]:
        return {source: by_lang[target] for source, by_lang in self.terms.items() if by_lang.get(target)}

    def properties(self) -> dict[str, Any]:
        return {
            "Name": self.name,
            "Arn": f"arn:aws:translate:us-east-1:{ACCOUNT}:terminology/{self.name}/LATEST",
            "SourceLanguageCode": self.source_lang,
            "TargetLanguageCodes": list(self.target_langs),
            "SizeBytes": self.size,
            "TermCount": len(self.terms),
            "CreatedAt": self.created,
            "LastUpdatedAt": self.created,
            "Directionality": "UNI",
            "Format": "CSV",
        }


class AmazonTranslateEmulator(LoopbackServer):
    """Amazon Translate on 127.0.0.1; ``url`` is the ``endpoint_url`` for boto3.

    :param phrase_table: exact-text answers, see :data:`~translator.testing.engine.PhraseTable`.
    :param word_table: whole-word substitutions used by the pseudo-translation.
    :param access_keys: access key ids whose signatures are accepted.
    """

    auth_error_message = "The security token included in the request is invalid."

    def __init__(
        self,
        phrase_table: PhraseTable | None = None,
        word_table: Mapping[str, str] | None = None,
        access_keys: Iterable[str] = ("AKIAEMULATOR0000TEST",),
    ) -> None:
        super().__init__()
        self.engine = FakeEngine(phrase_table, word_table)
        self.access_keys = frozenset(access_keys)
        self.terminologies: dict[str, Terminology] = {}
        self.imports = 0  # ImportTerminology calls that succeeded
        self.signatures: list[Signature] = []
        self._operations = {
            "TranslateText": self._translate_text,
            "ImportTerminology": self._import_terminology,
            "ListTerminologies": self._list_terminologies,
            "GetTerminology": self._get_terminology,
            "ListLanguages": self._list_languages,
        }

    def operations(self, name: str) -> list[Request]:
        """Recorded requests for one operation, e.g. ``"TranslateText"``."""
        return [r for r in self.requests if r.headers.get("x-amz-target") == TARGET_PREFIX + name]

    def reset_state(self) -> None:
        self.terminologies.clear()
        self.imports = 0
        self.signatures.clear()

    # -- LoopbackServer hooks --------------------------------------------------

    def error_response(self, status: int, message: str, **extra: str) -> Response:
        code = extra.get("code") or _STATUS_CODES.get(status, "InternalServerException")
        if code == "TooManyRequestsException":
            status = 400  # Translate throttles with a client error, not 429
        return aws_error(status, code, message, namespace=NAMESPACE, json_type=JSON_TYPE)

    def quota_response(self) -> Response:
        return aws_error(
            400, "LimitExceededException", "The specified limit has been exceeded.",
            namespace=NAMESPACE, json_type=JSON_TYPE,
        )

    def handle(self, request: Request) -> Response:
        self.signatures.append(check_sigv4(request, "translate", self.access_keys))
        target = request.headers.get("x-amz-target", "")
        operation = self._operations.get(target.removeprefix(TARGET_PREFIX)) if target.startswith(TARGET_PREFIX) else None
        if request.method != "POST" or request.path != "/" or operation is None:
            raise ApiError(400, f"Unknown operation {target!r}", code="UnknownOperationException")
        if request.content_type != JSON_TYPE:
            raise ApiError(400, f"Content-Type must be {JSON_TYPE}", code="SerializationException")
        try:
            params = json.loads(request.body or b"{}")
        except ValueError as exc:
            raise ApiError(400, "Start of structure or map found where not expected.", code="SerializationException") from exc
        if not isinstance(params, dict):
            raise ApiError(400, "Expected a JSON object", code="SerializationException")
        return operation(params)

    # -- operations ----------------------------------------------------------------

    def _translate_text(self, params: dict[str, Any]) -> Response:
        text = _required(params, "Text")
        source = _language(_required(params, "SourceLanguageCode"), allow_auto=True)
        target = _language(_required(params, "TargetLanguageCode"))
        if len(text.encode("utf-8")) > MAX_TEXT_BYTES:
            raise ApiError(
                400, f"Input text size exceeds limit. Max length of request text allowed is {MAX_TEXT_BYTES} bytes.",
                code="TextSizeLimitExceededException",
            )
        applied: list[dict[str, Any]] = []
        words: dict[str, str] = {}
        for name in params.get("TerminologyNames") or []:
            terminology = self.terminologies.get(name)
            if terminology is None:
                raise ApiError(400, f"The resource {name} does not exist.", code="ResourceNotFoundException")
            found = {s: t for s, t in terminology.words_for(target).items() if re.search(rf"\b{re.escape(s)}\b", text)}
            words.update(found)
            applied.append({"Name": name, "Terms": [{"SourceText": s, "TargetText": t} for s, t in found.items()]})
        translated = self._translate_keeping_no_translate(text, target, words)
        answer: dict[str, Any] = {
            "TranslatedText": translated,
            "SourceLanguageCode": "en" if source == "auto" else source,
            "TargetLanguageCode": target,
        }
        if applied:
            answer["AppliedTerminologies"] = applied
        if params.get("Settings"):
            answer["AppliedSettings"] = _settings(params["Settings"])
        return aws_json(200, answer, JSON_TYPE)

    def _translate_keeping_no_translate(self, text: str, target: str, words: Mapping[str, str]) -> str:
        held: list[str] = []
        pieces: list[str] = []
        pos = 0
        while (match := _NO_TRANSLATE.search(text, pos)) is not None:
            end = match.end() if match.group().endswith("/>") else _element_end(text, match)
            pieces.append(text[pos : match.start()])
            pieces.append(f'<translator-held n="{len(held)}"/>')
            held.append(text[match.start() : end])
            pos = end
        pieces.append(text[pos:])
        translated = self.engine.translate("".join(pieces), target, extra_words=words)
        for index, original in enumerate(held):
            translated = translated.replace(f'<translator-held n="{index}"/>', original)
        return translated

    def _import_terminology(self, params: dict[str, Any]) -> Response:
        name = _required(params, "Name")
        if not re.fullmatch(r"([A-Za-z0-9-]_?)+", name) or len(name) > 256:
            raise ApiError(400, f"Invalid terminology name {name!r}", code="InvalidParameterValueException")
        if _required(params, "MergeStrategy") != "OVERWRITE":
            raise ApiError(400, "MergeStrategy must be OVERWRITE", code="InvalidParameterValueException")
        data = params.get("TerminologyData")
        if not isinstance(data, dict) or data.get("Format") != "CSV":
            raise ApiError(400, "The emulator imports CSV terminologies only", code="InvalidParameterValueException")
        try:
            raw = base64.b64decode(_required(data, "File"), validate=True)
            rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
        except (binascii.Error, UnicodeDecodeError, csv.Error) as exc:
            raise ApiError(400, "The terminology file is not valid CSV", code="InvalidParameterValueException") from exc
        if len(rows) < 2 or len(rows[0]) < 2:
            raise ApiError(400, "A terminology needs a header row and at least one term", code="InvalidParameterValueException")
        header = [_language(code.strip()) for code in rows[0]]
        terms = {row[0]: dict(zip(header[1:], row[1:], strict=False)) for row in rows[1:] if row and row[0]}
        terminology = Terminology(name, header[0], tuple(header[1:]), terms, len(raw))
        self.terminologies[name] = terminology
        self.imports += 1
        return aws_json(200, {"TerminologyProperties": terminology.properties()}, JSON_TYPE)

    def _list_terminologies(self, params: dict[str, Any]) -> Response:
        names = sorted(self.terminologies)
        start = int(params.get("NextToken") or 0)
        size = int(params.get("MaxResults") or 100)
        page = names[start : start + size]
        answer: dict[str, Any] = {"TerminologyPropertiesList": [self.terminologies[n].properties() for n in page]}
        if start + size < len(names):
            answer["NextToken"] = str(start + size)
        return aws_json(200, answer, JSON_TYPE)

    def _get_terminology(self, params: dict[str, Any]) -> Response:
        name = _required(params, "Name")
        terminology = self.terminologies.get(name)
        if terminology is None:
            raise ApiError(400, f"The resource {name} does not exist.", code="ResourceNotFoundException")
        location = {"RepositoryType": "S3", "Location": f"https://translate-terminology.invalid/{name}.csv"}
        return aws_json(200, {"TerminologyProperties": terminology.properties(), "TerminologyDataLocation": location}, JSON_TYPE)

    def _list_languages(self, params: dict[str, Any]) -> Response:
        languages = [{"LanguageName": name, "LanguageCode": code} for code, name in LANGUAGES.items()]
        return aws_json(200, {"Languages": languages, "DisplayLanguageCode": "en"}, JSON_TYPE)


def _required(params: Mapping[str, Any], name: str) -> str:
    value = params.get(name)
    if not isinstance(value, str) or not value:
        raise ApiError(
            400, f"1 validation error detected: Value at '{name[0].lower() + name[1:]}' failed to satisfy constraint: "
            "Member must not be null", code="ValidationException",
        )
    return value


def _language(code: str, *, allow_auto: bool = False) -> str:
    if code == "auto" and allow_auto:
        return code
    if code not in LANGUAGES:
        raise ApiError(400, f"Unsupported language pair: {code}", code="UnsupportedLanguagePairException")
    return code


def _settings(settings: Mapping[str, Any]) -> dict[str, str]:
    allowed = {"Formality": ("FORMAL", "INFORMAL"), "Profanity": ("MASK",), "Brevity": ("ON",)}
    for key, value in settings.items():
        if key not in allowed or value not in allowed[key]:
            raise ApiError(400, f"Invalid value {value!r} for Settings.{key}", code="ValidationException")
    return dict(settings)


def _element_end(text: str, opening: re.Match[str]) -> int:
    """Where the element opened by ``opening`` ends (its closing tag included), nesting counted."""
    tag = re.compile(rf"<(/?){re.escape(opening.group(1))}\b[^>]*?(/?)>", re.IGNORECASE)
    depth = 1
    for match in tag.finditer(text, opening.end()):
        if match.group(1):
            depth -= 1
        elif not match.group(2):
            depth += 1
        if depth == 0:
            return match.end()
    return len(text)
