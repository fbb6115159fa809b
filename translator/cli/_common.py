"""Pieces every command shares: loading settings from the context, the shared options."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from ..config import Settings, load_settings


def settings_from(ctx: click.Context, **flags: Any) -> Settings:
    from ..models.default import default_backend  # no backend chosen: the offline engine if it has a model

    config_file = (ctx.find_root().obj or {}).get("config_file")
    path = Path(config_file) if config_file else None
    return load_settings(config_file=path, default_backend=default_backend, **flags)


backend_option = click.option(
    "--backend", "-b", default=None, help="Translation backend (see 'translator backends'); default from config."
)
backend_url_option = click.option(
    "--backend-url", default=None, help="Override the backend's server URL (self-hosted, proxy, emulator)."
)
target_option = click.option("--to", "target", default=None, help="Target language code (default ja).")


def options(*decorators: Callable[[Callable[..., Any]], Callable[..., Any]]) -> Callable[..., Any]:
    """Several Click options as one decorator, in the order given, so commands share them."""

    def apply(function: Callable[..., Any]) -> Callable[..., Any]:
        for decorator in reversed(decorators):
            function = decorator(function)
        return function

    return apply


glossary_options = options(
    click.option(
        "--glossary", "glossaries", multiple=True, help="Extra glossary file (YAML, TBX, TMX, CSV); repeatable."
    ),
    click.option("--no-glossary", is_flag=True, help="Do not apply or check any glossary, not even the shipped ones."),
)
quality_options = options(
    click.option(
        "--back-translate",
        type=click.Choice(["all", "suspect", "none"]),
        default=None,
        help="Which segments to back-translate (default suspect: only those already questioned).",
    ),
    click.option("--back-backend", default=None, help="Backend for back-translation (default: the forward one)."),
    click.option(
        "--metric", type=click.Choice(["chrf", "bleu", "ter"]), default=None, help="Round-trip score (default chrf)."
    ),
    click.option(
        "--style", type=click.Choice(["aws", "none"]), default=None, help="Japanese style conventions (default aws)."
    ),
    click.option(
        "--judge-backend",
        default=None,
        help="An LLM backend (openai, bedrock) that reviews every segment for errors, GEMBA-MQM style.",
    ),
    click.option(
        "--no-embedded-model",
        is_flag=True,
        help="Judge without the embedded quality-estimation model (faster; verdicts from the other signals).",
    ),
    click.option("--report", "reports", multiple=True, help="Write a review report: .json or .html (repeatable)."),
)
source_lang_option = click.option("--from", "source_lang", default=None, help="Source language code (default en).")


def parse_field_map(pairs: tuple[str, ...]) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for pair in pairs:
        field, sep, column = pair.partition("=")
        if not sep or not field.strip() or not column.strip():
            raise click.BadParameter(f"'{pair}' is not FIELD=COLUMN", param_hint="--map")
        mapping[field.strip()] = column.strip()
    return mapping


def build_glossary_stage(settings: Settings, extra_paths: list[str], *, repair: bool = True) -> Any:
    """The glossary stage for a run: shipped glossaries + config + --glossary files."""
    from ..glossary.enforce import build_glossary_stage as build

    return build(settings, [*settings.glossaries, *extra_paths], repair=repair)
