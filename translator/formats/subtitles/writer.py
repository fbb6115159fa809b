"""Rebuild a subtitle file: the source text with only cue payloads rewritten.

A unit's translation is cut over its cues in proportion to the source characters of each cue
(see ``breaks``), then wrapped to ``max_line`` if asked. A unit whose translation is its
source (nothing to translate, or a run without translations) keeps its cues byte for byte.
Without ``max_line`` each speaker's share of a cue is one line. Dropped sound cues are left out
and, when the SRT numbering was consecutive, the remaining cues are renumbered.
"""

from __future__ import annotations

from collections.abc import Mapping

from ... import markup
from ...types import Segment
from ..base import Bilingual, with_source
from .breaks import Flat, distribute, wrap
from .cuetext import markup_free
from .model import Part, SubtitleLayout
from .srt import index_numbers


def write_layout(
    layout: SubtitleLayout,
    segments: Mapping[str, Segment],
    translations: Mapping[str, str],
    *,
    bilingual: Bilingual,
    target_lang: str,
    max_line: int | None,
) -> str:
    translated_parts: dict[int, list[str]] = {}
    for unit in layout.units:
        segment = segments.get(unit.segment_id)
        if segment is None:
            continue
        translation = translations.get(segment.id, segment.text)
        if translation == segment.text:
            continue
        flat = Flat(translation, segment.spans)
        parts = [layout.parts[i] for i in unit.parts]
        ranges = distribute(flat, [part.length for part in parts], target_lang)
        for index, part, (start, end) in zip(unit.parts, parts, ranges, strict=True):
            translated_parts[index] = _lines(flat, start, end, part, segment, layout, target_lang, max_line)

    changed = {layout.parts[index].cue for index in translated_parts}
    # A cue shows its source lines when any sentence it carries is to be shown with its source.
    with_source_lines = {
        layout.parts[index].cue
        for unit in layout.units
        if with_source(bilingual, unit.segment_id)
        for index in unit.parts
    }
    payloads: dict[int, list[str]] = {number: [] for number in changed}
    for index, part in enumerate(layout.parts):
        if part.cue in changed:
            if index in translated_parts:
                payloads[part.cue].extend(translated_parts[index])
            elif part.cue not in with_source_lines:
                payloads[part.cue].extend(part.raw_lines)

    edits: list[tuple[int, int, str]] = []
    for cue in layout.cues:
        if cue.number in layout.dropped:
            edits.append((*cue.block_span, ""))
        elif cue.number in payloads:
            lines = [*cue.lines, *payloads[cue.number]] if cue.number in with_source_lines else payloads[cue.number]
            edits.append((*cue.payload_span, "\n".join(lines)))
    if layout.dropped and layout.syntax == "srt":
        edits.extend(_renumbering(layout))
    return _apply(layout.text, edits)


def _lines(
    flat: Flat,
    start: int,
    end: int,
    part: Part,
    segment: Segment,
    layout: SubtitleLayout,
    target_lang: str,
    max_line: int | None,
) -> list[str]:
    if max_line is None:
        ranges = [(start, end)]
    else:
        first_width = max_line - len(markup_free(part.prefix, layout.syntax))
        ranges = wrap(flat, start, end, max_line, first_width, target_lang)
    escape_text = _vtt_escape if layout.syntax == "vtt" else _srt_clean
    lines: list[str] = []
    for line_start, line_end in ranges:
        rendered = markup.render(flat.tagged_slice(line_start, line_end), segment.spans, escape_text).strip()
        if rendered:
            lines.append(rendered)
    if lines:
        lines[0] = part.prefix + lines[0]
        lines[-1] += part.suffix
    return lines


def _vtt_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("-->", "--&gt;")


def _srt_clean(text: str) -> str:
    return text.replace("-->", "→")


def _renumbering(layout: SubtitleLayout) -> list[tuple[int, int, str]]:
    """New numbers for the cues that remain, if the file numbered its cues 1, 2, 3, … (or k, k+1, …)."""
    numbers = index_numbers(layout.text, layout.cues)
    if not numbers or numbers[0] is None or any(n != numbers[0] + i for i, n in enumerate(numbers)):
        return []
    edits: list[tuple[int, int, str]] = []
    next_number = numbers[0]
    for cue in layout.cues:
        if cue.number in layout.dropped or cue.index_span is None:
            continue
        edits.append((*cue.index_span, str(next_number)))
        next_number += 1
    return edits


def _apply(text: str, edits: list[tuple[int, int, str]]) -> str:
    out: list[str] = []
    position = 0
    for start, end, replacement in sorted(edits, key=lambda e: (e[0], e[1])):
        if start < position:  # an index inside a dropped cue
            continue
        out.append(text[position:start])
        out.append(replacement)
        position = end
    out.append(text[position:])
    return "".join(out)
