"""The shared format contract, for every practice-question format.

The target language is one without exam phrases, so the multi-select marker is held to the same
rule as every other protected span (with a phrase it is deliberately replaced, tested elsewhere).
"""

from __future__ import annotations

from tests.formats.contract import FormatContract
from tests.formats.questions.conftest import QUESTIONS
from translator.formats import FormatOptions, get_format

NO_PHRASES = FormatOptions(target_lang="xx")


class TestQuestionsMarkdownContract(FormatContract):
    format_name = "questions-md"
    samples = [QUESTIONS / "practice-exam.md"]
    options = NO_PHRASES


class TestQuestionsJsonContract(FormatContract):
    format_name = "json"
    samples = [QUESTIONS / "questions.json"]
    options = NO_PHRASES


class TestQuestionsJsonlContract(FormatContract):
    format_name = "questions-jsonl"
    samples = [QUESTIONS / "questions.jsonl"]
    options = NO_PHRASES


class TestQuestionsCsvContract(FormatContract):
    format_name = "questions-csv"
    samples = [QUESTIONS / "questions.csv"]
    options = NO_PHRASES


class TestMappedCsvContract(FormatContract):
    format_name = "questions-csv"
    samples = [QUESTIONS / "other-export.csv"]
    options = FormatOptions(
        target_lang="xx",
        field_map={"question": "Prompt", "answer": "CorrectAnswers", "explanation": "Rationale", "id": "QuestionID"},
    )


class TestMoodleXmlContract(FormatContract):
    format_name = "moodle-xml"
    samples = [QUESTIONS / "moodle-quiz.xml"]
    options = NO_PHRASES


class TestGiftContract(FormatContract):
    format_name = "gift"
    samples = [QUESTIONS / "mla-practice.gift"]
    options = NO_PHRASES


class TestFlashcardsContract(FormatContract):
    format_name = "flashcards-tsv"
    samples = [QUESTIONS / "quizlet-mla-terms.tsv", QUESTIONS / "anki-mla-notes.tsv"]
    options = NO_PHRASES


class TestShapesJsonContract(FormatContract):
    format_name = "json"
    samples = [QUESTIONS / "practice-test-shapes.json"]
    options = NO_PHRASES


def test_an_untranslated_write_reproduces_each_file_byte_for_byte():
    mapped = TestMappedCsvContract.options
    cases = [
        ("practice-exam.md", "questions-md", NO_PHRASES),
        ("questions.json", "json", NO_PHRASES),
        ("questions.jsonl", "questions-jsonl", NO_PHRASES),
        ("questions.csv", "questions-csv", NO_PHRASES),
        ("other-export.csv", "questions-csv", mapped),
        ("moodle-quiz.xml", "moodle-xml", NO_PHRASES),
        ("mla-practice.gift", "gift", NO_PHRASES),
        ("quizlet-mla-terms.tsv", "flashcards-tsv", NO_PHRASES),
        ("anki-mla-notes.tsv", "flashcards-tsv", NO_PHRASES),
    ]
    for name, fmt, options in cases:
        text = (QUESTIONS / name).read_text(encoding="utf-8")
        document = get_format(fmt, options).read(text, name)
        assert get_format(fmt, options).write(document, {}) == text, name
