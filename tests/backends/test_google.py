"""The Google Cloud Translation backend end to end: the real CLI against the loopback emulator."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from textwrap import dedent

import httpx
import pytest

from tests.backends.contract import BackendContract, Subject, contract_settings
from translator.backends.google import GoogleBackend, _map_status
from translator.errors import AuthError, QuotaExceeded, TransientError
from translator.testing import GoogleTranslateEmulator
from translator.testing.google import EmulatedGlossary

TOKEN = "ya29.test-token-0123456789"
API_KEY = "AIzaSy-contract-key-0123456789"
PROJECT = "test-project"
V3_PATH = f"/v3/projects/{PROJECT}/locations/global:translateText"
GLOSSARY = """\
    version: 1
    language: en
    entries:
      - term: inference
        targets:
          ja:
            preferred: 推論
      - term: Amazon SageMaker
        keep: true
        case: exact
    """


@pytest.fixture
def google() -> Iterator[GoogleTranslateEmulator]:
    with GoogleTranslateEmulator(access_tokens=(TOKEN,), project=PROJECT) as emulator:
        yield emulator


def v3_env(**extra: str) -> dict[str, str]:
    return {"GOOGLE_ACCESS_TOKEN": TOKEN, "GOOGLE_CLOUD_PROJECT": PROJECT, "GOOGLE_API_KEY": "", **extra}


def run_google(cli_env, emulator, *args, env=None):
    return cli_env.run(
        "translate", *args, "-b", "google", "--backend-url", emulator.url, "--no-check", env=env or v3_env()
    )


def translate_requests(emulator, path=V3_PATH):
    return [r for r in emulator.requests if r.path == path]


def add_config(cli_env, text: str) -> None:
    """Add settings to the ``[backends.google]`` table of the test configuration."""
    config = cli_env.config.read_text(encoding="utf-8")
    header = "[backends.google]\n"
    cli_env.config.write_text(config.replace(header, header + dedent(text).lstrip()), encoding="utf-8")


def test_v3_request_shape_keeps_codes_and_redacts_the_token(cli_env, google):
    source = cli_env.tmp / "a.md"
    source.write_text("It's **fast**: see https://aws.amazon.com/sagemaker/ for {name}.\n", encoding="utf-8")
    result = run_google(cli_env, google, str(source), "-o", "-", "--no-cache", "--no-glossary")
    assert result.exit_code == 0, result.output
    (request,) = translate_requests(google)
    body = request.json
    assert request.headers["authorization"] == "Bearer ***"
    assert request.headers["x-goog-user-project"] == PROJECT
    assert body["sourceLanguageCode"] == "en" and body["targetLanguageCode"] == "ja"
    assert body["mimeType"] == "text/html" and "glossaryConfig" not in body
    assert "https://aws.amazon.com" not in json.dumps(body)  # protected, never sent
    assert result.stdout.strip().endswith("It's **fast**: see https://aws.amazon.com/sagemaker/ for {name}.")
    assert "[ja]" in result.stdout.replace("\\", "")  # Markdown escapes the brackets


def test_many_paragraphs_come_back_in_order_in_small_requests(cli_env, google):
    source = cli_env.tmp / "big.txt"
    source.write_text("".join(f"Paragraph {i} trains model {i}.\n\n" for i in range(400)), encoding="utf-8")
    result = run_google(cli_env, google, str(source), "-o", "-", "--no-cache", "--no-glossary")
    assert result.exit_code == 0, result.output
    requests = translate_requests(google)
    assert len(requests) > 1
    assert all(sum(len(json.dumps(t).encode()) + 1 for t in r.json["contents"]) <= 5000 for r in requests)
    lines = [line for line in result.stdout.splitlines() if line]
    assert lines == [f"[ja] Paragraph {i} trains model {i}." for i in range(400)]


def test_faults_on_a_third_of_requests_do_not_change_the_output(cli_env, google):
    source = cli_env.tmp / "doc.txt"
    source.write_text("".join(f"Paragraph {i} saves cost on Spot Instances.\n\n" for i in range(300)), encoding="utf-8")
    clean, faulty = cli_env.tmp / "clean.txt", cli_env.tmp / "faulty.txt"
    assert run_google(cli_env, google, str(source), "-o", str(clean), "--no-cache", "--no-glossary").exit_code == 0
    google.reset()
    google.faults.random(0.3, kinds=["429", "500", "502", "503", "drop"], seed=3, path=V3_PATH)
    result = run_google(cli_env, google, str(source), "-o", str(faulty), "--no-cache", "--no-glossary")
    assert result.exit_code == 0, result.output
    assert len([r for r in translate_requests(google) if r.fault]) >= 2
    assert faulty.read_bytes() == clean.read_bytes()


def test_an_exhausted_daily_quota_stops_at_once(cli_env, google):
    source = cli_env.tmp / "a.txt"
    source.write_text("Hello there.\n", encoding="utf-8")
    google.faults.queue("quota", count=5, path=V3_PATH)
    result = run_google(cli_env, google, str(source), "-o", str(cli_env.tmp / "out.txt"), "--no-cache")
    assert result.exit_code == 4
    assert "quota" in result.stderr.lower()
    assert len(result.stderr.strip().splitlines()) == 1
    assert len(translate_requests(google)) == 1  # not retried
    assert not (cli_env.tmp / "out.txt").exists()


def test_a_refused_token_is_reported_in_one_line_and_never_shown(cli_env, google):
    source = cli_env.tmp / "a.txt"
    source.write_text("Hello there.\n", encoding="utf-8")
    secret = "ya29.expired-do-not-show-987"
    result = run_google(cli_env, google, str(source), "-o", "-", env=v3_env(GOOGLE_ACCESS_TOKEN=secret))
    assert result.exit_code == 3
    assert "GOOGLE_ACCESS_TOKEN" in result.stderr and "gcloud auth print-access-token" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert secret not in result.output + result.stderr
    assert all(secret not in repr(r) for r in google.requests)


def test_the_token_stays_out_of_output_log_and_cache(cli_env, google):
    source = cli_env.tmp / "a.txt"
    source.write_text("Hello there.\n", encoding="utf-8")
    result = run_google(cli_env, google, str(source), "-o", "-")
    assert result.exit_code == 0, result.output
    assert TOKEN not in result.output
    assert all(TOKEN not in repr(r) for r in google.requests)
    cached = [p for p in (cli_env.tmp / "cache").rglob("*") if p.is_file()]
    assert cached
    assert all(TOKEN.encode() not in p.read_bytes() for p in cached)


def test_the_glossary_is_uploaded_created_once_and_reused(cli_env, google):
    add_config(
        cli_env,
        """
        location = "us-central1"
        glossary_bucket = "gs://test-bucket/translator"
        """,
    )
    glossary = cli_env.tmp / "team.yaml"
    glossary.write_text(dedent(GLOSSARY), encoding="utf-8")
    source = cli_env.tmp / "a.txt"
    source.write_text("We run inference daily.\n", encoding="utf-8")
    args = [str(source), "-o", "-", "--no-cache", "--glossary", str(glossary)]
    env = v3_env(STORAGE_EMULATOR_HOST=google.url)
    first = run_google(cli_env, google, *args, env=env)
    second = run_google(cli_env, google, *args, env=env)
    assert first.exit_code == 0 and second.exit_code == 0, first.output + second.output
    assert google.glossary_creations == 1
    [(uri, content)] = google.objects.items()
    assert uri.startswith("gs://test-bucket/translator/translator-") and uri.endswith(".csv")
    assert "inference,推論" in content.decode("utf-8").splitlines()
    [name] = google.glossaries
    path = f"/v3/projects/{PROJECT}/locations/us-central1:translateText"
    used = {r.json["glossaryConfig"]["glossary"] for r in translate_requests(google, path)}
    assert used == {name}
    assert "推論" in first.stdout and second.stdout == first.stdout
    polls = [r for r in google.requests if "/operations/" in r.path]
    assert len(polls) == google.polls_until_done + 1


def test_an_existing_glossary_can_be_named_instead(cli_env, google):
    name = f"projects/{PROJECT}/locations/us-central1/glossaries/team"
    google.glossaries[name] = EmulatedGlossary(name, "en", "ja", "gs://test-bucket/team.csv", {"inference": "推論"})
    add_config(
        cli_env,
        f"""
        location = "us-central1"
        glossary = "{name}"
        """,
    )
    glossary = cli_env.tmp / "team.yaml"
    glossary.write_text(dedent(GLOSSARY), encoding="utf-8")
    source = cli_env.tmp / "a.txt"
    source.write_text("We run inference daily.\n", encoding="utf-8")
    result = run_google(cli_env, google, str(source), "-o", "-", "--no-cache", "--glossary", str(glossary))
    assert result.exit_code == 0, result.output
    path = f"/v3/projects/{PROJECT}/locations/us-central1:translateText"
    assert [r.json["glossaryConfig"]["glossary"] for r in translate_requests(google, path)] == [name]
    assert not google.objects and google.glossary_creations == 0
    assert "推論" in result.stdout


def test_a_glossary_in_the_global_location_is_refused_with_the_fix(cli_env, google):
    add_config(cli_env, 'glossary_bucket = "gs://test-bucket/translator"\n')
    source = cli_env.tmp / "a.txt"
    source.write_text("Hello.\n", encoding="utf-8")
    result = run_google(cli_env, google, str(source), "-o", "-")
    assert result.exit_code == 1
    assert 'location = "us-central1"' in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_an_api_key_alone_selects_basic_v2(cli_env, google):
    source = cli_env.tmp / "a.txt"
    source.write_text("It's a <b>test</b> of {name}.\n", encoding="utf-8")
    env = {"GOOGLE_ACCESS_TOKEN": "", "GOOGLE_CLOUD_PROJECT": "", "GOOGLE_API_KEY": "test-api-key"}
    result = run_google(cli_env, google, str(source), "-o", "-", "--no-cache", env=env)
    assert result.exit_code == 0, result.output
    (request,) = translate_requests(google, "/language/translate/v2")
    assert request.headers["x-goog-api-key"] == "***"
    assert request.json["format"] == "html" and request.json["target"] == "ja"
    assert isinstance(request.json["q"], list)
    assert result.stdout.strip() == "[ja] It's a <b>test</b> of {name}."


def test_missing_credentials_and_project_name_the_fix(cli_env):
    source = cli_env.tmp / "a.txt"
    source.write_text("Hello.\n", encoding="utf-8")
    none = {"GOOGLE_ACCESS_TOKEN": "", "GOOGLE_CLOUD_PROJECT": "", "GOOGLE_API_KEY": ""}
    result = cli_env.run("translate", str(source), "-b", "google", "-o", "-", env=none)
    assert result.exit_code == 1
    assert "GOOGLE_ACCESS_TOKEN" in result.stderr and "GOOGLE_API_KEY" in result.stderr
    result = cli_env.run("translate", str(source), "-b", "google", "-o", "-", env={**none, "GOOGLE_ACCESS_TOKEN": "t"})
    assert result.exit_code == 1
    assert "GOOGLE_CLOUD_PROJECT" in result.stderr


def _response(status: int, error: dict) -> httpx.Response:
    return httpx.Response(status, json={"error": {"code": status, **error}})


@pytest.mark.parametrize(
    ("status", "error", "expected"),
    [
        (429, {"message": "Quota exceeded ... per minute per project", "status": "RESOURCE_EXHAUSTED"}, TransientError),
        (429, {"message": "Quota exceeded ... characters per day", "status": "RESOURCE_EXHAUSTED"}, QuotaExceeded),
        (403, {"message": "Daily Limit Exceeded", "errors": [{"reason": "dailyLimitExceeded"}]}, QuotaExceeded),
        (403, {"message": "User Rate Limit Exceeded", "errors": [{"reason": "userRateLimitExceeded"}]}, TransientError),
        (403, {"message": "The caller does not have permission", "status": "PERMISSION_DENIED"}, AuthError),
        (401, {"message": "Request had invalid authentication credentials.", "status": "UNAUTHENTICATED"}, AuthError),
        (400, {"message": "API key not valid.", "details": [{"reason": "API_KEY_INVALID"}]}, AuthError),
    ],
)
def test_google_error_model_is_mapped(status, error, expected):
    mapped = _map_status(_response(status, error))
    assert type(mapped) is expected


class TestGoogleV3Contract(BackendContract):
    @pytest.fixture
    def subject(self, tmp_path: Path) -> Iterator[Subject]:
        with GoogleTranslateEmulator(access_tokens=(TOKEN,), project=PROJECT) as emulator:
            settings = contract_settings(tmp_path, "google", v3_env(), url=emulator.url, timeout=self.timeout)
            yield Subject(
                GoogleBackend.from_settings(settings),
                emulator,
                path=V3_PATH,
                secrets=(TOKEN,),
                refuse_credentials=lambda: setattr(emulator, "access_tokens", frozenset()),
            )


class TestGoogleV2Contract(BackendContract):
    @pytest.fixture
    def subject(self, tmp_path: Path) -> Iterator[Subject]:
        with GoogleTranslateEmulator(access_tokens=(), api_keys=(API_KEY,)) as emulator:
            env = {"GOOGLE_API_KEY": API_KEY}
            settings = contract_settings(tmp_path, "google", env, url=emulator.url, timeout=self.timeout)
            yield Subject(
                GoogleBackend.from_settings(settings),
                emulator,
                path="/language/translate/v2",
                secrets=(API_KEY,),
                refuse_credentials=lambda: setattr(emulator, "api_keys", frozenset()),
            )
