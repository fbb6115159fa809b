"""``translator calibrate``: fit verdict thresholds to labelled pairs and print them as TOML."""

from __future__ import annotations

import json

import click
from rich.console import Console
from rich.table import Table

from ._common import settings_from, source_lang_option, target_option

FEW_PAIRS = 50


@click.command()
@click.argument("labelled", type=click.Path(dir_okay=False))
@target_option
@source_lang_option
@click.option(
    "--metric", type=click.Choice(["chrf", "bleu", "ter"]), default=None, help="Round-trip score (default chrf)."
)
@click.option("--glossary", "glossaries", multiple=True, help="Extra glossary file used by the rules and masking.")
@click.option(
    "--head",
    "head_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="Also refit the embedded quality-estimation model's head on these pairs and write it to this file "
    "(point qe_head in translator.toml at it).",
)
@click.pass_context
def calibrate(
    ctx: click.Context,
    labelled: str,
    target: str | None,
    source_lang: str | None,
    metric: str | None,
    glossaries: tuple[str, ...],
    head_path: str | None,
) -> None:
    """Fit the [thresholds] to LABELLED.tsv (source, translation, back-translation optional,
    label ok|review|literal) and print precision and recall per verdict."""
    from pathlib import Path

    from ..errors import ConfigError
    from ..quality.calibrate import evaluate, fit, read_labelled, refit_head
    from ..quality.qe.model import load_model
    from ..quality.stage import build_assessor

    settings = settings_from(ctx, target=target, source=source_lang, metric=metric)
    if glossaries:
        settings = settings.with_overrides(glossaries=(*settings.glossaries, *glossaries))
    assessor = build_assessor(settings)
    model, model_note = load_model(settings.qe_head)
    if head_path is not None and model is None:
        raise ConfigError(f"cannot refit the quality-estimation head: {model_note}")
    rows = read_labelled(labelled, assessor, model)
    head_written = None
    if head_path is not None and model is not None:
        head = refit_head(rows, model, float(model.head.provenance.get("alpha", 30000.0)))
        head.save(Path(head_path))
        head_written = head_path
        model.head = head
        rows = read_labelled(labelled, assessor, model)
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
    if model is None:
        console.print(f"note: {model_note}; thresholds fitted without it", highlight=False)
    console.print("Paste into translator.toml:", highlight=False)
    if head_written is not None:
        click.echo(f"qe_head = {json.dumps(str(Path(head_written).resolve()))}")
    click.echo(thresholds.as_toml(), nl=False)
