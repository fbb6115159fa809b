"""``translator fetch URL``: a page's main content as Markdown or HTML."""

from __future__ import annotations

import click

from ..sources import write_atomically


@click.command()
@click.argument("url")
@click.option("-o", "--output", default="-", help="Output file; '-' (default) for stdout.")
@click.option("--as", "as_format", type=click.Choice(["markdown", "html"]), default="markdown", show_default=True)
def fetch(url: str, output: str, as_format: str) -> None:
    """Download URL and write its main content (navigation, scripts, footers dropped)."""
    from ..fetch import fetch_source

    write_atomically(output, fetch_source(url, as_format))


COMMANDS = [fetch]
