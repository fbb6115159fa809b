"""Where a Markdown block's inline content sits in the source text.

markdown-it gives each block its line range and its inline content with the container prefixes
(``> ``, list indentation, table pipes, ``\\|`` escapes) taken out. Translating in place needs the
reverse: the source offset of every content character. With it, protected pieces (code spans,
link targets, line breaks with the next line's prefix) are copied byte for byte and a translation
is spliced exactly over the content, leaving markers, indentation and pipes as they were.

A position map has one offset per content character plus one for the end of the content; the
offset of a content ``\\n`` is the source newline, so a slice across it includes the next line's
prefix.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Sequence

from markdown_it.common.utils import MD_TRIM_CHARS, mdTrim

# What may stand before a table row on its line: blockquote markers, list markers, indentation.
_ROW_PREFIX = re.compile(r"[ \t>*+\-.)0-9]*")
_NEWLINE = re.compile("\n")


class SourceLines:
    """The source's lines, as the offsets where each starts (the text is sliced when a line is
    read: a list of every line would be a second copy of the document while it is parsed)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = array("q", [0])
        self.starts.extend(match.end() for match in _NEWLINE.finditer(text))
        self.count = len(self.starts)

    def line(self, number: int) -> str:
        return self.text[self.starts[number] : self.line_end(number)]

    def line_end(self, number: int) -> int:
        """Offset just past the last character of a line (where its newline is)."""
        return self.starts[number + 1] - 1 if number + 1 < self.count else len(self.text)

    def is_blank(self, number: int) -> bool:
        """True past the end of the file and for lines of only spaces and blockquote markers."""
        return number >= self.count or not self.line(number).strip(" \t>")


def block_positions(source: SourceLines, content: str, first_line: int) -> list[int] | None:
    """The position map of paragraph-like content (paragraphs, setext headings).

    Each content line is the end of its source line (the container prefix and indentation are
    what markdown-it removed), except that trailing whitespace of the last line is trimmed.
    """
    parts = content.split("\n")
    if first_line + len(parts) > source.count:
        return None
    positions: list[int] = []
    for index, part in enumerate(parts):
        line = source.line(first_line + index)
        if index == len(parts) - 1:
            line = line.rstrip(MD_TRIM_CHARS)
        if not line.endswith(part):
            return None
        base = source.starts[first_line + index] + len(line) - len(part)
        positions.extend(range(base, base + len(part) + 1))
    return positions


def heading_positions(source: SourceLines, content: str, line_number: int) -> list[int] | None:
    """The position map of an ATX heading: its content is the last match before closing #s."""
    line = source.line(line_number)
    start = line.rfind(content)
    if start == -1 or not content:
        return None
    base = source.starts[line_number] + start
    return list(range(base, base + len(content) + 1))


def table_row_positions(source: SourceLines, line_number: int, contents: Sequence[str]) -> list[list[int]] | None:
    """Position maps of a table row's cells, found by splitting the row as markdown-it does.

    The container prefix (``> ``, list indentation) is not known from the tokens, so each possible
    prefix length is tried until the split gives exactly the cells markdown-it produced.
    """
    line = source.line(line_number)
    longest_prefix = _ROW_PREFIX.match(line)
    limit = longest_prefix.end() if longest_prefix else 0
    for skip in range(limit + 1):
        cells = _split_row(line, skip)
        texts = [text for text, _ in cells][: len(contents)]
        texts += [""] * (len(contents) - len(texts))
        if texts == list(contents):
            base = source.starts[line_number]
            return [[base + p for p in positions] for _, positions in cells[: len(contents)]]
    return None


def _split_row(line: str, skip: int) -> list[tuple[str, list[int]]]:
    """markdown-it's ``escapedSplit`` of a trimmed row, keeping each character's column.

    Each cell comes back trimmed, with its position map; an empty cell maps to where it ends.
    """
    chars = [(ch, col) for col, ch in enumerate(line) if col >= skip]
    while chars and chars[0][0] in MD_TRIM_CHARS:
        chars.pop(0)
    while chars and chars[-1][0] in MD_TRIM_CHARS:
        chars.pop()
    columns: list[list[tuple[str, int]]] = [[]]
    ends: list[int] = []
    escaped = False
    for ch, col in chars:
        if ch == "|" and not escaped:
            ends.append(col)
            columns.append([])
        elif ch == "|":
            columns[-1][-1] = (ch, col)  # an escaped pipe stays, its backslash goes
        else:
            columns[-1].append((ch, col))
        escaped = ch == "\\"
    ends.append(chars[-1][1] + 1 if chars else skip)
    if columns and not columns[0]:
        columns.pop(0)
        ends.pop(0)
    if columns and not columns[-1]:
        columns.pop()
        ends.pop()
    cells: list[tuple[str, list[int]]] = []
    for column, end in zip(columns, ends, strict=True):
        text = "".join(ch for ch, _ in column)
        trimmed = mdTrim(text)
        if not trimmed:
            cells.append(("", [end]))
            continue
        lead = len(text) - len(text.lstrip(MD_TRIM_CHARS))
        kept = column[lead : lead + len(trimmed)]
        cells.append((trimmed, [col for _, col in kept] + [kept[-1][1] + 1]))
    return cells
