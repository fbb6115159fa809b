"""Nesting limits for readers: refuse, with the line, input nested deeper than any real page.

Readers walk trees recursively (bs4, ``json``, ``copy.deepcopy``), so a file of 100,000 nested
``<div>`` or ``[`` would end in ``RecursionError`` — or, before that, minutes of work. Both scans
here are single passes over the text driven by one regular expression, so refusing is quick.
"""

from __future__ import annotations

import re

from ..errors import InputError

# Chromium's HTML parser stops nesting at 512 and libxml2 at 256; real pages stay far below 200,
# and the converters recurse a few frames per level within Python's limit of 1,000.
MAX_HTML_DEPTH = 200
# Practice-question and Transcribe JSON is a handful of levels deep.
MAX_JSON_DEPTH = 100
# Every segment costs a little time and memory at every stage (about 0.3 ms and 3 KB); a file of a
# million tiny paragraphs took minutes and gigabytes. Real material (a book, a semester of
# transcripts) stays well below both bounds; the line bound refuses before parsing starts.
MAX_LINES = 300_000
MAX_SEGMENTS = 100_000

VOID_ELEMENTS = frozenset("area base br col embed hr img input keygen link meta param source track wbr".split())
# Elements whose end tag may be left out: a new one (or its parent's end) closes the open one.
SELF_CLOSING_SIBLINGS = {
    "p": frozenset({"p"}),
    "li": frozenset({"li"}),
    "dt": frozenset({"dt", "dd"}),
    "dd": frozenset({"dt", "dd"}),
    "tr": frozenset({"tr"}),
    "td": frozenset({"td", "th"}),
    "th": frozenset({"td", "th"}),
    "option": frozenset({"option"}),
    "thead": frozenset({"tbody", "tfoot"}),
    "tbody": frozenset({"tbody", "tfoot"}),
}
_HTML_TOKEN = re.compile(
    r"<!--.*?(?:-->|\Z)"  # comments
    r"|<(script|style|textarea|title)\b[^<>]*>.*?(?:</\1\s*>|\Z)"  # raw text: no tags inside
    # [^<>] rather than [^>]: a stray "<" never makes one attempt scan to the end of the text
    r"|<(/?)([a-zA-Z][^\s/<>]*)[^<>]*?(/?)>",
    re.DOTALL | re.IGNORECASE,
)
_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def check_html_depth(text: str, source: str, limit: int = MAX_HTML_DEPTH) -> None:
    """Raise ``InputError`` at the element that opens nesting level ``limit + 1``."""
    stack: list[str] = []
    for match in _HTML_TOKEN.finditer(text):
        name = match.group(3)
        if name is None:
            continue
        name = name.lower()
        if match.group(2):  # an end tag closes up to its element, if that is open at all
            if name in stack:
                del stack[len(stack) - 1 - stack[::-1].index(name) :]
            continue
        if name in VOID_ELEMENTS or match.group(4):
            continue
        closes = SELF_CLOSING_SIBLINGS.get(name)
        if closes and stack and stack[-1] in closes:
            stack.pop()
        stack.append(name)
        if len(stack) > limit:
            raise InputError(
                f"elements nested more than {limit} deep (<{name}>); refusing to read it",
                path=source,
                line=text.count("\n", 0, match.start()) + 1,
            )


def check_json_depth(text: str, source: str, limit: int = MAX_JSON_DEPTH, *, line_offset: int = 0) -> None:
    """Raise ``InputError`` at the bracket that opens nesting level ``limit + 1``."""
    if text.count("[") + text.count("{") <= limit:
        return
    depth = 0
    for match in _JSON_TOKEN.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > limit:
                raise InputError(
                    f"JSON nested more than {limit} deep; refusing to read it",
                    path=source,
                    line=line_offset + text.count("\n", 0, match.start()) + 1,
                )
        elif token in "]}":
            depth -= 1


def check_size(text: str, source: str) -> None:
    """Refuse, before parsing, a text with more lines than one document may have."""
    lines = text.count("\n") + 1
    if lines > MAX_LINES:
        raise InputError(
            f"{lines:,} lines is more than one document may have ({MAX_LINES:,}); split the file", path=source
        )


def check_segments(count: int, source: str) -> None:
    if count > MAX_SEGMENTS:
        raise InputError(
            f"{count:,} segments is more than one document may have ({MAX_SEGMENTS:,}); split the file", path=source
        )
