"""``translator memory export|import``: the translation memory as TMX, to and from other tools."""

from __future__ import annotations

from pathlib import Path

import click

from ..writes import STDIO, write_output
from ._common import settings_from, source_lang_option, target_option


@click.group()
def memory() -> None:
    """Move the translation memory to and from other tools (TMX 1.4b)."""


@memory.command(name="export")
@click.option("-o", "--output", default=STDIO, show_default=True, help="The TMX file to write ('-' for stdout).")
@click.pass_context
def export_command(ctx: click.Context, output: str) -> None:
    """Write every entry of the memory as TMX (OmegaT, Trados and memoQ read it)."""
    from ..memory_tmx import export_tmx
    from ..runs.backends import open_memory

    settings = settings_from(ctx, cache=True)
    store = open_memory(settings)
    assert store is not None
    try:
        entries = list(store.entries())
    finally:
        store.close()
    write_output(output, export_tmx(entries))
    click.echo(f"exported {len(entries)} entries", err=True)


@memory.command(name="import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@source_lang_option
@target_option
@click.pass_context
def import_command(ctx: click.Context, file: str, source_lang: str | None, target: str | None) -> None:
    """Add the units of a TMX FILE to the memory. Units exported by translator keep their scope;
    others (human translations from another tool) serve every backend of the language pair."""
    from ..memory_tmx import import_tmx
    from ..runs.backends import open_memory

    settings = settings_from(ctx, cache=True, source=source_lang, target=target)
    units = list(import_tmx(Path(file).read_bytes(), file, settings.source, settings.target))
    store = open_memory(settings)
    assert store is not None
    try:
        by_scope: dict[str, dict[str, str]] = {}
        for unit in units:
            by_scope.setdefault(unit.scope, {})[unit.source] = unit.target
        for scope, pairs in by_scope.items():
            store.store(scope, pairs)
    finally:
        store.close()
    click.echo(f"imported {len(units)} units from {file}", err=True)
