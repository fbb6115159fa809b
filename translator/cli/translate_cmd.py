"""``translator translate``: files, folders, URLs or stdin to translated files."""

from __future__ import annotations

import click
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
)

from ..config import Settings
from ..errors import EXIT_INPUT, EXIT_OK, TranslatorError, exit_code
from ..formats import FormatOptions
from ..jobs import Job
from ..notices import safe_name
from ..redact import redact
from ..runs.cost import parse_budget
from ..runs.manifest import KEPT_MESSAGE
from ..runs.translate import JobOutcome, TranslateOptions, translate_sources
from . import _jsonlog
from ._common import (
    backend_option,
    backend_url_option,
    build_glossary_stage,
    glossary_options,
    parse_field_map,
    quality_options,
    settings_from,
    source_lang_option,
    target_option,
)
from ._costs import print_costs

# Warnings about one written file shown on the terminal; the rest are counted. A batch of lecture
# transcripts whose cues all read too fast would otherwise print thousands of lines per file.
WARNINGS_SHOWN = 5


@click.command()
@click.argument("sources", nargs=-1, required=True)
@click.option(
    "-o",
    "--output",
    default=None,
    help="Output file or folder; '-' for stdout. Default: NAME.<lang>.EXT beside the source.",
)
@backend_option
@backend_url_option
@target_option
@source_lang_option
@click.option(
    "--format", "forced_format", default=None, help="Force the input format (text, markdown, html, srt, vtt, …)."
)
@click.option(
    "--bilingual",
    type=click.Choice(["all", "flagged"]),
    is_flag=False,
    flag_value="all",
    default=None,
    help="Write source and translation together: for every segment (all, the default), or only for "
    "segments judged literal or review (flagged).",
)
@click.option("--concurrency", type=click.IntRange(1, 64), default=None, help="Requests in flight at once (default 4).")
@click.option("--no-cache", is_flag=True, help="Do not read or write the translation memory.")
@click.option(
    "--follow-links", is_flag=True, help="In a folder, also read files linked from outside it (skipped by default)."
)
@glossary_options
@quality_options
@click.option("--no-check", is_flag=True, help="Skip the quality checks (back-translation, rules, verdicts).")
@click.option("--fix", is_flag=True, help="Re-translate segments judged literal with --fix-backend; keep the better.")
@click.option("--fix-backend", default=None, help="Backend used by --fix.")
@click.option("--max-line", type=click.IntRange(4, 200), default=None, help="Subtitles: maximum characters per line.")
@click.option(
    "--sound-cues",
    type=click.Choice(["keep", "translate", "drop"]),
    default="translate",
    show_default=True,
    help="Subtitles: cues like '(screen whooshing)'.",
)
@click.option("--map", "field_map", multiple=True, help="Questions: FIELD=COLUMN for exports with other column names.")
@click.option("--anki", default=None, help="Questions: also write an Anki deck (.apkg).")
@click.option(
    "--term-map", is_flag=True, help="Render the run's recurring technical phrases once and use them in every document."
)
@click.option("--terms-out", default=None, help="Write the term map as glossary YAML to review (implies --term-map).")
@click.option("--no-context", is_flag=True, help="Send each batch without the title and neighbouring text.")
@click.option("--force", is_flag=True, help="Overwrite outputs edited by hand since this tool wrote them.")
@click.option(
    "--dry-run", is_flag=True, help="Plan the run and print what it would send and cost; send and write nothing."
)
@click.option(
    "--batch",
    is_flag=True,
    help="amazon-translate, bedrock: one asynchronous batch job through S3 for the whole run (see [backends.NAME] batch_*).",
)
@click.option("--budget", default=None, help="Stop before exceeding this: characters (500000) or money (10 EUR, $5).")
@click.option(
    "--log-format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="json: one JSON line per document and a final summary on stderr (for cron and CI).",
)
@click.pass_context
def translate(
    ctx: click.Context,
    sources: tuple[str, ...],
    output: str | None,
    backend: str | None,
    backend_url: str | None,
    target: str | None,
    source_lang: str | None,
    forced_format: str | None,
    bilingual: str | None,
    concurrency: int | None,
    no_cache: bool,
    follow_links: bool,
    glossaries: tuple[str, ...],
    no_glossary: bool,
    reports: tuple[str, ...],
    no_check: bool,
    back_translate: str | None,
    back_backend: str | None,
    metric: str | None,
    style: str | None,
    judge_backend: str | None,
    no_embedded_model: bool,
    fix: bool,
    fix_backend: str | None,
    max_line: int | None,
    sound_cues: str,
    field_map: tuple[str, ...],
    anki: str | None,
    term_map: bool,
    terms_out: str | None,
    no_context: bool,
    force: bool,
    dry_run: bool,
    batch: bool,
    budget: str | None,
    log_format: str,
) -> None:
    """Translate SOURCES (files, folders, http(s) URLs, or '-' for stdin).

    A folder gives a mirrored output folder (FOLDER.<lang> unless -o says otherwise).
    """
    settings = settings_from(
        ctx,
        backend=backend,
        target=target,
        source=source_lang,
        concurrency=concurrency,
        cache=False if no_cache else None,
        check=False if no_check else None,
        back_translate=back_translate,
        back_backend=back_backend,
        metric=metric,
        style=style,
        judge_backend=judge_backend,
        embedded_model=False if no_embedded_model else None,
        fix_backend=fix_backend,
        context=False if no_context else None,
    )
    if bilingual == "flagged" and not settings.check:
        raise click.UsageError(
            "--bilingual flagged keeps the English of segments the checks flag; it cannot go with --no-check"
        )
    from ..report import check_report_paths

    check_report_paths(reports)
    console = Console(stderr=True)
    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal or log_format == "json",
    )
    tasks: dict[str, TaskID] = {}  # one bar per document in flight

    def on_job_start(job: Job, segments: int) -> None:
        tasks[job.source] = progress.add_task(escape(safe_name(job.source)), total=segments)

    def on_progress(job: Job, done: int) -> None:
        if job.source in tasks:
            progress.advance(tasks[job.source], done)

    def on_job_done(outcome: JobOutcome) -> None:
        if outcome.job.source in tasks:
            progress.remove_task(tasks.pop(outcome.job.source))
        written = safe_name(outcome.job.destination or "-")
        if log_format != "json" and outcome.kept:
            console.print(f"kept {escape(written)}: {KEPT_MESSAGE}", highlight=False, soft_wrap=True)
        elif log_format != "json" and outcome.result is not None and not dry_run:
            warnings = outcome.result.document.warnings  # about the written file
            for at, message in warnings[:WARNINGS_SHOWN]:
                line = safe_name(f"{written}:{at}: {message}")
                console.print(f"[yellow]warning:[/yellow] {escape(line)}", soft_wrap=True)
            if len(warnings) > WARNINGS_SHOWN:
                more = f"{written}: {len(warnings) - WARNINGS_SHOWN} more warnings like these"
                console.print(
                    f"[yellow]warning:[/yellow] {escape(more)} (--log-format json lists every one)", soft_wrap=True
                )
        if log_format == "json":
            _jsonlog.emit(_jsonlog.document_record(outcome, dry_run))
        elif outcome.error is not None:
            for line in redact(str(outcome.error)).splitlines():  # one line per problem, each marked
                console.print(f"[red]error:[/red] {escape(line)}", markup=True, highlight=False, soft_wrap=True)
        elif dry_run and outcome.result is not None:
            stats = outcome.result.stats
            console.print(
                f"would translate {safe_name(outcome.job.source)}: {stats.segments} segments, {stats.translated} to send "
                f"({stats.characters_sent:,} characters, +{stats.context_characters:,} context, in {stats.requests} "
                f"requests), {stats.memory_hits} from memory",
                highlight=False,
                soft_wrap=True,
            )
        elif not outcome.kept and outcome.job.destination not in (None, "-") and outcome.result is not None:
            stats = outcome.result.stats
            console.print(
                f"wrote {safe_name(outcome.job.destination)} ({stats.segments} segments, "
                f"{stats.translated} translated, {stats.memory_hits} from memory)",
                highlight=False,
                soft_wrap=True,
            )

    options = TranslateOptions(
        output=output,
        forced_format=forced_format,
        bilingual=bilingual or False,
        backend_url=backend_url,
        format_options=FormatOptions(
            max_line=max_line,
            sound_cues=sound_cues,
            field_map=parse_field_map(field_map),
            target_lang=settings.target,
        ),
        glossary=None if no_glossary else build_glossary_stage(settings, list(glossaries)),
        check=settings.check and not dry_run,
        fix=fix,
        dry_run=dry_run,
        budget=parse_budget(budget) if budget else None,
        follow_links=follow_links,
        term_map=term_map,
        terms_out=terms_out,
        batch=_batch_options(console, log_format) if batch else None,
        reports=list(reports),
        anki=anki,
        force=force,
        on_job_start=on_job_start,
        on_progress=on_progress,
        on_job_done=on_job_done,
        keep_results=False,  # each document is released once written; the summary keeps what it shows
    )
    if log_format == "json":
        _run_logged_as_json(ctx, sources, settings, options)
        return
    with progress:
        run = translate_sources(list(sources), settings, options)
    print_costs(
        console, run.costs, dry_run=dry_run, back_translate=settings.back_translate if settings.check else "none"
    )
    if options.check:
        from ..quality.summary import print_summary

        print_summary(console, run)
    if run.failed:
        ctx.exit(1)


def _batch_options(console: Console, log_format: str) -> object:
    from ..runs.batch import BatchOptions

    def notify(line: str) -> None:
        if log_format == "json":
            _jsonlog.emit({"event": "batch", "message": line})
        else:
            console.print(line, highlight=False, soft_wrap=True)

    return BatchOptions(notify=notify)


def _run_logged_as_json(
    ctx: click.Context, sources: tuple[str, ...], settings: Settings, options: TranslateOptions
) -> None:
    """The run with every outcome as a JSON line and a summary line, also when it stops early."""
    try:
        run = translate_sources(list(sources), settings, options)
    except TranslatorError as exc:
        code = exit_code(exc)
        _jsonlog.emit(_jsonlog.summary_record(None, [], code, error=str(exc)))
        ctx.exit(code)
    code = EXIT_INPUT if run.failed else EXIT_OK
    _jsonlog.emit(_jsonlog.summary_record(run, run.costs, code))
    ctx.exit(code)
