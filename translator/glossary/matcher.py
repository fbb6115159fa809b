"""Find glossary entries in English text: one Aho-Corasick pass, then boundaries, case and length.

Every term and alias is expanded into its English forms (plural, possessive) and all forms of all
entries go into one automaton over lower-cased text, so the cost of a search hardly depends on
the glossary's size. Candidates are then filtered: an ASCII letter or digit right before or after
a match rejects it (``AMI`` is not found in ``dynamic``; Japanese around a term is fine), and
entries with ``case: exact`` must match the original spelling. Of overlapping survivors the
leftmost, then longest, wins.

Word sense and case, where a plain string match would be wrong:

* an acronym-like surface (two capitals or more in one word: ``CoT``, ``RAG``, ``AMI``) matches
  only as written, so "cot" and "rag" are ordinary words;
* a name (``pos: proper-noun``) takes no plural: "Adams" is not "Adam";
* a capitalised match right after another capitalised word that is neither the first word of a
  sentence nor a glossary word is part of a longer name ("Heteractis Aurora", "Stable Diffusion
  model"), unless the whole text is written in title case;
* a one-word noun entry used as a verb ("it features", "to feature", "features two") is not the
  noun;
* an entry with ``context`` words applies only when one of them occurs in the same text
  ("population" is 母集団 only next to sample, mean, distribution…).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass

import ahocorasick_rs

from .. import markup
from .model import Entry, Glossary

APOSTROPHES = ("'", "\u2019")


@dataclass(frozen=True, slots=True)  # one per term occurrence, kept on segments until checked
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


def forms(surface: str, *, name: bool = False) -> list[str]:
    """The surface and its plural and possessive forms (acronyms take a lower-case ``s``).

    A ``name`` (a proper noun) has no plural unless it ends in an acronym ("AMIs")."""
    if not surface[-1:].isalpha():
        return [surface]
    last_word = surface.split()[-1]
    if name and not last_word.isupper():
        return list(dict.fromkeys([surface, *(f"{surface}{mark}s" for mark in APOSTROPHES)]))
    many = surface + "s" if surface.isupper() else plural(surface)
    out = [surface, many]
    if surface.isupper() and plural(surface) != many:
        out.append(plural(surface))
    for mark in APOSTROPHES:
        out.append(f"{surface}{mark}s")
        out.append(f"{many}{mark}" if many.endswith(("s", "S")) else f"{many}{mark}s")
    return list(dict.fromkeys(out))


def is_acronym(surface: str) -> bool:
    """One word with two capitals or more (``CoT``, ``RAG``, ``LoRA``, ``AMI``): matched as
    written, since the lower-case word is usually an ordinary one (cot, rag)."""
    return " " not in surface and sum(c.isupper() for c in surface) >= 2 and sum(c.isalpha() for c in surface) <= 6


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
                exact = entry.case == "exact" or is_acronym(base)
                for form in forms(base, name=entry.pos == "proper-noun"):
                    by_pattern.setdefault(fold(form), []).append(_Form(entry, form, base, exact, order))
        # Words of the glossary's own terms: "Amazon" before "Aurora" is not a foreign name.
        self._glossary_words = {w for entry in entries for s in entry.surfaces for w in WORD_RE.findall(s.lower())}
        self._contexts = {
            id(entry): re.compile(
                r"(?<![A-Za-z0-9])(?:" + "|".join(re.escape(w) for w in entry.context) + r")(?:s|es)?(?![A-Za-z0-9])",
                re.IGNORECASE,
            )
            for entry in entries
            if entry.context
        }
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

    def find(self, text: str, context: str | None = None) -> list[Match]:
        """Non-overlapping matches in plain text, left to right. ``context`` is the whole text
        the entries' context words are looked for in (default: ``text``)."""
        if self._automaton is None or not text:
            return []
        candidates: list[Match] = []
        seen: dict[object, bool] = {}
        for index, start, end in self._automaton.find_matches_as_indexes(fold(text), overlapping=True):
            if not self._bounded(text, start, end):
                continue
            # One string per distinct surface: a document keeps its segments' matches until its
            # checks are done, and the same few terms recur in most of them.
            found = sys.intern(text[start:end])
            for form in self._forms[index]:
                if not form.exact or form.surface == found:
                    match = Match(start, end, form.entry, found, form.base)
                    if self._in_sense(text, match, seen, text if context is None else context):
                        candidates.append(match)
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
        tokens = list(markup.tokens(tagged))
        context = " ".join(token.value for token in tokens if token.kind == "text")
        return [
            RunMatches(token, tuple(self.find(token.value, context)) if token.kind == "text" else ())
            for token in tokens
        ]

    def _in_sense(self, text: str, match: Match, seen: dict[object, bool], context: str) -> bool:
        """False when the match is a word the entry does not mean (see the module docstring).
        ``seen`` keeps what was worked out once per text: title case, context words found."""
        pattern = self._contexts.get(id(match.entry))
        if pattern is not None:
            if id(match.entry) not in seen:
                seen[id(match.entry)] = pattern.search(context) is not None
            if not seen[id(match.entry)]:
                return False
        if match.surface[:1].isupper() and not match.surface.isupper():
            before = _word_before(text, match.start)
            if before is not None and _is_name_word(before[0]):
                word, opens_sentence = before[0].lower(), before[1]
                # At the start of a sentence a capital says less: "Create Aurora …", "Using
                # Amazon Kendra …"; a name that already has its several words stands alone.
                opener = opens_sentence and (
                    word in SENTENCE_OPENERS or word.endswith(("ing", "ly", "ed")) or " " in match.surface
                )
                if word not in self._glossary_words and not opener:
                    if "title" not in seen:
                        seen["title"] = _is_title_case(text)
                    if not seen["title"]:
                        return False
        return not (match.entry.pos == "noun" and " " not in match.base and _used_as_verb(text, match))

    def find_tagged(self, tagged: str) -> list[Match]:
        """All matches in the text runs of tagged text (offsets are within each run)."""
        return [match for run in self.find_runs(tagged) for match in run.matches]

    @staticmethod
    def _bounded(text: str, start: int, end: int) -> bool:
        if start > 0 and is_word_char(text[start]) and is_word_char(text[start - 1]):
            return False
        return not (end < len(text) and is_word_char(text[end - 1]) and is_word_char(text[end]))


WINDOW = 60  # characters looked at around a match: a few words, not the whole text
WORD_RE = re.compile(r"[A-Za-z][A-Za-z'’-]*")
# Words that are capitalised in titles and at the start of sentences without being names.
FUNCTION_WORDS = frozenset(
    "a an the and or but nor of in on at to for with by from into onto as via per about using use "
    "this that these those its it is are was were be how what when where why which who without within across "
    "through over under between during against among around beyond except inside outside toward towards upon".split()
)
# Words that open a sentence before a product name without being part of it: instructions
# ("Create Aurora clusters") and sentence adverbs ("Today Aurora supports …").
SENTENCE_OPENERS = frozenset(
    "use create configure enable disable choose open deploy launch select run add set connect migrate monitor "
    "start stop delete update install build train test tune call invoke send store load read write check "
    "review compare see try make let give get find learn note remember consider ensure today however also then "
    "now next first finally both each all some most many if when while once after before since unlike like our "
    "your my their his her only even new every other such".split()
)
SENTENCE_BREAK = ".!?:;\"'“‘(「[—–-•*#>|"


def _word_before(text: str, start: int) -> tuple[str, bool] | None:
    """The word before ``start`` and whether it opens a sentence (or the text)."""
    window_start = max(0, start - WINDOW)
    head = text[window_start:start].rstrip()
    if not head or not (head[-1].isascii() and head[-1].isalpha()):
        return None
    found = re.search(r"[A-Za-z][A-Za-z'’-]*$", head)
    if found is None:
        return None
    opening = head[: found.start()].rstrip()
    if not opening:
        return found.group(), window_start == 0
    return found.group(), opening[-1] in SENTENCE_BREAK


def _is_name_word(word: str) -> bool:
    """A capitalised word that is not an acronym or a function word: "Heteractis", "Stable"."""
    return word[0].isupper() and any(c.islower() for c in word) and word.lower() not in FUNCTION_WORDS


def _is_title_case(text: str) -> bool:
    """Headings Like This capitalise every word: then capitals say nothing about names."""
    words = [w for w in WORD_RE.findall(text) if len(w) > 3]
    return len(words) >= 2 and sum(w[0].isupper() for w in words) >= 0.7 * len(words)


SUBJECTS_OF_S_FORM = frozenset("it he she that which who this".split())
BEFORE_BASE_FORM = frozenset(
    "to can could will would may might must shall should do does did not cannot don't doesn't didn't won't "
    "they we i you".split()
)
ADVERBS = frozenset(
    "also often usually now still only mainly prominently typically always never frequently currently".split()
)
AFTER_VERB = frozenset(
    "a an the his her its their our your my two three four five six seven eight nine ten several many "
    "some both numerous various".split()
)
BEFORE_NOUN = frozenset(
    "a an the these those its their our your my his her each every some all any no what many several more "
    "most few key new important of for with in on by from as between into about".split()
)
NOT_AFTER_VERB = frozenset(
    "are is were was have has had can could will would should may might must do of and or".split()
)


def _used_as_verb(text: str, match: Match) -> bool:
    """English cues that a noun entry's word is a verb here: "it features", "to feature",
    "features two …" (a determiner or a number right after, no determiner before)."""
    words_before = [w.lower() for w in WORD_RE.findall(text[max(0, match.start - WINDOW) : match.start])]
    while words_before and words_before[-1] in ADVERBS:
        words_before.pop()
    previous = words_before[-1] if words_before else ""
    following = re.match(r"\s+([A-Za-z]+|\d+)", text[match.end :])
    after = following.group(1).lower() if following else ""
    s_form = match.surface.lower() != match.base.lower() and match.surface.lower().endswith("s")
    base_form = match.surface.lower() == match.base.lower()
    if previous in BEFORE_NOUN:
        return False
    if s_form and previous in SUBJECTS_OF_S_FORM and after and after not in NOT_AFTER_VERB:
        return True
    if base_form and previous in BEFORE_BASE_FORM and after and after not in NOT_AFTER_VERB:
        return True
    return (s_form or base_form) and (after in AFTER_VERB or after.isdigit()) and bool(previous)
