"""The glossary inside ``translate``, end to end against the DeepL emulator over loopback HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import DEEPL_KEY
from translator.config import load_settings
from translator.glossary.enforce import build_glossary_stage
from translator.runs.translate import TranslateOptions, translate_sources
from translator.testing import DeepLEmulator

SOURCE = "Amazon SageMaker runs inference at scale.\n\nWe run inference daily.\n"
PLANTED = {"We run inference daily.": "毎日推測を実行します。"}  # 推測 is forbidden for inference
KATAKANA = {"Amazon SageMaker": "アマゾンセージメーカー", "SageMaker": "セージメーカー"}


@pytest.fixture
def emulator() -> Iterator[DeepLEmulator]:
    with DeepLEmulator(phrase_table=PLANTED, word_table=KATAKANA, auth_keys=(DEEPL_KEY,)) as server:
        yield server


@pytest.fixture
def source(cli_env) -> Path:
    path = cli_env.tmp / "doc.txt"
    path.write_text(SOURCE, encoding="utf-8")
    return path


def translate(cli_env, emulator, source, team_glossary, *extra):
    return cli_env.run(
        "translate",
        str(source),
        "-o",
        "-",
        "-b",
        "deepl",
        "--backend-url",
        emulator.url,
        "--no-cache",
        "--no-check",
        "--glossary",
        str(team_glossary),
        *extra,
    )


def test_the_deepl_glossary_is_created_once_and_reused_on_the_next_run(cli_env, emulator, source, team_glossary):
    first = translate(cli_env, emulator, source, team_glossary)
    second = translate(cli_env, emulator, source, team_glossary)
    assert first.exit_code == 0 and second.exit_code == 0, first.output + second.output
    assert emulator.glossary_creations == 1
    used = {r.json.get("glossary_id") for r in emulator.requests if r.path == "/v2/translate"}
    assert used == set(emulator.glossaries)


def test_a_keep_term_is_byte_identical_even_when_the_engine_would_change_it(cli_env, emulator, source, team_glossary):
    result = translate(cli_env, emulator, source, team_glossary)
    assert result.exit_code == 0, result.output
    first_line = result.stdout.splitlines()[0]
    assert first_line.startswith("Amazon SageMaker ")
    assert "セージメーカー" not in result.stdout


def test_without_the_glossary_the_engine_does_change_it(cli_env, emulator, source):
    result = cli_env.run(
        "translate",
        str(source),
        "-o",
        "-",
        "-b",
        "deepl",
        "--backend-url",
        emulator.url,
        "--no-cache",
        "--no-check",
        "--no-glossary",
    )
    assert "アマゾンセージメーカー" in result.stdout  # proves the test above exercises protection


def test_a_planted_forbidden_rendering_is_repaired_and_counted(cli_env, emulator, source, team_glossary):
    result = translate(cli_env, emulator, source, team_glossary)
    assert "毎日推論を実行します。" in result.stdout
    assert "推測" not in result.stdout

    settings = load_settings(env={**cli_env.env, "DEEPL_AUTH_KEY": DEEPL_KEY}, cwd=cli_env.tmp, cache=False)
    options = TranslateOptions(
        output=str(cli_env.tmp / "out.txt"),
        backend_url=emulator.url,
        glossary=build_glossary_stage(settings, [str(team_glossary)]),
    )
    run = translate_sources([str(source)], settings.with_overrides(backend="deepl"), options)
    findings = [f for outcome in run.outcomes for f in outcome.result.findings if f.check.startswith("glossary.")]
    repaired = [f for f in findings if f.check == "glossary.forbidden" and f.repaired]
    assert len(repaired) == 1
    assert (repaired[0].expected, repaired[0].found) == ("推論", "推測")
    assert not [f for f in findings if not f.repaired and f.check == "glossary.forbidden"]


def test_the_shipped_glossaries_alone_keep_sagemaker_and_repair_inference(cli_env, emulator, source):
    result = cli_env.run(
        "translate", str(source), "-o", "-", "-b", "deepl", "--backend-url", emulator.url, "--no-cache", "--no-check"
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Amazon SageMaker ")
    assert "毎日推論を実行します。" in result.stdout
    assert emulator.glossary_creations == 1
