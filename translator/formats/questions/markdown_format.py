"""The common Markdown practice-exam layout, read and written line by line.

::

    1. A company wants … Which services meet these requirements? (Select TWO.)
        - A. Amazon S3
        - B. Amazon EC2
        …
        <details markdown=1><summary markdown='span'>Answer</summary>
          Correct Answer: AB

          Explanation, with https://docs.aws.amazon.com/… links.
        </details>

A question also starts at a ``### Question 12`` heading followed by its stem. Everything that is
structure (numbering, option letters, the details block, the answer line, code blocks) is copied
as it is; prose (stems, options, explanations, and headings and paragraphs around the questions)
becomes segments, each written back on its own line. A question whose answer names a letter that
is not among its options, or that has no stem, is reported and copied untranslated.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from ...types import Document
from ..base import Bilingual, Format, with_source
from .model import Question, QuestionRef, SegmentSink, parse_answer, select_count
from .phrases import source_text, target_text

NUMBERED_RE = re.compile(r"^(?P<prefix>\s{0,3}(?P<number>\d{1,4})[.)]\s+)(?P<text>\S.*)$")
HEADING_QUESTION_RE = re.compile(r"^\s{0,3}#{1,6}\s+(?:question|q)\s*#?\s*(?P<number>\d+)\b.*$", re.IGNORECASE)
OPTION_RE = re.compile(r"^(?P<prefix>\s*[-*+]\s+(?:\[[ xX]\]\s+)?(?P<letter>[A-Z])[.)]\s+)(?P<text>\S.*)$")
DETAILS_OPEN_RE = re.compile(r"^\s*<details\b", re.IGNORECASE)
DETAILS_CLOSE_RE = re.compile(r"</details>\s*$", re.IGNORECASE)
ANSWER_RE = re.compile(
    r"^\s*(?:\*\*|__)?(?i:correct\s+answers?|answers?)\s*:?\s*(?:\*\*|__)?\s*:?\s*(?:\*\*|__)?\s*"
    r"(?P<letters>[A-Z](?:\s*(?:,|&|/|\band\b)?\s*[A-Z])*)\b\s*(?:\*\*|__)?\s*\.?\s*$"
)
FENCE_RE = re.compile(r"^\s*(```+|~~~+)")
BLOCK_PREFIX_RE = re.compile(r"^(?P<prefix>\s*(?:>\s*)*(?:#{1,6}\s+|[-*+]\s+|\d{1,4}[.)]\s+)?)(?P<text>.*)$")
STRUCTURE_RE = re.compile(
    r"^\s*(?:<[^>]*>\s*)+$|^\s*(?:[-*_]\s*){3,}$|^\s*\||^\s*\[[^\]]+\]:\s|^\s*<!--", re.IGNORECASE
)
LIST_MARKER_RE = re.compile(r"(?:[-*+]|\d{1,4}[.)])\s+$")
LOOKAHEAD = 60


@dataclass
class Block:
    """A line of prose written from one segment: ``prefix`` + text (+ ``suffix``)."""

    prefix: str
    segment: int
    kind: str
    suffix: str = ""


Skeleton = list[str | Block]


def _is_block_start(line: str) -> bool:
    return bool(
        not line.strip()
        or OPTION_RE.match(line)
        or DETAILS_OPEN_RE.match(line)
        or FENCE_RE.match(line)
        or STRUCTURE_RE.match(line)
        or re.match(r"^\s*(?:>\s*)*(?:#{1,6}\s|[-*+]\s|\d{1,4}[.)]\s)", line)
    )


def _question_starts_at(lines: list[str], index: int) -> bool:
    """A numbered line or a "Question N" heading whose options follow before anything else does."""
    if not (NUMBERED_RE.match(lines[index]) or HEADING_QUESTION_RE.match(lines[index])):
        return False
    for line in lines[index + 1 : index + 1 + LOOKAHEAD]:
        if OPTION_RE.match(line):
            return True
        if NUMBERED_RE.match(line) or DETAILS_OPEN_RE.match(line) or re.match(r"^\s{0,3}#", line):
            return False
    return False


def looks_like_practice_exam(text: str) -> bool:
    """True when a Markdown file holds at least two questions in the layout above (with answers)."""
    lines = text.split("\n")
    starts = sum(1 for i in range(len(lines)) if _question_starts_at(lines, i))
    answers = sum(1 for line in lines if ANSWER_RE.match(line))
    return starts >= 2 and answers >= 1


class _Reader:
    def __init__(self, text: str) -> None:
        self.lines = text.split("\n")
        self.sink = SegmentSink(markdown=True)
        self.skeleton: Skeleton = []
        self.seen_ids: dict[str, int] = {}

    def run(self) -> None:
        index = 0
        while index < len(self.lines):
            if _question_starts_at(self.lines, index):
                index = self.question(index)
            else:
                index = self.prose(index, self.skeleton)

    def paragraph(self, index: int, out: Skeleton, kind: str | None = None, first_prefix: str | None = None) -> int:
        """Lines up to the next block start, as one segment on one line; returns the next index."""
        first = self.lines[index]
        if first_prefix is None:
            match = BLOCK_PREFIX_RE.match(first)
            assert match is not None  # the pattern's groups are optional: it matches every line
            prefix, text = match.group("prefix"), match.group("text")
        else:
            prefix, text = first_prefix, first[len(first_prefix) :]
        parts = [text.strip()]
        end = index + 1
        while (
            end < len(self.lines) and not _is_block_start(self.lines[end]) and not _question_starts_at(self.lines, end)
        ):
            parts.append(self.lines[end].strip())
            end += 1
        body = " ".join(parts)
        heading = re.match(r"\s*#{1,6}\s", prefix)
        suffix = ""
        if heading:
            closing = re.search(r"\s+#+\s*$", body)
            if closing:
                body, suffix = body[: closing.start()], body[closing.start() :]
        kind = kind or ("heading" if heading else "list-item" if prefix.strip() else "paragraph")
        out.append(Block(prefix, self.sink.add(kind, body, index + 1), kind, suffix))
        return end

    def prose(self, index: int, out: Skeleton) -> int:
        line = self.lines[index]
        fence = FENCE_RE.match(line)
        if fence:
            end = index + 1
            while end < len(self.lines) and not self.lines[end].strip().startswith(fence.group(1)):
                end += 1
            out.extend(self.lines[index : end + 1])
            return end + 1
        if index == 0 and line.strip() == "---":
            end = index + 1
            while end < len(self.lines) and self.lines[end].strip() != "---":
                end += 1
            out.extend(self.lines[index : end + 1])
            return end + 1
        if not line.strip() or STRUCTURE_RE.match(line) or ANSWER_RE.match(line):
            out.append(line)
            return index + 1
        return self.paragraph(index, out)

    def question(self, start: int) -> int:
        out: Skeleton = []
        segments_before = len(self.sink.segments)
        refs_before = len(self.sink.refs)
        first = self.lines[start]
        numbered = NUMBERED_RE.match(first)
        number = (numbered or HEADING_QUESTION_RE.match(first)).group("number")  # type: ignore[union-attr]
        stem: list[int] = []
        index = start
        if numbered:
            index = self.paragraph(start, out, "question", numbered.group("prefix"))
            stem.append(len(self.sink.segments) - 1)
        else:
            out.append(first)
            index += 1
        while index < len(self.lines) and not OPTION_RE.match(self.lines[index]):
            if self.lines[index].strip() and not STRUCTURE_RE.match(self.lines[index]):
                index = self.paragraph(index, out, "question")
                stem.append(len(self.sink.segments) - 1)
            else:
                out.append(self.lines[index])
                index += 1
        options: dict[str, int] = {}
        while index < len(self.lines):
            line = self.lines[index]
            option = OPTION_RE.match(line)
            if option:
                index = self.paragraph(index, out, "option", option.group("prefix"))
                options.setdefault(option.group("letter"), len(self.sink.segments) - 1)
            elif not line.strip():
                out.append(line)
                index += 1
            else:
                break
        answer: tuple[str, ...] | None = ()
        answer_line = None
        explanation: list[int] = []
        if index < len(self.lines) and DETAILS_OPEN_RE.match(self.lines[index]):
            index, answer, answer_line = self.details(index, out, explanation)
        elif index < len(self.lines) and ANSWER_RE.match(self.lines[index]):
            answer_line = index + 1
            answer = parse_answer(ANSWER_RE.match(self.lines[index]).group("letters"))  # type: ignore[union-attr]
            out.append(self.lines[index])
            index += 1
        segments = self.sink.segments
        question = Question(
            id=self.unique_id(number),
            stem=" ".join(source_text(segments[i]) for i in stem),
            options={letter: source_text(segments[i]) for letter, i in options.items()},
            answer=answer or (),
            line=start + 1,
        )
        problems = question.problems()
        if answer is None:
            problems.append("the answer line does not name option letters")
        if problems:
            where = answer_line if answer_line and question.stem.strip() else start + 1
            self.sink.problem(where, f"question {number}: {'; '.join(problems)}; left untranslated")
            del self.sink.segments[segments_before:]
            del self.sink.refs[refs_before:]
            self.skeleton.extend(self.lines[start:index])
            return index
        self.sink.refs.append(
            QuestionRef(
                question.id,
                start + 1,
                [segments[i].id for i in stem],
                {letter: segments[i].id for letter, i in options.items()},
                list(question.answer),
                [segments[i].id for i in explanation],
                select_count(question, None),
            )
        )
        self.skeleton.extend(out)
        return index

    def details(
        self, index: int, out: Skeleton, explanation: list[int]
    ) -> tuple[int, tuple[str, ...] | None, int | None]:
        """The answer block: literal markup and answer line, explanation paragraphs as segments."""
        answer: tuple[str, ...] | None = ()
        answer_line = None
        out.append(self.lines[index])
        if DETAILS_CLOSE_RE.search(self.lines[index]):
            return index + 1, answer, answer_line
        index += 1
        while index < len(self.lines):
            line = self.lines[index]
            if DETAILS_CLOSE_RE.search(line) and re.match(r"^\s*</details>", line, re.IGNORECASE):
                out.append(line)
                return index + 1, answer, answer_line
            found = ANSWER_RE.match(line)
            if found and answer_line is None:
                answer, answer_line = parse_answer(found.group("letters")), index + 1
                out.append(line)
                index += 1
            elif re.match(r"^\s*(?:\*\*|__)?(?i:correct\s+answers?|answers?)\s*:", line) and answer_line is None:
                answer, answer_line = None, index + 1
                out.append(line)
                index += 1
            elif not line.strip() or STRUCTURE_RE.match(line) or FENCE_RE.match(line):
                index = self.prose(index, out)
            else:
                before = len(self.sink.segments)
                index = self.paragraph(index, out, "explanation")
                explanation.extend(range(before, len(self.sink.segments)))
        return index, answer, answer_line

    def unique_id(self, number: str) -> str:
        count = self.seen_ids.get(number, 0) + 1
        self.seen_ids[number] = count
        return number if count == 1 else f"{number}-{count}"


def _continuation(prefix: str) -> str:
    """The indentation that keeps a second paragraph inside the same list item or quote."""
    return re.sub(r"[-*+](?=\s)|\d{1,4}[.)]", lambda m: " " * len(m.group()), prefix)


class QuestionsMarkdownFormat(Format):
    name = "questions-md"
    extensions = (".md",)
    description = "a Markdown practice exam (numbered questions, '- A.' options, <details> answers)"

    def read(self, text: str, source: str) -> Document:
        reader = _Reader(text)
        reader.run()
        return reader.sink.document(source, self.name, reader.skeleton)

    def write(self, document: Document, translations: Mapping[str, str], *, bilingual: Bilingual = False) -> str:
        lang = self.options.target_lang
        out: list[str] = []
        for item in document.skeleton:
            if isinstance(item, str):
                out.append(item)
                continue
            segment = document.segments[item.segment]
            translated = target_text(segment, translations, lang)
            if not with_source(bilingual, segment.id) or not segment.translate:
                out.append(f"{item.prefix}{translated}{item.suffix}")
            elif item.kind in ("option", "heading", "list-item") or (
                item.kind == "explanation" and LIST_MARKER_RE.search(item.prefix)
            ):
                out.append(f"{item.prefix}{source_text(segment)} / {translated}{item.suffix}")
            else:
                continuation = _continuation(item.prefix)
                out.extend(
                    [f"{item.prefix}{source_text(segment)}", continuation.rstrip(), f"{continuation}{translated}"]
                )
        return "\n".join(out)
