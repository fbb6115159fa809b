"""Markdown (CommonMark + tables), read with markdown-it-py and translated in place.

The source text is the skeleton. Each block with inline content (heading, paragraph, paragraph of
a list item or block quote, table cell) becomes one segment, and on output its translation is
spliced over exactly the characters its content occupied. List markers and their indentation,
``#`` and ``> `` prefixes, table pipes and delimiter rows, code fences and indented code, raw HTML
blocks, link reference definitions and YAML front matter are therefore written back byte for byte,
and a segment left untranslated comes back as it was. A paragraph spread over several lines
becomes one line (a hard break keeps its line break and the next line's prefix).

Segment kinds: ``heading``, ``paragraph``, ``list-item`` (a paragraph inside a list item),
``blockquote`` (a paragraph inside a block quote) and ``table-cell``; ids are ``s1``, ``s2``, … in
reading order. See ``inline`` for the inline codes and ``render`` for the escaping.

Bilingual layout (``--bilingual``), chosen so a learner reads the original next to its
translation and the rendered page keeps its outline:

* heading: the translated heading, then the English heading as a plain paragraph under it
  (anchors dropped, so ids stay unique); the table of contents stays in the target language;
* paragraph and block quote: the English paragraph, a blank line, the translated paragraph, in
  the same container;
* list item: the English text, a hard break (``\\``), then the translation on a continuation line
  of the same item, so list numbering and nesting are unchanged;
* table cell: ``English<br>translation`` in the same cell, so the table keeps its shape.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.rules_core import inline as parse_all_inlines
from markdown_it.token import Token

from ... import markup
from ...notices import warn
from ...types import Document, Segment
from .. import get_format
from ..base import Bilingual, Format, with_source
from ..questions.markdown_format import looks_like_practice_exam
from .inline import SourceMismatch, tagged_inline
from .render import render_inline
from .source import SourceLines, block_positions, heading_positions, table_row_positions

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n.*?\n(?:---|\.\.\.)[ \t]*(?=\n|\Z)", re.DOTALL)
_CONTAINERS = {"blockquote_open": "blockquote", "list_item_open": "list-item"}
_CLOSERS = {"blockquote_close", "list_item_close"}
MAX_NESTING = 100  # markdown-it's own "default" preset; Python's recursion limit stays far off
_READ = Token("read", "", 0)  # stands in for a token the reader is done with


@lru_cache(maxsize=1)
def parser() -> MarkdownIt:
    """The parser both reading and the tests use: CommonMark plus GFM tables.

    ``text_join`` is off so backslash escapes and entities stay separate tokens, which is what
    lets the reader send ``on-demand`` for ``on\\-demand`` and still find its way in the source.
    ``maxNesting`` is raised from the CommonMark preset's 20 (about ten list levels), past which
    markdown-it stops parsing and the deeper text would silently stay untranslated.
    """
    return MarkdownIt("commonmark", {"maxNesting": MAX_NESTING}).enable("table").disable("text_join")


@dataclass(frozen=True, slots=True)  # one per segment, kept until the document is written
class _Slot:
    """Where one segment lives in the source and how to add text next to it."""

    segment: int
    start: int  # the inline content, as source offsets
    end: int
    block_end: int  # end of the block's last line (before its newline)
    prefix: str  # what starts a new line in the same container ("> ", list indentation)
    next_blank: bool  # the line after the block is blank (or the file ends)


@dataclass(frozen=True)
class _Skeleton:
    source: str
    slots: tuple[_Slot, ...]


class MarkdownFormat(Format):
    name = "markdown"
    extensions = (".md", ".markdown")
    description = "Markdown (CommonMark + tables): headings, lists, tables, links; code kept"

    def read(self, text: str, source: str) -> Document:
        if looks_like_practice_exam(text):  # a practice exam keeps letters and answer keys intact
            return get_format("questions-md", self.options).read(text, source)
        return read_blocks(text, source, self.name, parser())

    def write(self, document: Document, translations: Mapping[str, str], *, bilingual: Bilingual = False) -> str:
        if document.format != self.name:  # read by the practice-exam reader, see read()
            return get_format(document.format, self.options).write(document, translations, bilingual=bilingual)
        return _apply(document.skeleton.source, markdown_edits(document, document.skeleton, translations, bilingual))


def read_blocks(text: str, source: str, name: str, md: MarkdownIt, parse_text: str | None = None) -> Document:
    """Segments and skeleton of Markdown ``text``, parsed by ``md``. ``parse_text`` (the same
    length and lines as ``text``) is what the parser sees, so a format that embeds Markdown
    (MDX) can blank out what is not Markdown and still splice translations into ``text``."""
    lines = SourceLines(text)
    env: dict[str, Any] = {}
    tokens = _block_tokens(md, _blank_front_matter(text if parse_text is None else parse_text), env)
    _warn_if_cut_by_nesting(tokens, source)
    segments: list[Segment] = []
    slots: list[_Slot] = []
    containers: list[str] = []
    row: list[list[int]] | None = None
    for index, token in enumerate(tokens):
        if index >= 2:
            # Read tokens go as the segments are made (a token is the next one's parent, and a
            # table row looks ahead only): all at once, tokens and segments doubled the peak.
            tokens[index - 2] = _READ
        if token.type in _CONTAINERS:
            containers.append(_CONTAINERS[token.type])
        elif token.type in _CLOSERS:
            containers.pop()
        elif token.type == "tr_open":
            row = _row_positions(tokens, index, lines)
        elif token.type == "inline" and token.content and token.map:
            parent = tokens[index - 1]
            if parent.type in ("th_open", "td_open"):
                kind = "table-cell"
                positions = row.pop(0) if row else None
            elif parent.type == "heading_open":
                kind = "heading"
                positions = _heading_positions(parent, token, lines)
            else:
                kind = containers[-1] if containers else "paragraph"
                positions = block_positions(lines, token.content, token.map[0])
            _parse_inline(md, token, env)
            segment = _segment(f"s{len(segments) + 1}", kind, token, positions, text)
            token.children = None  # one block's inline tokens at a time
            if positions is not None and segment.translate:
                slots.append(_slot(len(segments), kind, parent, token, positions, lines))
            segments.append(segment)
    return Document(source, name, segments, _Skeleton(text, tuple(slots)))


def _block_tokens(md: MarkdownIt, text: str, env: dict[str, Any]) -> list[Token]:
    """markdown-it's tokens of ``text`` with the inline content of each block not yet parsed
    (``_parse_inline`` parses one block's when the reader gets to it), where ``md.parse`` would
    hold every block's inline tokens at once."""
    state = StateCore(text, md, env)
    rules = md.core.ruler.getRules("")
    if rules[-1] is not parse_all_inlines:  # a rule after it would read every block's inline tokens
        return md.parse(text, env)
    for rule in rules[:-1]:
        rule(state)
    return state.tokens


def _parse_inline(md: MarkdownIt, token: Token, env: dict[str, Any]) -> None:
    """What markdown-it's core ``inline`` rule does for one block, with the references and other
    document-wide state the block rules left in ``env``."""
    if token.children:  # parsed already (``_block_tokens`` fell back to a whole parse)
        return
    token.children = []
    md.inline.parse(token.content, md, env, token.children)


def markdown_edits(
    document: Document,
    skeleton: _Skeleton,
    translations: Mapping[str, str],
    bilingual: Bilingual,
    cell_break: str = "<br>",
) -> list[tuple[int, int, str]]:
    """(start, end, replacement) edits of the source that write the translated segments.
    ``cell_break`` joins the two languages of a bilingual table cell (MDX needs ``<br />``)."""
    edits: list[tuple[int, int, str]] = []
    for slot in skeleton.slots:
        segment = document.segments[slot.segment]
        translated = translations.get(segment.id)
        if translated is None or translated == segment.text:
            continue
        edits.extend(_edits(segment, slot, translated, with_source(bilingual, segment.id), cell_break))
    return edits


def _warn_if_cut_by_nesting(tokens: Sequence[Token], source: str) -> None:
    """markdown-it stops parsing blocks nested ``MAX_NESTING`` levels deep (about 48 list levels,
    or 100 quote markers) and drops what is inside; that text stays as it was, so say where."""
    deepest = next((t for t in tokens if t.nesting == 1 and t.level >= MAX_NESTING - 1), None)
    if deepest is None:
        return
    line = f":{deepest.map[0] + 1}" if deepest.map else ""
    warn(
        f"{source}{line}: blocks nested more than {MAX_NESTING} levels deep (lists and quotes count); "
        "the text inside them is left untranslated"
    )


def _blank_front_matter(text: str) -> str:
    """YAML front matter is not Markdown: parse it as blank lines so line numbers still match."""
    match = _FRONT_MATTER.match(text)
    if match is None:
        return text
    return "\n" * match.group().count("\n") + text[match.end() :]


def _row_positions(tokens: Sequence[Token], index: int, lines: SourceLines) -> list[list[int]] | None:
    contents: list[str] = []
    for position in range(index + 1, len(tokens)):  # not tokens[index + 1:]: a copy per row is quadratic
        token = tokens[position]
        if token.type == "tr_close":
            break
        if token.type == "inline":
            contents.append(token.content)
    row_map = tokens[index].map
    if row_map is None:
        return None
    positions = table_row_positions(lines, row_map[0], contents)
    if positions is None:
        return None
    # Only cells with content become segments; cells a short row lacks are empty.
    return [p for p, content in zip(positions, contents, strict=False) if content]


def _heading_positions(heading: Token, inline: Token, lines: SourceLines) -> list[int] | None:
    assert inline.map is not None
    if heading.markup in ("=", "-"):  # setext: content lines above the underline
        return block_positions(lines, inline.content, inline.map[0])
    return heading_positions(lines, inline.content, inline.map[0])


def _segment(seg_id: str, kind: str, token: Token, positions: list[int] | None, source: str) -> Segment:
    line = token.map[0] + 1 if token.map else None
    if positions is not None:
        try:
            text, spans = tagged_inline(token.children or [], token.content, positions, source)
            return Segment(seg_id, kind, text, spans, line=line)
        except SourceMismatch:
            pass
    # Constructs the reader cannot place in the source are left exactly as written.
    return Segment(seg_id, kind, markup.escape(token.content), line=line, translate=False)


def _slot(segment: int, kind: str, parent: Token, token: Token, positions: list[int], lines: SourceLines) -> _Slot:
    block_map = parent.map or token.map  # table cells have only the inline token's (the row)
    assert block_map is not None
    first_line, last_line = block_map[0], block_map[1] - 1
    prefix = lines.text[lines.starts[first_line] : positions[0]]
    if kind == "heading" and parent.markup not in ("=", "-"):
        prefix = prefix.rstrip().rstrip("#")
    return _Slot(
        segment=segment,
        start=positions[0],
        end=positions[-1],
        block_end=lines.line_end(last_line),
        prefix=_continuation(prefix),
        next_blank=lines.is_blank(last_line + 1),
    )


def _continuation(prefix: str) -> str:
    """The prefix of a further line in the same container: markers become spaces, ``>`` stays."""
    return "".join(ch if ch in "> \t" else " " for ch in prefix)


def _edits(
    segment: Segment, slot: _Slot, translated: str, bilingual: bool, cell_break: str = "<br>"
) -> list[tuple[int, int, str]]:
    kind = segment.kind
    options = {
        "line_start": kind not in ("heading", "table-cell"),
        "table": kind == "table-cell",
        "heading": kind == "heading",
    }
    rendered = render_inline(translated, segment.spans, **options)
    if not bilingual:
        return [(slot.start, slot.end, rendered)]
    blank = slot.prefix.rstrip()
    if kind == "heading":
        spans = {code: span for code, span in segment.spans.items() if span.kind != "anchor"}
        english = render_inline(segment.text, spans)
        after = "" if slot.next_blank else f"\n{blank}"
        return [
            (slot.start, slot.end, rendered),
            (slot.block_end, slot.block_end, f"\n{blank}\n{slot.prefix}{english}{after}"),
        ]
    if kind in ("table-cell", "list-item"):
        # Both languages share one inline run here, so the English is escaped the same way as
        # the translation: a stray backtick in one could otherwise pair with one in the other.
        english = render_inline(segment.text, segment.spans, **options)
        if kind == "table-cell":
            return [(slot.start, slot.end, f"{english}{cell_break}{rendered}")]
        return [(slot.start, slot.block_end, f"{english}\\\n{slot.prefix}{rendered}")]
    return [(slot.block_end, slot.block_end, f"\n{blank}\n{slot.prefix}{rendered}")]


def _apply(source: str, edits: list[tuple[int, int, str]]) -> str:
    out: list[str] = []
    pos = 0
    for start, end, replacement in sorted(edits, key=lambda edit: (edit[0], edit[1])):
        out.append(source[pos:start])
        out.append(replacement)
        pos = end
    out.append(source[pos:])
    return "".join(out)
