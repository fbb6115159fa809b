"""What the AWS emulators share: checking the SigV4 ``Authorization`` header botocore sends, and
AWS's error wire format.

Why only a shape check: the point is to prove the backends let botocore sign every request with
the right credential scope (access key, date, region, service); recomputing the signature would
test botocore, not the backend. Unsigned or badly scoped requests are refused the way AWS refuses
them, so a backend that skipped signing fails its tests.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from translator.testing.server import ApiError, Request, Response

__all__ = ["SIGV4_RE", "Signature", "aws_error", "aws_json", "check_sigv4"]

SIGV4_RE = re.compile(
    r"AWS4-HMAC-SHA256 "
    r"Credential=(?P<access_key>[A-Z0-9]{16,128})/(?P<date>\d{8})/(?P<region>[a-z0-9-]+)/"
    r"(?P<service>[a-z0-9-]+)/aws4_request, ?"
    r"SignedHeaders=(?P<signed_headers>[a-z0-9-]+(?:;[a-z0-9-]+)*), ?"
    r"Signature=(?P<signature>[0-9a-f]{64})"
)


@dataclass(frozen=True)
class Signature:
    """The credential scope of one signed request (the signature itself is not kept)."""

    access_key: str
    date: str
    region: str
    service: str
    signed_headers: tuple[str, ...]


def check_sigv4(request: Request, service: str, access_keys: Iterable[str]) -> Signature:
    """The request's credential scope; ``ApiError(403, …, code=…)`` as AWS answers otherwise."""
    header = request.headers.get("authorization", "")
    if not header:
        raise ApiError(403, "Missing Authentication Token", code="MissingAuthenticationTokenException")
    match = SIGV4_RE.fullmatch(header.strip())
    if match is None:
        raise ApiError(
            403,
            "Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters.",
            code="IncompleteSignatureException",
        )
    signed = tuple(match["signed_headers"].split(";"))
    amz_date = request.headers.get("x-amz-date", "")
    if "host" not in signed or "x-amz-date" not in signed or not amz_date.startswith(match["date"]):
        raise ApiError(403, "Signature expired or x-amz-date not signed.", code="InvalidSignatureException")
    if match["service"] != service:
        raise ApiError(
            403, f"Credential should be scoped to correct service: '{service}'.", code="InvalidSignatureException"
        )
    if match["access_key"] not in set(access_keys):
        raise ApiError(
            403, "The security token included in the request is invalid.", code="UnrecognizedClientException"
        )
    return Signature(match["access_key"], match["date"], match["region"], match["service"], signed)


def aws_error(status: int, code: str, message: str, *, namespace: str, json_type: str) -> Response:
    """An AWS error: ``x-amzn-ErrorType`` header and a JSON body (``__type`` for JSON 1.1 services)."""
    body: dict[str, str] = {"message": message}
    if json_type == "application/x-amz-json-1.1":
        body = {"__type": code, **body}
    return Response(
        status,
        json.dumps(body).encode("utf-8"),
        {
            "Content-Type": json_type,
            "x-amzn-ErrorType": f"{code}:http://internal.amazon.com/coral/{namespace}/",
            "x-amzn-RequestId": str(uuid.uuid4()),
        },
    )


def aws_json(status: int, payload: object, json_type: str) -> Response:
    return Response(
        status,
        json.dumps(payload, ensure_ascii=False).encode("utf-8"),
        {"Content-Type": json_type, "x-amzn-RequestId": str(uuid.uuid4())},
    )
