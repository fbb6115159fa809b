"""Tagged text back to Markdown inline text that parses to the same tree.

Protected pieces and link/emphasis markup are written as they were in the source. Translated text
is escaped only where Markdown would otherwise read it as markup: ``*``, `````, ``[``, ``]``
always; ``_`` unless it sits inside a word; ``\\`` before punctuation; ``<`` before what could be
a tag; ``&`` before what could be an entity; ``!`` before a link; ``|`` in table cells; and the
block markers (``#``, ``>``, ``-``, ``+``, ``=``, ``~``, ``1.``) where a line starts.

Emphasis needs care across languages: CommonMark only opens ``**`` if the run is "left-flanking",
which fails for ``これは**「重要」**です`` (a letter before, punctuation after). Where a delimiter
would not flank, ``_`` becomes ``*`` and, if that is not enough, a space is put outside it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ... import markup
from ...types import Span

_ASCII_PUNCT = set("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_ORDERED_MARKER = re.compile(r"[0-9]{1,9}[.)](?=[ \t]|\Z)")
_MAYBE_ESCAPED = re.compile(r"[*`\[\]\\_<&!|]")  # every character escape_text may escape anywhere
_EMPHASIS = ("strong", "em")


@dataclass
class _Piece:
    kind: str  # text | raw | open | close
    value: str
    span: Span | None = None


def render_inline(
    tagged: str, spans: dict[str, Span], *, line_start: bool = True, table: bool = False, heading: bool = False
) -> str:
    """Markdown for a translated segment, to be put where the source's inline content was.

    ``line_start``: the content begins a line (paragraphs, list items), so block markers at its
    start need escaping. ``table``: inside a table cell, pipes are escaped. ``heading``: a
    trailing ``#`` run would be taken for a closing sequence.
    """
    pieces = _move_space_out_of_emphasis(_pieces(tagged, spans))
    _trim(pieces)
    texts = _escape_texts(pieces, line_start=line_start, table=table)
    _fix_flanking(pieces, texts)
    out = "".join(texts)
    if heading and pieces and pieces[-1].kind == "text":
        out = re.sub(r"(^|[ \t])(#+)$", r"\1\\\2", out)
    return out


def _pieces(tagged: str, spans: dict[str, Span]) -> list[_Piece]:
    pieces: list[_Piece] = []
    open_spans: list[Span | None] = []
    for token in markup.tokens(tagged):
        if token.kind == "text":
            pieces.append(_Piece("text", token.value.replace("\r", "").replace("\n", " ")))
        elif token.kind == "x":
            span = spans.get(token.value)
            if span is not None:
                pieces.append(_Piece("raw", span.opening, span))
        elif token.kind == "open":
            span = spans.get(token.value)
            open_spans.append(span)
            if span is not None:
                pieces.append(_Piece("open", span.opening, span))
        else:
            span = open_spans.pop() if open_spans else spans.get(token.value)
            if span is not None:
                pieces.append(_Piece("close", span.closing, span))
    for span in reversed(open_spans):
        if span is not None:
            pieces.append(_Piece("close", span.closing, span))
    return pieces


def _is_emphasis(piece: _Piece) -> bool:
    return piece.span is not None and piece.span.kind in _EMPHASIS and piece.kind in ("open", "close")


def _move_space_out_of_emphasis(pieces: list[_Piece]) -> list[_Piece]:
    """``**<space>word**`` would not parse as bold: spaces belong outside the delimiters."""
    moved: list[_Piece] = []
    for index, piece in enumerate(pieces):
        following = pieces[index + 1] if index + 1 < len(pieces) else None
        if _is_emphasis(piece) and piece.kind == "open" and following is not None and following.kind == "text":
            stripped = following.value.lstrip()
            if stripped != following.value:
                following.value = stripped
                moved.append(_Piece("text", " "))
        moved.append(piece)
        if _is_emphasis(piece) and piece.kind == "close" and len(moved) > 1 and moved[-2].kind == "text":
            stripped = moved[-2].value.rstrip()
            if stripped != moved[-2].value:
                moved[-2].value = stripped
                moved.append(_Piece("text", " "))
    return moved


def _trim(pieces: list[_Piece]) -> None:
    """Whitespace around a segment is the writer's business, not the translation's."""
    if pieces and pieces[0].kind == "text":
        pieces[0].value = pieces[0].value.lstrip()
    if pieces and pieces[-1].kind == "text":
        pieces[-1].value = pieces[-1].value.rstrip()


def _escape_texts(pieces: list[_Piece], *, line_start: bool, table: bool) -> list[str]:
    texts: list[str] = []
    at_line_start = line_start
    before = ""  # the last character written so far
    for index, piece in enumerate(pieces):
        if piece.kind != "text":
            texts.append(piece.value)
            if piece.value:
                at_line_start = "\n" in piece.value
                before = piece.value[-1]
            continue
        after = next((p.value[:1] for p in pieces[index + 1 :] if p.value), "")
        texts.append(escape_text(piece.value, before, after, line_start=at_line_start, table=table))
        before = texts[-1][-1:] or before
        if piece.value:
            at_line_start = False
    return texts


def escape_text(text: str, before: str, after: str, *, line_start: bool, table: bool) -> str:
    """Escape one run of plain text, given the characters written just before and after it."""
    marker_at = len(text) - len(text.lstrip(" \t")) if line_start else -1
    ordered = _ORDERED_MARKER.match(text, marker_at) if marker_at >= 0 else None
    # Only the characters that may need a backslash are decided (those of ``_MAYBE_ESCAPED``, the
    # block marker, the ordered list marker's end) and the runs between them copied whole: deciding
    # every character was most of a large document's writing, and most runs hold none of them.
    candidates = {match.start() for match in _MAYBE_ESCAPED.finditer(text)}
    if 0 <= marker_at < len(text):
        candidates.add(marker_at)
    if ordered is not None:
        candidates.add(ordered.end() - 1)
    out: list[str] = []
    copied = 0
    for index in sorted(candidates):
        if _needs_backslash(text, index, before, after, marker_at, ordered, table=table):
            out.append(text[copied:index])
            out.append("\\")
            copied = index
    out.append(text[copied:])
    return "".join(out)


def _needs_backslash(
    text: str, index: int, before: str, after: str, marker_at: int, ordered: re.Match[str] | None, *, table: bool
) -> bool:
    ch = text[index]
    prev = text[index - 1] if index else before
    nxt = text[index + 1] if index + 1 < len(text) else after
    if index == marker_at and _starts_block(ch, nxt):
        return True
    if ordered is not None and index == ordered.end() - 1:
        return True
    if ch in "*`[]":
        return True
    if ch == "\\":
        return nxt == "" or nxt in _ASCII_PUNCT
    if ch == "_":
        return not (_is_word(prev) and _is_word(nxt))
    if ch == "<":
        return nxt == "" or nxt in "/!?" or (nxt.isascii() and nxt.isalpha())
    if ch == "&":
        return _ENTITY.match(text, index) is not None
    if ch == "!":  # before a link's "[" (a "[" in the text is escaped anyway)
        return index == len(text) - 1 and after == "["
    if ch == "|":
        return table
    return False


def _starts_block(ch: str, nxt: str) -> bool:
    if ch in "#>+":
        return True
    if ch in "-=":
        return nxt in ("", " ", "\t", ch)
    return ch == "~" and nxt == "~"


def _is_word(ch: str) -> bool:
    return bool(ch) and ch.isalnum()


def _is_space(ch: str) -> bool:
    return ch == "" or ch.isspace()


def _is_punct(ch: str) -> bool:
    return bool(ch) and (ch in _ASCII_PUNCT or unicodedata.category(ch)[0] in "PS")


def _flanks(delimiter: str, before: str, after: str, *, opening: bool) -> bool:
    """CommonMark's rule for whether a delimiter run can open (or close) emphasis here."""
    left = not _is_space(after) and (not _is_punct(after) or _is_space(before) or _is_punct(before))
    right = not _is_space(before) and (not _is_punct(before) or _is_space(after) or _is_punct(after))
    if delimiter.startswith("_"):
        if opening:
            return left and (not right or _is_punct(before))
        return right and (not left or _is_punct(after))
    return left if opening else right


def _fix_flanking(pieces: list[_Piece], texts: list[str]) -> None:
    """Make every emphasis delimiter flank; see the module docstring."""
    partners: dict[int, int] = {}
    stack: list[int] = []
    for index, piece in enumerate(pieces):
        if _is_emphasis(piece) and piece.kind == "open":
            stack.append(index)
        elif _is_emphasis(piece) and piece.kind == "close" and stack:
            partners[stack.pop()] = index
    for open_index, close_index in partners.items():
        for index, opening in ((open_index, True), (close_index, False)):
            if _delimiter_flanks(texts, index, opening):
                continue
            if "_" in texts[index]:
                texts[open_index] = texts[open_index].replace("_", "*")
                texts[close_index] = texts[close_index].replace("_", "*")
                if _delimiter_flanks(texts, index, opening):
                    continue
            if opening:
                texts[index] = " " + texts[index]
            else:
                texts[index] = texts[index] + " "


def _delimiter_flanks(texts: list[str], index: int, opening: bool) -> bool:
    before = "".join(texts[:index])[-1:]
    after = "".join(texts[index + 1 :])[:1]
    return _flanks(texts[index].strip(), before, after, opening=opening)
