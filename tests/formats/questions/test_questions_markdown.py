"""The Markdown practice-exam layout, read and written through the real CLI."""

from __future__ import annotations

import re
from pathlib import Path

from tests.conftest import SAMPLES
from tests.formats.questions.conftest import QUESTIONS
from tests.formats.questions.exam import markers, structure
from translator.formats import get_format
from translator.formats.questions import looks_like_practice_exam
from translator.formats.questions.model import refs

EXAM = QUESTIONS / "practice-exam.md"


def translate(cli_env, source: Path, *args: str):
    return cli_env.run("translate", str(source), "--format", "questions-md", "--no-check", *args)


def test_the_reader_finds_every_question_with_its_options_answer_and_multi_select_count():
    document = get_format("questions-md").read(EXAM.read_text(encoding="utf-8"), str(EXAM))
    questions = refs(document)
    assert [q.id for q in questions] == [str(n) for n in range(1, 23)]
    assert questions[1].answer == ["A", "C"] and list(questions[1].options) == list("ABCDE")
    assert {q.id: q.multi_select for q in questions if q.multi_select} == {
        "2": 2,
        "5": 3,
        "8": 2,
        "12": 2,
        "15": 3,
        "18": 2,
        "21": 2,
    }
    assert all(q.stem and q.explanation for q in questions)
    assert not document.problems


def test_practice_exams_are_told_apart_from_ordinary_markdown():
    assert looks_like_practice_exam(EXAM.read_text(encoding="utf-8"))
    ordinary = "# Steps\n\n1. Open the console.\n2. Choose **Create**.\n   - A note\n\nCorrect answer: none\n"
    assert not looks_like_practice_exam(ordinary)
    for sample in (SAMPLES / "awsdocs").glob("*.md"):
        assert not looks_like_practice_exam(sample.read_text(encoding="utf-8"))


def test_pseudo_round_trip_keeps_structure_and_translates_only_prose(cli_env, copy_fixture, exam_phrases):
    source = copy_fixture("practice-exam.md")
    result = translate(cli_env, source, "-b", "pseudo")
    assert result.exit_code == 0, result.output
    original = source.read_text(encoding="utf-8")
    translated = (cli_env.tmp / "practice-exam.ja.md").read_text(encoding="utf-8")
    assert structure(translated) == structure(original)
    assert len(structure(original)["questions"]) == 22
    for line in translated.splitlines():
        stem = re.match(r"^\d+\. (.*)$", line)
        option = re.match(r"^\s*- [A-F]\. (.*)$", line)
        if stem or option:
            assert (stem or option).group(1).startswith("[ja] "), line
    assert markers(translated) == []
    assert translated.count("（2 つ選択）") == 5 and translated.count("（3 つ選択）") == 2
    assert (
        "[ja] Which AWS services can a developer use to run code without provisioning servers? （2 つ選択）"
        in translated
    )


def test_deepl_round_trip_sends_prose_only_and_keeps_structure(cli_env, deepl, copy_fixture, exam_phrases):
    source = copy_fixture("practice-exam.md")
    result = translate(cli_env, source, "-b", "deepl", "--backend-url", deepl.url, "--no-cache")
    assert result.exit_code == 0, result.output
    original = source.read_text(encoding="utf-8")
    translated = (cli_env.tmp / "practice-exam.ja.md").read_text(encoding="utf-8")
    assert structure(translated) == structure(original)
    assert markers(translated) == [] and translated.count("（3 つ選択）") == 2
    sent = [text for r in deepl.requests if r.path == "/v2/translate" for text in r.json["text"]]
    assert sent and not any("https://" in text or "Select TWO" in text or "Correct Answer" in text for text in sent)
    assert not any(re.match(r"\s*(?:\d+\.|- [A-F]\.)", text) for text in sent)


def test_without_a_phrase_the_english_marker_is_kept(cli_env, copy_fixture, monkeypatch):
    from translator.formats.questions import phrases

    monkeypatch.setattr(phrases, "shipped_phrases", lambda lang: {})
    source = copy_fixture("practice-exam.md")
    result = translate(cli_env, source, "-b", "pseudo", "--no-glossary", "-o", "-")
    assert result.exit_code == 0, result.output
    assert markers(result.stdout) == markers(source.read_text(encoding="utf-8"))


def test_bilingual_output_puts_english_and_japanese_together(cli_env, copy_fixture, exam_phrases):
    source = copy_fixture("practice-exam.md")
    result = translate(cli_env, source, "-b", "pseudo", "--bilingual", "-o", "-")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "    - C. AWS Fargate / [ja] AWS Fargate" in out
    stem = "2. Which AWS services can a developer use to run code without provisioning servers? (Select TWO.)"
    assert (
        f"{stem}\n\n   [ja] Which AWS services can a developer use to run code without provisioning servers? （2 つ選択）"
        in out
    )
    assert "  CloudFront caches content at edge locations close to users.\n\n      [ja] CloudFront caches" in out
    assert structure(out)["answers"] == structure(source.read_text(encoding="utf-8"))["answers"]


def test_a_bad_question_is_reported_with_its_line_and_the_rest_is_translated(cli_env, tmp_path):
    text = EXAM.read_text(encoding="utf-8").replace(
        "Correct Answer: AC\n\n      Lambda", "Correct Answer: AF\n\n      Lambda"
    )
    source = tmp_path / "exam.md"
    source.write_text(text, encoding="utf-8")
    bad_line = text.splitlines().index("      Correct Answer: AF") + 1
    result = translate(cli_env, source, "-b", "pseudo", "-o", str(tmp_path / "out.md"))
    assert result.exit_code == 1
    assert f"{source}:{bad_line}: question 2: answer F is not among the options (A, B, C, D, E)" in result.output
    out = (tmp_path / "out.md").read_text(encoding="utf-8")
    assert "2. Which AWS services can a developer use to run code without provisioning servers? (Select TWO.)" in out
    assert "    - A. AWS Lambda\n" in out
    assert "3. [ja] 🚀 A startup" in out and "1. [ja] A company" in out
