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
    def keep_words(self) -> frozenset[str]:
        """Lower-cased English words that may appear in a translation (keep-terms, Latin renderings)."""
        words: set[str] = set()
        for term in self._terms.values():
            if term.keep or any(re.search(r"[A-Za-z]", r) for r in term.renderings):
                for surface in (*term.surfaces, *term.renderings):
                    words.update(w.lower() for w in re.findall(r"[A-Za-z][A-Za-z0-9'-]*", surface))
        return frozenset(words)
