"""XML in and out for TBX and TMX: parsed with defusedxml, every element's line remembered.

defusedxml refuses entity declarations, so an entity-expansion bomb ("billion laughs") or an
external entity never gets expanded; a file that is not well-formed is reported at the parser's
line. Lines are kept per element so validation messages can point into the file.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from xml.parsers import expat

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from ...errors import GlossaryError

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@dataclass
class XmlDocument:
    root: ET.Element
    lines: dict[int, int]
    path: str

    def line(self, element: ET.Element) -> int | None:
        return self.lines.get(id(element))


class _LineTarget:
    """A TreeBuilder that notes the line of each start tag."""

    def __init__(self) -> None:
        self.builder = ET.TreeBuilder()
        self.lines: dict[int, int] = {}
        self.parser: DefusedXMLParser | None = None

    def start(self, tag: str, attrib: dict[str, str]) -> ET.Element:
        element = self.builder.start(tag, attrib)
        if self.parser is not None:
            self.lines[id(element)] = self.parser.parser.CurrentLineNumber
        return element

    def end(self, tag: str) -> ET.Element:
        return self.builder.end(tag)

    def data(self, data: str) -> None:
        self.builder.data(data)

    def close(self) -> ET.Element:
        return self.builder.close()


def parse(data: bytes, path: str | Path) -> XmlDocument:
    """Parse ``data`` safely; a ``GlossaryError`` names the file and line of any problem."""
    name = str(path)
    target = _LineTarget()
    parser = DefusedXMLParser(target=target, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    target.parser = parser
    try:
        parser.feed(data)
        root = parser.close()
    except DefusedXmlException as exc:
        raise GlossaryError(
            f"refused: the file declares XML entities ({type(exc).__name__}); entities can expand without "
            "limit or read other files, so glossary files must not declare any",
            path=name,
            line=parser.parser.CurrentLineNumber or None,
        ) from None
    except ET.ParseError as exc:
        line, column = getattr(exc, "position", (None, None))
        code = getattr(exc, "code", None)
        reason = expat.ErrorString(code) if code else str(exc)
        raise GlossaryError(f"not well-formed XML: {reason} (column {column})", path=name, line=line) from None
    return XmlDocument(root, target.lines, name)


def local(tag: object) -> str:
    """``{namespace}name`` → ``name`` (comments and processing instructions give '')."""
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def namespace(tag: str) -> str:
    return tag[1:].split("}", 1)[0] if tag.startswith("{") else ""


def children(element: ET.Element) -> list[ET.Element]:
    return [child for child in element if isinstance(child.tag, str)]


def serialize(root: ET.Element) -> bytes:
    """UTF-8 XML with a declaration, indented two spaces (text inside leaf elements untouched)."""
    ET.indent(root, space="  ")
    body = ET.tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'.encode()
