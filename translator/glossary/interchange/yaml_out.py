"""Entries → a glossary YAML file in the canonical form ``translator glossary fmt`` writes.

The entries are dumped as plain YAML and handed to ``fmt.format_text``, so an imported file is
byte-for-byte what ``fmt`` would make of it (key order, sorting, quoting, flow lists).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import yaml

from ..fmt import format_text
from ..model import Entry, Rendering
from ._common import sort_entries


def _target(rendering: Rendering) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if rendering.preferred:
        out["preferred"] = rendering.preferred
    if rendering.allowed:
        out["allowed"] = list(rendering.allowed)
    if rendering.forbidden:
        out["forbidden"] = list(rendering.forbidden)
    if rendering.note:
        out["note"] = rendering.note
    return out


def _entry(entry: Entry) -> dict[str, Any]:
    out: dict[str, Any] = {"term": entry.term}
    if entry.aliases:
        out["aliases"] = list(entry.aliases)
    if entry.case != "insensitive":
        out["case"] = entry.case
    if entry.keep:
        out["keep"] = True
    if entry.pos:
        out["pos"] = entry.pos
    if entry.domain:
        out["domain"] = list(entry.domain)
    if entry.context:
        out["context"] = list(entry.context)
    if entry.source:
        out["source"] = entry.source
    if entry.note:
        out["note"] = entry.note
    if entry.targets:
        out["targets"] = {code: _target(r) for code, r in sorted(entry.targets.items())}
    return out


def dump(entries: Iterable[Entry], path: str = "<imported>", comment: str | None = None) -> str:
    """Canonical YAML text for ``entries``; ``comment`` becomes the file's leading comment line."""
    data = {"version": 1, "language": "en", "entries": [_entry(e) for e in sort_entries(entries)]}
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1_000_000)
    if comment:
        text = f"# {comment}\n{text}"
    return format_text(text, path)
