"""Placing findings in the plain translation."""

from __future__ import annotations

from translator.keys import without_credentials
from translator.report.highlight import Highlight, highlights, pieces
from translator.types import Finding


def finding(found: str | None, span: tuple[int, int] | None = None, repaired: bool = False) -> Finding:
    return Finding("s1", "rule.x", "functional", "why", found=found, span=span, repaired=repaired)


def test_span_is_used_when_it_points_at_what_was_found() -> None:
    assert highlights("あなたはあなたの", [finding("あなた", (4, 7))]) == [Highlight(4, 7, (0,))]


def test_stale_span_falls_back_to_the_found_text() -> None:
    assert highlights("はい、あなた", [finding("あなた", (0, 3))]) == [Highlight(3, 6, (0,))]


def test_findings_without_a_place_or_already_repaired_are_not_marked() -> None:
    assert highlights("テキスト", [finding(None), finding("ない"), finding("テキ", repaired=True)]) == []


def test_overlapping_findings_are_split_into_runs() -> None:
    marks = highlights("abcdef", [finding("abcd"), finding("cdef")])
    assert marks == [Highlight(0, 2, (0,)), Highlight(2, 4, (0, 1)), Highlight(4, 6, (1,))]
    assert "".join(text for text, _m in pieces("abcdef", marks)) == "abcdef"


def test_backend_description_loses_credentials() -> None:
    assert without_credentials("libretranslate|https://user:pw@host/x?api_key=k") == "libretranslate|https://host/x"
    assert without_credentials("openai|http://127.0.0.1:1/v1|gpt|t=0") == "openai|http://127.0.0.1:1/v1|gpt|t=0"


def test_style_findings_are_listed_not_marked() -> None:
    style = Finding("s1", "style.aws", "cosmetic", "AWS style", expected="A B", found="A　B")
    assert highlights("A　B", [style]) == []


def test_a_finding_listing_several_words_marks_each_word_inside_its_span() -> None:
    """Untranslated English is one finding per segment: ``found`` lists the words, ``span`` runs
    from the first to the last; the Japanese between them is not marked."""
    text = "[ja] 次に the モデル を training します the end"
    span = (text.index("the"), text.rindex("the") + 3)
    gathered = Finding("s1", "rule.x", "functional", "why", found="the, training", span=span)
    marks = highlights(text, [gathered])
    assert [text[m.start : m.end] for m in marks] == ["the", "training", "the"]
    assert all(m.findings == (0,) for m in marks)
    assert text[span[1] :] == " end"  # outside the span: not marked although English


def test_a_stale_listing_span_falls_back_to_nothing_rather_than_a_wrong_place() -> None:
    gathered = Finding("s1", "rule.x", "functional", "why", found="the, training", span=(0, 12))
    assert highlights("モデル the training", [gathered]) == []
