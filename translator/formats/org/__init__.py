"""Org mode (``.org``): the prose translated, every line of structure kept as written.

Read line by line, the way Org itself sees a file:

* headings (``** TODO [#A] Title :tag:``): only the title is a segment; stars, TODO keyword,
  priority, tags and the planning line under it (``SCHEDULED:``) stay;
* keywords: ``#+TITLE``, ``#+SUBTITLE``, ``#+DESCRIPTION`` and ``#+CAPTION`` have their values
  translated; every other keyword (``#+OPTIONS``, ``#+AUTHOR``, ``#+STARTUP``…) is kept;
* drawers (``:PROPERTIES:`` … ``:END:``, ``:LOGBOOK:``…), ``#+BEGIN_SRC``/``EXAMPLE``/``EXPORT``/
  ``COMMENT`` blocks, fixed-width ``: `` lines, comments, rules and table separator rows are
  copied byte for byte; the prose inside ``#+BEGIN_QUOTE``/``CENTER`` blocks is translated;
* list items (``-``, ``+``, indented ``*``, ``1.``, ``1)``) keep their bullet, counter, checkbox
  (``[ ]``, ``[X]``, ``[-]``), a practice test's option letter (``- [ ] A. …``) and indentation;
  a description item's ``term ::`` separator stays;
* table cells are translated one by one (Org re-aligns the columns on the next TAB);
* paragraphs (lines up to a blank line or another element) become one segment each and are
  written on one line, with the first line's indentation.

Inline markup is handled in ``inline``. Segment kinds: ``heading``, ``keyword``, ``list-item``,
``table-cell``, ``paragraph``; ids ``o1``, ``o2``, … in reading order.

Bilingual (``--bilingual``): a paragraph is followed by its translation as the next paragraph; a
list item gets the translation on a continuation line of the same item (so numbering and
checkboxes are unchanged); headings, keywords and table cells, which must stay one line (a
heading's drawer has to follow it directly), read ``English / 日本語``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from ... import markup
from ...types import Document, Segment
from ..base import Bilingual, Format, with_source
from . import inline

TRANSLATED_KEYWORDS = {"TITLE", "SUBTITLE", "DESCRIPTION", "CAPTION"}
VERBATIM_BLOCKS = {"SRC", "EXAMPLE", "EXPORT", "COMMENT", "LATEX", "HTML"}
TODO_KEYWORDS = ("TODO", "DONE", "NEXT", "WAITING", "HOLD", "CANCELLED", "CANCELED", "COMMENT")

_HEADING = re.compile(
    r"^(?P<stars>\*+[ \t]+)(?P<todo>(?:" + "|".join(TODO_KEYWORDS) + r")[ \t]+)?(?P<priority>\[#[A-Z0-9]\][ \t]*)?"
    r"(?P<title>.*?)(?P<tags>[ \t]+:[\w@#%:]+:)?[ \t]*$"
)
_BLOCK_BEGIN = re.compile(r"^[ \t]*#\+begin_(\w+)", re.IGNORECASE)
_KEYWORD = re.compile(r"^(?P<lead>[ \t]*#\+(?P<name>\w+):[ \t]*)(?P<value>.*?)(?P<trail>[ \t]*)$")
_DRAWER = re.compile(r"^[ \t]*:[\w-]+:[ \t]*$")
_DRAWER_END = re.compile(r"^[ \t]*:END:[ \t]*$", re.IGNORECASE)
_PLANNING = re.compile(r"^[ \t]*(?:SCHEDULED|DEADLINE|CLOSED):")
_COMMENT = re.compile(r"^[ \t]*#(?:[ \t]|$)")
_FIXED_WIDTH = re.compile(r"^[ \t]*:(?:[ \t]|$)")
_RULE = re.compile(r"^[ \t]*-{5,}[ \t]*$")
_ORG_LINE = re.compile(r"^[ \t]*#\+")  # a stray #+END_SRC or an unknown #+ line: structure, not prose
_TABLE = re.compile(r"^[ \t]*\|")
_TABLE_RULE = re.compile(r"^[ \t]*\|[-+]")
_ITEM = re.compile(
    r"^(?P<prefix>(?P<indent>[ \t]*)(?:[-+]|(?<=[ \t])\*|\d+[.)]|[A-Za-z][.)])[ \t]+"
    r"(?:\[@\d+\][ \t]+)?(?:\[[ Xx\-]\][ \t]+)?(?:[A-Z][.)][ \t]+(?=\S))?)(?P<text>.*?)[ \t]*$"
)
_DESCRIPTION = re.compile(r"^(?P<term>.+?)(?P<sep>[ \t]+::(?:[ \t]+|$))(?P<rest>.*)$")


@dataclass(frozen=True)
class _Slot:
    """Where a segment goes on output: ``before`` + text + ``after``, and what it replaced."""

    segment: int
    before: str
    after: str
    original: str  # the source lines the slot covers, written back when it is not translated
    continuation: str  # the indentation of a further line of the same element


Piece = str | _Slot  # a skeleton is pieces joined as written; lines keep their own newlines


class OrgFormat(Format):
    name = "org"
    extensions = (".org",)
    description = "Org mode: headings, lists, checkboxes, tables, paragraphs; drawers, keywords and src blocks kept"

    def read(self, text: str, source: str) -> Document:
        return _Reader(text, source).read()

    def write(self, document: Document, translations: Mapping[str, str], *, bilingual: Bilingual = False) -> str:
        out: list[str] = []
        for piece in document.skeleton:
            if isinstance(piece, str):
                out.append(piece)
                continue
            segment = document.segments[piece.segment]
            translated = translations.get(segment.id)
            if translated is None or translated == segment.text:
                out.append(piece.original)
                continue
            rendered = _one_line(markup.render(translated, segment.spans))
            if not with_source(bilingual, segment.id):
                out.append(f"{piece.before}{rendered}{piece.after}")
                continue
            english = _one_line(markup.render(segment.text, segment.spans))
            if segment.kind == "paragraph":
                out.append(f"{piece.before}{english}{piece.after}\n\n{piece.before}{rendered}{piece.after}")
            elif segment.kind == "list-item":
                out.append(f"{piece.before}{english}\n{piece.continuation}{rendered}{piece.after}")
            else:
                out.append(f"{piece.before}{english} / {rendered}{piece.after}")
        return "".join(out)


def _one_line(text: str) -> str:
    return re.sub(r"[ \t]*\n[ \t]*", " ", text)


class _Reader:
    def __init__(self, text: str, source: str) -> None:
        self.source = source
        self.lines = text.split("\n")
        self.segments: list[Segment] = []
        self.pieces: list[Piece] = []

    def read(self) -> Document:
        number = 0
        while number < len(self.lines):
            number = self._element(number)
        if self.pieces and isinstance(self.pieces[-1], str):
            self.pieces[-1] = self.pieces[-1].removesuffix("\n")  # the last line has no newline
        return Document(self.source, OrgFormat.name, self.segments, self.pieces)

    # -- pieces ----------------------------------------------------------------------------------

    def _verbatim(self, first: int, end: int) -> int:
        self.pieces.append("".join(line + "\n" for line in self.lines[first:end]))
        return end

    def _slot(
        self, kind: str, text: str, line: int, before: str, after: str, original: str, continuation: str = ""
    ) -> None:
        body, spans = inline.build(text)
        if not markup.has_translatable_text(body):
            self.pieces.append(original)
            return
        index = len(self.segments)
        self.segments.append(Segment(f"o{index + 1}", kind, body, spans, line=line + 1))
        self.pieces.append(_Slot(index, before, after, original, continuation))

    # -- elements --------------------------------------------------------------------------------

    def _element(self, number: int) -> int:
        line = self.lines[number]
        if not line.strip():
            return self._verbatim(number, number + 1)
        block = _BLOCK_BEGIN.match(line)
        if block:
            return self._block(number, block.group(1))
        if _DRAWER.match(line) and not _DRAWER_END.match(line):
            end = next((n for n in range(number + 1, len(self.lines)) if _DRAWER_END.match(self.lines[n])), None)
            return self._verbatim(number, end + 1 if end is not None else number + 1)
        heading = _HEADING.match(line)
        if heading and heading.group("title").strip():
            before = line[: heading.start("title")]
            after = line[heading.end("title") :] + "\n"
            self._slot("heading", heading.group("title"), number, before, after, line + "\n")
            return number + 1
        keyword = _KEYWORD.match(line)
        if keyword:
            if keyword.group("name").upper() in TRANSLATED_KEYWORDS and keyword.group("value"):
                after = keyword.group("trail") + "\n"
                self._slot("keyword", keyword.group("value"), number, keyword.group("lead"), after, line + "\n")
                return number + 1
            return self._verbatim(number, number + 1)
        if heading or any(p.match(line) for p in (_PLANNING, _COMMENT, _FIXED_WIDTH, _RULE, _TABLE_RULE, _ORG_LINE)):
            return self._verbatim(number, number + 1)
        if _TABLE.match(line):
            self._table_row(number)
            return number + 1
        item = _ITEM.match(line)
        if item:
            return self._item(number, item)
        return self._paragraph(number)

    def _block(self, number: int, name: str) -> int:
        end_re = re.compile(rf"^[ \t]*#\+end_{re.escape(name)}[ \t]*$", re.IGNORECASE)
        end = next((n for n in range(number + 1, len(self.lines)) if end_re.match(self.lines[n])), None)
        if end is None:  # Org reads an unclosed block's first line as text; keep it as it is
            return self._verbatim(number, number + 1)
        if name.upper() in VERBATIM_BLOCKS or name.upper() not in ("QUOTE", "CENTER"):
            return self._verbatim(number, end + 1)
        self._verbatim(number, number + 1)
        inner = number + 1
        while inner < end:  # elements inside stop at the end line (see _starts_element)
            inner = self._element(inner)
        return self._verbatim(end, end + 1)

    def _table_row(self, number: int) -> None:
        line = self.lines[number]
        cells = [(m.start(1), m.end(1)) for m in re.finditer(r"(?<=\|)[ \t]*([^|]*?)[ \t]*(?=\|)", line)]
        position = 0
        for start, end in cells:
            if start == end:
                continue
            self.pieces.append(line[position:start])
            self._slot("table-cell", line[start:end], number, "", "", line[start:end])
            position = end
        self.pieces.append(line[position:] + "\n")

    def _continues(self, number: int, indent: int) -> bool:
        """Whether a line continues the element above: not blank, not another element, and (for
        list items) indented past the bullet."""
        if number >= len(self.lines):
            return False
        line = self.lines[number]
        if not line.strip() or _starts_element(line):
            return False
        return len(line) - len(line.lstrip(" \t")) > indent if indent >= 0 else True

    def _item(self, number: int, item: re.Match[str]) -> int:
        prefix = item.group("prefix")
        indent = len(item.group("indent"))
        end = number + 1
        while self._continues(end, indent):
            end += 1
        original = "".join(line + "\n" for line in self.lines[number:end])
        if not item.group("text"):
            self.pieces.append(original)
            return end
        parts = [item.group("text"), *(line.strip() for line in self.lines[number + 1 : end])]
        text = " ".join(parts)
        continuation = " " * len(prefix.expandtabs())
        description = _DESCRIPTION.match(text)
        if description:  # "term :: description": two segments around a kept separator
            before = prefix
            self._slot("list-item", description.group("term"), number, before, "", before + description.group("term"))
            sep = description.group("sep")
            if description.group("rest"):
                self.pieces.append(sep)
                self._slot(
                    "list-item",
                    description.group("rest"),
                    number,
                    "",
                    "\n",
                    description.group("rest") + "\n",
                    continuation,
                )
            else:
                self.pieces.append(sep.rstrip(" \t") + "\n")
            return end
        self._slot("list-item", text, number, prefix, "\n", original, continuation)
        return end

    def _paragraph(self, number: int) -> int:
        end = number + 1
        while self._continues(end, -1):
            end += 1
        first = self.lines[number]
        indent = first[: len(first) - len(first.lstrip(" \t"))]
        text = " ".join(line.strip() for line in self.lines[number:end])
        original = "".join(line + "\n" for line in self.lines[number:end])
        self._slot("paragraph", text, number, indent, "\n", original, indent)
        return end


def _starts_element(line: str) -> bool:
    if _HEADING.match(line) or _BLOCK_BEGIN.match(line) or _KEYWORD.match(line) or _ITEM.match(line):
        return True
    if re.match(r"^[ \t]*#\+end_", line, re.IGNORECASE):
        return True
    return any(p.match(line) for p in (_DRAWER, _PLANNING, _COMMENT, _FIXED_WIDTH, _RULE, _TABLE))
