"""Amazon Translate's asynchronous batch translation (``StartTextTranslationJob``).

The run's texts are uploaded as HTML documents, each text a ``<div id="tN">`` of its own: the
synchronous backend already sends texts with their inline codes as HTML tags, which Translate
keeps, and an HTML document keeps each block's translation apart, so one object carries hundreds
of texts and answers come back by id. The job gets the glossary's custom terminology (imported
as for the synchronous calls), the user's parallel data by name, and the same settings; the
output objects (``<target>.<name>`` under ``<account>-TranslateText-<job id>/``) are read back.
"""

from __future__ import annotations

import asyncio
import hashlib
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..backends.base import TranslateRequest
from ..errors import ConfigError, RequestRejected
from .collect import AnswerKey
from .engine import JobStatus
from .s3 import S3Place, list_keys, s3_client

if TYPE_CHECKING:
    from ..backends.amazon_translate import AmazonTranslateBackend

DOCUMENT_BYTES = 90_000  # below Translate's 100 KB per document for a batch job's text files
DOCUMENT_TEXTS = 1_000
WAITING = {"SUBMITTED", "IN_PROGRESS"}
DONE = {"COMPLETED", "COMPLETED_WITH_ERROR"}  # with errors: what is there is used, the rest sent
ROLE_ARN = re.compile(r"arn:aws(-[^:]+)?:iam::[0-9]{12}:role/.+")
_BLOCK = re.compile(r'<div id="t(\d+)">(.*?)</div>', re.DOTALL)
_DIV = re.compile(r"</?div\b", re.IGNORECASE)  # a text holding one would break its block: sent as usual


def documents(texts: Sequence[str]) -> list[str]:
    """The texts as HTML documents, each text a numbered ``div`` (numbers count across documents)."""
    pages: list[str] = []
    blocks: list[str] = []
    size = 0
    for index, text in enumerate(texts):
        block = f'<div id="t{index}">{text}</div>\n'
        if blocks and (size + len(block.encode()) > DOCUMENT_BYTES or len(blocks) >= DOCUMENT_TEXTS):
            pages.append(_page(blocks))
            blocks, size = [], 0
        blocks.append(block)
        size += len(block.encode())
    if blocks:
        pages.append(_page(blocks))
    return pages


def _page(blocks: list[str]) -> str:
    return '<!DOCTYPE html>\n<html><head><meta charset="utf-8"></head><body>\n' + "".join(blocks) + "</body></html>\n"


def read_blocks(page: str) -> dict[int, str]:
    return {int(match[1]): match[2] for match in _BLOCK.finditer(page)}


class TranslateJobs:
    service = "Amazon Translate"

    def __init__(
        self,
        backend: AmazonTranslateBackend,
        s3: Any,
        *,
        bucket: str,
        role_arn: str,
        poll_interval: float,
        parallel_data: tuple[str, ...],
        memory_parallel_data: bool = False,
    ) -> None:
        self.backend = backend
        self.s3 = s3
        self.workspace = S3Place.parse(bucket, "[backends.amazon-translate] batch_bucket")
        if not ROLE_ARN.fullmatch(role_arn):
            raise ConfigError(
                "[backends.amazon-translate] batch_role_arn must be an IAM role ARN such as "
                f"arn:aws:iam::123456789012:role/TranslateBatch (got {role_arn!r})"
            )
        self.role_arn = role_arn
        self.poll_interval = poll_interval
        self.parallel_data = parallel_data
        self.memory_parallel_data = memory_parallel_data
        self.memory_pairs: dict[tuple[str, str], list[tuple[str, str]]] = {}

    def identity(self) -> str:
        memory = "|memory-parallel-data" if self.memory_parallel_data else ""
        return f"{self.backend.signature()}|parallel={','.join(self.parallel_data)}{memory}"

    def use_memory(self, pairs: dict[tuple[str, str], list[tuple[str, str]]]) -> None:
        """The memory's pairs per language pair, sent as parallel data when the user asks for it."""
        if self.memory_parallel_data:
            self.memory_pairs = pairs

    async def memory_parallel_data_name(self, source: str, target: str, workspace: S3Place) -> str | None:
        """Parallel data made from the memory's pairs (created once per content, waited for until
        ACTIVE), or None when the memory holds none for this language pair."""
        pairs = self.memory_pairs.get((source, target))
        if not pairs:
            return None
        rows = [f"{_code(source)}\t{_code(target)}"]
        rows += [f"{_tsv(s)}\t{_tsv(t)}" for s, t in sorted(pairs)]
        data = ("\n".join(rows) + "\n").encode("utf-8")
        name = f"translator-memory-{hashlib.sha256(data).hexdigest()[:16]}"
        found = await self.backend.caller.call_if_found("get_parallel_data", ("ResourceNotFoundException",), Name=name)
        if found is None:
            key = f"{workspace.prefix}parallel-data.tsv"
            await self._s3(
                "put_object", Bucket=workspace.bucket, Key=key, Body=data, ContentType="text/tab-separated-values"
            )
            await self.backend.caller.call(
                "create_parallel_data",
                Name=name,
                Description="translator memory pairs; the name carries a hash of its content",
                ParallelDataConfig={"S3Uri": f"s3://{workspace.bucket}/{key}", "Format": "TSV"},
                ClientToken=name,
            )
        while True:
            answer = found or await self.backend.caller.call("get_parallel_data", Name=name)
            found = None
            properties = answer.get("ParallelDataProperties") or {}
            status = str(properties.get("Status", ""))
            if status == "ACTIVE":
                return name
            if status not in ("CREATING", "UPDATING"):
                raise RequestRejected(
                    f"Amazon Translate could not import the memory as parallel data {name} ({status}): "
                    f"{properties.get('Message') or 'no message'}"
                )
            await asyncio.sleep(self.poll_interval)

    async def submit(self, requests: Sequence[TranslateRequest], workspace: S3Place, token: str) -> str:
        first = requests[0]
        texts = sorted({text for request in requests for text in request.texts if not _DIV.search(text)})
        for number, page in enumerate(documents(texts)):
            await self._s3(
                "put_object",
                Bucket=workspace.bucket,
                Key=f"{workspace.prefix}input/part-{number:05d}.html",
                Body=page.encode("utf-8"),
                ContentType="text/html; charset=utf-8",
            )
        await self._s3(
            "put_object",
            Bucket=workspace.bucket,
            Key=f"{workspace.prefix}texts.json",
            Body=_json(texts),
            ContentType="application/json",
        )
        params: dict[str, Any] = {
            "JobName": f"translator-{token[:16]}-{token.rsplit('-', 1)[-1]}",
            "InputDataConfig": {"S3Uri": f"{workspace.uri}input/", "ContentType": "text/html"},
            "OutputDataConfig": {"S3Uri": f"{workspace.uri}output/"},
            "DataAccessRoleArn": self.role_arn,
            "SourceLanguageCode": _code(first.source_lang),
            "TargetLanguageCodes": [_code(first.target_lang)],
            "ClientToken": token,
        }
        if first.glossary is not None and first.glossary.entries:
            params["TerminologyNames"] = [await self.backend.terminology(first.glossary)]
        parallel = list(self.parallel_data)
        from_memory = await self.memory_parallel_data_name(first.source_lang, first.target_lang, workspace)
        if from_memory:
            parallel.append(from_memory)
        if parallel:
            params["ParallelDataNames"] = parallel
        if self.backend.settings:
            params["Settings"] = self.backend.settings
        answer = await self.backend.caller.call("start_text_translation_job", **params)
        return str(answer["JobId"])

    async def status(self, job_id: str) -> JobStatus:
        answer = await self.backend.caller.call("describe_text_translation_job", JobId=job_id)
        properties = answer.get("TextTranslationJobProperties") or {}
        word = str(properties.get("JobStatus", ""))
        state = "waiting" if word in WAITING else "done" if word in DONE else "failed"
        return JobStatus(state, word, str(properties.get("Message") or ""))  # type: ignore[arg-type]

    async def answers(
        self, job_id: str, requests: Sequence[TranslateRequest], workspace: S3Place
    ) -> dict[AnswerKey, str]:
        import json

        first = requests[0]
        body = await self._s3("get_object", Bucket=workspace.bucket, Key=f"{workspace.prefix}texts.json")
        texts: list[str] = json.loads(body["Body"].read().decode("utf-8"))
        target = _code(first.target_lang)
        found: dict[AnswerKey, str] = {}
        keys = await asyncio.to_thread(list_keys, self.s3, workspace.child("output"))
        for key in keys:
            name = key.rsplit("/", 1)[-1]
            if not (name.startswith(f"{target}.") and name.endswith(".html")):
                continue  # the job's details and error files
            page = (await self._s3("get_object", Bucket=workspace.bucket, Key=key))["Body"].read().decode("utf-8")
            for index, translated in read_blocks(page).items():
                if 0 <= index < len(texts):
                    found[(first.source_lang, first.target_lang, texts[index])] = translated
        return found

    async def _s3(self, operation: str, **params: Any) -> Any:
        from ..backends._aws import AwsCaller

        return await AwsCaller(self.s3, "Amazon S3").call(operation, **params)

    def close(self) -> None:
        self.s3.close()


def _code(lang: str) -> str:
    from ..backends.amazon_translate import language_code

    return language_code(lang)


def _tsv(text: str) -> str:
    """One TSV field: tabs and line breaks would split the record."""
    return " ".join(text.replace("\t", " ").splitlines())


def _json(texts: list[str]) -> bytes:
    import json

    return json.dumps(texts, ensure_ascii=False).encode("utf-8")


def translate_jobs(backend: AmazonTranslateBackend, options: Any, setup: Any, env: dict[str, str]) -> TranslateJobs:
    """The engine for ``backend``, from ``[backends.amazon-translate] batch_*`` (``ConfigError`` naming what is missing)."""
    if not options.batch_bucket or not options.batch_role_arn:
        raise ConfigError(
            "--batch with amazon-translate needs [backends.amazon-translate] batch_bucket (an S3 location, "
            "s3://bucket/prefix) and batch_role_arn (the IAM role Translate uses to read and write it)"
        )
    s3 = s3_client(setup.session, setup.region, env.get("AWS_ENDPOINT_URL_S3") or None)
    return TranslateJobs(
        backend,
        s3,
        bucket=options.batch_bucket,
        role_arn=options.batch_role_arn,
        poll_interval=options.batch_poll_interval,
        parallel_data=tuple(options.batch_parallel_data or ()),
        memory_parallel_data=options.batch_memory_parallel_data,
    )
