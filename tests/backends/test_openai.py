"""The OpenAI-compatible backend end to end against its emulator."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.backends.contract import BackendContract, Subject, contract_settings
from translator.backends.openai_compat import OpenAICompatibleBackend
from translator.testing.openai import OpenAIEmulator

API_KEY = "sk-contract-0123456789"


@pytest.fixture
def llm():
    with OpenAIEmulator(phrase_table={("Inference is fast.", "JA"): "推論は高速です。"}) as emulator:
        yield emulator


def run(cli_env, emulator, *args, env=None):
    return cli_env.run(
        "translate",
        *args,
        "-b",
        "openai",
        "--no-cache",
        "--no-check",
        "--no-glossary",
        env={"OPENAI_BASE_URL": emulator.base_url, "OPENAI_API_KEY": "sk-test", **(env or {})},
    )


def test_batches_come_back_in_order_with_codes_kept(cli_env, llm):
    source = cli_env.tmp / "a.txt"
    source.write_text("Inference is fast.\n\nSee https://aws.amazon.com/ now.\n", encoding="utf-8")
    result = run(cli_env, llm, str(source), "-o", "-")
    assert result.exit_code == 0, result.output
    assert result.stdout == "推論は高速です。\n\n[ja] See https://aws.amazon.com/ now.\n"
    (chat,) = [r for r in llm.requests if r.path == "/v1/chat/completions"]
    assert chat.headers["authorization"] == "Bearer ***"
    assert chat.json["response_format"] == {"type": "json_object"}


def test_an_answer_with_a_missing_translation_is_asked_again_then_split(cli_env, llm):
    source = cli_env.tmp / "a.txt"
    source.write_text("\n\n".join(f"Sentence {i}." for i in range(6)) + "\n", encoding="utf-8")
    llm.misbehave(3)  # the first ask, the second ask, then the first half once
    result = run(cli_env, llm, str(source), "-o", "-")
    assert result.exit_code == 0, result.output
    assert result.stdout.split("\n\n") == [f"[ja] Sentence {i}." for i in range(5)] + ["[ja] Sentence 5.\n"]


def test_insufficient_quota_stops_without_retrying(cli_env, llm):
    source = cli_env.tmp / "a.txt"
    source.write_text("Hello.\n", encoding="utf-8")
    llm.faults.queue("quota", count=3, path="/v1/chat/completions")
    result = run(cli_env, llm, str(source), "-o", "-")
    assert result.exit_code == 4
    assert "insufficient_quota" in result.stderr
    assert len([r for r in llm.requests if r.path == "/v1/chat/completions"]) == 1


def test_wrong_key_names_the_variable(cli_env, llm):
    source = cli_env.tmp / "a.txt"
    source.write_text("Hello.\n", encoding="utf-8")
    result = run(cli_env, llm, str(source), "-o", "-", env={"OPENAI_API_KEY": "sk-wrong-secret"})
    assert result.exit_code == 3
    assert "OPENAI_API_KEY" in result.stderr and "sk-wrong-secret" not in result.stderr


def test_rate_limits_server_errors_drops_and_timeouts_are_retried(cli_env, llm):
    source = cli_env.tmp / "a.txt"
    source.write_text("Inference is fast.\n", encoding="utf-8")
    path = "/v1/chat/completions"
    llm.faults.queue("429", retry_after=0, path=path)
    llm.faults.queue("500", path=path)
    llm.faults.queue("drop", path=path)
    llm.faults.queue("slow", seconds=3.0, path=path)  # the test config times out at 2 s
    result = run(cli_env, llm, str(source), "-o", "-")
    assert result.exit_code == 0, result.output
    assert result.stdout == "推論は高速です。\n"
    assert [r.fault for r in llm.requests if r.path == path] == ["429", "500", "drop", "slow", None]


class TestOpenAIContract(BackendContract):
    @pytest.fixture
    def subject(self, tmp_path: Path) -> Iterator[Subject]:
        with OpenAIEmulator(api_keys=(API_KEY,)) as emulator:
            settings = contract_settings(
                tmp_path, "openai", {"OPENAI_API_KEY": API_KEY}, url=emulator.base_url, timeout=self.timeout
            )
            yield Subject(
                OpenAICompatibleBackend.from_settings(settings),
                emulator,
                path="/v1/chat/completions",
                secrets=(API_KEY,),
                refuse_credentials=lambda: setattr(emulator, "api_keys", frozenset()),
            )
