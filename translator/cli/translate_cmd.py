"""``translator translate``: files, folders, URLs or stdin to translated files."""

from __future__ import annotations

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from ..run import JobOutcome, TranslateOptions, translate_sources
from ..sources import Job
from ._common import backend_option, backend_url_option, settings_from, source_lang_option, target_option


@click.command()
@click.argument("sources", nargs=-1, required=True)
@click.option("-o", "--output", default=None, help="Output file or folder; '-' for stdout. Default: NAME.<lang>.EXT beside the source.")
@backend_option
@backend_url_option
@target_option
@source_lang_option
@click.option("--format", "forced_format", default=None, help="Force the input format (text, markdown, html, srt, vtt, …).")
@click.option("--bilingual", is_flag=True, help="Write source and translation together.")
@click.option("--concurrency", type=click.IntRange(1, 64), default=None, help="Requests in flight at once (default 4).")
@click.option("--no-cache", is_flag=True, help="Do not read or write the translation memory.")
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
    bilingual: bool,
    concurrency: int | None,
    no_cache: bool,
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
    )
    console = Console(stderr=True)
    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    )
    current: dict[str, int] = {}

    def on_job_start(job: Job, segments: int) -> None:
        current["task"] = progress.add_task(job.source, total=segments)

    def on_progress(done: int) -> None:
        if "task" in current:
            progress.advance(current["task"], done)

    def on_job_done(outcome: JobOutcome) -> None:
        if "task" in current:
            progress.remove_task(current.pop("task"))
        if outcome.error is not None:
            console.print(f"[red]error:[/red] {outcome.error}", markup=True, highlight=False)
        elif outcome.job.destination not in (None, "-") and outcome.result is not None:
            stats = outcome.result.stats
            console.print(
                f"wrote {outcome.job.destination} ({stats.segments} segments, "
                f"{stats.translated} translated, {stats.memory_hits} from memory)",
                highlight=False,
            )

    options = TranslateOptions(
        output=output,
        forced_format=forced_format,
        bilingual=bilingual,
        backend_url=backend_url,
        on_job_start=on_job_start,
        on_progress=on_progress,
        on_job_done=on_job_done,
    )
    with progress:
        run = translate_sources(list(sources), settings, options)
    if run.failed:
        ctx.exit(1)


COMMANDS = [translate]
