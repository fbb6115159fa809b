"""Org mode: the format contract, and what an Org practice test must keep.

The sample is an Org file as learners keep practice tests (see tests/fixtures/org/README.md).
Before this format existed, ``.org`` was refused and ``--format markdown`` mangled ``#+TITLE``,
drawers, ``*`` headings and checkboxes.
"""

from __future__ import annotations

from pathlib import Path

from translator.formats import format_name_for, get_format
from translator.testing import pseudo_translate

from .contract import FormatContract

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "org"
SAMPLE = FIXTURES / "mle-practice-test.org"


class TestOrgContract(FormatContract):
    format_name = "org"
    samples = sorted(FIXTURES.glob("*.org"))


def translated(bilingual: bool = False) -> tuple[str, str]:
    text = SAMPLE.read_text(encoding="utf-8")
    fmt = get_format("org")
    document = fmt.read(text, str(SAMPLE))
    translations = {s.id: pseudo_translate(s.text, "ja", ignore_tags=("x",)) for s in document.segments}
    return text, fmt.write(document, translations, bilingual=bilingual)


def test_org_files_are_recognised_by_extension():
    assert format_name_for("notes/practice.org") == "org"


def test_structure_lines_are_kept_byte_for_byte():
    source, output = translated()
    kept = [
        "#+AUTHOR: Study group",
        "#+OPTIONS: toc:nil num:nil ^:{}",
        "#+TODO: TODO REVIEW | DONE",
        "  :PROPERTIES:\n  :ID:       3f1c6a52-mle-q1\n  :DOMAIN:   Data preparation\n  :END:",
        '   :LOGBOOK:\n   - State "DONE"       from "TODO"       [2025-03-02 Sun 10:14]\n   :END:',
        "  SCHEDULED: <2025-03-04 Tue>",
        "#+BEGIN_SRC python :results output\nfrom sagemaker.serverless import ServerlessInferenceConfig\n"
        "config = ServerlessInferenceConfig(memory_size_in_mb=2048, max_concurrency=5)\n"
        'print("deploying")\n#+END_SRC',
        "#+RESULTS:\n: deploying",
        "|--------------------+--------+------------------------|",
        "# A comment that stays in English",
    ]
    for block in kept:
        assert block in source and block in output, block


def test_headings_keep_stars_keywords_priorities_and_tags():
    _, output = translated()
    lines = output.split("\n")
    assert "* TODO [ja] Question 1: data labeling                                   :data:multi:" in lines
    assert "* DONE [#A] [ja] Question 2: deployment                                      :deploy:" in lines
    assert "** [ja] Answer" in lines and "* [ja] Checklist [1/3]" in lines
    assert "#+TITLE: [ja] Machine Learning Engineer practice test" in lines


def test_lists_keep_bullets_checkboxes_option_letters_and_nesting():
    _, output = translated()
    lines = output.split("\n")
    assert "- [ ] A. [ja] Amazon SageMaker Ground Truth" in lines
    assert "- [X] [ja] Read the exam guide" in lines
    assert "- [ ] [ja] Take the practice test again after one week" in lines
    assert "  + [ja] Model monitoring" in lines and "2. [ja] A serverless inference endpoint" in lines
    assert "- [ja] Inference :: [ja] using a trained model to make predictions" in lines


def test_inline_markup_is_kept_around_translated_words():
    source, output = translated()
    document = get_format("org").read(source, "s.org")
    first = next(s for s in document.segments if s.kind == "paragraph")
    protected = {span.opening for span in first.spans.values()}
    assert "=:multi:=" in protected and "[[https://aws.amazon.com/certification/][" in protected
    assert "[[https://aws.amazon.com/certification/][the certification page]]" in output
    assert "*Answer*" in output and "/Amazon A2I/" in output


def test_bilingual_keeps_drawers_right_under_their_headings():
    _, output = translated(bilingual=True)
    assert "* TODO Question 1: data labeling / [ja] Question 1: data labeling" in output
    assert "data labeling                                   :data:multi:\n  :PROPERTIES:" in output
    assert "- [ ] A. Amazon SageMaker Ground Truth\n         [ja] Amazon SageMaker Ground Truth\n" in output
