"""The other offline route: a local OpenAI-compatible LLM server (Ollama, llama.cpp's server,
vLLM, LM Studio) through the ``openai`` backend, with the glossary in its instructions."""

from __future__ import annotations

import pytest

from translator.testing.openai import OpenAIEmulator

MODEL = "llama3.1:8b"


@pytest.fixture
def ollama():
    # A local server takes any key; "ollama" is what its documentation suggests.
    with OpenAIEmulator(api_keys=("ollama",), model=MODEL) as server:
        yield server


def test_a_local_server_translates_with_the_glossary_in_the_prompt(cli_env, ollama):
    config = cli_env.config.read_text(encoding="utf-8")
    cli_env.config.write_text(config.replace("[backends.openai]\n", f'[backends.openai]\nmodel = "{MODEL}"\n'), "utf-8")
    source = cli_env.tmp / "lesson.txt"
    source.write_text("Amazon SageMaker runs a training job.\n", encoding="utf-8")
    result = cli_env.run(
        "translate",
        str(source),
        "-b",
        "openai",
        "-o",
        "-",
        "--no-check",
        "--no-cache",
        env={"OPENAI_BASE_URL": ollama.base_url, "OPENAI_API_KEY": "ollama", "DEEPL_AUTH_KEY": ""},
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == "Amazon SageMaker [ja] runs a training job.\n"  # the emulator's pseudo-Japanese
    (chat,) = [r for r in ollama.requests if r.path == "/v1/chat/completions"]
    assert chat.json["model"] == MODEL
    (prompt,) = ollama.prompts
    assert "training job → トレーニングジョブ" in prompt
    assert "Amazon SageMaker: keep in English" in prompt


def test_a_local_server_that_is_not_running_is_one_line(cli_env, ollama):
    url = ollama.base_url
    ollama.stop()
    source = cli_env.tmp / "a.txt"
    source.write_text("Hello.\n", encoding="utf-8")
    result = cli_env.run(
        "translate",
        str(source),
        "-b",
        "openai",
        "-o",
        "-",
        "--no-check",
        "--no-cache",
        env={"OPENAI_BASE_URL": url, "OPENAI_API_KEY": "ollama", "TRANSLATOR_MAX_RETRIES": "0"},
    )
    assert result.exit_code == 5  # could not be reached, like any service
    assert len(result.stderr.strip().splitlines()) == 1
    assert f"cannot reach the LLM server at {url}" in result.stderr
