"""Where an MDX file is not Markdown, and which JavaScript strings in it are text.

MDX (https://mdxjs.com/docs/what-is-mdx/) adds three things to Markdown at block level: ESM
(``import``/``export`` lines, up to a blank line), JSX elements whose tags stand alone on their
lines (the lines between an opening and a closing tag are Markdown again), and ``{expressions}``.
``regions`` finds them, outside fenced code, with a small scanner that knows JSX attribute
values and JavaScript strings, template literals, comments and nested braces, so a ``>`` or a
``}`` inside a string does not end a tag early. A line that starts with a tag but has text after
the last tag is a paragraph with inline JSX, which MDX (and the Markdown reader) treats as prose.

``text_strings`` then picks the string literals inside a region that a reader sees as text:
the value of a JSX attribute or an object property whose name says so (``title="…"``,
``{ text: "…", explain: "…" }``, see ``TEXT_KEYS``), and the strings of an array under a key
that holds a list of texts (``choices={["…", "…"]}``). Everything else (component names, ids,
booleans, numbers, class names, URLs in ``href``) stays code.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

TEXT_KEYS = frozenset(
    {
        "text",
        "title",
        "explain",
        "explanation",
        "question",
        "prompt",
        "label",
        "hint",
        "feedback",
        "description",
        "caption",
        "alt",
        "summary",
        "message",
        "heading",
        "subtitle",
        "placeholder",
        "correctfeedback",
        "incorrectfeedback",
        "rationale",
        "tooltip",
        "content",
    }
)
LIST_KEYS = frozenset({"choices", "options", "answers", "hints", "steps", "items"})
_NAME = re.compile(r"[A-Za-z_$][\w$.:-]*")
_FENCE = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})")
_ESM = re.compile(r"^(?:import|export)\b")


class ScanError(ValueError):
    """JSX or JavaScript that does not close where it should."""

    def __init__(self, offset: int, message: str) -> None:
        super().__init__(message)
        self.offset = offset


@dataclass(frozen=True)
class Region:
    start: int  # offsets in the source: whole lines, without the final newline
    end: int
    kind: str  # esm | jsx | expression


@dataclass(frozen=True)
class JsString:
    start: int  # the literal's content, without its quotes
    end: int
    quote: str  # ", ' or ` (JavaScript), or J" / J' for a JSX attribute value
    key: str  # the attribute or property name that makes it text
    value: str  # the decoded text


def regions(text: str) -> list[Region]:
    found: list[Region] = []
    lines = text.split("\n")
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    fence: str | None = None
    number = 0
    while number < len(lines):
        line = lines[number]
        fence_match = _FENCE.match(line)
        if fence is not None:
            if fence_match and fence_match.group(1)[0] == fence[0] and len(fence_match.group(1)) >= len(fence):
                fence = None
            number += 1
            continue
        if fence_match:
            fence = fence_match.group(1)
            number += 1
            continue
        stripped = line.lstrip(" \t>")  # block quotes may hold JSX too
        offset = starts[number] + len(line) - len(stripped)
        if _ESM.match(line):
            end = number
            while end + 1 < len(lines) and lines[end + 1].strip():
                end += 1
            found.append(Region(starts[number], starts[end] + len(lines[end]), "esm"))
            number = end + 1
            continue
        if stripped.startswith(("<", "{")):
            flow_end = _flow_end(text, offset)
            if flow_end is not None:
                last = text.count("\n", 0, flow_end)
                found.append(
                    Region(offset, starts[last] + len(lines[last]), "jsx" if stripped[0] == "<" else "expression")
                )
                number = last + 1
                continue
        number += 1
    return found


def _flow_end(text: str, pos: int) -> int | None:
    """The end of the tags or expression starting at ``pos`` if only whitespace follows them on
    their last line (a flow element), else None (inline JSX in a paragraph)."""
    try:
        while True:
            if text[pos] == "<":
                if not re.match(r"<[A-Za-z/>]", text[pos : pos + 2]):
                    return None
                pos = scan_tag(text, pos)
            else:
                pos = scan_braces(text, pos)
            while pos < len(text) and text[pos] in " \t":
                pos += 1
            if pos >= len(text) or text[pos] == "\n":
                return pos
            if text[pos] not in "<{":
                return None
    except ScanError:
        return None


def scan_tag(text: str, pos: int) -> int:
    """The offset just past the JSX tag that starts at ``pos`` (``<Name …>``, ``</Name>``, ``<>``)."""
    start = pos
    pos += 1
    if text.startswith("/", pos):
        pos += 1
    name = _NAME.match(text, pos)
    if name:
        pos = name.end()
    while pos < len(text):
        pos = _skip_space(text, pos)
        if text.startswith("/>", pos):
            return pos + 2
        if text.startswith(">", pos):
            return pos + 1
        if text.startswith("{", pos):
            pos = scan_braces(text, pos)
            continue
        attribute = _NAME.match(text, pos)
        if attribute is None:
            raise ScanError(pos, f"unexpected {text[pos]!r} in a JSX tag")
        pos = _skip_space(text, attribute.end())
        if text.startswith("=", pos):
            pos = _skip_space(text, pos + 1)
            if text[pos : pos + 1] in ("'", '"'):
                close = text.find(text[pos], pos + 1)
                if close == -1:
                    raise ScanError(pos, "an attribute value is not closed")
                pos = close + 1
            elif text.startswith("{", pos):
                pos = scan_braces(text, pos)
            elif text.startswith("<", pos):
                pos = scan_tag(text, pos)
            else:
                raise ScanError(pos, "an attribute value must be a string or {expression}")
    raise ScanError(start, "a JSX tag is not closed")


def scan_braces(text: str, pos: int) -> int:
    """The offset just past the ``{…}`` starting at ``pos``, skipping strings and comments."""
    start = pos
    depth = 0
    while pos < len(text):
        char = text[pos]
        if char in "'\"`":
            pos = _string_end(text, pos)
            continue
        if text.startswith("//", pos):
            newline = text.find("\n", pos)
            pos = len(text) if newline == -1 else newline
            continue
        if text.startswith("/*", pos):
            close = text.find("*/", pos + 2)
            if close == -1:
                raise ScanError(pos, "a comment is not closed")
            pos = close + 2
            continue
        if char in "{[(":
            depth += 1
        elif char in "}])":
            depth -= 1
            if depth == 0:
                return pos + 1
        pos += 1
    raise ScanError(start, "an {expression} is not closed")


def _string_end(text: str, pos: int) -> int:
    quote = text[pos]
    pos += 1
    while pos < len(text):
        char = text[pos]
        if char == "\\":
            pos += 2
            continue
        if char == quote:
            return pos + 1
        if quote == "`" and text.startswith("${", pos):
            pos = scan_braces(text, pos + 1)
            continue
        if char == "\n" and quote != "`":
            break
        pos += 1
    raise ScanError(pos, "a string is not closed")


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t\r\n":
        pos += 1
    return pos


# -- text strings --------------------------------------------------------------------------------

_TOKEN = re.compile(
    r"""(?P<string>"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`(?:[^`\\$]|\\.|\$(?!\{))*`)
      |(?P<template>`)
      |(?P<comment>//[^\n]*|/\*.*?\*/)
      |(?P<name>[A-Za-z_$][\w$-]*)
      |(?P<colon>:)|(?P<equals>=)|(?P<open>[\[{(])|(?P<close>[\]})])|(?P<comma>,)
      |(?P<tag><[A-Za-z/>])|(?P<tagend>/?>)
    """,
    re.VERBOSE | re.DOTALL,
)


def text_strings(text: str, region: Region) -> list[JsString]:
    """The string literals of ``region`` that are text (see the module docstring)."""
    found: list[JsString] = []
    pending_key = ""  # a name followed by ":" or "=": the key of the value that comes next
    last_name = ""
    # Open brackets: (bracket, key). A JSX attribute's {…} and (…) pass their key through, so
    # choices={["…"]} and hint={"…"} are read as choices=[…] and hint="…".
    stack: list[tuple[str, str]] = []
    in_tag = False
    pos = region.start
    while pos < region.end:
        match = _TOKEN.search(text, pos, region.end)
        if match is None:
            break
        pos = match.end()
        kind = match.lastgroup
        if kind == "string":
            literal = match.group()
            bracket, inherited = stack[-1] if stack else ("", "")
            key = pending_key or (inherited if bracket in ("[", "{=", "(") else "")
            is_text = key.lower() in TEXT_KEYS or (
                bracket == "[" and not pending_key and inherited.lower() in LIST_KEYS
            )
            quote = ("J" + literal[0]) if in_tag and not stack else literal[0]
            if is_text:
                value = _decode(literal[1:-1], quote)
                if value is not None and re.search(r"[^\W\d_]{2}", value):  # words, not ids or numbers
                    found.append(JsString(match.start() + 1, match.end() - 1, quote, key.lower(), value))
            pending_key = ""
            continue
        if kind == "template":  # a template literal with ${…}: code, skipped whole
            pos = _string_end(text, match.start())
            pending_key = ""
        elif kind == "name":
            last_name = match.group()
        elif kind in ("colon", "equals"):
            pending_key = last_name
        elif kind == "open":
            bracket, inherited = stack[-1] if stack else ("", "")
            passed = inherited if bracket in ("{=", "(") else ""
            opening = match.group()
            if opening == "{" and in_tag and not stack:
                opening = "{="  # a JSX attribute's expression container
            stack.append((opening, pending_key or passed))
            pending_key = ""
        elif kind == "close":
            if stack:
                stack.pop()
            pending_key = ""
        elif kind == "comma":
            pending_key = ""
        elif kind == "tag" and not stack:
            in_tag = True
        elif kind == "tagend" and not stack:
            in_tag = False
    return found


def _decode(body: str, quote: str) -> str | None:
    if quote.startswith("J"):
        return html.unescape(body)
    try:
        return body.encode("latin-1", "backslashreplace").decode("unicode_escape") if "\\" in body else body
    except UnicodeDecodeError:
        return None


def encode(value: str, quote: str) -> str:
    """``value`` written back inside the same quotes."""
    if quote.startswith("J"):  # JSX attribute strings have no backslash escapes, only entities
        mark = quote[1]
        value = re.sub(r"&(?=#?\w+;)", "&amp;", value)
        return value.replace(mark, "&quot;" if mark == '"' else "&#39;")
    value = value.replace("\\", "\\\\").replace(quote, "\\" + quote)
    if quote == "`":
        return value.replace("${", "\\${")
    return value.replace("\n", "\\n").replace("\r", "\\r")
