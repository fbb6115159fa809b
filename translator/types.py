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


# A document holds one of each per segment (100,000 in the largest): slotted, no per-object dict.
@dataclass(frozen=True, slots=True)
class Span:
    """An inline code of a segment: protected text or a translatable pair of markup."""

    id: str
    kind: str  # code, url, link, html, anchor, placeholder, term, strong, em, br, …
    opening: str  # the protected text (standalone) or the opening markup (paired)
    closing: str = ""
    paired: bool = False
    attrs: dict[str, str] = field(default_factory=dict, compare=False)


@dataclass(slots=True)
class Segment:
    """One translatable unit of a document, in reading order."""

    id: str
    kind: str  # heading, paragraph, list-item, table-cell, blockquote, cue, text, question, …
    text: str  # tagged text, see the module docstring
    spans: dict[str, Span] = field(default_factory=dict)
    line: int | None = None  # 1-based line in the source file, for messages
    translate: bool = True
    meta: dict[str, Any] = field(default_factory=dict)
    # The glossary's matches in ``text``, found once and read by protect, check and the quality
    # checks (``translator.glossary.source_terms``); a cache, never compared or printed.
    glossary_terms: Any = field(default=None, compare=False, repr=False)


Problem = tuple[int | None, str]  # (1-based line or None, what is wrong)


@dataclass(repr=False)
class Document:
    """A source read into ordered segments plus what its writer needs to rebuild the format.

    The typed fields are what crosses stages: how the source was encoded (the writer encodes the
    output the same way), records a reader could not use (written unchanged, and the source is
    reported failed), a different output suffix (Transcribe JSON is written as subtitles), and the
    quality stage's per-document result. ``meta`` is private to the format that read the document.
    """

    source: str  # a path, a URL or "-"
    format: str  # the format whose writer rebuilds it (may be more specific than the job's)
    segments: list[Segment]
    skeleton: Any = None
    meta: dict[str, Any] = field(default_factory=dict)
    newline: str = "\n"  # "\n" or "\r\n", as the source had it
    bom: bool = False
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)  # a writer's, about its output: (line there, what)
    output_suffix: str | None = None
    quality: Any = None  # translator.quality.summary.DocumentQuality, once judged

    def translatable(self) -> list[Segment]:
        return [s for s in self.segments if s.translate]

    def __repr__(self) -> str:  # a whole document's text in a repr costs seconds on large runs
        return f"Document({self.source!r}, {self.format!r}, {len(self.segments)} segments)"


@dataclass(slots=True)  # a run holds many (one per rule hit): no per-object dict
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


@dataclass(repr=False, slots=True)
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

    def __repr__(self) -> str:
        return f"Translation({self.segment_id!r}, {self.origin}, {self.verdict})"


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
        return "|".join([self.backend, self.source_lang, self.target_lang, self.backend_options, self.glossary_hash])
