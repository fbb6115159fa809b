"""``translator calibrate``: fit verdict thresholds to labelled pairs and print them as TOML."""

from __future__ import annotations

import click
from rich.console import Console
from rich.table import Table

from ._common import settings_from, source_lang_option, target_option

FEW_PAIRS = 50


@click.command()
@click.argument("labelled", type=click.Path(dir_okay=False))
@target_option
@source_lang_option
@click.option("--metric", type=click.Choice(["chrf", "bleu", "ter"]), default=None, help="Round-trip score (default chrf).")
@click.option("--glossary", "glossaries", multiple=True, help="Extra glossary file used by the rules and masking.")
@click.pass_context
def calibrate(
    ctx: click.Context,
    labelled: str,
    target: str | None,
    source_lang: str | None,
    metric: str | None,
    glossaries: tuple[str, ...],
) -> None:
    """Fit the [thresholds] to LABELLED.tsv (source, translation, back-translation optional,
    label ok|review|literal) and print precision and recall per verdict."""
    from ..quality.calibrate import evaluate, fit, read_labelled
    from ..quality.stage import build_assessor

    settings = settings_from(ctx, target=target, source=source_lang, metric=metric)
    if glossaries:
        settings = settings.with_overrides(glossaries=(*settings.glossaries, *glossaries))
    assessor = build_assessor(settings)
    rows = read_labelled(labelled, assessor)
    before = evaluate(rows, assessor.thresholds, assessor.metric)
    thresholds, after = fit(rows, assessor.thresholds, assessor.metric)
    console = Console(stderr=True)  # stdout carries only the TOML: `calibrate x.tsv >> translator.toml`
    table = Table(title=f"{len(rows)} labelled pairs", title_justify="left")
    for column in ("verdict", "pairs", "precision", "recall", "F1", "F1 before"):
        table.add_column(column, justify="left" if column == "verdict" else "right")
    for verdict in after.f1:
        table.add_row(
            verdict,
            str(after.support[verdict]),
            f"{after.precision[verdict]:.2f}",
            f"{after.recall[verdict]:.2f}",
            f"{after.f1[verdict]:.2f}",
            f"{before.f1[verdict]:.2f}",
        )
    table.add_row("macro", "", "", "", f"{after.macro_f1:.2f}", f"{before.macro_f1:.2f}")
    console.print(table)
    if len(rows) < FEW_PAIRS:
        console.print(
            f"note: {len(rows)} labelled pairs are few; thresholds fitted to them fit these pairs. "
            f"Label {FEW_PAIRS} or more, with some of each verdict, before relying on them.",
            highlight=False,
        )
    console.print("Paste into translator.toml:", highlight=False)
    click.echo(thresholds.as_toml(), nl=False)
