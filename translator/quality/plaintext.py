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
from functools import cached_property

from .. import markup
from ..types import Span

INVISIBLE_KINDS = ("anchor", "html", "br")
LINE_BREAK_KINDS = ("br",)


@dataclass(frozen=True)
class PlainText:
    """A segment's text as read, with the ranges that are protected.

    Every rule of a segment reads the same few views of it (the text without its protected
    ranges, its length without spaces); each is worked out once, on first use, and kept with the
    text, which the assessor keeps for all the checks of the segment."""

    text: str
    protected: tuple[tuple[int, int], ...] = ()

    def is_protected(self, start: int, end: int) -> bool:
        """True when ``start:end`` lies wholly inside protected text."""
        return bool(self.protected) and any(p_start <= start and end <= p_end for p_start, p_end in self.protected)

    def unprotected(self) -> str:
        """The text with protected ranges blanked out (offsets unchanged)."""
        return self._unprotected

    @cached_property
    def _unprotected(self) -> str:
        return self.replaced(lambda length: " " * length) if self.protected else self.text

    @cached_property
    def chars(self) -> int:
        """How many characters the text has, whitespace left out (what length rules compare)."""
        return len("".join(self.text.split()))  # str.split() cuts at what the pattern \s matches

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
    if "<" not in tagged:  # no code: the text itself, unescaped
        return PlainText(markup.unescape(tagged))
    parts: list[str] = []
    protected: list[tuple[int, int]] = []
    length = 0
    for kind, value in markup.tokens(tagged):
        if kind == "text":
            parts.append(value)
            length += len(value)
        elif kind == "x":
            span = spans.get(value)
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
