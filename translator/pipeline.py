"""The flow of one document, as one readable function: ``translate_document``.

reader's Document → (glossary protect) → memory look-up → batches through the backend stack →
codes restored → (glossary check) → (quality) → a ``DocumentResult`` for the writer. The stages
after the backend run per batch as each returns (the quality stage's back-translation of that batch
is sent while later batches are still out), then once over the whole document. The backend
arrives ready-made (``translator.backends.stack``): its request limit, retries, memory and answer
check are shared with every other document and stage of the run.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from . import markup
from .backends.base import TranslateRequest
from .backends.stack import Stack
from .batching import join_pieces, plan_batches, split_oversized
from .context import DocumentContext, places
from .errors import InputError, RequestRejected
from .stages import DocumentChecks, GlossaryEnforcement, QualityAssessment
from .types import Document, Finding, Segment, Translation


@dataclass
class DocumentOptions:
    """How one document is translated (the run's languages and its optional stages)."""

    source_lang: str = "en"
    target_lang: str = "ja"
    glossary: GlossaryEnforcement | None = None
    quality: QualityAssessment | None = None
    progress: Callable[[int], None] | None = None  # called with the number of segments done
    context: bool = True  # send the title and neighbouring text with each request
    notes: dict[str, str] = field(default_factory=dict)  # segment id → what to fix (a --fix rewrite)


@dataclass
class DocumentStats:
    segments: int = 0
    translated: int = 0  # texts sent to the backend stack (after de-duplication and the memory)
    memory_hits: int = 0
    requests: int = 0
    characters_sent: int = 0
    context_characters: int = 0  # sent as context with the requests (not translated)
    skipped: int = 0  # nothing translatable (codes, numbers)

    def add(self, other: DocumentStats) -> None:
        for name in self.__dataclass_fields__:
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass(repr=False)
class DocumentResult:
    document: Document
    translations: dict[str, Translation]
    stats: DocumentStats = field(default_factory=DocumentStats)

    @property
    def findings(self) -> list[Finding]:
        """Every finding of every segment, in document order (derived, so it cannot go stale
        when the quality stage or ``--fix`` replaces a translation)."""
        return [f for t in self.translations.values() for f in t.findings]

    def texts(self) -> dict[str, str]:
        return {seg_id: t.text for seg_id, t in self.translations.items()}

    def __repr__(self) -> str:
        return f"DocumentResult({self.document!r})"


async def translate_document(document: Document, backend: Stack, options: DocumentOptions) -> DocumentResult:
    stats = DocumentStats(segments=len(document.segments))
    glossary = options.glossary
    segments = [glossary.protect(seg) if glossary and seg.translate else seg for seg in document.segments]
    document = replace(document, segments=segments)
    # The checks start on each batch as soon as it returns (its back-translation is then sent
    # while later batches are still out), so a document's CPU work overlaps its network waits.
    checking = _start_checks(options.quality, document)
    try:
        translations = await _forward(document, backend, options, stats, checking)
        if checking is not None:
            await checking.finish(translations)
        elif options.quality:
            await options.quality.assess(document, translations)
    except BaseException:
        if checking is not None:
            await checking.cancel()
        raise
    return DocumentResult(document, translations, stats)


async def _forward(
    document: Document, backend: Stack, options: DocumentOptions, stats: DocumentStats, checking: DocumentChecks | None
) -> dict[str, Translation]:
    """Every segment's translation, from the memory or the backend. What it takes to send them
    (each segment's backend text, the plan, the arrivals' maps: about 1 KB a segment) lives only
    here, so it is gone before the document-wide checks, which hold the most."""
    backend_text = _backend_texts(document.segments, backend, stats)
    unique = list(dict.fromkeys(backend_text.values()))  # a repeated text is sent once
    answers = backend.recall(unique, options.source_lang, options.target_lang)
    stats.memory_hits = sum(1 for text in backend_text.values() if text in answers)
    pending = [text for text in unique if text not in answers]
    sent = set(pending)
    arrivals = _Arrivals(document.segments, backend_text, sent, backend, options.glossary, checking)
    arrivals.answered(answers)
    plan = _Plan(document, backend_text, DocumentContext(document) if options.context else None, options.notes)
    arrivals.answered(await _translate_texts(pending, backend, options, stats, plan, arrivals.answered))
    return arrivals.translations()


def _start_checks(quality: QualityAssessment | None, document: Document) -> DocumentChecks | None:
    """The quality stage's per-document checks when it can take translations as they arrive."""
    start = getattr(quality, "start", None)
    return start(document) if start is not None else None


class _Arrivals:
    """Turns answers into segments' translations as they arrive (codes restored, glossary
    checked), each segment once, and hands them to the document's checks."""

    def __init__(
        self,
        segments: Sequence[Segment],
        backend_text: dict[str, str],
        sent: set[str],
        backend: Stack,
        glossary: GlossaryEnforcement | None,
        checking: DocumentChecks | None,
    ) -> None:
        self.segments = segments
        self.backend_text = backend_text
        self.sent = sent
        self.markup = backend.capabilities.markup
        self.glossary = glossary
        self.checking = checking
        self.segments_of: dict[str, list[Segment]] = {}
        for seg in segments:
            if seg.id in backend_text:
                self.segments_of.setdefault(backend_text[seg.id], []).append(seg)
        self.done: dict[str, Translation] = {}

    def answered(self, answers: dict[str, str]) -> None:
        ready: list[tuple[Segment, Translation]] = []
        for text, answer in answers.items():
            for seg in self.segments_of.pop(text, ()):
                translation = self._translation(seg, text, answer)
                self.done[seg.id] = translation
                ready.append((seg, translation))
        if ready and self.checking is not None:
            self.checking.add(ready)

    def _translation(self, seg: Segment, text: str, answer: str) -> Translation:
        restored = markup.from_backend(answer, self.markup)
        repaired, code_findings = markup.repair_codes(seg.text, restored, seg.id)
        origin = "backend" if text in self.sent else "memory"
        translation = Translation(seg.id, repaired, origin=origin, findings=code_findings)
        return self.glossary.check(seg, translation) if self.glossary else translation

    def translations(self) -> dict[str, Translation]:
        """Every segment's translation, in document order."""
        if self.segments_of:  # cannot happen: every text sent is answered or the document fails
            missing = next(iter(self.segments_of))
            raise RuntimeError(f"no answer for {missing!r}")
        return {
            seg.id: self.done.get(seg.id) or Translation(seg.id, seg.text, origin="untranslated")
            for seg in self.segments
        }


def _backend_texts(segments: Sequence[Segment], backend: Stack, stats: DocumentStats) -> dict[str, str]:
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


class _Plan:
    """Where each backend text of a document comes from: its line (for errors), its place and
    role (for the context and roles sent with each request)."""

    def __init__(
        self,
        document: Document,
        backend_text: dict[str, str],
        context: DocumentContext | None,
        notes: dict[str, str] | None = None,
    ) -> None:
        self.source = document.source
        self.places = places(document.segments, backend_text)
        self.lines = {text: document.segments[place.index].line for text, place in self.places.items()}
        self.context = context
        self.notes = {
            text: notes[document.segments[place.index].id]
            for text, place in self.places.items()
            if notes and document.segments[place.index].id in notes
        }

    def pieces(self, texts: list[str], max_bytes: int) -> dict[str, list[str]]:
        """Each text, cut in pieces that fit one request (a piece has its whole text's place). A
        text that cannot be cut is bad input of this document: it fails this file, with its line,
        and the other files go on."""
        pieces_of: dict[str, list[str]] = {}
        for text in texts:
            try:
                pieces_of[text] = split_oversized(text, max_bytes)
            except RequestRejected as exc:
                raise InputError(exc.message, path=self.source, line=self.lines.get(text)) from exc
            for piece in pieces_of[text]:
                self.places.setdefault(piece, self.places[text])
        return pieces_of

    def roles(self, batch: list[str]) -> tuple[str, ...]:
        return tuple(self.places[text].role for text in batch)

    def notes_of(self, batch: list[str]) -> tuple[str, ...]:
        return tuple(self.notes.get(text, "") for text in batch) if self.notes else ()

    def context_of(self, batch: list[str]) -> str | None:
        if self.context is None:
            return None
        return self.context.around([self.places[text].index for text in batch]) or None


async def _translate_texts(
    texts: list[str],
    backend: Stack,
    options: DocumentOptions,
    stats: DocumentStats,
    plan: _Plan,
    on_answers: Callable[[dict[str, str]], None] | None = None,
) -> dict[str, str]:
    """The texts' translations: those another document of the run is already sending are awaited,
    the rest sent here (and handed to any document that needs them meanwhile)."""
    if not texts:
        return {}
    languages = (options.source_lang, options.target_lang)
    mine, theirs = backend.claim(texts, *languages)
    try:
        results = await _send(mine, backend, options, stats, plan, on_answers)
    except BaseException:
        backend.release(mine, *languages)
        raise
    backend.settle(results, *languages)
    orphaned: list[str] = []
    for text, future in theirs.items():
        try:
            results[text] = await asyncio.shield(future)
        except asyncio.CancelledError:
            if not future.cancelled():
                raise  # this document itself is being cancelled
            orphaned.append(text)  # the document sending it failed: send it here
    if orphaned:
        results.update(await _translate_texts(orphaned, backend, options, stats, plan, on_answers))
    return results


async def _send(
    texts: list[str],
    backend: Stack,
    options: DocumentOptions,
    stats: DocumentStats,
    plan: _Plan,
    on_answers: Callable[[dict[str, str]], None] | None = None,
) -> dict[str, str]:
    """Send texts in batches; the stack bounds concurrency, retries and stores each answer.
    ``on_answers`` gets each batch's whole texts as soon as the batch returns (texts cut in
    pieces are joined, and handed over, once every piece is back)."""
    if not texts:
        return {}
    pieces_of = plan.pieces(texts, backend.capabilities.max_bytes)
    texts = list(dict.fromkeys(piece for pieces in pieces_of.values() for piece in pieces))
    batches = plan_batches(texts, backend.capabilities)
    glossary = options.glossary
    native = (
        glossary.native_pairs(options.source_lang, options.target_lang)
        if glossary and backend.capabilities.native_glossary
        else None
    )
    results: dict[str, str] = {}
    whole = {text for text, pieces in pieces_of.items() if pieces == [text]}

    async def run_batch(indexes: list[int]) -> None:
        batch = [texts[i] for i in indexes]
        instructions = None
        if glossary and backend.capabilities.uses_instructions:
            instructions = glossary.instructions(batch, options.target_lang)
        context = plan.context_of(batch)
        request = TranslateRequest(
            batch,
            options.source_lang,
            options.target_lang,
            native,
            instructions,
            context,
            plan.roles(batch),
            plan.notes_of(batch),
        )
        translated = await backend.translate(request)
        stats.requests += 1
        stats.translated += len(batch)
        stats.characters_sent += sum(len(t) for t in batch)
        stats.context_characters += len(context or "")
        results.update(zip(batch, translated, strict=True))
        if options.progress:
            options.progress(len(batch))
        if on_answers is not None:
            on_answers({text: answer for text, answer in zip(batch, translated, strict=True) if text in whole})

    await run_all_or_cancel([run_batch(indexes) for indexes in batches])
    joined = {
        text: join_pieces([results[piece] for piece in pieces], options.target_lang)
        for text, pieces in pieces_of.items()
        if len(pieces) > 1
    }
    backend.remember(joined, options.source_lang, options.target_lang)  # found whole next time
    results.update(joined)
    return results
