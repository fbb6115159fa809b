"""The package's structure: data flows one way, and start-up stays light.

Each top-level part of ``translator`` sits on a layer; a module may import from its own layer or
below, never above, and the parts form no cycle. Imports inside functions count too: a lazy
import that runs back up is still an arrow back up.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "translator"

# Lowest first. A part may import parts of its own layer or of a lower one.
LAYERS: list[set[str]] = [
    {
        "__init__",
        "errors",
        "types",
        "redact",
        "notices",
        "spreadsheet_safe",
        "_version",
        "collector",
        "allocator",
        "writes",
        "config",
        "markup",
        "keys",
        "segmenter",
    },
    {"memory", "memory_postgres", "memory_tmx"},
    {"backends", "batching", "batch", "glossary", "formats", "fetch", "stages", "jobs", "context", "models"},
    {"quality"},
    {"pipeline", "report"},
    {"runs"},
    {"cli", "testing"},
    {"__main__"},
]
LAYER_OF = {part: index for index, parts in enumerate(LAYERS) for part in parts}


def part_of(module: str) -> str:
    pieces = module.split(".")
    return pieces[1] if len(pieces) > 1 else "__init__"


def module_name(path: Path) -> str:
    relative = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(relative.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def imports_of(path: Path) -> set[str]:
    """Every ``translator.…`` module this file imports (relative imports resolved)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("translator"))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            if target.startswith("translator"):
                found.add(target)
                found.update(f"{target}.{alias.name}" for alias in node.names)
    return found


def part_graph() -> dict[str, dict[str, list[str]]]:
    """part → imported part → the files that import it."""
    graph: dict[str, dict[str, list[str]]] = {}
    for path in PACKAGE.rglob("*.py"):
        here = part_of(module_name(path))
        for target in imports_of(path):
            there = part_of(target)
            if there != here and there in LAYER_OF:
                graph.setdefault(here, {}).setdefault(there, []).append(str(path.relative_to(PACKAGE.parent)))
    return graph


def test_every_part_of_the_package_has_a_layer() -> None:
    parts = {part_of(module_name(path)) for path in PACKAGE.rglob("*.py")}
    assert parts - set(LAYER_OF) == set(), "give the new part a layer in LAYERS"


def test_no_import_runs_back_up_a_layer() -> None:
    upward = [
        f"{file}: {here} (layer {LAYER_OF[here]}) imports {there} (layer {LAYER_OF[there]})"
        for here, targets in part_graph().items()
        for there, files in targets.items()
        for file in files
        if LAYER_OF[there] > LAYER_OF[here]
    ]
    assert upward == []


def test_the_parts_form_no_cycle() -> None:
    graph = {here: set(targets) for here, targets in part_graph().items()}
    visiting: list[str] = []
    done: set[str] = set()
    cycles: list[list[str]] = []

    def visit(node: str) -> None:
        if node in done:
            return
        if node in visiting:
            cycles.append([*visiting[visiting.index(node) :], node])
            return
        visiting.append(node)
        for nxt in sorted(graph.get(node, ())):
            visit(nxt)
        visiting.pop()
        done.add(node)

    for node in sorted(graph):
        visit(node)
    assert cycles == []


def test_help_and_version_import_neither_reports_nor_sacrebleu() -> None:
    probe = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from translator.cli.main import cli\n"
        "for args in (['--version'], ['--help']):\n"
        "    assert CliRunner().invoke(cli, args).exit_code == 0\n"
        "heavy = sorted(m for m in sys.modules if m.startswith(('sacrebleu', 'translator.report', 'translator.quality.scores')))\n"
        "print(heavy)\n"
    )
    output = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert output.strip() == "[]"


# What ``--version`` and ``--help`` must not import: every command's module and the libraries
# behind them. Loading them cost ``translator --version`` about 60% more than ``import click``.
HEAVY_AT_START = (
    "importlib.metadata",  # the version is a constant in translator/_version.py
    "logging",  # the library's warning handler is installed when a command runs
    "rich",
    "numpy",
    "httpx",
    "yaml",
    "lxml",
    "bs4",
    "markdown_it",
    "sacrebleu",
    "translator.cli._common",
    "translator.formats",
    "translator.backends",
    "translator.quality",
    "translator.report",
    "translator.runs",
)


def modules_loaded_by(*args: str) -> list[str]:
    """The modules a fresh ``translator ARGS`` process has imported when it exits."""
    probe = (
        "import sys\n"
        "from translator.cli.main import cli\n"
        "try:\n"
        f"    cli({list(args)!r}, prog_name='translator')\n"
        "except SystemExit as exit:\n"
        "    assert not exit.code, exit.code\n"
        "print('\\n'.join(sorted(sys.modules)))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return result.stdout.split()


def test_version_imports_no_command_and_no_heavy_library() -> None:
    loaded = modules_loaded_by("--version")
    assert [m for m in loaded if m.startswith(HEAVY_AT_START) or m.endswith("_cmd")] == []


def test_help_lists_every_command_without_importing_one() -> None:
    loaded = modules_loaded_by("--help")
    assert [m for m in loaded if m.startswith(HEAVY_AT_START) or m.endswith("_cmd")] == []


def test_the_help_summaries_are_the_commands_own() -> None:
    """``--help`` shows ``SUMMARIES``; each must shorten to what the command's help would."""
    import click

    from translator.cli.main import COMMANDS, SUMMARIES, cli

    assert set(SUMMARIES) == set(COMMANDS)
    context = click.Context(cli)
    for name, summary in SUMMARIES.items():
        command = cli.get_command(context, name)
        assert command is not None
        for limit in (20, 45, 60, 80, 200):
            assert click.Command(name, help=summary).get_short_help_str(limit) == command.get_short_help_str(limit), (
                name
            )


def test_version_is_the_packaged_one() -> None:
    """The constant ``--version`` prints is what the build writes into the package's metadata."""
    import tomllib

    from translator import __version__

    project = tomllib.loads((PACKAGE.parent / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "translator._version.__version__"}
    assert "version" in project["project"]["dynamic"]
    assert __version__.count(".") == 2
