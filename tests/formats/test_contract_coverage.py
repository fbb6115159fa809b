"""Every registered format runs the format contract (a new format without it fails here)."""

from __future__ import annotations

import ast
from pathlib import Path

from translator.formats import FORMATS

HERE = Path(__file__).resolve().parent
# Reached only through another format's reader, whose contract tests run it.
THROUGH = {"questions-json": "json"}  # json reads question files with QuestionsJsonFormat


def contract_formats() -> set[str]:
    """``format_name`` of every ``Test…`` class in tests/formats (the contract's subclasses; the
    test modules of a subpackage have no package to import them by, so they are read, not run)."""
    names: set[str] = set()
    for path in HERE.rglob("test_*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.ClassDef) or not node.name.startswith("Test") or not node.bases:
                continue
            for statement in node.body:
                if (
                    isinstance(statement, ast.Assign)
                    and any(isinstance(t, ast.Name) and t.id == "format_name" for t in statement.targets)
                    and isinstance(statement.value, ast.Constant)
                ):
                    names.add(str(statement.value.value))
    return names


def test_every_registered_format_runs_the_format_contract() -> None:
    covered = contract_formats()
    missing = {name for name in FORMATS if THROUGH.get(name, name) not in covered}
    assert not missing, f"formats without a FormatContract subclass: {sorted(missing)}"
