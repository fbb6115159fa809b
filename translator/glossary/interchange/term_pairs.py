"""Source → target pairs for machine-translation services whose glossaries hold only pairs.

What such a glossary can hold: one target per source. So each entry gives its term and every
alias, each mapped to the preferred rendering (keep entries map to themselves); allowed and
forbidden renderings, notes and the case rule have no place and are left out. The services agree
on the remaining rules, applied here: no tab, line break or other control character, no leading
or trailing whitespace, each source once (the first entry in glossary order wins, a conflicting
later one is reported).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from ..model import Entry
from ._common import sort_entries


@dataclass
class Pairs:
    rows: list[tuple[str, str]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    entries: int = 0


def _flaw(text: str, max_bytes: int | None) -> str | None:
    if not text.strip():
        return "is empty"
    if any(unicodedata.category(c) in ("Cc", "Zl", "Zp") for c in text):
        return "contains a tab, line break or control character"
    if max_bytes is not None and len(text.encode("utf-8")) > max_bytes:
        return f"is longer than {max_bytes} UTF-8 bytes"
    return None


def term_pairs(entries: Iterable[Entry], lang: str, *, max_bytes: int | None = None, fold_case: bool = False) -> Pairs:
    """Pairs for ``lang``; ``fold_case`` treats sources differing only in case as duplicates."""
    out = Pairs()
    seen: dict[str, tuple[str, str]] = {}
    for entry in sort_entries(entries):
        rendering = entry.rendering(lang)
        if rendering is None or not rendering.preferred:
            continue
        target = rendering.preferred.strip()
        flaw = _flaw(target, max_bytes)
        if flaw:
            out.skipped.append(f"{entry.term}: the {lang} rendering {target!r} {flaw}")
            continue
        used = False
        for surface in entry.surfaces:
            source = surface.strip()
            flaw = _flaw(source, max_bytes)
            if flaw:
                out.skipped.append(f"{entry.term}: {source!r} {flaw}")
                continue
            key = source.casefold() if fold_case else source
            if key in seen:
                first_source, first_target = seen[key]
                if first_target != target:
                    out.skipped.append(
                        f"{entry.term}: {source!r} → {target!r} left out; {first_source!r} already maps to {first_target!r}"
                    )
                continue
            seen[key] = (source, target)
            out.rows.append((source, target))
            used = True
        out.entries += used
    return out
