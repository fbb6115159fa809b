"""``translator keys``: store API keys in a 0600 file instead of the environment."""

from __future__ import annotations

import click

from ..keys import keys_path, remove_key, store_key, stored_names
from ..notices import safe_name


@click.group()
def keys() -> None:
    """Manage stored API keys (never printed)."""


@keys.command(name="set")
@click.argument("backend")
@click.option("--value", prompt=True, hide_input=True, help="The key (prompted, hidden, if not given).")
def set_key(backend: str, value: str) -> None:
    """Store the key for BACKEND."""
    path = store_key(backend, value.strip())
    click.echo(f"stored key for {safe_name(backend)} in {safe_name(path)}")


@keys.command(name="remove")
@click.argument("backend")
def remove(backend: str) -> None:
    """Delete the stored key for BACKEND (exit 1 if none is stored)."""
    path = remove_key(backend)
    click.echo(f"removed the key for {safe_name(backend)} from {safe_name(path)}")


@keys.command(name="list")
def list_keys() -> None:
    """Names of backends with a stored key (the keys are not shown)."""
    for name in stored_names():
        click.echo(name)


@keys.command(name="path")
def path() -> None:
    """Where stored keys live."""
    click.echo(safe_name(keys_path()))
