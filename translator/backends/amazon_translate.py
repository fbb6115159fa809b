"""Amazon Translate ``TranslateText`` through boto3, with custom terminologies as the glossary.

One text per call (Translate takes a single text of at most 10,000 bytes), so batches hold one
text and throughput comes from the pipeline's concurrency. Inline codes go as HTML tags, which
Translate keeps in place. The glossary becomes a custom terminology imported once per content
hash under a name that carries the hash (``translator-<hash>``), found again on later runs with
``GetTerminology``, and named in each ``TranslateText`` call.
"""

from __future__ import annotations

import asyncio
import csv
import dataclasses
import io
from typing import Any

from ..config import Settings
from ..errors import ConfigError
from ._aws import AwsCaller, AwsOptions, aws_client, aws_setup
from .base import (
    Backend,
    BackendSpec,
    Capabilities,
    GlossaryPairs,
    Readiness,
    TranslateRequest,
    request_timeout,
)
from .options import described

SERVICE = "Amazon Translate"
MAX_TEXT_BYTES = 10_000
# Translate's codes where they differ from the short codes translator uses.
LANGUAGE_CODES = {
    "zh-hans": "zh",
    "zh-cn": "zh",
    "zh-hant": "zh-TW",
    "zh-tw": "zh-TW",
    "pt-br": "pt",
    "pt-pt": "pt-PT",
    "en-us": "en",
    "en-gb": "en",
    "fr-ca": "fr-CA",
    "es-mx": "es-MX",
}
SETTINGS = {
    "formality": ("Formality", ("FORMAL", "INFORMAL")),
    "profanity": ("Profanity", ("MASK",)),
    "brevity": ("Brevity", ("ON",)),
}


def language_code(lang: str) -> str:
    return LANGUAGE_CODES.get(lang.lower(), lang)


def terminology_csv(glossary: GlossaryPairs) -> bytes:
    """The glossary as Translate's CSV terminology: a header of language codes, then one term a row."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([language_code(glossary.source_lang), language_code(glossary.target_lang)])
    writer.writerows(glossary.entries)
    return out.getvalue().encode("utf-8")


@dataclasses.dataclass(frozen=True)
class AmazonTranslateOptions(AwsOptions):
    formality: str | None = described(None, "FORMAL | INFORMAL")
    profanity: str | None = described(None, "MASK")
    brevity: str | bool | None = described(None, "ON")
    batch_bucket: str | None = described(None, "--batch: S3 location for the job's documents (s3://bucket/prefix)")
    batch_role_arn: str | None = described(None, "--batch: IAM role Translate reads and writes that location as")
    batch_poll_interval: float = described(30.0, "--batch: seconds between job status checks")
    batch_parallel_data: list[str] | None = described(None, "--batch: parallel data resources to customise the job")
    batch_memory_parallel_data: bool = described(False, "--batch: the memory's pairs as parallel data for the job")


def translation_settings(options: AmazonTranslateOptions) -> dict[str, str]:
    """``Settings`` for TranslateText from ``[backends.amazon-translate]`` (formality, profanity, brevity)."""
    chosen: dict[str, str] = {}
    for option, (field, allowed) in SETTINGS.items():
        value = getattr(options, option)
        if value is None or value is False:
            continue
        text = "ON" if value is True else str(value).upper()
        if text not in allowed:
            raise ConfigError(
                f"[backends.amazon-translate] {option} must be one of {', '.join(allowed)} (got {value!r})"
            )
        chosen[field] = text
    return chosen


class AmazonTranslateBackend(Backend):
    name = "amazon-translate"
    description = "Amazon Translate (TranslateText), HTML tag handling, custom terminologies"
    spec = BackendSpec(
        needs="AWS credentials (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, AWS_PROFILE, or 'aws configure') "
        "allowed translate:TranslateText and the terminology calls",
        url_env=("AWS_ENDPOINT_URL_TRANSLATE", "AWS_ENDPOINT_URL"),
        extras=("aws",),
        notes="one text per request; glossaries become custom terminologies named translator-<hash>",
    )
    capabilities = Capabilities(max_texts=1, max_bytes=MAX_TEXT_BYTES, markup="html", native_glossary=True)
    Options = AmazonTranslateOptions

    def __init__(
        self, caller: AwsCaller, *, region: str, credentials: str, settings: dict[str, str], batch: Any = None
    ) -> None:
        self.caller = caller
        self.batch_setup = batch  # (options, AWS setup, environment) for --batch
        self.region = region
        self.credentials = credentials  # where botocore found them, never the key
        self.settings = settings
        self._terminologies: set[str] = set()
        self._terminology_lock = asyncio.Lock()

    @classmethod
    def from_settings(cls, settings: Settings, *, url: str | None = None) -> AmazonTranslateBackend:
        options = cls.options(settings, AmazonTranslateOptions)
        chosen = translation_settings(options)
        setup = aws_setup(cls.name, cls.spec, settings, url, options)
        client = aws_client(setup, "translate", settings, timeout=request_timeout(options, settings))
        caller = AwsCaller(client, SERVICE)
        return cls(
            caller,
            region=setup.region,
            credentials=setup.credentials_source,
            settings=chosen,
            batch=(options, setup, settings.env),
        )

    def signature(self) -> str:
        chosen = ",".join(f"{k}={v}" for k, v in sorted(self.settings.items()))
        return f"amazon-translate|{chosen}"

    async def translate(self, request: TranslateRequest) -> list[str]:
        params: dict[str, Any] = {
            "SourceLanguageCode": language_code(request.source_lang),
            "TargetLanguageCode": language_code(request.target_lang),
        }
        if self.settings:
            params["Settings"] = self.settings
        if request.glossary is not None and request.glossary.entries:
            params["TerminologyNames"] = [await self.terminology(request.glossary)]
        translated: list[Any] = []  # checked once for every backend by the stack
        for text in request.texts:
            if not text.strip():  # Translate refuses an empty Text, and a blank one has nothing to translate
                translated.append(text)
                continue
            answer = await self.caller.call("translate_text", Text=text, **params)
            translated.append(answer.get("TranslatedText"))
        return translated

    async def terminology(self, glossary: GlossaryPairs) -> str:
        """The name of a custom terminology with exactly these entries, imported on first use."""
        name = f"{glossary.name}-{glossary.content_hash}"
        async with self._terminology_lock:  # concurrent first batches must not import it twice
            if name not in self._terminologies:
                found = await self.caller.call_if_found("get_terminology", ("ResourceNotFoundException",), Name=name)
                if found is None:
                    await self.caller.call(
                        "import_terminology",
                        Name=name,
                        MergeStrategy="OVERWRITE",
                        Description="translator glossary; the name carries a hash of its content",
                        TerminologyData={"File": terminology_csv(glossary), "Format": "CSV", "Directionality": "UNI"},
                    )
                self._terminologies.add(name)
        return name

    async def readiness(self) -> Readiness:
        answer = await self.caller.call("list_languages")
        count = len(answer.get("Languages", []))
        return Readiness(True, f"credentials ({self.credentials}) accepted; region {self.region}; {count} languages")

    async def aclose(self) -> None:
        self.caller.close()
