"""``translator models list|install|remove``: the offline engine's models."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import click
import httpx
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)
from rich.table import Table

from .. import __version__
from ..config import Settings
from ..models import ModelError, ModelStore
from ..models.index import Available, index_url, load_index
from ..models.install import Installer, OnProgress
from ._common import settings_from

index_url_option = click.option(
    "--index-url",
    default=None,
    help="Package index (URL or file); default: TRANSLATOR_MODEL_INDEX, [backends.local] index_url, Argos Translate's.",
)


def _client(settings: Settings) -> httpx.Client:
    timeout = httpx.Timeout(max(settings.timeout, 30.0), connect=10.0)
    return httpx.Client(timeout=timeout, follow_redirects=True, headers={"User-Agent": f"translator/{__version__}"})


def _index_url(settings: Settings, flag: str | None) -> str:
    from ..backends.local import LocalOptions

    options = LocalOptions.parse("local", settings.backend_options("local"), settings.option_files.get("local"))
    return index_url(options.index_url, settings.env, flag)


def human_size(size: int | None) -> str:
    if size is None:
        return "—"
    for unit in ("B", "kB", "MB", "GB"):
        if size < 1000 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1000  # type: ignore[assignment]
    return ""


@click.group(name="models")
def models_group() -> None:
    """Offline models for the local engine: list, install, remove."""


@models_group.command(name="list")
@click.option("--installed", "installed_only", is_flag=True, help="Only installed models; do not read the index.")
@index_url_option
@click.pass_context
def list_command(ctx: click.Context, installed_only: bool, index_url: str | None) -> None:
    """Installed models and those the package index offers, with size and licence."""
    settings = settings_from(ctx)
    store = ModelStore.for_env(settings.env)
    installed = {model.name: model for model in store.installed()}
    available: dict[str, Available] = {}
    if not installed_only:
        url = _index_url(settings, index_url)
        try:
            with _client(settings) as client:
                available = {entry.name: entry for entry in load_index(url, client)}
        except ModelError as exc:
            click.echo(f"warning: {exc}; showing installed models only", err=True)
    table = Table(title="translator models")
    for column in ("model", "languages", "version", "status", "size", "licence"):
        table.add_column(column)
    for name in sorted(set(installed) | set(available)):
        model, entry = installed.get(name), available.get(name)
        source_name = (model and model.source_name) or (entry and entry.source_name) or name.split("-")[0]
        target_name = (model and model.target_name) or (entry and entry.target_name) or name.split("-")[-1]
        if model is not None:
            newer = entry is not None and entry.version and entry.version != model.version
            status = f"[green]installed[/green]{f' ({escape(entry.version)} available)' if newer and entry else ''}"
            version, size = model.version, human_size(model.size())
            licence = model.license or (entry.license if entry else "") or "see its README.md"
        else:
            assert entry is not None
            status, version, size = "available", entry.version, human_size(entry.size)
            licence = entry.license or "—"
        table.add_row(name, escape(f"{source_name} → {target_name}"), escape(version), status, size, escape(licence))
    Console(soft_wrap=False, width=max(100, Console().width)).print(table)
    click.echo(f"models folder: {store.root}")


@models_group.command(name="install")
@click.argument("packages", nargs=-1, required=True)
@click.option("--sha256", default=None, help="Expected SHA-256 of a package FILE or URL (the index gives its own).")
@click.option(
    "--only", is_flag=True, help="For a pair like en-ja: skip the opposite direction (used by back-translation)."
)
@index_url_option
@click.pass_context
def install_command(
    ctx: click.Context, packages: tuple[str, ...], sha256: str | None, only: bool, index_url: str | None
) -> None:
    """Install models: a pair from the index (en-ja), a .argosmodel FILE, or its URL.

    A pair also brings its opposite direction when the index has it (ja-en for en-ja), which
    the quality check uses to back-translate; --only skips it.
    """
    settings = settings_from(ctx)
    store = ModelStore.for_env(settings.env)
    done: list[str] = []  # shown once the progress bars are gone, also when a later package fails
    try:
        with _client(settings) as client, _download_bars() as on_progress:
            installer = Installer(store, client, _index_url(settings, index_url), on_progress=on_progress)
            for package in packages:
                for outcome in installer.install(package, sha256=sha256, reverse=not only):
                    model = outcome.model
                    what = "installed" if outcome.installed else "already installed:"
                    name = f"{model.name} {model.version}".strip()
                    languages = f"{model.source_name or model.source} → {model.target_name or model.target}"
                    done.append(f"{what} {name} ({languages}) in {model.path}")
    finally:
        for line in done:
            click.echo(line)


@models_group.command(name="remove")
@click.argument("names", nargs=-1, required=True)
@click.pass_context
def remove_command(ctx: click.Context, names: tuple[str, ...]) -> None:
    """Remove installed models by name (as 'translator models list' shows them)."""
    settings = settings_from(ctx)
    store = ModelStore.for_env(settings.env)
    for name in names:
        model = store.remove(name)
        click.echo(f"removed {model.name}")


@contextmanager
def _download_bars() -> Iterator[OnProgress]:
    """A progress bar per download on a terminal; nothing when the output is a file or a pipe."""
    console = Console(stderr=True)
    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal,
    )
    tasks: dict[str, TaskID] = {}

    def on_progress(label: str, have: int, total: int | None) -> None:
        if label not in tasks:
            tasks[label] = progress.add_task(label, total=total)
        progress.update(tasks[label], completed=have, total=total)

    with progress:
        yield on_progress
