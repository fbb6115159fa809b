"""What the AWS backends share: a botocore client built from the usual credential chain, and calls
whose failures are mapped into the project's errors (retried by the backend stack).

botocore signs every request (SigV4) and finds credentials itself (environment, profile, SSO,
container or instance roles); this module never sees a secret and never logs one. botocore's own
retries are switched off so that the stack's ``RetryPolicy`` alone decides, as for every other backend, and
its exceptions are mapped into ``translator.errors`` here. botocore is synchronous, so each call
runs in a thread; the pipeline's concurrency limit bounds how many run at once.

boto3 is the optional extra ``aws``: it is imported only when an AWS backend is built.
"""

from __future__ import annotations

import asyncio
import dataclasses
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..config import Settings
from ..errors import (
    AuthError,
    BackendError,
    BackendNotReady,
    QuotaExceeded,
    RequestRejected,
    TransientError,
)
from ._http import parse_retry_after
from .base import BackendSpec, resolve_url
from .options import BackendOptions, described

DEFAULT_REGION = "us-east-1"


@dataclasses.dataclass(frozen=True)
class AwsOptions(BackendOptions):
    region: str | None = described(
        None, "AWS region (default: AWS_REGION, AWS_DEFAULT_REGION or the profile's, else us-east-1)"
    )
    profile: str | None = described(None, "named AWS profile")


INSTALL_HINT = "pip install 'translator[aws]'"
CREDENTIALS_HINT = (
    "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE (or [backends.{name}] profile), "
    "or run 'aws configure'"
)

TRANSIENT_CODES = frozenset(
    {
        "ThrottlingException",
        "Throttling",
        "TooManyRequestsException",
        "ServiceUnavailableException",
        "ServiceUnavailable",
        "InternalServerException",
        "InternalFailure",
        "InternalServerError",
        "ModelNotReadyException",
        "ModelTimeoutException",
        "RequestTimeout",
        "RequestTimeoutException",
    }
)
QUOTA_CODES = frozenset({"ServiceQuotaExceededException", "LimitExceededException"})
AUTH_CODES = frozenset(
    {
        "AccessDeniedException",
        "AccessDenied",
        "UnrecognizedClientException",
        "ExpiredTokenException",
        "ExpiredToken",
        "InvalidSignatureException",
        "MissingAuthenticationTokenException",
        "IncompleteSignatureException",
        "InvalidClientTokenId",
        "SignatureDoesNotMatch",
        "NotAuthorized",
    }
)


def import_boto3(backend: str) -> Any:
    """boto3, or ``BackendNotReady`` naming the extra that installs it."""
    try:
        import boto3
    except ImportError as exc:
        raise BackendNotReady(f"the {backend} backend needs boto3: {INSTALL_HINT}") from exc
    return boto3


@dataclass(frozen=True)
class AwsSetup:
    """Where and as whom an AWS backend talks, resolved from settings and botocore's chain."""

    session: Any  # boto3.Session
    region: str
    endpoint_url: str | None
    credentials_source: str  # e.g. "env", "shared-credentials-file", "sso" (never the key)


def aws_setup(
    name: str, spec: BackendSpec, settings: Settings, url: str | None, options: AwsOptions, *, bearer_env: str = ""
) -> AwsSetup:
    """Build the session for backend ``name``; ``BackendNotReady`` when no credentials are found.

    Region: ``[backends.NAME] region`` → ``AWS_REGION`` → botocore's (``AWS_DEFAULT_REGION``, the
    profile's) → ``us-east-1``. Endpoint: ``--backend-url`` → the service's ``AWS_ENDPOINT_URL_*``
    variable → ``[backends.NAME] url`` → botocore's own resolution (the regional AWS endpoint).
    ``bearer_env`` names a variable botocore accepts instead of signing credentials.
    """
    boto3 = import_boto3(name)
    import botocore.session
    from botocore.exceptions import BotoCoreError

    profile = options.profile or None
    try:
        core = botocore.session.Session(profile=profile)
        source = _credentials_source(core)
        region = str(
            options.region or settings.env.get("AWS_REGION") or core.get_config_variable("region") or DEFAULT_REGION
        )
    except BotoCoreError as exc:  # an unknown profile, a broken config file
        raise BackendNotReady(f"AWS configuration problem: {exc}") from exc
    if source is None and bearer_env and settings.env.get(bearer_env):
        source = bearer_env
    if source is None:
        raise BackendNotReady("no AWS credentials found: " + CREDENTIALS_HINT.format(name=name))
    session = boto3.Session(botocore_session=core)
    return AwsSetup(session, region, resolve_url(name, spec, settings, url), source)


def _credentials_source(core: Any) -> str | None:
    """How botocore will find credentials (``env``, ``shared-credentials-file``, ``sso``…), or None.

    The instance-metadata provider is left out of the look-up, so that ``translator backends
    --offline`` and every machine that is not an EC2 instance stay off the network; on EC2 the
    instance role is assumed and botocore fetches it when the first request is sent.
    """
    from botocore.credentials import create_credential_resolver

    resolver = create_credential_resolver(core)
    resolver.remove("iam-role")
    credentials = resolver.load_credentials()
    if credentials is not None:
        return str(getattr(credentials, "method", "") or "found")
    if _on_ec2() and not _metadata_disabled():
        return "iam-role (EC2 instance metadata)"
    return None


def _on_ec2() -> bool:
    for marker in ("/sys/devices/virtual/dmi/id/sys_vendor", "/sys/hypervisor/uuid"):
        try:
            text = Path(marker).read_text(encoding="ascii", errors="replace").strip().lower()
        except OSError:
            continue
        if text.startswith(("amazon", "ec2")):
            return True
    return False


def _metadata_disabled() -> bool:
    return os.environ.get("AWS_EC2_METADATA_DISABLED", "").lower() == "true"


def aws_client(setup: AwsSetup, service: str, settings: Settings, *, timeout: float) -> Any:
    """A botocore client with retries off, timeouts from settings, and enough pooled connections."""
    from botocore.config import Config

    config = Config(
        region_name=setup.region,
        retries={"total_max_attempts": 1, "mode": "standard"},  # "max_attempts" counts retries only
        connect_timeout=min(timeout, 10.0),
        read_timeout=timeout,
        max_pool_connections=max(10, settings.concurrency),
        user_agent_extra="translator",
    )
    return setup.session.client(service, endpoint_url=setup.endpoint_url, config=config)


class AwsCaller:
    """Calls one client's operations in threads, once each, with errors mapped (the stack retries
    what is transient, as for every other backend)."""

    def __init__(self, client: Any, service: str) -> None:
        self.client = client
        self.service = service
        self.requests_sent = 0

    async def call(self, operation: str, **params: Any) -> dict[str, Any]:
        """Run ``client.<operation>(**params)``; a dict answer or a ``BackendError``."""
        answer = await self.call_if_found(operation, (), **params)
        assert answer is not None
        return answer

    async def call_if_found(self, operation: str, absent: Iterable[str], **params: Any) -> dict[str, Any] | None:
        """Like ``call``, but ``None`` when the service answers with an error code in ``absent``
        (``ResourceNotFoundException`` for a lookup that may find nothing)."""
        return await self._call_once(operation, params, frozenset(absent))

    async def _call_once(self, operation: str, params: dict[str, Any], absent: frozenset[str]) -> dict[str, Any] | None:
        from botocore.exceptions import BotoCoreError, ClientError

        self.requests_sent += 1
        method = getattr(self.client, operation)
        try:
            return await asyncio.to_thread(method, **params)
        except ClientError as exc:
            if error_code(exc) in absent:
                return None
            raise map_client_error(exc, self.service) from exc
        except BotoCoreError as exc:
            raise map_botocore_error(exc, self.service) from exc

    def close(self) -> None:
        self.client.close()


def error_code(exc: Any) -> str:
    """The AWS error code of a botocore ``ClientError`` (``""`` when there is none)."""
    return str(exc.response.get("Error", {}).get("Code", ""))


def map_client_error(exc: Any, service: str) -> BackendError:
    """An error the service answered with, by its AWS error code, then by HTTP status."""
    error = exc.response.get("Error", {})
    meta = exc.response.get("ResponseMetadata", {})
    code = str(error.get("Code", ""))
    message = " ".join(str(error.get("Message", "")).split())[:200]
    status = int(meta.get("HTTPStatusCode") or 0)
    detail = f"{code}: {message}" if message else code or f"HTTP {status}"
    retry_after = parse_retry_after((meta.get("HTTPHeaders") or {}).get("retry-after"))
    if code in QUOTA_CODES or "per day" in message.lower():
        return QuotaExceeded(
            f"{service} quota exceeded ({detail}); wait for the quota to reset or raise it in the "
            "AWS console under Service Quotas"
        )
    if code in TRANSIENT_CODES or status == 429 or status >= 500:
        return TransientError(f"{service} is busy or failing ({detail})", retry_after=retry_after)
    if code in AUTH_CODES or status in (401, 403):
        return AuthError(f"{service} refused the request ({detail}); check the AWS credentials and IAM permissions")
    return RequestRejected(f"{service} rejected the request ({detail})")


def map_botocore_error(exc: Any, service: str) -> BackendError:
    """Failures before any answer: connections, timeouts, credentials, parameters."""
    from botocore import exceptions as bx

    if isinstance(exc, bx.EndpointConnectionError):
        return TransientError(f"cannot reach {service} at {exc.kwargs.get('endpoint_url', 'its endpoint')}")
    if isinstance(exc, (bx.ConnectionError, bx.HTTPClientError)):
        return TransientError(f"connection to {service} broke or timed out ({type(exc).__name__})")
    if isinstance(exc, (bx.NoCredentialsError, bx.PartialCredentialsError, bx.CredentialRetrievalError)):
        return BackendNotReady(f"{service}: the AWS credentials could not be loaded ({type(exc).__name__})")
    return RequestRejected(f"{service}: {' '.join(str(exc).split())}")  # botocore's spans lines; ours is one
