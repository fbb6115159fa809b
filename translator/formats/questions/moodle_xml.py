"""Moodle XML question banks (``<quiz>``, https://docs.moodle.org/en/Moodle_XML_format).

The file is parsed with defusedxml (entity bombs and external entities refused) to learn its
structure, and the translations are then spliced into the source text, ``<text>`` element by
``<text>`` element, so everything else (categories, grades, penalties, ids, attribute order,
indentation, CDATA sections) is written back byte for byte.

Translated: the question text, general feedback, hints, the combined feedback texts, and for
choice questions (``multichoice``, ``multichoiceset``) each answer and its feedback. Kept: question
names (a bank's identifiers), categories, and the answers of questions graded by comparing text
(``shortanswer``, ``numerical``, ``truefalse``'s ``true``/``false``), whose feedback is still
translated. Each choice question is also a practice question (stem, options A, B, … in file order,
answers those with a positive ``fraction``, the general feedback as explanation) for the Anki deck
and the report. A question type the reader does not know fails the file at its line, rather than
writing it half translated.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ...errors import InputError, UnsupportedFormatError
from ...types import Document
from ..base import Bilingual, Format, with_source
from .model import LETTERS, Question, QuestionRef, SegmentSink, select_count
from .phrases import source_text, target_text

CHOICE_TYPES = {"multichoice", "multichoiceset"}
GRADED_BY_TEXT = {"shortanswer", "numerical", "truefalse"}
# Types whose every <text> the reader knows what to do with. Matching pairs, cloze answers
# embedded in the question text and drag-and-drop choices are not among them: their files fail.
KNOWN_TYPES = CHOICE_TYPES | GRADED_BY_TEXT | {"category", "essay", "description"}
# Parents whose <text> is prose, for any question type.
PROSE_PARENTS = {
    "questiontext",
    "generalfeedback",
    "feedback",
    "hint",
    "correctfeedback",
    "partiallycorrectfeedback",
    "incorrectfeedback",
    "graderinfo",
    "responsetemplate",
}
_TEXT_RE = re.compile(r"<text(?:\s[^>]*)?>(?P<body>.*?)</text>|<text(?:\s[^>]*)?/>", re.DOTALL)
_CDATA_RE = re.compile(r"\A\s*<!\[CDATA\[(?P<body>.*)\]\]>\s*\Z", re.DOTALL)


@dataclass(frozen=True)
class _Slot:
    segment: int
    start: int  # the text in the source: a <text> element's content, or its CDATA section's
    end: int
    cdata: bool
    html: bool  # format="html": a bilingual text joins its two languages with <br>


def _line_at(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def looks_like_moodle(text: str) -> bool:
    return re.search(r"<quiz[\s>]", text[:4096]) is not None


class MoodleXmlFormat(Format):
    name = "moodle-xml"
    extensions = (".xml",)
    description = "Moodle XML question banks: question texts, choices and feedback"

    def read(self, text: str, source: str) -> Document:
        from defusedxml import DefusedXmlException
        from defusedxml.ElementTree import ParseError, fromstring

        try:
            root = fromstring(text.encode("utf-8"))
        except ParseError as exc:
            line = exc.position[0] if getattr(exc, "position", None) else None
            raise InputError(f"not well-formed XML: {exc}", path=source, line=line) from exc
        except DefusedXmlException as exc:
            raise InputError(f"refused XML: {type(exc).__name__} (entities are not allowed)", path=source) from exc
        if root.tag != "quiz":
            raise UnsupportedFormatError(
                f"not a Moodle XML question bank: the root is <{root.tag}>, not <quiz>", path=source
            )
        matches = list(_TEXT_RE.finditer(text))
        # Every <text> element in document order, with its parent and question, to pair with the matches.
        owners: list[tuple[str, Any, Any]] = []  # (parent tag, parent element, question element)
        for question in root.iter("question"):
            for parent in question.iter():
                for child in parent:
                    if child.tag == "text":
                        owners.append((parent.tag, parent, question))
        if len(owners) != len(matches):
            raise InputError("the <text> elements could not be located in the file", path=source)
        question_lines = [_line_at(text, m.start()) for m in re.finditer(r"<question[\s>]", text)]
        sink = SegmentSink()
        slots: list[_Slot] = []
        by_question: dict[int, dict[str, Any]] = {}
        questions = list(root.iter("question"))
        position = {id(q): n for n, q in enumerate(questions)}
        for match, (parent_tag, parent, question) in zip(matches, owners, strict=True):
            qtype = question.get("type", "")
            number = position[id(question)]
            line = question_lines[number] if number < len(question_lines) else None
            if qtype not in KNOWN_TYPES:
                raise InputError(
                    f"question type '{qtype}' is not understood; nothing was written", path=source, line=line
                )
            body = match.group("body") or ""
            cdata = _CDATA_RE.match(body)
            value = cdata.group("body") if cdata else html.unescape(body)
            translate = parent_tag in PROSE_PARENTS or (parent_tag == "answer" and qtype in CHOICE_TYPES)
            if not translate or not value.strip() or match.group("body") is None:
                continue
            kind = {"questiontext": "question", "answer": "option", "generalfeedback": "explanation"}.get(
                parent_tag, "feedback"
            )
            index = sink.add(kind, value, _line_at(text, match.start()), question=number + 1)
            start, end = match.span("body")
            if cdata:
                start, end = start + cdata.start("body"), start + cdata.end("body")
            slots.append(_Slot(index, start, end, cdata is not None, parent.get("format") == "html"))
            info = by_question.setdefault(
                number, {"line": line, "question": question, "stem": [], "options": {}, "answer": [], "explanation": []}
            )
            seg_id = sink.segments[index].id
            if parent_tag == "questiontext":
                info["stem"].append(seg_id)
            elif parent_tag == "generalfeedback":
                info["explanation"].append(seg_id)
            elif parent_tag == "answer" and qtype in CHOICE_TYPES:
                letter = LETTERS[len(info["options"])]
                info["options"][letter] = seg_id
                if _fraction(parent.get("fraction")) > 0:
                    info["answer"].append(letter)
        for number, info in sorted(by_question.items()):
            if not info["options"] or not info["stem"]:
                continue
            question = info["question"]
            single = (question.findtext("single") or "true").strip().lower() != "false"
            stem_text = source_text(next(s for s in sink.segments if s.id == info["stem"][0]))
            flag = 0 if single else max(len(info["answer"]), 2)
            count = select_count(Question("", stem_text, {}, tuple(info["answer"])), flag)
            name = (question.findtext("name/text") or "").strip() or f"q{number + 1}"
            sink.refs.append(
                QuestionRef(
                    name, info["line"], info["stem"], info["options"], info["answer"], info["explanation"], count
                )
            )
        return sink.document(source, self.name, {"text": text, "slots": tuple(slots)})

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
                separator = " / " if segment.kind == "option" else "<br>" if slot.html else "\n"
                value = f"{source_text(segment)}{separator}{value}"
            if slot.cdata:
                value = value.replace("]]>", "]]]]><![CDATA[>")  # a CDATA section cannot hold "]]>"
            else:
                value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            out.append(text[position : slot.start])
            out.append(value)
            position = slot.end
        out.append(text[position:])
        return "".join(out)


def _fraction(value: str | None) -> float:
    try:
        return float(value or 0)
    except ValueError:
        return 0.0
