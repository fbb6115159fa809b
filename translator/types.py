"""The plain objects that flow between the stages of a run.

Every stage (reader, segmenter, glossary, memory, backend, checks, quality, writer) takes and
returns these, so the CLI, the tests and third-party plugins meet at one seam.

Inline markup. A segment's ``text`` is *tagged text*: XML-escaped characters plus two kinds of
inline codes, borrowed from XLIFF:

* ``<g id="N">…</g>`` — a paired code (bold, a link, an HTML ``<span>``). Its content is
  translatable; the markup that opens and closes it is kept in ``Span.opening``/``Span.closing``.
* ``<x id="N"/>`` — a standalone code standing for protected source text (inline code, a URL, an
  HTML anchor, a placeholder, a glossary keep-term). The original is kept in ``Span.opening`` and
  put back verbatim, so no backend can alter it.

Backends see the same codes (or placeholders, for backends without tag handling), which is what
lets one representation serve Markdown, HTML and subtitles alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Severity = Literal["critical", "functional", "cosmetic"]
Verdict = Literal["ok", "review", "literal"]


@dataclass(frozen=True)
class Span:
    """An inline code of a segment: protected text or a translatable pair of markup."""

    id: str
    kind: str  # code, url, link, html, anchor, placeholder, term, strong, em, br, …
    opening: str  # the protected text (standalone) or the opening markup (paired)
    closing: str = ""
    paired: bool = False
    attrs: dict[str, str] = field(default_factory=dict, compare=False)


@dataclass
class Segment:
    """One translatable unit of a document, in reading order."""

    id: str
    kind: str  # heading, paragraph, list-item, table-cell, blockquote, cue, text, question, …
    text: str  # tagged text, see the module docstring
    spans: dict[str, Span] = field(default_factory=dict)
    line: int | None = None  # 1-based line in the source file, for messages
    translate: bool = True
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass
class Document:
    """A source read into ordered segments plus what its writer needs to rebuild the format."""

    source: str  # a path, a URL or "-"
    format: str
    segments: list[Segment]
    skeleton: Any = None
    meta: dict[str, Any] = field(default_factory=dict)

    def translatable(self) -> list[Segment]:
        return [s for s in self.segments if s.translate]


@dataclass
class Finding:
    """Something a check noticed about one segment's translation."""

    segment_id: str
    check: str  # e.g. glossary.forbidden, rule.ja.anata, tags.missing
    severity: Severity
    message: str
    expected: str | None = None
    found: str | None = None
    repaired: bool = False
    span: tuple[int, int] | None = None  # character offsets in the plain translation


@dataclass
class Translation:
    """The translation of one segment, with everything learned about it along the way."""

    segment_id: str
    text: str  # tagged text, same codes as the source segment
    origin: str = "backend"  # backend | memory | untranslated
    back_translation: str | None = None
    scores: dict[str, float] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    verdict: Verdict | None = None
    alternatives: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class RunSignature:
    """What produced a result, so it can be reproduced and cached safely (never a key)."""

    backend: str
    source_lang: str
    target_lang: str
    backend_options: str = ""  # a stable description of options that change output
    glossary_hash: str = ""
    tool_version: str = ""

    def cache_scope(self) -> str:
        return "|".join(
            [self.backend, self.source_lang, self.target_lang, self.backend_options, self.glossary_hash]
        )
