"""The glossary inside ``translate``: protect keep-terms, feed the backend, verify and repair.

1. ``protect`` turns keep-terms in a segment's text runs into ``<x/>`` codes (kind ``term``), so the
   original comes back byte-identical whatever the backend does.
2. ``native_pairs`` gives backends with a native glossary (DeepL) the term → rendering pairs;
   ``instructions`` gives LLM backends the entries that occur in a batch.
3. ``check`` verifies every term found in the source: a preferred or allowed rendering must be in
   the translation, no forbidden one. A forbidden rendering is replaced by the preferred one when
   that is unambiguous; anything left is a finding for the run summary and the JSON report.

Japanese output writes a half-width space between Latin and Japanese words inconsistently
(``責任ある AI`` / ``責任あるAI``), so renderings are compared with those spaces optional.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from .. import markup
from ..backends.base import GlossaryPairs
from ..config import Settings
from ..types import Finding, Segment, Span, Translation
from .loader import load_glossary
from .matcher import Match, Matcher, RunMatches
from .model import Entry, Glossary
from .source_terms import SourceTerms, source_terms

# Characters a format writer may escape; a keep-term containing one is left to the backend,
# since a protected original is written back verbatim.
UNSAFE_TO_PROTECT = frozenset("&<>\"'")
MAX_INSTRUCTION_ENTRIES = 80


def build_glossary_stage(settings: Settings, paths: Sequence[str | Path], *, repair: bool = True) -> GlossaryStage:
    """Shipped glossaries, then ``paths`` (config first, then ``--glossary``), for the run's target.
    ``repair=False`` (``translator check``) reports forbidden renderings without rewriting a
    translation that belongs to the user."""
    return GlossaryStage(load_glossary(list(paths)), settings.target, repair=repair)


def _is_wide(char: str) -> bool:
    """Japanese and other full-width script, where a neighbouring space is optional."""
    return unicodedata.east_asian_width(char) in ("W", "F")


@lru_cache(maxsize=4096)
def rendering_pattern(rendering: str) -> re.Pattern[str]:
    """A pattern for ``rendering`` with spaces next to Japanese optional and Latin words bounded."""
    parts: list[str] = []
    previous = ""
    for chunk in rendering.split():
        if previous:
            parts.append(r"\s*" if _is_wide(previous[-1]) or _is_wide(chunk[0]) else r"\s+")
        for index, char in enumerate(chunk):
            if index and _is_wide(chunk[index - 1]) != _is_wide(char):
                parts.append(r"\s*")
            parts.append(re.escape(char))
        previous = chunk
    head = r"(?<![A-Za-z0-9])" if rendering[:1].isascii() and rendering[:1].isalnum() else ""
    tail = r"(?![A-Za-z0-9])" if rendering[-1:].isascii() and rendering[-1:].isalnum() else ""
    return re.compile(head + "".join(parts) + tail)


def occurrences(rendering: str, text: str) -> list[tuple[int, int]]:
    return [m.span() for m in rendering_pattern(rendering).finditer(text)]


def contains(rendering: str, text: str) -> bool:
    return rendering_pattern(rendering).search(text) is not None


class GlossaryStage:
    """Enforces one glossary for one target language (see the module docstring)."""

    def __init__(self, glossary: Glossary, target_lang: str, *, repair: bool = True) -> None:
        self.glossary = glossary
        self.target_lang = target_lang
        self.repair = repair
        self.content_hash = glossary.content_hash(target_lang)
        self.matcher = Matcher(glossary, target_lang)
        self._pairs: dict[tuple[str, str], GlossaryPairs | None] = {}
        self._required_renderings: dict[int, tuple[str, ...]] = {}
        self._missing_messages: dict[tuple[str, tuple[str, ...]], str] = {}
        self._shared_attrs: dict[str, dict[str, str]] = {}

    def _required(self, entry: Entry) -> tuple[str, ...]:
        """The entry's preferred and allowed renderings in the run's target, worked out once."""
        found = self._required_renderings.get(id(entry))
        if found is None:
            found = self._required_renderings[id(entry)] = tuple(entry.required(self.target_lang))
        return found

    def _term_attrs(self, entry: Entry) -> dict[str, str]:
        """The attributes of a protected term's code, one dict per entry shared by all its codes
        (nothing writes to a span's attributes): a document of 100,000 segments holds a few
        hundred thousand such codes until it is written."""
        attrs = self._shared_attrs.get(entry.term)
        if attrs is None:
            if len(self._shared_attrs) >= 4096:
                self._shared_attrs.clear()
            attrs = self._shared_attrs[entry.term] = {"term": entry.term}
        return attrs

    def _missing_message(self, entry: Entry, required: tuple[str, ...]) -> str:
        """One string per entry and renderings, shared by all its findings: a document where a
        term is missing from every segment holds one of these per segment."""
        key = (entry.term, required)
        message = self._missing_messages.get(key)
        if message is None:
            if len(self._missing_messages) >= 4096:
                self._missing_messages.clear()
            message = self._missing_messages[key] = f"'{entry.term}' should be rendered {' or '.join(required)}"
        return message

    # -- before translation ------------------------------------------------------------------

    def protect(self, segment: Segment) -> Segment:
        runs = source_terms(segment, self.matcher).runs
        if not any(m.entry.keep for run in runs for m in run.matches):
            return segment
        spans = dict(segment.spans)
        counter = 0
        out: list[str] = []
        protected_runs: list[RunMatches] = []  # the protected text's runs, with the matches left in them
        for run in runs:
            token = run.token
            if token.kind != "text":
                out.append(markup.code_markup(token))
                protected_runs.append(run)
                continue
            pos = 0
            left: list[Match] = []
            for match in run.matches:
                stem = match.stem()
                if not match.entry.keep or UNSAFE_TO_PROTECT.intersection(stem):
                    left.append(match)
                    continue
                _add_text_run(protected_runs, token.value[pos : match.start], left, pos)
                out.append(markup.escape(token.value[pos : match.start]))
                counter += 1
                while f"t{counter}" in spans:
                    counter += 1
                code_id = f"t{counter}"
                spans[code_id] = Span(code_id, "term", stem, attrs=self._term_attrs(match.entry))
                out.append(f'<x id="{code_id}"/>')
                protected_runs.append(RunMatches(markup.Token("x", code_id)))
                pos = match.start + len(stem)
                left = []
            _add_text_run(protected_runs, token.value[pos:], left, pos)
            out.append(markup.escape(token.value[pos:]))
        text = "".join(out)
        return replace(segment, text=text, spans=spans, glossary_terms=SourceTerms(self.matcher, text, protected_runs))

    def native_pairs(self, source_lang: str, target_lang: str) -> GlossaryPairs | None:
        key = (source_lang, target_lang)
        if key not in self._pairs:
            pairs: dict[str, str] = {}
            for entry in self.glossary.entries:
                rendering = entry.rendering(target_lang)
                if entry.keep or rendering is None or not rendering.preferred:
                    continue
                for surface in entry.surfaces:
                    pairs.setdefault(surface, rendering.preferred)
            self._pairs[key] = GlossaryPairs(source_lang, target_lang, tuple(pairs.items())) if pairs else None
        return self._pairs[key]

    def instructions(self, texts: Sequence[str], target_lang: str) -> str | None:
        found: dict[str, Entry] = {}
        for text in texts:
            for match in self.matcher.find(_backend_plain(text)):
                found.setdefault(match.entry.term, match.entry)
        lines: list[str] = []
        for entry in list(found.values())[:MAX_INSTRUCTION_ENTRIES]:
            rendering = entry.rendering(target_lang)
            if rendering is None:
                continue
            if entry.keep:
                line = f"- {entry.term}: keep in English exactly as written"
            else:
                line = f"- {entry.term} → {rendering.preferred}"
                if rendering.allowed:
                    line += f" (also acceptable: {', '.join(rendering.allowed)})"
            if rendering.forbidden:
                line += f"; never {', '.join(rendering.forbidden)}"
            lines.append(line)
        if not lines:
            return None
        return "Use these glossary renderings:\n" + "\n".join(lines)

    # -- after translation -------------------------------------------------------------------

    def check(self, segment: Segment, translation: Translation) -> Translation:
        matches = source_terms(segment, self.matcher).matches
        if not matches:
            return translation
        entries = list(dict.fromkeys(m.entry for m in matches))
        # How many of this segment's entries require each rendering, to tell per entry whether
        # another one requires it (without rebuilding that set for every entry).
        requiring = Counter(r for e in entries for r in set(self._required(e)))
        text = translation.text
        findings = list(translation.findings)
        # The translation carries the source's codes, so their originals come from the segment.
        plain = markup.plain(text, segment.spans)
        runs = _text_runs(text)
        for entry in entries:
            # A forbidden word that another term of this segment requires (推測 for "guess") says
            # nothing about this term; whether this term's rendering is there is still checked.
            own = set(self._required(entry))
            rendering = entry.rendering(self.target_lang)
            if rendering is None:
                continue
            required = self._required(entry)
            if entry.keep:  # a kept term may be written as the source wrote it ("amazon s3")
                required = tuple(dict.fromkeys((*required, *(m.stem() for m in matches if m.entry is entry))))
            forbidden_here = [f for f in rendering.forbidden if requiring[f] - (f in own) <= 0]
            for forbidden in forbidden_here:
                if not self.repair or not rendering.preferred or not contains(forbidden, runs):
                    continue
                text, count = _replace_forbidden(text, forbidden, rendering.preferred, required)
                if count:
                    plain, runs = markup.plain(text, segment.spans), _text_runs(text)
                    findings.append(
                        Finding(
                            segment.id,
                            "glossary.forbidden",
                            "functional",
                            f"'{entry.term}' was rendered {forbidden}; replaced by {rendering.preferred}",
                            expected=rendering.preferred,
                            found=forbidden,
                            repaired=True,
                        )
                    )
            for forbidden in forbidden_here:
                spans = _outside(occurrences(forbidden, plain), [o for r in required for o in occurrences(r, plain)])
                if spans:
                    findings.append(
                        Finding(
                            segment.id,
                            "glossary.forbidden",
                            "functional",
                            f"'{entry.term}' must not be rendered {forbidden}"
                            + (f" (use {rendering.preferred})" if rendering.preferred else ""),
                            expected=rendering.preferred,
                            found=forbidden,
                            span=spans[0],
                        )
                    )
            if required and not any(contains(r, plain) for r in required):
                findings.append(
                    Finding(
                        segment.id,
                        "glossary.missing",
                        "functional",
                        self._missing_message(entry, required),
                        expected=required[0],
                        found=None,
                    )
                )
        if text == translation.text and len(findings) == len(translation.findings):
            return translation
        return replace(translation, text=text, findings=findings)


def _add_text_run(runs: list[RunMatches], value: str, matches: list[Match], offset: int) -> None:
    """A piece of a text run between protected terms, with its matches moved to its offsets."""
    if value:
        if offset:  # the constructor, not dataclasses.replace: this runs for every protected segment
            inside = tuple(Match(m.start - offset, m.end - offset, m.entry, m.surface, m.base) for m in matches)
        else:
            inside = tuple(matches)
        runs.append(RunMatches(markup.Token("text", value), inside))


def _backend_plain(text: str) -> str:
    """What a batch text says, with the words inside ``<x>…</x>`` kept (they carry keep-terms)."""
    return markup.unescape(re.sub(r"<[^>]+>", " ", text))


def _outside(found: list[tuple[int, int]], allowed: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Occurrences of a forbidden rendering that are not part of a required one (モデル in 基盤モデル)."""
    return [f for f in found if not any(a[0] <= f[0] and f[1] <= a[1] for a in allowed)]


def _text_runs(tagged: str) -> str:
    """The text runs ``_replace_forbidden`` edits, one per line: a rendering found in no run is
    not searched for again run by run (the common case, and the costly one on long documents)."""
    return markup.plain(tagged, {}, keep_protected=False, gap="\n")


def _replace_forbidden(tagged: str, forbidden: str, preferred: str, required: Sequence[str]) -> tuple[str, int]:
    """Replace ``forbidden`` by ``preferred`` in the text runs of a tagged translation."""
    out: list[str] = []
    count = 0
    for token in markup.tokens(tagged):
        if token.kind != "text":
            out.append(markup.code_markup(token))
            continue
        value = token.value
        keep = [o for r in required for o in occurrences(r, value)]
        pieces: list[str] = []
        pos = 0
        for start, end in _outside(occurrences(forbidden, value), keep):
            pieces.append(value[pos:start])
            pieces.append(preferred)
            pos = end
            count += 1
        pieces.append(value[pos:])
        out.append(markup.escape("".join(pieces)))
    return ("".join(out), count) if count else (tagged, 0)
