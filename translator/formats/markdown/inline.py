"""Inline Markdown tokens to tagged text, with every protected piece copied from the source.

markdown-it's inline tokens say what a piece is but not where it came from, and re-rendering a
piece would lose how it was written (``\\.`` escapes, ``__`` versus ``**``, a link title's
quotes). So the walker moves a cursor through the block's content in step with the tokens and
takes each piece's original from the source through the block's position map (see
``source``). Escapes are unescaped for translation (``on\\-demand`` is sent as
``on-demand``); the writer escapes again only what Markdown needs.

Codes produced: ``code`` (inline code), ``url`` (autolinks and bare URLs), ``html`` and ``anchor``
(inline HTML, ``<a name=…></a>``), ``br`` (a hard break, with the next line's prefix) as
protected ``<x/>``; ``strong``, ``em``, ``link`` and ``image`` (alt text) as ``<g>`` pairs whose
opening and closing markup (``[`` … ``](target "title")``) is protected.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import replace

from markdown_it.helpers import parseLinkDestination, parseLinkTitle
from markdown_it.token import Token

from ...markup import TaggedTextBuilder
from ...segmenter import add_text

_ANCHOR_OPEN = re.compile(r"<a\s[^>]*\b(?:name|id)\s*=", re.IGNORECASE)
_ANCHOR_CLOSE = re.compile(r"</a\s*>", re.IGNORECASE)
_NO_TRANSLATE_OPEN = re.compile(
    r"""<([a-z][a-z0-9]*)\b[^>]*\b(?:translate\s*=\s*["']?no\b|class\s*=\s*["'][^"']*\bnotranslate\b)""",
    re.IGNORECASE,
)
_SPACES = " \t"


class _Following(Sequence[Token]):
    """The tokens after one, without copying them: slicing the rest for every token made a
    paragraph of many inline tokens (50,000 ``*``) quadratic."""

    def __init__(self, tokens: Sequence[Token], start: int) -> None:
        self._tokens = tokens
        self._start = start

    def __len__(self) -> int:
        return max(0, len(self._tokens) - self._start)

    def __getitem__(self, index: int) -> Token:  # type: ignore[override]
        if not 0 <= index < len(self):
            raise IndexError(index)
        return self._tokens[self._start + index]

    def __iter__(self) -> Iterator[Token]:
        for position in range(self._start, len(self._tokens)):
            yield self._tokens[position]


class SourceMismatch(Exception):
    """The tokens did not line up with the source; the block is then kept as it is."""


def tagged_inline(children: Sequence[Token], content: str, positions: Sequence[int], source: str) -> tuple[str, dict]:
    """Tagged text and spans for one inline token (its children, content and position map)."""
    walker = _Walker(content, positions, source)
    walker.walk(children)
    if walker.cursor != len(content):
        raise SourceMismatch(f"stopped at {walker.cursor} of {len(content)}")
    walker.flush()
    return walker.builder.build()


class _Walker:
    def __init__(self, content: str, positions: Sequence[int], source: str) -> None:
        self.content = content
        self.positions = positions
        self.source = source
        self.cursor = 0
        self.builder = TaggedTextBuilder()
        self._pending: list[str] = []
        self._open_links: list[tuple[str, int]] = []  # code id, where its "[" is

    # -- moving through the content ------------------------------------------------------------

    def original(self, start: int, end: int) -> str:
        return self.source[self.positions[start] : self.positions[end]]

    def expect(self, text: str) -> None:
        if not self.content.startswith(text, self.cursor):
            raise SourceMismatch(f"expected {text!r} at {self.cursor}")
        self.cursor += len(text)

    def skip(self, chars: str) -> None:
        while self.cursor < len(self.content) and self.content[self.cursor] in chars:
            self.cursor += 1

    def flush(self) -> None:
        if self._pending:
            add_text(self.builder, "".join(self._pending))
            self._pending.clear()

    def protect(self, start: int, kind: str) -> None:
        self.flush()
        self.builder.protect(self.original(start, self.cursor), kind)

    # -- tokens: each handler returns how many following tokens it consumed too ------------------

    def walk(self, children: Sequence[Token]) -> None:
        handlers = {
            "text": self._text,
            "text_special": self._escaped,
            "softbreak": self._softbreak,
            "hardbreak": self._hardbreak,
            "code_inline": self._code_span,
            "strong_open": self._emphasis_open,
            "em_open": self._emphasis_open,
            "strong_close": self._emphasis_close,
            "em_close": self._emphasis_close,
            "link_open": self._link_open,
            "link_close": self._link_close,
            "image": self._image,
            "html_inline": self._html,
        }
        index = 0
        while index < len(children):
            token = children[index]
            handler = handlers.get(token.type)
            if handler is None:
                raise SourceMismatch(f"unexpected inline token {token.type}")
            index += 1 + handler(token, _Following(children, index + 1))

    def _text(self, token: Token, following: Sequence[Token]) -> int:
        self.expect(token.content)
        self._pending.append(token.content)
        return 0

    def _escaped(self, token: Token, following: Sequence[Token]) -> int:
        """A backslash escape or an entity: its meaning is translated, the writer re-escapes."""
        self.expect(token.markup)
        self._pending.append(token.content)
        return 0

    def _softbreak(self, token: Token, following: Sequence[Token]) -> int:
        self.skip(" ")
        self.expect("\n")
        self.skip(_SPACES)
        self._pending.append(" ")
        return 0

    def _hardbreak(self, token: Token, following: Sequence[Token]) -> int:
        start = self.cursor
        self.skip(" ")
        if self.content.startswith("\\", self.cursor):
            self.cursor += 1
        self.expect("\n")
        self.skip(_SPACES)
        self.protect(start, "br")
        return 0

    def _code_span(self, token: Token, following: Sequence[Token]) -> int:
        start = self.cursor
        self.expect(token.markup)
        closing = re.compile(rf"(?<!`){re.escape(token.markup)}(?!`)").search(self.content, self.cursor)
        if closing is None:
            raise SourceMismatch("unterminated code span")
        self.cursor = closing.end()
        self.protect(start, "code")
        return 0

    def _emphasis_open(self, token: Token, following: Sequence[Token]) -> int:
        self.expect(token.markup)
        self.flush()
        self.builder.open(token.type.removesuffix("_open"), token.markup, token.markup)
        return 0

    def _emphasis_close(self, token: Token, following: Sequence[Token]) -> int:
        self.expect(token.markup)
        self.flush()
        self.builder.close()
        return 0

    def _link_open(self, token: Token, following: Sequence[Token]) -> int:
        if token.markup == "autolink":  # <https://…>: protected whole, with its text and close
            start = self.cursor
            end = self.content.find(">", start)
            if end == -1:
                raise SourceMismatch("unterminated autolink")
            self.cursor = end + 1
            self.protect(start, "url")
            return next(i for i, t in enumerate(following) if t.type == "link_close") + 1
        self.expect("[")
        self.flush()
        code_id = self.builder.open("link", "[", "", href=str(token.attrGet("href") or ""))
        self._open_links.append((code_id, self.cursor))
        return 0

    def _link_close(self, token: Token, following: Sequence[Token]) -> int:
        self.close_bracket(*self._open_links.pop())
        return 0

    def _image(self, token: Token, following: Sequence[Token]) -> int:
        self.expect("![")
        self.flush()
        code_id = self.builder.open("image", "![", "", src=str(token.attrGet("src") or ""))
        label_start = self.cursor
        self.walk(token.children or [])
        self.close_bracket(code_id, label_start)
        return 0

    def _html(self, token: Token, following: Sequence[Token]) -> int:
        """Inline HTML is protected; ``<a name=…></a>`` together, as one anchor."""
        start = self.cursor
        self.expect(token.content)
        closing = following[0] if following else None
        if (
            _ANCHOR_OPEN.match(token.content)
            and closing is not None
            and closing.type == "html_inline"
            and _ANCHOR_CLOSE.fullmatch(closing.content)
        ):
            self.expect(closing.content)
            self.protect(start, "anchor")
            return 1
        consumed = self._skip_untranslatable(token, following)
        self.protect(start, "html")
        return consumed

    def _skip_untranslatable(self, token: Token, following: Sequence[Token]) -> int:
        """``<span translate="no">…</span>`` (or class ``notranslate``): the element is kept whole,
        as in HTML. Returns how many following tokens it spans; the cursor moves past its close."""
        opening = _NO_TRANSLATE_OPEN.match(token.content)
        if not opening:
            return 0
        name = opening.group(1).lower()
        depth = 1
        for index, later in enumerate(following):
            if later.type != "html_inline":
                continue
            if re.match(rf"<{name}\b", later.content, re.IGNORECASE):
                depth += 1
            elif re.fullmatch(rf"</{name}\s*>", later.content, re.IGNORECASE):
                depth -= 1
                if depth == 0:
                    end = self.content.find(later.content, self.cursor)
                    if end == -1:
                        raise SourceMismatch("closing tag of a translate=no element not found")
                    self.cursor = end + len(later.content)
                    return index + 1
        return 0

    def close_bracket(self, code_id: str, label_start: int) -> None:
        """End a link or image: ``](target "title")`` or ``][label]`` becomes its protected closing.

        A collapsed (``[text][]``) or shortcut (``[text]``) reference uses its text as the label,
        which translation would break, so its closing names the label: ``][text]``.
        """
        start = self.cursor
        self.expect("]")
        self.cursor = _link_tail_end(self.content, self.cursor)
        closing = self.original(start, self.cursor)
        if closing in ("]", "][]"):
            label = re.sub(r"\s+", " ", self.content[label_start:start])
            closing = f"][{label}]"
        self.flush()
        span = self.builder.spans[code_id]
        self.builder.spans[code_id] = replace(span, closing=closing)
        self.builder.close()


def _link_tail_end(text: str, pos: int) -> int:
    """Where a link's tail ends, given the position just after its ``]`` (as markdown-it decides)."""
    limit = len(text)
    if pos < limit and text[pos] == "(":
        end = _inline_target_end(text, pos + 1, limit)
        if end is not None:
            return end
    if pos < limit and text[pos] == "[":
        end = _label_end(text, pos)
        if end is not None:
            return end
    return pos


def _inline_target_end(text: str, pos: int, limit: int) -> int | None:
    pos = _skip_space(text, pos, limit)
    if pos >= limit:
        return None
    destination = parseLinkDestination(text, pos, limit)
    if destination.ok:
        pos = destination.pos
        after_destination = pos
        pos = _skip_space(text, pos, limit)
        title = parseLinkTitle(text, pos, limit)
        if pos < limit and pos != after_destination and title.ok:
            pos = _skip_space(text, title.pos, limit)
    if pos < limit and text[pos] == ")":
        return pos + 1
    return None


def _label_end(text: str, pos: int) -> int | None:
    """End of a ``[label]`` starting at ``pos``: backslash escapes, nested brackets balanced."""
    depth = 0
    index = pos
    while index < len(text):
        ch = text[index]
        if ch == "\\":
            index += 2
            continue
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
            if depth == 0:
                return index + 1
        index += 1
    return None


def _skip_space(text: str, pos: int, limit: int) -> int:
    while pos < limit and text[pos] in " \t\n":
        pos += 1
    return pos
