"""Tagged text: build it in readers, send it to backends, check it, and render it in writers.

See ``translator.types`` for the two inline codes (``<g id>…</g>`` and ``<x id/>``). Keeping
protected text out of the tagged string (it lives in ``Span.opening``) is what guarantees it comes
back byte-identical whatever a backend does to the tags' neighbourhood.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from typing import Literal, NamedTuple

from .types import Finding, Span

TAG_RE = re.compile(r"<\s*(/?)\s*([gx])\b([^>]*?)(/?)\s*>", re.IGNORECASE)
ID_RE = re.compile(r"""\bid\s*=\s*["']([^"']*)["']""")
PLACEHOLDER_RE = re.compile(r"⟦(/?)(\d+)⟧")

BackendMarkup = Literal["xml", "html", "placeholder"]
# Protected words an engine should see for grammar (it is told to leave them alone).
CONTEXT_KINDS = frozenset({"term", "code"})


def escape(text: str) -> str:
    """Escape plain text for a tagged string (quotes are left alone: they are prose)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def unescape(text: str) -> str:
    return html.unescape(text)


class Token(NamedTuple):
    """A piece of tagged text. A named tuple, not a dataclass: every check of every segment
    walks its texts' tokens, and a tuple is made several times faster."""

    kind: Literal["text", "x", "open", "close"]
    value: str  # plain text for "text", the code id otherwise


def tokens(tagged: str) -> Iterator[Token]:
    """Split tagged text into plain-text runs and codes; tolerant of how backends echo tags."""
    if "<" not in tagged:  # no code at all (most translations of prose): one text run
        if tagged:
            yield Token("text", unescape(tagged))
        return
    pos = 0
    for match in TAG_RE.finditer(tagged):
        if match.start() < pos:  # inside an echoed <x>…</x> already consumed
            continue
        if match.start() > pos:
            yield Token("text", unescape(tagged[pos : match.start()]))
        closing_slash, name, attrs, self_closing = match.groups()
        id_match = ID_RE.search(attrs)
        code_id = id_match.group(1) if id_match else ""
        name = name.lower()
        if closing_slash:
            yield Token("close", code_id)
        elif name == "x":
            yield Token("x", code_id)
            if not self_closing:
                # "<x id=1>kept</x>" as echoed by ignore_tags: skip to the matching close.
                end = tagged.find("</x>", match.end())
                if end == -1:
                    end = match.end()
                    pos = end
                    continue
                pos = end + len("</x>")
                continue
        else:
            yield Token("open", code_id)
        pos = match.end()
    if pos < len(tagged):
        yield Token("text", unescape(tagged[pos:]))


class TaggedTextBuilder:
    """Accumulates text and inline codes while a reader walks its source."""

    def __init__(self, id_prefix: str = "") -> None:
        self._parts: list[str] = []
        self.spans: dict[str, Span] = {}
        self._stack: list[str] = []
        self._prefix = id_prefix

    def _next_id(self) -> str:
        return f"{self._prefix}{len(self.spans) + 1}"

    def text(self, plain: str) -> None:
        self._parts.append(escape(plain))

    def protect(self, original: str, kind: str, **attrs: str) -> str:
        code_id = self._next_id()
        self.spans[code_id] = Span(code_id, kind, original, attrs=dict(attrs))
        self._parts.append(f'<x id="{code_id}"/>')
        return code_id

    def open(self, kind: str, opening: str, closing: str, **attrs: str) -> str:
        code_id = self._next_id()
        self.spans[code_id] = Span(code_id, kind, opening, closing, paired=True, attrs=dict(attrs))
        self._parts.append(f'<g id="{code_id}">')
        self._stack.append(code_id)
        return code_id

    def close(self) -> None:
        self._stack.pop()
        self._parts.append("</g>")

    def build(self) -> tuple[str, dict[str, Span]]:
        while self._stack:
            self.close()
        return "".join(self._parts), dict(self.spans)


def render(tagged: str, spans: dict[str, Span], escape_text: Callable[[str], str] = lambda s: s) -> str:
    """Rebuild a format's text: plain runs escaped for the format, codes replaced by originals."""
    out: list[str] = []
    open_ids: list[str] = []
    for token in tokens(tagged):
        if token.kind == "text":
            out.append(escape_text(token.value))
        elif token.kind == "x":
            span = spans.get(token.value)
            if span is not None:
                out.append(span.opening)
        elif token.kind == "open":
            span = spans.get(token.value)
            open_ids.append(token.value)
            if span is not None:
                out.append(span.opening)
        else:
            code_id = open_ids.pop() if open_ids else token.value
            span = spans.get(code_id)
            if span is not None:
                out.append(span.closing)
    for code_id in reversed(open_ids):
        span = spans.get(code_id)
        if span is not None:
            out.append(span.closing)
    return "".join(out)


def plain(tagged: str, spans: dict[str, Span], *, keep_protected: bool = True, gap: str = "") -> str:
    """The text a reader sees: codes dropped, protected originals kept (or replaced by ``gap``,
    which keeps the words on either side of a dropped code from reading as one phrase)."""
    out: list[str] = []
    for token in tokens(tagged):
        if token.kind == "text":
            out.append(token.value)
        elif token.kind == "x" and not keep_protected:
            out.append(gap)
        elif token.kind == "x":
            span = spans.get(token.value)
            if span is None or span.kind in ("anchor", "html"):
                continue
            # A line break separates words ("Note" / "Unless" must not read as "NoteUnless").
            out.append("\n" if span.kind == "br" else visible_text(span))
    return "".join(out)


def visible_text(span: Span) -> str:
    """What a reader sees of protected text: HTML code keeps its markup in ``opening`` and its
    visible words in ``attrs["text"]``."""
    return span.attrs.get("text", span.opening)


def has_translatable_text(tagged: str) -> bool:
    """False for segments made only of codes, numbers and punctuation: nothing to send."""
    return any(tok.kind == "text" and re.search(r"[^\W\d_]", tok.value) for tok in tokens(tagged))


def to_backend(tagged: str, spans: dict[str, Span], mode: BackendMarkup) -> str:
    """Tagged text as a backend should receive it.

    ``xml``: standalone codes carry their original inside (``<x id="3">S3</x>``) so the engine
    sees the words for context while ``ignore_tags`` keeps it from changing them.
    ``html``: the same, marked ``translate="no"`` (which HTML-aware engines such as Amazon
    Translate and Google honour), and never self-closing: HTML parsers ignore ``/>`` on unknown
    elements, so ``<x/>`` would swallow the text after it.
    ``placeholder``: for engines without tag handling, codes become ``⟦3⟧`` / ``⟦1⟧…⟦/1⟧``.
    """
    out: list[str] = []
    open_ids: list[str] = []
    for token in tokens(tagged):
        if token.kind == "text":
            out.append(escape(token.value) if mode != "placeholder" else token.value)
        elif token.kind == "x":
            span = spans.get(token.value)
            if mode == "placeholder":
                out.append(f"⟦{token.value}⟧")
            else:
                inner = escape(visible_text(span)) if span is not None and span.kind in CONTEXT_KINDS else ""
                if mode == "html":
                    out.append(f'<x id="{token.value}" translate="no">{inner}</x>')
                else:
                    out.append(f'<x id="{token.value}">{inner}</x>' if inner else f'<x id="{token.value}"/>')
        elif token.kind == "open":
            open_ids.append(token.value)
            out.append(f"⟦{token.value}⟧" if mode == "placeholder" else f'<g id="{token.value}">')
        else:
            code_id = open_ids.pop() if open_ids else token.value
            out.append(f"⟦/{code_id}⟧" if mode == "placeholder" else "</g>")
    return "".join(out)


def from_backend(text: str, mode: BackendMarkup) -> str:
    """Normalise a backend's answer back into canonical tagged text."""
    if mode == "placeholder":
        parts: list[str] = []
        pos = 0
        for match in PLACEHOLDER_RE.finditer(text):
            parts.append(escape(text[pos : match.start()]))
            closing, code_id = match.groups()
            parts.append("</g>" if closing else f'<g id="{code_id}">')
            pos = match.end()
        parts.append(escape(text[pos:]))
        joined = "".join(parts)
        # A placeholder with no closing partner is a standalone code.
        for code_id in re.findall(r'<g id="(\d+)">', joined):
            if f"⟦/{code_id}⟧" not in text:
                joined = joined.replace(f'<g id="{code_id}">', f'<x id="{code_id}"/>', 1)
        return _rebalance(joined)
    return canonical(text)


def code_markup(token: Token) -> str:
    """A code token in the canonical spelling, for code that rebuilds tagged text token by token."""
    if token.kind == "x":
        return f'<x id="{token.value}"/>'
    if token.kind == "open":
        return f'<g id="{token.value}">'
    return "</g>"


def canonical(tagged: str) -> str:
    """Rewrite tags to the canonical spelling and entities to the minimal escape set."""
    out = [escape(token.value) if token.kind == "text" else code_markup(token) for token in tokens(tagged)]
    return _rebalance("".join(out))


def _rebalance(tagged: str) -> str:
    """Drop stray closing tags and close what is left open, so rendering stays well formed."""
    out: list[str] = []
    depth = 0
    for piece in re.split(r'(<g id="[^"]*">|</g>)', tagged):
        if piece == "</g>":
            if depth == 0:
                continue
            depth -= 1
        elif piece.startswith("<g id="):
            depth += 1
        out.append(piece)
    out.extend("</g>" * depth)
    return "".join(out)


def code_ids(tagged: str) -> list[str]:
    return [tok.value for tok in tokens(tagged) if tok.kind in ("x", "open")]


def repair_codes(source: str, translated: str, segment_id: str) -> tuple[str, list[Finding]]:
    """Make a translation carry exactly the source's codes; report what had to be fixed.

    A lost protected code (an inline code, a URL) would silently drop content from the output, so
    it is appended at the end of the translation rather than lost; duplicated or invented codes are
    removed.
    """
    findings: list[Finding] = []
    codes = [tok for tok in tokens(source) if tok.kind in ("x", "open")]  # one walk of the source
    wanted = [tok.value for tok in codes]
    wanted_set = set(wanted)
    source_x = {tok.value for tok in codes if tok.kind == "x"}
    seen: set[str] = set()
    out: list[str] = []
    skip_close: list[bool] = []
    for token in tokens(translated):
        if token.kind == "text":
            out.append(escape(token.value))
        elif token.kind in ("x", "open"):
            valid = token.value in wanted_set and token.value not in seen
            if token.kind == "open":
                skip_close.append(not valid)
            if not valid:
                continue
            seen.add(token.value)
            if token.kind == "x" or token.value in source_x:
                out.append(f'<x id="{token.value}"/>')
                if token.kind == "open":
                    skip_close[-1] = True
            else:
                out.append(f'<g id="{token.value}">')
        else:
            if skip_close and skip_close.pop():
                continue
            out.append("</g>")
    missing = [code_id for code_id in wanted if code_id not in seen]
    for code_id in missing:
        if code_id in source_x:
            out.append(f'<x id="{code_id}"/>')
    if missing:
        findings.append(
            Finding(
                segment_id,
                "tags.missing",
                "functional",
                f"the translation lost inline code(s) {', '.join(missing)}; protected text was appended",
                repaired=True,
            )
        )
    return _rebalance("".join(out)), findings
