"""Where each finding sits in the plain translation, as non-overlapping ranges to mark.

A finding's ``span`` (offsets into the plain translation) is used when it still points at what
the finding ``found``; otherwise the first occurrence of ``found`` is marked (a glossary check
ran before style normalisation moved the text, or the check recorded no span). Overlapping
findings are split so each character range lists every finding that covers it. Style findings
(``style.*``) quote an excerpt with context and are about spacing and punctuation, nothing to
distrust a sentence for, so they are listed but not marked.
"""

from __future__ import annotations

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


def highlights(text: str, findings: Sequence[Finding]) -> list[Highlight]:
    """Ranges of ``text`` to mark, in order, each with the findings covering it."""
    ranges = [
        (where, index)
        for index, f in enumerate(findings)
        if not f.repaired and not f.check.startswith("style.") and (where := locate(text, f))
    ]
    if not ranges:
        return []
    cuts = sorted({offset for (start, end), _i in ranges for offset in (start, end)})
    marks: list[Highlight] = []
    for start, end in zip(cuts, cuts[1:], strict=False):
        covering = tuple(index for (s, e), index in ranges if s <= start and end <= e)
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
