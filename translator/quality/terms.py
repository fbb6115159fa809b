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

from ..glossary.matcher import Matcher
from ..glossary.model import Entry, Glossary

KATAKANA_RE = re.compile(r"^[\u30A0-\u30FF\u31F0-\u31FF・ー\s]+$")
KANJI_RE = re.compile(r"[\u4E00-\u9FFF]")


@dataclass(frozen=True)
class Term:
    """One glossary entry, reduced to what the checks use."""

    surfaces: tuple[str, ...]  # English forms (term, aliases)
    keep: bool
    renderings: tuple[str, ...]  # preferred and allowed target renderings
    forbidden: tuple[str, ...]

    @property
    def in_kanji(self) -> bool:
        """True when the glossary wants the term written with kanji (not katakana)."""
        return any(KANJI_RE.search(r) for r in self.renderings) and not any(
            KATAKANA_RE.match(r) for r in self.renderings
        )

    def forbidden_katakana(self) -> tuple[str, ...]:
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

    @cached_property
    def _matcher(self) -> Matcher:
        return Matcher(self.glossary, self.lang)

    @cached_property
    def _terms(self) -> dict[int, Term]:
        return {id(entry): Term.of(entry, self.lang) for entry in self._matcher.entries}

    def find(self, text: str) -> list[tuple[int, int, Term]]:
        """Occurrences of glossary terms in English ``text`` (plural/possessive forms too)."""
        if not self.glossary.entries:
            return []
        return [(m.start, m.end, self._terms[id(m.entry)]) for m in self._matcher.find(text)]

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
