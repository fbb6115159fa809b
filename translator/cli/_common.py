"""Pieces every command shares: loading settings from the context, the shared options."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from ..config import Settings, load_settings


def settings_from(ctx: click.Context, **flags: Any) -> Settings:
    config_file = (ctx.find_root().obj or {}).get("config_file")
    return load_settings(config_file=Path(config_file) if config_file else None, **flags)


backend_option = click.option(
    "--backend", "-b", default=None, help="Translation backend (see 'translator backends'); default from config."
)
backend_url_option = click.option(
    "--backend-url", default=None, help="Override the backend's server URL (self-hosted, proxy, emulator)."
)
target_option = click.option("--to", "target", default=None, help="Target language code (default ja).")
source_lang_option = click.option("--from", "source_lang", default=None, help="Source language code (default en).")


def parse_field_map(pairs: tuple[str, ...]) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for pair in pairs:
        field, sep, column = pair.partition("=")
        if not sep or not field.strip() or not column.strip():
            raise click.BadParameter(f"'{pair}' is not FIELD=COLUMN", param_hint="--map")
        mapping[field.strip()] = column.strip()
    return mapping


def build_glossary_stage(settings: Settings, extra_paths: list[str]) -> Any:
    """The glossary stage for a run: shipped glossaries + config + --glossary files."""
    from ..glossary.enforce import build_stage

    return build_stage(settings, [*settings.glossaries, *extra_paths])


def build_quality_stage(settings: Settings, *, fix: bool, **options: Any) -> Any:
    from ..quality.stage import build_stage

    return build_stage(settings, fix=fix, **options)
