"""What the pipeline asks of the optional stages around the backend, as two small protocols.

The glossary (``translator.glossary.enforce.GlossaryStage``) protects terms before the backend
and checks them after; the quality stage (``translator.quality.stage.QualityStage``) judges the
translations of a document once they exist. Both live below the pipeline and know nothing of it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from .backends.base import GlossaryPairs
from .types import Document, Segment, Translation


class GlossaryEnforcement(Protocol):
    """Enforces a glossary around the backend call."""

    content_hash: str

    def protect(self, segment: Segment) -> Segment: ...

    def native_pairs(self, source_lang: str, target_lang: str) -> GlossaryPairs | None: ...

    def instructions(self, texts: Sequence[str], target_lang: str) -> str | None: ...

    def check(self, segment: Segment, translation: Translation) -> Translation: ...


class QualityAssessment(Protocol):
    """Scores and judges a document's translations once they exist."""

    async def assess(self, document: Document, translations: dict[str, Translation]) -> None: ...
