"""Practice questions as JSON (a list, or ``{"questions": [...]}``) and JSON Lines.

The file is written back with the same structure, key order and indentation; only the translated
fields change (see ``schema`` for the fields). JSON Lines keeps every line that was not translated
byte for byte, so a bad line is reported and left as it was while the others are translated.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Hashable, Mapping
from typing import Any

from ...errors import InputError, UnsupportedFormatError
from ...types import Document
from ..base import Format
from .model import SegmentSink
from .schema import Columns, apply, read_record, resolve_columns

_CONTAINER_KEY = "questions"


def _line_at(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _record_lines(text: str, container: str | None) -> list[int]:
    """The line where each element of the question array starts (for messages)."""
    start = 0
    if container is not None:
        found = re.search(rf'"{re.escape(container)}"\s*:\s*\[', text)
        if found is None:
            return []
        start = found.end()
    else:
        start = text.index("[") + 1
    decoder = json.JSONDecoder()
    lines: list[int] = []
    pos = start
    while True:
        while pos < len(text) and text[pos] in " \t\n\r,":
            pos += 1
        if pos >= len(text) or text[pos] == "]":
            return lines
        lines.append(_line_at(text, pos))
        _, pos = decoder.raw_decode(text, pos)


def _layout(text: str) -> dict[str, Any]:
    """json.dumps arguments that reproduce the source's indentation and spacing."""
    indent_match = re.search(r"\n([ \t]+)\S", text)
    if indent_match:
        return {"indent": indent_match.group(1), "ensure_ascii": False}
    spaced = re.search(r'"\s*:\s', text) is not None
    return {"separators": (", ", ": ") if spaced else (",", ":"), "ensure_ascii": False}


def _keys(records: list[Any]) -> list[tuple[Hashable, str]]:
    seen: dict[str, None] = {}
    for record in records:
        if isinstance(record, dict):
            seen.update(dict.fromkeys(str(key) for key in record))
    return [(key, key) for key in seen]


class QuestionsJsonFormat(Format):
    name = "questions-json"
    extensions = (".json",)
    description = "practice questions: a JSON list, or {\"questions\": [...]}"

    def read(self, text: str, source: str) -> Document:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(f"not valid JSON: {exc.msg}", path=source, line=exc.lineno) from exc
        container = None
        if isinstance(data, dict) and isinstance(data.get(_CONTAINER_KEY), list):
            container, records = _CONTAINER_KEY, data[_CONTAINER_KEY]
        elif isinstance(data, list):
            records = data
        else:
            raise UnsupportedFormatError(
                'not a practice-question file: expected a list of questions or {"questions": [...]}', path=source
            )
        lines = _record_lines(text, container)
        columns = resolve_columns(_keys(records), self.options.field_map, source)
        sink = SegmentSink()
        bindings: list[tuple[int, list]] = []
        for index, record in enumerate(records):
            line = lines[index] if index < len(lines) else None
            if not isinstance(record, dict):
                sink.problem(line, "a question must be an object; left untranslated")
                continue
            found = read_record(record, columns, sink, line, f"q{index + 1}")
            if found:
                bindings.append((index, found))
        skeleton = {"data": data, "container": container, "bindings": bindings, "layout": _layout(text)}
        return sink.document(source, self.name, skeleton, trailing_newline=text.endswith("\n"))

    def write(self, document: Document, translations: Mapping[str, str], *, bilingual: bool = False) -> str:
        skeleton = document.skeleton
        data = copy.deepcopy(skeleton["data"])
        records = data[skeleton["container"]] if skeleton["container"] else data
        for index, bindings in skeleton["bindings"]:
            apply(records[index], bindings, document, translations, self.options.target_lang, bilingual)
        text = json.dumps(data, **skeleton["layout"])
        return text + "\n" if document.meta.get("trailing_newline") else text


class QuestionsJsonlFormat(Format):
    name = "questions-jsonl"
    extensions = (".jsonl",)
    description = "practice questions: one JSON object per line"

    def read(self, text: str, source: str) -> Document:
        sink = SegmentSink()
        parsed: list[tuple[int, dict[str, Any]]] = []
        lines = text.split("\n")
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                sink.problem(number, f"not valid JSON: {exc.msg} (column {exc.colno}); left untranslated")
                continue
            if not isinstance(record, dict):
                sink.problem(number, "a question must be a JSON object; left untranslated")
                continue
            parsed.append((number, record))
        columns: Columns = resolve_columns(_keys([r for _, r in parsed]), self.options.field_map, source)
        skeleton: dict[str, Any] = {"lines": lines, "records": {}, "layout": _layout(lines[0] if lines else "")}
        for number, record in parsed:
            found = read_record(record, columns, sink, number, f"q{number}")
            if found:
                skeleton["records"][number] = (record, found)
        return sink.document(source, self.name, skeleton)

    def write(self, document: Document, translations: Mapping[str, str], *, bilingual: bool = False) -> str:
        skeleton = document.skeleton
        out = list(skeleton["lines"])
        for number, (record, bindings) in skeleton["records"].items():
            copied = copy.deepcopy(record)
            apply(copied, bindings, document, translations, self.options.target_lang, bilingual)
            out[number - 1] = json.dumps(copied, **skeleton["layout"])
        return "\n".join(out)
