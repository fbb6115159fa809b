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
* Batch: ``StartTextTranslationJob`` and ``DescribeTextTranslationJob``. A job needs the emulator
  started with ``s3_endpoint`` (an S3 server such as :class:`~translator.testing.s3.S3Server`):
  it reads every object under its input prefix, translates each block element (``p``, ``div``,
  ``li``, headings, cells) of an HTML document as ``TranslateText`` would translate its content
  (or a plain-text document line by line), and writes ``<target>.<name>`` under
  ``<output>/<account>-TranslateText-<job id>/``, as the service names its output. A repeated
  ``ClientToken`` returns the job already submitted. ``hold_jobs()`` keeps jobs ``SUBMITTED``
  until ``release_jobs()``; ``fail_jobs(message)`` makes them end ``FAILED``.
  ``CreateParallelData`` reads a TSV or CSV file from S3 (first row: language codes), is
  ``CREATING`` until the first ``GetParallelData``, then ``ACTIVE``; a job naming it answers a
  block that equals one of its sources with that pair's target.
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
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from translator.testing._aws import Signature, aws_error, aws_json, check_sigv4
from translator.testing._batch import EmulatedJob, JobRunner
from translator.testing.engine import FakeEngine, PhraseTable
from translator.testing.s3 import list_keys, s3_client, split_s3_uri
from translator.testing.server import ApiError, LoopbackServer, Request, Response

__all__ = ["AmazonTranslateEmulator", "Terminology"]

JSON_TYPE = "application/x-amz-json-1.1"
TARGET_PREFIX = "AWSShineFrontendService_20170701."
NAMESPACE = "com.amazonaws.shine"
MAX_TEXT_BYTES = 10_000
ACCOUNT = "123456789012"

LANGUAGES = {
    "en": "English",
    "ja": "Japanese",
    "ko": "Korean",
    "zh": "Chinese (Simplified)",
    "zh-TW": "Chinese (Traditional)",
    "de": "German",
    "fr": "French",
    "fr-CA": "French (Canada)",
    "es": "Spanish",
    "es-MX": "Spanish (Mexico)",
    "it": "Italian",
    "pt": "Portuguese (Brazil)",
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
_BLOCK = re.compile(r"(<(p|div|li|h[1-6]|td|th|title)\b[^>]*>)(.*?)(</\2\s*>)", re.IGNORECASE | re.DOTALL)
_ROLE_ARN = re.compile(r"arn:aws(-[^:]+)?:iam::[0-9]{12}:role/.+")
_CONTENT_TYPES = ("text/html", "text/plain")
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
        *,
        s3_endpoint: str | None = None,
    ) -> None:
        super().__init__()
        self.engine = FakeEngine(phrase_table, word_table)
        self.access_keys = frozenset(access_keys)
        self.jobs = JobRunner(s3_endpoint, next(iter(self.access_keys), ""), running="IN_PROGRESS")
        self.s3_endpoint = s3_endpoint
        self._job_failure: str | None = None
        self.parallel_data: dict[str, dict[str, Any]] = {}  # name → properties and the pairs read from S3
        self.terminologies: dict[str, Terminology] = {}
        self.imports = 0  # ImportTerminology calls that succeeded
        self.signatures: list[Signature] = []
        self._operations = {
            "TranslateText": self._translate_text,
            "ImportTerminology": self._import_terminology,
            "ListTerminologies": self._list_terminologies,
            "GetTerminology": self._get_terminology,
            "ListLanguages": self._list_languages,
            "StartTextTranslationJob": self._start_job,
            "DescribeTextTranslationJob": self._describe_job,
            "CreateParallelData": self._create_parallel_data,
            "GetParallelData": self._get_parallel_data,
        }

    def operations(self, name: str) -> list[Request]:
        """Recorded requests for one operation, e.g. ``"TranslateText"``."""
        return [r for r in self.requests if r.headers.get("x-amz-target") == TARGET_PREFIX + name]

    def hold_jobs(self) -> None:
        """Keep submitted jobs waiting (``SUBMITTED``) until ``release_jobs()``."""
        self.jobs.hold()

    def release_jobs(self) -> None:
        self.jobs.release()

    def fail_jobs(self, message: str | None) -> None:
        """Make the next jobs end ``FAILED`` with ``message`` (``None``: succeed again)."""
        self._job_failure = message

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
            400,
            "LimitExceededException",
            "The specified limit has been exceeded.",
            namespace=NAMESPACE,
            json_type=JSON_TYPE,
        )

    def handle(self, request: Request) -> Response:
        self.signatures.append(check_sigv4(request, "translate", self.access_keys))
        target = request.headers.get("x-amz-target", "")
        operation = (
            self._operations.get(target.removeprefix(TARGET_PREFIX)) if target.startswith(TARGET_PREFIX) else None
        )
        if request.method != "POST" or request.path != "/" or operation is None:
            raise ApiError(400, f"Unknown operation {target!r}", code="UnknownOperationException")
        if request.content_type != JSON_TYPE:
            raise ApiError(400, f"Content-Type must be {JSON_TYPE}", code="SerializationException")
        try:
            params = json.loads(request.body or b"{}")
        except ValueError as exc:
            raise ApiError(
                400, "Start of structure or map found where not expected.", code="SerializationException"
            ) from exc
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
                400,
                f"Input text size exceeds limit. Max length of request text allowed is {MAX_TEXT_BYTES} bytes.",
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
            raise ApiError(
                400, "A terminology needs a header row and at least one term", code="InvalidParameterValueException"
            )
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
        return aws_json(
            200, {"TerminologyProperties": terminology.properties(), "TerminologyDataLocation": location}, JSON_TYPE
        )

    def _list_languages(self, params: dict[str, Any]) -> Response:
        languages = [{"LanguageName": name, "LanguageCode": code} for code, name in LANGUAGES.items()]
        return aws_json(200, {"Languages": languages, "DisplayLanguageCode": "en"}, JSON_TYPE)

    # -- batch jobs --------------------------------------------------------------------

    def _start_job(self, params: dict[str, Any]) -> Response:
        token = _required(params, "ClientToken")
        if not re.fullmatch(r"[a-zA-Z0-9-]{1,64}", token):
            raise ApiError(400, "Value at 'clientToken' failed to satisfy constraint", code="ValidationException")
        _language(_required(params, "SourceLanguageCode"), allow_auto=True)
        targets = params.get("TargetLanguageCodes")
        if not isinstance(targets, list) or not targets:
            raise ApiError(
                400, "Value at 'targetLanguageCodes' failed to satisfy constraint", code="ValidationException"
            )
        for target in targets:
            _language(target)
        role = _required(params, "DataAccessRoleArn")
        if not _ROLE_ARN.fullmatch(role):
            raise ApiError(400, f"Invalid DataAccessRoleArn {role!r}", code="InvalidParameterValueException")
        input_config, output_config = params.get("InputDataConfig"), params.get("OutputDataConfig")
        if not isinstance(input_config, dict) or not isinstance(output_config, dict):
            raise ApiError(400, "InputDataConfig and OutputDataConfig are required", code="ValidationException")
        if input_config.get("ContentType") not in _CONTENT_TYPES:
            raise ApiError(
                400, f"The emulator reads {', '.join(_CONTENT_TYPES)} documents", code="InvalidRequestException"
            )
        for uri in (_required(input_config, "S3Uri"), _required(output_config, "S3Uri")):
            if not uri.startswith("s3://"):
                raise ApiError(400, f"Invalid S3 URI {uri!r}", code="InvalidRequestException")
        for name in params.get("TerminologyNames") or []:
            if name not in self.terminologies:
                raise ApiError(400, f"The resource {name} does not exist.", code="ResourceNotFoundException")
        for name in params.get("ParallelDataNames") or []:
            if self.parallel_data.get(name, {}).get("properties", {}).get("Status") != "ACTIVE":
                raise ApiError(
                    400, f"The parallel data {name} does not exist or is not ACTIVE.", code="ResourceNotFoundException"
                )
        if params.get("Settings"):
            _settings(params["Settings"])
        if self.s3_endpoint is None:
            raise ApiError(500, "the emulator was started without an S3 endpoint", code="InternalServerException")
        job = EmulatedJob(job_id=uuid.uuid4().hex, params=params, status="SUBMITTED")
        job = self.jobs.submit(job, token, self._run_job, done="COMPLETED", failed="FAILED")
        return aws_json(200, {"JobId": job.job_id, "JobStatus": job.status}, JSON_TYPE)

    def _describe_job(self, params: dict[str, Any]) -> Response:
        job = self.jobs.jobs.get(_required(params, "JobId"))
        if job is None:
            raise ApiError(400, "The resource does not exist.", code="ResourceNotFoundException")
        p = job.params
        properties: dict[str, Any] = {
            "JobId": job.job_id,
            "JobStatus": job.status,
            "JobDetails": {
                "TranslatedDocumentsCount": job.counts.get("translated", 0),
                "DocumentsWithErrorsCount": job.counts.get("errors", 0),
                "InputDocumentsCount": job.counts.get("input", 0),
            },
            "SourceLanguageCode": p["SourceLanguageCode"],
            "TargetLanguageCodes": p["TargetLanguageCodes"],
            "TerminologyNames": p.get("TerminologyNames") or [],
            "ParallelDataNames": p.get("ParallelDataNames") or [],
            "SubmittedTime": job.submitted,
            "InputDataConfig": p["InputDataConfig"],
            "OutputDataConfig": p["OutputDataConfig"],
            "DataAccessRoleArn": p["DataAccessRoleArn"],
        }
        if p.get("JobName"):
            properties["JobName"] = p["JobName"]
        if p.get("Settings"):
            properties["Settings"] = p["Settings"]
        if job.message:
            properties["Message"] = job.message
        if job.ended is not None:
            properties["EndTime"] = job.ended
        return aws_json(200, {"TextTranslationJobProperties": properties}, JSON_TYPE)

    def _run_job(self, job: EmulatedJob, s3: Any) -> str | None:
        """The service's part: read the input objects, translate, write the output objects."""
        if self._job_failure:
            raise RuntimeError(self._job_failure)
        p = job.params
        in_bucket, in_prefix = split_s3_uri(p["InputDataConfig"]["S3Uri"])
        out_bucket, out_prefix = split_s3_uri(p["OutputDataConfig"]["S3Uri"])
        out_prefix = f"{out_prefix}{ACCOUNT}-TranslateText-{job.job_id}/"
        html = p["InputDataConfig"]["ContentType"] == "text/html"
        keys = [k for k in list_keys(s3, in_bucket, in_prefix) if not k.endswith("/")]
        job.counts["characters"] = 0
        job.counts["input"] = len(keys)
        for key in keys:
            body = s3.get_object(Bucket=in_bucket, Key=key)["Body"].read().decode("utf-8")
            blocks = [m[3] for m in _BLOCK.finditer(body)] if html else [body]
            job.counts["characters"] += sum(len(block) for block in blocks)
            name = key[len(in_prefix) :].replace("/", "_") if key.startswith(in_prefix) else key.rsplit("/", 1)[-1]
            for target in p["TargetLanguageCodes"]:
                words = self._terminology_words(p.get("TerminologyNames") or [], target)
                known: dict[str, str] = {}
                for name in p.get("ParallelDataNames") or []:
                    if name in self.parallel_data and self.parallel_data[name]["target"] == target:
                        known.update(self.parallel_data[name]["pairs"])

                def block(
                    match: re.Match[str],
                    target: str = target,
                    words: dict[str, str] = words,
                    known: dict[str, str] = known,
                ) -> str:
                    inner = known.get(match[3]) or self._block(match[3], target, words)
                    return match[1] + inner + match[4]

                translated = (
                    _BLOCK.sub(block, body)
                    if html
                    else "\n".join(
                        self._block(line, target, words) if line.strip() else line for line in body.split("\n")
                    )
                )
                s3.put_object(Bucket=out_bucket, Key=f"{out_prefix}{target}.{name}", Body=translated.encode("utf-8"))
            job.counts["translated"] = job.counts.get("translated", 0) + 1
        return None

    def _create_parallel_data(self, params: dict[str, Any]) -> Response:
        name = _required(params, "Name")
        _required(params, "ClientToken")
        if not re.fullmatch(r"([A-Za-z0-9-]_?)+", name) or len(name) > 256:
            raise ApiError(400, f"Invalid parallel data name {name!r}", code="InvalidParameterValueException")
        if name in self.parallel_data:
            raise ApiError(400, f"Parallel data {name} already exists.", code="ConflictException")
        config = params.get("ParallelDataConfig")
        if not isinstance(config, dict) or config.get("Format") not in ("TSV", "CSV"):
            raise ApiError(400, "The emulator imports TSV or CSV parallel data", code="InvalidParameterValueException")
        if self.s3_endpoint is None:
            raise ApiError(500, "the emulator was started without an S3 endpoint", code="InternalServerException")
        bucket, key = split_s3_uri(_required(config, "S3Uri"))
        raw = (
            s3_client(self.s3_endpoint, next(iter(self.access_keys))).get_object(Bucket=bucket, Key=key)["Body"].read()
        )
        delimiter = "\t" if config["Format"] == "TSV" else ","
        rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=delimiter, quoting=csv.QUOTE_NONE))
        if len(rows) < 2 or len(rows[0]) != 2:
            raise ApiError(
                400, "Parallel data needs a header of two language codes and pairs", code="InvalidRequestException"
            )
        source, target = (_language(code.strip()) for code in rows[0])
        pairs = {row[0]: row[1] for row in rows[1:] if len(row) == 2}
        now = time.time()
        self.parallel_data[name] = {
            "pairs": pairs,
            "target": target,
            "properties": {
                "Name": name,
                "Arn": f"arn:aws:translate:us-east-1:{ACCOUNT}:parallel-data/{name}",
                "Status": "CREATING",
                "SourceLanguageCode": source,
                "TargetLanguageCodes": [target],
                "ParallelDataConfig": config,
                "ImportedDataSize": len(raw),
                "ImportedRecordCount": len(pairs),
                "FailedRecordCount": 0,
                "SkippedRecordCount": 0,
                "CreatedAt": now,
                "LastUpdatedAt": now,
            },
        }
        return aws_json(200, {"Name": name, "Status": "CREATING"}, JSON_TYPE)

    def _get_parallel_data(self, params: dict[str, Any]) -> Response:
        name = _required(params, "Name")
        found = self.parallel_data.get(name)
        if found is None:
            raise ApiError(400, f"The resource {name} does not exist.", code="ResourceNotFoundException")
        properties = dict(found["properties"])
        found["properties"]["Status"] = "ACTIVE"  # created by the time anyone looks again
        location = {"RepositoryType": "S3", "Location": f"https://translate-parallel-data.invalid/{name}"}
        return aws_json(200, {"ParallelDataProperties": properties, "DataLocation": location}, JSON_TYPE)

    def _terminology_words(self, names: list[str], target: str) -> dict[str, str]:
        words: dict[str, str] = {}
        for name in names:
            terminology = self.terminologies.get(name)
            if terminology is not None:
                words.update(terminology.words_for(target))
        return words

    def _block(self, text: str, target: str, words: Mapping[str, str]) -> str:
        """One block as ``TranslateText`` translates the same text (terms applied where they occur)."""
        found = {s: t for s, t in words.items() if re.search(rf"\b{re.escape(s)}\b", text)}
        return self._translate_keeping_no_translate(text, target, found)


def _required(params: Mapping[str, Any], name: str) -> str:
    value = params.get(name)
    if not isinstance(value, str) or not value:
        raise ApiError(
            400,
            f"1 validation error detected: Value at '{name[0].lower() + name[1:]}' failed to satisfy constraint: "
            "Member must not be null",
            code="ValidationException",
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
