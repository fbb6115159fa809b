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
from .batching import BatchFiller, join_pieces, split_oversized
from .context import DocumentContext, Place
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


# Segments protected and planned at a time: the first request leaves once the first chunk is
# planned, while the rest of a large document is still being protected (the run-wide claims of
# the backend stack keep a text repeated in a later chunk from being sent twice).
CHUNK_SEGMENTS = 256


async def translate_document(document: Document, backend: Stack, options: DocumentOptions) -> DocumentResult:
    stats = DocumentStats(segments=len(document.segments))
    # The glossary protects the segments in this list, in place, chunk by chunk as the forward
    # pass reaches them (``_forward``); the reader's own segments are released as it goes.
    document = replace(document, segments=list(document.segments))
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
    """Every segment's translation, from the memory or the backend. A chunk of segments at a
    time is protected, looked up in the memory and planned, and its full batches are sent at
    once, so requests are out while later chunks are still being prepared; the batches, and
    the context sent with each, are those the whole document planned at once would give. What
    it takes to send them (each segment's backend text, the plan, the arrivals' maps: about
    1 KB a segment) lives only here, so it is gone before the document-wide checks, which hold
    the most."""
    segments = document.segments
    glossary = options.glossary
    languages = (options.source_lang, options.target_lang)
    arrivals = _Arrivals(segments, backend, glossary, checking)
    plan = _Plan(document.source, DocumentContext(document) if options.context else None, options.notes)
    sender = _Sender(backend, options, stats, plan, arrivals.answered)
    seen: set[str] = set()  # backend texts met so far: a repeated text is sent once
    remembered: set[str] = set()  # those the memory answered
    try:
        for start in range(0, len(segments), CHUNK_SEGMENTS):
            end = min(start + CHUNK_SEGMENTS, len(segments))
            if glossary:
                for index in range(start, end):
                    if segments[index].translate:
                        segments[index] = glossary.protect(segments[index])
            chunk = segments[start:end]
            backend_text = _backend_texts(chunk, backend, stats)
            new = [text for text in dict.fromkeys(backend_text.values()) if text not in seen]
            seen.update(new)
            answers = backend.recall(new, *languages)
            remembered.update(answers)
            stats.memory_hits += sum(1 for text in backend_text.values() if text in remembered)
            pending = [text for text in new if text not in answers]
            plan.add(start, chunk, backend_text)
            arrivals.add(chunk, backend_text, pending)
            arrivals.answered(answers)
            sender.send(pending)
            if sender.failed():
                break  # a batch already failed: finish raises it
            await asyncio.sleep(0)  # the batches just started go out before the next chunk
    except BaseException:
        await sender.abort()
        raise
    arrivals.all_added()
    arrivals.answered(await sender.finish())
    return arrivals.translations()


def _start_checks(quality: QualityAssessment | None, document: Document) -> DocumentChecks | None:
    """The quality stage's per-document checks when it can take translations as they arrive."""
    start = getattr(quality, "start", None)
    return start(document) if start is not None else None


class _Arrivals:
    """Turns answers into segments' translations as they arrive (codes restored, glossary
    checked), each segment once, and hands them to the document's checks. Segments are added
    chunk by chunk; one whose text was answered already (for an earlier chunk) is done at once."""

    def __init__(
        self,
        segments: Sequence[Segment],
        backend: Stack,
        glossary: GlossaryEnforcement | None,
        checking: DocumentChecks | None,
    ) -> None:
        self.segments = segments
        self.sent: set[str] = set()
        self.markup = backend.capabilities.markup
        self.glossary = glossary
        self.checking = checking
        self.segments_of: dict[str, list[Segment]] = {}  # text → segments awaiting its answer
        self.answers: dict[str, str] = {}  # texts answered so far, for segments of later chunks
        self.adding = True  # segments may still come (see ``all_added``)
        self.done: dict[str, Translation] = {}

    def add(self, segments: Sequence[Segment], backend_text: dict[str, str], sent: Sequence[str]) -> None:
        self.sent.update(sent)
        ready: list[tuple[Segment, Translation]] = []
        for seg in segments:
            text = backend_text.get(seg.id)
            if text is None:
                continue
            answer = self.answers.get(text)
            if answer is None:
                self.segments_of.setdefault(text, []).append(seg)
            else:
                ready.append(self._done(seg, text, answer))
        self._hand_over(ready)

    def all_added(self) -> None:
        """Every segment is in: answers need no longer be kept for later ones."""
        self.answers.clear()
        self.adding = False

    def answered(self, answers: dict[str, str]) -> None:
        ready: list[tuple[Segment, Translation]] = []
        for text, answer in answers.items():
            if self.adding:
                self.answers[text] = answer
            for seg in self.segments_of.pop(text, ()):
                ready.append(self._done(seg, text, answer))
        self._hand_over(ready)

    def _done(self, seg: Segment, text: str, answer: str) -> tuple[Segment, Translation]:
        translation = self._translation(seg, text, answer)
        self.done[seg.id] = translation
        return seg, translation

    def _hand_over(self, ready: list[tuple[Segment, Translation]]) -> None:
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
    await all_or_cancel([asyncio.ensure_future(coroutine) for coroutine in coroutines])


async def all_or_cancel(tasks: Sequence[asyncio.Future[None]]) -> None:
    """Wait for tasks already running; the first failure cancels the rest and is raised as itself."""
    try:
        await asyncio.gather(*tasks)
    except BaseException:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise


class _Plan:
    """Where each backend text of a document comes from: its line (for errors), its place and
    role (for the context and roles sent with each request). Filled chunk by chunk; a repeated
    text keeps its first place."""

    def __init__(self, source: str, context: DocumentContext | None, notes: dict[str, str] | None = None) -> None:
        self.source = source
        self.places: dict[str, Place] = {}
        self.lines: dict[str, int | None] = {}
        self.context = context
        self.notes_by_segment = notes or {}
        self.notes: dict[str, str] = {}  # backend text → what to fix (a --fix rewrite)

    def add(self, start: int, segments: Sequence[Segment], backend_text: dict[str, str]) -> None:
        """The places of ``segments``, the document's segments from index ``start`` on."""
        for index, seg in enumerate(segments, start):
            text = backend_text.get(seg.id)
            if text is None or text in self.places:
                continue
            self.places[text] = Place(index, seg.kind)
            self.lines[text] = seg.line
            if seg.id in self.notes_by_segment:
                self.notes[text] = self.notes_by_segment[seg.id]

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
        # Known for the whole document before its first batch leaves, so every batch says it alike.
        return tuple(self.notes.get(text, "") for text in batch) if self.notes_by_segment else ()

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
    sender = _Sender(backend, options, stats, plan, on_answers)
    try:
        sender.send(texts)
    except BaseException:
        await sender.abort()
        raise
    return await sender.finish()


class _Sender:
    """Sends a document's texts in batches as they are given (``send``, a chunk at a time), each
    batch started as soon as it is full; ``finish`` sends the last one and waits for them all.
    The stack bounds concurrency, retries and stores each answer. ``on_answers`` gets each
    batch's whole texts as soon as the batch returns (texts cut in pieces are joined, and handed
    over, once every piece is back). The batches are those all the texts at once would give
    (``BatchFiller``: greedy, in order)."""

    def __init__(
        self,
        backend: Stack,
        options: DocumentOptions,
        stats: DocumentStats,
        plan: _Plan,
        on_answers: Callable[[dict[str, str]], None] | None = None,
    ) -> None:
        self.backend = backend
        self.options = options
        self.stats = stats
        self.plan = plan
        self.on_answers = on_answers
        self.languages = (options.source_lang, options.target_lang)
        glossary = options.glossary
        caps = backend.capabilities
        self.native = (
            glossary.native_pairs(options.source_lang, options.target_lang)
            if glossary and caps.native_glossary
            else None
        )
        self.instructions = glossary if glossary and caps.uses_instructions else None
        self.mine: list[str] = []  # texts this document claimed: it sends them
        self.theirs: dict[str, asyncio.Future[str]] = {}  # texts another document is sending
        self.pieces_of: dict[str, list[str]] = {}
        self.whole: set[str] = set()  # texts sent as they are, not cut in pieces
        self.pieces_seen: set[str] = set()
        self.batches = BatchFiller(caps)
        self.tasks: list[asyncio.Future[None]] = []
        self.results: dict[str, str] = {}

    def send(self, texts: Sequence[str]) -> None:
        if not texts:
            return
        mine, theirs = self.backend.claim(texts, *self.languages)
        self.mine.extend(mine)
        self.theirs.update(theirs)
        caps = self.backend.capabilities
        for text, pieces in self.plan.pieces(mine, caps.max_bytes).items():
            self.pieces_of[text] = pieces
            if pieces == [text]:
                self.whole.add(text)
            for piece in pieces:
                if piece in self.pieces_seen:
                    continue
                self.pieces_seen.add(piece)
                full = self.batches.add(piece)
                if full is not None:
                    self._start_batch(full)

    def failed(self) -> bool:
        """A batch already failed (the document stops: ``finish`` raises it)."""
        return any(task.done() and not task.cancelled() and task.exception() is not None for task in self.tasks)

    def _start_batch(self, batch: list[str]) -> None:
        self.tasks.append(asyncio.ensure_future(self._run_batch(batch)))

    async def _run_batch(self, batch: list[str]) -> None:
        options, stats, plan = self.options, self.stats, self.plan
        instructions = self.instructions.instructions(batch, options.target_lang) if self.instructions else None
        context = plan.context_of(batch)
        request = TranslateRequest(
            batch,
            options.source_lang,
            options.target_lang,
            self.native,
            instructions,
            context,
            plan.roles(batch),
            plan.notes_of(batch),
        )
        translated = await self.backend.translate(request)
        stats.requests += 1
        stats.translated += len(batch)
        stats.characters_sent += sum(len(t) for t in batch)
        stats.context_characters += len(context or "")
        self.results.update(zip(batch, translated, strict=True))
        if options.progress:
            options.progress(len(batch))
        if self.on_answers is not None:
            whole = self.whole
            self.on_answers({text: answer for text, answer in zip(batch, translated, strict=True) if text in whole})

    async def abort(self) -> None:
        """Stop: batches still out are cancelled, and the texts claimed are given up (those
        awaiting them elsewhere send them themselves)."""
        tasks, self.tasks = self.tasks, []
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self.backend.release(self.mine, *self.languages)

    async def finish(self) -> dict[str, str]:
        """Every text's translation, once the last batch is sent and all have returned."""
        last = self.batches.close()
        if last is not None:
            self._start_batch(last)
        backend, options, languages = self.backend, self.options, self.languages
        try:
            await all_or_cancel(self.tasks)
        except BaseException:
            self.backend.release(self.mine, *languages)
            raise
        results = self.results
        joined = {
            text: join_pieces([results[piece] for piece in pieces], options.target_lang)
            for text, pieces in self.pieces_of.items()
            if len(pieces) > 1
        }
        backend.remember(joined, *languages)  # found whole next time
        results.update(joined)
        backend.settle(results, *languages)
        orphaned: list[str] = []
        for text, future in self.theirs.items():
            try:
                results[text] = await asyncio.shield(future)
            except asyncio.CancelledError:
                if not future.cancelled():
                    raise  # this document itself is being cancelled
                orphaned.append(text)  # the document sending it failed: send it here
        if orphaned:
            results.update(await _translate_texts(orphaned, backend, options, self.stats, self.plan, self.on_answers))
        return results
