"""The target-language wording of multi-select markers, taken from the shared glossary.

Readers protect "(Select TWO.)" as a code (see ``inline``); writers ask here for the phrase the
glossary's exam-phrase entries give (``term: "(Select TWO.)"``, ``targets.ja.preferred:
"（2 つ選択）"``). Any shipped glossary entry whose term or alias is such a marker counts, so the
file may be named and organised freely. Without a phrase the English marker is kept, which is
still correct, only untranslated.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path

from ... import markup
from ...types import Segment, Span
from .inline import MARKER_KIND, MARKER_RE, count_of


def phrases_from(entries: Iterable[object], lang: str) -> dict[int, str]:
    """count → phrase for ``lang``, from glossary entries that are multi-select markers."""
    found: dict[int, str] = {}
    for entry in entries:
        rendering = entry.rendering(lang)  # type: ignore[attr-defined]
        if rendering is None or not rendering.preferred:
            continue
        for surface in entry.surfaces:  # type: ignore[attr-defined]
            match = MARKER_RE.fullmatch(surface.strip())
            if match:
                found.setdefault(count_of(match.group("count")), rendering.preferred)
    return found


@lru_cache(maxsize=8)
def shipped_phrases(lang: str) -> Mapping[int, str]:
    """The phrases of the shipped glossaries (read once per language and process)."""
    try:
        from ...glossary.loader import parse_yaml, shipped_paths
    except ImportError:
        return {}
    entries: list[object] = []
    for path in shipped_paths():
        entries.extend(parse_yaml(Path(path)).entries)
    return phrases_from(entries, lang)


def marker_spans(spans: Mapping[str, Span], lang: str, phrases: Mapping[int, str] | None = None) -> dict[str, Span]:
    """``spans`` with each multi-select marker replaced by the ``lang`` phrase, where one exists."""
    table = shipped_phrases(lang) if phrases is None else phrases
    out = dict(spans)
    for code_id, span in spans.items():
        if span.kind == MARKER_KIND:
            phrase = table.get(int(span.attrs.get("count", "0")))
            if phrase:
                out[code_id] = Span(span.id, span.kind, phrase, attrs=dict(span.attrs))
    return out


def source_text(segment: Segment) -> str:
    """The segment as it was in the source."""
    return markup.render(segment.text, segment.spans)


def target_text(segment: Segment, translations: Mapping[str, str], lang: str) -> str:
    """The segment's translation, with the multi-select marker in the target language."""
    if not segment.translate or segment.id not in translations:
        return source_text(segment)
    return markup.render(translations[segment.id], marker_spans(segment.spans, lang))
