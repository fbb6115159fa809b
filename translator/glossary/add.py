"""``glossary add``: one new entry written into a team's file, canonical and checked like lint.

The new entry is placed in the file's canonical text (``fmt``), so the file stays sorted and
formatted and its comments stay where they were. Before anything is written the file is linted
as it would be, together with the shipped glossaries and the team's other files, and only the
problems the new entry brings are looked at: an error (a duplicate, a conflict, a rendering the
shipped entry forbids) or an unchanged repeat of an existing entry refuses the addition with
lint's own message; warnings are shown and the entry is written.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import GlossaryError
from .fmt import format_text
from .interchange.yaml_out import dump
from .lint import lint_paths
from .loader import Problem, parse_yaml
from .model import Entry

EMPTY_FILE = "version: 1\nlanguage: en\nentries: []\n"


@dataclass
class Addition:
    """The file's new text, where the entry landed, and what lint says about the entry."""

    text: str
    line: int
    refused: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


def with_entry(text: str, entry: Entry, path: str) -> str:
    """``text`` (a glossary file) with ``entry`` added, in canonical form."""
    canonical = format_text(text, path).splitlines()
    block = dump([entry]).splitlines()
    block = block[block.index("entries:") + 1 :]
    if "entries: []" in canonical:
        at = canonical.index("entries: []")
        canonical[at] = "entries:"
        canonical[at + 1 : at + 1] = block
    else:
        # Canonical text ends with the entries (indented) and then any trailing comments (not).
        last = max(i for i, line in enumerate(canonical) if line.startswith("  ") or line == "entries:")
        canonical[last + 1 : last + 1] = block
    return format_text("\n".join(canonical) + "\n", path)


def plan_addition(target: Path, entry: Entry, others: Sequence[Path], shipped: Sequence[Path]) -> Addition:
    """The addition of ``entry`` to ``target`` checked against ``others`` and ``shipped``."""
    if target.exists():
        try:
            before = target.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise GlossaryError(f"cannot read: {exc}", path=str(target)) from None
        broken = parse_yaml(target, before).errors
        if broken:
            first = broken[0]
            raise GlossaryError(
                f"fix this first ('translator glossary lint'): {first.message}", path=first.path, line=first.line
            )
    else:
        before = EMPTY_FILE
    after = with_entry(before, entry, str(target))
    parsed = parse_yaml(target, after)
    # Sorting is stable and the new entry went in last, so it is the last one equal to it.
    line = [e.origin[1] for e in parsed.entries if e == entry and e.origin is not None][-1]
    resolved = target.resolve()
    files = [*(p for p in shipped if p.resolve() != resolved)]
    files += [p for p in others if p.resolve() != resolved and p.resolve() not in {s.resolve() for s in shipped}]
    files.append(target)
    problems = lint_paths(files, texts={target: after})
    mine = f"{target}:{line}"
    about_entry = [p for p in problems if (p.path == str(target) and p.line == line) or mine in p.message]
    refused = [
        p for p in about_entry if p.severity == "error" or (p.severity == "note" and "repeats the entry" in p.message)
    ]
    warnings = [p for p in about_entry if p not in refused]
    return Addition(after, line, refused, warnings)
