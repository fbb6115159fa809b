"""The units of an HTML page the format translates, found the same way by reader and writer.

``walk`` lists block segments (runs of phrasing content) and translatable attributes in document
order; ``build_block`` turns a block into tagged text. The writer re-parses the page and walks it
again, so both sides agree on every unit without keeping the reader's tree alive.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bs4 import BeautifulSoup, Comment, NavigableString, PageElement, Tag
from bs4.dammit import EntitySubstitution
from bs4.formatter import HTMLFormatter

from ... import markup
from ...segmenter import add_text
from ...types import Span

LEAF_KINDS: dict[str, str] = {
    "p": "paragraph",
    **{f"h{level}": "heading" for level in range(1, 7)},
    "li": "list-item",
    "td": "table-cell",
    "th": "table-cell",
    "dt": "term",
    "dd": "definition",
    "figcaption": "caption",
    "caption": "caption",
    "legend": "caption",
    "title": "title",
    "label": "label",
    "button": "button",
    "option": "option",
    "summary": "summary",
    "blockquote": "blockquote",
}
BLOCKS = frozenset(LEAF_KINDS) | frozenset(
    "html head body div section article main nav header footer aside ul ol dl table thead tbody "
    "tfoot tr colgroup col figure form fieldset details hgroup menu center dialog search hr "
    "address select optgroup datalist pre noscript template frameset".split()
)
PROTECTED = frozenset(
    "code pre kbd samp var script style template svg math noscript textarea iframe object embed "
    "canvas video audio".split()
)
CODE_LIKE = frozenset({"code", "kbd", "samp", "var"})
VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
TRANSLATABLE_ATTRIBUTES = ("alt", "title", "placeholder", "aria-label")
META_TEXT_NAMES = frozenset({"description", "og:title", "og:description", "twitter:title", "twitter:description"})
PAIRED_KINDS = {"a": "link", "b": "strong", "strong": "strong", "em": "em", "i": "em"}

_WS = re.compile(r"[ \t\n\r\f]+")
_LEAD_WS = re.compile(r"^[ \t\n\r\f]*")
_TRAIL_WS = re.compile(r"[ \t\n\r\f]*$")
_LETTER = re.compile(r"[^\W\d_]")


def collapse(text: str) -> str:
    """HTML's own whitespace folding (``&nbsp;`` is not whitespace here)."""
    return _WS.sub(" ", text)


class SourceOrderFormatter(HTMLFormatter):
    """Minimal escaping, attributes in source order (bs4 sorts them), ``&nbsp;`` kept visible."""

    def __init__(self, void_element_close_prefix: str = "/") -> None:
        super().__init__(entity_substitution=_substitute, void_element_close_prefix=void_element_close_prefix)

    def attributes(self, tag: Tag):
        return list((tag.attrs or {}).items())


def _substitute(text: str) -> str:
    return EntitySubstitution.substitute_xml(text).replace("\xa0", "&nbsp;")


def parse_html(text: str) -> BeautifulSoup:
    """Parse with lxml, keeping whitespace-only text (bs4 would shrink it) and attribute strings."""
    return BeautifulSoup(
        text, "lxml", preserve_whitespace_tags={"html", "pre", "textarea"}, multi_valued_attributes=None
    )


@dataclass
class Block:
    """A run of sibling nodes holding phrasing content: one segment."""

    kind: str
    nodes: list[PageElement]
    parent: Tag


@dataclass
class AttributeUnit:
    tag: Tag
    name: str


Unit = Block | AttributeUnit


def walk(root: Tag) -> list[Unit]:
    """Every translatable unit in document order; the reader and writer share it."""
    units: list[Unit] = []
    _container(root, units)
    return units


def _container(element: Tag, units: list[Unit]) -> None:
    _collect_attributes(element, units)
    kind = LEAF_KINDS.get(element.name, "paragraph")
    run: list[PageElement] = []
    for child in list(element.children):
        if _is_inline(child):
            run.append(child)
            continue
        _flush(run, kind, element, units)
        run = []
        if isinstance(child, Tag) and not _is_protected(child):
            _container(child, units)
    _flush(run, kind, element, units)


def _flush(run: list[PageElement], kind: str, parent: Tag, units: list[Unit]) -> None:
    if not run:
        return
    if any(_has_text(node) for node in run):
        units.append(Block(kind, list(run), parent))
    for node in run:
        _collect_inline_attributes(node, units)


def _collect_inline_attributes(node: PageElement, units: list[Unit]) -> None:
    if isinstance(node, Tag) and not _is_protected(node):
        _collect_attributes(node, units)
        for child in node.children:
            _collect_inline_attributes(child, units)


def _collect_attributes(tag: Tag, units: list[Unit]) -> None:
    if tag.name == "meta":
        label = str(tag.get("name") or tag.get("property") or "").lower()
        if label in META_TEXT_NAMES and _LETTER.search(str(tag.get("content") or "")):
            units.append(AttributeUnit(tag, "content"))
        return
    for name in TRANSLATABLE_ATTRIBUTES:
        if _LETTER.search(str(tag.get(name) or "")):
            units.append(AttributeUnit(tag, name))


def _is_protected(tag: Tag) -> bool:
    if tag.name in PROTECTED or str(tag.get("translate", "")).lower() == "no":
        return True
    return "notranslate" in str(tag.get("class") or "").split()


def _is_block(tag: Tag) -> bool:
    """Block-level by name, or an inline element wrapping blocks (``<a><div>…</div></a>``)."""
    if tag.name in BLOCKS:
        return True
    if tag.name in PROTECTED:
        return False  # an <svg>'s own <title> is no block of the page
    return any(isinstance(child, Tag) and _is_block(child) for child in tag.children)


def _is_inline(node: PageElement) -> bool:
    if isinstance(node, Tag):
        return not _is_block(node)
    return type(node) in (NavigableString, Comment)


def _has_text(node: PageElement) -> bool:
    if type(node) is NavigableString:
        return bool(node.strip(" \t\n\r\f"))
    if isinstance(node, Tag) and not _is_protected(node):
        return any(_has_text(child) for child in node.children)
    return False


def _opening(tag: Tag, formatter: HTMLFormatter) -> str:
    """The tag's own markup without its content: ``<a href="…">`` or ``<img …/>``."""
    rendered = tag.copy_self().decode(eventual_encoding=None, formatter=formatter)  # type: ignore[arg-type]  # None: no charset rewritten
    closing = f"</{tag.name}>"
    return rendered[: -len(closing)] if rendered.endswith(closing) else rendered


def _whitespace(match: re.Match[str] | None) -> str:
    """The whitespace a pattern that always matches (``\\s*``) found."""
    return match.group() if match is not None else ""


def build_block(block: Block, formatter: HTMLFormatter) -> tuple[str, dict[str, Span], str, str]:
    """Tagged text of a block, plus the whitespace before and after it (kept as layout)."""
    nodes = block.nodes
    lead = _whitespace(_LEAD_WS.match(str(nodes[0]))) if type(nodes[0]) is NavigableString else ""
    trail = _whitespace(_TRAIL_WS.search(str(nodes[-1]))) if type(nodes[-1]) is NavigableString else ""
    builder = markup.TaggedTextBuilder()
    last = len(nodes) - 1
    for index, node in enumerate(nodes):
        if type(node) is NavigableString:
            text = str(node)
            if index == 0:
                text = text[len(lead) :]
            if index == last:
                text = text[: len(text) - len(trail)] if trail else text
            add_text(builder, collapse(text))
        else:
            _add_node(builder, node, formatter)
    body, spans = builder.build()
    return body, spans, lead, trail


def _add_node(builder: markup.TaggedTextBuilder, node: PageElement, formatter: HTMLFormatter) -> None:
    if type(node) is NavigableString:
        add_text(builder, collapse(str(node)))
    elif isinstance(node, NavigableString):  # comments, ruby text: kept exactly
        builder.protect(node.output_ready(formatter), "html")
    elif isinstance(node, Tag):
        if _is_protected(node):
            kind = "code" if node.name in CODE_LIKE else "html"
            markup_text = node.decode(eventual_encoding=None, formatter=formatter)  # type: ignore[arg-type]  # None: no charset rewritten
            builder.protect(markup_text, kind, tag=node.name, text=node.get_text())
        elif node.name in VOID:
            builder.protect(_opening(node, formatter), "br" if node.name in ("br", "wbr") else "html", tag=node.name)
        else:
            kind = PAIRED_KINDS.get(node.name, "html")
            builder.open(kind, _opening(node, formatter), f"</{node.name}>", tag=node.name)
            for child in node.children:
                _add_node(builder, child, formatter)
            builder.close()
