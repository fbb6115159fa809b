"""Back-translation: what each choice costs, and what the quality stage needs from a back-translator.

The back-translator itself is built by the run around its back-translation backend stack (see
``translator.runs.roundtrip``): the translated segments go through the same pipeline as the
forward translation, so batching, the shared request limit, retries, the translation memory and
inline-code repair are shared (the memory scope has the languages swapped, so forward and back
entries never mix). This module stays free of the pipeline, so ``quality`` stays a pure package.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from ..markup import plain
from ..types import Segment, Translation

MODES = ("all", "suspect", "none")


@dataclass
class BackTranslationCost:
    """Characters each ``back_translate`` choice costs (what a paid backend bills)."""

    mode: str = "suspect"
    all: int = 0
    suspect: int = 0
    sent: int = 0  # characters actually sent (after the translation memory), counted as the others
    segments: int = 0  # segments back-translated

    def add(self, other: BackTranslationCost) -> None:
        self.all += other.all
        self.suspect += other.suspect
        self.sent += other.sent
        self.segments += other.segments

    def as_dict(self) -> dict[str, int | str]:
        return {
            "mode": self.mode,
            "all": self.all,
            "suspect": self.suspect,
            "none": 0,
            "sent": self.sent,
            "segments": self.segments,
        }


def characters(translation: Translation, segment: Segment) -> int:
    """What back-translating ``translation`` costs, in the one unit every figure of
    ``BackTranslationCost`` uses: the characters a reader sees (the wire format's tags vary by
    backend, and counting them made "sent" exceed "all would cost")."""
    return len(plain(translation.text, segment.spans))


class BackTranslate(Protocol):
    """Translations sent back into the source language; the run builds one around its
    back-translation backend (``translator.runs.roundtrip``), a test may pass any callable."""

    @property
    def name(self) -> str:
        """The backend, for the report."""
        ...

    async def __call__(self, items: Sequence[tuple[Segment, Translation]]) -> tuple[dict[str, str], int]:
        """Back-translations (tagged text) by segment id, and the characters sent for them."""
        ...
