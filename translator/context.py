"""What a backend is told about where a batch of texts sits: the title and the neighbouring text.

Engines translate a sentence better when they see the text around it (DeepL's ``context``
parameter, which is not billed; an LLM prompt's "context, do not translate"). The window is
bounded — at most ``WINDOW_CHARACTERS`` before and after the batch, plus the title — so the cost of
context stays predictable and ``--dry-run`` can count it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from . import markup
from .types import Document, Segment

WINDOW_CHARACTERS = 600
TITLE_KINDS = ("heading", "title")


@dataclass(frozen=True)
class Place:
    """Where a backend text first occurs in its document, and its role there."""

    index: int  # position among the document's segments
    role: str


class DocumentContext:
    """Context windows over one document's segments."""

    def __init__(self, document: Document, window: int = WINDOW_CHARACTERS) -> None:
        self.segments = document.segments
        self.window = window
        self.title = _title(document)
        self._plain: dict[int, str] = {}

    def plain(self, index: int) -> str:
        if index not in self._plain:
            segment = self.segments[index]
            self._plain[index] = " ".join(markup.plain(segment.text, segment.spans).split())
        return self._plain[index]

    def around(self, indexes: Sequence[int]) -> str:
        """The title, then up to ``window`` characters before the first and after the last index."""
        first, last = min(indexes), max(indexes)
        before = self._collect(range(first - 1, -1, -1))
        after = self._collect(range(last + 1, len(self.segments)))
        parts = []
        if self.title:
            parts.append(f"Title: {self.title}")
        if before:
            parts.append(" ".join(reversed(before)))
        if after:
            parts.append(" ".join(after))
        return "\n".join(parts)

    def _collect(self, indexes: range) -> list[str]:
        taken: list[str] = []
        used = 0
        for index in indexes:
            text = self.plain(index)
            if not text:
                continue
            if used + len(text) > self.window:
                if not taken:  # one long neighbour: its nearest part
                    taken.append(text[: self.window] if indexes.step > 0 else text[-self.window :])
                break
            taken.append(text)
            used += len(text) + 1
        return taken


def _title(document: Document) -> str:
    for segment in document.segments[:50]:
        if segment.kind in TITLE_KINDS:
            return " ".join(markup.plain(segment.text, segment.spans).split())[:200]
    return ""


def places(segments: Sequence[Segment], backend_text: dict[str, str]) -> dict[str, Place]:
    """Backend text → where it first occurs (a repeated text is sent once, with its first place)."""
    index_of = {segment.id: index for index, segment in enumerate(segments)}
    found: dict[str, Place] = {}
    for seg_id, text in backend_text.items():
        if text not in found:
            found[text] = Place(index_of[seg_id], segments[index_of[seg_id]].kind)
    return found
