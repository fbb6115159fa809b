"""Canonical formatting of a YAML glossary, so that reviews of glossary changes show only changes.

Canonical means: ``version``/``language``/``entries`` in that order; entries sorted by term
(case-insensitively); keys in the schema's order (term, aliases, case, keep, pos, domain, source,
note, targets; preferred, allowed, forbidden, note); lists in flow style; prose (``source``,
``note``) double-quoted; other text plain unless YAML needs quotes. PyYAML drops comments, so they
are carried over by line: the leading block stays at the top and comment lines within or just
before an entry travel with that entry (an end-of-line comment becomes a line above the entry).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from ..errors import GlossaryError
from ..writes import write_output
from .loader import COMPOSER, ENTRY_KEYS, TARGET_KEYS, ParsedFile, line_of, parse_yaml

PROSE_KEYS = frozenset({"source", "note"})
INDENT_ENTRY = "    "
INDENT_LANG = "      "
INDENT_TARGET = "        "


@dataclass
class _Block:
    """One entry's node with the comment lines that travel with it."""

    node: yaml.MappingNode
    term: str
    comments: list[str] = field(default_factory=list)


def format_text(text: str, path: str = "<glossary>") -> str:
    """The canonical form of a glossary file's text; raises ``GlossaryError`` if it has errors."""
    parsed = parse_yaml(path, text)
    if parsed.errors:
        first = parsed.errors[0]
        raise GlossaryError(f"cannot format a file with errors: {first.message}", path=path, line=first.line)
    return render(parsed, text)


def format_file(path: Path, *, check: bool = False) -> bool:
    """Format one file in place (or only compare, with ``check``); True if it was not canonical."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise GlossaryError("no such glossary file", path=str(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise GlossaryError(f"cannot read: {exc}", path=str(path)) from None
    formatted = format_text(text, str(path))
    if formatted == text:
        return False
    if not check:
        # Atomically: an interrupted fmt must not leave a team's glossary half-written.
        write_output(str(path), formatted.encode("utf-8"))
    return True


def render(parsed: ParsedFile, text: str) -> str:
    lines = text.splitlines()
    comments = _comment_lines(lines, parsed.root)
    leads = [_lead_start(lines, comments, line_of(node) - 1) for node in parsed.nodes]
    header_end = leads[0] if leads else len(lines)
    header = [comments.pop(i) for i in sorted(comments) if i < header_end]
    blocks: list[_Block] = []
    for index, node in enumerate(parsed.nodes):
        end = leads[index + 1] if index + 1 < len(leads) else _last_content_line(lines, comments) + 1
        own = [comments.pop(i) for i in sorted(comments) if i < end]
        blocks.append(_Block(node, parsed.entries[index].term, own))
    trailing = [comments.pop(i) for i in sorted(comments)]
    blocks.sort(key=lambda b: (b.term.casefold(), b.term))

    out: list[str] = [*header, "version: 1", "language: en", "entries:" if blocks else "entries: []"]
    for block in blocks:
        out.extend(f"  {comment}" for comment in block.comments)
        out.extend(_entry_lines(block.node))
    out.extend(trailing)
    return "\n".join(out) + "\n"


def _entry_lines(node: yaml.MappingNode) -> list[str]:
    values = {key.value: value for key, value in node.value}
    out: list[str] = []
    for key in ENTRY_KEYS:
        if key not in values:
            continue
        value = values[key]
        prefix = "  - " if not out else INDENT_ENTRY
        if key == "targets":
            if isinstance(value, yaml.MappingNode) and value.value:
                out.append(f"{prefix}targets:")
                for lang_node, target in sorted(value.value, key=lambda kv: kv[0].value):
                    out.append(f"{INDENT_LANG}{lang_node.value}:")
                    fields = {k.value: v for k, v in target.value}
                    out.extend(
                        f"{INDENT_TARGET}{name}: {_value(fields[name], name)}" for name in TARGET_KEYS if name in fields
                    )
            continue
        out.append(f"{prefix}{key}: {_value(value, key)}")
    return out


def _value(node: yaml.Node, key: str) -> str:
    if isinstance(node, yaml.SequenceNode):
        return "[" + ", ".join(_scalar(item, flow=True) for item in node.value) + "]"
    if key in PROSE_KEYS:
        return _quoted(str(_construct(node)).strip())
    return _scalar(node, flow=False)


def _scalar(node: yaml.Node, *, flow: bool) -> str:
    value = _construct(node)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    text = str(value)
    return text if _plain_ok(text, flow) else _quoted(text)


def _construct(node: yaml.Node) -> object:
    return yaml.SafeLoader("").construct_object(node, deep=True)


def _quoted(text: str) -> str:
    """YAML double-quoted style (JSON string escapes are valid YAML escapes)."""
    return json.dumps(text, ensure_ascii=False)


@lru_cache(maxsize=65536)
def _plain_ok(text: str, flow: bool) -> bool:
    """Whether ``text`` reads back as the same string without quotes."""
    if not text or text != text.strip() or "\n" in text or "#" in text:
        return False
    document = f"k: [{text}]" if flow else f"k: {text}"
    expected = {"k": [text] if flow else text}
    # Both parsers must agree: libyaml accepts some plain scalars (a list item ending in "?")
    # that pure-Python PyYAML, used where libyaml is not installed, refuses.
    for loader in dict.fromkeys((COMPOSER, yaml.SafeLoader)):
        try:
            if yaml.load(document, Loader=loader) != expected:
                return False
        except yaml.YAMLError:
            return False
    return True


def _lead_start(lines: list[str], comments: dict[int, str], start: int) -> int:
    """First line of the comments and blank lines directly above an entry (they belong to it)."""
    while (
        start > 0
        and (not lines[start - 1].strip() or lines[start - 1].lstrip().startswith("#"))
        and (not lines[start - 1].strip() or start - 1 in comments)
    ):
        start -= 1
    return start


def _last_content_line(lines: list[str], comments: dict[int, str]) -> int:
    for index in range(len(lines) - 1, -1, -1):
        if lines[index].strip() and index not in comments:
            return index
    return 0


def _comment_lines(lines: list[str], root: yaml.Node | None) -> dict[int, str]:
    """Comments by 0-based line: whole-line comments, and end-of-line comments split off."""
    inside = _multiline_scalar_lines(root)
    found: dict[int, str] = {}
    for index, line in enumerate(lines):
        if index in inside:
            continue
        stripped = line.strip()
        if stripped.startswith("#"):
            found[index] = stripped
            continue
        position = _comment_start(line)
        if position is not None:
            found[index] = line[position:].strip()
    return found


def _comment_start(line: str) -> int | None:
    """Where an end-of-line comment starts: a ``#`` after a space, outside quotes."""
    quote = ""
    for index, char in enumerate(line):
        if quote:
            if char == quote:
                quote = ""
            elif char == "\\" and quote == '"':
                continue
        elif char in "\"'" and (index == 0 or line[index - 1] in " \t[{,:"):
            quote = char
        elif char == "#" and index > 0 and line[index - 1] in " \t":
            return index
    return None


def _multiline_scalar_lines(root: yaml.Node | None) -> set[int]:
    covered: set[int] = set()
    stack = [root] if root is not None else []
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.ScalarNode):
            if node.end_mark.line > node.start_mark.line:
                covered.update(range(node.start_mark.line + 1, node.end_mark.line + 1))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack.extend((key, value))
    return covered
