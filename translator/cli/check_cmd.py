"""``translator check``: verdicts, rule hits and glossary violations for an existing translation."""

from __future__ import annotations

import click
from rich.console import Console
from rich.markup import escape

from ..notices import safe_name
from ._common import (
    backend_option,
    backend_url_option,
    build_glossary_stage,
    glossary_options,
    quality_options,
    settings_from,
    source_lang_option,
    target_option,
)


@click.command()
@click.argument("source")
@click.argument("translation", required=False)
@backend_option
@backend_url_option
@target_option
@source_lang_option
@glossary_options
@quality_options
@click.option(
    "--fail-on",
    type=click.Choice(["literal", "review", "glossary", "never"]),
    default="literal",
    show_default=True,
    help="Exit 1 when a segment is judged this (or worse), or on any glossary violation.",
)
@click.pass_context
def check(
    ctx: click.Context,
    source: str,
    translation: str | None,
    backend: str | None,
    backend_url: str | None,
    target: str | None,
    source_lang: str | None,
    glossaries: tuple[str, ...],
    no_glossary: bool,
    back_translate: str | None,
    back_backend: str | None,
    metric: str | None,
    style: str | None,
    judge_backend: str | None,
    no_embedded_model: bool,
    reports: tuple[str, ...],
    fail_on: str,
) -> None:
    """Check TRANSLATION of SOURCE (two files in the same format), or one bilingual file
    (TSV source<TAB>translation, JSONL {"source", "translation"}, XLIFF 1.2/2.0)."""
    from ..quality.summary import print_summary
    from ..runs.check import check_translation, failed

    settings = settings_from(
        ctx,
        backend=backend,
        target=target,
        source=source_lang,
        back_translate=back_translate,
        back_backend=back_backend,
        metric=metric,
        style=style,
        judge_backend=judge_backend,
        embedded_model=False if no_embedded_model else None,
    )
    from ..report import check_report_paths, write_reports

    check_report_paths(reports)
    console = Console(stderr=True)
    glossary = None if no_glossary else build_glossary_stage(settings, list(glossaries), repair=False)
    run = check_translation(source, translation, settings, glossary=glossary, backend_url=backend_url)
    for note in run.notes:
        console.print(f"note: {escape(safe_name(note))}", highlight=False, soft_wrap=True)
    for problem in run.problems:
        console.print(f"[red]error:[/red] {escape(safe_name(str(problem)))}", highlight=False, soft_wrap=True)
    print_summary(Console(), run)
    if reports:
        write_reports(run, list(reports), settings)
    if run.problems or failed(run, fail_on):
        ctx.exit(1)
