"""``--batch``: one run, translated by the service's own asynchronous batch engine.

Three steps, all behind the seam where a run's texts reach its backend (the plugin under the
backend stack), so that de-duplication, the memory, markup protection, glossary checks, quality
and the writers are those of every run:

1. plan: the run goes through the stack with a ``Collector`` in the plugin's place, storing
   nothing and writing nothing, which gathers the distinct texts the memory does not answer;
2. the job: one per language pair and glossary, submitted (or, when a state file says it was
   already, polled again: an interrupted run resumes the same job), polled, its output read;
3. the real run, with ``Answering`` in the plugin's place: the job's answers go into the same
   documents; what the job did not answer (and back-translation) is sent as usual.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..backends.base import Backend, TranslateRequest
from ..backends.stack import Checked, Remembering, Stack, Translator, Usage
from ..batch.collect import Answering, AnswerKey, Collector
from ..batch.engine import BatchEngine
from ..batch.state import JobRecord, JobStates, client_token, content_key
from ..config import Settings, user_cache_dir
from ..errors import BudgetExceeded, ConfigError, RequestRejected, TransientError, TranslatorError
from ..pipeline import DocumentOptions

if TYPE_CHECKING:
    from .translate import TranslateOptions, TranslateRun

RunJobs = Callable[..., Awaitable[None]]
SUPPORTED = ("amazon-translate", "bedrock")


@dataclass
class BatchOptions:
    notify: Callable[[str], None] | None = None  # one line per step (submitted, polling, merged)


@dataclass
class BatchReport:
    jobs: list[str] = field(default_factory=list)  # job ids, submitted or resumed
    resumed: int = 0
    texts: int = 0  # distinct texts the jobs translated
    characters: int = 0
    polls: int = 0
    from_job: int = 0  # texts the run took from the jobs' answers
    sent_directly: int = 0  # texts the plugin still had to send itself


def states_folder(settings: Settings) -> Path:
    return Path(settings.cache_dir or user_cache_dir()) / "batch-jobs"


def engine_of(plugin: Backend) -> BatchEngine:
    """The batch engine of a backend that has one, built from its ``[backends.NAME] batch_*`` options."""
    setup = getattr(plugin, "batch_setup", None)
    if plugin.name == "amazon-translate" and setup is not None:
        from ..batch.amazon_translate import translate_jobs

        return translate_jobs(plugin, *setup)  # type: ignore[arg-type]
    if plugin.name == "bedrock" and setup is not None:
        from ..batch.bedrock import bedrock_jobs

        return bedrock_jobs(plugin, *setup)  # type: ignore[arg-type]
    raise ConfigError(f"--batch works with {' and '.join(SUPPORTED)}, not {plugin.name}")


async def translate_in_batch(
    run: TranslateRun, settings: Settings, options: TranslateOptions, run_jobs: RunJobs
) -> None:
    from .backends import build_plugin, open_memory

    if options.term_map or options.terms_out:
        # The term map extends the glossary while the run goes; a job's terminology is fixed up front.
        raise ConfigError("--batch cannot be combined with a term map yet: run the term map first, then --batch")
    batch = options.batch or BatchOptions()
    report = BatchReport()
    run.batch = report
    notify = batch.notify or (lambda line: None)
    states = JobStates(states_folder(settings))
    plugin = build_plugin(settings, settings.backend, options.backend_url)
    async with plugin:
        engine = engine_of(plugin)
        try:
            memory = open_memory(settings)
            try:
                requests = await collect_requests(run, settings, options, plugin, memory)
                if memory is not None and hasattr(engine, "use_memory"):
                    engine.use_memory(memory_pairs(memory, plugin, settings, options))
            finally:
                if memory:
                    memory.close()
            check_budget(requests, settings, options)
            answers, keys = await run_jobs_for(engine, requests, states, report, notify)
        finally:
            engine.close()

    answering: list[Answering] = []

    def wrap(inner: Backend) -> Backend:
        if inner.name != plugin.name:
            return inner
        answering.append(Answering(inner, answers))
        return answering[-1]

    await run_jobs(run, settings, options, plugin_wrapper=wrap)
    report.from_job = sum(a.from_job for a in answering)
    report.sent_directly = sum(a.sent for a in answering)
    for key in keys:  # merged: a rerun is a new run (answered by the memory)
        states.forget(key)
    jobs = ", ".join(report.jobs) or "none needed"
    notify(
        f"batch job {jobs}: {report.texts} texts ({report.characters:,} characters), {report.polls} status checks; "
        f"{report.from_job} translations merged into the documents, {report.sent_directly} sent directly"
    )


async def collect_requests(
    run: TranslateRun, settings: Settings, options: TranslateOptions, plugin: Backend, memory: Any
) -> list[TranslateRequest]:
    """Every request the run would send, through the stack's memory and de-duplication, with
    nothing stored or written."""
    from .manifest import OutputRecords
    from .translate import JobOutcome, _run_job

    collector = Collector(plugin)
    usage = Usage()
    layer: Translator = Checked(collector, usage)
    remembering = None
    if memory is not None:
        glossary_hash = options.glossary.content_hash if options.glossary else ""
        remembering = Remembering(layer, memory, glossary_hash, store=False)
        layer = remembering
    stack = Stack(layer, plugin, remembering, usage)
    document_options = DocumentOptions(
        source_lang=settings.source,
        target_lang=settings.target,
        glossary=options.glossary,
        quality=None,
        context=settings.context,
    )
    planning = replace(options, dry_run=True, on_job_start=None, on_progress=None, on_job_done=None)
    for outcome in run.outcomes:
        try:
            # A dry run writes nothing, so its output records stay empty.
            await _run_job(JobOutcome(outcome.job), stack, document_options, planning, OutputRecords())
        except TranslatorError:
            continue  # the real run reports this source's problem
    return collector.requests


def memory_pairs(
    memory: Any, plugin: Backend, settings: Settings, options: TranslateOptions
) -> dict[tuple[str, str], list[tuple[str, str]]]:
    """The memory's pairs in this run's scope (backend, options, languages, glossary)."""
    glossary_hash = options.glossary.content_hash if options.glossary else ""
    scope = Remembering(plugin, memory, glossary_hash).scope(settings.source, settings.target)
    pairs = [(source, target) for entry_scope, source, target in memory.entries() if entry_scope == scope]
    return {(settings.source, settings.target): pairs}


def check_budget(requests: Sequence[TranslateRequest], settings: Settings, options: TranslateOptions) -> None:
    """A job is paid whole once submitted, so ``--budget`` is checked against all of it first."""
    budget = options.budget
    if budget is None:
        return
    characters = sum(len(text) for request in requests for text in request.texts)
    cost: float
    limit: float
    if budget.characters is not None:
        cost, limit, unit = float(characters), budget.characters, "characters"
    else:
        from .cost import cost_of, prices_from_config

        cost = cost_of(
            settings.backend,
            prices_from_config(settings.prices),
            requests=len(requests),
            characters=characters,
            source_lang=settings.source,
            target_lang=settings.target,
        ).price
        limit, unit = budget.amount or 0.0, budget.currency or ""
    if cost > limit:
        raise BudgetExceeded(
            f"the batch job would cost {cost:,.6g} {unit}, over the budget of {limit:,g} {unit}; nothing was submitted"
        )


def groups(requests: Sequence[TranslateRequest]) -> dict[tuple[str, str, str], list[TranslateRequest]]:
    """One job per language pair and glossary (a job takes one of each)."""
    grouped: dict[tuple[str, str, str], list[TranslateRequest]] = {}
    for request in requests:
        glossary = request.glossary.content_hash if request.glossary else ""
        grouped.setdefault((request.source_lang, request.target_lang, glossary), []).append(request)
    return grouped


async def run_jobs_for(
    engine: BatchEngine,
    requests: Sequence[TranslateRequest],
    states: JobStates,
    report: BatchReport,
    notify: Callable[[str], None],
) -> tuple[dict[AnswerKey, str], list[str]]:
    answers: dict[AnswerKey, str] = {}
    keys: list[str] = []
    for (source, target, glossary), members in groups(requests).items():
        texts = sorted({text for request in members for text in request.texts})
        key = content_key([engine.identity(), source, target, glossary, *texts])
        keys.append(key)
        report.texts += len(texts)
        report.characters += sum(len(text) for text in texts)
        workspace = engine.workspace.child(key)
        record = states.load(key)
        if record is not None and record.backend == engine.service and record.pending:
            report.resumed += 1
            notify(f"resuming {engine.service} batch job {record.job_id} ({len(texts)} texts)")
        else:
            attempt = record.attempt if record is not None else 0
            job_id = await engine.submit(members, workspace, client_token(key, attempt))
            record = JobRecord(engine.service, job_id, workspace.uri, attempt)
            states.save(key, record)
            notify(f"submitted {engine.service} batch job {job_id}: {len(texts)} texts, {len(members)} requests")
        report.jobs.append(record.job_id)
        await wait_for(engine, record, states, key, report)
        answers.update(await engine.answers(record.job_id, members, workspace))
    return answers, keys


async def wait_for(engine: BatchEngine, record: JobRecord, states: JobStates, key: str, report: BatchReport) -> None:
    """Poll until the job ends; a failed job stops the run, and the rerun submits a new one."""
    job_id = record.job_id
    transient = 0
    while True:
        try:
            status = await engine.status(job_id)
            transient = 0
        except TransientError:
            transient += 1
            if transient > 8:
                raise
            await asyncio.sleep(engine.poll_interval)
            continue
        report.polls += 1
        if status.state == "done":
            return
        if status.state == "failed":
            states.save(key, replace(record, job_id="", attempt=record.attempt + 1))
            detail = f": {status.message}" if status.message else ""
            raise RequestRejected(f"{engine.service} batch job {job_id} ended {status.word}{detail}")
        await asyncio.sleep(engine.poll_interval)
