"""The glossary as the quality checks need it: where terms occur, and how they may be rendered.

Masking, the katakana rule and the untranslated-English rule all ask the same questions of the
glossary (which English terms occur in this text, which renderings belong to them, which English
words are meant to stay English), so they share one index built once per run on the glossary's
own ``Matcher`` (one Aho-Corasick pass, plural and possessive forms, longest match).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

import ahocorasick_rs

from .. import markup
from ..glossary.matcher import Matcher
from ..glossary.model import Entry, Glossary
from ..glossary.source_terms import source_terms
from ..types import Segment, Span
from .plaintext import INVISIBLE_KINDS, LINE_BREAK_KINDS

NEUTRAL = "∎"  # what a masked term or protected span becomes (see ``masking.py``)

KATAKANA_RE = re.compile(r"^[\u30A0-\u30FF\u31F0-\u31FF・ー\s]+$")
KANJI_RE = re.compile(r"[\u4E00-\u9FFF]")


@dataclass(frozen=True)
class Term:
    """One glossary entry, reduced to what the checks use."""

    surfaces: tuple[str, ...]  # English forms (term, aliases)
    keep: bool
    renderings: tuple[str, ...]  # preferred and allowed target renderings
    forbidden: tuple[str, ...]

    @cached_property
    def in_kanji(self) -> bool:
        """True when the glossary wants the term written with kanji (not katakana); asked for
        every occurrence of the term, so worked out once."""
        return any(KANJI_RE.search(r) for r in self.renderings) and not any(
            KATAKANA_RE.match(r) for r in self.renderings
        )

    def forbidden_katakana(self) -> tuple[str, ...]:
        return self._forbidden_katakana

    @cached_property
    def _forbidden_katakana(self) -> tuple[str, ...]:
        return tuple(r for r in self.forbidden if KATAKANA_RE.match(r))

    @classmethod
    def of(cls, entry: Entry, lang: str) -> Term:
        rendering = entry.rendering(lang)
        return cls(
            surfaces=tuple(s for s in entry.surfaces if s),
            keep=bool(entry.keep),
            renderings=tuple(entry.required(lang)),
            forbidden=tuple(rendering.forbidden) if rendering else (),
        )


@dataclass
class TermIndex:
    """Glossary term occurrences in English text, and the target renderings of the entries."""

    glossary: Glossary = field(default_factory=Glossary)
    lang: str = "ja"
    matcher: Matcher | None = None  # the glossary stage's, so a segment's matches are shared

    @cached_property
    def _matcher(self) -> Matcher:
        return self.matcher if self.matcher is not None else Matcher(self.glossary, self.lang)

    @cached_property
    def _terms(self) -> dict[int, Term]:
        return {id(entry): Term.of(entry, self.lang) for entry in self._matcher.entries}

    def find(self, text: str) -> list[tuple[int, int, Term]]:
        """Occurrences of glossary terms in English ``text`` (plural/possessive forms too)."""
        if not self.glossary.entries:
            return []
        return [(m.start, m.end, self._terms[id(m.entry)]) for m in self._matcher.find(text)]

    def in_segment(self, segment: Segment) -> list[tuple[int, int, Term]]:
        """Occurrences of glossary terms in the segment's plain source (``plain_text``'s offsets),
        from the matches found once for the segment."""
        if not self.glossary.entries:
            return []
        found: list[tuple[int, int, Term]] = []
        length = 0
        for run in source_terms(segment, self._matcher).runs:
            token = run.token
            if token.kind == "text":
                found.extend((length + m.start, length + m.end, self._terms[id(m.entry)]) for m in run.matches)
                length += len(token.value)
            elif token.kind == "x":
                length += plain_length(segment.spans.get(token.value))
        return found

    def masked_source(self, segment: Segment) -> str:
        """The segment's plain source with protected spans and glossary terms as ``NEUTRAL``,
        from the matches found once for the segment."""
        parts: list[str] = []
        for run in source_terms(segment, self._matcher).runs:
            token = run.token
            if token.kind == "text":
                pos = 0
                for match in run.matches:
                    parts.append(token.value[pos : match.start])
                    parts.append(NEUTRAL)
                    pos = match.end
                parts.append(token.value[pos:])
            elif token.kind == "x":
                span = segment.spans.get(token.value)
                if span is not None and span.kind in LINE_BREAK_KINDS:
                    parts.append("\n")
                elif span is not None and span.kind not in INVISIBLE_KINDS:
                    parts.append(f" {NEUTRAL} ")
        return re.sub(r"\s+", " ", "".join(parts)).strip()

    @cached_property
    def _latin_phrases(self) -> ahocorasick_rs.AhoCorasick | None:
        """Whole English phrases a translation may contain: keep-terms and Latin renderings."""
        phrases: set[str] = set()
        for term in self._terms.values():
            latin = [r for r in term.renderings if re.search(r"[A-Za-z]", r)]
            if term.keep:
                latin.extend(term.surfaces)
            phrases.update(p.lower() for p in latin if p.strip())
        if not phrases:
            return None
        return ahocorasick_rs.AhoCorasick(sorted(phrases), matchkind=ahocorasick_rs.MatchKind.LeftmostLongest)

    def allowed_english(self, text: str) -> list[tuple[int, int]]:
        """Spans of ``text`` that are kept names or Latin renderings, matched as whole phrases.

        Phrases, not their words: "model" stays a finding even though "SageMaker Model Monitor"
        is kept in English."""
        if self._latin_phrases is None:
            return []
        lowered = text.lower()
        spans = []
        for _, start, end in self._latin_phrases.find_matches_as_indexes(lowered):
            before = lowered[start - 1] if start else " "
            after = lowered[end] if end < len(lowered) else " "
            if not (before.isascii() and before.isalnum()) and not (after.isascii() and after.isalnum()):
                spans.append((start, end))
        return spans


def plain_length(span: Span | None) -> int:
    """How many characters a code stands for in ``plain_text`` (which see)."""
    if span is None or span.kind in INVISIBLE_KINDS:
        return 0
    return 1 if span.kind in LINE_BREAK_KINDS else len(markup.visible_text(span))
