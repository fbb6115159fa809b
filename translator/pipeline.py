"""The flow of one run, as one readable function: ``translate_document``.

reader → (glossary protect) → memory → backend batches → codes restored → (glossary check)
→ (quality) → writer. Each stage takes and returns the plain objects of ``translator.types``;
the optional stages plug in through the two small protocols below.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from . import markup
from .backends.base import Backend, GlossaryPairs, TranslateRequest
from .batching import join_pieces, plan_batches, split_oversized
from .keys import without_credentials
from .memory import TranslationMemory
from .types import Document, Finding, RunSignature, Segment, Translation


class GlossaryStage(Protocol):
    """Enforces a glossary around the backend call (see ``translator.glossary.enforce``)."""

    content_hash: str

    def protect(self, segment: Segment) -> Segment: ...

    def native_pairs(self, source_lang: str, target_lang: str) -> GlossaryPairs | None: ...

    def instructions(self, texts: Sequence[str], target_lang: str) -> str | None: ...

    def check(self, segment: Segment, translation: Translation) -> Translation: ...


class QualityStage(Protocol):
    """Scores and judges translations once they exist (see ``translator.quality``)."""

    async def assess(self, document: Document, translations: dict[str, Translation]) -> None: ...


@dataclass
class RunOptions:
    source_lang: str = "en"
    target_lang: str = "ja"
    concurrency: int = 4
    memory: TranslationMemory | None = None
    glossary: GlossaryStage | None = None
    quality: QualityStage | None = None
    progress: Callable[[int], None] | None = None  # called with the number of segments done
    # Shared by every document of a run, so documents translated side by side still keep at most
    # ``concurrency`` requests in flight; None gives each call its own limit.
    request_limit: asyncio.Semaphore | None = None


@dataclass
class RunStats:
    segments: int = 0
    translated: int = 0  # sent to the backend (after de-duplication)
    memory_hits: int = 0
    requests: int = 0
    characters_sent: int = 0
    skipped: int = 0  # nothing translatable (codes, numbers)

    def add(self, other: RunStats) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class RunResult:
    document: Document
    translations: dict[str, Translation]
    stats: RunStats
    signature: RunSignature

    @property
    def findings(self) -> list[Finding]:
        """Every finding of every segment, in document order (derived, so it cannot go stale
        when the quality stage or ``--fix`` replaces a translation)."""
        return [f for t in self.translations.values() for f in t.findings]

    def texts(self) -> dict[str, str]:
        return {seg_id: t.text for seg_id, t in self.translations.items()}


def run_signature(backend: Backend, options: RunOptions) -> RunSignature:
    from . import __version__

    return RunSignature(
        backend=backend.name,
        source_lang=options.source_lang,
        target_lang=options.target_lang,
        backend_options=without_credentials(backend.signature()),
        glossary_hash=options.glossary.content_hash if options.glossary else "",
        tool_version=__version__,
    )


async def translate_document(document: Document, backend: Backend, options: RunOptions) -> RunResult:
    signature = run_signature(backend, options)
    stats = RunStats(segments=len(document.segments))
    segments = [
        options.glossary.protect(seg) if options.glossary and seg.translate else seg for seg in document.segments
    ]
    document = Document(document.source, document.format, segments, document.skeleton, document.meta)
    backend_text = _backend_texts(segments, backend, stats)

    scope = signature.cache_scope()
    unique = list(dict.fromkeys(backend_text.values()))  # a repeated text is sent once
    answers: dict[str, str] = options.memory.lookup(scope, unique) if options.memory else {}
    stats.memory_hits = sum(1 for text in backend_text.values() if text in answers)
    pending = [text for text in unique if text not in answers]
    answers.update(await _translate_texts(pending, backend, options, scope, stats))
    sent = set(pending)

    translations: dict[str, Translation] = {}
    for seg in segments:
        if seg.id not in backend_text:
            translations[seg.id] = Translation(seg.id, seg.text, origin="untranslated")
            continue
        text = backend_text[seg.id]
        restored = markup.from_backend(answers[text], backend.capabilities.markup)
        repaired, code_findings = markup.repair_codes(seg.text, restored, seg.id)
        origin = "backend" if text in sent else "memory"
        translation = Translation(seg.id, repaired, origin=origin, findings=code_findings)
        translations[seg.id] = options.glossary.check(seg, translation) if options.glossary else translation
    if options.quality:
        await options.quality.assess(document, translations)
    return RunResult(document, translations, stats, signature)


def _backend_texts(segments: Sequence[Segment], backend: Backend, stats: RunStats) -> dict[str, str]:
    """Segment id → the text the backend receives, for segments with something to translate."""
    texts: dict[str, str] = {}
    for seg in segments:
        if not seg.translate:
            continue
        if not markup.has_translatable_text(seg.text):
            stats.skipped += 1
            continue
        texts[seg.id] = markup.to_backend(seg.text, seg.spans, backend.capabilities.markup)
    return texts


async def run_all_or_cancel(coroutines: Sequence[Coroutine[Any, Any, None]]) -> None:
    """Run side by side; the first failure cancels the rest and is raised as itself (not wrapped
    in an ExceptionGroup as ``asyncio.TaskGroup`` would, so callers still see a TranslatorError)."""
    tasks = [asyncio.ensure_future(coroutine) for coroutine in coroutines]
    try:
        await asyncio.gather(*tasks)
    except BaseException:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise


async def _translate_texts(
    texts: list[str], backend: Backend, options: RunOptions, scope: str, stats: RunStats
) -> dict[str, str]:
    """Send texts in batches with bounded concurrency; store each finished batch in memory.

    A text too large for one request goes as several pieces (see ``translator.batching``)."""
    if not texts:
        return {}
    pieces_of = {text: split_oversized(text, backend.capabilities.max_bytes) for text in texts}
    texts = list(dict.fromkeys(piece for pieces in pieces_of.values() for piece in pieces))
    batches = plan_batches(texts, backend.capabilities)
    glossary = options.glossary.native_pairs(options.source_lang, options.target_lang) if (
        options.glossary and backend.capabilities.native_glossary
    ) else None
    limit = options.request_limit or asyncio.Semaphore(options.concurrency)
    results: dict[str, str] = {}

    async def run_batch(indexes: list[int]) -> None:
        batch = [texts[i] for i in indexes]
        instructions = None
        if options.glossary and backend.capabilities.uses_instructions:
            instructions = options.glossary.instructions(batch, options.target_lang)
        request = TranslateRequest(batch, options.source_lang, options.target_lang, glossary, instructions)
        async with limit:
            translated = await backend.translate(request)
        stats.requests += 1
        stats.translated += len(batch)
        stats.characters_sent += sum(len(t) for t in batch)
        done = dict(zip(batch, translated, strict=True))
        results.update(done)
        if options.memory:
            options.memory.store(scope, done)
        if options.progress:
            options.progress(len(batch))

    await run_all_or_cancel([run_batch(indexes) for indexes in batches])
    joined = {
        text: join_pieces([results[piece] for piece in pieces], options.target_lang)
        for text, pieces in pieces_of.items()
        if len(pieces) > 1
    }
    if joined and options.memory:
        options.memory.store(scope, joined)
    results.update(joined)
    return results
