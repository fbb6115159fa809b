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
* Batch inference (the control plane's ``CreateModelInvocationJob``, ``POST /model-invocation-job``,
  and ``GetModelInvocationJob``, ``GET /model-invocation-job/{jobIdentifier}``, signed for
  ``bedrock`` too; point ``AWS_ENDPOINT_URL_BEDROCK`` here). A job needs the emulator started with
  ``s3_endpoint``: it reads the JSONL records at its input location (a file or every ``.jsonl``
  under a prefix), answers each record's ``modelInput`` (Anthropic Messages or Converse-style
  bodies) as ``converse`` answers the same system prompt and user message, and writes
  ``<name>.out`` records (``recordId``, ``modelInput``, ``modelOutput``) and ``manifest.json.out``
  under ``<output>/<job id>/``. A repeated ``clientRequestToken`` returns the same job;
  ``hold_jobs()``/``release_jobs()`` and ``fail_jobs(message)`` as in the Translate emulator;
  ``batch_prompts`` holds the system prompts of batch records.
* Faults: ``"429"`` ``ThrottlingException``; ``"500"`` ``InternalServerException``; ``"503"``
  ``ServiceUnavailableException``; ``"quota"`` 400 ``ServiceQuotaExceededException``; ``"auth"``
  403 ``AccessDeniedException``.
"""

from __future__ import annotations

import json
import re
import urllib.parse
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from translator.testing._aws import Signature, aws_error, aws_json, check_sigv4
from translator.testing._batch import EmulatedJob, JobRunner
from translator.testing.engine import FakeEngine, PhraseTable
from translator.testing.llm_judge import JudgeAnswers
from translator.testing.s3 import list_keys, split_s3_uri
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
_JOBS = "/model-invocation-job"
_JOB = re.compile(r"/model-invocation-job/(?P<job>.+)")
_ROLE_ARN = re.compile(r"arn:aws(-[^:]+)?:iam::([0-9]{12})?:role/.+")
_JOB_NAME = re.compile(r"[a-zA-Z0-9]{1,63}(-*[a-zA-Z0-9\+\-\.]){0,63}")
ACCOUNT = "123456789012"


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
        s3_endpoint: str | None = None,
    ) -> None:
        super().__init__()
        self.jobs = JobRunner(s3_endpoint, next(iter(frozenset(access_keys)), ""), running="InProgress")
        self.s3_endpoint = s3_endpoint
        self.batch_prompts: list[str] = []
        self._job_failure: str | None = None
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

    def hold_jobs(self) -> None:
        self.jobs.hold()

    def release_jobs(self) -> None:
        self.jobs.release()

    def fail_jobs(self, message: str | None) -> None:
        self._job_failure = message

    def job_requests(self, method: str = "POST") -> list[Request]:
        """Recorded batch-inference requests: ``POST`` creates, ``GET`` status checks."""
        return [r for r in self.requests if r.path.startswith(_JOBS) and r.method == method]

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
        if request.path == _JOBS and request.method == "POST":
            return self._create_job(request)
        if (job := _JOB.fullmatch(request.path)) is not None and request.method == "GET":
            return self._get_job(urllib.parse.unquote(job["job"]))
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
        judging = _is_judge_request(user)
        content = self._answer(user)
        if self._misbehave > 0 and not judging:
            self._misbehave -= 1
            content = json.dumps({"translations": json.loads(content)["translations"][:-1]}, ensure_ascii=False)
        self.model_ids.append(model)
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

    def _answer(self, user: str) -> str:
        """The assistant's text for the translator's JSON user message: translations, or the
        quality judge's error spans (``judge``)."""
        try:
            payload: Any = json.loads(user)
            if JudgeAnswers.is_judge_request(payload):
                return self.judge.answer(payload)
            texts, target = payload["texts"], payload["target_lang"]
        except (ValueError, KeyError, TypeError) as exc:
            raise ApiError(
                400, "the emulator understands only the translator's JSON requests", code="ValidationException"
            ) from exc
        translations = [self.engine.translate(t, target, ignore_tags=("x",)) for t in texts]
        return json.dumps({"translations": translations}, ensure_ascii=False)

    # -- batch inference ---------------------------------------------------------------

    def _create_job(self, request: Request) -> Response:
        body = request.json
        if not isinstance(body, dict):
            raise ApiError(400, "Expected a JSON object", code="ValidationException")
        for name in ("jobName", "roleArn", "modelId", "inputDataConfig", "outputDataConfig"):
            if not body.get(name):
                raise ApiError(
                    400,
                    f"1 validation error detected: Value at '{name}' failed to satisfy constraint: "
                    "Member must not be null",
                    code="ValidationException",
                )
        if not _JOB_NAME.fullmatch(body["jobName"]):
            raise ApiError(400, f"Invalid jobName {body['jobName']!r}", code="ValidationException")
        if not _ROLE_ARN.fullmatch(body["roleArn"]):
            raise ApiError(400, f"Invalid roleArn {body['roleArn']!r}", code="ValidationException")
        if self.models is not None and body["modelId"] not in self.models:
            raise ApiError(400, "The provided model identifier is invalid.", code="ValidationException")
        source = (body["inputDataConfig"] or {}).get("s3InputDataConfig") or {}
        target = (body["outputDataConfig"] or {}).get("s3OutputDataConfig") or {}
        if not str(source.get("s3Uri", "")).startswith("s3://") or not str(target.get("s3Uri", "")).startswith("s3://"):
            raise ApiError(400, "inputDataConfig and outputDataConfig need S3 URIs", code="ValidationException")
        if source.get("s3InputFormat", "JSONL") != "JSONL":
            raise ApiError(400, "s3InputFormat must be JSONL", code="ValidationException")
        if self.s3_endpoint is None:
            raise ApiError(500, "the emulator was started without an S3 endpoint", code="InternalServerException")
        job_id = uuid.uuid4().hex[:12]
        job = EmulatedJob(job_id, body, status="Submitted")
        job = self.jobs.submit(job, body.get("clientRequestToken"), self._run_job, done="Completed", failed="Failed")
        return aws_json(200, {"jobArn": _arn(job.job_id)}, JSON_TYPE)

    def _get_job(self, identifier: str) -> Response:
        job = self.jobs.jobs.get(identifier.rsplit("/", 1)[-1])
        if job is None:
            raise ApiError(404, "The specified resource could not be found.", code="ResourceNotFoundException")
        p = job.params
        answer: dict[str, Any] = {
            "jobArn": _arn(job.job_id),
            "jobName": p["jobName"],
            "modelId": p["modelId"],
            "roleArn": p["roleArn"],
            "status": job.status,
            "submitTime": _timestamp(job.submitted),
            "inputDataConfig": p["inputDataConfig"],
            "outputDataConfig": p["outputDataConfig"],
        }
        if p.get("clientRequestToken"):
            answer["clientRequestToken"] = p["clientRequestToken"]
        if job.message:
            answer["message"] = job.message
        if job.ended is not None:
            answer["endTime"] = _timestamp(job.ended)
            answer["totalRecordCount"] = job.counts.get("total", 0)
            answer["processedRecordCount"] = job.counts.get("total", 0)
            answer["successRecordCount"] = job.counts.get("total", 0) - job.counts.get("errors", 0)
            answer["errorRecordCount"] = job.counts.get("errors", 0)
        return aws_json(200, answer, JSON_TYPE)

    def _run_job(self, job: EmulatedJob, s3: Any) -> str | None:
        """The service's part: read the JSONL records, answer each, write ``.out`` records."""
        if self._job_failure:
            raise RuntimeError(self._job_failure)
        in_bucket, in_key = split_s3_uri(job.params["inputDataConfig"]["s3InputDataConfig"]["s3Uri"])
        out_bucket, out_prefix = split_s3_uri(job.params["outputDataConfig"]["s3OutputDataConfig"]["s3Uri"])
        out_prefix = f"{out_prefix.rstrip('/')}/{job.job_id}/" if out_prefix else f"{job.job_id}/"
        keys = (
            [in_key]
            if in_key.endswith(".jsonl")
            else [k for k in list_keys(s3, in_bucket, in_key) if k.endswith(".jsonl")]
        )
        total = errors = 0
        for key in keys:
            lines = s3.get_object(Bucket=in_bucket, Key=key)["Body"].read().decode("utf-8").splitlines()
            out: list[str] = []
            for line in filter(str.strip, lines):
                record = json.loads(line)
                total += 1
                try:
                    output = self._record_output(record["modelInput"])
                    out.append(
                        json.dumps(
                            {
                                "recordId": record.get("recordId"),
                                "modelInput": record["modelInput"],
                                "modelOutput": output,
                            },
                            ensure_ascii=False,
                        )
                    )
                except (ApiError, KeyError, TypeError) as exc:
                    errors += 1
                    message = exc.message if isinstance(exc, ApiError) else "malformed record"
                    out.append(
                        json.dumps(
                            {
                                "recordId": record.get("recordId"),
                                "modelInput": record.get("modelInput"),
                                "error": {"errorCode": 400, "errorMessage": message},
                            },
                            ensure_ascii=False,
                        )
                    )
            name = key.rsplit("/", 1)[-1]
            s3.put_object(
                Bucket=out_bucket, Key=f"{out_prefix}{name}.out", Body=("\n".join(out) + "\n").encode("utf-8")
            )
        manifest = {
            "totalRecordCount": total,
            "processedRecordCount": total,
            "successRecordCount": total - errors,
            "errorRecordCount": errors,
        }
        s3.put_object(Bucket=out_bucket, Key=f"{out_prefix}manifest.json.out", Body=json.dumps(manifest).encode())
        job.counts.update(total=total, errors=errors)
        return "PartiallyCompleted" if errors else None

    def _record_output(self, model_input: dict[str, Any]) -> dict[str, Any]:
        """A record's ``modelOutput``, in the model family's own response format."""
        system = model_input.get("system")
        if isinstance(system, list):
            system = "".join(b.get("text", "") for b in system if isinstance(b, dict))
        self.batch_prompts.append(str(system or ""))
        content = self._answer(_last_user_text(model_input["messages"]))
        if "anthropic_version" in model_input:
            return {
                "id": f"msg_{uuid.uuid4().hex[:20]}",
                "type": "message",
                "role": "assistant",
                "content": [{"type": "text", "text": content}],
                "stop_reason": "end_turn",
                "usage": {"input_tokens": len(str(system)) // 4, "output_tokens": len(content) // 4},
            }
        return {
            "output": {"message": {"role": "assistant", "content": [{"text": content}]}},
            "stopReason": "end_turn",
            "usage": {"inputTokens": len(str(system)) // 4, "outputTokens": len(content) // 4},
        }


def _arn(job_id: str) -> str:
    return f"arn:aws:bedrock:us-east-1:{ACCOUNT}:model-invocation-job/{job_id}"


def _timestamp(seconds: float) -> str:
    import datetime

    return datetime.datetime.fromtimestamp(seconds, datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _last_user_text(messages: list[Any]) -> str:
    for message in reversed(messages):
        if isinstance(message, dict) and message.get("role") == "user":
            return "".join(b.get("text", "") for b in message.get("content") or [] if isinstance(b, dict))
    raise ApiError(400, "A conversation must start with a user message.", code="ValidationException")


def _is_judge_request(user: str) -> bool:
    try:
        return JudgeAnswers.is_judge_request(json.loads(user))
    except ValueError:
        return False
