"""HTML: prose translated in place, block by block; markup, code and scripts left as they were.

Each block element whose content is phrasing content (``p``, ``h1``–``h6``, ``li``, ``td``,
``dt``, ``figcaption``, ``title``, ``button``, …) becomes one segment; text mixed with blocks
(``<li>Intro <ul>…</ul></li>``) becomes a segment per run of inline content. Inline elements
(``a``, ``b``, ``span``, …) become paired codes whose markup is the exact original tag, so link
targets and attributes cannot be touched by a backend; ``br``/``img``/``wbr`` and protected inline
elements (``code``, ``kbd``, ``script``, ``svg``, ``translate="no"``, comments, …) become
standalone codes. ``alt``, ``title``, ``placeholder``, ``aria-label`` and ``<meta
name="description">`` are segments of their own (kind ``attribute``).

The writer re-parses the source, replaces only the contents of translated blocks and serialises
with a formatter that keeps attribute order, layout whitespace and ``&nbsp;``, so the output is
the original document with only its text changed. Untranslated blocks are not touched at all.

Bilingual output: after each translated block's content, the original follows inside
``<span class="translator-source" lang="en">`` (the source's ``<html lang>``, else ``en``); a
small ``<style>`` shows it on its own line. Where markup cannot hold a second copy (``<title>``,
``<option>``, attributes such as ``alt``), the text becomes ``translation / original``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from bs4 import BeautifulSoup, NavigableString, PageElement, Tag
from bs4.formatter import HTMLFormatter

from ... import markup
from ...segmenter import tagged
from ...types import Document, Segment
from .._limits import check_html_depth
from ..base import Bilingual, Format, with_source
from .units import (
    AttributeUnit,
    Block,
    SourceOrderFormatter,
    build_block,
    collapse,
    parse_html,
    walk,
)

TEXT_ONLY = frozenset({"title", "option"})  # elements that hold text but no markup
SOURCE_CLASS = "translator-source"
BILINGUAL_STYLE = f".{SOURCE_CLASS}{{display:block;opacity:.75;font-size:.9em}}"

_LEAD_WS = re.compile(r"^[ \t\n\r\f]*")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>\s*")
_DOCUMENT_TAG = re.compile(r"<(?:!doctype|html|head|body)\b", re.IGNORECASE)
_SELF_CLOSED_VOID = re.compile(r"<(?:br|img|meta|link|input|hr|wbr)\b[^>]*/>", re.IGNORECASE)
_CHARSET_PARAM = re.compile(r"charset\s*=\s*[^\s;\"']+", re.IGNORECASE)


@dataclass(frozen=True)
class Skeleton:
    source: str  # the HTML without its XML declaration; re-parsed by the writer
    declaration: str  # "<?xml …?>" and the whitespace after it, or ""
    fragment: bool  # no doctype/html/head/body: write the body's content only
    void_prefix: str  # "/" if the source writes <br/>, "" if it writes <br>


class HtmlFormat(Format):
    name = "html"
    extensions = (".html", ".htm", ".xhtml")
    description = 'HTML pages, text translated in place (code, scripts, translate="no" untouched)'

    def read(self, text: str, source: str) -> Document:
        check_html_depth(text, source)
        skeleton = _skeleton(text)
        soup = parse_html(skeleton.source)
        formatter = SourceOrderFormatter(skeleton.void_prefix)
        locator = _LineLocator(text)
        segments: list[Segment] = []
        for index, unit in enumerate(walk(soup), start=1):
            if isinstance(unit, Block):
                body, spans, _, _ = build_block(unit, formatter)
                line = locator.find_block(unit.nodes)
                segments.append(
                    Segment(f"s{index}", unit.kind, body, spans, line=line, meta={"element": unit.parent.name})
                )
            else:
                value = str(unit.tag[unit.name])
                body, spans = tagged(collapse(value).strip())
                meta = {"element": unit.tag.name, "attribute": unit.name}
                segments.append(Segment(f"s{index}", "attribute", body, spans, line=locator.find(value), meta=meta))
        lang = soup.html.get("lang") if soup.html else None
        return Document(source, self.name, segments, skeleton, meta={"source_lang": str(lang or "en")})

    def write(self, document: Document, translations: Mapping[str, str], *, bilingual: Bilingual = False) -> str:
        skeleton: Skeleton = document.skeleton
        soup = parse_html(skeleton.source)
        formatter = SourceOrderFormatter(skeleton.void_prefix)
        units = walk(soup)
        changed = {
            seg.id: translations[seg.id]
            for seg in document.segments
            if seg.id in translations and translations[seg.id] != seg.text
        }
        pairs = list(zip(units, document.segments, strict=True))
        for unit, seg in pairs:
            if isinstance(unit, AttributeUnit) and seg.id in changed:
                value = markup.render(changed[seg.id], seg.spans)
                if with_source(bilingual, seg.id):
                    value = f"{value} / {markup.render(seg.text, seg.spans)}"
                unit.tag[unit.name] = value
        source_lang = str(document.meta.get("source_lang", "en"))
        for unit, seg in pairs:
            if isinstance(unit, Block) and seg.id in changed:
                _replace_block(
                    unit, seg, changed[seg.id], formatter, source_lang if with_source(bilingual, seg.id) else None
                )
        if changed:
            _mark_language(soup, self.options.target_lang, bool(bilingual))
        _declare_utf8(soup)
        return skeleton.declaration + _serialise(soup, skeleton, formatter)


def _replace_block(
    block: Block, seg: Segment, translation: str, formatter: HTMLFormatter, source_lang: str | None
) -> None:
    _, fresh_spans, lead, trail = build_block(block, formatter)
    spans = {**seg.spans, **fresh_spans}  # fresh markup carries translated attributes
    new_nodes: list[PageElement] = [NavigableString(lead)] if lead else []
    if block.parent.name in TEXT_ONLY:
        text = markup.plain(translation, spans)
        if source_lang:
            text = f"{text} / {markup.plain(seg.text, seg.spans)}"
        new_nodes.append(NavigableString(text))
    else:
        new_nodes.extend(_fragment(markup.render(translation, spans, markup.escape)))
        if source_lang:
            new_nodes.extend([NavigableString(" "), _source_copy(seg, source_lang)])
    if trail:
        new_nodes.append(NavigableString(trail))
    anchor = block.nodes[0]
    for node in new_nodes:
        anchor.insert_before(node)
    for node in block.nodes:
        node.extract()


def _source_copy(seg: Segment, lang: str) -> Tag:
    holder = BeautifulSoup("", "html.parser").new_tag("span", attrs={"class": SOURCE_CLASS, "lang": lang})
    for node in _fragment(markup.render(seg.text, seg.spans, markup.escape)):
        holder.append(node)
    for tag in holder.find_all(True):
        if "id" in tag.attrs:
            del tag["id"]  # ids must stay unique in the page
    return holder


def _fragment(html: str) -> list[PageElement]:
    soup = BeautifulSoup(
        html, "html.parser", multi_valued_attributes=None, preserve_whitespace_tags={"pre", "textarea"}
    )
    return [node.extract() for node in list(soup.contents)]


def _mark_language(soup: BeautifulSoup, target_lang: str, bilingual: bool) -> None:
    if soup.html is not None:
        soup.html["lang"] = target_lang
        if "xml:lang" in soup.html.attrs:
            soup.html["xml:lang"] = target_lang
    if bilingual and soup.find(class_=SOURCE_CLASS) is not None:
        style = soup.new_tag("style")
        style.string = BILINGUAL_STYLE
        if soup.head is not None:
            soup.head.append(style)
        else:
            (soup.body or soup).insert(0, style)


def _declare_utf8(soup: BeautifulSoup) -> None:
    """The output is always UTF-8, so a page declaring another charset would be misread.

    (Done here rather than by bs4's ``eventual_encoding``, which would also respell "UTF-8".)
    """
    for meta in soup.find_all("meta"):
        if meta.get("charset") and not _is_utf8(str(meta["charset"])):
            meta["charset"] = "utf-8"
        elif str(meta.get("http-equiv", "")).lower() == "content-type" and meta.get("content"):
            declared = _CHARSET_PARAM.search(str(meta["content"]))
            if declared and not _is_utf8(declared.group().split("=", 1)[1]):
                meta["content"] = _CHARSET_PARAM.sub("charset=utf-8", str(meta["content"]))


def _is_utf8(label: str) -> bool:
    return label.strip().lower() in ("utf-8", "utf8")


def _serialise(soup: BeautifulSoup, skeleton: Skeleton, formatter: HTMLFormatter) -> str:
    if skeleton.fragment:
        # lxml wrapped the fragment in <html><head>…<body>; write back only what was there.
        parts: list[PageElement] = []
        for node in soup.contents:
            if node is soup.html:
                parts.extend([*(soup.head.contents if soup.head else []), *(soup.body.contents if soup.body else [])])
            else:
                parts.append(node)
        lead = _LEAD_WS.match(skeleton.source)
        out = (lead.group() if lead else "") + "".join(_decode(part, formatter) for part in parts)
    else:
        out = soup.decode(eventual_encoding=None, formatter=formatter)  # type: ignore[arg-type]  # None: no charset rewritten
    if skeleton.source.endswith("\n") and not out.endswith("\n"):
        out += "\n"
    return out


def _decode(node: PageElement, formatter: HTMLFormatter) -> str:
    if isinstance(node, Tag):
        return node.decode(eventual_encoding=None, formatter=formatter)  # type: ignore[arg-type]  # None: no charset rewritten
    return str(node.output_ready(formatter))  # type: ignore[attr-defined]  # every other node is a NavigableString


def _skeleton(text: str) -> Skeleton:
    declaration = _XML_DECLARATION.match(text)
    head = declaration.group() if declaration else ""
    body = text[len(head) :]
    void_prefix = "/" if _SELF_CLOSED_VOID.search(body) else ""
    return Skeleton(body, head, _DOCUMENT_TAG.search(body) is None, void_prefix)


class _LineLocator:
    """Best-effort source lines for segments (lxml through bs4 keeps no positions)."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._cursor = 0
        self._line = 1  # the line the cursor is on

    def find(self, probe: str) -> int | None:
        probe = probe.strip()[:24]
        if not probe:
            return None
        position = self._text.find(probe, self._cursor)
        if position == -1:
            return None
        line = self._line + self._text.count("\n", self._cursor, position)
        self._cursor = position + len(probe)
        self._line = line + probe.count("\n")
        return line

    def find_block(self, nodes: list[PageElement]) -> int | None:
        return self.find(next((str(n) for n in nodes if type(n) is NavigableString and str(n).strip()), ""))
