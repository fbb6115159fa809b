"""Batch-mode fixtures: a real S3 server (moto's server mode) and the AWS emulators running their
batch jobs against it, with the CLI's AWS environment pointed at both."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest

from tests.backends.aws import ACCESS_KEY, SECRET, isolate_aws
from translator.testing import AmazonTranslateEmulator, BedrockEmulator
from translator.testing.s3 import S3Server

ROLE = "arn:aws:iam::123456789012:role/TranslateBatch"
_buckets = itertools.count()


@pytest.fixture(scope="session")
def s3_server() -> Iterator[S3Server]:
    with S3Server() as server:
        yield server


@pytest.fixture
def bucket(s3_server: S3Server) -> str:
    """A fresh bucket per test (moto keeps its state for the whole session)."""
    name = f"translator-batch-{next(_buckets)}"
    s3_server.client(ACCESS_KEY, SECRET).create_bucket(Bucket=name)
    return name


@pytest.fixture(autouse=True)
def aws_env(cli_env, monkeypatch: pytest.MonkeyPatch, s3_server: S3Server) -> None:
    isolate_aws(
        cli_env,
        monkeypatch,
        region="us-east-1",
        unset=(
            "AWS_ENDPOINT_URL_TRANSLATE",
            "AWS_ENDPOINT_URL_S3",
            "AWS_ENDPOINT_URL_BEDROCK",
            "AWS_ENDPOINT_URL_BEDROCK_RUNTIME",
        ),
    )
    cli_env.env["AWS_ENDPOINT_URL_S3"] = s3_server.url


@pytest.fixture
def translate_emu(s3_server: S3Server) -> Iterator[AmazonTranslateEmulator]:
    with AmazonTranslateEmulator(access_keys=(ACCESS_KEY,), s3_endpoint=s3_server.url) as emulator:
        yield emulator


@pytest.fixture
def bedrock_emu(s3_server: S3Server) -> Iterator[BedrockEmulator]:
    with BedrockEmulator(access_keys=(ACCESS_KEY,), s3_endpoint=s3_server.url) as emulator:
        yield emulator


def configure(cli_env, backend: str, lines: str) -> None:
    text = cli_env.config.read_text(encoding="utf-8")
    cli_env.config.write_text(
        text.replace(f"[backends.{backend}]\n", f"[backends.{backend}]\n{lines}\n"), encoding="utf-8"
    )
