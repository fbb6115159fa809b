"""The S3 side of a batch job: where its objects go, and boto3's S3 client for them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..errors import ConfigError


@dataclass(frozen=True)
class S3Place:
    bucket: str
    prefix: str  # "" or ending in "/"

    @classmethod
    def parse(cls, uri: str, option: str) -> S3Place:
        """``s3://bucket/prefix`` from ``[backends.NAME] batch_bucket``; ``ConfigError`` otherwise."""
        if not uri.startswith("s3://") or not uri[5:].split("/", 1)[0]:
            raise ConfigError(f"{option} must be an S3 location such as s3://my-bucket/translator/ (got {uri!r})")
        bucket, _, prefix = uri[5:].partition("/")
        prefix = prefix.strip("/")
        return cls(bucket, f"{prefix}/" if prefix else "")

    def child(self, name: str) -> S3Place:
        return S3Place(self.bucket, f"{self.prefix}{name.strip('/')}/")

    @property
    def uri(self) -> str:
        return f"s3://{self.bucket}/{self.prefix}"

    @classmethod
    def from_uri(cls, uri: str) -> S3Place:
        bucket, _, prefix = uri.removeprefix("s3://").partition("/")
        return cls(bucket, prefix)


def s3_client(session: Any, region: str, endpoint_url: str | None) -> Any:
    """S3 through the backend's own session (same credentials); path-style addressing when an
    endpoint is given (S3-compatible servers and loopback hosts have no bucket subdomains)."""
    from botocore.config import Config

    config = Config(
        region_name=region,
        s3={"addressing_style": "path"} if endpoint_url else {},
        retries={"total_max_attempts": 5, "mode": "standard"},
        user_agent_extra="translator",
    )
    return session.client("s3", endpoint_url=endpoint_url, config=config)


def list_keys(client: Any, place: S3Place) -> list[str]:
    keys: list[str] = []
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=place.bucket, Prefix=place.prefix):
        keys.extend(item["Key"] for item in page.get("Contents", []))
    return sorted(keys)
