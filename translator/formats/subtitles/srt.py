"""SRT with the ``srt`` library: its parser validates the file, its grammar locates each cue.

``srt.parse`` decides what a valid file is (and names the first garbled stretch); the same
grammar, ``srt.SRT_REGEX``, gives the character ranges of every cue number and payload so the
writer can rewrite payloads and leave every other byte alone.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import srt

from ...errors import InputError
from .._lines import LineCounter
from .model import Cue, CueBlock

EXPECTED_TIMING = "HH:MM:SS,mmm --> HH:MM:SS,mmm"
# The ``srt`` grammar reads "00:00:0X,000" as the time "00:00:0" followed by cue settings "X,000",
# so each timestamp it matched is held to the SubRip shape here, where its line is known. Fields
# past their range (00:00:99,000) are left to ``srt``, which reads them as the time they add up to.
_STRICT_TIMESTAMP = re.compile(r"\d+:\d+:\d+[,.]\d+")


def parse_srt(text: str, source: str) -> list[CueBlock]:
    try:
        subtitles = list(srt.parse(text))
    except srt.SRTParseError as exc:
        raise _garbled(text, exc.expected_start, exc.actual_start, source) from exc
    except ValueError as exc:  # a timestamp field out of range
        raise InputError(f"malformed SRT timestamp ({exc})", path=source) from exc
    matches = list(srt.SRT_REGEX.finditer(text))
    if len(matches) != len(subtitles):
        raise InputError("the SRT parser and its grammar disagree on this file", path=source)
    cues: list[CueBlock] = []
    lines = LineCounter(text)
    for number, (match, subtitle) in enumerate(zip(matches, subtitles, strict=True), start=1):
        payload_start, payload_end = match.span(5)
        timing_line = lines.line_at(match.start(2))
        _check_timing(match, subtitle, source, timing_line)
        content = text[payload_start:payload_end]
        cues.append(
            CueBlock(
                number=number,
                line=timing_line + 1 if content else timing_line,
                start=subtitle.start,
                end=subtitle.end,
                lines=content.split("\n") if content else [],
                payload_span=(payload_start, payload_end),
                block_span=match.span(),
                index_span=match.span(1) if match.group(1) is not None else None,
            )
        )
    return cues


def index_numbers(text: str, cues: Sequence[CueBlock]) -> list[int | None]:
    """The cue numbers as written (None where a cue has none)."""
    numbers: list[int | None] = []
    for cue in cues:
        if cue.index_span is None:
            numbers.append(None)
            continue
        raw = text[cue.index_span[0] : cue.index_span[1]]
        numbers.append(int(raw) if raw.lstrip("-").isdigit() else None)
    return numbers


def compose_srt(cues: Sequence[Cue]) -> str:
    """A fresh SRT file, numbered from 1, in the layout most players expect."""
    blocks = [
        f"{number}\n{srt.timedelta_to_srt_timestamp(cue.start)} --> "
        f"{srt.timedelta_to_srt_timestamp(cue.end)}\n{cue.text}\n"
        for number, cue in enumerate(cues, start=1)
    ]
    return "\n".join(blocks)


def _check_timing(match: re.Match[str], subtitle: srt.Subtitle, source: str, line: int) -> None:
    """A timing line the grammar accepted must still be two real timestamps, in order."""
    settings = match.group(4)
    glued = bool(settings) and not _space_before(match, 4)
    if glued or not all(_STRICT_TIMESTAMP.fullmatch(match.group(g)) for g in (2, 3)):
        shown = match.string[match.start(2) : match.end(4)].strip()
        raise InputError(f"malformed SRT timestamp in '{shown}' (expected {EXPECTED_TIMING})", path=source, line=line)
    if subtitle.end < subtitle.start:
        shown = match.string[match.start(2) : match.end(3)]
        raise InputError(f"cue {subtitle.index} ends before it starts ({shown})", path=source, line=line)


def _space_before(match: re.Match[str], group: int) -> bool:
    start = match.start(group)
    return start > 0 and match.string[start - 1] in " \t"


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _garbled(text: str, start: int, end: int, source: str) -> InputError:
    """Point at the timing line of the stretch the parser could not read, or its first line."""
    stretch = text[start:end]
    lines = stretch.split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), 0)
    arrow = next((i for i, line in enumerate(lines) if "-->" in line or "->" in line), None)
    if arrow is not None:
        shown = lines[arrow].strip()
        return InputError(
            f"malformed SRT cue: bad timing line '{shown}' (expected {EXPECTED_TIMING})",
            path=source,
            line=_line_of(text, start) + arrow,
        )
    shown = lines[first].strip()[:60]
    return InputError(
        f"malformed SRT cue: '{shown}' is not a cue number followed by a timing line ({EXPECTED_TIMING})",
        path=source,
        line=_line_of(text, start) + first,
    )
