"""The project CSV: every field of every entry, one row per entry and target language.

Columns: term, aliases, case, keep, pos, domain, source, note, lang, preferred, allowed,
forbidden, target note, context (a file without the last column reads too). Lists are ``|``-separated (``\\|`` for a literal bar). An entry with
several target languages takes several consecutive rows that repeat its entry fields; an entry
without targets (a keep entry) takes one row with an empty ``lang``. Made for spreadsheets and
review tools, and read back without loss. A cell a spreadsheet would run as a formula gets a
leading apostrophe (CSV injection), which reading removes again.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from ...errors import GlossaryError
from ...spreadsheet_safe import neutralised_row, restored
from ..model import CASE_RULES, PARTS_OF_SPEECH, Entry, Rendering
from ._common import (
    Exported,
    Imported,
    join_list,
    normalize_lang,
    sort_entries,
    split_list,
)

HEADER_WITHOUT_CONTEXT = (
    "term", "aliases", "case", "keep", "pos", "domain", "source", "note",
    "lang", "preferred", "allowed", "forbidden", "target note",
)  # fmt: skip
# The entry's context words come last, so files written before the column existed still read.
HEADER = (*HEADER_WITHOUT_CONTEXT, "context")
_TRUE = {"true", "yes", "1"}
_FALSE = {"false", "no", "0", ""}


class _SafeWriter:
    """A csv writer whose cells never start like a spreadsheet formula."""

    def __init__(self, writer: Any) -> None:
        self._writer = writer

    def writerow(self, row: Iterable[str]) -> None:
        self._writer.writerow(neutralised_row(row))


def is_project_header(row: Sequence[str]) -> bool:
    return tuple(cell.strip().lower() for cell in row) in (HEADER, HEADER_WITHOUT_CONTEXT)


def export(entries: Iterable[Entry], lang: str | None = None) -> Exported:
    buffer = io.StringIO()
    writer = _SafeWriter(csv.writer(buffer, lineterminator="\n"))
    writer.writerow(HEADER)
    count = 0
    for entry in sort_entries(entries):
        head = [
            entry.term,
            join_list(entry.aliases),
            entry.case,
            "true" if entry.keep else "false",
            entry.pos or "",
            join_list(entry.domain),
            entry.source or "",
            entry.note or "",
        ]
        targets = [(code, r) for code, r in sorted(entry.targets.items()) if lang is None or code == lang]
        if not targets and lang is not None and not entry.keep:
            continue
        count += 1
        if not targets:
            writer.writerow([*head, "", "", "", "", "", join_list(entry.context)])
        for code, rendering in targets:
            writer.writerow(
                [
                    *head,
                    code,
                    rendering.preferred or "",
                    join_list(rendering.allowed),
                    join_list(rendering.forbidden),
                    rendering.note or "",
                    join_list(entry.context),
                ]
            )
    return Exported(buffer.getvalue().encode("utf-8"), count)


def read(rows: Iterable[tuple[int, list[str]]], path: Path) -> Imported:
    """Rows after the header, each with its line number."""
    name = str(path)
    heads: dict[str, tuple[tuple[str, ...], int]] = {}
    targets: dict[str, dict[str, Rendering]] = {}
    for line, row in rows:
        if not any(cell.strip() for cell in row):
            continue
        if len(row) not in (len(HEADER), len(HEADER_WITHOUT_CONTEXT)):
            raise GlossaryError(f"expected {len(HEADER)} columns, found {len(row)}", path=name, line=line)
        cells = [restored(cell.strip()) for cell in row] + [""] * (len(HEADER) - len(row))
        (
            term,
            aliases,
            case,
            keep,
            pos,
            domain,
            source,
            note,
            lang,
            preferred,
            allowed,
            forbidden,
            target_note,
            context,
        ) = cells
        if not term:
            raise GlossaryError("the term is empty", path=name, line=line)
        head = (term, aliases, case or "insensitive", keep.lower(), pos, domain, source, note, context)
        if case and case not in CASE_RULES:
            raise GlossaryError(f"'{term}': case must be one of {', '.join(CASE_RULES)}", path=name, line=line)
        if keep.lower() not in _TRUE | _FALSE:
            raise GlossaryError(f"'{term}': keep must be true or false", path=name, line=line)
        if pos and pos not in PARTS_OF_SPEECH:
            raise GlossaryError(f"'{term}': pos must be one of {', '.join(PARTS_OF_SPEECH)}", path=name, line=line)
        if term in heads and heads[term][0] != head:
            raise GlossaryError(
                f"'{term}': its entry fields differ from its row on line {heads[term][1]}", path=name, line=line
            )
        heads.setdefault(term, (head, line))
        found = targets.setdefault(term, {})
        if not lang:
            if preferred or allowed or forbidden or target_note:
                raise GlossaryError(f"'{term}': a rendering without a lang", path=name, line=line)
            continue
        code = normalize_lang(lang)
        if code in found:
            raise GlossaryError(f"'{term}': target '{code}' is given twice", path=name, line=line)
        found[code] = Rendering(preferred or None, split_list(allowed), split_list(forbidden), target_note or None)

    entries: list[Entry] = []
    for term, ((_, aliases, case, keep, pos, domain, source, note, context), line) in heads.items():
        entry = Entry(
            term=term,
            aliases=split_list(aliases),
            case=case,
            keep=keep in _TRUE,
            pos=pos or None,
            domain=split_list(domain),
            context=split_list(context),
            source=source or None,
            note=note or None,
            targets=targets[term],
            origin=(name, line),
        )
        problem = _unusable(entry)
        if problem:
            raise GlossaryError(f"'{term}': {problem}", path=name, line=line)
        entries.append(entry)
    return Imported(entries)


def _unusable(entry: Entry) -> str | None:
    if not entry.keep and not entry.targets:
        return "no target rendering (give a lang and preferred, or keep: true)"
    for code, rendering in entry.targets.items():
        if not entry.keep and not rendering.preferred:
            return f"target '{code}' needs a preferred rendering"
    return None
