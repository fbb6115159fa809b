"""The Amazon Translate backend end to end: the real CLI and boto3 against the emulator over loopback."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from botocore import UNSIGNED
from botocore.config import Config
from botocore.exceptions import ClientError

from tests.backends.aws import ACCESS_KEY, SECRET, isolate_aws, isolate_aws_here
from tests.backends.contract import BackendContract, Subject, contract_settings
from translator.backends.amazon_translate import AmazonTranslateBackend
from translator.config import load_settings
from translator.testing import AmazonTranslateEmulator

GLOSSARY = """\
version: 1
language: en
entries:
  - term: Amazon SageMaker
    aliases: [SageMaker]
    case: exact
    keep: true
    targets:
      ja:
        forbidden: [セージメーカー]
  - term: inference
    targets:
      ja:
        preferred: 推論
"""


@pytest.fixture(autouse=True)
def aws_env(cli_env, monkeypatch: pytest.MonkeyPatch) -> None:
    isolate_aws(cli_env, monkeypatch, region="us-west-2", unset=("AWS_ENDPOINT_URL_TRANSLATE",))


@pytest.fixture
def translate_emu() -> Iterator[AmazonTranslateEmulator]:
    with AmazonTranslateEmulator(
        phrase_table={("Inference is fast.", "JA"): "推論は高速です。"},
        word_table={"SageMaker": "セージメーカー"},
        access_keys=(ACCESS_KEY,),
    ) as emulator:
        yield emulator


def run(cli_env, emulator, *args, env=None):
    return cli_env.run(
        "translate",
        *args,
        "-b",
        "amazon-translate",
        "--backend-url",
        emulator.url,
        "--no-cache",
        "--no-check",
        env=env,
    )


def configure(cli_env, lines: str) -> None:
    text = cli_env.config.read_text(encoding="utf-8")
    cli_env.config.write_text(
        text.replace("[backends.amazon-translate]\n", f"[backends.amazon-translate]\n{lines}\n"), encoding="utf-8"
    )


def bodies(emulator, operation: str) -> list[dict]:
    return [json.loads(r.body) for r in emulator.operations(operation) if r.fault is None]


def test_texts_come_back_in_order_one_per_request_with_codes_kept(cli_env, translate_emu):
    source = cli_env.tmp / "a.txt"
    paragraphs = ["Inference is fast."] + [f"Step {i}: open https://aws.amazon.com/ for {{name}}." for i in range(6)]
    source.write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")
    result = run(cli_env, translate_emu, str(source), "-o", "-", "--no-glossary", "--concurrency", "4")
    assert result.exit_code == 0, result.output
    expected = ["推論は高速です。"] + [f"[ja] Step {i}: open https://aws.amazon.com/ for {{name}}." for i in range(6)]
    assert result.stdout == "\n\n".join(expected) + "\n"
    sent = bodies(translate_emu, "TranslateText")
    assert len(sent) == 7
    assert {(b["SourceLanguageCode"], b["TargetLanguageCode"]) for b in sent} == {("en", "ja")}
    assert all("https://" not in b["Text"] and "<x id=" in b["Text"] for b in sent[1:] if "Step" in b["Text"])


def test_requests_are_signed_by_botocore_and_the_secret_never_shows(cli_env, translate_emu):
    configure(cli_env, 'region = "eu-west-1"')
    source = cli_env.tmp / "a.txt"
    source.write_text("Hello there.\n", encoding="utf-8")
    result = cli_env.run(
        "translate",
        str(source),
        "-b",
        "amazon-translate",
        "--backend-url",
        translate_emu.url,
        "-o",
        "-",
        "--no-check",
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == "[ja] Hello there.\n"
    assert len(translate_emu.signatures) == len(translate_emu.requests)  # the glossary's calls too
    for signature in translate_emu.signatures:
        assert (signature.access_key, signature.service, signature.region) == (ACCESS_KEY, "translate", "eu-west-1")
        assert {"host", "x-amz-date", "x-amz-target"} <= set(signature.signed_headers)
    (request,) = translate_emu.operations("TranslateText")
    assert request.headers["authorization"] == "AWS4-HMAC-SHA256 ***"
    assert request.headers["content-type"] == "application/x-amz-json-1.1"
    assert SECRET not in result.output
    for path in (cli_env.tmp / "cache").rglob("*"):
        if path.is_file():
            assert SECRET.encode() not in path.read_bytes()


def test_an_unsigned_request_is_refused_as_aws_refuses_it(translate_emu):
    client = boto3.client(
        "translate",
        region_name="us-east-1",
        endpoint_url=translate_emu.url,
        config=Config(signature_version=UNSIGNED, retries={"total_max_attempts": 1}),
    )
    with pytest.raises(ClientError) as caught:
        client.translate_text(Text="Hello", SourceLanguageCode="en", TargetLanguageCode="ja")
    assert caught.value.response["Error"]["Code"] == "MissingAuthenticationTokenException"
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403


def test_throttling_server_errors_and_dropped_connections_are_retried(cli_env, translate_emu):
    source = cli_env.tmp / "a.txt"
    source.write_text("Hello there.\n", encoding="utf-8")
    for kind in ("429", "500", "502", "503", "drop"):
        translate_emu.faults.queue(kind)
    result = run(cli_env, translate_emu, str(source), "-o", "-", "--no-glossary")
    assert result.exit_code == 0, result.output
    assert result.stdout == "[ja] Hello there.\n"
    assert [r.fault for r in translate_emu.operations("TranslateText")] == ["429", "500", "502", "503", "drop", None]
    assert translate_emu.requests[0].status == 400  # Translate throttles with TooManyRequestsException, HTTP 400


def test_an_account_limit_stops_at_once_and_names_the_quota(cli_env, translate_emu):
    source = cli_env.tmp / "a.txt"
    source.write_text("Hello there.\n", encoding="utf-8")
    translate_emu.faults.queue("quota", count=5)
    result = run(cli_env, translate_emu, str(source), "-o", "-", "--no-glossary")
    assert result.exit_code == 4
    assert "quota" in result.stderr.lower() and "LimitExceededException" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert len(translate_emu.operations("TranslateText")) == 1


def test_the_glossary_becomes_a_terminology_imported_once_and_reused(cli_env, translate_emu):
    glossary = cli_env.tmp / "team.yaml"
    glossary.write_text(GLOSSARY, encoding="utf-8")
    source = cli_env.tmp / "a.txt"
    source.write_text("Amazon SageMaker runs inference at scale.\n\nWe run inference daily.\n", encoding="utf-8")
    args = (
        "translate",
        str(source),
        "-b",
        "amazon-translate",
        "--backend-url",
        translate_emu.url,
        "-o",
        "-",
        "--no-cache",
        "--no-check",
        "--glossary",
        str(glossary),
    )
    first = cli_env.run(*args)
    second = cli_env.run(*args)
    assert first.exit_code == 0 and second.exit_code == 0, first.output + second.output
    assert first.stdout == second.stdout
    assert translate_emu.imports == 1
    (name,) = translate_emu.terminologies
    assert name.startswith("translator-")
    assert all(b["TerminologyNames"] == [name] for b in bodies(translate_emu, "TranslateText"))
    lines = first.stdout.splitlines()
    assert lines[0].startswith("Amazon SageMaker ") and "推論" in lines[0]  # keep-term intact, term applied
    assert "セージメーカー" not in first.stdout
    terminology = translate_emu.terminologies[name]
    assert (terminology.source_lang, terminology.target_langs) == ("en", ("ja",))
    assert terminology.terms["inference"] == {"ja": "推論"}


def test_translation_settings_come_from_the_config_and_bad_ones_are_named(cli_env, translate_emu):
    source = cli_env.tmp / "a.txt"
    source.write_text("Hello there.\n", encoding="utf-8")
    configure(cli_env, 'formality = "formal"\nprofanity = "mask"')
    result = run(cli_env, translate_emu, str(source), "-o", "-", "--no-glossary")
    assert result.exit_code == 0, result.output
    (body,) = bodies(translate_emu, "TranslateText")
    assert body["Settings"] == {"Formality": "FORMAL", "Profanity": "MASK"}

    configure(cli_env, 'brevity = "sometimes"')
    result = run(cli_env, translate_emu, str(source), "-o", "-", "--no-glossary")
    assert result.exit_code == 1
    assert "brevity must be one of ON" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_the_endpoint_can_come_from_botocores_own_variable(cli_env, translate_emu, monkeypatch):
    source = cli_env.tmp / "a.txt"
    source.write_text("Hello there.\n", encoding="utf-8")
    env = {"AWS_ENDPOINT_URL_TRANSLATE": translate_emu.url}
    result = cli_env.run(
        "translate", str(source), "-b", "amazon-translate", "-o", "-", "--no-check", "--no-glossary", env=env
    )
    assert result.exit_code == 0, result.output
    assert len(translate_emu.operations("TranslateText")) == 1

    monkeypatch.setenv("AWS_ENDPOINT_URL_TRANSLATE", translate_emu.url)  # botocore reads it by itself too
    client = boto3.client(
        "translate", region_name="us-east-1", aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET
    )
    assert (
        client.translate_text(Text="Bye.", SourceLanguageCode="en", TargetLanguageCode="ja")["TranslatedText"]
        == "[ja] Bye."
    )


def test_missing_credentials_say_in_one_line_how_to_provide_them(cli_env, translate_emu):
    source = cli_env.tmp / "a.txt"
    source.write_text("Hello.\n", encoding="utf-8")
    result = run(
        cli_env, translate_emu, str(source), "-o", "-", env={"AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": ""}
    )
    assert result.exit_code == 1
    assert len(result.stderr.strip().splitlines()) == 1
    assert "no AWS credentials found" in result.stderr
    assert "AWS_ACCESS_KEY_ID" in result.stderr and "aws configure" in result.stderr
    assert translate_emu.requests == []


def test_a_refused_key_is_an_auth_error_not_retried(cli_env, translate_emu):
    source = cli_env.tmp / "a.txt"
    source.write_text("Hello.\n", encoding="utf-8")
    result = run(
        cli_env,
        translate_emu,
        str(source),
        "-o",
        "-",
        "--no-glossary",
        env={"AWS_ACCESS_KEY_ID": "AKIAUNKNOWN000000000"},
    )
    assert result.exit_code == 3
    assert "UnrecognizedClientException" in result.stderr and "credentials" in result.stderr
    assert SECRET not in result.output
    assert len(translate_emu.requests) == 1


def test_backends_lists_both_aws_backends_and_whether_credentials_were_found(cli_env):
    result = cli_env.run("backends", "--offline")
    assert result.exit_code == 0, result.output
    rows = {line.split("│")[1].strip(): line for line in result.stdout.splitlines() if line.count("│") >= 3}
    assert "configured" in rows["amazon-translate"] and "configured" in rows["bedrock"]
    assert SECRET not in result.stdout and ACCESS_KEY not in result.stdout

    result = cli_env.run("backends", "--offline", env={"AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": ""})
    rows = {line.split("│")[1].strip(): line for line in result.stdout.splitlines() if line.count("│") >= 3}
    assert "not ready" in rows["amazon-translate"] and "no AWS credentials" in rows["amazon-translate"]


def test_readiness_checks_the_credentials_against_the_service(cli_env, translate_emu, monkeypatch):
    for name, value in cli_env.env.items():
        monkeypatch.setenv(name, value)
    settings = load_settings(config_file=cli_env.config)
    backend = AmazonTranslateBackend.from_settings(settings, url=translate_emu.url)
    readiness = asyncio.run(backend.readiness())
    assert readiness.ready and readiness.detail.startswith("credentials (env) accepted; region us-west-2")
    assert SECRET not in readiness.detail
    assert [r.headers["x-amz-target"] for r in translate_emu.requests] == [
        "AWSShineFrontendService_20170701.ListLanguages"
    ]


class TestAmazonTranslateContract(BackendContract):
    @pytest.fixture
    def subject(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Subject]:
        env = isolate_aws_here(tmp_path, monkeypatch, region="us-west-2", unset=("AWS_ENDPOINT_URL_TRANSLATE",))
        with AmazonTranslateEmulator(access_keys=(ACCESS_KEY,)) as emulator:
            settings = contract_settings(tmp_path, "amazon-translate", env, url=emulator.url, timeout=self.timeout)
            yield Subject(
                AmazonTranslateBackend.from_settings(settings),
                emulator,
                secrets=(ACCESS_KEY, SECRET),
                refuse_credentials=lambda: setattr(emulator, "access_keys", frozenset()),
            )


def test_a_request_botocore_refuses_before_sending_is_one_line():
    from botocore.exceptions import ParamValidationError

    from translator.backends._aws import map_botocore_error

    refused = ParamValidationError(report="Invalid length for parameter Text, value: 0, valid min length: 1")
    message = str(map_botocore_error(refused, "Amazon Translate"))
    assert "\n" not in message  # botocore's own message spans two lines
    assert message == (
        "Amazon Translate: Parameter validation failed: Invalid length for parameter Text, value: 0, valid min length: 1"
    )
