"""The record schema shared by the JSON, JSONL and CSV question formats, and ``--map``.

Default field names (a column or key is matched case-insensitively)::

    id            optional; the position in the file (q1, q2, …) when absent
    question      the stem
    options       an object letter → text, or a list (letters A, B, … by position);
                  or one column/key per option: A … F, or option_a … option_f
    answer        "AB", "A, C", or a list ["A", "C"]
    explanation   optional
    multi_select  optional: true/false or a count; "(Select TWO.)" in the stem also counts

``--map FIELD=COLUMN`` (``FormatOptions.field_map``) names another column for a field, e.g.
``--map question=Prompt --map answer=CorrectAnswers --map A=Choice1``. Columns the schema does
not know are carried through untouched.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Mapping, MutableMapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ...errors import InputError
from ...types import Document, Segment
from .model import LETTERS, Question, SegmentSink, parse_answer, parse_multi_select
from .phrases import source_text, target_text

FIELDS = ("id", "question", "options", "answer", "explanation", "multi_select")
_LETTER_COLUMN_RE = re.compile(r"(?:option[ _-]?)?([a-z])", re.IGNORECASE)

Path = tuple[Hashable, ...]  # keys from a record down to one value


def letter_of(name: str) -> str | None:
    """The option letter a column or key name stands for ("B", "option_b", "Option B")."""
    match = _LETTER_COLUMN_RE.fullmatch(name.strip())
    return match.group(1).upper() if match else None


@dataclass
class Columns:
    """Which record key holds each field (keys are names in JSON, column indexes in CSV)."""

    fields: dict[str, Hashable] = field(default_factory=dict)
    letters: dict[str, Hashable] = field(default_factory=dict)


def resolve_columns(
    names: Sequence[tuple[Hashable, str]], field_map: Mapping[str, str], source: str, line: int | None = None
) -> Columns:
    """Match a file's column names to the schema; ``--map`` entries must name existing columns."""
    by_name: dict[str, Hashable] = {}
    for key, name in names:
        by_name.setdefault(name.strip().casefold(), key)
    columns = Columns()
    mapped: set[Hashable] = set()
    for wanted, column in field_map.items():
        key = by_name.get(column.strip().casefold())
        letter = letter_of(wanted) if wanted not in FIELDS else None
        if wanted not in FIELDS and letter is None:
            raise InputError(
                f"--map {wanted}={column}: unknown field '{wanted}' "
                f"(fields: {', '.join(FIELDS)}, or an option letter A, B, … / option_a, …)",
                path=source,
            )
        if key is None:
            shown = ", ".join(name for _, name in names) or "none"
            raise InputError(f"--map {wanted}={column}: no column '{column}' (columns: {shown})", path=source, line=line)
        if letter:
            columns.letters[letter] = key
        else:
            columns.fields[wanted] = key
        mapped.add(key)
    for key, name in names:
        if key in mapped:
            continue
        folded = name.strip().casefold()
        if folded in FIELDS and folded not in columns.fields:
            columns.fields[folded] = key
        elif folded not in FIELDS:
            letter = letter_of(name)
            if letter and letter not in columns.letters and "options" not in field_map:
                columns.letters[letter] = key
    columns.letters = dict(sorted(columns.letters.items()))
    if "question" not in columns.fields:
        raise InputError(
            "no 'question' column or key; name yours with --map question=COLUMN", path=source, line=line
        )
    return columns


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def read_record(
    record: Mapping[Hashable, Any], columns: Columns, sink: SegmentSink, line: int | None, fallback_id: str
) -> list[tuple[int, Path]] | None:
    """Turn one record into segments; None (and a problem in ``sink``) when it is unusable.

    Returns (segment index, path to the value) pairs, which is all a writer needs.
    """
    get = columns.fields.get
    options: dict[str, str] = {}
    paths: dict[str, Path] = {}
    options_key = get("options")
    raw_options = record.get(options_key) if options_key is not None else None
    if isinstance(raw_options, Mapping):
        for key, value in raw_options.items():
            letter = letter_of(str(key))
            if letter and isinstance(value, str):
                options[letter], paths[letter] = value, (options_key, key)
    elif isinstance(raw_options, list):
        for index, value in enumerate(raw_options[: len(LETTERS)]):
            if isinstance(value, str):
                options[LETTERS[index]], paths[LETTERS[index]] = value, (options_key, index)
    for letter, key in columns.letters.items():
        value = _text(record.get(key))
        if value.strip() and letter not in options:
            options[letter], paths[letter] = value, (key,)
    raw_answer = record.get(get("answer")) if "answer" in columns.fields else None
    answer = parse_answer(raw_answer)
    raw_flag = record.get(get("multi_select")) if "multi_select" in columns.fields else None
    question = Question(
        id=_text(record.get(get("id"))).strip() if "id" in columns.fields else "",
        stem=_text(record.get(get("question"))),
        options=options,
        answer=answer or (),
        explanation=_text(record.get(get("explanation"))) if "explanation" in columns.fields else "",
        line=line,
    )
    question.id = question.id or fallback_id
    problems = question.problems()
    if answer is None:
        problems.append(f"answer {raw_answer!r} is not option letters (like AB or A, C)")
    if problems:
        sink.problem(line, "; ".join(problems) + "; left untranslated")
        return None
    before = len(sink.segments)
    ref = sink.add_question(question, parse_multi_select(raw_flag))
    bindings: list[tuple[int, Path]] = [(before, (get("question"),))]
    bindings += [(before + 1 + i, paths[letter]) for i, letter in enumerate(ref.options)]
    if ref.explanation:
        bindings.append((len(sink.segments) - 1, (get("explanation"),)))
    return bindings


def field_value(segment: Segment, translations: Mapping[str, str], lang: str, bilingual: bool) -> str:
    """A field's output: the translation, or source and translation together for learners."""
    translated = target_text(segment, translations, lang)
    if not bilingual or not segment.translate:
        return translated
    separator = " / " if segment.kind == "option" else "\n"
    return f"{source_text(segment)}{separator}{translated}"


def apply(
    record: MutableMapping[Hashable, Any],
    bindings: Sequence[tuple[int, Path]],
    document: Document,
    translations: Mapping[str, str],
    lang: str,
    bilingual: bool,
) -> None:
    """Write a record's translated fields in place; every other key stays as it was."""
    for index, path in bindings:
        target: Any = record
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = field_value(document.segments[index], translations, lang, bilingual)
