"""Spreadsheet glossaries: a header row that names its columns, in any order.

The shapes teams and tools write: ``English,Japanese,Notes`` (a shared spreadsheet saved as
CSV), ``en,ja,pos,description`` (Google Translator Toolkit's glossary upload),
``source,target,developer_comments`` (Weblate), ``en-US,ja-JP`` (most translation services),
``Term [en],Term [ja],Description [ja]`` and ``term,translation_ja,comment_ja``. A column is
recognised by a language (code or English name), or a field name optionally qualified by a
language (``Description [ja]``, ``ja_description``, ``comment_ja``):

- the English column (``en``, ``English``, ``source``, ``term``) is the term;
- a target-language column (``ja``, ``Japanese``, ``Term [ja]``, ``translation_ja``; ``target`` or
  ``translation`` alone means the ``--lang`` language) is its preferred rendering;
- notes, comments, descriptions and definitions become the entry's note, or the rendering's note
  when they are qualified by the target language; ``pos``/``part of speech`` the part of speech.

Columns that are none of these are left out and listed, never dropped silently. A row whose
targets all equal the term is a do-not-translate (keep) entry, as in the two-column files.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ...errors import GlossaryError
from ..model import PARTS_OF_SPEECH, Entry, Rendering
from ._common import Imported, normalize_lang

LANGUAGE_NAMES = {
    "english": "en", "japanese": "ja", "日本語": "ja", "英語": "en", "korean": "ko", "chinese": "zh",
    "french": "fr", "german": "de", "spanish": "es", "portuguese": "pt", "italian": "it",
}  # fmt: skip
TERM_FIELDS = {"term", "source", "source term", "original term", "original"}
TARGET_FIELDS = {"target", "translation", "target term", "term translation"}
NOTE_FIELDS = {
    "note",
    "notes",
    "comment",
    "comments",
    "description",
    "developer comments",
    "developer_comments",
    "remarks",
}
DEFINITION_FIELDS = {"definition", "explanation", "meaning"}
POS_FIELDS = {"pos", "part of speech", "part-of-speech", "partofspeech"}
NOT_LANGUAGES = {"id", "no"}  # an "ID" or "No." column, not Indonesian or Norwegian
_CODE = re.compile(r"^[A-Za-z]{2}(?:[-_][A-Za-z0-9]{2,8})?$")
_BRACKETED = re.compile(r"^(?P<field>.*?)\s*[\[(]\s*(?P<lang>[^\])]+?)\s*[\])]$")
_SUFFIXED = re.compile(r"^(?P<field>[A-Za-z ]+?)[_ ](?P<lang>[A-Za-z]{2}(?:[-_][A-Za-z]{2})?)$")
_PREFIXED = re.compile(r"^(?P<lang>[A-Za-z]{2}(?:[-_][A-Za-z]{2})?)[_ ](?P<field>[A-Za-z ]+)$")
_POS_IN = {
    "noun": "noun",
    "n": "noun",
    "proper noun": "proper-noun",
    "propernoun": "proper-noun",
    "verb": "verb",
    "v": "verb",
    "adjective": "adjective",
    "adj": "adjective",
    "phrase": "phrase",
    "acronym": "acronym",
}


@dataclass
class _Layout:
    """Which column holds what (column indexes)."""

    term: int
    targets: dict[str, int] = field(default_factory=dict)
    notes: list[tuple[int, str]] = field(default_factory=list)  # (column, prefix)
    target_notes: dict[str, list[int]] = field(default_factory=dict)
    pos: int | None = None
    ignored: list[str] = field(default_factory=list)


def _language(text: str) -> str | None:
    name = text.strip().casefold()
    if name in LANGUAGE_NAMES:
        return LANGUAGE_NAMES[name]
    if name in NOT_LANGUAGES:
        return None
    return normalize_lang(text) if _CODE.match(text.strip()) else None


def _split(header: str) -> tuple[str, str | None]:
    """``Description [ja]`` / ``comment_ja`` / ``ja_description`` → (field, language)."""
    cell = header.strip()
    for pattern in (_BRACKETED, _SUFFIXED, _PREFIXED):
        match = pattern.match(cell)
        if match:
            lang = _language(match.group("lang"))
            if lang is not None:
                return match.group("field").strip().casefold(), lang
    return cell.casefold(), None


def layout(header: Sequence[str], default_lang: str) -> _Layout | None:
    """The column layout a header row describes, or None if it is not a named-column header."""
    term: int | None = None
    found = _Layout(term=-1)
    for index, cell in enumerate(header):
        lang = _language(cell)
        name, qualifier = _split(cell)
        role_lang: str | None = None  # the language of a term or translation column
        if lang is not None:
            role_lang = lang
        elif name in TERM_FIELDS | TARGET_FIELDS:
            role_lang = qualifier or ("en" if name in TERM_FIELDS else normalize_lang(default_lang))
        if role_lang is not None and role_lang.split("-")[0] == "en" and term is None:
            term = index
        elif role_lang is not None and role_lang.split("-")[0] != "en" and role_lang not in found.targets:
            found.targets[role_lang] = index
        elif name in NOTE_FIELDS | DEFINITION_FIELDS:
            prefix = "Definition: " if name in DEFINITION_FIELDS else ""
            if qualifier is not None and qualifier.split("-")[0] != "en":
                found.target_notes.setdefault(qualifier, []).append(index)
            else:
                found.notes.append((index, prefix))
        elif name in POS_FIELDS and found.pos is None:
            found.pos = index
        else:
            found.ignored.append(cell.strip() or f"column {index + 1}")
    if term is None or not found.targets:
        return None
    found.term = term
    return found


def read(rows: list[tuple[int, list[str]]], path: Path, lang: str) -> Imported | None:
    """The entries of a named-column table, or None when its first row is not such a header."""
    if not rows:
        return None
    columns = layout(rows[0][1], lang)
    if columns is None:
        return None
    name = str(path)
    out = Imported(skipped=[f"{name}:{rows[0][0]}: column '{c}' is not a glossary field" for c in columns.ignored])
    first_line: dict[str, int] = {}
    width = len(rows[0][1])
    for line, row in rows[1:]:
        cells = [cell.strip() for cell in row]
        if not any(cells):
            continue
        if len(cells) != width:
            raise GlossaryError(f"expected {width} columns as in the header, found {len(cells)}", path=name, line=line)
        term = cells[columns.term]
        if not term:
            raise GlossaryError("the term is empty", path=name, line=line)
        if term in first_line:
            raise GlossaryError(f"'{term}' is given twice (first on line {first_line[term]})", path=name, line=line)
        first_line[term] = line
        renderings = {code: cells[index] for code, index in columns.targets.items() if cells[index]}
        if not renderings:
            out.skipped.append(f"{name}:{line}: '{term}' has no translation yet")
            continue
        note = "\n".join(prefix + cells[index] for index, prefix in columns.notes if cells[index]) or None
        pos = _POS_IN.get(cells[columns.pos].casefold()) if columns.pos is not None else None
        if columns.pos is not None and cells[columns.pos] and pos not in PARTS_OF_SPEECH:
            out.skipped.append(
                f"{name}:{line}: part of speech '{cells[columns.pos]}' of '{term}' is not one this glossary uses"
            )
        if all(text == term for text in renderings.values()):
            out.entries.append(Entry(term=term, keep=True, pos=pos, note=note, origin=(name, line)))
            continue
        targets = {
            code: Rendering(
                text, note="\n".join(cells[i] for i in columns.target_notes.get(code, []) if cells[i]) or None
            )
            for code, text in renderings.items()
        }
        out.entries.append(Entry(term=term, pos=pos, note=note, targets=targets, origin=(name, line)))
    return out
