"""TMX 1.4b: one translation unit per entry, so translation-memory tools can load the glossary.

The English ``<tuv>`` holds the term and each target language's ``<tuv>`` its preferred rendering
(an empty ``<seg/>`` when a keep entry names no preferred one). What TMX has no element for
travels in ``<prop type="x-…">`` (the standard's place for user-defined properties), so an import
restores the entry exactly: on the unit ``x-alias`` (one per alias), ``x-case``, ``x-keep``,
``x-pos``, ``x-domain`` (one per tag), ``x-context`` (one per word), ``x-source``; on a target ``<tuv>`` ``x-allowed`` and
``x-forbidden`` (one per rendering). The entry's note is the unit's ``<note>``, a rendering's note
that ``<tuv>``'s ``<note>``.

Importing any other TMX: the English ``<tuv>`` (``srclang``, else any ``en``) is the term, the
first segment per other language the preferred rendering, further ones for the same term allowed.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from ... import __version__
from ...errors import GlossaryError
from ..model import PARTS_OF_SPEECH, Entry, Rendering
from . import _xml
from ._common import (
    Exported,
    Imported,
    clean,
    is_english,
    normalize_lang,
    sort_entries,
    unique,
)

_CODES = {"bpt", "ept", "ph", "it", "ut"}  # native codes inside a segment, not text


def export(entries: Iterable[Entry], lang: str | None = None) -> Exported:
    root = ET.Element("tmx", version="1.4")
    header = {
        "creationtool": "translator",
        "creationtoolversion": __version__,
        "datatype": "plaintext",
        "segtype": "phrase",
        "adminlang": "en",
        "srclang": "en",
        "o-tmf": "translator-glossary",  # not a Python name, so the attributes go as one mapping
    }
    ET.SubElement(root, "header", header)
    body = ET.SubElement(root, "body")
    count = 0
    for entry in sort_entries(entries):
        targets = [(code, r) for code, r in sorted(entry.targets.items()) if lang is None or code == lang]
        if lang is not None and not targets and not entry.keep:
            continue
        count += 1
        unit = ET.SubElement(body, "tu")
        if entry.note:
            ET.SubElement(unit, "note").text = entry.note
        for alias in entry.aliases:
            _prop(unit, "x-alias", alias)
        if entry.case != "insensitive":
            _prop(unit, "x-case", entry.case)
        if entry.keep:
            _prop(unit, "x-keep", "true")
        if entry.pos:
            _prop(unit, "x-pos", entry.pos)
        for tag in entry.domain:
            _prop(unit, "x-domain", tag)
        for word in entry.context:
            _prop(unit, "x-context", word)
        if entry.source:
            _prop(unit, "x-source", entry.source)
        _tuv(unit, "en").text = entry.term
        for code, rendering in targets:
            variant = ET.SubElement(unit, "tuv", {_xml.XML_LANG: code})
            if rendering.note:
                ET.SubElement(variant, "note").text = rendering.note
            for allowed in rendering.allowed:
                _prop(variant, "x-allowed", allowed)
            for forbidden in rendering.forbidden:
                _prop(variant, "x-forbidden", forbidden)
            ET.SubElement(variant, "seg").text = rendering.preferred or ""
    return Exported(_xml.serialize(root), count)


def _prop(parent: ET.Element, kind: str, value: str) -> None:
    ET.SubElement(parent, "prop", type=kind).text = value


def _tuv(unit: ET.Element, code: str) -> ET.Element:
    return ET.SubElement(ET.SubElement(unit, "tuv", {_xml.XML_LANG: code}), "seg")


def read(document: _xml.XmlDocument) -> Imported:
    root, name = document.root, document.path
    if _xml.local(root.tag) != "tmx":
        raise GlossaryError(
            f"the root element is <{_xml.local(root.tag)}>, not <tmx>", path=name, line=document.line(root)
        )
    header = root.find("header")
    body = root.find("body")
    if header is None or body is None:
        raise GlossaryError("a TMX file needs <header> and <body>", path=name, line=document.line(root))
    file_source = header.get("srclang", "")
    out = Imported()
    merged: dict[str, Entry] = {}
    for unit in body.findall("tu"):
        line = document.line(unit)
        source_lang = unit.get("srclang") or file_source
        if source_lang and source_lang != "*all*" and not is_english(source_lang):
            raise GlossaryError(
                f"the source language is {source_lang}; only English-source glossaries are supported",
                path=name,
                line=line,
            )
        variants = []
        for tuv in unit.findall("tuv"):
            code = tuv.get(_xml.XML_LANG) or tuv.get("lang")
            seg = tuv.find("seg")
            if not code or seg is None:
                raise GlossaryError("a <tuv> needs xml:lang and a <seg>", path=name, line=document.line(tuv))
            variants.append((normalize_lang(code), tuv, _segment_text(seg)))
        english = [v for v in variants if is_english(v[0])]
        if not english or not english[0][2]:
            out.skipped.append(f"{name}:{line}: a unit without an English segment")
            continue
        entry = _entry(unit, english[0][2], [v for v in variants if not is_english(v[0])], (name, line or 0))
        if entry.term in merged:
            merged[entry.term] = _merge(merged[entry.term], entry)
        else:
            merged[entry.term] = entry
    for entry in merged.values():
        missing = [code for code, r in entry.targets.items() if not r.preferred]
        if missing and not entry.keep:
            out.skipped.append(f"{entry.where()}: '{entry.term}' has no {', '.join(missing)} segment text")
            entry = replace(entry, targets={c: r for c, r in entry.targets.items() if r.preferred})
        if not entry.keep and not entry.targets:
            out.skipped.append(f"{entry.where()}: '{entry.term}' has no translation")
            continue
        out.entries.append(entry)
    return out


def _segment_text(seg: ET.Element) -> str:
    parts = [seg.text or ""]
    for child in seg:
        if _xml.local(child.tag) not in _CODES:
            parts.append(_segment_text(child))
        parts.append(child.tail or "")
    return clean("".join(parts))


def _props(element: ET.Element) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for prop in element.findall("prop"):
        found.setdefault(prop.get("type", "").lower(), []).append(clean(prop.text))
    return found


def _notes(element: ET.Element) -> str | None:
    return "\n".join(clean(n.text) for n in element.findall("note") if clean(n.text)) or None


def _entry(unit: ET.Element, term: str, variants: list[tuple[str, ET.Element, str]], origin: tuple[str, int]) -> Entry:
    props = _props(unit)
    pos = next(iter(props.get("x-pos", [])), None)
    targets: dict[str, Rendering] = {}
    for code, tuv, text in variants:
        tuv_props = _props(tuv)
        if code in targets:
            targets[code] = _with_allowed(targets[code], [text])
            continue
        targets[code] = Rendering(
            preferred=text or None,
            allowed=unique(tuv_props.get("x-allowed", [])),
            forbidden=unique(tuv_props.get("x-forbidden", [])),
            note=_notes(tuv),
        )
    return Entry(
        term=term,
        aliases=unique(a for a in props.get("x-alias", []) if a != term),
        case="exact" if props.get("x-case") == ["exact"] else "insensitive",
        keep=props.get("x-keep") == ["true"],
        pos=pos if pos in PARTS_OF_SPEECH else None,
        domain=unique(props.get("x-domain", [])),
        context=unique(props.get("x-context", [])),
        source=next(iter(props.get("x-source", [])), None),
        note=_notes(unit),
        targets=targets,
        origin=origin,
    )


def _with_allowed(rendering: Rendering, extra: Iterable[str | None]) -> Rendering:
    """Further segments for a language become allowed renderings (unless already listed)."""
    more = [text for text in extra if text and text != rendering.preferred]
    return Rendering(rendering.preferred, unique([*rendering.allowed, *more]), rendering.forbidden, rendering.note)


def _merge(first: Entry, later: Entry) -> Entry:
    """Two units for one term (a translation memory often has several): later segments are allowed."""
    targets = dict(first.targets)
    for code, rendering in later.targets.items():
        if code not in targets:
            targets[code] = rendering
            continue
        targets[code] = _with_allowed(targets[code], [rendering.preferred, *rendering.allowed])
    return replace(first, aliases=unique([*first.aliases, *later.aliases]), targets=targets)


def read_path(path: Path) -> Imported:
    return read(_xml.parse(path.read_bytes(), path))
