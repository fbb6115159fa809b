"""Look a word up in the glossary, in either language, by part of a term.

``Matcher`` finds whole terms in running text, which is what translation needs but not what a
person asking "what do we call drift?" types. Here a query matches any term, alias or rendering
(preferred, allowed or forbidden, in any target language) that contains it, compared after
folding case, width (NFKC) and separators, so "fine tune" finds ``fine-tuning``, "drift" finds
``data drift`` and ``model drift``, and 推論 finds ``inference`` and the terms rendered with it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from .model import Entry

_SEPARATORS = re.compile(r"[\s\-_‐‑–—・･/.]+")
MIN_QUERY = 2  # one letter would match most of the glossary


def folded(text: str) -> str:
    """Case, width and separators folded away: "Fine-Tune", "fine tune" and "ｆｉｎｅｔｕｎｅ" agree."""
    return _SEPARATORS.sub("", unicodedata.normalize("NFKC", text).casefold())


@dataclass(frozen=True)
class Hit:
    """``entry`` matched through ``text``, which is its ``field`` (term, alias, ja, ja forbidden, …)."""

    entry: Entry
    field: str
    text: str
    rank: int  # 0 the whole field, 1 its start, 2 elsewhere in it


def _fields(entry: Entry) -> Iterable[tuple[str, str]]:
    yield "term", entry.term
    for alias in entry.aliases:
        yield "alias", alias
    for lang, rendering in sorted(entry.targets.items()):
        if rendering.preferred:
            yield lang, rendering.preferred
        for allowed in rendering.allowed:
            yield f"{lang} allowed", allowed
        for forbidden in rendering.forbidden:
            yield f"{lang} forbidden", forbidden


def lookup(entries: Iterable[Entry], query: str) -> list[Hit]:
    """Entries with a field containing ``query``, best first: whole-field matches, then
    prefixes, then the rest, shorter terms before longer ones. One hit per entry."""
    key = folded(query)
    if len(key) < MIN_QUERY:
        return []
    hits: list[Hit] = []
    for entry in entries:
        best: Hit | None = None
        for field, text in _fields(entry):
            value = folded(text)
            position = value.find(key)
            if position < 0:
                continue
            rank = 0 if value == key else 1 if position == 0 else 2
            if best is None or rank < best.rank:
                best = Hit(entry, field, text, rank)
        if best is not None:
            hits.append(best)
    return sorted(hits, key=lambda h: (h.rank, len(h.entry.term), h.entry.term.casefold()))
