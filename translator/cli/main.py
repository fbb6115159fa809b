"""The ``translator`` command group and its error handling.

Any ``TranslatorError`` becomes one line on stderr and exit code 1; usage errors exit 2 (Click);
``--debug`` shows the traceback instead. Each command's module is imported only when that command
is used (or listed by ``--help``), so ``translator --version`` pays for none of them.
"""

from __future__ import annotations

import importlib
import os
from typing import Any

import click

from .. import __version__

# ``errors`` and ``redact`` are imported where a command runs: ``--version`` and ``--help`` exit
# while the options are parsed, before any of this module's functions is called.

# name → "module:attribute"; the module is imported when the command is first looked up.
COMMANDS = {
    "translate": "translator.cli.translate_cmd:translate",
    "fetch": "translator.cli.fetch_cmd:fetch",
    "check": "translator.cli.check_cmd:check",
    "calibrate": "translator.cli.calibrate_cmd:calibrate",
    "glossary": "translator.cli.glossary_io_cmd:glossary",  # with export/import attached
    "backends": "translator.cli.backends_cmd:backends_command",
    "keys": "translator.cli.keys_cmd:keys",
    "memory": "translator.cli.memory_cmd:memory",
    "models": "translator.cli.models_cmd:models_group",
}
# The first sentence of each command's help, which is all ``--help`` shows of it: listing the
# commands then imports none of their modules (a test keeps these equal to the commands' own).
SUMMARIES = {
    "translate": "Translate SOURCES (files, folders, http(s) URLs, or '-' for stdin).",
    "fetch": "Download URL and write its main content (navigation, scripts, footers dropped).",
    "check": "Check TRANSLATION of SOURCE (two files in the same format), or one bilingual file "
    '(TSV source<TAB>translation, JSONL {"source", "translation"}, XLIFF 1.2/2.0).',
    "calibrate": "Fit the [thresholds] to LABELLED.tsv (source, translation, back-translation optional, "
    "label ok|review|literal) and print precision and recall per verdict.",
    "glossary": "Check, format and search glossaries (YAML; see glossaries/ for the shipped ones).",
    "backends": "List backends, whether each is ready, and what it needs otherwise.",
    "keys": "Manage stored API keys (never printed).",
    "memory": "Move the translation memory to and from other tools (TMX 1.4b).",
    "models": "Offline models for the local engine: list, install, remove.",
}


def library_warnings_as_lines() -> None:
    """The library's warnings (``logging`` under ``translator``) as one ``warning:`` line each.

    ``logging`` is imported here, when a command runs, not when ``--version`` or ``--help`` is asked."""
    import logging

    from ..redact import redact

    class WarningLine(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            click.echo(f"warning: {redact(record.getMessage())}", err=True)

    library_log = logging.getLogger("translator")
    if not any(type(h).__name__ == "WarningLine" for h in library_log.handlers):
        library_log.addHandler(WarningLine(logging.WARNING))
        library_log.propagate = False


class TranslatorGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*COMMANDS, *super().list_commands(ctx)})

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list of ``--help``, from ``SUMMARIES`` for commands not loaded yet."""
        rows: list[tuple[str, click.Command]] = []
        for name in self.list_commands(ctx):
            if name in SUMMARIES and name not in self.commands:
                command: click.Command | None = click.Command(name, help=SUMMARIES[name])
            else:
                command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command))
        if rows:
            limit = formatter.width - 6 - max(len(name) for name, _command in rows)
            with formatter.section("Commands"):
                formatter.write_dl([(name, command.get_short_help_str(limit)) for name, command in rows])

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in COMMANDS and cmd_name not in self.commands:
            module_name, attribute = COMMANDS[cmd_name].split(":")
            self.add_command(getattr(importlib.import_module(module_name), attribute), cmd_name)
        return super().get_command(ctx, cmd_name)

    def invoke(self, ctx: click.Context) -> Any:
        from ..errors import EXIT_INTERRUPTED, TranslatorError, exit_code
        from ..redact import redact

        try:
            return super().invoke(ctx)
        except TranslatorError as exc:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            click.echo(f"error: {redact(str(exc))}", err=True)
            ctx.exit(exit_code(exc))
        except KeyboardInterrupt:
            click.echo("interrupted; outputs already written are complete, the rest were not written", err=True)
            ctx.exit(EXIT_INTERRUPTED)


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
    keeping its structure and enforcing a shared glossary.

    \b
    Exit codes: 0 done; 1 a source, setting or output was wrong (the other
    sources were still done); 2 command-line usage; 3 the service refused the
    credentials; 4 quota or --budget used up; 5 the service failed or could not
    be reached, even after retries; 130 interrupted."""
    ctx.ensure_object(dict)
    from ..redact import register_environment

    register_environment(os.environ)  # whatever a service's key variable holds is never shown
    ctx.obj["debug"] = debug
    ctx.obj["config_file"] = config_file
    library_warnings_as_lines()


def main() -> None:
    cli(prog_name="translator")


if __name__ == "__main__":
    main()
