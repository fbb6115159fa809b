"""Answer keys, multi-select markers and the glossary's exam phrases."""

from __future__ import annotations

import pytest

from tests.formats.questions.conftest import QUESTIONS
from translator.formats.questions import inline
from translator.formats.questions.model import parse_answer, parse_multi_select
from translator.formats.questions.phrases import phrases_from
from translator.glossary.loader import parse_yaml, shipped_paths


@pytest.mark.parametrize(
    ("value", "letters"),
    [
        ("AB", ("A", "B")),
        ("A, C", ("A", "C")),
        ("B and D", ("B", "D")),
        (["a", "E"], ("A", "E")),
        ("C.", ("C",)),
        ("", ()),
    ],
)
def test_answer_keys_are_read_in_the_usual_spellings(value, letters):
    assert parse_answer(value) == letters


@pytest.mark.parametrize("value", ["Amazon S3", "1", ["AB"]])
def test_an_answer_that_is_not_letters_is_refused(value):
    assert parse_answer(value) is None


@pytest.mark.parametrize(
    ("stem", "count"),
    [
        ("Which? (Select TWO.)", 2),
        ("Which? (Select TWO)", 2),
        ("Which? (Select three.)", 3),
        ("(Choose 2)", 2),
        ("Which one?", 0),
    ],
)
def test_multi_select_markers_give_the_count(stem, count):
    assert inline.marker_count(stem) == count


def test_flags_read_as_counts():
    assert [parse_multi_select(v) for v in (True, False, "yes", "3", "", None)] == [2, 0, 2, 3, None, None]


def test_marker_br_code_and_urls_are_protected_and_prose_is_not():
    tagged, spans = inline.build("Pick `aws s3 ls`<br/>See https://aws.amazon.com/ (Select TWO.)")
    kinds = [span.kind for span in spans.values()]
    assert kinds == ["code", "br", "url", inline.MARKER_KIND]
    assert tagged.startswith("Pick ") and "See " in tagged and "https" not in tagged


def test_phrases_come_from_glossary_entries_that_are_markers():
    entries = parse_yaml(QUESTIONS / "exam-phrases.yaml").entries
    assert phrases_from(entries, "ja") == {2: "（2 つ選択）", 3: "（3 つ選択）"}
    assert phrases_from(entries, "fr") == {}


def test_the_shipped_glossary_has_japanese_exam_phrases():
    paths = [p for p in shipped_paths() if p.name == "exam-phrases.yaml"]
    if not paths:
        pytest.skip("glossaries/exam-phrases.yaml is not in this checkout yet")
    table = phrases_from(parse_yaml(paths[0]).entries, "ja")
    assert {2, 3} <= set(table)
