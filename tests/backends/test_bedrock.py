"""The Amazon Bedrock backend end to end: the real CLI and boto3 against the Converse emulator."""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.backends.aws import ACCESS_KEY, SECRET, isolate_aws, isolate_aws_here
from tests.backends.contract import BackendContract, Subject, contract_settings
from translator.backends.bedrock import DEFAULT_MODEL, BedrockBackend
from translator.testing import BedrockEmulator

GLOSSARY = """\
version: 1
language: en
entries:
  - term: inference
    targets:
      ja:
        preferred: 推論
        forbidden: [推測]
"""


@pytest.fixture(autouse=True)
def aws_env(cli_env, monkeypatch: pytest.MonkeyPatch) -> None:
    isolate_aws(
        cli_env, monkeypatch, region="us-east-1", unset=("AWS_ENDPOINT_URL_BEDROCK_RUNTIME", "AWS_BEARER_TOKEN_BEDROCK")
    )


@pytest.fixture
def bedrock() -> Iterator[BedrockEmulator]:
    with BedrockEmulator(
        phrase_table={("Inference is fast.", "JA"): "推論は高速です。"}, access_keys=(ACCESS_KEY,)
    ) as emu:
        yield emu


def run(cli_env, emulator, *args, env=None):
    return cli_env.run(
        "translate",
        *args,
        "-b",
        "bedrock",
        "--no-cache",
        "--no-check",
        env={"AWS_ENDPOINT_URL_BEDROCK_RUNTIME": emulator.url, **(env or {})},
    )


def write(cli_env, text: str):
    source = cli_env.tmp / "a.txt"
    source.write_text(text, encoding="utf-8")
    return str(source)


def test_batches_come_back_in_order_with_codes_kept_and_signed_requests(cli_env, bedrock):
    source = write(cli_env, "Inference is fast.\n\nSee https://aws.amazon.com/ now.\n")
    result = run(cli_env, bedrock, source, "-o", "-", "--no-glossary")
    assert result.exit_code == 0, result.output
    assert result.stdout == "推論は高速です。\n\n[ja] See https://aws.amazon.com/ now.\n"
    (request,) = bedrock.converse_requests()
    assert urllib.parse.unquote(request.path) == f"/model/{DEFAULT_MODEL}/converse"
    assert request.headers["authorization"] == "AWS4-HMAC-SHA256 ***"
    body = request.json
    assert json.loads(body["messages"][0]["content"][0]["text"])["texts"][1].startswith("See <x id=")
    assert body["inferenceConfig"]["temperature"] == 0
    (signature,) = bedrock.signatures
    assert (signature.access_key, signature.service, signature.region) == (ACCESS_KEY, "bedrock", "us-east-1")
    assert SECRET not in result.output


def test_the_model_and_region_come_from_the_config(cli_env, bedrock):
    text = cli_env.config.read_text(encoding="utf-8")
    cli_env.config.write_text(
        text.replace(
            "[backends.bedrock]\n", '[backends.bedrock]\nmodel = "amazon.nova-lite-v1:0"\nregion = "ap-northeast-1"\n'
        ),
        encoding="utf-8",
    )
    result = run(cli_env, bedrock, write(cli_env, "Hello.\n"), "-o", "-", "--no-glossary")
    assert result.exit_code == 0, result.output
    assert bedrock.model_ids == ["amazon.nova-lite-v1:0"]
    assert bedrock.signatures[0].region == "ap-northeast-1"


def test_an_answer_with_a_missing_translation_is_asked_again_then_split(cli_env, bedrock):
    source = write(cli_env, "\n\n".join(f"Sentence {i}." for i in range(6)) + "\n")
    bedrock.misbehave(3)  # the first ask, the second ask, then the first half once
    result = run(cli_env, bedrock, source, "-o", "-", "--no-glossary")
    assert result.exit_code == 0, result.output
    assert result.stdout.split("\n\n") == [f"[ja] Sentence {i}." for i in range(5)] + ["[ja] Sentence 5.\n"]
    assert len(bedrock.converse_requests()) == 5  # 2 for all six, 2 for the first half, 1 for the second


def test_throttling_unready_models_server_errors_and_dropped_connections_are_retried(cli_env, bedrock):
    bedrock.fail_next("ThrottlingException")
    bedrock.fail_next("ModelNotReadyException")
    bedrock.faults.queue("500")
    bedrock.faults.queue("drop")
    result = run(cli_env, bedrock, write(cli_env, "Hello there.\n"), "-o", "-", "--no-glossary")
    assert result.exit_code == 0, result.output
    assert result.stdout == "[ja] Hello there.\n"
    assert [(r.fault, r.status) for r in bedrock.converse_requests()] == [
        ("500", 500),
        ("drop", None),
        (None, 429),
        (None, 429),
        (None, 200),
    ]


@pytest.mark.parametrize(
    "fail",
    [
        lambda emu: emu.faults.queue("quota", count=3),
        lambda emu: emu.fail_next(
            "ThrottlingException", 3, "Too many tokens per day, please wait before trying again."
        ),
    ],
)
def test_a_used_up_quota_stops_at_once(cli_env, bedrock, fail):
    fail(bedrock)
    result = run(cli_env, bedrock, write(cli_env, "Hello.\n"), "-o", "-", "--no-glossary")
    assert result.exit_code == 4
    assert "quota" in result.stderr.lower() and len(result.stderr.strip().splitlines()) == 1
    assert len(bedrock.converse_requests()) == 1


def test_no_access_to_the_model_is_named_and_not_retried(cli_env, bedrock):
    bedrock.fail_next("AccessDeniedException", 3)
    result = run(cli_env, bedrock, write(cli_env, "Hello.\n"), "-o", "-", "--no-glossary")
    assert result.exit_code == 3
    assert "AccessDeniedException" in result.stderr and DEFAULT_MODEL in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert len(bedrock.converse_requests()) == 1


def test_a_model_that_needs_an_inference_profile_says_which_id_to_use(cli_env, bedrock):
    bedrock.fail_next(
        "ValidationException",
        3,
        "Invocation of model ID anthropic.claude-haiku-4-5-20251001-v1:0 with on-demand throughput isn't supported. "
        "Retry your request with the ID or ARN of an inference profile that contains this model.",
    )
    result = run(cli_env, bedrock, write(cli_env, "Hello.\n"), "-o", "-", "--no-glossary")
    assert result.exit_code == 1
    assert "'us.anthropic.claude-haiku-4-5-20251001-v1:0'" in result.stderr
    assert len(bedrock.converse_requests()) == 1


def test_the_glossary_goes_into_the_instructions(cli_env, bedrock):
    glossary = cli_env.tmp / "team.yaml"
    glossary.write_text(GLOSSARY, encoding="utf-8")
    result = run(cli_env, bedrock, write(cli_env, "We run inference daily.\n"), "-o", "-", "--glossary", str(glossary))
    assert result.exit_code == 0, result.output
    (prompt,) = bedrock.prompts
    assert "inference → 推論" in prompt and "never 推測" in prompt


def test_missing_credentials_say_in_one_line_how_to_provide_them(cli_env, bedrock):
    result = run(
        cli_env,
        bedrock,
        write(cli_env, "Hello.\n"),
        "-o",
        "-",
        env={"AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": ""},
    )
    assert result.exit_code == 1
    assert len(result.stderr.strip().splitlines()) == 1
    assert "no AWS credentials found" in result.stderr and "[backends.bedrock] profile" in result.stderr
    assert bedrock.requests == []


def test_an_unknown_access_key_is_refused_by_the_emulator(cli_env, bedrock):
    result = run(
        cli_env,
        bedrock,
        write(cli_env, "Hello.\n"),
        "-o",
        "-",
        "--no-glossary",
        env={"AWS_ACCESS_KEY_ID": "AKIAUNKNOWN000000000"},
    )
    assert result.exit_code == 3
    assert "UnrecognizedClientException" in result.stderr
    assert SECRET not in result.output


class TestBedrockContract(BackendContract):
    @pytest.fixture
    def subject(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Subject]:
        env = isolate_aws_here(
            tmp_path,
            monkeypatch,
            region="us-east-1",
            unset=("AWS_ENDPOINT_URL_BEDROCK_RUNTIME", "AWS_BEARER_TOKEN_BEDROCK"),
        )
        with BedrockEmulator(access_keys=(ACCESS_KEY,)) as emulator:
            settings = contract_settings(tmp_path, "bedrock", env, url=emulator.url, timeout=self.timeout)
            yield Subject(
                BedrockBackend.from_settings(settings),
                emulator,
                path="/model/",
                secrets=(ACCESS_KEY, SECRET),
                refuse_credentials=lambda: setattr(emulator, "access_keys", frozenset()),
            )
