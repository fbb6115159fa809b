"""TBX-Basic, ISO 30042:2019 (TBX v3, ``<tbx>``) and the older TBX v2 (``<martif>``) form.

Mapping of an entry (the same in both forms; v2 names in brackets):

- one ``conceptEntry`` [``termEntry``] per entry, ``id`` ``c1``, ``c2``, … in term order;
- ``domain`` → ``<descrip type="subjectField">`` (one per tag), entry ``note`` → ``<note>``;
- the English ``langSec`` [``langSet``]: the term as the preferred term
  (``administrativeStatus`` ``preferredTerm-admn-sts``) with its ``partOfSpeech``/``termType``
  and ``source`` (``<admin type="source">`` in the term's section: the Basic dialect allows a
  source there, while at the concept level only grouped with a definition); each alias as an
  admitted term (``admittedTerm-admn-sts``);
- each target language's ``langSec``: ``preferred`` → ``preferredTerm-admn-sts``, ``allowed`` →
  ``admittedTerm-admn-sts``, ``forbidden`` → ``deprecatedTerm-admn-sts``, its note → ``<note>``.
- ``keep`` and ``case: exact`` have no TBX-Basic data category. They are written as concept
  ``<note>`` s with fixed wording (``KEEP_NOTE``, ``CASE_NOTE``) that a person reads correctly and
  an import recognises; so is ``pos: proper-noun`` in v3, whose partOfSpeech picklist lacks it.
  ``pos: phrase`` is partOfSpeech ``other`` with termType ``phrase``; ``acronym`` is ``noun`` with
  termType ``acronym``.

Importing a TBX from elsewhere: concepts without an English term, and target languages with
only deprecated terms, are left out and listed. Both term forms are read: ``tig`` and the
``ntig``/``termGrp`` form (ISO 30042:2008, as Microsoft's terminology exports write it).
Definitions (``descrip type="definition"``, grouped or not, at any level) and notes are kept in
the entry's ``note`` (a definition as ``Definition: …``); a target language's own notes stay with
its rendering. Contexts are not kept (examples, not rules).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass, field

from ... import __version__
from ...errors import GlossaryError
from ..model import Entry, Rendering
from . import _xml, tbx_rules
from ._common import (
    Exported,
    Imported,
    clean,
    is_english,
    join_list,
    normalize_lang,
    sort_entries,
    split_list,
    unique,
)

NAMESPACE = "urn:iso:std:iso:30042:ed-2"
KEEP_NOTE = "Do not translate: the English term is used in every language."
CASE_NOTE = "Case-sensitive: the term matches only as written."
PROPER_NOUN_NOTE = "Part of speech: proper noun."
FLAG_NOTES = (KEEP_NOTE, CASE_NOTE, PROPER_NOUN_NOTE)
CONTEXT_NOTE = "Applies only near: "  # followed by the entry's context words, "|"-separated
PREFERRED, ADMITTED, DEPRECATED = "preferredTerm-admn-sts", "admittedTerm-admn-sts", "deprecatedTerm-admn-sts"
_POS_OUT = {  # pos → (partOfSpeech v3, partOfSpeech v2, termType)
    "noun": ("noun", "noun", None),
    "proper-noun": ("noun", "properNoun", None),
    "verb": ("verb", "verb", None),
    "adjective": ("adjective", "adjective", None),
    "phrase": ("other", "other", "phrase"),
    "acronym": ("noun", "noun", "acronym"),
}
DEFINITION_PREFIX = "Definition: "
_STATUS_IN = {
    PREFERRED: "preferred", ADMITTED: "admitted", DEPRECATED: "forbidden", "supersededTerm-admn-sts": "forbidden",
    "preferred": "preferred", "admitted": "admitted", "deprecated": "forbidden", "superseded": "forbidden",
    "notRecommended": "forbidden", "obsolete": "forbidden", "standardizedTerm-admn-sts": "preferred",
}  # fmt: skip


@dataclass(frozen=True)
class _Names:
    concept: str
    lang: str
    term: str


V3 = _Names("conceptEntry", "langSec", "termSec")
V2 = _Names("termEntry", "langSet", "tig")


def export(entries: Iterable[Entry], lang: str | None = None, version: int = 3) -> Exported:
    names = V3 if version == 3 else V2
    if version == 3:
        root = ET.Element("tbx", {"type": "TBX-Basic", "style": "dca", _xml.XML_LANG: "en", "xmlns": NAMESPACE})
        header = ET.SubElement(root, "tbxHeader")
    else:
        root = ET.Element("martif", {"type": "TBX-Basic", _xml.XML_LANG: "en"})
        header = ET.SubElement(root, "martifHeader")
    description = ET.SubElement(ET.SubElement(header, "fileDesc"), "sourceDesc")
    ET.SubElement(description, "p").text = f"Glossary exported by translator {__version__}"
    if version == 2:
        ET.SubElement(ET.SubElement(header, "encodingDesc"), "p", type="XCSURI").text = "TBXBasicXCSV02.xcs"
    body = ET.SubElement(ET.SubElement(root, "text"), "body")
    count = 0
    for entry in sort_entries(entries):
        targets = [(code, r) for code, r in sorted(entry.targets.items()) if lang is None or code == lang]
        if lang is not None and not targets and not entry.keep:
            continue
        count += 1
        _concept(ET.SubElement(body, names.concept, id=f"c{count}"), entry, targets, names, version)
    return Exported(_xml.serialize(root), count)


def _concept(
    concept: ET.Element, entry: Entry, targets: list[tuple[str, Rendering]], names: _Names, version: int
) -> None:
    for tag in entry.domain:
        ET.SubElement(concept, "descrip", type="subjectField").text = tag
    notes = [entry.note, KEEP_NOTE if entry.keep else None, CASE_NOTE if entry.case == "exact" else None]
    if entry.context:
        notes.append(CONTEXT_NOTE + join_list(entry.context))
    if entry.pos == "proper-noun" and version == 3:
        notes.append(PROPER_NOUN_NOTE)
    for text in notes:
        if text:
            ET.SubElement(concept, "note").text = text
    english = ET.SubElement(concept, names.lang, {_xml.XML_LANG: "en"})
    main = _term(english, names, entry.term, PREFERRED)
    if entry.pos:
        v3_pos, v2_pos, term_type = _POS_OUT[entry.pos]
        status = main.find("termNote")
        assert status is not None  # _term always writes the administrative status
        main.remove(status)
        ET.SubElement(main, "termNote", type="partOfSpeech").text = v3_pos if version == 3 else v2_pos
        if term_type:
            ET.SubElement(main, "termNote", type="termType").text = term_type
        main.append(status)
    if entry.source:
        ET.SubElement(main, "admin", type="source").text = entry.source
    for alias in entry.aliases:
        _term(english, names, alias, ADMITTED)
    for code, rendering in targets:
        if not (rendering.preferred or rendering.allowed or rendering.forbidden):
            continue
        section = ET.SubElement(concept, names.lang, {_xml.XML_LANG: code})
        if rendering.note:
            ET.SubElement(section, "note").text = rendering.note
        if rendering.preferred:
            _term(section, names, rendering.preferred, PREFERRED)
        for text in rendering.allowed:
            _term(section, names, text, ADMITTED)
        for text in rendering.forbidden:
            _term(section, names, text, DEPRECATED)


def _term(section: ET.Element, names: _Names, text: str, status: str) -> ET.Element:
    term_section = ET.SubElement(section, names.term)
    ET.SubElement(term_section, "term").text = text
    ET.SubElement(term_section, "termNote", type="administrativeStatus").text = status
    return term_section


def validate(document: _xml.XmlDocument) -> list[tbx_rules.Problem]:
    """Every problem that stops an import, in document order."""
    if _xml.local(document.root.tag) == "martif":
        return tbx_rules.check_v2(document)
    return tbx_rules.check_v3(document)


def read(document: _xml.XmlDocument) -> Imported:
    root_name = _xml.local(document.root.tag)
    if root_name not in ("tbx", "martif"):
        raise GlossaryError(
            f"the root element is <{root_name}>: neither <tbx> (TBX v3) nor <martif> (TBX v2)",
            path=document.path,
            line=document.line(document.root),
        )
    problems = validate(document)
    if problems:
        dialect = document.root.get("type") or "TBX"
        more = f" (and {len(problems) - 1} more problem{'s' if len(problems) > 2 else ''})" if len(problems) > 1 else ""
        first = problems[0]
        raise GlossaryError(f"not valid {dialect}: {first.message}{more}", path=document.path, line=first.line)
    names = V3 if root_name == "tbx" else V2
    text = tbx_rules.child(document.root, "text")
    body = tbx_rules.child(text, "body") if text is not None else None
    out = Imported()
    seen: dict[str, str] = {}
    for concept in _xml.children(body) if body is not None else []:
        where = f"{document.path}:{document.line(concept)}"
        entry = _entry(concept, names, (document.path, document.line(concept) or 0), out.skipped, where)
        if entry is None:
            continue
        if entry.term in seen:
            out.skipped.append(
                f"{where}: '{entry.term}' repeats the term of the concept at {seen[entry.term]}; kept the first"
            )
            continue
        seen[entry.term] = where
        out.entries.append(entry)
    return out


@dataclass
class _Term:
    text: str
    status: str | None = None
    pos: str | None = None
    term_type: str | None = None
    source: str | None = None


@dataclass
class _Language:
    code: str
    terms: list[_Term] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    definitions: list[str] = field(default_factory=list)


def _definitions(parent: ET.Element) -> list[str]:
    """Definitions standing directly in ``parent`` or in one of its ``descripGrp`` s."""
    found: list[str] = []
    for item in _xml.children(parent):
        name = _xml.local(item.tag)
        candidates = _xml.children(item) if name == "descripGrp" else [item]
        for descrip in candidates:
            if _xml.local(descrip.tag) == "descrip" and descrip.get("type") == "definition":
                text = clean("".join(descrip.itertext()))
                if text:
                    found.append(DEFINITION_PREFIX + text)
    return found


def _notes(parent: ET.Element) -> list[str]:
    return [
        clean("".join(c.itertext())) for c in _xml.children(parent) if _xml.local(c.tag) == "note" and clean(c.text)
    ]


def _entry(concept: ET.Element, names: _Names, origin: tuple[str, int], skipped: list[str], where: str) -> Entry | None:
    notes = [*_definitions(concept), *_notes(concept)]
    domain = [
        clean(d.text)
        for d in concept.iter()
        if _xml.local(d.tag) == "descrip" and d.get("type") == "subjectField" and clean(d.text)
    ]
    languages = [_language(section) for section in _xml.children(concept) if _xml.local(section.tag) == names.lang]
    english = [t for language in languages if is_english(language.code) for t in language.terms]
    if not english:
        skipped.append(f"{where}: a concept without an English term")
        return None
    main = next((t for t in english if t.status == "preferred"), None) or next(
        (t for t in english if t.status != "forbidden"), english[0]
    )
    keep = KEEP_NOTE in notes
    targets: dict[str, Rendering] = {}
    for language in languages:
        if is_english(language.code):
            notes.extend(language.definitions)
            notes.extend(n for n in language.notes if n not in notes)
            continue
        rendering = _rendering(language, keep)
        if rendering is None:
            skipped.append(f"{where}: '{main.text}' has no usable {language.code} term (only deprecated ones)")
            continue
        if language.code in targets:
            skipped.append(f"{where}: '{main.text}' has two {language.code} sections; kept the first")
            continue
        targets[language.code] = rendering
    if not keep and not targets:
        skipped.append(f"{where}: '{main.text}' has no translation")
        return None
    return Entry(
        term=main.text,
        aliases=unique(t.text for t in english if t is not main and t.text != main.text),
        case="exact" if CASE_NOTE in notes else "insensitive",
        keep=keep,
        pos="proper-noun" if PROPER_NOUN_NOTE in notes else _pos(main),
        domain=unique(domain),
        context=next((split_list(n.removeprefix(CONTEXT_NOTE)) for n in notes if n.startswith(CONTEXT_NOTE)), ()),
        source=main.source,
        note="\n".join(n for n in notes if n not in FLAG_NOTES and not n.startswith(CONTEXT_NOTE)) or None,
        targets=targets,
        origin=origin,
    )


def _language(section: ET.Element) -> _Language:
    language = _Language(normalize_lang(section.get(_xml.XML_LANG) or ""))
    language.definitions.extend(_definitions(section))
    language.notes.extend(_notes(section))
    for child in _xml.children(section):
        if _xml.local(child.tag) in ("termSec", "tig", "ntig"):
            language.terms.append(_term_of(child))
            # A note on one term (in its termSec, tig, ntig or termGrp) is about the concept too.
            inner = [child, *(g for g in _xml.children(child) if _xml.local(g.tag) == "termGrp")]
            language.notes.extend(n for part in inner for n in _notes(part) if n not in language.notes)
    return language


def _term_of(section: ET.Element) -> _Term:
    found = _Term("")
    for item in section.iter():
        name = _xml.local(item.tag)
        if name == "term" and not found.text:
            found.text = clean("".join(item.itertext()))
        elif name == "termNote":
            kind, value = item.get("type"), clean("".join(item.itertext()))
            if kind in ("administrativeStatus", "usageStatus") and found.status is None:
                found.status = _STATUS_IN.get(value)
            elif kind == "partOfSpeech":
                found.pos = value
            elif kind == "termType":
                found.term_type = value
    for item in _xml.children(section):
        if _xml.local(item.tag) == "admin" and item.get("type") == "source" and clean(item.text):
            found.source = clean(item.text)
            break
    return found


def _pos(term: _Term) -> str | None:
    if term.term_type in ("phrase", "acronym"):
        return term.term_type
    # Exports differ in case ("Noun" in Microsoft's, "noun" in TBX-Basic).
    pos = {"noun": "noun", "propernoun": "proper-noun", "verb": "verb", "adjective": "adjective"}
    return pos.get((term.pos or "").replace(" ", "").casefold())


def _rendering(language: _Language, keep: bool) -> Rendering | None:
    usable = [t for t in language.terms if t.status != "forbidden" and t.text]
    preferred = next((t for t in usable if t.status == "preferred"), None) or (usable[0] if usable else None)
    if preferred is None and not keep:
        return None
    return Rendering(
        preferred=preferred.text if preferred else None,
        allowed=unique(t.text for t in usable if t is not preferred),
        forbidden=unique(t.text for t in language.terms if t.status == "forbidden"),
        note="\n".join(language.notes) or None,
    )
