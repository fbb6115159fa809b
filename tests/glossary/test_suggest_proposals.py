"""``glossary suggest`` over lecture transcripts: noise left out, candidates proposed as YAML
entries to approve, phrases rendered by the configured LLM backend (the OpenAI-compatible
emulator here)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from translator.testing.openai import OpenAIEmulator

CORPUS = Path(__file__).parent / "corpus"
LECTURE = CORPUS / "feature-store-lecture.en.srt"  # see corpus/README.md
BLEU = Path(__file__).parents[1] / "fixtures" / "subtitles" / "hf-course_60_what-is-the-bleu-metric.en.srt"


def candidates(output: str) -> list[str]:
    return [
        line.split("│")[3].strip() for line in output.splitlines() if line.count("│") > 3 and line.split("│")[1].strip()
    ]


def test_sound_cues_sentence_openings_and_units_are_not_candidates(cli_env):
    result = cli_env.run("glossary", "suggest", str(LECTURE), str(BLEU))
    assert result.exit_code == 0, result.output
    found = candidates(result.output)
    assert "offline store" in found and "online store" in found
    for noise in ("air whooshing", "screen whooshing", "upbeat music", "Now I", "MB", "KB"):
        assert noise not in found, found


def test_yaml_proposals_keep_names_and_leave_renderings_to_fill_in(cli_env, tmp_path: Path):
    proposals = tmp_path / "proposals.yaml"
    result = cli_env.run("glossary", "suggest", str(LECTURE), "--min-count", "1", "-o", str(proposals))
    assert result.exit_code == 0, result.output
    entries = {e["term"]: e for e in yaml.safe_load(proposals.read_text(encoding="utf-8"))["entries"]}
    assert entries["offline store"]["targets"]["ja"]["preferred"] == ""
    assert entries["offline store"]["note"].startswith("Example: ")
    assert "found 2 times" in entries["offline store"]["source"]
    lint = cli_env.run("glossary", "lint", str(proposals))
    assert lint.exit_code == 1  # nothing is approved until a person fills the renderings in
    empty = [line for line in lint.output.splitlines() if "preferred is empty" in line]
    assert len(empty) == sum(1 for e in entries.values() if not e.get("keep"))
    assert cli_env.run("glossary", "suggest", str(LECTURE), "-o", str(proposals)).exit_code == 1  # never overwritten


@pytest.fixture
def llm():
    table = {("offline store", "JA"): "オフラインストア", ("online store", "JA"): "オンラインストア"}
    with OpenAIEmulator(phrase_table=table) as emulator:
        yield emulator


def test_the_configured_llm_backend_proposes_the_renderings(cli_env, llm):
    cli_env.config.write_text('backend = "openai"\n' + cli_env.config.read_text(encoding="utf-8"), encoding="utf-8")
    env = {"OPENAI_BASE_URL": llm.base_url, "OPENAI_API_KEY": "sk-test"}
    result = cli_env.run("glossary", "suggest", str(LECTURE), "--yaml", env=env)
    assert result.exit_code == 0, result.output
    text = result.output[result.output.index("# proposed from") :]
    entries = {e["term"]: e for e in yaml.safe_load(text.split("\nproposed ")[0])["entries"]}
    assert entries["offline store"]["targets"]["ja"]["preferred"] == "オフラインストア"
    assert entries["online store"]["targets"]["ja"]["preferred"] == "オンラインストア"
    assert "rendering proposed by openai, check before approving" in entries["online store"]["source"]
    assert "glossary terms" in llm.prompts[-1] and "offline store: " in llm.prompts[-1]
    assert "sk-test" not in result.output


def test_without_an_llm_backend_no_service_is_asked(cli_env, llm):
    result = cli_env.run("glossary", "suggest", str(LECTURE), "--yaml", env={"OPENAI_BASE_URL": llm.base_url})
    assert result.exit_code == 0, result.output
    assert llm.prompts == []
    assert "2 still need a rendering" in result.output
