"""Flashcard exports as tab-separated text (``.tsv``): Quizlet's export and Anki's notes export.

Quizlet exports one card a line, ``term<TAB>definition``. Anki (2.1.55+) exports notes the same
way after header lines such as ``#separator:tab``, ``#html:true``, ``#columns:Front	Back	Tags``,
``#tags column:3``, ``#guid column:1``, ``#notetype column:2``, and quotes a field that holds
the separator, a quote or a line break (``"…"`` with ``""`` inside). Header lines are kept as
they are and their separator is honoured; every field of a card is translated except the columns
the header names as tags, GUID, note type or deck, which are identifiers. Fields may hold HTML
(``#html:true``), whose tags are protected. Lines that are not translated are copied byte for byte.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from typing import Any

from ...errors import InputError
from ...types import Document
from ..base import Bilingual, Format, with_source
from .model import SegmentSink
from .phrases import source_text, target_text

SEPARATORS = {"tab": "\t", "comma": ",", "semicolon": ";", "pipe": "|", "space": " ", "colon": ":"}
_KEPT_COLUMN = re.compile(r"^#(?:tags|guid|notetype|deck) column:(\d+)\s*$")


class FlashcardsTsvFormat(Format):
    name = "flashcards-tsv"
    extensions = (".tsv",)
    description = "flashcards: Quizlet or Anki tab-separated exports (term, definition, …)"

    def read(self, text: str, source: str) -> Document:
        lines = text.split("\n")
        separator = "\t"
        kept_columns: set[int] = set()
        sink = SegmentSink()
        cards: list[dict[str, Any]] = []
        number = 0
        while number < len(lines):
            line = lines[number]
            if line.startswith("#"):
                header = line.strip()
                if header.startswith("#separator:"):
                    name = header.split(":", 1)[1].strip()
                    separator = SEPARATORS.get(name.lower(), name)
                    if len(separator) != 1:
                        raise InputError(f"unknown #separator '{name}'", path=source, line=number + 1)
                kept = _KEPT_COLUMN.match(header)
                if kept:
                    kept_columns.add(int(kept.group(1)) - 1)
                number += 1
                continue
            if not line.strip():
                number += 1
                continue
            first = number
            record = line
            while record.count('"') % 2 == 1 and number + 1 < len(lines):  # a quoted field with line breaks
                number += 1
                record += "\n" + lines[number]
            try:
                values = next(csv.reader(io.StringIO(record), delimiter=separator, quotechar='"', strict=True))
            except csv.Error as exc:
                raise InputError(f"not a readable card: {exc}", path=source, line=first + 1) from exc
            fields: list[tuple[int, int]] = []
            for column, value in enumerate(values):
                if column in kept_columns or not value.strip():
                    continue
                kind = "term" if column == 0 else "definition"
                fields.append((column, sink.add(kind, value, first + 1, card=len(cards) + 1)))
            cards.append({"first": first, "last": number, "values": values, "fields": fields})
            number += 1
        if not cards:
            raise InputError("no cards: expected lines of term<TAB>definition", path=source)
        skeleton = {"lines": lines, "separator": separator, "cards": cards}
        return sink.document(source, self.name, skeleton)

    def write(self, document: Document, translations: Mapping[str, str], *, bilingual: Bilingual = False) -> str:
        skeleton = document.skeleton
        lines: list[str] = list(skeleton["lines"])
        replaced: dict[int, tuple[int, str]] = {}  # first line → (last line, new text)
        for card in skeleton["cards"]:
            values = list(card["values"])
            changed = False
            for column, index in card["fields"]:
                segment = document.segments[index]
                if translations.get(segment.id, segment.text) == segment.text:
                    continue
                value = target_text(segment, translations, self.options.target_lang)
                values[column] = f"{source_text(segment)} / {value}" if with_source(bilingual, segment.id) else value
                changed = True
            if changed:
                buffer = io.StringIO()
                csv.writer(buffer, delimiter=skeleton["separator"], quotechar='"', lineterminator="\n").writerow(values)
                replaced[card["first"]] = (card["last"], buffer.getvalue().removesuffix("\n"))
        out: list[str] = []
        number = 0
        while number < len(lines):
            if number in replaced:
                last, new = replaced[number]
                out.append(new)
                number = last + 1
                continue
            out.append(lines[number])
            number += 1
        return "\n".join(out)
