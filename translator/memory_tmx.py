"""The translation memory as TMX 1.4b, so it can move between tools (OmegaT, Trados, memoQ read it).

Export writes one ``<tu>`` per entry: the source and target ``<tuv>``, the entry's scope (which
backend, options, languages and glossary produced it) in ``<prop type="x-translator-scope">``.
Import restores entries under their scope when they carry one; units from another tool (human
translations) go to the language pair's shared scope ``imported|SRC|TGT``, which every run of that
pair consults after its own. Segments are stored as a backend receives text (XML-escaped), so an
imported plain sentence matches the same sentence in a document.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from . import __version__, markup
from .errors import InputError

SCOPE_PROP = "x-translator-scope"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def imported_scope(source_lang: str, target_lang: str) -> str:
    return f"imported|{source_lang}|{target_lang}"


def scope_languages(scope: str) -> tuple[str, str]:
    """A scope is ``backend|source|target|options|glossary`` (see ``RunSignature.cache_scope``)."""
    parts = scope.split("|")
    return (parts[1], parts[2]) if len(parts) > 2 else ("en", "ja")


def export_tmx(entries: Iterable[tuple[str, str, str]]) -> bytes:
    root = ET.Element("tmx", version="1.4")
    ET.SubElement(
        root,
        "header",
        {
            "creationtool": "translator",
            "creationtoolversion": __version__,
            "segtype": "paragraph",
            "o-tmf": "translator",
            "adminlang": "en",
            "srclang": "*all*",
            "datatype": "xml",
        },
    )
    body = ET.SubElement(root, "body")
    for scope, source, target in entries:
        source_lang, target_lang = scope_languages(scope)
        unit = ET.SubElement(body, "tu")
        ET.SubElement(unit, "prop", type=SCOPE_PROP).text = scope
        for lang, text in ((source_lang, source), (target_lang, target)):
            variant = ET.SubElement(unit, "tuv", {XML_LANG: lang})
            ET.SubElement(variant, "seg").text = text
    ET.indent(root)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="utf-8") + b"\n"


@dataclass(frozen=True)
class Unit:
    scope: str
    source: str
    target: str


def import_tmx(data: bytes, path: str, source_lang: str, target_lang: str) -> Iterator[Unit]:
    """Entries of a TMX file (parsed with defusedxml: entity bombs and external entities refused)."""
    from defusedxml import ElementTree as SafeET
    from defusedxml.common import DefusedXmlException

    try:
        root = SafeET.fromstring(data)
    except DefusedXmlException as exc:
        raise InputError(f"refused: {exc}", path=path) from exc
    except ET.ParseError as exc:
        raise InputError(f"not well-formed XML: {exc}", path=path, line=exc.position[0]) from exc
    if _local(root.tag) != "tmx":
        raise InputError("not a TMX file (no <tmx> root element)", path=path)
    for unit in root.iter():
        if _local(unit.tag) != "tu":
            continue
        scope = next((p.text or "" for p in unit if _local(p.tag) == "prop" and p.get("type") == SCOPE_PROP), "")
        texts: dict[str, str] = {}
        for variant in unit:
            if _local(variant.tag) != "tuv":
                continue
            lang = (variant.get(XML_LANG) or variant.get("lang") or "").split("-")[0].lower()
            seg = next((s for s in variant if _local(s.tag) == "seg"), None)
            if lang and seg is not None:
                texts.setdefault(lang, "".join(seg.itertext()))
        if scope:
            languages = scope_languages(scope)
            if all(lang in texts for lang in languages):
                yield Unit(scope, texts[languages[0]], texts[languages[1]])  # stored as exported
        elif source_lang in texts and target_lang in texts and texts[source_lang].strip():
            yield Unit(
                imported_scope(source_lang, target_lang),
                markup.escape(texts[source_lang]),
                markup.escape(texts[target_lang]),
            )


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""
