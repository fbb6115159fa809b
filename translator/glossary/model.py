"""The glossary as plain immutable objects: what a loader produces and every other stage reads.

One ``Entry`` is one concept: an English term with its spelling variants, the case rule for
matching it, the context words an ambiguous term needs nearby to mean this concept, and per target language the renderings a translation must (``preferred``/``allowed``)
and must not (``forbidden``) use. ``keep`` entries are do-not-translate: the term itself is the only
acceptable rendering. ``origin`` (file, line) lets every later message point at the YAML line.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field

CASE_RULES = ("exact", "insensitive")
PARTS_OF_SPEECH = ("noun", "proper-noun", "verb", "adjective", "phrase", "acronym")


@dataclass(frozen=True)
class Rendering:
    """How one entry is rendered in one target language."""

    preferred: str | None
    allowed: tuple[str, ...] = ()
    forbidden: tuple[str, ...] = ()
    note: str | None = None


@dataclass(frozen=True)
class Entry:
    """One concept of the glossary (see the module docstring)."""

    term: str
    aliases: tuple[str, ...] = ()
    case: str = "insensitive"
    keep: bool = False
    pos: str | None = None
    domain: tuple[str, ...] = ()
    context: tuple[str, ...] = ()  # words one of which must occur nearby for the entry to apply
    source: str | None = None
    note: str | None = None
    targets: Mapping[str, Rendering] = field(default_factory=dict)
    origin: tuple[str, int] | None = field(default=None, compare=False)

    @property
    def surfaces(self) -> tuple[str, ...]:
        """The English forms that match this entry: the term, then its aliases."""
        return (self.term, *self.aliases)

    def rendering(self, lang: str) -> Rendering | None:
        """The rendering for ``lang`` (``ja-JP`` falls back to ``ja``); keep entries always have one."""
        found = self.targets.get(lang) or self.targets.get(lang.split("-")[0].lower())
        if found is None and self.keep:
            return Rendering(self.term)
        if found is not None and found.preferred is None and self.keep:
            return Rendering(self.term, found.allowed, found.forbidden, found.note)
        return found

    def required(self, lang: str) -> tuple[str, ...]:
        """Renderings of which one must appear in a ``lang`` translation (preferred first)."""
        rendering = self.rendering(lang)
        if rendering is None:
            return ()
        first = (rendering.preferred,) if rendering.preferred else ()
        return tuple(dict.fromkeys((*first, *rendering.allowed)))

    def __hash__(self) -> int:
        return hash((self.term, self.aliases, self.case, self.keep))

    def where(self) -> str:
        """``file:line`` of the entry, for messages."""
        if self.origin is None:
            return "<glossary>"
        return f"{self.origin[0]}:{self.origin[1]}"


@dataclass(frozen=True)
class Glossary:
    """Entries merged from one or more files, in load order, overrides applied."""

    entries: tuple[Entry, ...] = ()
    files: tuple[str, ...] = ()

    def for_target(self, lang: str) -> tuple[Entry, ...]:
        """Entries that say something about ``lang``: keep entries and those with a rendering."""
        return tuple(e for e in self.entries if e.keep or e.rendering(lang) is not None)

    def content_hash(self, lang: str) -> str:
        """A short stable hash of everything that affects ``lang`` output (scopes the memory)."""
        digest = hashlib.sha256(f"glossary>{lang}\n".encode())
        for entry in sorted(self.for_target(lang), key=lambda e: (e.term.lower(), e.term)):
            rendering = entry.rendering(lang)
            record = [
                entry.term,
                list(entry.aliases),
                entry.case,
                entry.keep,
                [rendering.preferred, list(rendering.allowed), list(rendering.forbidden)] if rendering else None,
            ]
            if entry.context:  # only when given, so hashes of glossaries without it stay the same
                record.append(list(entry.context))
            digest.update(json.dumps(record, ensure_ascii=False).encode("utf-8"))
            digest.update(b"\n")
        return digest.hexdigest()[:16]

    def __len__(self) -> int:
        return len(self.entries)
