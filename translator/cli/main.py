"""The ``translator`` command group and its error handling.

Any ``TranslatorError`` becomes one line on stderr and exit code 1; usage errors exit 2 (Click);
``--debug`` shows the traceback instead.
"""

from __future__ import annotations

import sys
from typing import Any

import click

from .. import __version__
from ..errors import TranslatorError


class TranslatorGroup(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except TranslatorError as exc:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            click.echo(f"error: {exc}", err=True)
            ctx.exit(1)
        except KeyboardInterrupt:
            click.echo("interrupted; outputs already written are complete, the rest were not written", err=True)
            ctx.exit(130)


@click.group(cls=TranslatorGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="translator")
@click.option("--debug", is_flag=True, help="Show tracebacks instead of one-line errors.")
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False),
    default=None,
    help="Read this translator.toml instead of the usual ones.",
)
@click.pass_context
def cli(ctx: click.Context, debug: bool, config_file: str | None) -> None:
    """Translate English AWS / ML study material into natural Japanese (and other languages),
    keeping its structure and enforcing a shared glossary."""
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug
    ctx.obj["config_file"] = config_file


def _register() -> None:
    from . import (
        backends_cmd,
        calibrate_cmd,
        check_cmd,
        fetch_cmd,
        glossary_cmd,
        glossary_io_cmd,
        keys_cmd,
        translate_cmd,
    )

    for module in (translate_cmd, fetch_cmd, backends_cmd, keys_cmd, glossary_cmd, glossary_io_cmd, check_cmd, calibrate_cmd):
        for command in module.COMMANDS:
            cli.add_command(command)


_register()


def main() -> None:
    cli(prog_name="translator")


if __name__ == "__main__":
    sys.exit(main())
