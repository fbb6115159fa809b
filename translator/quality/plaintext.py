"""The plain text a reader sees, with the ranges that came from protected spans.

Findings point at character offsets in this text (the report highlights them), and rules must
not fire inside protected text (an inline code or URL is English on purpose), so rules, masking,
style findings and the report all read segments through this one walk over the tagged text.
A line break inside a segment is kept as ``\\n``: dropping it would glue the words on either
side together ("Note" + "Unless" → "NoteUnless") for the reader and for every rule.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .. import markup
from ..types import Span

INVISIBLE_KINDS = ("anchor", "html", "br")
LINE_BREAK_KINDS = ("br",)


@dataclass(frozen=True)
class PlainText:
    text: str
    protected: tuple[tuple[int, int], ...] = ()

    def is_protected(self, start: int, end: int) -> bool:
        """True when ``start:end`` lies wholly inside protected text."""
        return any(p_start <= start and end <= p_end for p_start, p_end in self.protected)

    def unprotected(self) -> str:
        """The text with protected ranges blanked out (offsets unchanged)."""
        return self.replaced(lambda length: " " * length)

    def replaced(self, replacement: Callable[[int], str]) -> str:
        """The text with each protected range replaced by ``replacement(length)``."""
        parts: list[str] = []
        position = 0
        for start, end in self.protected:
            parts.append(self.text[position:start])
            parts.append(replacement(end - start))
            position = end
        parts.append(self.text[position:])
        return "".join(parts)


def plain_text(tagged: str, spans: dict[str, Span]) -> PlainText:
    parts: list[str] = []
    protected: list[tuple[int, int]] = []
    length = 0
    for token in markup.tokens(tagged):
        if token.kind == "text":
            parts.append(token.value)
            length += len(token.value)
        elif token.kind == "x":
            span = spans.get(token.value)
            if span is None:
                continue
            if span.kind in LINE_BREAK_KINDS:
                parts.append("\n")
                length += 1
            elif span.kind not in INVISIBLE_KINDS:
                visible = markup.visible_text(span)
                parts.append(visible)
                protected.append((length, length + len(visible)))
                length += len(visible)
    return PlainText("".join(parts), tuple(protected))
