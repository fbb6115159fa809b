"""Find glossary entries in English text: one Aho-Corasick pass, then boundaries, case and length.

Every term and alias is expanded into its English forms (plural, possessive) and all forms of all
entries go into one automaton over lower-cased text, so the cost of a search hardly depends on
the glossary's size. Candidates are then filtered: an ASCII letter or digit right before or after
a match rejects it (``AMI`` is not found in ``dynamic``; Japanese around a term is fine), and
entries with ``case: exact`` must match the original spelling. Of overlapping survivors the
leftmost, then longest, wins.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import ahocorasick_rs

from .. import markup
from .model import Entry, Glossary

APOSTROPHES = ("'", "\u2019")


@dataclass(frozen=True)
class Match:
    """One occurrence of an entry: ``text[start:end] == surface``; ``base`` is the term/alias."""

    start: int
    end: int
    entry: Entry
    surface: str
    base: str = ""

    def stem(self) -> str:
        """The surface without a possessive ending (``SageMaker's`` → ``SageMaker``)."""
        if self.surface[-2:-1] in APOSTROPHES and self.surface[-1:] in ("s", "S"):
            return self.surface[:-2]
        if self.surface[-1:] in APOSTROPHES:
            return self.surface[:-1]
        return self.surface


@dataclass(frozen=True)
class RunMatches:
    """A token of tagged text and, for a text run, the matches inside it (offsets in the run)."""

    token: markup.Token
    matches: tuple[Match, ...] = ()


def plural(word: str) -> str:
    """Regular English plural of a term's last word (``policy`` → ``policies``)."""
    lower = word.lower()
    if lower.endswith(("s", "x", "z", "ch", "sh")):
        suffix = "es"
    elif lower.endswith("y") and len(lower) > 1 and lower[-2] not in "aeiou":
        return word[:-1] + ("IES" if word[-1].isupper() else "ies")
    else:
        suffix = "s"
    return word + (suffix.upper() if word.isupper() and len(word) > 1 and not word[-1].isdigit() else suffix)


def forms(surface: str) -> list[str]:
    """The surface and its plural and possessive forms (acronyms take a lower-case ``s``)."""
    if not surface[-1:].isalpha():
        return [surface]
    many = surface + "s" if surface.isupper() else plural(surface)
    out = [surface, many]
    if surface.isupper() and plural(surface) != many:
        out.append(plural(surface))
    for mark in APOSTROPHES:
        out.append(f"{surface}{mark}s")
        out.append(f"{many}{mark}" if many.endswith(("s", "S")) else f"{many}{mark}s")
    return list(dict.fromkeys(out))


def fold(text: str) -> str:
    """Lower-case without changing the length, so offsets stay valid in the original."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def is_word_char(char: str) -> bool:
    return char.isascii() and char.isalnum()


@dataclass(frozen=True)
class _Form:
    entry: Entry
    surface: str  # the form as the glossary writes it (case matters for exact entries)
    base: str
    exact: bool
    order: int  # load order, later overrides earlier among entries with identical forms


class Matcher:
    """Built once per run for a glossary (and a target language, to skip irrelevant entries)."""

    def __init__(self, glossary: Glossary | Iterable[Entry], lang: str | None = None) -> None:
        entries = glossary.entries if isinstance(glossary, Glossary) else tuple(glossary)
        if lang is not None:
            entries = tuple(e for e in entries if e.keep or e.rendering(lang) is not None)
        self.entries = entries
        by_pattern: dict[str, list[_Form]] = {}
        for order, entry in enumerate(entries):
            for base in entry.surfaces:
                for form in forms(base):
                    by_pattern.setdefault(fold(form), []).append(
                        _Form(entry, form, base, entry.case == "exact", order)
                    )
        for candidates in by_pattern.values():
            # Exact-case forms are more specific; among equals the later file wins.
            candidates.sort(key=lambda f: (not f.exact, -f.order))
        self._patterns = list(by_pattern)
        self._forms = [by_pattern[p] for p in self._patterns]
        self._automaton = (
            ahocorasick_rs.AhoCorasick(self._patterns, matchkind=ahocorasick_rs.MatchKind.Standard)
            if self._patterns
            else None
        )

    def find(self, text: str) -> list[Match]:
        """Non-overlapping matches in plain text, left to right."""
        if self._automaton is None or not text:
            return []
        candidates: list[Match] = []
        for index, start, end in self._automaton.find_matches_as_indexes(fold(text), overlapping=True):
            if not self._bounded(text, start, end):
                continue
            found = text[start:end]
            for form in self._forms[index]:
                if not form.exact or form.surface == found:
                    candidates.append(Match(start, end, form.entry, found, form.base))
                    break
        candidates.sort(key=lambda m: (m.start, -(m.end - m.start)))
        chosen: list[Match] = []
        reached = 0
        for match in candidates:
            if match.start >= reached:
                chosen.append(match)
                reached = match.end
        return chosen

    def find_runs(self, tagged: str) -> list[RunMatches]:
        """Tagged text split into tokens; matches only in plain-text runs (codes are skipped)."""
        return [
            RunMatches(token, tuple(self.find(token.value)) if token.kind == "text" else ())
            for token in markup.tokens(tagged)
        ]

    def find_tagged(self, tagged: str) -> list[Match]:
        """All matches in the text runs of tagged text (offsets are within each run)."""
        return [match for run in self.find_runs(tagged) for match in run.matches]

    @staticmethod
    def _bounded(text: str, start: int, end: int) -> bool:
        if start > 0 and is_word_char(text[start]) and is_word_char(text[start - 1]):
            return False
        return not (end < len(text) and is_word_char(text[end - 1]) and is_word_char(text[end]))
