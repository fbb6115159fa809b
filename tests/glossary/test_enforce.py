"""The glossary stage on its own: protecting keep-terms, checking and repairing translations."""

from __future__ import annotations

import pytest

from translator import markup
from translator.glossary.enforce import GlossaryStage, contains
from translator.glossary.model import Entry, Glossary, Rendering
from translator.types import Segment, Span, Translation

GLOSSARY = Glossary(
    (
        Entry("Amazon SageMaker", aliases=("SageMaker",), case="exact", keep=True),
        Entry("AT&T", keep=True, case="exact"),
        Entry("inference", targets={"ja": Rendering("推論", forbidden=("推測",))}),
        Entry("responsible AI", targets={"ja": Rendering("責任ある AI")}),
        Entry("foundation model", targets={"ja": Rendering("基盤モデル", forbidden=("モデル",))}),
        Entry("guess", targets={"ja": Rendering("推測")}),
    )
)


@pytest.fixture
def stage() -> GlossaryStage:
    return GlossaryStage(GLOSSARY, "ja")


def test_keep_terms_become_protected_codes_with_fresh_ids(stage):
    segment = Segment(
        "s1",
        "paragraph",
        '<x id="t1"/> <g id="1">Amazon SageMaker</g> and SageMaker\'s inference',
        {"t1": Span("t1", "code", "`x`"), "1": Span("1", "strong", "**", "**", paired=True)},
    )
    protected = stage.protect(segment)
    assert protected.text == '<x id="t1"/> <g id="1"><x id="t2"/></g> and <x id="t3"/>\'s inference'
    assert protected.spans["t2"] == Span("t2", "term", "Amazon SageMaker")
    assert protected.spans["t3"].opening == "SageMaker"
    assert markup.plain(protected.text, protected.spans) == markup.plain(segment.text, segment.spans)


def test_a_segment_without_keep_terms_is_returned_unchanged(stage):
    segment = Segment("s1", "paragraph", "Run inference &amp; more")
    assert stage.protect(segment) is segment


def test_keep_terms_with_characters_a_format_escapes_are_not_protected(stage):
    segment = Segment("s1", "paragraph", "AT&amp;T")
    assert stage.protect(segment).text == "AT&amp;T"


def test_a_forbidden_rendering_is_repaired_and_counted(stage):
    segment = Segment(
        "s1", "paragraph", 'Run <g id="1">inference</g> fast.', {"1": Span("1", "strong", "**", "**", True)}
    )
    checked = stage.check(segment, Translation("s1", '<g id="1">推測</g>を高速に実行します。'))
    assert checked.text == '<g id="1">推論</g>を高速に実行します。'
    (finding,) = checked.findings
    assert (finding.check, finding.repaired, finding.expected, finding.found) == (
        "glossary.forbidden",
        True,
        "推論",
        "推測",
    )


def test_a_forbidden_rendering_another_term_requires_is_neither_replaced_nor_blamed(stage):
    segment = Segment("s1", "paragraph", "A guess is not inference.")
    right = stage.check(segment, Translation("s1", "推測は推論ではない。"))
    assert right.findings == []
    wrong = stage.check(segment, Translation("s1", "推測は推測ではない。"))
    assert wrong.text == "推測は推測ではない。"
    assert [(f.check, f.expected, f.repaired) for f in wrong.findings] == [("glossary.missing", "推論", False)]


def test_a_missing_rendering_is_reported_with_segment_and_expected(stage):
    checked = stage.check(Segment("s7", "paragraph", "Use responsible AI."), Translation("s7", "AI を使います。"))
    (finding,) = checked.findings
    assert finding.segment_id == "s7" and finding.check == "glossary.missing"
    assert finding.expected == "責任ある AI" and not finding.repaired


def test_spaces_between_latin_and_japanese_are_optional():
    assert contains("責任ある AI", "責任あるAIの原則")
    assert contains("責任ある AI", "責任ある AI の原則")
    assert not contains("Amazon SageMaker", "AmazonSageMaker")


def test_a_forbidden_word_inside_the_preferred_rendering_is_fine(stage):
    checked = stage.check(Segment("s1", "paragraph", "A foundation model."), Translation("s1", "基盤モデルです。"))
    assert checked.findings == []


def test_native_pairs_hold_translated_entries_and_their_aliases(stage):
    pairs = stage.native_pairs("en", "ja")
    assert ("inference", "推論") in pairs.entries
    assert all(source not in ("Amazon SageMaker", "SageMaker") for source, _ in pairs.entries)
    assert stage.native_pairs("en", "ja") is pairs


def test_instructions_list_only_the_entries_in_the_batch(stage):
    text = stage.instructions(['<x id="t1">Amazon SageMaker</x> runs inference.'], "ja")
    assert "inference → 推論; never 推測" in text
    assert "Amazon SageMaker: keep in English" in text
    assert "responsible AI" not in text
    assert stage.instructions(["Nothing here."], "ja") is None
