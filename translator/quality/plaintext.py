"""The plain text a reader sees, with the ranges that came from protected spans.

Findings point at character offsets in this text (the report highlights them), and rules must
not fire inside protected text (an inline code or URL is English on purpose), so both come from
one walk over the tagged text.
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import markup
from ..types import Span

INVISIBLE_KINDS = ("anchor", "html", "br")


@dataclass(frozen=True)
class PlainText:
    text: str
    protected: tuple[tuple[int, int], ...] = ()

    def is_protected(self, start: int, end: int) -> bool:
        return any(start < p_end and p_start < end for p_start, p_end in self.protected)

    def unprotected(self) -> str:
        """The text with protected ranges blanked out (offsets unchanged)."""
        chars = list(self.text)
        for start, end in self.protected:
            chars[start:end] = " " * (end - start)
        return "".join(chars)


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
            if span is not None and span.kind not in INVISIBLE_KINDS:
                parts.append(span.opening)
                protected.append((length, length + len(span.opening)))
                length += len(span.opening)
    return PlainText("".join(parts), tuple(protected))
