"""Amazon Bedrock batch inference (``CreateModelInvocationJob``) for the ``bedrock`` backend.

Each request the run would send becomes one JSONL record whose ``modelInput`` carries the same
system prompt and user message as the synchronous Converse call (``translator.backends._llm``),
in the model family's own request format (Anthropic Messages for Claude, the Converse-style body
Nova and others take). The job's ``.out`` records are read back and parsed by the same rule as a
Converse answer; a record that failed or did not hold one translation per text leaves its texts
to the synchronous backend, which asks again and splits as usual.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..backends._llm import ShapeError, parse_translations, system_prompt, user_message
from ..backends.base import TranslateRequest
from ..errors import ConfigError
from .collect import AnswerKey
from .engine import JobStatus
from .s3 import S3Place, list_keys, s3_client

if TYPE_CHECKING:
    from ..backends.bedrock import BedrockBackend

WAITING = {"Submitted", "Validating", "Scheduled", "InProgress", "Stopping"}
DONE = {"Completed", "PartiallyCompleted"}
ROLE_ARN = re.compile(r"arn:aws(-[^:]+)?:iam::([0-9]{12})?:role/.+")
RECORDS_PER_FILE = 50_000  # Bedrock's limit of records in one input file


def model_input(model: str, request: TranslateRequest, *, max_tokens: int, temperature: float) -> dict[str, Any]:
    """The record body for ``model``: the Converse call's prompt in the model's native format."""
    system = system_prompt(request)
    user = user_message(list(request.texts), request)
    if "anthropic." in model:
        return {
            "anthropic_version": "bedrock-2023-05-31",
            "max_tokens": max_tokens,
            "temperature": temperature,
            "system": system,
            "messages": [{"role": "user", "content": [{"type": "text", "text": user}]}],
        }
    return {
        "system": [{"text": system}],
        "messages": [{"role": "user", "content": [{"text": user}]}],
        "inferenceConfig": {"maxTokens": max_tokens, "temperature": temperature},
    }


def output_text(output: Any) -> str:
    """The assistant's text in a record's ``modelOutput`` (Anthropic or Converse-style)."""
    if not isinstance(output, dict):
        return ""
    blocks = output.get("content")
    if blocks is None:
        blocks = ((output.get("output") or {}).get("message") or {}).get("content")
    return "".join(b.get("text", "") for b in blocks or [] if isinstance(b, dict))


class BedrockJobs:
    service = "Amazon Bedrock"

    def __init__(
        self, backend: BedrockBackend, control: Any, s3: Any, *, bucket: str, role_arn: str, poll_interval: float
    ) -> None:
        from ..backends._aws import AwsCaller

        self.backend = backend
        self.control = AwsCaller(control, self.service)
        self.s3 = s3
        self.workspace = S3Place.parse(bucket, "[backends.bedrock] batch_bucket")
        if not ROLE_ARN.fullmatch(role_arn):
            raise ConfigError(
                "[backends.bedrock] batch_role_arn must be an IAM role ARN such as "
                f"arn:aws:iam::123456789012:role/BedrockBatch (got {role_arn!r})"
            )
        self.role_arn = role_arn
        self.poll_interval = poll_interval

    def identity(self) -> str:
        return f"{self.backend.signature()}|max_tokens={self.backend.max_tokens}"

    async def submit(self, requests: Sequence[TranslateRequest], workspace: S3Place, token: str) -> str:
        records = [
            {
                "recordId": f"r{index:07d}",
                "modelInput": model_input(
                    self.backend.model,
                    request,
                    max_tokens=self.backend.max_tokens,
                    temperature=self.backend.temperature,
                ),
            }
            for index, request in enumerate(requests)
        ]
        for start in range(0, len(records), RECORDS_PER_FILE):
            lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records[start : start + RECORDS_PER_FILE])
            await self._s3(
                "put_object",
                Bucket=workspace.bucket,
                Key=f"{workspace.prefix}input/records-{start:08d}.jsonl",
                Body=lines.encode("utf-8"),
            )
        texts = {
            f"r{index:07d}": [request.source_lang, request.target_lang, list(request.texts)]
            for index, request in enumerate(requests)
        }
        await self._s3(
            "put_object",
            Bucket=workspace.bucket,
            Key=f"{workspace.prefix}texts.json",
            Body=json.dumps(texts, ensure_ascii=False).encode("utf-8"),
        )
        answer = await self.control.call(
            "create_model_invocation_job",
            jobName=f"translator-{token[:16]}-{token.rsplit('-', 1)[-1]}",
            roleArn=self.role_arn,
            clientRequestToken=token,
            modelId=self.backend.model,
            inputDataConfig={"s3InputDataConfig": {"s3Uri": f"{workspace.uri}input/", "s3InputFormat": "JSONL"}},
            outputDataConfig={"s3OutputDataConfig": {"s3Uri": f"{workspace.uri}output/"}},
        )
        return str(answer["jobArn"])

    async def status(self, job_id: str) -> JobStatus:
        answer = await self.control.call("get_model_invocation_job", jobIdentifier=job_id)
        word = str(answer.get("status", ""))
        state = "waiting" if word in WAITING else "done" if word in DONE else "failed"
        return JobStatus(state, word, str(answer.get("message") or ""))  # type: ignore[arg-type]

    async def answers(
        self, job_id: str, requests: Sequence[TranslateRequest], workspace: S3Place
    ) -> dict[AnswerKey, str]:
        body = await self._s3("get_object", Bucket=workspace.bucket, Key=f"{workspace.prefix}texts.json")
        texts: dict[str, list[Any]] = json.loads(body["Body"].read().decode("utf-8"))
        found: dict[AnswerKey, str] = {}
        output = workspace.child("output").child(job_id.rsplit("/", 1)[-1])
        for key in await asyncio.to_thread(list_keys, self.s3, output):
            if not key.endswith(".jsonl.out"):
                continue  # manifest.json.out
            page = (await self._s3("get_object", Bucket=workspace.bucket, Key=key))["Body"].read().decode("utf-8")
            for line in filter(str.strip, page.splitlines()):
                record = json.loads(line)
                sent = texts.get(str(record.get("recordId")))
                if sent is None or "modelOutput" not in record:
                    continue
                source, target, batch = sent
                try:
                    translations = parse_translations(output_text(record["modelOutput"]), len(batch))
                except ShapeError:
                    continue  # sent again through Converse, which asks again and splits
                found.update({(source, target, text): answer for text, answer in zip(batch, translations, strict=True)})
        return found

    async def _s3(self, operation: str, **params: Any) -> Any:
        from ..backends._aws import AwsCaller

        return await AwsCaller(self.s3, "Amazon S3").call(operation, **params)

    def close(self) -> None:
        self.s3.close()
        self.control.close()


def bedrock_jobs(backend: BedrockBackend, options: Any, setup: Any, settings: Any) -> BedrockJobs:
    """The engine for ``backend``, from ``[backends.bedrock] batch_*`` (``ConfigError`` naming what is missing)."""
    from ..backends._aws import aws_client

    if not options.batch_bucket or not options.batch_role_arn:
        raise ConfigError(
            "--batch with bedrock needs [backends.bedrock] batch_bucket (an S3 location, s3://bucket/prefix) "
            "and batch_role_arn (the IAM role Bedrock uses to read and write it)"
        )
    env = settings.env
    control_setup = dataclasses.replace(setup, endpoint_url=env.get("AWS_ENDPOINT_URL_BEDROCK") or None)
    control = aws_client(control_setup, "bedrock", settings, timeout=60.0)
    s3 = s3_client(setup.session, setup.region, env.get("AWS_ENDPOINT_URL_S3") or None)
    return BedrockJobs(
        backend,
        control,
        s3,
        bucket=options.batch_bucket,
        role_arn=options.batch_role_arn,
        poll_interval=options.batch_poll_interval,
    )
