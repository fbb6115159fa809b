"""Org inline markup as tagged text: words stay translatable, everything structural is protected.

Protected (standalone codes): ``=verbatim=`` and ``~code~``, bare links ``[[target]]``, footnote
references, statistics cookies (``[2/3]``, ``[50%]``), timestamps, macros ``{{{…}}}``, export
snippets ``@@html:…@@``, inline source ``src_python{…}``, LaTeX fragments, radio targets, line
breaks (``\\\\`` at a line end) and, through ``segmenter.add_text``, URLs and placeholders.
Paired (content translated): described links ``[[target][description]]`` and the emphasis
markers ``*bold*``, ``/italic/``, ``_underline_``, ``+strike-through+``, which Org only reads as
markup between whitespace or punctuation (so "and/or" is a word, not italics).
"""

from __future__ import annotations

import re

from ...markup import TaggedTextBuilder
from ...segmenter import add_text
from ...types import Span

_PRE = r"(?<![^\s({'\"\-])"  # Org's emphasis may only open after these (or at the start)
_POST = r"(?=[\s.,;:!?'\")}\]\-]|$)"
_PATTERNS = [
    r"(?P<link>\[\[(?P<target>[^\[\]]+)\]\[(?P<label>.+?)\]\])",
    r"(?P<bare>\[\[[^\[\]]+\]\])",
    rf"(?P<verbatim>{_PRE}(?P<vmark>[=~])(?:\S|\S.*?\S)(?P=vmark){_POST})",
    r"(?P<protected>\[fn:[^\]\n]*\]|\[\d*%\]|\[\d*/\d*\]"
    r"|<\d{4}-\d\d-\d\d[^>\n]*>|\[\d{4}-\d\d-\d\d[^\]\n]*\]"
    r"|\{\{\{.*?\}\}\}|@@[\w-]+:.*?@@|src_[\w-]+(?:\[[^\]\n]*\])?\{[^}\n]*\}"
    r"|\\\(.*?\\\)|(?<![\w$])\$[^\s$](?:[^$\n]*[^\s$])?\$(?![\w$])|<<<?[^<>\n]+>>>?|\\\\[ \t]*$)",
    rf"(?P<emphasis>{_PRE}(?P<mark>[*/_+])(?P<body>\S|\S.*?\S)(?P=mark){_POST})",
]
INLINE_RE = re.compile("|".join(_PATTERNS), re.MULTILINE)
_EMPHASIS_KIND = {"*": "strong", "/": "em", "_": "underline", "+": "strike"}


def build(text: str) -> tuple[str, dict[str, Span]]:
    builder = TaggedTextBuilder()
    _add(builder, text)
    return builder.build()


def _add(builder: TaggedTextBuilder, text: str) -> None:
    pos = 0
    for match in INLINE_RE.finditer(text):
        if match.start() > pos:
            add_text(builder, text[pos : match.start()])
        pos = match.end()
        if match.group("link"):
            builder.open("link", f"[[{match.group('target')}][", "]]", url=match.group("target"))
            _add(builder, match.group("label"))
            builder.close()
        elif match.group("bare"):
            builder.protect(match.group(), "link")
        elif match.group("verbatim"):
            builder.protect(match.group(), "code")
        elif match.group("protected"):
            builder.protect(match.group(), "br" if match.group().startswith("\\\\") else "code")
        else:
            mark = match.group("mark")
            builder.open(_EMPHASIS_KIND[mark], mark, mark)
            _add(builder, match.group("body"))
            builder.close()
    if pos < len(text):
        add_text(builder, text[pos:])
