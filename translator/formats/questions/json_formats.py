"""Practice questions as JSON (a list, or lists of questions nested in objects such as
``{"questions": [...]}`` or ``{"exam": {"sections": [{"questions": [...]}]}}``) and JSON Lines.

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
from .._limits import check_json_depth
from .._lines import LineCounter
from ..base import Bilingual, Format
from .model import SegmentSink
from .schema import (
    ALIASES,
    Columns,
    NotUnderstood,
    apply,
    fold,
    prose_field,
    read_record,
    record_columns,
    resolve_columns,
)

_CONTAINER_KEY = "questions"
_MAX_DEPTH = 6  # how deep a question list may sit ({"exam": {"sections": [{"questions": [...]}]}})

JsonPath = tuple[str | int, ...]


def _is_question(record: Any) -> bool:
    return isinstance(record, dict) and any(fold(str(key)) in ALIASES["question"] for key in record)


def question_lists(data: Any, path: JsonPath = ()) -> list[JsonPath]:
    """Where the question records are: the top-level list, ``{"questions": [...]}``, or lists
    nested in objects and sections, in document order."""
    if isinstance(data, list):
        if data and any(_is_question(item) for item in data):
            return [path]
        found: list[JsonPath] = []
        if len(path) < _MAX_DEPTH:
            for index, item in enumerate(data):
                if isinstance(item, (dict, list)):
                    found += question_lists(item, (*path, index))
        return found
    if isinstance(data, dict) and len(path) < _MAX_DEPTH:
        found = []
        for key, value in data.items():
            if isinstance(value, (dict, list)):
                found += question_lists(value, (*path, key))
        return found
    return []


def _value_at(data: Any, path: JsonPath) -> Any:
    for key in path:
        data = data[key]
    return data


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t\n\r,:":
        pos += 1
    return pos


def _offset_of(text: str, path: JsonPath) -> int:
    """Where the value at ``path`` starts in the source text (for line numbers)."""
    decoder = json.JSONDecoder()
    pos = _skip_space(text, 0)
    for step in path:
        opening = text[pos]
        pos = _skip_space(text, pos + 1)
        index = 0
        while text[pos] not in "]}":
            if opening == "{":
                key, pos = decoder.raw_decode(text, pos)
                pos = _skip_space(text, pos)
                if key == step:
                    break
            elif index == step:
                break
            _, pos = decoder.raw_decode(text, pos)
            pos = _skip_space(text, pos)
            index += 1
    return pos


def _record_lines(text: str, path: JsonPath, count: int) -> list[int]:
    """The line where each element of the question list at ``path`` starts, in one pass over the
    list (finding each element from the top of the file again was quadratic in the questions)."""
    decoder = json.JSONDecoder()
    counter = LineCounter(text)
    pos = _skip_space(text, _offset_of(text, path) + 1)  # just inside the list's "["
    lines: list[int] = []
    while len(lines) < count and pos < len(text) and text[pos] != "]":
        lines.append(counter.line_at(pos))
        _, pos = decoder.raw_decode(text, pos)
        pos = _skip_space(text, pos)
    return lines


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


def _check_fields(record: dict[str, Any], columns: Columns, source: str, line: int | None) -> None:
    """A field the schema does not know but that holds prose would stay English in the output."""
    known: set[Hashable] = {*columns.fields.values(), *columns.letters.values()}
    found = prose_field(record, known)
    if found:
        key, glimpse = found
        shown = glimpse if len(glimpse) <= 40 else glimpse[:40] + "…"
        raise InputError(
            f"field '{key}' is not understood: it holds text ({shown!r}) this reader would leave untranslated; "
            f"name its role with --map (e.g. --map explanation={key}) or remove it",
            path=source,
            line=line,
        )


def _read_records(
    records: list[Any],
    lines: list[int | None],
    field_map: Mapping[str, str],
    sink: SegmentSink,
    source: str,
    first: int,
) -> list[tuple[int, list]]:
    bindings: list[tuple[int, list]] = []
    for index, record in enumerate(records):
        line = lines[index]
        if not isinstance(record, dict):
            sink.problem(line, "a question must be an object; left untranslated")
            continue
        columns = record_columns(record, field_map)
        _check_fields(record, columns, source, line)
        try:
            found = read_record(record, columns, sink, line, f"q{first + index + 1}")
        except NotUnderstood as exc:
            raise InputError(f"{exc}; nothing was written", path=source, line=exc.line) from exc
        if found:
            bindings.append((index, found))
    return bindings


class QuestionsJsonFormat(Format):
    name = "questions-json"
    extensions = (".json",)
    description = 'practice questions: a JSON list, or {"questions": [...]} nested anywhere'

    def read(self, text: str, source: str) -> Document:
        check_json_depth(text, source)
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(f"not valid JSON: {exc.msg}", path=source, line=exc.lineno) from exc
        paths = question_lists(data)
        if not paths:
            if isinstance(data, list) or (isinstance(data, dict) and isinstance(data.get(_CONTAINER_KEY), list)):
                records = data if isinstance(data, list) else data[_CONTAINER_KEY]
                resolve_columns(_keys(records), self.options.field_map, source)  # names what is missing
            raise UnsupportedFormatError(
                'not a practice-question file: expected a list of questions or {"questions": [...]}', path=source
            )
        lists = [_value_at(data, path) for path in paths]
        resolve_columns(_keys([r for records in lists for r in records]), self.options.field_map, source)
        sink = SegmentSink()
        containers: list[tuple[JsonPath, list[tuple[int, list]]]] = []
        done = 0
        for path, records in zip(paths, lists, strict=True):
            lines: list[int | None] = list(_record_lines(text, path, len(records)))
            containers.append((path, _read_records(records, lines, self.options.field_map, sink, source, done)))
            done += len(records)
        skeleton = {"data": data, "containers": containers, "layout": _layout(text)}
        return sink.document(source, self.name, skeleton, trailing_newline=text.endswith("\n"))

    def write(self, document: Document, translations: Mapping[str, str], *, bilingual: Bilingual = False) -> str:
        skeleton = document.skeleton
        data = copy.deepcopy(skeleton["data"])
        for path, bindings_of in skeleton["containers"]:
            records = _value_at(data, path)
            for index, bindings in bindings_of:
                apply(records[index], bindings, document, translations, self.options.target_lang, bilingual)
        text = json.dumps(data, **skeleton["layout"])
        return text + "\n" if document.meta.get("trailing_newline") else text


class QuestionsJsonlFormat(Format):
    name = "questions-jsonl"
    extensions = (".jsonl",)
    description = "practice questions: one JSON object per line"

    def read(self, text: str, source: str) -> Document:
        check_json_depth(text, source)
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
        resolve_columns(_keys([r for _, r in parsed]), self.options.field_map, source)
        skeleton: dict[str, Any] = {"lines": lines, "records": {}, "layout": _layout(lines[0] if lines else "")}
        records = [record for _, record in parsed]
        numbers: list[int | None] = [number for number, _ in parsed]
        for index, found in _read_records(records, numbers, self.options.field_map, sink, source, 0):
            number = parsed[index][0]
            skeleton["records"][number] = (parsed[index][1], found)
        return sink.document(source, self.name, skeleton)

    def write(self, document: Document, translations: Mapping[str, str], *, bilingual: Bilingual = False) -> str:
        skeleton = document.skeleton
        out = list(skeleton["lines"])
        for number, (record, bindings) in skeleton["records"].items():
            copied = copy.deepcopy(record)
            apply(copied, bindings, document, translations, self.options.target_lang, bilingual)
            out[number - 1] = json.dumps(copied, **skeleton["layout"])
        return "\n".join(out)
