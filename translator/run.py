"""A whole ``translate`` run: plan jobs, build the backend once, translate each source, write it.

This is the library function the CLI's ``translate`` calls; it can be used on its own. A source
with bad input is reported and the others still run; a backend failure (quota, auth, a server that
stays down) stops the run, since every later source would fail the same way.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from .backends import load_backend_class
from .backends.base import Backend
from .config import Settings, user_cache_dir
from .errors import BackendError, InputError, TranslatorError
from .formats import FormatOptions, get_format
from .memory import TranslationMemory
from .pipeline import (
    GlossaryStage,
    QualityStage,
    RunOptions,
    RunResult,
    RunStats,
    run_all_or_cancel,
    translate_document,
)
from .sources import (
    Job,
    is_url,
    load_document,
    plan_all,
    render_bytes,
    write_atomically,
)
from .types import Document

# A backend failure would fail every remaining source too, so it stops the run; bad input in one
# source does not stop the others.
FATAL = (BackendError,)


@dataclass
class JobOutcome:
    job: Job
    result: RunResult | None = None
    error: TranslatorError | None = None


@dataclass
class TranslateRun:
    outcomes: list[JobOutcome] = field(default_factory=list)
    stats: RunStats = field(default_factory=RunStats)

    @property
    def failed(self) -> list[JobOutcome]:
        return [o for o in self.outcomes if o.error is not None]


@dataclass
class TranslateOptions:
    output: str | None = None
    forced_format: str | None = None
    bilingual: bool = False
    backend_url: str | None = None
    format_options: FormatOptions = field(default_factory=FormatOptions)
    glossary: GlossaryStage | None = None  # see translator.glossary.enforce.build_stage
    quality: QualityStage | None = None  # see translator.quality.stage.build_stage
    reports: list[str] = field(default_factory=list)  # .json / .html paths, see translator.report
    anki: str | None = None  # an .apkg path for question sets, see translator.formats.questions.anki
    on_job_start: Callable[[Job, int], None] | None = None  # (job, segment count)
    on_progress: Callable[[Job, int], None] | None = None  # (job, segments just translated)
    on_job_done: Callable[[JobOutcome], None] | None = None


def build_backend(settings: Settings, name: str | None = None, url: str | None = None) -> Backend:
    cls = load_backend_class(name or settings.backend)
    return cls.from_settings(settings, url=url)


def open_memory(settings: Settings) -> TranslationMemory | None:
    if not settings.cache:
        return None
    folder = settings.cache_dir or user_cache_dir()
    return TranslationMemory(Path(folder) / "memory.sqlite3")


def translate_sources(sources: list[str], settings: Settings, options: TranslateOptions) -> TranslateRun:
    jobs = plan_all(sources, options.output, target_lang=settings.target, forced_format=options.forced_format)
    run = asyncio.run(_run_jobs(jobs, settings, options))
    done = [o.result for o in run.outcomes if o.result is not None]
    if options.reports:
        from .report import write_reports

        write_reports(run, options.reports, settings)
    if options.anki and done:
        from .formats.questions.anki import write_deck

        write_deck(done, options.anki)
    return run


async def _run_jobs(jobs: list[Job], settings: Settings, options: TranslateOptions) -> TranslateRun:
    """Translate the jobs side by side: a batch of transcripts spends its time waiting on the
    service, so several documents are in flight at once, all sharing one request limit."""
    run = TranslateRun(outcomes=[JobOutcome(job) for job in jobs])
    memory = open_memory(settings)
    backend = build_backend(settings, url=options.backend_url)
    run_options = RunOptions(
        source_lang=settings.source,
        target_lang=settings.target,
        concurrency=settings.concurrency,
        memory=memory,
        glossary=options.glossary,
        quality=options.quality,
        request_limit=asyncio.Semaphore(settings.concurrency),
    )
    documents_in_flight = asyncio.Semaphore(settings.concurrency + 1)

    async def run_one(outcome: JobOutcome) -> None:
        async with documents_in_flight:
            try:
                outcome.result = await _run_job(outcome.job, backend, run_options, options)
                run.stats.add(outcome.result.stats)
                outcome.error = skipped_records_error(outcome.job.source, outcome.result.document)
            except FATAL:
                raise
            except TranslatorError as exc:
                outcome.error = exc
            if options.on_job_done:
                options.on_job_done(outcome)

    try:
        async with backend:
            await run_all_or_cancel([run_one(outcome) for outcome in run.outcomes])
    finally:
        if memory:
            memory.close()
    run.outcomes = [o for o in run.outcomes if o.result is not None or o.error is not None]
    return run


def skipped_records_error(source: str, document: Document) -> InputError | None:
    """Records a reader had to leave untranslated (``meta["problems"]``): written, yet a failure."""
    problems = document.meta.get("problems") or []
    lines = [f"{source}:{line}: {message}" if line else f"{source}: {message}" for line, message in problems]
    return InputError("\n".join(lines)) if lines else None


async def _run_job(job: Job, backend: Backend, run_options: RunOptions, options: TranslateOptions) -> RunResult:
    if is_url(job.source):
        from .fetch import fetch_source

        fetched = await asyncio.to_thread(fetch_source, job.source, job.format)
        document = load_document(job.source, job.format, fetched, options.format_options)
    else:
        document = load_document(job.source, job.format, options=options.format_options)
    if options.on_job_start:
        options.on_job_start(job, len(document.segments))
    if options.on_progress:
        report = options.on_progress
        run_options = replace(run_options, progress=lambda done: report(job, done))
    result = await translate_document(document, backend, run_options)
    destination = output_destination(job, result.document)
    writer = get_format(job.format, options.format_options)
    text = writer.write(result.document, result.texts(), bilingual=options.bilingual)
    write_atomically(destination, render_bytes(result.document, text))
    return result


def output_destination(job: Job, document: Document) -> str:
    """Where a job's output goes. A reader that writes another format than it reads (Amazon
    Transcribe JSON becomes subtitles) names its suffix in ``meta["output_suffix"]``; a chosen
    ``.vtt`` destination selects WebVTT syntax for such subtitles."""
    destination = job.destination or "-"
    suffix = document.meta.get("output_suffix")
    if suffix and not job.chosen_destination and destination != "-":
        destination = str(Path(destination).with_suffix(suffix))
    if suffix and destination.lower().endswith(".vtt"):
        document.meta["subtitle_syntax"] = "vtt"
    return destination
