"""A practice question as every question format reads it, and what a run keeps of it.

Formats differ in layout, not in content: a stem, lettered options, answer letters, an
explanation and a multi-select count. Each reader turns a question into segments (stem, one per
option, explanation) and records a ``QuestionRef`` in ``document.meta["questions"]`` naming those
segments, so the bilingual writers and the Anki deck can put a question back together from any
format. A record that cannot be read is left untranslated and reported in
``document.problems`` as ``(line, message)``; the run marks the source failed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ...types import Document, Segment
from . import inline

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_ANSWER_SPLIT_RE = re.compile(r"\s*(?:,|;|&|/|\+|\band\b|\s)\s*", re.IGNORECASE)


@dataclass
class Question:
    """One question's content, each field as source text."""

    id: str
    stem: str
    options: dict[str, str]  # letter → text, in source order
    answer: tuple[str, ...] = ()
    explanation: str = ""
    multi_select: int = 0  # how many answers to pick when more than one, else 0
    line: int | None = None

    def problems(self) -> list[str]:
        """What makes the question unusable; empty when it can be translated."""
        found: list[str] = []
        if not self.stem.strip():
            found.append("question text is missing")
        unknown = [letter for letter in self.answer if letter not in self.options]
        if unknown:
            known = ", ".join(self.options) or "none"
            found.append(f"answer {', '.join(unknown)} is not among the options ({known})")
        return found


@dataclass
class QuestionRef:
    """Where one question's parts live among a document's segments (ids)."""

    id: str
    line: int | None
    stem: list[str]
    options: dict[str, str]  # letter → segment id
    answer: list[str]
    explanation: list[str] = field(default_factory=list)
    multi_select: int = 0


def parse_answer(value: Any) -> tuple[str, ...] | None:
    """Answer letters from "AB", "A, C", "B and D" or ["A", "B"]; None when it is not letters."""
    if value is None:
        return ()
    if isinstance(value, (list, tuple)):
        items = [str(item).strip() for item in value]
    else:
        text = str(value).strip().strip(".")
        if not text:
            return ()
        items = [part for part in _ANSWER_SPLIT_RE.split(text) if part]
        if len(items) == 1 and re.fullmatch(r"[A-Za-z]+", items[0]) and items[0].isupper():
            items = list(items[0])
    letters = [item.upper() for item in items]
    if not all(len(letter) == 1 and letter in LETTERS for letter in letters):
        return None
    return tuple(dict.fromkeys(letters))


def parse_multi_select(value: Any) -> int | None:
    """A multi-select flag or count from true/"yes"/2; None when unset or unreadable."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return 2 if value else 0
    if isinstance(value, int):
        return value if value > 1 else 0
    text = re.sub(r"[\s_\-]+", "", str(value)).lower()
    if text.isdigit():
        return int(text) if int(text) > 1 else 0
    if text in ("true", "yes", "y", "x") or text in _MULTIPLE_TYPES:
        return 2
    if text in ("false", "no", "n") or text in _SINGLE_TYPES:
        return 0
    return None


# Question types as exports name them (``"type": "multiple"``), folded like ``schema.fold``.
_MULTIPLE_TYPES = {
    "multiple",
    "multi",
    "multiselect",
    "multipleselect",
    "multipleresponse",
    "multipleanswer",
    "checkbox",
    "checkboxes",
}
_SINGLE_TYPES = {"single", "singleselect", "singlechoice", "singleanswer", "radio", "multiplechoice", "mcq"}


def select_count(question: Question, flag: int | None) -> int:
    """The multi-select count: the stem's marker, else the answer count when flagged."""
    marked = inline.marker_count(question.stem)
    if marked:
        return marked
    if flag:
        return max(len(question.answer), 2)
    return len(question.answer) if len(question.answer) > 1 else 0


class SegmentSink:
    """Collects a document's segments and question refs as a reader goes."""

    def __init__(self, *, markdown: bool = False) -> None:
        self.segments: list[Segment] = []
        self.refs: list[QuestionRef] = []
        self.problems: list[tuple[int | None, str]] = []
        self.markdown = markdown

    def add(self, kind: str, text: str, line: int | None, **meta: Any) -> int:
        """Add one segment of source text; returns its index."""
        body, spans = inline.build(text, markdown=self.markdown)
        index = len(self.segments)
        self.segments.append(Segment(f"s{index + 1}", kind, body, spans, line=line, meta=meta))
        return index

    def add_question(self, question: Question, flag: int | None = None) -> QuestionRef:
        """Segments for a whole question read from one record (JSON, CSV)."""
        number = len(self.refs) + 1
        stem = self.add("question", question.stem, question.line, question=number)
        options = {
            letter: self.segments[self.add("option", text, question.line, question=number, letter=letter)].id
            for letter, text in question.options.items()
        }
        explanation = []
        if question.explanation.strip():
            explanation.append(
                self.segments[self.add("explanation", question.explanation, question.line, question=number)].id
            )
        ref = QuestionRef(
            question.id,
            question.line,
            [self.segments[stem].id],
            options,
            list(question.answer),
            explanation,
            select_count(question, flag),
        )
        self.refs.append(ref)
        return ref

    def problem(self, line: int | None, message: str) -> None:
        self.problems.append((line, message))

    def document(self, source: str, fmt: str, skeleton: Any, **meta: Any) -> Document:
        meta = {**meta, "questions": self.refs}
        return Document(source, fmt, self.segments, skeleton, meta, problems=list(self.problems))


def refs(document: Document) -> list[QuestionRef]:
    return list(document.meta.get("questions") or [])
