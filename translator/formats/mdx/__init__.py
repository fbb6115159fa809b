"""MDX (``.mdx``): Markdown prose translated as Markdown, JSX and ESM kept as code except the
string values that are text, which are translated in place.

Course pages and quizzes written in MDX mix prose with components such as
``<Question choices={[{ text: "…", explain: "…", correct: true }]} />``. The reader:

1. finds the ESM, JSX-flow and expression regions (``jsx.regions``) and hands the Markdown reader
   the file with those regions blanked to spaces (same offsets and lines, so its splicing works on
   the real file) and with indented code off, as MDX has none;
2. takes the string literals inside those regions that are text (``jsx.text_strings``: ``text``,
   ``explain``, ``title``, … and arrays under ``choices``/``options``) as segments of kind
   ``jsx-string`` (ids ``j1``, ``j2``, …; ``meta["key"]`` names the property).

The writer splices Markdown translations as the Markdown format does and writes each string's
translation back inside its own quotes, escaped for them (a JSX attribute gets ``&quot;``, a
JavaScript string ``\\"``), so the file still compiles. Bilingual: Markdown as the Markdown format
does it; a string reads ``English / 日本語``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from markdown_it import MarkdownIt

from ... import markup
from ...segmenter import tagged
from ...types import Document, Segment
from ..base import Bilingual, Format, with_source
from ..markdown import MAX_NESTING, markdown_edits, read_blocks
from ..markdown import _apply as apply_edits
from ..markdown import _Skeleton as MarkdownSkeleton
from .jsx import JsString, Region, encode, regions, text_strings


@lru_cache(maxsize=1)
def parser() -> MarkdownIt:
    """CommonMark + tables as the Markdown format parses, without indented code (MDX has none,
    so text indented inside a component stays prose)."""
    return MarkdownIt("commonmark", {"maxNesting": MAX_NESTING}).enable("table").disable("text_join").disable("code")


@dataclass(frozen=True)
class _MdxSkeleton:
    markdown: MarkdownSkeleton
    markdown_count: int  # the first segments are the Markdown reader's, in its order
    strings: tuple[JsString, ...]  # one per jsx-string segment, after them


class MdxFormat(Format):
    name = "mdx"
    extensions = (".mdx",)
    description = "MDX: Markdown prose, and the text strings of JSX components (text, explain, title, …)"

    def read(self, text: str, source: str) -> Document:
        found = regions(text)
        prose = read_blocks(text, source, self.name, parser(), parse_text=_blank(text, found))
        segments = list(prose.segments)
        strings: list[JsString] = []
        for region in found:
            for string in text_strings(text, region):
                body, spans = tagged(string.value)
                line = text.count("\n", 0, string.start) + 1
                segments.append(
                    Segment(f"j{len(strings) + 1}", "jsx-string", body, spans, line=line, meta={"key": string.key})
                )
                strings.append(string)
        skeleton = _MdxSkeleton(prose.skeleton, len(prose.segments), tuple(strings))
        return Document(source, self.name, segments, skeleton)

    def write(self, document: Document, translations: Mapping[str, str], *, bilingual: Bilingual = False) -> str:
        skeleton: _MdxSkeleton = document.skeleton
        edits = markdown_edits(document, skeleton.markdown, translations, bilingual, cell_break="<br />")
        for offset, string in enumerate(skeleton.strings):
            segment = document.segments[skeleton.markdown_count + offset]
            translated = translations.get(segment.id)
            if translated is None or translated == segment.text:
                continue
            value = markup.render(translated, segment.spans)
            if with_source(bilingual, segment.id):
                value = f"{markup.render(segment.text, segment.spans)} / {value}"
            edits.append((string.start, string.end, encode(value, string.quote)))
        return apply_edits(skeleton.markdown.source, edits)


def _blank(text: str, found: list[Region]) -> str:
    """``text`` with every region turned into spaces, newlines kept (blank lines to Markdown)."""
    chars = list(text)
    for region in found:
        for index in range(region.start, region.end):
            if chars[index] != "\n":
                chars[index] = " "
    return "".join(chars)
