"""Two-column glossaries from elsewhere: ``source,target`` rows (CSV or TSV), as DeepL, Google
and most tools write them, optionally under a header of language codes (``en,ja``, as Amazon
Translate writes it; more target columns are more languages).

A row whose targets all equal the source is a do-not-translate term and becomes a keep entry.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ...errors import GlossaryError
from ..model import Entry, Rendering
from ._common import Imported, is_english, is_lang_code, normalize_lang


def is_language_header(row: Sequence[str]) -> bool:
    """``en,ja``: English first, then only language codes (``pos`` or ``id`` are named columns)."""
    cells = [cell.strip() for cell in row]
    return (
        len(cells) >= 2
        and is_english(cells[0])
        and all(is_lang_code(cell) and len(cell.replace("_", "-").split("-")[0]) == 2 for cell in cells)
        and not any(cell.casefold() in ("id", "no") for cell in cells)
    )


def read(rows: list[tuple[int, list[str]]], path: Path, lang: str) -> Imported:
    name = str(path)
    if rows and is_language_header(rows[0][1]):
        langs = [normalize_lang(cell) for cell in rows[0][1][1:]]
        rows = rows[1:]
    else:
        langs = [normalize_lang(lang)]
    entries: list[Entry] = []
    first_line: dict[str, int] = {}
    for line, row in rows:
        cells = [cell.strip() for cell in row]
        if not any(cells):
            continue
        if len(cells) != len(langs) + 1:
            expected = "source,target" if len(langs) == 1 else f"{len(langs) + 1} columns (en,{','.join(langs)})"
            raise GlossaryError(f"expected {expected}, found {len(cells)} column(s)", path=name, line=line)
        source, found = cells[0], cells[1:]
        if not source:
            raise GlossaryError("the source term is empty", path=name, line=line)
        if source in first_line:
            raise GlossaryError(f"'{source}' is given twice (first on line {first_line[source]})", path=name, line=line)
        first_line[source] = line
        if all(target == source for target in found):
            entries.append(Entry(term=source, keep=True, origin=(name, line)))
            continue
        targets = {code: Rendering(target) for code, target in zip(langs, found, strict=True) if target}
        if not targets:
            raise GlossaryError(f"'{source}' has no target", path=name, line=line)
        entries.append(Entry(term=source, targets=targets, origin=(name, line)))
    return Imported(entries)
