"""Validation of TBX files before import: the core structure, then the dialect's data categories.

TBX v3 (ISO 30042:2019): the core structure every dialect shares (``tbx`` > ``tbxHeader`` +
``text`` > ``body`` > ``conceptEntry[@id]`` > ``langSec[@xml:lang]`` > ``termSec`` with exactly
one ``term`` first; one ``descrip`` first in a ``descripGrp``; a ``type`` on every data-category
element; header text inside ``<p>``), and for TBX-Min and TBX-Basic (DCA style) the data
categories each allows, where, and their picklists. The tables follow the LTAC module
definitions, widened where the LTAC test files (the reference this was checked against) use
older values: ``usageStatus`` and the transaction type ``creation``. Other dialect names get the
core checks only. TBX v2 (``<martif>``) gets the structural checks it shares with v3.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

from . import _xml

NAMESPACES = ("urn:iso:std:iso:30042:ed-2", "urn:iso:std:iso:30042:ed:3.0")
AUX = {"admin", "adminGrp", "descrip", "descripGrp", "note", "ref", "transacGrp", "xref"}
TYPED = {"admin", "adminNote", "descrip", "descripNote", "ref", "termNote", "transac", "transacNote", "xref"}
GROUPS = {  # group → (its one required first element, what may follow it)
    "descripGrp": ("descrip", {"admin", "adminGrp", "descripNote", "note", "ref", "transacGrp", "xref"}),
    "adminGrp": ("admin", {"adminNote", "note", "ref", "transacGrp", "xref"}),
    "termNoteGrp": ("termNote", {"admin", "adminGrp", "note", "ref", "transacGrp", "xref"}),
    "transacGrp": ("transac", {"transacNote", "date", "note", "ref", "xref"}),
}
HEADER_CONTAINERS = {"fileDesc", "titleStmt", "publicationStmt", "sourceDesc", "encodingDesc", "revisionDesc"}

PARTS_OF_SPEECH = ("adjective", "noun", "other", "verb", "adverb")
ADMINISTRATIVE_STATUS = (
    "preferredTerm-admn-sts",
    "admittedTerm-admn-sts",
    "deprecatedTerm-admn-sts",
    "supersededTerm-admn-sts",
)
USAGE_STATUS = ("preferred", "admitted", "deprecated", "superseded", "notRecommended", "obsolete")
TERM_TYPES = ("fullForm", "acronym", "abbreviation", "shortForm", "variant", "phrase")
GENDERS = ("masculine", "feminine", "neuter", "other")
TERM_LOCATIONS = (
    "checkBox", "comboBox", "comboBoxElement", "dialogBox", "groupBox", "informativeMessage", "interactiveMessage",
    "menuItem", "progressBar", "pushButton", "radioButton", "slider", "spinBox", "tab", "tableText", "textBox",
    "toolTip", "user-definedType",
)  # fmt: skip
TRANSACTION_TYPES = ("origination", "creation", "modification")


@dataclass(frozen=True)
class Category:
    """A data category: the element and type naming it, its levels, picklist, and where it may
    stand outside a group (``None``: wherever its levels allow)."""

    levels: frozenset[str] | None = None
    values: tuple[str, ...] | None = None
    ungrouped: frozenset[str] | None = None


def _at(*levels: str) -> frozenset[str]:
    return frozenset(levels)


MIN: dict[tuple[str, str], Category] = {
    ("descrip", "subjectField"): Category(_at("conceptEntry")),
    ("admin", "customerSubset"): Category(_at("conceptEntry", "termSec")),
    ("termNote", "partOfSpeech"): Category(_at("termSec"), PARTS_OF_SPEECH),
    ("termNote", "administrativeStatus"): Category(_at("termSec"), ADMINISTRATIVE_STATUS),
    ("termNote", "usageStatus"): Category(_at("termSec"), USAGE_STATUS),
}
BASIC: dict[tuple[str, str], Category] = {
    **MIN,
    ("descrip", "context"): Category(_at("termSec")),
    ("descrip", "definition"): Category(_at("conceptEntry", "langSec")),
    ("ref", "crossReference"): Category(_at("conceptEntry", "termSec")),
    ("xref", "externalCrossReference"): Category(_at("conceptEntry", "termSec")),
    ("xref", "xGraphic"): Category(_at("conceptEntry")),
    ("termNote", "geographicalUsage"): Category(_at("termSec")),
    ("termNote", "grammaticalGender"): Category(_at("termSec"), GENDERS),
    ("termNote", "termLocation"): Category(_at("termSec"), TERM_LOCATIONS),
    ("termNote", "termType"): Category(_at("termSec"), TERM_TYPES),
    ("admin", "projectSubset"): Category(_at("conceptEntry", "termSec")),
    # A concept-level source documents a definition, so it stands in the definition's group.
    ("admin", "source"): Category(_at("conceptEntry", "langSec", "termSec"), ungrouped=_at("langSec", "termSec")),
    ("transac", "transactionType"): Category(None, TRANSACTION_TYPES),
    ("transacNote", "responsibility"): Category(),
}
DIALECTS = {"TBX-Min": MIN, "TBX-Basic": BASIC}


@dataclass(frozen=True)
class Problem:
    line: int | None
    message: str


class _Checker:
    def __init__(self, document: _xml.XmlDocument) -> None:
        self.document = document
        self.problems: list[Problem] = []

    def add(self, element: ET.Element, message: str) -> None:
        self.problems.append(Problem(self.document.line(element), message))

    def expect_children(self, parent: ET.Element, names: list[str], optional: AbstractSet[str] = frozenset()) -> None:
        found = [_xml.local(c.tag) for c in _xml.children(parent)]
        required = [n for n in names if n not in optional]
        if [n for n in found if n in names] != [n for n in names if n in found] or any(
            n not in found for n in required
        ):
            self.add(parent, f"<{_xml.local(parent.tag)}> must contain {', then '.join(f'<{n}>' for n in names)}")
        for child in _xml.children(parent):
            if _xml.local(child.tag) not in names:
                self.add(child, f"<{_xml.local(child.tag)}> is not allowed directly in <{_xml.local(parent.tag)}>")

    def header(self, header: ET.Element) -> None:
        for element in header.iter():
            name = _xml.local(element.tag)
            if name not in HEADER_CONTAINERS:
                continue
            loose = [element.text or "", *(child.tail or "" for child in element)]
            if any(part.strip() for part in loose):
                self.add(element, f"text in <{name}> must be wrapped in <p>")

    def typed(self, element: ET.Element) -> None:
        for item in element.iter():
            name = _xml.local(item.tag)
            if name in TYPED and not item.get("type"):
                self.add(item, f"<{name}> must have a type attribute naming its data category")

    def group(self, group: ET.Element) -> None:
        name = _xml.local(group.tag)
        first, rest = GROUPS[name]
        items = _xml.children(group)
        heads = [c for c in items if _xml.local(c.tag) == first]
        if not items or _xml.local(items[0].tag) != first:
            self.add(group, f"<{name}> must start with one <{first}>")
        if len(heads) > 1:
            self.add(heads[1], f"only one <{first}> per <{name}>")
        for child in items[1:]:
            if _xml.local(child.tag) not in rest | {first}:
                self.add(child, f"<{_xml.local(child.tag)}> is not allowed in <{name}>")

    def aux(self, parent: ET.Element, extra: set[str]) -> None:
        for child in _xml.children(parent):
            name = _xml.local(child.tag)
            if name in GROUPS:
                self.group(child)
            elif name not in AUX | extra:
                self.add(child, f"<{name}> is not allowed in <{_xml.local(parent.tag)}>")

    def term_section(self, section: ET.Element, term: str, notes: set[str]) -> None:
        items = _xml.children(section)
        terms = [c for c in items if _xml.local(c.tag) == term]
        if not terms:
            self.add(section, f"<{_xml.local(section.tag)}> without <{term}>")
            return
        if _xml.local(items[0].tag) != term:
            self.add(items[0], f"<{term}> must come first in <{_xml.local(section.tag)}>")
        if len(terms) > 1:
            self.add(terms[1], f"only one <{term}> per <{_xml.local(section.tag)}>")
        self.aux(section, {term} | notes)


def check_v3(document: _xml.XmlDocument) -> list[Problem]:
    checker = _Checker(document)
    root = document.root
    if _xml.local(root.tag) != "tbx":
        checker.add(root, f"the root element is <{_xml.local(root.tag)}>, not <tbx>")
        return checker.problems
    if _xml.namespace(root.tag) not in NAMESPACES:
        checker.add(root, f"<tbx> must be in the namespace {NAMESPACES[0]}")
    dialect = root.get("type")
    if not dialect:
        checker.add(root, "<tbx> needs a type attribute naming the dialect (TBX-Basic, TBX-Min, TBX-Core, ...)")
    elif not dialect.startswith("TBX-"):
        checker.add(root, f"type '{dialect}' is not a TBX dialect name (TBX-Basic, TBX-Min, TBX-Core, ...)")
    style = root.get("style")
    if style is None:
        checker.add(root, '<tbx> needs style="dca"')
    elif style == "dct":
        checker.add(root, 'DCT-style TBX is not supported; convert it to DCA style (style="dca")')
    elif style != "dca":
        checker.add(root, f"style '{style}' is neither 'dca' nor 'dct'")
    if not root.get(_xml.XML_LANG):
        checker.add(root, "<tbx> needs xml:lang")
    checker.expect_children(root, ["tbxHeader", "text"])
    header = child(root, "tbxHeader")
    if header is not None:
        checker.expect_children(
            header, ["fileDesc", "encodingDesc", "revisionDesc"], optional={"encodingDesc", "revisionDesc"}
        )
        checker.header(header)
    text = child(root, "text")
    if text is None:
        return checker.problems
    checker.expect_children(text, ["body", "back"], optional={"back"})
    body = child(text, "body")
    if body is None:
        return checker.problems
    checker.typed(body)
    seen: dict[str, int | None] = {}
    for concept in _xml.children(body):
        if _xml.local(concept.tag) != "conceptEntry":
            checker.add(concept, f"<{_xml.local(concept.tag)}> is not allowed in <body> (only <conceptEntry>)")
            continue
        ident = concept.get("id")
        if not ident:
            checker.add(concept, "<conceptEntry> without id")
        elif ident in seen:
            checker.add(concept, f"id '{ident}' is used twice (first on line {seen[ident]})")
        else:
            seen[ident] = document.line(concept)
        _check_sections(checker, concept, "langSec", "termSec", "term", "conceptEntry")
    categories = DIALECTS.get(dialect or "")
    if categories is not None:
        _check_categories(checker, body, dialect or "", categories)
    return checker.problems


def check_v2(document: _xml.XmlDocument) -> list[Problem]:
    checker = _Checker(document)
    root = document.root
    if _xml.local(root.tag) != "martif":
        checker.add(root, f"the root element is <{_xml.local(root.tag)}>, not <martif>")
        return checker.problems
    if not root.get("type"):
        checker.add(root, "<martif> needs a type attribute (TBX-Basic, TBX, ...)")
    if not root.get(_xml.XML_LANG):
        checker.add(root, "<martif> needs xml:lang")
    checker.expect_children(root, ["martifHeader", "text"])
    header = child(root, "martifHeader")
    if header is not None:
        checker.header(header)
    text = child(root, "text")
    body = child(text, "body") if text is not None else None
    if body is None:
        checker.add(root, "<martif> needs <text><body>")
        return checker.problems
    checker.typed(body)
    for concept in _xml.children(body):
        if _xml.local(concept.tag) != "termEntry":
            checker.add(concept, f"<{_xml.local(concept.tag)}> is not allowed in <body> (only <termEntry>)")
            continue
        _check_sections(checker, concept, "langSet", ("tig", "ntig"), "term", "termEntry")
    return checker.problems


def _check_sections(
    checker: _Checker,
    concept: ET.Element,
    lang_name: str,
    term_names: str | tuple[str, ...],
    term: str,
    concept_name: str,
) -> None:
    term_names = (term_names,) if isinstance(term_names, str) else term_names
    langs = [c for c in _xml.children(concept) if _xml.local(c.tag) == lang_name]
    if not langs:
        checker.add(concept, f"<{concept_name}> without <{lang_name}>")
    after_lang = False
    for child in _xml.children(concept):
        name = _xml.local(child.tag)
        if name == lang_name:
            after_lang = True
            _check_language(checker, child, lang_name, term_names, term)
        elif after_lang and name in AUX:
            checker.add(child, f"<{name}> must come before the <{lang_name}> elements")
    checker.aux(concept, {lang_name})


def _check_language(
    checker: _Checker, section: ET.Element, lang_name: str, term_names: tuple[str, ...], term: str
) -> None:
    if not section.get(_xml.XML_LANG):
        checker.add(section, f"<{lang_name}> without xml:lang")
    sections = [c for c in _xml.children(section) if _xml.local(c.tag) in term_names]
    if not sections:
        checker.add(section, f"<{lang_name}> without <{term_names[0]}>")
    for term_section in sections:
        if _xml.local(term_section.tag) == "ntig":
            group = child(term_section, "termGrp")
            if group is None:
                checker.add(term_section, "<ntig> without <termGrp>")
            else:
                checker.term_section(group, term, {"termNote", "termNoteGrp", "termCompList"})
            checker.aux(term_section, {"termGrp"})
        else:
            checker.term_section(term_section, term, {"termNote", "termNoteGrp"})
    checker.aux(section, set(term_names))


def _check_categories(
    checker: _Checker, body: ET.Element, dialect: str, categories: dict[tuple[str, str], Category]
) -> None:
    parents = {id(child): parent for parent in body.iter() for child in parent}
    for parent in body.iter():
        parent_name = _xml.local(parent.tag)
        for child in _xml.children(parent):
            name = _xml.local(child.tag)
            kind = child.get("type")
            if name not in TYPED or not kind:
                continue
            grouped = parent_name in GROUPS
            level = _xml.local(parents[id(parent)].tag) if grouped and id(parent) in parents else parent_name
            category = categories.get((name, kind))
            if category is None:
                checker.add(child, f'<{name} type="{kind}"> is not a {dialect} data category')
                continue
            if category.levels is not None and level not in category.levels:
                where = " or ".join(sorted(category.levels))
                checker.add(child, f'"{kind}" is not allowed at the {level} level in {dialect} (only {where})')
            elif not grouped and category.ungrouped is not None and level not in category.ungrouped:
                checker.add(child, f'"{kind}" at the {level} level must be inside a group (e.g. with a definition)')
            if category.values is not None and clean_value(child) not in category.values:
                checker.add(child, f"{kind} '{clean_value(child)}' is not one of {', '.join(category.values)}")


def clean_value(element: ET.Element) -> str:
    return " ".join("".join(element.itertext()).split())


def child(parent: ET.Element, name: str) -> ET.Element | None:
    for child in _xml.children(parent):
        if _xml.local(child.tag) == name:
            return child
    return None
