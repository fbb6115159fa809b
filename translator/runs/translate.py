"""A whole ``translate`` run: plan jobs, build the backends once, translate each source, write it.

This is the library function the CLI's ``translate`` calls; it can be used on its own. A source
with bad input (including a segment no request can hold, or an answer the backend could not get
right) is reported and the others still run; a backend failure (quota, auth, a server that stays
down) stops the run, since every later source would fail the same way.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .. import __version__
from ..backends.stack import Stack
from ..collector import fewer_collections
from ..config import Settings
from ..errors import BackendError, InputError, MalformedAnswer, TranslatorError
from ..formats import FormatOptions, get_format
from ..formats.base import Bilingual
from ..formats.io import load_document, render_bytes
from ..jobs import Job, is_url, plan_all
from ..keys import without_credentials
from ..pipeline import DocumentOptions, DocumentResult, DocumentStats, run_all_or_cancel, translate_document
from ..stages import GlossaryEnforcement
from ..types import Document, RunSignature
from ..writes import refuse_inputs_as_outputs, write_output
from . import manifest
from .backends import RunBackends, open_memory
from .cost import Budget, CostFigures
from .roundtrip import PipelineBackTranslator, PipelineFixer


def fatal(error: TranslatorError) -> bool:
    """A backend failure would fail every remaining source too, so it stops the run; bad input in
    one source, or one answer the backend got wrong twice, does not stop the others."""
    from ..quality.offload import CheckWorkerDied  # the checks of every later source would fail too

    return (isinstance(error, BackendError) and not isinstance(error, MalformedAnswer)) or isinstance(
        error, CheckWorkerDied
    )


@dataclass(repr=False)
class JobOutcome:
    job: Job
    result: DocumentResult | None = None  # None once released (see TranslateOptions.keep_results)
    error: TranslatorError | None = None
    kept: bool = False  # its output was edited since written and left alone (see .manifest)
    done: bool = False  # translated (and written, unless a dry run), whether or not its result is kept
    # What a released result leaves for the run's summary and reports: the document's scores,
    # and its review-report section when reports were asked for.
    quality: Any = None  # translator.quality.summary.DocumentQuality
    report: Any = None  # translator.report.model.ReportDocument

    def __repr__(self) -> str:
        return f"JobOutcome({self.job.source!r}, done={self.done}, error={self.error is not None})"


@dataclass(repr=False)
class TranslateRun:
    outcomes: list[JobOutcome] = field(default_factory=list)
    stats: DocumentStats = field(default_factory=DocumentStats)
    signature: RunSignature | None = None  # what produced the translations (never a key)
    dry_run: bool = False
    costs: list[tuple[str, CostFigures]] = field(default_factory=list)  # (role, what a stack sent)
    term_map: list[Any] = field(default_factory=list)  # glossary entries the term map added
    batch: Any = None  # --batch: the jobs' figures (translator.runs.batch.BatchReport)
    worst: Any = None  # translator.quality.summary.WorstSegments: the segments to read first

    @property
    def failed(self) -> list[JobOutcome]:
        return [o for o in self.outcomes if o.error is not None]

    def __repr__(self) -> str:  # Python formats the run's repr when asyncio.run ends; keep it short
        return f"TranslateRun({len(self.outcomes)} sources)"


@dataclass
class TranslateOptions:
    output: str | None = None
    forced_format: str | None = None
    bilingual: bool | str = False  # True or "all": every segment; "flagged": those judged literal or review
    backend_url: str | None = None
    format_options: FormatOptions = field(default_factory=FormatOptions)
    glossary: GlossaryEnforcement | None = None  # see translator.glossary.enforce.build_glossary_stage
    check: bool = True  # judge every segment (translator.quality)
    fix: bool = False  # second candidates for segments judged literal
    dry_run: bool = False  # plan and count, send nothing, write nothing
    budget: Budget | None = None  # stop before a request would exceed it
    batch: Any = None  # translator.runs.batch.BatchOptions: through the service's batch engine
    reports: list[str] = field(default_factory=list)  # .json / .html paths, see translator.report
    anki: str | None = None  # an .apkg path for question sets, see translator.formats.questions.anki
    follow_links: bool = False  # read files a folder links to outside itself
    term_map: bool = False  # render the run's recurring phrases once and use them everywhere
    terms_out: str | None = None  # write the term map as glossary YAML for review
    force: bool = False  # replace outputs edited since they were written, see translator.runs.manifest
    on_job_start: Callable[[Job, int], None] | None = None  # (job, segment count)
    on_progress: Callable[[Job, int], None] | None = None  # (job, segments just translated)
    on_job_done: Callable[[JobOutcome], None] | None = None
    # False: each document's result is released once written and reported on (the run keeps its
    # scores, its worst segments and, for --report, its report section), so memory stays flat
    # however many documents a run has. True keeps every result in ``JobOutcome.result``.
    keep_results: bool = True


def translate_sources(sources: list[str], settings: Settings, options: TranslateOptions) -> TranslateRun:
    jobs = plan_all(
        sources,
        options.output,
        target_lang=settings.target,
        forced_format=options.forced_format,
        follow_links=options.follow_links,
    )
    side_outputs = [*options.reports, *([options.anki] if options.anki else []), *filter(None, [options.terms_out])]
    refuse_inputs_as_outputs(side_outputs, [job.source for job in jobs if not is_url(job.source) and job.source != "-"])
    refuse_inputs_as_outputs(side_outputs, [job.destination for job in jobs if job.destination not in (None, "-")])
    if options.anki and not options.dry_run:
        from ..formats.questions.anki import require_genanki

        require_genanki()  # before any work: the translation must not be paid for, then fail
    if options.anki:
        options = replace(options, keep_results=True)  # the deck is made from every document at the end
    run = TranslateRun(outcomes=[JobOutcome(job) for job in jobs], dry_run=options.dry_run)
    if options.batch is not None and not options.dry_run:
        from .batch import translate_in_batch

        asyncio.run(translate_in_batch(run, settings, options, _run_jobs))
    else:
        with fewer_collections():
            asyncio.run(_run_jobs(run, settings, options))  # returns nothing large (see TranslateRun.__repr__)
    if options.dry_run:
        return run
    done = [o.result for o in run.outcomes if o.result is not None]
    if options.reports:
        from ..report import write_reports

        write_reports(run, options.reports, settings)
    if options.anki and done:
        from ..formats.questions.anki import write_deck
        from ..quality.finding_names import reasons

        write_deck([(r.document, r.translations) for r in done], options.anki, settings.target, reasons)
    return run


async def _run_jobs(
    run: TranslateRun, settings: Settings, options: TranslateOptions, plugin_wrapper: Callable[[Any], Any] | None = None
) -> None:
    """Translate the jobs side by side: a batch of transcripts spends its time waiting on the
    service, so several documents are in flight at once, all sharing one request limit."""
    memory = open_memory(settings)
    try:
        async with RunBackends(
            settings,
            url=options.backend_url,
            memory=memory,
            dry_run=options.dry_run,
            budget=options.budget,
            plugin_wrapper=plugin_wrapper,
        ) as backends:
            try:
                await _translate_jobs(run, backends, settings, options)
            finally:
                run.costs = backends.costs()  # also after a budget or quota stop: what was sent
    finally:
        if memory:
            memory.close()
    run.outcomes = [o for o in run.outcomes if o.done or o.error is not None]


async def _translate_jobs(
    run: TranslateRun, backends: RunBackends, settings: Settings, options: TranslateOptions
) -> None:
    if options.term_map or options.terms_out:
        options = replace(options, glossary=await _with_term_map(run, backends, settings, options))
    glossary_hash = options.glossary.content_hash if options.glossary else ""
    forward = await backends.forward(glossary_hash)
    run.signature = RunSignature(
        backend=forward.name,
        source_lang=settings.source,
        target_lang=settings.target,
        backend_options=without_credentials(forward.signature()),
        glossary_hash=glossary_hash,
        tool_version=__version__,
    )
    document_options = DocumentOptions(
        source_lang=settings.source,
        target_lang=settings.target,
        glossary=options.glossary,
        quality=None if options.dry_run else await _quality_stage(backends, settings, options),
        context=settings.context,
    )
    documents_in_flight = asyncio.Semaphore(settings.concurrency + 1)
    outputs = manifest.OutputRecords()

    async def run_one(outcome: JobOutcome) -> None:
        async with documents_in_flight:
            try:
                outcome.result = await _run_job(outcome, forward, document_options, options, outputs)
                outcome.done = True
                run.stats.add(outcome.result.stats)
                outcome.error = skipped_records_error(outcome.job.source, outcome.result.document)
            except TranslatorError as exc:
                if fatal(exc):
                    raise
                if exc.path is None:  # say which source it was about
                    exc.path = outcome.job.source
                outcome.error = exc
            if outcome.result is not None and not options.dry_run:
                keep_record(run, outcome, settings, options)
            if options.on_job_done:
                options.on_job_done(outcome)
            if not options.keep_results:
                outcome.result = None  # written and recorded: release the document

    try:
        await run_all_or_cancel([run_one(outcome) for outcome in run.outcomes])
    finally:
        outputs.flush()  # also after an error or a Ctrl-C: what was written is recorded
        close = getattr(document_options.quality, "close", None)
        if close is not None:
            close()  # the check worker, if one started: also after an error or a Ctrl-C


async def _with_term_map(
    run: TranslateRun, backends: RunBackends, settings: Settings, options: TranslateOptions
) -> GlossaryEnforcement:
    """The run's glossary with the term map's renderings of its recurring phrases added."""
    from ..glossary.enforce import GlossaryStage
    from ..glossary.interchange.yaml_out import dump
    from .term_map import build_term_map

    base = options.glossary if isinstance(options.glossary, GlossaryStage) else None
    stack = await backends.stack(settings.backend, "term map", glossary_hash=base.content_hash if base else "")
    term_map = await build_term_map(
        [outcome.job for outcome in run.outcomes],
        stack,
        base,
        source_lang=settings.source,
        target_lang=settings.target,
        format_options=options.format_options,
    )
    run.term_map = term_map.entries
    if options.terms_out and not options.dry_run:
        text = dump(
            term_map.entries, options.terms_out, comment="proposed by a translator run's term map; review, then add"
        )
        write_output(options.terms_out, text.encode("utf-8"))
    return term_map.glossary_stage(base, settings.target)


async def _quality_stage(backends: RunBackends, settings: Settings, options: TranslateOptions) -> Any:
    """The quality stage with its back-translator, fixer and LLM judge on the run's shared stacks."""
    if not options.check:  # --no-check skips judging, never the house style
        from ..quality.style_stage import style_only_stage

        return style_only_stage(settings)
    from ..quality.stage import build_quality_stage

    back = None
    if settings.back_translate != "none":
        back = PipelineBackTranslator(await backends.back(), settings.source, settings.target, settings.concurrency)
    fixer = PipelineFixer(await backends.fix(), settings.source, settings.target) if options.fix else None
    return build_quality_stage(
        settings,
        back_translator=back,
        fixer=fixer,
        glossary=options.glossary,
        judge_model=await backends.judge_model(),
        all_metrics=bool(options.reports),  # only a report shows the metrics verdicts do not use
        offload=True,  # closed by _translate_jobs
    )


def keep_record(run: TranslateRun, outcome: JobOutcome, settings: Settings, options: TranslateOptions) -> None:
    """What the run's summary and reports need of a finished document, so its result can go."""
    result = outcome.result
    assert result is not None
    outcome.quality = result.document.quality
    if run.worst is None:
        from ..quality.summary import WorstSegments

        run.worst = WorstSegments()
    run.worst.add(result.document, result.translations)
    if options.reports:
        from ..report.model import documents_from_results

        outcome.report = documents_from_results([result], settings.source, settings.target)[0]


def skipped_records_error(source: str, document: Document) -> InputError | None:
    """Records a reader had to leave untranslated (``document.problems``): written, yet a failure."""
    lines = [f"{source}:{line}: {message}" if line else f"{source}: {message}" for line, message in document.problems]
    return InputError("\n".join(lines)) if lines else None


async def _run_job(
    outcome: JobOutcome,
    backend: Stack,
    document_options: DocumentOptions,
    options: TranslateOptions,
    outputs: manifest.OutputRecords,
) -> DocumentResult:
    """Read, translate and write one source; ``outputs``: the run's output records."""
    job = outcome.job
    if is_url(job.source):
        from ..fetch import fetch_source

        fetched = await asyncio.to_thread(fetch_source, job.source, job.format)
        document = load_document(job.source, job.format, fetched, options.format_options)
    else:
        document = load_document(job.source, job.format, options=options.format_options)
    if options.on_job_start:
        options.on_job_start(job, len(document.segments))
    if options.on_progress:
        report = options.on_progress
        document_options = replace(document_options, progress=lambda done: report(job, done))
    translating = translate_document(document, backend, document_options)
    # The reader's segments are replaced as the glossary protects them: held here, they would
    # stay for the whole document beside the copies the run works on.
    del document
    result = await translating
    if options.dry_run:
        return result  # counted, not written
    destination = output_destination(job, result.document)
    writer = get_format(result.document.format, options.format_options)  # the reader's choice
    text = writer.write(result.document, result.texts(), bilingual=shown_with_source(options.bilingual, result))
    data = render_bytes(result.document, text)
    outcome.kept = not outputs.may_overwrite(destination, force=options.force)
    if not outcome.kept:
        if destination == "-":
            write_output(destination, data)
        else:  # its fsync waits on the disk: the other documents' requests go on meanwhile
            await asyncio.to_thread(write_output, destination, data)
        outputs.record(destination, data)
    return result


def shown_with_source(bilingual: bool | str, result: DocumentResult) -> Bilingual:
    """What the writer shows with its source: everything, nothing, or (``flagged``) the ids of
    the segments judged literal or review, the ones a learner should read in English too."""
    if bilingual == "flagged":
        return frozenset(seg_id for seg_id, t in result.translations.items() if t.verdict in ("literal", "review"))
    return bilingual in (True, "all")


def output_destination(job: Job, document: Document) -> str:
    """Where a job's output goes. A reader that writes another format than it reads (Amazon
    Transcribe JSON becomes subtitles) names its suffix in ``document.output_suffix``; a chosen
    ``.vtt`` destination selects WebVTT syntax for such subtitles."""
    destination = job.destination or "-"
    suffix = document.output_suffix
    if suffix and not job.chosen_destination and destination != "-":
        destination = str(Path(destination).with_suffix(suffix))
    if suffix and destination.lower().endswith(".vtt"):
        document.meta["subtitle_syntax"] = "vtt"
    return destination
