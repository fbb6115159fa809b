"""What a glossary change does to translations: entries added, removed, and renderings changed.

A reviewer of a glossary pull request needs the renderings, not YAML lines moved by sorting or
reformatting: entries are compared by term (case-insensitively), and for each target language
the preferred rendering, the allowed and the forbidden ones, plus the keep flag, the spellings
that match (aliases), the case rule and the context words, the things that change what a
translation must say and where.
The old side is a file or the same files at a git revision (``git show REV:path``).
"""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import GlossaryError
from .loader import parse_yaml, read_entries
from .model import Entry, Rendering


@dataclass
class Change:
    kind: str  # added, removed, changed
    entry: Entry  # the new entry (the old one when removed)
    details: list[str] = field(default_factory=list)

    @property
    def mark(self) -> str:
        return {"added": "+", "removed": "-", "changed": "~"}[self.kind]


def describe(entry: Entry) -> str:
    """An entry's renderings in one line: ``ja: 推論 (or 推論処理; not 推測)`` or ``kept in English``."""
    if entry.keep:
        parts = ["kept in English"]
        parts += [f"{lang}: not {', '.join(r.forbidden)}" for lang, r in sorted(entry.targets.items()) if r.forbidden]
        return "; ".join(parts)
    return "; ".join(f"{lang}: {_rendering(r)}" for lang, r in sorted(entry.targets.items())) or "no rendering"


def _rendering(rendering: Rendering) -> str:
    text = rendering.preferred or "(none)"
    if rendering.allowed:
        text += f" (or {', '.join(rendering.allowed)})"
    if rendering.forbidden:
        text += f" (not {', '.join(rendering.forbidden)})"
    return text


def _listed(name: str, old: Iterable[str], new: Iterable[str]) -> list[str]:
    before, after = list(old), list(new)
    added = [x for x in after if x not in before]
    removed = [x for x in before if x not in after]
    parts = [f"+{x}" for x in added] + [f"-{x}" for x in removed]
    return [f"{name} {' '.join(parts)}"] if parts else []


def _changes(old: Entry, new: Entry) -> list[str]:
    details: list[str] = []
    if old.keep != new.keep:
        details.append("now kept in English" if new.keep else "now translated, no longer kept in English")
    if old.term != new.term:
        details.append(f"term spelled {old.term} → {new.term}")
    details += _listed("aliases", old.aliases, new.aliases)
    if old.case != new.case:
        details.append(f"case {old.case} → {new.case}")
    details += _listed("context", old.context, new.context)  # where an ambiguous term applies
    for lang in sorted(set(old.targets) | set(new.targets)):
        before, after = old.targets.get(lang), new.targets.get(lang)
        if before is None and after is not None:
            details.append(f"{lang} added: {_rendering(after)}")
        elif after is None and before is not None:
            details.append(f"{lang} removed (was {_rendering(before)})")
        elif before is not None and after is not None:
            if before.preferred != after.preferred:
                details.append(f"{lang} {before.preferred or '(none)'} → {after.preferred or '(none)'}")
            details += _listed(f"{lang} allowed", before.allowed, after.allowed)
            details += _listed(f"{lang} forbidden", before.forbidden, after.forbidden)
    other = [name for name in ("note", "source", "pos", "domain") if getattr(old, name) != getattr(new, name)]
    if details and other:
        details.append(f"also {', '.join(other)}")
    elif other:
        details.append(f"{', '.join(other)} changed (renderings unchanged)")
    return details


def diff_entries(old: Sequence[Entry], new: Sequence[Entry]) -> list[Change]:
    """Changes from ``old`` to ``new`` in term order (each a merged glossary: one entry a term)."""
    before = {e.term.casefold(): e for e in old}
    after = {e.term.casefold(): e for e in new}
    changes: list[Change] = []
    for key in sorted(set(before) | set(after)):
        if key not in before:
            changes.append(Change("added", after[key]))
        elif key not in after:
            changes.append(Change("removed", before[key]))
        else:
            details = _changes(before[key], after[key])
            if details:
                changes.append(Change("changed", after[key], details))
    return changes


def merged(entries_by_file: Iterable[Iterable[Entry]]) -> list[Entry]:
    """Entries of several files in load order, a later term replacing an earlier one."""
    out: dict[str, Entry] = {}
    for entries in entries_by_file:
        for entry in entries:
            out.pop(entry.term.casefold(), None)
            out[entry.term.casefold()] = entry
    return list(out.values())


def entries_now(paths: Sequence[Path]) -> list[Entry]:
    return merged(read_entries(path) if path.exists() else [] for path in paths)


def entries_at(paths: Sequence[Path], revision: str) -> list[Entry]:
    """The entries of ``paths`` as they were at git ``revision`` (a file absent then has none)."""
    return merged(_entries_at(path, revision) for path in paths)


def _entries_at(path: Path, revision: str) -> list[Entry]:
    text = _git_show(path, revision)
    if text is None:
        return []
    if path.suffix.lower() in (".yaml", ".yml"):
        parsed = parse_yaml(f"{revision}:{path}", text)
        if parsed.errors:
            first = parsed.errors[0]
            raise GlossaryError(first.message, path=first.path, line=first.line)
        return parsed.entries
    with tempfile.TemporaryDirectory() as folder:  # the interchange readers read files
        copy = Path(folder) / path.name
        copy.write_text(text, encoding="utf-8")
        return read_entries(copy)


def _git_show(path: Path, revision: str) -> str | None:
    folder = path.resolve().parent
    if not folder.is_dir():
        raise GlossaryError("no such folder", path=str(folder))
    try:
        shown = subprocess.run(
            ["git", "-C", str(folder), "show", f"{revision}:./{path.name}"],
            capture_output=True, check=False, timeout=60,
        )  # fmt: skip
    except FileNotFoundError:
        raise GlossaryError("comparing with a revision needs git, which is not installed") from None
    if shown.returncode == 0:
        return shown.stdout.decode("utf-8-sig")
    message = shown.stderr.decode("utf-8", "replace").strip().splitlines()
    reason = message[-1] if message else "git show failed"
    if "does not exist in" in reason or "exists on disk, but not in" in reason:
        return None  # the file is new since that revision
    raise GlossaryError(f"cannot read it at {revision}: {reason.removeprefix('fatal: ')}", path=str(path))
