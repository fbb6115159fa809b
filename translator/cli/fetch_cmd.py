"""``translator fetch URL``: a page's main content as Markdown or HTML."""

from __future__ import annotations

from pathlib import PurePath

import click

from ..writes import write_output

HTML_SUFFIXES = (".html", ".htm", ".xhtml")


@click.command()
@click.argument("url")
@click.option("-o", "--output", default="-", help="Output file; '-' (default) for stdout.")
@click.option(
    "--as",
    "as_format",
    type=click.Choice(["markdown", "html"]),
    default=None,
    help="Output format (default: html for an -o ending in .html/.htm, else markdown).",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=20.0,
    show_default=True,
    help="Seconds to wait for the server.",
)
@click.option(
    "--deadline",
    type=click.FloatRange(min=0, min_open=True),
    default=60.0,
    show_default=True,
    help="Seconds the whole download may take (a server that trickles bytes is cut off).",
)
@click.option(
    "--max-bytes",
    type=click.IntRange(min=1),
    default=5_000_000,
    show_default=True,
    help="Refuse pages larger than this.",
)
def fetch(url: str, output: str, as_format: str | None, timeout: float, deadline: float, max_bytes: int) -> None:
    """Download URL and write its main content (navigation, scripts, footers dropped).

    Nothing is written unless the download succeeds, so an existing output is never lost.
    """
    from ..fetch import fetch_source

    if as_format is None:
        as_format = "html" if PurePath(output).suffix.lower() in HTML_SUFFIXES else "markdown"
    write_output(output, fetch_source(url, as_format, timeout=timeout, deadline=deadline, max_bytes=max_bytes))
