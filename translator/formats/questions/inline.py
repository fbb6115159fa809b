"""Tagged text for one question field: prose stays translatable, everything structural is protected.

Question stems and explanations carry things a translation must not touch: the multi-select marker
("(Select TWO.)", replaced by the target language's phrase when written), ``<br/>`` and other HTML,
inline code, URLs. Markdown sources also carry emphasis and links, kept as paired codes so the
words inside them are still translated.
"""

from __future__ import annotations

import re

from ...markup import TaggedTextBuilder
from ...segmenter import add_text
from ...types import Span

COUNT_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
MARKER_RE = re.compile(
    r"\(\s*(?:select|choose|pick)\s+(?P<count>two|three|four|five|six|[2-6])\s*\.?\s*\)", re.IGNORECASE
)
MARKER_KIND = "exam-phrase"

_COMMON = [
    rf"(?P<marker>{MARKER_RE.pattern})",
    r"(?P<code>(?P<ticks>`+)[^`\n].*?(?P=ticks))",
    r"(?P<br><br\s*/?>)",
    r"(?P<html></?[A-Za-z][\w-]*(?:\s[^<>]*)?/?>|<!--.*?-->|&(?:#\d+|#x[0-9A-Fa-f]+|[A-Za-z]\w*);)",
    r"(?P<newline>\n)",
]
_MARKDOWN = [
    r"(?P<image>!\[[^\]\n]*\]\([^)\n]*\))",
    r"(?P<link>\[(?P<label>[^\]\n]+)\]\((?P<target>[^)\s]+(?:\s+\"[^\"]*\")?)\))",
    r"(?P<strong>\*\*(?P<strong_body>\S(?:.*?\S)?)\*\*|__(?P<strong_body2>\S(?:.*?\S)?)__)",
    r"(?P<em>(?<![\w*])\*(?P<em_body>[^*\s](?:[^*]*[^*\s])?)\*(?![\w*]))",
]
PLAIN_RE = re.compile("|".join(_COMMON), re.IGNORECASE | re.DOTALL)
MARKDOWN_RE = re.compile("|".join(_COMMON[:2] + _MARKDOWN + _COMMON[2:]), re.IGNORECASE | re.DOTALL)


def marker_count(text: str) -> int:
    """How many answers a stem asks for, from its "(Select TWO.)" marker; 0 without one."""
    match = MARKER_RE.search(text)
    return count_of(match.group("count")) if match else 0


def count_of(word: str) -> int:
    return int(word) if word.isdigit() else COUNT_WORDS[word.lower()]


def build(text: str, *, markdown: bool = False) -> tuple[str, dict[str, Span]]:
    """The tagged text of one field (see the module docstring for what is protected)."""
    builder = TaggedTextBuilder()
    _add(builder, text, MARKDOWN_RE if markdown else PLAIN_RE)
    return builder.build()


def _add(builder: TaggedTextBuilder, text: str, pattern: re.Pattern[str]) -> None:
    pos = 0
    for match in pattern.finditer(text):
        if match.start() > pos:
            add_text(builder, text[pos : match.start()])
        pos = match.end()
        groups = match.groupdict()
        if groups.get("marker"):
            builder.protect(match.group(), MARKER_KIND, count=str(count_of(groups["count"])))
        elif groups.get("code"):
            builder.protect(match.group(), "code")
        elif groups.get("br"):
            builder.protect(match.group(), "br")
        elif groups.get("html"):
            builder.protect(match.group(), "html")
        elif groups.get("newline"):
            builder.protect(match.group(), "br")
        elif groups.get("image"):
            builder.protect(match.group(), "image")
        elif groups.get("link"):
            target = groups["target"]
            builder.open("link", "[", f"]({target})", url=target.split()[0])
            _add(builder, groups["label"], pattern)
            builder.close()
        elif groups.get("strong"):
            mark = match.group()[:2]
            builder.open("strong", mark, mark)
            _add(builder, groups["strong_body"] or groups["strong_body2"], pattern)
            builder.close()
        else:
            builder.open("em", "*", "*")
            _add(builder, groups["em_body"], pattern)
            builder.close()
    if pos < len(text):
        add_text(builder, text[pos:])
