"""The back-translator and the fixer the quality stage receives, built on the run's stacks.

Both send segments through the same pipeline as the forward translation (batching, inline-code
repair), through stacks that share the run's request limit; they live here, above the pipeline,
so that ``translator.quality`` never imports it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

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

    @property
    def name(self) -> str:
        return self.stack.name

    @property
    def batch_texts(self) -> int:
        """Texts one request carries: the quality stage sends back-translations in groups this size."""
        return self.stack.capabilities.max_texts

    async def __call__(self, items: Sequence[tuple[Segment, Translation]]) -> tuple[dict[str, str], int]:
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
