"""Consistency across a translated question bank or course: the same English rendered one way.

Two checks, in the spirit of Xbench's and Okapi CheckMate's "same source, different target":

- **Segments**: segments whose English is the same (ignoring case, spacing and a final full
  stop) but whose translations differ (ignoring width and spacing). A learner who sees one
  question stem two ways wonders whether they mean different things.
- **Terms**: a glossary entry rendered with more than one of its renderings across the bank
  (``fine-tuning`` as ファインチューニング in one question and 微調整 in another, both allowed),
  or with a forbidden one somewhere. Each rendering is listed with where it was used, the most
  used first, so the odd ones out are easy to find.

The input is ``(path, segment, source text, translation text)`` rows, from any reader.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from .enforce import rendering_pattern
from .matcher import Matcher
from .model import Entry

_SPACES = re.compile(r"\s+")
_FINAL = re.compile(r"[\s.。:：!！?？]+$")


@dataclass(frozen=True)
class Row:
    """One translated segment: where it is, its English and its translation (plain text)."""

    where: str
    source: str
    translation: str


@dataclass
class Variants:
    """One English text (or glossary term) and its different renderings, each with locations."""

    subject: str
    renderings: dict[str, list[str]] = field(default_factory=dict)  # rendering → where
    forbidden: set[str] = field(default_factory=set)
    entry: Entry | None = None

    def ordered(self) -> list[tuple[str, list[str]]]:
        return sorted(self.renderings.items(), key=lambda item: (-len(item[1]), item[0]))


def source_key(text: str) -> str:
    return _FINAL.sub("", _SPACES.sub(" ", unicodedata.normalize("NFKC", text)).strip()).casefold()


def target_key(text: str) -> str:
    return _FINAL.sub("", _SPACES.sub("", unicodedata.normalize("NFKC", text)))


def same_source_different_target(rows: Iterable[Row]) -> list[Variants]:
    """English segments translated in more than one way, in order of first appearance."""
    groups: dict[str, Variants] = {}
    seen_text: dict[str, dict[str, str]] = defaultdict(dict)  # source key → target key → shown text
    for row in rows:
        key = source_key(row.source)
        if not key or not any(c.isalpha() for c in key) or not row.translation.strip():
            continue
        variants = groups.setdefault(key, Variants(row.source.strip()))
        shown = seen_text[key].setdefault(target_key(row.translation), row.translation.strip())
        variants.renderings.setdefault(shown, []).append(row.where)
    return [v for v in groups.values() if len(v.renderings) > 1]


def terms_rendered_differently(rows: Iterable[Row], matcher: Matcher, lang: str) -> list[Variants]:
    """Glossary entries found in the English whose translations use more than one of their
    renderings across the rows, or a forbidden one; in glossary term order."""
    found: dict[int, Variants] = {}
    for row in rows:
        for match in matcher.find(row.source):
            entry = match.entry
            rendering = entry.rendering(lang)
            if entry.keep or rendering is None:
                continue
            used = _used(entry.required(lang), rendering.forbidden, row.translation)
            if not used:
                continue
            variants = found.setdefault(id(entry), Variants(entry.term, entry=entry))
            for text in used:
                variants.renderings.setdefault(text, [])
                if row.where not in variants.renderings[text]:
                    variants.renderings[text].append(row.where)
                if text in rendering.forbidden:
                    variants.forbidden.add(text)
    chosen = [v for v in found.values() if len(v.renderings) > 1 or v.forbidden]
    return sorted(chosen, key=lambda v: v.subject.casefold())


def _used(required: Sequence[str], forbidden: Sequence[str], translation: str) -> list[str]:
    """The renderings of one entry present in a translation; a longer one hides those inside it
    (推論エンドポイント is not also a use of 推論)."""
    present = [r for r in dict.fromkeys((*required, *forbidden)) if r and rendering_pattern(r).search(translation)]
    return [r for r in present if not any(r != other and r in other for other in present)]
