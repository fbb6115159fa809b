"""The glossary terms of one source segment, matched once and shared by every stage that asks.

Protecting keep-terms, checking renderings after translation and the quality checks (the
katakana rule, masking terms before round-trip scores) all need the glossary entries a segment's
source holds. Matching is the costly part of each, so the first stage that asks matches and
leaves the result on the segment (``Segment.glossary_terms``); ``protect`` hands on what it found
as the matches of the protected text, so the later stages never match the source again.
"""

from __future__ import annotations

from collections.abc import Sequence

from .. import markup
from ..types import Segment
from .matcher import Match, Matcher, RunMatches


class SourceTerms:
    """The matches of ``matcher`` in the text runs of the tagged ``text``, run by run.

    A document holds one per segment until its checks are done, so only the matches are kept,
    one tuple per token of ``text``; the tokens themselves (a copy of the text in small objects,
    about 1 KB a segment) are split from ``text`` again when ``runs`` is read, which costs far
    less than the matching did."""

    __slots__ = ("matcher", "text", "_matches", "_runs")

    def __init__(self, matcher: Matcher, text: str, runs: Sequence[RunMatches]) -> None:
        self.matcher = matcher
        self.text = text
        tokens = list(markup.tokens(text))
        if [run.token for run in runs] == tokens:
            self._matches: tuple[tuple[Match, ...], ...] | None = tuple(run.matches for run in runs)
            self._runs: tuple[RunMatches, ...] | None = None
        else:  # runs not split from this text as ``markup.tokens`` splits it: keep them as given
            self._matches, self._runs = None, tuple(runs)

    @classmethod
    def per_token(cls, matcher: Matcher, text: str, matches: tuple[tuple[Match, ...], ...]) -> SourceTerms:
        """From ``matches_per_token`` of the same text (sent to another process): already split
        as ``markup.tokens`` splits ``text``, so not checked by splitting it again."""
        found = cls.__new__(cls)
        found.matcher, found.text, found._matches, found._runs = matcher, text, matches, None
        return found

    @property
    def runs(self) -> tuple[RunMatches, ...]:
        if self._runs is not None:
            return self._runs
        assert self._matches is not None
        return tuple(
            RunMatches(token, matches) for token, matches in zip(markup.tokens(self.text), self._matches, strict=True)
        )

    @property
    def matches_per_token(self) -> tuple[tuple[Match, ...], ...] | None:
        """The matches of each token ``markup.tokens(text)`` gives, without splitting the text
        again (None when the runs were kept as given)."""
        return self._matches

    @property
    def matches(self) -> list[Match]:
        if self._matches is not None:
            return [match for matches in self._matches for match in matches]
        return [match for run in self.runs for match in run.matches]


def source_terms(segment: Segment, matcher: Matcher) -> SourceTerms:
    """The segment's matches: those left on it by ``matcher`` for its present text, or found now
    (and left on it for the next stage)."""
    found = segment.glossary_terms
    if isinstance(found, SourceTerms) and found.matcher is matcher and found.text == segment.text:
        return found
    found = SourceTerms(matcher, segment.text, matcher.find_runs(segment.text))
    segment.glossary_terms = found
    return found
