"""The back-translator and the fixer the quality stage receives, built on the run's stacks.

Both send segments through the same pipeline as the forward translation (batching, inline-code
repair), through stacks that share the run's request limit; they live here, above the pipeline,
so that ``translator.quality`` never imports it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..backends.stack import Stack
from ..pipeline import DocumentOptions, translate_document
from ..quality.backtranslate import characters
from ..stages import GlossaryEnforcement
from ..types import Document, Segment, Translation


@dataclass
class PipelineBackTranslator:
    stack: Stack
    source_lang: str  # of the original document
    target_lang: str
    # Groups being back-translated at once. The quality stage hands over every group of a
    # document as it is chosen; each builds its segments and the pipeline's maps before it waits
    # for a request slot, so without this bound a long document's whole back-translation (about
    # 1.5 KB a segment) would be built at once though only ``--concurrency`` requests can be out.
    at_once: int = 8
    _slots: asyncio.Semaphore | None = field(default=None, init=False, repr=False)

    @property
    def name(self) -> str:
        return self.stack.name

    @property
    def batch_texts(self) -> int:
        """Texts one request carries: the quality stage sends back-translations in groups this size."""
        return self.stack.capabilities.max_texts

    async def __call__(self, items: Sequence[tuple[Segment, Translation]]) -> tuple[dict[str, str], int]:
        if self._slots is None:
            self._slots = asyncio.Semaphore(max(1, self.at_once))
        async with self._slots:
            return await self._back_translate(items)

    async def _back_translate(self, items: Sequence[tuple[Segment, Translation]]) -> tuple[dict[str, str], int]:
        synthetic = [
            Segment(segment.id, "back-translation", translation.text, segment.spans) for segment, translation in items
        ]
        if not synthetic:
            return {}, 0
        # No context: a back-translation measures what each translation says on its own.
        options = DocumentOptions(source_lang=self.target_lang, target_lang=self.source_lang, context=False)
        result = await translate_document(Document("back-translation", "text", synthetic), self.stack, options)
        texts = {seg_id: t.text for seg_id, t in result.translations.items() if t.origin != "untranslated"}
        sent = {t.text: characters(t, s) for s, t in items if result.translations[s.id].origin == "backend"}
        return texts, sum(sent.values())  # a text repeated in the document is sent once


@dataclass
class PipelineFixer:
    stack: Stack
    source_lang: str
    target_lang: str

    @property
    def name(self) -> str:
        return self.stack.name

    async def __call__(
        self, segments: Sequence[Segment], glossary: GlossaryEnforcement, notes: dict[str, str] | None = None
    ) -> dict[str, Translation]:
        options = DocumentOptions(
            source_lang=self.source_lang, target_lang=self.target_lang, glossary=glossary, notes=dict(notes or {})
        )
        result = await translate_document(Document("fix", "text", list(segments)), self.stack, options)
        return result.translations
