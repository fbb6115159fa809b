"""Plain text: one segment per paragraph (lines up to a blank line), blank lines kept."""

from __future__ import annotations

from collections.abc import Mapping

from .. import markup
from ..segmenter import tagged
from ..types import Document, Segment
from .base import Bilingual, Format, with_source


class TextFormat(Format):
    name = "text"
    extensions = (".txt", ".text")
    description = "plain text, paragraph by paragraph"

    def read(self, text: str, source: str) -> Document:
        segments: list[Segment] = []
        skeleton: list[str | int] = []  # separator strings and segment indexes, in order
        lines = text.split("\n")
        paragraph: list[str] = []
        start = 0

        def flush() -> None:
            if paragraph:
                body, spans = tagged(" ".join(part.strip() for part in paragraph))
                skeleton.append(len(segments))
                segments.append(Segment(f"p{len(segments) + 1}", "paragraph", body, spans, line=start + 1))
                paragraph.clear()

        for number, line in enumerate(lines):
            if line.strip():
                if not paragraph:
                    start = number
                paragraph.append(line)
                continue
            flush()
            skeleton.append(line)
        flush()
        return Document(source, self.name, segments, skeleton)

    def write(self, document: Document, translations: Mapping[str, str], *, bilingual: Bilingual = False) -> str:
        out: list[str] = []
        for item in document.skeleton:
            if isinstance(item, str):
                out.append(item)
                continue
            seg = document.segments[item]
            translated = markup.render(translations.get(seg.id, seg.text), seg.spans)
            if with_source(bilingual, seg.id):
                out.extend([markup.render(seg.text, seg.spans), ""])
            out.append(translated)
        return "\n".join(out)
