"""The glossary terms of one source segment, matched once and shared by every stage that asks.

Protecting keep-terms, checking renderings after translation and the quality checks (the
katakana rule, masking terms before round-trip scores) all need the glossary entries a segment's
source holds. Matching is the costly part of each, so the first stage that asks matches and
leaves the result on the segment (``Segment.glossary_terms``); ``protect`` hands on what it found
as the matches of the protected text, so the later stages never match the source again.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..types import Segment
from .matcher import Match, Matcher, RunMatches


@dataclass(frozen=True, eq=False)
class SourceTerms:
    """The matches of ``matcher`` in the text runs of the tagged ``text``, run by run."""

    matcher: Matcher
    text: str
    runs: tuple[RunMatches, ...]

    @property
    def matches(self) -> list[Match]:
        return [match for run in self.runs for match in run.matches]


def source_terms(segment: Segment, matcher: Matcher) -> SourceTerms:
    """The segment's matches: those left on it by ``matcher`` for its present text, or found now
    (and left on it for the next stage)."""
    found = segment.glossary_terms
    if isinstance(found, SourceTerms) and found.matcher is matcher and found.text == segment.text:
        return found
    found = SourceTerms(matcher, segment.text, tuple(matcher.find_runs(segment.text)))
    segment.glossary_terms = found
    return found
