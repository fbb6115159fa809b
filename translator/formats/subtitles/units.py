"""Sentences that run across cues become one segment, so a backend translates whole sentences.

Consecutive cue parts are joined into a unit until one of them ends a sentence (. ? ! … or 。！？,
possibly followed by a closing quote or bracket). A unit also ends before a speaker turn (a "- "
or ">> " line, a VTT voice, a Transcribe speaker change), before and after a sound cue, at a pause
of more than 1.5 s, and at a size limit, so an unpunctuated transcript still yields segments of
sentence size. Each unit remembers the screen length of each part: the writer spreads the
translation over the same cues in those proportions.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from ...markup import TaggedTextBuilder
from ...types import Segment
from .cuetext import CJK_RE, cue_parts, is_sound_cue, ops_plain, replay
from .model import CueBlock, Part, SubtitleLayout, Syntax, Unit

MAX_PAUSE = timedelta(seconds=1.5)
MAX_UNIT_PARTS = 8
MAX_UNIT_CHARS = 400
SENTENCE_END = frozenset(".?!…。！？‼⁇⁈⁉")
CLOSERS = frozenset("\"'”’»)]」』）")
SOUND_MODES = ("keep", "translate", "drop")


def build_layout(
    syntax: Syntax, text: str, cues: list[CueBlock], sound_cues: str = "translate"
) -> tuple[SubtitleLayout, list[Segment]]:
    layout = SubtitleLayout(syntax, text, cues)
    segments: list[Segment] = []
    current: list[int] = []

    def flush() -> None:
        if current:
            _add_unit(layout, segments, list(current), "cue" if len(current) == 1 else "cue-group")
            current.clear()

    for cue in cues:
        if not any(line.strip() for line in cue.lines):
            continue
        if is_sound_cue(cue, syntax):
            flush()
            if sound_cues == "drop":
                layout.dropped.add(cue.number)
            elif sound_cues == "translate":
                first = len(layout.parts)
                layout.parts.extend(cue_parts(cue, syntax))
                _add_unit(layout, segments, list(range(first, len(layout.parts))), "sound")
            continue
        for part in cue_parts(cue, syntax):
            if current and _ends_unit(layout, current, part):
                flush()
            layout.parts.append(part)
            current.append(len(layout.parts) - 1)
    flush()
    return layout, segments


def _ends_unit(layout: SubtitleLayout, current: Sequence[int], following: Part) -> bool:
    """True when ``following`` must start a new unit instead of continuing the current one."""
    last = layout.parts[current[-1]]
    if _ends_sentence(ops_plain(last.ops)) or following.starts_turn:
        return True
    if following.voice is not None and following.voice != last.voice:
        return True
    if following.cue != last.cue:
        before, after = layout.cues[last.cue - 1], layout.cues[following.cue - 1]
        if following.cue != last.cue + 1 or after.start - before.end > MAX_PAUSE:
            return True
    if len(current) >= MAX_UNIT_PARTS:
        return True
    return sum(layout.parts[i].length for i in current) + following.length > MAX_UNIT_CHARS


def _ends_sentence(text: str) -> bool:
    text = text.rstrip()
    while text and text[-1] in CLOSERS:
        text = text[:-1].rstrip()
    return bool(text) and text[-1] in SENTENCE_END


def _add_unit(layout: SubtitleLayout, segments: list[Segment], indexes: list[int], kind: str) -> None:
    parts = [layout.parts[i] for i in indexes]
    first = parts[0]
    position = 0
    while indexes[0] - position > 0 and layout.parts[indexes[0] - position - 1].cue == first.cue:
        position += 1
    segment_id = f"cue{first.cue}" if position == 0 else f"cue{first.cue}.{position + 1}"
    builder = TaggedTextBuilder()
    depth = [0]
    previous = ""
    for part in parts:
        plain = ops_plain(part.ops)
        if previous and plain and not (CJK_RE.match(previous[-1]) and CJK_RE.match(plain[0])):
            builder.text(" ")
        replay(builder, part.ops, depth)
        previous = plain or previous
    tagged, spans = builder.build()
    segments.append(
        Segment(
            segment_id,
            kind,
            tagged,
            spans,
            line=layout.cues[first.cue - 1].line,
            meta={"cues": [p.cue for p in parts], "lengths": [p.length for p in parts]},
        )
    )
    layout.units.append(Unit(segment_id, indexes))
