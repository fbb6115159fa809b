"""The record schema shared by the JSON, JSONL and CSV question formats, and ``--map``.

Default field names (a column or key is matched case-insensitively)::

    id            optional; the position in the file (q1, q2, …) when absent
    question      the stem
    options       an object letter → text, or a list (letters A, B, … by position);
                  or one column/key per option: A … F, or option_a … option_f
    answer        "AB", "A, C", or a list ["A", "C"]
    explanation   optional
    multi_select  optional: true/false or a count; "(Select TWO.)" in the stem also counts

Exports name these fields in many ways, so each field also answers to the names public tools and
practice-test repositories use (``ALIASES``; matched ignoring case, spaces, ``_`` and ``-``):
``choices``/``answers`` for the options, ``correct_answers``/``correctAnswer`` for the answer,
``rationale`` for the explanation, ``prompt``/``stem`` for the question, ``type: "multiple"`` for
multi-select. Options may also be a list of objects (``{"text": …, "correct": true}``,
``{"id": "a", "text": …}``, ``{"value": …, "isCorrect": …}``), and the answer may be option
indexes (``0``, ``[0, 2]``) or the correct option's text, which is then written as that option's
translation so the answer still names an option.

``--map FIELD=COLUMN`` (``FormatOptions.field_map``) names another column for a field, e.g.
``--map question=Prompt --map answer=CorrectAnswers --map A=Choice1``. Columns the schema does
not know are carried through untouched; the JSON readers refuse a file whose unknown fields hold
prose (see ``prose_field``), since carrying it through would write half a translation.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Mapping, MutableMapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ...errors import InputError
from ...types import Document, Segment
from ..base import Bilingual, with_source
from .model import LETTERS, Question, SegmentSink, parse_answer, parse_multi_select
from .phrases import source_text, target_text

FIELDS = ("id", "question", "options", "answer", "explanation", "multi_select")
_LETTER_COLUMN_RE = re.compile(r"(?:option[ _-]?)?([a-z])", re.IGNORECASE)

# Other names of each field, best first (folded: lower case without spaces, "_" or "-"). "answers"
# is the options when nothing else is, else the answer.
ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id", "questionid", "qid", "number", "questionnumber"),
    "question": ("question", "questiontext", "prompt", "stem", "text"),
    "options": ("options", "choices", "alternatives", "answeroptions", "answerchoices", "answers"),
    "answer": (
        "answer",
        "correctanswers",
        "correctanswer",
        "correct",
        "correctoptions",
        "correctoption",
        "correctchoices",
        "correctchoice",
        "answerkey",
        "rightanswer",
        "solution",
        "answers",
    ),
    "explanation": (
        "explanation",
        "explanations",
        "rationale",
        "reason",
        "explication",
        "feedback",
        "answerexplanation",
    ),
    "multi_select": ("multiselect", "multipleselect", "multiple", "multi", "type", "questiontype"),
}
_OPTION_TEXT_KEYS = ("text", "value", "option", "answer", "content", "body", "choice", "label", "title")
_OPTION_LETTER_KEYS = ("letter", "id", "key", "label")
_OPTION_FLAG_KEYS = ("correct", "iscorrect", "isanswer", "right", "istrue", "answer")
_OPTION_FEEDBACK_KEYS = ("explanation", "explain", "feedback", "rationale", "reason", "why")
_WORD_RE = re.compile(r"[A-Za-z]{2,}")
PROSE_WORDS = 8  # an unknown string field with this many words is text, not metadata
LIST_PROSE_WORDS = 4  # … and a string of this many words inside an unknown list or object


class NotUnderstood(Exception):
    """A field of a record holds something this reader cannot read: the whole file is refused."""

    def __init__(self, line: int | None, message: str) -> None:
        super().__init__(message)
        self.line = line


def fold(name: str) -> str:
    return re.sub(r"[\s_\-]+", "", name).casefold()


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
    names: Sequence[tuple[Hashable, str]],
    field_map: Mapping[str, str],
    source: str,
    line: int | None = None,
    *,
    require_question: bool = True,
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
            raise InputError(
                f"--map {wanted}={column}: no column '{column}' (columns: {shown})", path=source, line=line
            )
        if letter:
            columns.letters[letter] = key
        else:
            columns.fields[wanted] = key
        mapped.add(key)
    unclaimed = [(key, fold(name), name) for key, name in names if key not in mapped]
    for wanted, aliases in ALIASES.items():
        if wanted in columns.fields:
            continue
        ranked = sorted((aliases.index(folded), i) for i, (_, folded, _) in enumerate(unclaimed) if folded in aliases)
        if ranked:
            columns.fields[wanted] = unclaimed.pop(ranked[0][1])[0]
    for key, _folded, name in unclaimed:
        letter = letter_of(name)
        if letter and letter not in columns.letters and "options" not in field_map:
            columns.letters[letter] = key
    columns.letters = dict(sorted(columns.letters.items()))
    if "question" not in columns.fields and require_question:
        raise InputError("no 'question' column or key; name yours with --map question=COLUMN", path=source, line=line)
    return columns


def record_columns(record: Mapping[Hashable, Any], field_map: Mapping[str, str]) -> Columns:
    """The columns of one JSON record: records of one file may each use another shape, so each is
    matched on its own (``--map`` was checked against the whole file; entries naming a key this
    record lacks are left out). A record without a question key reads as one without text."""
    names = [(key, str(key)) for key in record]
    present = {str(key).strip().casefold() for key in record}
    usable = {wanted: column for wanted, column in field_map.items() if column.strip().casefold() in present}
    return resolve_columns(names, usable, "", require_question=False)


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _string(value: Any) -> str:
    """Only a string is prose to translate: a number or list there is data, written back as it was
    (translating ``0`` would turn it into the string ``"[ja] 0"``)."""
    return value if isinstance(value, str) else ""


def _option_objects(
    raw: list[Any], options_key: Hashable, line: int | None
) -> tuple[dict[str, str], dict[str, Path], list[str], list[tuple[str, Path]]]:
    """Options given as a list of strings or of objects; the letters flagged correct; and each
    option's own feedback (text, path). Another prose field in an option is not understood."""
    options: dict[str, str] = {}
    paths: dict[str, Path] = {}
    flagged: list[str] = []
    feedback: list[tuple[str, Path]] = []
    for index, item in enumerate(raw[: len(LETTERS)]):
        letter = LETTERS[index]
        if isinstance(item, str):
            options[letter], paths[letter] = item, (options_key, index)
            continue
        if not isinstance(item, Mapping):
            raise NotUnderstood(line, f"option {index + 1} of '{options_key}' is neither text nor an object")
        by_fold = {fold(str(key)): key for key in item}
        text_key = next(
            (
                by_fold[k]
                for k in _OPTION_TEXT_KEYS
                if k in by_fold and isinstance(item[by_fold[k]], str) and len(item[by_fold[k]].strip()) > 1
            ),
            None,
        )
        if text_key is None:
            keys = ", ".join(str(key) for key in item) or "none"
            raise NotUnderstood(
                line, f"option {index + 1} of '{options_key}' has no text field this reader knows (keys: {keys})"
            )
        for k in _OPTION_LETTER_KEYS:
            value = item.get(by_fold[k]) if k in by_fold else None
            if isinstance(value, str) and len(value.strip()) == 1 and value.strip().isalpha():
                letter = value.strip().upper()
                break
        options[letter], paths[letter] = item[text_key], (options_key, index, text_key)
        if any(k in by_fold and item[by_fold[k]] is True for k in _OPTION_FLAG_KEYS):
            flagged.append(letter)
        for key, value in item.items():
            if key == text_key or not isinstance(value, str) or not value.strip():
                continue
            if fold(str(key)) in _OPTION_FEEDBACK_KEYS:
                feedback.append((value, (options_key, index, key)))
            elif _prose(value, LIST_PROSE_WORDS):
                raise NotUnderstood(
                    line,
                    f"option {index + 1} of '{options_key}' has a field '{key}' holding text this reader does not know",
                )
    return options, paths, flagged, feedback


def _same_text(a: str, b: str) -> bool:
    return a.strip().rstrip(".").casefold() == b.strip().rstrip(".").casefold()


def _answer(
    raw: Any, options: dict[str, str], answer_key: Hashable | None
) -> tuple[tuple[str, ...] | None, list[tuple[str, Path]]]:
    """Answer letters from letters, option indexes or option texts; and, for texts, where each
    one sits (so it can be written as its option's translation)."""
    letters = list(options)
    items = raw if isinstance(raw, list) else [raw]
    if raw is not None and items and all(isinstance(i, int) and not isinstance(i, bool) for i in items):
        if all(0 <= i < len(letters) for i in items):
            return tuple(dict.fromkeys(letters[i] for i in items)), []
        return None, []
    if raw is not None and items and all(isinstance(i, str) for i in items):
        matched = [next((letter for letter, text in options.items() if _same_text(text, item)), None) for item in items]
        if all(matched) and not all(len(str(i).strip()) == 1 for i in items):
            paths: list[tuple[str, Path]] = [
                (letter, (answer_key,) if not isinstance(raw, list) else (answer_key, index))
                for index, letter in enumerate(matched)
                if letter is not None
            ]
            return tuple(dict.fromkeys(letter for letter in matched if letter)), paths
    return parse_answer(raw), []


def read_record(
    record: Mapping[Hashable, Any], columns: Columns, sink: SegmentSink, line: int | None, fallback_id: str
) -> list[tuple[int, Path]] | None:
    """Turn one record into segments; None (and a problem in ``sink``) when it is unusable.

    Returns (segment index, path to the value) pairs, which is all a writer needs. Raises
    ``NotUnderstood`` when a field's shape cannot be read at all.
    """
    get = columns.fields.get
    options: dict[str, str] = {}
    paths: dict[str, Path] = {}
    flagged: list[str] = []
    option_feedback: list[tuple[str, Path]] = []
    options_key = get("options")
    raw_options = record.get(options_key) if options_key is not None else None
    if isinstance(raw_options, Mapping):
        for position, (key, value) in enumerate(raw_options.items()):
            letter = letter_of(str(key))
            if letter is None and str(key).strip() == str(position + 1):  # {"1": …, "2": …}
                letter = LETTERS[position]
            if letter and isinstance(value, str):
                options[letter], paths[letter] = value, (options_key, key)
            else:
                raise NotUnderstood(
                    line, f"'{options_key}' has an entry '{key}' that is not an option letter with its text"
                )
    elif isinstance(raw_options, list):
        options, paths, flagged, option_feedback = _option_objects(raw_options, options_key, line)
    elif raw_options is not None and not (isinstance(raw_options, str) and not raw_options.strip()):
        raise NotUnderstood(line, f"'{options_key}' is neither an object of lettered options nor a list")
    for letter, key in columns.letters.items():
        value = _string(record.get(key))
        if value.strip() and letter not in options:
            options[letter], paths[letter] = value, (key,)
    answer_key = get("answer")
    raw_answer = record.get(answer_key) if answer_key is not None else None
    answer: tuple[str, ...] | None = tuple(flagged)
    answer_paths: list[tuple[str, Path]] = []
    if raw_answer is not None or not flagged:
        answer, answer_paths = _answer(raw_answer, options, answer_key)
    raw_flag = record.get(get("multi_select")) if "multi_select" in columns.fields else None
    question = Question(
        id=_text(record.get(get("id"))).strip() if "id" in columns.fields else "",
        stem=_string(record.get(get("question"))),
        options=options,
        answer=answer or (),
        explanation=_string(record.get(get("explanation"))) if "explanation" in columns.fields else "",
        line=line,
    )
    question.id = question.id or fallback_id
    problems = question.problems()
    if answer is None:
        problems.append(
            f"answer {raw_answer!r} is not option letters (like AB or A, C), option numbers or an option's text"
        )
    if problems:
        sink.problem(line, "; ".join(problems) + "; left untranslated")
        return None
    before = len(sink.segments)
    ref = sink.add_question(question, parse_multi_select(raw_flag))
    option_index = {letter: before + 1 + i for i, letter in enumerate(ref.options)}
    bindings: list[tuple[int, Path]] = [(before, (get("question"),))]
    bindings += [(option_index[letter], paths[letter]) for letter in ref.options]
    bindings += [(option_index[letter], path) for letter, path in answer_paths]
    if ref.explanation:
        bindings.append((len(sink.segments) - 1, (get("explanation"),)))
    for text, path in option_feedback:
        bindings.append((sink.add("feedback", text, line, question=len(sink.refs)), path))
    return bindings


def prose_field(record: Mapping[Any, Any], known: set[Hashable]) -> tuple[Hashable, str] | None:
    """The first field the schema does not know that holds prose, with a glimpse of it."""
    for key, value in record.items():
        if key in known:
            continue
        found = _prose(value, PROSE_WORDS)
        if found:
            return key, found
    return None


def _prose(value: Any, words: int) -> str | None:
    if isinstance(value, str):
        return value if len(_WORD_RE.findall(value)) >= words else None
    children = value.values() if isinstance(value, Mapping) else value if isinstance(value, list) else ()
    for child in children:
        found = _prose(child, LIST_PROSE_WORDS)
        if found:
            return found
    return None


def field_value(segment: Segment, translations: Mapping[str, str], lang: str, bilingual: Bilingual) -> str:
    """A field's output: the translation, or source and translation together for learners."""
    translated = target_text(segment, translations, lang)
    if not with_source(bilingual, segment.id) or not segment.translate:
        return translated
    separator = " / " if segment.kind == "option" else "\n"
    return f"{source_text(segment)}{separator}{translated}"


def apply(
    record: MutableMapping[Hashable, Any],
    bindings: Sequence[tuple[int, Path]],
    document: Document,
    translations: Mapping[str, str],
    lang: str,
    bilingual: Bilingual,
) -> None:
    """Write a record's translated fields in place; every other key stays as it was."""
    for index, path in bindings:
        target: Any = record
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = field_value(document.segments[index], translations, lang, bilingual)
