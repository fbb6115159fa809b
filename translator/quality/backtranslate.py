"""Back-translation: translations sent back into the source language through a backend.

The translated segments become a synthetic ``Document`` run through the same
``translate_document`` as the forward translation, so batching, the translation memory, retries
and inline-code repair are shared (the memory scope has the languages swapped, so forward and
back entries never mix).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..backends.base import Backend
from ..markup import plain
from ..memory import TranslationMemory
from ..pipeline import RunOptions, translate_document
from ..types import Document, Segment, Translation

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
        return {"mode": self.mode, "all": self.all, "suspect": self.suspect, "none": 0,
                "sent": self.sent, "segments": self.segments}


def characters(translation: Translation, segment: Segment) -> int:
    """What back-translating ``translation`` costs, in the one unit every figure of
    ``BackTranslationCost`` uses: the characters a reader sees (the wire format's tags vary by
    backend, and counting them made "sent" exceed "all would cost")."""
    return len(plain(translation.text, segment.spans))


@dataclass
class BackTranslator:
    backend: Backend
    source_lang: str  # of the original document
    target_lang: str
    concurrency: int = 4
    memory: TranslationMemory | None = None

    async def run(self, segments: Iterable[tuple[Segment, Translation]]) -> tuple[dict[str, str], int]:
        """Back-translations by segment id, and the characters sent to the backend."""
        items = list(segments)
        synthetic = [
            Segment(segment.id, "back-translation", translation.text, segment.spans)
            for segment, translation in items
        ]
        if not synthetic:
            return {}, 0
        options = RunOptions(
            source_lang=self.target_lang,
            target_lang=self.source_lang,
            concurrency=self.concurrency,
            memory=self.memory,
        )
        result = await translate_document(Document("back-translation", "text", synthetic), self.backend, options)
        texts = {seg_id: t.text for seg_id, t in result.translations.items() if t.origin != "untranslated"}
        sent = {t.text: characters(t, s) for s, t in items if result.translations[s.id].origin == "backend"}
        return texts, sum(sent.values())  # a text repeated in the document is sent once
