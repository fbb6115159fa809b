"""Where each finding sits in the plain translation, as non-overlapping ranges to mark.

A finding's ``span`` (offsets into the plain translation) is used when it still points at what
the finding ``found``; otherwise the first occurrence of ``found`` is marked (a glossary check
ran before style normalisation moved the text, or the check recorded no span). A rule that finds
one thing per word (English words left untranslated) gives one finding per segment whose
``found`` lists the words ("runs, the, training") and whose ``span`` runs from the first to the
last: each listed word inside that span is marked, not the Japanese between them. Overlapping
findings are split so each character range lists every finding that covers it. Style findings
(``style.*``) quote an excerpt with context and are about spacing and punctuation, nothing to
distrust a sentence for, so they are listed but not marked.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..types import Finding


@dataclass(frozen=True)
class Highlight:
    start: int
    end: int
    findings: tuple[int, ...]  # indexes into the segment's findings


def locate(text: str, finding: Finding) -> tuple[int, int] | None:
    """The range of ``text`` a finding is about, or None when it is about the whole segment."""
    if finding.span is not None:
        start, end = finding.span
        if 0 <= start < end <= len(text) and (not finding.found or text[start:end] == finding.found):
            return start, end
    if finding.found:
        start = text.find(finding.found)
        if start >= 0:
            return start, start + len(finding.found)
    return None


def listed_words(text: str, finding: Finding) -> list[tuple[int, int]]:
    """The ranges of the words a gathered finding lists (see the module docstring), or nothing
    when the finding is not one or its span no longer starts at its first word."""
    if finding.span is None or not finding.found or ", " not in finding.found:
        return []
    start, end = finding.span
    if not 0 <= start < end <= len(text):
        return []
    inside = text[start:end]
    words = finding.found.split(", ")
    if inside == finding.found or not inside.startswith(words[0]):
        return []
    alternatives = "|".join(re.escape(word) for word in sorted(set(words), key=len, reverse=True))
    pattern = re.compile(rf"(?<![A-Za-z])(?:{alternatives})(?![A-Za-z])")
    return [(start + m.start(), start + m.end()) for m in pattern.finditer(inside)]


def ranges(text: str, finding: Finding) -> list[tuple[int, int]]:
    """Every range of ``text`` a finding marks (none when it is about the whole segment)."""
    words = listed_words(text, finding)
    if words:
        return words
    where = locate(text, finding)
    return [where] if where is not None else []


def highlights(text: str, findings: Sequence[Finding]) -> list[Highlight]:
    """Ranges of ``text`` to mark, in order, each with the findings covering it."""
    marked = [
        (where, index)
        for index, f in enumerate(findings)
        if not f.repaired and not f.check.startswith("style.")
        for where in ranges(text, f)
    ]
    if not marked:
        return []
    cuts = sorted({offset for (start, end), _i in marked for offset in (start, end)})
    marks: list[Highlight] = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        covering = tuple(dict.fromkeys(index for (s, e), index in marked if s <= start and end <= e))
        if covering:
            marks.append(Highlight(start, end, covering))
    return marks


def pieces(text: str, marks: Sequence[Highlight]) -> list[tuple[str, Highlight | None]]:
    """``text`` cut into runs, each either unmarked (None) or under one highlight."""
    out: list[tuple[str, Highlight | None]] = []
    position = 0
    for mark in marks:
        if mark.start > position:
            out.append((text[position : mark.start], None))
        out.append((text[mark.start : mark.end], mark))
        position = mark.end
    if position < len(text):
        out.append((text[position:], None))
    return out
