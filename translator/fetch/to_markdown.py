"""A compact HTML → Markdown converter over a bs4 tree, for pages fetched from the web.

It writes CommonMark plus GFM pipe tables and strikethrough, the dialect the Markdown reader
parses: ATX headings, ``-``/``1.`` lists nested by indentation, fenced code with the language
taken from the ``class`` (``language-python``, ``lang-js`` or a bare ``python`` as AWS docs
write it), links and images with their URLs untouched, emphasis, block quotes. Markup with no
Markdown form (``<sup>``, ``<sub>``) is kept as inline HTML; anything else is reduced to its text.
"""

from __future__ import annotations

import html
import re
from typing import Any

from bs4 import Comment, NavigableString, PageElement, Tag

HEADINGS = {f"h{level}": level for level in range(1, 7)}
BLOCK_CONTAINERS = frozenset(
    "html body main article section div header footer nav aside figure fieldset details dialog "
    "address center hgroup search form".split()
)
BLOCKS = (
    BLOCK_CONTAINERS
    | frozenset(HEADINGS)
    | frozenset(
        "p ul ol li dl dt dd table thead tbody tfoot tr td th caption pre blockquote hr figcaption summary".split()
    )
)
SKIPPED = frozenset(
    "script style noscript template svg math iframe object embed canvas video audio button select input textarea".split()
)
CODE_LANGUAGES = frozenset(
    "bash sh shell console zsh powershell ps python py java javascript js typescript ts json yaml yml xml "
    "html css sql go golang ruby rb rust kotlin scala swift php csharp cs cpp c r ini toml dockerfile hcl "
    "terraform text plaintext diff makefile groovy perl lua dart".split()
)
RAW_INLINE = frozenset({"sup", "sub"})

_WS = re.compile(r"[ \t\n\r\f]+")
_LINE_START_ESCAPE = re.compile(r"^(#{1,6}(?=\s|$)|[>+=-](?=\s|$)|(\d{1,9})([.)])(?=\s|$))")
_INLINE_ESCAPE = re.compile(r"[\\`*\[\]]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])|<(?=[A-Za-z/!?])|&(?=#?\w+;)")
HARD_BREAK = "\\\n"


def html_to_markdown(root: Tag) -> str:
    """Markdown for the content of ``root`` (an element or a whole soup)."""
    blocks = _Converter().blocks(root)
    return "\n\n".join(blocks) + "\n" if blocks else ""


class _Converter:
    def blocks(self, element: Tag) -> list[str]:
        """The Markdown blocks of an element's children, in order."""
        out: list[str] = []
        inline: list[PageElement] = []
        for child in element.children:
            if isinstance(child, Tag) and self._is_block(child):
                self._flush(inline, out)
                inline = []
                out.extend(self.block(child))
            else:
                inline.append(child)
        self._flush(inline, out)
        return [block for block in out if block.strip()]

    def _flush(self, nodes: list[PageElement], out: list[str]) -> None:
        text = _paragraph("".join(self.inline(node) for node in nodes))
        if text:
            out.append(text)

    def _is_block(self, tag: Tag) -> bool:
        if tag.name in BLOCKS:
            return True
        if tag.name in SKIPPED:
            return False
        return any(isinstance(child, Tag) and self._is_block(child) for child in tag.children)

    def block(self, tag: Tag) -> list[str]:
        name = tag.name
        if name in SKIPPED:
            return []
        if _untranslatable(tag):  # an HTML block: the Markdown reader leaves it as it is
            text = _WS.sub(" ", tag.get_text()).strip()
            return [f'<div translate="no">{html.escape(text, quote=False)}</div>'] if text else []
        if name in HEADINGS:
            text = _single_line(self.inline_children(tag))
            return [f"{'#' * HEADINGS[name]} {text}"] if text else []
        if name in ("ul", "ol"):
            return [self.list_block(tag)]
        if name == "pre":
            return [_fence(tag)]
        if name == "blockquote":
            inner = "\n\n".join(self.blocks(tag))
            return ["\n".join(f"> {line}".rstrip() for line in inner.split("\n"))] if inner else []
        if name == "table":
            return self.table_block(tag)
        if name == "hr":
            return ["---"]
        if name == "dt":
            text = _single_line(self.inline_children(tag))
            return [f"**{text}**" if text and not text.startswith("**") else text]
        return self.blocks(tag)

    def list_block(self, tag: Tag) -> str:
        ordered = tag.name == "ol"
        try:
            number = int(str(tag.get("start", "1")))
        except ValueError:
            number = 1
        items: list[str] = []
        for item in tag.find_all("li", recursive=False):
            marker = f"{number}. " if ordered else "- "
            number += 1
            parts = self.blocks(item)
            body = ""
            for index, part in enumerate(parts):
                if index:
                    previous_is_list = _is_list(parts[index - 1])
                    body += "\n" if _is_list(part) and not previous_is_list else "\n\n"
                body += part
            if not body:
                continue
            pad = " " * len(marker)
            lines = body.split("\n")
            items.append("\n".join([marker + lines[0], *((pad + line) if line else "" for line in lines[1:])]).rstrip())
        return "\n".join(items)

    def table_block(self, table: Tag) -> list[str]:
        rows: list[list[str]] = []
        header_cells = False
        for row in _rows(table):
            cells: list[str] = []
            for cell in row.find_all(("td", "th"), recursive=False):
                text = _single_line(self.cell_text(cell)).replace("|", "\\|")
                cells.append(text)
                span = _int(cell.get("colspan"), 1)
                cells.extend([""] * (span - 1))
            if not rows and row.find("th", recursive=False) is not None:
                header_cells = True
            rows.append(cells)
        if not rows:
            return []
        width = max(len(r) for r in rows)
        rows = [r + [""] * (width - len(r)) for r in rows]
        header = rows[0] if header_cells or len(rows) > 1 else [""] * width
        body = rows[1:] if header is rows[0] else rows
        lines = [_pipe_row(header), _pipe_row(["---"] * width), *(_pipe_row(r) for r in body)]
        caption = table.find("caption")
        out = [_paragraph(self.inline_children(caption))] if caption else []
        return [*out, "\n".join(lines)]

    def cell_text(self, cell: Tag) -> str:
        """A cell's content on one line: its blocks joined by spaces (pipe tables hold no blocks)."""
        parts: list[str] = []
        for child in cell.children:
            if isinstance(child, Tag) and child.name == "pre":
                parts.append(_code_span(child.get_text()))
            elif isinstance(child, Tag) and self._is_block(child):
                parts.append(" " + self.cell_text(child) + " ")
            else:
                parts.append(self.inline(child))
        return "".join(parts).replace(HARD_BREAK, " ")

    def inline_children(self, tag: Tag) -> str:
        return "".join(self.inline(child) for child in tag.children)

    def inline(self, node: PageElement) -> str:
        if isinstance(node, Comment) or not isinstance(node, (NavigableString, Tag)):
            return ""
        if isinstance(node, NavigableString):
            return _escape(_WS.sub(" ", str(node))) if type(node) is NavigableString else ""
        name = node.name
        if name in SKIPPED:
            return ""
        if _untranslatable(node):  # kept whole by the Markdown reader, as translate="no" is in HTML
            text = _WS.sub(" ", node.get_text())
            return f'<span translate="no">{html.escape(text, quote=False)}</span>' if text.strip() else text
        if name == "br":
            return HARD_BREAK
        if name == "img":
            return _image(node)
        if name in ("code", "kbd", "samp", "tt", "var"):
            return _code_span(node.get_text())
        if name == "pre":
            return _code_span(node.get_text())
        inner = self.inline_children(node)
        if name == "a":
            return _link(node, inner)
        if name in ("strong", "b"):
            return _wrap(inner, "**")
        if name in ("em", "i", "cite", "dfn"):
            return _wrap(inner, "*")
        if name in ("del", "s", "strike"):
            return _wrap(inner, "~~")
        if name in RAW_INLINE and inner.strip():
            return f"<{name}>{inner}</{name}>"
        if self._is_block(node):
            return f" {inner} "
        return inner


def _untranslatable(tag: Tag) -> bool:
    classes: Any = tag.get("class") or []
    return str(tag.get("translate", "")).lower() == "no" or "notranslate" in classes


def _is_list(block: str) -> bool:
    return bool(re.match(r"(- |\d+\. )", block))


def _rows(table: Tag) -> list[Tag]:
    rows: list[Tag] = []
    for child in table.children:
        if isinstance(child, Tag) and child.name == "tr":
            rows.append(child)
        elif isinstance(child, Tag) and child.name in ("thead", "tbody", "tfoot"):
            rows.extend(child.find_all("tr", recursive=False))
    return rows


def _pipe_row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _int(value: object, default: int) -> int:
    try:
        return max(1, int(str(value)))
    except (TypeError, ValueError):
        return default


def _escape(text: str) -> str:
    return _INLINE_ESCAPE.sub(lambda m: "\\" + m.group(), text)


def _paragraph(text: str) -> str:
    """Tidy inline Markdown into a paragraph: one space between words, no leading block syntax."""
    lines = []
    for line in text.split(HARD_BREAK):
        line = re.sub(r" {2,}", " ", line).strip()
        if line:
            lines.append(_LINE_START_ESCAPE.sub(_escape_line_start, line))
    return HARD_BREAK.join(lines)


def _single_line(text: str) -> str:
    return _paragraph(text.replace(HARD_BREAK, " "))


def _escape_line_start(match: re.Match[str]) -> str:
    if match.group(2):
        return f"{match.group(2)}\\{match.group(3)}"
    return "\\" + match.group(1)


def _wrap(inner: str, marker: str) -> str:
    """Emphasis with the spaces moved outside the markers, where CommonMark needs them."""
    stripped = inner.strip()
    if not stripped:
        return inner
    lead = " " if inner[0].isspace() else ""
    trail = " " if inner[-1].isspace() else ""
    return f"{lead}{marker}{stripped}{marker}{trail}"


def _code_span(text: str) -> str:
    text = _WS.sub(" ", text)
    if not text.strip():
        return ""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _fence(pre: Tag) -> str:
    code = pre.find("code")
    source = code if code is not None else pre
    text = source.get_text().strip("\n")
    language = _language(code) or _language(pre)
    longest = max((len(run) for run in re.findall(r"^`{3,}", text, flags=re.MULTILINE)), default=2)
    fence = "`" * (longest + 1)
    return f"{fence}{language}\n{text}\n{fence}"


def _language(tag: Tag | None) -> str:
    if tag is None:
        return ""
    classes: Any = tag.get("class") or []
    for token in classes.split() if isinstance(classes, str) else classes:
        token = token.lower()
        for prefix in ("language-", "lang-", "highlight-source-"):
            if token.startswith(prefix) and len(token) > len(prefix):
                return token[len(prefix) :]
        if token in CODE_LANGUAGES:
            return token
    return ""


def _link(tag: Tag, inner: str) -> str:
    href = str(tag.get("href") or "").strip()
    if not inner.strip():
        return ""
    if not href or href.lower().startswith("javascript:"):
        return inner
    title = str(tag.get("title") or "")
    lead = " " if inner[0].isspace() else ""
    trail = " " if inner[-1].isspace() else ""
    return f"{lead}[{inner.strip()}]({_destination(href)}{_title(title)}){trail}"


def _image(tag: Tag) -> str:
    src = str(tag.get("src") or "").strip()
    alt = _escape(_WS.sub(" ", str(tag.get("alt") or "")).strip())
    if not src or src.startswith("data:"):
        return alt
    return f"![{alt}]({_destination(src)}{_title(str(tag.get('title') or ''))})"


def _destination(url: str) -> str:
    url = url.replace(" ", "%20")
    if "(" in url or ")" in url:
        return f"<{url}>"
    return url


def _title(title: str) -> str:
    title = _WS.sub(" ", title).strip().replace('"', '\\"')
    return f' "{title}"' if title else ""
