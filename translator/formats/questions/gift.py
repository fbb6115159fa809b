"""Moodle GIFT question files (https://docs.moodle.org/en/GIFT_format), usually ``.gift`` or ``.txt``.

::

    // a comment
    $CATEGORY: $course$/MLA-C01
    ::Q1 title:: Which option scales to zero? {
      ~Real-time inference #Instances keep running.
      =Serverless inference
      ~%50%Batch transform
      ####Serverless inference scales to zero.
    }

Translations are spliced into the source: titles, comments, categories, ``=``/``~`` markers,
weights (``%50%``), braces and layout stay byte for byte. Translated: the stem (and the text
after the answer block of a missing-word question), the answers of choice questions, every
``#feedback`` and the ``####general feedback``. Kept: the answers of short-answer questions (only
``=`` answers: graded by comparing text), numerical (``{#…}``) and true/false (``{T}``) keys.
GIFT's escapes (``\\~ \\= \\# \\{ \\} \\:``) are read as the characters and written back escaped.
A construct the reader does not handle (matching questions, an unclosed ``{``) fails the file
at its line rather than writing half a translation.

Each choice question is also a practice question for the Anki deck and the report (options A, B,
… in file order; answers the ``=`` ones or those with a positive weight).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from ...errors import InputError
from ...types import Document
from ..base import Bilingual, Format, with_source
from .model import LETTERS, Question, QuestionRef, SegmentSink, select_count
from .phrases import source_text, target_text

SPECIAL = "~=#{}:"
_WEIGHT = re.compile(r"%-?\d+(?:\.\d+)?%")
_TRUE_FALSE = re.compile(r"\s*(?:T|F|TRUE|FALSE)\s*(?:#|$)")


@dataclass(frozen=True)
class _Slot:
    segment: int
    start: int
    end: int


def _escaped(text: str, index: int) -> bool:
    backslashes = 0
    while index - backslashes - 1 >= 0 and text[index - backslashes - 1] == "\\":
        backslashes += 1
    return backslashes % 2 == 1


def _find(text: str, chars: str, start: int, end: int) -> int:
    """The first unescaped character of ``chars`` in ``text[start:end]``, or -1."""
    for index in range(start, end):
        if text[index] in chars and not _escaped(text, index):
            return index
    return -1


def unescape(text: str) -> str:
    return re.sub(r"\\([~=#{}:\\n])", lambda m: "\n" if m.group(1) == "n" else m.group(1), text)


def escape(text: str) -> str:
    text = text.replace("\\", "\\\\")
    for char in SPECIAL:
        text = text.replace(char, "\\" + char)
    return text.replace("\n", "\\n")


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


class GiftFormat(Format):
    name = "gift"
    extensions = (".gift",)
    description = "Moodle GIFT questions: stems, choices and feedback; markers, weights and keys kept"

    def read(self, text: str, source: str) -> Document:
        reader = _Reader(text, source)
        reader.read()
        return reader.sink.document(source, self.name, {"text": text, "slots": tuple(reader.slots)})

    def write(self, document: Document, translations: Mapping[str, str], *, bilingual: Bilingual = False) -> str:
        text: str = document.skeleton["text"]
        out: list[str] = []
        position = 0
        for slot in document.skeleton["slots"]:
            segment = document.segments[slot.segment]
            if translations.get(segment.id, segment.text) == segment.text:
                continue
            value = target_text(segment, translations, self.options.target_lang)
            if with_source(bilingual, segment.id):
                value = f"{source_text(segment)} / {value}"
            out.append(text[position : slot.start])
            out.append(escape(value))
            position = slot.end
        out.append(text[position:])
        return "".join(out)


class _Reader:
    def __init__(self, text: str, source: str) -> None:
        self.text = text
        self.source = source
        self.sink = SegmentSink()
        self.slots: list[_Slot] = []

    def line(self, offset: int) -> int:
        return self.text.count("\n", 0, offset) + 1

    def add(self, kind: str, start: int, end: int, number: int) -> str | None:
        start, end = _trimmed(self.text, start, end)
        if start >= end:
            return None
        index = self.sink.add(kind, unescape(self.text[start:end]), self.line(start), question=number)
        self.slots.append(_Slot(index, start, end))
        return self.sink.segments[index].id

    def read(self) -> None:
        lines = self.text.split("\n")
        offsets = [0]
        for line in lines:
            offsets.append(offsets[-1] + len(line) + 1)
        number = 0
        index = 0
        while index < len(lines):
            stripped = lines[index].strip()
            if not stripped or stripped.startswith("//") or stripped.startswith("$CATEGORY:"):
                index += 1
                continue
            start = offsets[index]
            end, index = self._question_end(lines, offsets, index)
            number += 1
            self._question(start, end, number)

    def _question_end(self, lines: list[str], offsets: list[int], first: int) -> tuple[int, int]:
        """Where the question starting on line ``first`` ends: at a blank line outside braces."""
        depth = 0
        index = first
        while index < len(lines):
            line = lines[index]
            if not line.strip() and depth == 0:
                break
            if not line.lstrip().startswith("//"):
                for column, char in enumerate(line):
                    if char in "{}" and not _escaped(line, column):
                        depth += 1 if char == "{" else -1
            index += 1
        return offsets[index] - 1 if index < len(lines) else len(self.text), index

    def _question(self, start: int, end: int, number: int) -> None:
        text = self.text
        line = self.line(start)
        pos, _ = _trimmed(text, start, end)
        if text.startswith("::", pos):
            close = text.find("::", pos + 2)
            while close != -1 and _escaped(text, close):
                close = text.find("::", close + 1)
            if close == -1 or close >= end:
                raise InputError("a question title opened with '::' is not closed", path=self.source, line=line)
            pos = close + 2
        fmt = re.compile(r"\s*\[(?:html|moodle|plain|markdown)\]").match(text, pos)
        if fmt:
            pos = fmt.end()
        brace = _find(text, "{", pos, end)
        if brace == -1:  # a description: text only
            self.add("question", pos, end, number)
            return
        close = _find(text, "}", brace + 1, end)
        if close == -1:
            raise InputError("an answer block opened with '{' is not closed", path=self.source, line=self.line(brace))
        stem = self.add("question", pos, brace, number)
        self._answers(brace + 1, close, number, stem, line)
        self.add("question", close + 1, end, number)  # the rest of a missing-word sentence

    def _answers(self, start: int, end: int, number: int, stem: str | None, line: int) -> None:
        text = self.text
        body = text[start:end]
        general = text.find("####", start, end)
        answers_end = general if general != -1 else end
        if "->" in body:
            raise InputError("matching questions are not supported; nothing was written", path=self.source, line=line)
        if body.strip().startswith("#") and not body.strip().startswith("####"):
            self._general(general, end, number)
            return  # numerical: the key is a number
        marks = [i for i in range(start, answers_end) if text[i] in "=~" and not _escaped(text, i)]
        if not marks:  # essay ({}) or true/false ({T#…#…})
            if _TRUE_FALSE.match(text, start) or not text[start:answers_end].strip():
                for cut in self._feedback_marks(start, answers_end):
                    self.add("feedback", cut[0], cut[1], number)
                self._general(general, end, number)
                return
            raise InputError(
                "an answer block the reader does not understand; nothing was written", path=self.source, line=line
            )
        choice = any(text[i] == "~" for i in marks)
        options: dict[str, str] = {}
        answer: list[str] = []
        for position, mark in enumerate(marks):
            answer_end = marks[position + 1] if position + 1 < len(marks) else answers_end
            feedback = _find(text, "#", mark + 1, answer_end)
            text_start = mark + 1
            weight = _WEIGHT.match(text, text_start)
            if weight:
                text_start = weight.end()
            text_end = feedback if feedback != -1 else answer_end
            if choice:
                seg_id = self.add("option", text_start, text_end, number)
                if seg_id is not None:
                    letter = LETTERS[len(options)]
                    options[letter] = seg_id
                    positive = text[mark] == "=" or (weight is not None and float(weight.group().strip("%")) > 0)
                    if positive:
                        answer.append(letter)
            if feedback != -1:
                self.add("feedback", feedback + 1, answer_end, number)
        explanation = self._general(general, end, number)
        if choice and stem is not None and options:
            stem_segment = next(s for s in self.sink.segments if s.id == stem)
            question = Question("", source_text(stem_segment), {}, tuple(answer))
            self.sink.refs.append(
                QuestionRef(
                    f"q{number}",
                    line,
                    [stem],
                    options,
                    answer,
                    [explanation] if explanation else [],
                    select_count(question, None),
                )
            )

    def _feedback_marks(self, start: int, end: int) -> list[tuple[int, int]]:
        cuts = [i for i in range(start, end) if self.text[i] == "#" and not _escaped(self.text, i)]
        return [(cut + 1, cuts[n + 1] if n + 1 < len(cuts) else end) for n, cut in enumerate(cuts)]

    def _general(self, general: int, end: int, number: int) -> str | None:
        if general == -1:
            return None
        return self.add("explanation", general + 4, end, number)
