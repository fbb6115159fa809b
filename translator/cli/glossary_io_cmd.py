"""``translator glossary export`` and ``import``: the glossary in other tools' formats.

Kept apart from ``glossary_cmd`` (lint, fmt, find, suggest); the two commands attach themselves
to its ``glossary`` group, so importing this module (``main.COMMANDS``) is what adds them.
"""

from __future__ import annotations

from pathlib import Path

import click

from ..notices import safe_name
from ..writes import STDIO, refuse_inputs_as_outputs, write_output
from .glossary_cmd import glossary

_SHOWN_SKIPS = 10


def _report_skipped(skipped: list[str]) -> None:
    for line in skipped[:_SHOWN_SKIPS]:
        click.echo(f"left out: {safe_name(line)}", err=True)
    if len(skipped) > _SHOWN_SKIPS:
        click.echo(f"left out: … and {len(skipped) - _SHOWN_SKIPS} more", err=True)


@glossary.command("export")
@click.argument("paths", nargs=-1, type=click.Path(dir_okay=False))
@click.option(
    "--to", "fmt", required=True, type=click.Choice(["deepl", "amazon", "google", "tbx", "tmx", "csv"]),
    help="deepl (TSV), amazon (custom terminology CSV), google (unidirectional CSV), tbx, tmx, csv (lossless).",
)  # fmt: skip
@click.option(
    "--lang", default=None, help="Target language (deepl/amazon/google: default ja; others: all unless given)."
)
@click.option(
    "--tbx-version",
    type=click.Choice(["2", "3"]),
    default="3",
    show_default=True,
    help="3: ISO 30042:2019 <tbx>; 2: <martif>.",
)
@click.option("-o", "--output", default=STDIO, help="Write here (atomically) instead of to standard output.")
def export_command(paths: tuple[str, ...], fmt: str, lang: str | None, tbx_version: str, output: str) -> None:
    """Write the glossary in PATHS (default: the shipped glossaries) as FORMAT for another tool."""
    from ..glossary.interchange import export_entries
    from ..glossary.loader import load_glossary

    refuse_inputs_as_outputs([output], paths)
    loaded = load_glossary(list(paths), shipped=not paths)
    exported = export_entries(loaded.entries, fmt, lang=lang, tbx_version=int(tbx_version))
    write_output(output, exported.data)
    _report_skipped(exported.skipped)
    where = "standard output" if output == STDIO else safe_name(output)
    click.echo(f"exported {exported.count} of {len(loaded)} entries as {fmt} to {where}", err=True)


@glossary.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "--lang", default="ja", show_default=True,
    help="Target language of a file whose target column names no language; a regional code of it (ja-JP) becomes it.",
)  # fmt: skip
@click.option("-o", "--output", default=STDIO, help="Write the YAML here (atomically) instead of to standard output.")
def import_command(file: str, lang: str, output: str) -> None:
    """Convert FILE (TBX v2/v3, TMX, CSV/TSV with or without named columns) into a canonical YAML glossary."""
    from ..glossary.interchange import import_path
    from ..glossary.interchange.yaml_out import dump

    refuse_inputs_as_outputs([output], [file])
    imported = import_path(Path(file), lang)
    text = dump(imported.entries, output, comment=f"imported from {Path(file).name}")
    write_output(output, text.encode("utf-8"))
    _report_skipped(imported.skipped)
    click.echo(f"imported {len(imported.entries)} entries from {safe_name(file)}", err=True)
