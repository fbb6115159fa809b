"""``--bilingual flagged``: the English stays beside the Japanese only where the checks judged the
translation literal or review, in every format's bilingual layout (through the CLI, translated by
the DeepL emulator over loopback HTTP)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from bs4 import BeautifulSoup

from tests.conftest import DEEPL_KEY
from translator.testing import DeepLEmulator

FLAGGED_EN = "You can change your settings."
FLAGGED_JA = "あなたは設定を変更できます。"  # generic "you" as あなた: judged review
CLEAN = {
    "Stop the training job.": "トレーニングジョブを停止します。",
    "Delete the endpoint.": "エンドポイントを削除します。",
    "Change it in the console.": "コンソールで変更します。",
}
CLEAN_EN, CLEAN_JA = "Stop the training job.", CLEAN["Stop the training job."]


@pytest.fixture
def emulator() -> Iterator[DeepLEmulator]:
    table = {(FLAGGED_EN, "JA"): FLAGGED_JA, **{(en, "JA"): ja for en, ja in CLEAN.items()}}
    with DeepLEmulator(auth_keys=(DEEPL_KEY,), phrase_table=table) as server:
        yield server


def translate(cli_env, emulator, name: str, content: str, *options: str) -> str:
    source = cli_env.tmp / name
    source.write_text(content, encoding="utf-8")
    result = cli_env.run(
        "translate",
        str(source),
        "-b",
        "deepl",
        "--backend-url",
        emulator.url,
        "--no-glossary",
        "--no-cache",
        "--back-translate",
        "none",
        "-o",
        "-",
        *options,
    )
    assert result.exit_code == 0, result.output
    return result.stdout


def test_text_keeps_the_english_paragraph_only_before_a_flagged_translation(cli_env, emulator):
    content = f"{FLAGGED_EN}\n\n{CLEAN_EN}\n"
    assert (
        translate(cli_env, emulator, "a.txt", content, "--bilingual", "flagged")
        == f"{FLAGGED_EN}\n\n{FLAGGED_JA}\n\n{CLEAN_JA}\n"
    )
    assert (
        translate(cli_env, emulator, "a.txt", content, "--bilingual")
        == f"{FLAGGED_EN}\n\n{FLAGGED_JA}\n\n{CLEAN_EN}\n\n{CLEAN_JA}\n"
    )


def test_markdown(cli_env, emulator):
    content = f"# {CLEAN_EN}\n\n{FLAGGED_EN}\n\n- {CLEAN_EN}\n- {FLAGGED_EN}\n"
    assert translate(cli_env, emulator, "a.md", content, "--bilingual", "flagged") == (
        f"# {CLEAN_JA}\n\n{FLAGGED_EN}\n\n{FLAGGED_JA}\n\n- {CLEAN_JA}\n- {FLAGGED_EN}\\\n  {FLAGGED_JA}\n"
    )


def test_html(cli_env, emulator):
    content = f"<html lang='en'><body><p>{FLAGGED_EN}</p><p>{CLEAN_EN}</p></body></html>"
    soup = BeautifulSoup(translate(cli_env, emulator, "a.html", content, "--bilingual", "flagged"), "html.parser")
    first, second = soup.find_all("p", recursive=True)[:2]
    assert FLAGGED_JA in first.get_text() and FLAGGED_EN in first.get_text()
    assert second.get_text() == CLEAN_JA


def test_subtitles_keep_the_source_lines_of_flagged_cues(cli_env, emulator):
    content = f"1\n00:00:01,000 --> 00:00:03,000\n{FLAGGED_EN}\n\n2\n00:00:04,000 --> 00:00:06,000\n{CLEAN_EN}\n"
    assert translate(cli_env, emulator, "a.srt", content, "--bilingual", "flagged") == (
        f"1\n00:00:01,000 --> 00:00:03,000\n{FLAGGED_EN}\n{FLAGGED_JA}\n\n2\n00:00:04,000 --> 00:00:06,000\n{CLEAN_JA}\n"
    )


def test_questions_keep_the_english_of_the_flagged_field_only(cli_env, emulator):
    record = {
        "id": "q1",
        "question": FLAGGED_EN,
        "options": {"A": "Stop the training job.", "B": "Delete the endpoint."},
        "answer": "A",
        "explanation": "Change it in the console.",
    }
    out = json.loads(translate(cli_env, emulator, "q.json", json.dumps([record]), "--bilingual", "flagged"))
    assert out[0]["question"] == f"{FLAGGED_EN}\n{FLAGGED_JA}"
    assert out[0]["options"] == {"A": CLEAN["Stop the training job."], "B": CLEAN["Delete the endpoint."]}
    assert out[0]["explanation"] == CLEAN["Change it in the console."]


def test_flagged_needs_the_checks(cli_env, emulator):
    source = cli_env.tmp / "a.txt"
    source.write_text(f"{FLAGGED_EN}\n", encoding="utf-8")
    result = cli_env.run("translate", str(source), "-b", "pseudo", "--no-check", "--bilingual", "flagged", "-o", "-")
    assert result.exit_code == 2
    assert "--bilingual flagged" in result.output and "--no-check" in result.output


def test_markdown_practice_exam_keeps_the_english_of_the_flagged_stem_only(cli_env, emulator):
    content = (
        f"1. {FLAGGED_EN}\n"
        "    - A. Stop the training job.\n"
        "    - B. Delete the endpoint.\n\n"
        "    <details markdown=1><summary markdown='span'>Answer</summary>\n\n"
        "      Correct Answer: A\n\n"
        "      Change it in the console.\n"
        "    </details>\n"
    )
    out = translate(cli_env, emulator, "exam.md", content, "--format", "questions-md", "--bilingual", "flagged")
    assert f"1. {FLAGGED_EN}" in out and FLAGGED_JA in out
    assert "- A. トレーニングジョブを停止します。" in out and "Stop the training job." not in out
    assert "Change it in the console." not in out and CLEAN["Change it in the console."] in out
