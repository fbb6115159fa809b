"""What the pipeline asks of the optional stages around the backend, as two small protocols.

The glossary (``translator.glossary.enforce.GlossaryStage``) protects terms before the backend
and checks them after; the quality stage (``translator.quality.stage.QualityStage``) judges the
translations of a document as they arrive and once they all exist. Both live below the pipeline and know nothing of it.
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
    """Scores and judges a document's translations once they exist. A stage may also offer
    ``start(document) -> DocumentChecks``, to take the translations batch by batch as they arrive
    (the pipeline then uses it instead of ``assess``)."""

    async def assess(self, document: Document, translations: dict[str, Translation]) -> None: ...


class DocumentChecks(Protocol):
    """The checks of one document, fed as its batches return: ``add`` starts the work a batch
    allows on its own (rules, back-translation of what they question) without waiting;
    ``finish`` does what needs the whole document and leaves every verdict in place;
    ``cancel`` stops what ``add`` started when the document fails."""

    def add(self, items: Sequence[tuple[Segment, Translation]]) -> None: ...

    async def finish(self, translations: dict[str, Translation]) -> None: ...

    async def cancel(self) -> None: ...
