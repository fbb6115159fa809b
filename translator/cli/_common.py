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
