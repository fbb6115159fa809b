"""Amazon Bedrock's Converse API (bedrock-runtime) through boto3, with the LLM prompt contract.

The prompt, the ``{"translations": [...]}`` answer and the ask-again-then-split rule are those of
every LLM backend (``_llm``); only the transport differs. The model is configuration:
``[backends.bedrock] model`` takes a model id or an inference profile id. The default is Claude
Haiku 4.5 through the global cross-region inference profile, because current Claude models are not
offered on demand by plain model id and the global profile works from most regions.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from ..config import Settings
from ..errors import AuthError, BackendError, RequestRejected
from ._aws import AwsCaller, AwsOptions, aws_client, aws_setup
from ._llm import (
    parse_translations,
    system_prompt,
    translate_with_splitting,
    user_message,
)
from .base import (
    Backend,
    BackendSpec,
    Capabilities,
    Readiness,
    TranslateRequest,
    request_timeout,
)
from .options import described

SERVICE = "Amazon Bedrock"
DEFAULT_MODEL = "global.anthropic.claude-haiku-4-5-20251001-v1:0"
DEFAULT_MAX_TOKENS = 4096
BEARER_ENV = "AWS_BEARER_TOKEN_BEDROCK"  # a Bedrock API key, which botocore uses instead of signing


@dataclasses.dataclass(frozen=True)
class BedrockOptions(AwsOptions):
    model: str = described(DEFAULT_MODEL, "model or inference profile id")
    temperature: float = described(0.0, "sampling temperature")
    max_tokens: int = described(DEFAULT_MAX_TOKENS, "answer limit per request")
    batch_bucket: str | None = described(None, "--batch: S3 location for the job's records (s3://bucket/prefix)")
    batch_role_arn: str | None = described(None, "--batch: IAM role Bedrock reads and writes that location as")
    batch_poll_interval: float = described(60.0, "--batch: seconds between job status checks")


class BedrockBackend(Backend):
    name = "bedrock"
    description = "Amazon Bedrock Converse API (Claude, Nova, Llama… on AWS), glossary as instructions"
    spec = BackendSpec(
        needs="AWS credentials (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, AWS_PROFILE, or 'aws configure') "
        "with access to the model in Amazon Bedrock",
        url_env=("AWS_ENDPOINT_URL_BEDROCK_RUNTIME", "AWS_ENDPOINT_URL"),
        extras=("aws",),
    )
    capabilities = Capabilities(max_texts=20, max_bytes=16 * 1024, markup="xml", uses_instructions=True)
    Options = BedrockOptions

    def __init__(
        self,
        caller: AwsCaller,
        *,
        model: str,
        region: str,
        credentials: str,
        temperature: float,
        max_tokens: int,
        batch: Any = None,
    ) -> None:
        self.caller = caller
        self.batch_setup = batch  # (options, AWS setup, settings) for --batch
        self.model = model
        self.region = region
        self.credentials = credentials  # where botocore found them, never the key
        self.temperature = temperature
        self.max_tokens = max_tokens

    @classmethod
    def from_settings(cls, settings: Settings, *, url: str | None = None) -> BedrockBackend:
        options = cls.options(settings, BedrockOptions)
        setup = aws_setup(cls.name, cls.spec, settings, url, options, bearer_env=BEARER_ENV)
        client = aws_client(setup, "bedrock-runtime", settings, timeout=request_timeout(options, settings, floor=120.0))
        return cls(
            AwsCaller(client, SERVICE),
            model=options.model,
            region=setup.region,
            credentials=setup.credentials_source,
            temperature=options.temperature,
            max_tokens=options.max_tokens,
            batch=(options, setup, settings),
        )

    def signature(self) -> str:
        return f"bedrock|{self.model}|t={self.temperature}"

    async def translate(self, request: TranslateRequest) -> list[str]:
        return await translate_with_splitting(self._ask, request)

    async def _ask(self, texts: list[str], request: TranslateRequest) -> list[str]:
        content = await self.complete(system_prompt(request), user_message(texts, request))
        return parse_translations(content, len(texts))

    async def complete(self, system: str, user: str) -> str:
        """One question to the model (Converse has no JSON switch: the prompt asks for JSON)."""
        try:
            answer = await self.caller.call(
                "converse",
                modelId=self.model,
                system=[{"text": system}],
                messages=[{"role": "user", "content": [{"text": user}]}],
                inferenceConfig={"maxTokens": self.max_tokens, "temperature": self.temperature},
            )
        except AuthError as exc:
            raise AuthError(f"{exc.message}; is access to {self.model} granted in region {self.region}?") from exc
        except RequestRejected as exc:
            if "inference profile" not in exc.message:
                raise
            raise RequestRejected(
                f"{exc.message}; set [backends.bedrock] model to an inference profile id such as "
                f"'us.{_base_model(self.model)}' or 'global.{_base_model(self.model)}'"
            ) from exc
        return _answer_text(answer)

    async def readiness(self) -> Readiness:
        return Readiness(True, f"credentials found ({self.credentials}); region {self.region}; model {self.model}")

    async def aclose(self) -> None:
        self.caller.close()


def _answer_text(answer: dict[str, Any]) -> str:
    try:
        blocks = answer["output"]["message"]["content"]
    except (KeyError, TypeError) as exc:
        raise BackendError("Amazon Bedrock answered without a message") from exc
    return "".join(block.get("text", "") for block in blocks if isinstance(block, dict))


def _base_model(model: str) -> str:
    prefix, _, rest = model.partition(".")
    return rest if prefix in ("us", "eu", "apac", "global", "jp", "au", "ca", "us-gov") else model
