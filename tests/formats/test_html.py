"""The HTML format: what a learner gets when a web page is translated in place."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import lxml.html
import pytest

from translator import markup
from translator.formats import get_format
from translator.formats.base import FormatOptions
from translator.formats.html import HtmlFormat
from translator.types import Document

from .contract import FormatContract

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "html"
FEATURES = (FIXTURES / "features.html").read_text(encoding="utf-8")
AWS_PAGE = (FIXTURES / "aws-docs-page.html").read_text(encoding="utf-8")


class TestHtmlContract(FormatContract):
    format_name = "html"
    samples = sorted(FIXTURES.glob("*.html"))

    def test_protected_spans_survive_translation_verbatim(self, sample: Path) -> None:
        """As in the contract, except that an inline ``<img alt>`` has its ``alt`` translated on
        purpose; everything else in its markup must survive byte for byte."""
        _, document = self.load(sample)
        output = without_text_attributes(self.write(document, self.pseudo(document)))
        for seg in document.segments:
            for span in seg.spans.values():
                if not span.paired:
                    assert without_text_attributes(span.opening) in output, f"{seg.id}: {span.opening!r} lost"


def without_text_attributes(html: str) -> str:
    return re.sub(r' (?:alt|title|placeholder|aria-label)="[^"]*"', "", html)


def read(text: str, target: str = "ja") -> tuple[HtmlFormat, Document]:
    fmt = HtmlFormat(FormatOptions(target_lang=target))
    return fmt, fmt.read(text, "page.html")


def translate(doc: Document, change: Callable[[str], str] = lambda s: f"«{s}»") -> dict[str, str]:
    """Tagged translations that change every plain-text run and keep every code."""
    out: dict[str, str] = {}
    for seg in doc.segments:
        parts: list[str] = []
        for token in markup.tokens(seg.text):
            if token.kind == "text":
                has_letters = any(c.isalpha() for c in token.value)
                parts.append(markup.escape(change(token.value) if has_letters else token.value))
            elif token.kind == "x":
                parts.append(f'<x id="{token.value}"/>')
            elif token.kind == "open":
                parts.append(f'<g id="{token.value}">')
            else:
                parts.append("</g>")
        out[seg.id] = "".join(parts)
    return out


def tree(html: str) -> tuple:
    """A parse tree to compare documents by structure and text, not by bytes."""
    return _node(lxml.html.document_fromstring(html))


def _node(element) -> tuple:
    tag = element.tag if isinstance(element.tag, str) else f"<!--{element.text}-->"
    return (tag, sorted(element.attrib.items()), element.text or "", [(_node(c), c.tail or "") for c in element])


def texts_of(html: str, xpath: str) -> list[str]:
    return [e.text_content() for e in lxml.html.document_fromstring(html).xpath(xpath)]


def shown(tagged: str, spans: dict) -> str:
    """What a reader of the page sees of a segment."""
    return lxml.html.fragment_fromstring(
        markup.render(tagged, spans, markup.escape), create_parent="div"
    ).text_content()


def by_kind(doc: Document, kind: str) -> list[str]:
    return [shown(s.text, s.spans) for s in doc.segments if s.kind == kind]


def test_registered_under_its_name_and_extensions():
    assert isinstance(get_format("html"), HtmlFormat)
    assert set(HtmlFormat.extensions) == {".html", ".htm", ".xhtml"}


@pytest.mark.parametrize("source", [FEATURES, AWS_PAGE], ids=["features", "aws-docs"])
def test_no_translations_gives_back_the_same_document(source):
    fmt, doc = read(source)
    out = fmt.write(doc, {})
    assert tree(out) == tree(source)


def test_untranslated_segments_are_left_as_they_were(tmp_path):
    fmt, doc = read(FEATURES)
    out = fmt.write(doc, {seg.id: seg.text for seg in doc.segments})
    assert tree(out) == tree(FEATURES)


def test_each_block_is_one_segment_of_the_right_kind():
    _, doc = read(FEATURES)
    assert by_kind(doc, "title") == ["Precision & recall"]
    assert by_kind(doc, "heading") == ["Precision & recall"]
    assert by_kind(doc, "list-item") == [
        "Recall measures coverage",
        "Nested item with TP",
        "Fill in threshold with 0.5.",
    ]
    assert by_kind(doc, "table-cell") == ["Actual", "Predicted", "Positive", "Negative"]
    assert by_kind(doc, "caption") == ["Confusion matrix", "The trade-off between the two."]
    assert by_kind(doc, "term") == ["F1 score"]
    assert by_kind(doc, "definition") == ["The harmonic mean of precision and recall."]
    assert by_kind(doc, "label") == ["Search term"]
    assert by_kind(doc, "option") == ["Macro average", "Micro average"]
    assert by_kind(doc, "button") == ["Search"]
    assert by_kind(doc, "summary") == ["Show the answer"]
    assert "Measure before you tune." in by_kind(doc, "paragraph")


def test_whitespace_is_collapsed_for_translation():
    _, doc = read(FEATURES)
    first = next(s for s in doc.segments if s.kind == "paragraph")
    assert first.text.startswith(
        'Precision is the share of <g id="1">positive predictions</g> that are correct; see <g'
    )
    assert "\n" not in first.text and "  " not in first.text
    assert first.line == 12


def test_inline_elements_are_codes_carrying_their_exact_markup():
    _, doc = read(FEATURES)
    first = next(s for s in doc.segments if s.kind == "paragraph")
    openings = {span.opening for span in first.spans.values()}
    assert '<a href="https://en.wikipedia.org/wiki/Precision_and_recall" title="Precision and recall">' in openings
    assert "<b>" in openings
    assert "<br>" in openings  # void elements: standalone codes, written as the source writes them
    assert "<code>model.evaluate()</code>" in openings
    assert "<kbd>Ctrl</kbd>" in openings
    link = next(s for s in first.spans.values() if s.opening.startswith("<a "))
    assert link.paired and link.closing == "</a>"
    code = next(s for s in first.spans.values() if s.opening.startswith("<code>"))
    assert not code.paired and code.kind == "code"
    assert "model.evaluate" not in first.text  # protected text is not in what a backend translates


def test_protected_content_is_never_translated():
    fmt, doc = read(FEATURES)
    out = fmt.write(doc, translate(doc))
    for kept in (
        "Keep this style",
        "Keep this comment",
        'print("Keep this code")',
        "Keep this paragraph.",
        "Amazon SageMaker Clarify",
        "Keep this icon",
        "Keep this template",
        "Keep this noscript",
        "Keep this math",
        'document.title = "Keep this script";',
        "<kbd>Ctrl</kbd>+<kbd>C</kbd>",
        "<var>threshold</var>",
        "<samp>0.5</samp>",
    ):
        assert kept in out, kept
    assert "«Keep" not in out


def test_translated_document_keeps_its_structure():
    fmt, doc = read(AWS_PAGE)
    out = fmt.write(doc, translate(doc))

    def shape(html: str) -> list:
        root = lxml.html.document_fromstring(html)
        return [
            (e.tag, e.get("href"), e.get("src"), e.get("class"), e.get("id"))
            for e in root.iter()
            if isinstance(e.tag, str)
        ]

    assert shape(out) == shape(AWS_PAGE)
    assert texts_of(out, "//h1") == ["«Save progress with checkpoints during Spot training»"]
    assert texts_of(out, "//pre") == texts_of(AWS_PAGE, "//pre")
    assert texts_of(out, "//script") == texts_of(AWS_PAGE, "//script")


def test_attributes_are_translated_and_link_targets_are_not():
    fmt, doc = read(FEATURES)
    attrs: dict[tuple, str] = {}
    for s in doc.segments:
        if s.kind == "attribute":
            key = (s.meta["element"], s.meta["attribute"])
            attrs[key if key not in attrs else (*key, 2)] = markup.plain(s.text, s.spans)
    assert attrs == {
        ("meta", "content"): "Practice page for the HTML reader.",
        ("a", "title"): "Precision and recall",
        ("abbr", "title"): "true positives",
        ("img", "alt"): "A precision-recall curve",
        ("img", "alt", 2): "the Enter key",
        ("input", "placeholder"): "Type a metric",
        ("input", "aria-label"): "Metric name",
    }
    out = fmt.write(doc, translate(doc))
    root = lxml.html.document_fromstring(out)
    assert root.xpath("//meta[@name='description']/@content") == ["«Practice page for the HTML reader.»"]
    assert root.xpath("//img/@alt") == ["«A precision-recall curve»", "«the Enter key»"]
    assert root.xpath("//input/@placeholder") == ["«Type a metric»"]
    assert root.xpath("//input/@aria-label") == ["«Metric name»"]
    assert root.xpath("//abbr/@title") == ["«true positives»"]
    assert root.xpath("//a/@title") == ["«Precision and recall»"]
    assert root.xpath("//a/@href") == ["https://en.wikipedia.org/wiki/Precision_and_recall"]


def test_html_lang_becomes_the_target_language():
    fmt, doc = read(FEATURES, target="ja")
    root = lxml.html.document_fromstring(fmt.write(doc, translate(doc)))
    assert root.get("lang") == "ja"


def test_layout_outside_segments_is_kept():
    source = "<html><body>\n<div>\n    <p>\n      Hello\n      world.\n    </p>\n</div>\n</body></html>\n"
    fmt, doc = read(source)
    assert [s.text for s in doc.segments] == ["Hello world."]
    out = fmt.write(doc, {doc.segments[0].id: "こんにちは、世界。"})
    assert out == '<html lang="ja"><body>\n<div>\n    <p>\n      こんにちは、世界。\n    </p>\n</div>\n</body></html>\n'


def test_translations_are_escaped_as_text():
    fmt, doc = read("<p>Compare values.</p>")
    out = fmt.write(doc, {doc.segments[0].id: "a &lt;script&gt;alert(1)&lt;/script&gt; &amp; b"})
    assert out == "<p>a &lt;script&gt;alert(1)&lt;/script&gt; &amp; b</p>"


def test_a_fragment_stays_a_fragment():
    source = "<p>One <b>bold</b> step.</p>\n<p>Two.</p>\n"
    fmt, doc = read(source)
    assert fmt.write(doc, {}) == source
    out = fmt.write(doc, translate(doc))
    assert out == "<p>«One »<b>«bold»</b>« step.»</p>\n<p>«Two.»</p>\n"


def test_entities_and_attribute_order_survive():
    source = '<p class="lead" id="x" data-a="1">Costs&nbsp;less &amp; more &lt;b&gt;</p>'
    fmt, doc = read(source)
    assert markup.plain(doc.segments[0].text, {}) == "Costs\xa0less & more <b>"
    assert fmt.write(doc, {}) == source
    assert fmt.write(doc, {doc.segments[0].id: "安い&nbsp;"}).startswith('<p class="lead" id="x" data-a="1">')


def test_xml_declaration_and_self_closed_voids_of_xhtml_are_kept():
    source = '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="en" lang="en"><head><title>T</title></head><body><p>Line<br/>break</p></body></html>\n'
    fmt, doc = read(source)
    assert fmt.write(doc, {}) == source
    out = fmt.write(doc, translate(doc))
    assert out.startswith(
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="ja" lang="ja">'
    )
    assert "<br/>" in out


def test_output_declares_utf8():
    source = '<html><head><meta http-equiv="Content-Type" content="text/html; charset=Shift_JIS"><meta charset="shift_jis"></head><body><p>Hi there.</p></body></html>'
    fmt, doc = read(source)
    root = lxml.html.document_fromstring(fmt.write(doc, translate(doc)))
    assert root.xpath("//meta/@content") == ["text/html; charset=utf-8"]
    assert root.xpath("//meta/@charset") == ["utf-8"]


def test_text_mixed_with_blocks_is_split_around_them():
    _, doc = read("<div>Intro text <p>Para.</p> tail text</div><li>Item <ul><li>Sub</li></ul></li>")
    assert [(s.kind, s.text) for s in doc.segments] == [
        ("paragraph", "Intro text"),
        ("paragraph", "Para."),
        ("paragraph", "tail text"),
        ("list-item", "Item"),
        ("list-item", "Sub"),
    ]


def test_urls_in_text_are_protected():
    _, doc = read("<p>Download it from https://example.com/data.csv today.</p>")
    seg = doc.segments[0]
    assert [s.opening for s in seg.spans.values()] == ["https://example.com/data.csv"]


def test_bilingual_shows_the_source_after_each_translated_block():
    fmt, doc = read(FEATURES)
    out = fmt.write(doc, translate(doc), bilingual=True)
    root = lxml.html.document_fromstring(out)
    sources = root.xpath("//span[@class='translator-source']")
    assert all(s.get("lang") == "en" for s in sources)
    heading = root.xpath("//h1")[0]
    assert heading.text_content() == "«Precision & recall» Precision & recall"
    assert heading.get("id") == "intro"
    paragraph = root.xpath("//body/p")[0]
    source_copy = paragraph.xpath("span[@class='translator-source']")[0]
    assert source_copy.xpath("a/@href") == ["https://en.wikipedia.org/wiki/Precision_and_recall"]
    assert source_copy.xpath("a/@title") == ["Precision and recall"]  # the original, not the translation
    assert root.xpath("//title")[0].text == "«Precision & recall» / Precision & recall"
    assert root.xpath("//option/text()") == ["«Macro average» / Macro average", "«Micro average» / Micro average"]
    assert root.xpath("//img/@alt")[0] == "«A precision-recall curve» / A precision-recall curve"
    assert ".translator-source" in root.xpath("//head/style")[-1].text
    assert root.xpath("//p[@translate='no']")[0].text_content() == "Keep this paragraph."
    assert len(root.xpath("//*[@id='intro']")) == 1


def test_bilingual_without_translations_changes_nothing():
    fmt, doc = read(FEATURES)
    assert tree(fmt.write(doc, {}, bilingual=True)) == tree(FEATURES)


def test_translate_a_page_through_the_cli(cli_env):
    source = cli_env.tmp / "page.html"
    source.write_text(AWS_PAGE, encoding="utf-8")
    result = cli_env.run("translate", str(source), "-b", "pseudo", "--no-cache", "--no-check", "--no-glossary")
    assert result.exit_code == 0, result.output
    out = (cli_env.tmp / "page.ja.html").read_text(encoding="utf-8")
    assert texts_of(out, "//h2") == ["[ja] Turn on checkpoints"]
    assert texts_of(out, "//pre") == texts_of(AWS_PAGE, "//pre")
    assert lxml.html.document_fromstring(out).get("lang") == "ja"
    assert out.startswith("<!DOCTYPE html>\n<html xmlns=")
