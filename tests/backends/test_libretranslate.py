"""The LibreTranslate backend end to end against its emulator."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.backends.contract import BackendContract, Subject, contract_settings
from translator.backends.libretranslate import LibreTranslateBackend
from translator.testing import LibreTranslateEmulator

API_KEY = "lt-contract-key-0123"


def run(cli_env, emulator, *args, env=None):
    return cli_env.run(
        "translate",
        *args,
        "-b",
        "libretranslate",
        "--no-cache",
        "--no-check",
        "--no-glossary",
        env={"LIBRETRANSLATE_URL": emulator.url, **(env or {})},
    )


def test_q_is_sent_as_an_array_and_answers_come_back_in_order(cli_env, libretranslate):
    source = cli_env.tmp / "a.txt"
    source.write_text("One `x` thing.\n\nTwo things, see https://example.com/a.\n", encoding="utf-8")
    result = run(cli_env, libretranslate, str(source), "-o", "-")
    assert result.exit_code == 0, result.output
    (request,) = [r for r in libretranslate.requests if r.path == "/translate"]
    assert isinstance(request.json["q"], list) and len(request.json["q"]) == 2
    assert request.json["format"] == "html" and request.json["source"] == "en" and request.json["target"] == "ja"
    assert "https://example.com/a" not in request.json["q"][1]
    assert result.stdout.splitlines()[2] == "[ja] Two things, see https://example.com/a."


def test_url_from_config_and_api_key_sent_only_when_set(cli_env):
    with LibreTranslateEmulator(api_keys=("lt-secret",)) as emulator:
        source = cli_env.tmp / "a.txt"
        source.write_text("Hello.\n", encoding="utf-8")
        refused = run(cli_env, emulator, str(source), "-o", "-")
        assert refused.exit_code == 3 and "LIBRETRANSLATE_API_KEY" in refused.stderr
        accepted = run(cli_env, emulator, str(source), "-o", "-", env={"LIBRETRANSLATE_API_KEY": "lt-secret"})
        assert accepted.exit_code == 0, accepted.output
        assert "lt-secret" not in accepted.output


def test_rate_limits_and_server_errors_are_retried(cli_env, libretranslate):
    source = cli_env.tmp / "a.txt"
    source.write_text("Hello.\n", encoding="utf-8")
    libretranslate.faults.queue("429", path="/translate")
    libretranslate.faults.queue("500", path="/translate")
    libretranslate.faults.queue("drop", path="/translate")
    result = run(cli_env, libretranslate, str(source), "-o", "-")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "[ja] Hello."


def test_unreachable_server_is_one_line(cli_env):
    source = cli_env.tmp / "a.txt"
    source.write_text("Hello.\n", encoding="utf-8")
    result = cli_env.run(
        "translate",
        str(source),
        "-b",
        "libretranslate",
        "--backend-url",
        "http://127.0.0.1:9",
        "-o",
        "-",
        "--no-cache",
        "--no-check",
        "--no-glossary",
    )
    assert result.exit_code == 5
    assert "cannot reach LibreTranslate at http://127.0.0.1:9" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_daily_limit_stops_at_once_and_a_slow_answer_is_retried(cli_env, libretranslate):
    source = cli_env.tmp / "a.txt"
    source.write_text("Hello.\n", encoding="utf-8")
    libretranslate.faults.queue("slow", seconds=3.0, path="/translate")  # the test config times out at 2 s
    result = run(cli_env, libretranslate, str(source), "-o", "-")
    assert result.exit_code == 0, result.output
    assert [r.fault for r in libretranslate.requests if r.path == "/translate"] == ["slow", None]
    libretranslate.reset()
    libretranslate.faults.queue("quota", count=3, path="/translate")
    result = run(cli_env, libretranslate, str(source), "-o", "-")
    assert result.exit_code == 4
    assert "daily request limit" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert len([r for r in libretranslate.requests if r.path == "/translate"]) == 1


def test_credentials_in_the_server_url_stay_out_of_the_cache_and_reports(cli_env, libretranslate):
    source = cli_env.tmp / "a.txt"
    source.write_text("Hello.\n", encoding="utf-8")
    url = libretranslate.url.replace("http://", "http://reader:s3cret-pass@")
    report = cli_env.tmp / "r.json"
    result = cli_env.run(
        "translate",
        str(source),
        "-b",
        "libretranslate",
        "--backend-url",
        url,
        "-o",
        "-",
        "--no-check",
        "--no-glossary",
        "--report",
        str(report),
    )
    assert result.exit_code == 0, result.output
    stored = b"".join(p.read_bytes() for p in (cli_env.tmp / "cache").rglob("*") if p.is_file())
    assert stored and b"s3cret" not in stored
    assert "s3cret" not in report.read_text(encoding="utf-8") + result.output


class TestLibreTranslateContract(BackendContract):
    @pytest.fixture
    def subject(self, tmp_path: Path) -> Iterator[Subject]:
        with LibreTranslateEmulator(api_keys=(API_KEY,)) as emulator:
            settings = contract_settings(
                tmp_path, "libretranslate", {"LIBRETRANSLATE_API_KEY": API_KEY}, url=emulator.url, timeout=self.timeout
            )
            yield Subject(
                LibreTranslateBackend.from_settings(settings),
                emulator,
                path="/translate",
                secrets=(API_KEY,),
                refuse_credentials=lambda: setattr(emulator, "api_keys", frozenset()),
            )
