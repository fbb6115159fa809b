"""WebVTT with ``webvtt-py``: blocks located line by line, cues confirmed by the library.

The file is cut into blocks with the WebVTT rules ``webvtt-py`` follows (a block ends at an empty
line; a line with "-->" that cannot be the current block's timing line starts a new one), so the
header, NOTE, STYLE and REGION blocks, cue identifiers and cue settings stay where they are, as
written. Every timing line is checked here, where its line number is known, and
``webvtt.from_string`` must then read the same cues with the same text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from datetime import timedelta

import webvtt

from ...errors import InputError
from .model import Cue, CueBlock

_TIMESTAMP = r"(?:\d+:)?\d{1,2}:\d{1,2}\.\d{1,3}"
TIMING_RE = re.compile(rf"\s*({_TIMESTAMP})\s*-->\s*({_TIMESTAMP})(?=[ \t]|$)")
EXPECTED_TIMING = "HH:MM:SS.mmm --> HH:MM:SS.mmm, then optional cue settings"


def parse_vtt(text: str, source: str) -> list[CueBlock]:
    lines = text.split("\n")
    if not re.match(r"WEBVTT(?:[ \t]|$)", lines[0]):
        raise InputError("not a WebVTT file: the first line must start with 'WEBVTT'", path=source, line=1)
    offsets = _line_offsets(lines)
    cues: list[CueBlock] = []
    for first, last in _blocks(lines):
        block = lines[first:last]
        if "-->" in block[0]:
            timing = first
        elif len(block) > 1 and "-->" in block[1]:
            timing = first + 1
        else:
            continue
        match = TIMING_RE.match(lines[timing])
        if match is None:
            raise InputError(
                f"malformed WebVTT cue: bad timing line '{lines[timing].strip()}' (expected {EXPECTED_TIMING})",
                path=source,
                line=timing + 1,
            )
        start, end = _seconds(match.group(1)), _seconds(match.group(2))
        if end < start:
            shown = f"{match.group(1)} --> {match.group(2)}"
            raise InputError(f"cue {len(cues) + 1} ends before it starts ({shown})", path=source, line=timing + 1)
        payload = lines[timing + 1 : last]
        payload_start = offsets[timing] + len(lines[timing]) + (1 if payload else 0)
        payload_end = payload_start + len("\n".join(payload))
        end_line = last + 1 if last < len(lines) and lines[last] == "" else last
        cues.append(
            CueBlock(
                number=len(cues) + 1,
                line=timing + 2 if payload else timing + 1,
                start=start,
                end=end,
                lines=payload,
                payload_span=(payload_start, payload_end),
                block_span=(offsets[first], offsets[end_line] if end_line < len(lines) else len(text)),
            )
        )
    _confirm(text, cues, source)
    return cues


def compose_vtt(cues: Sequence[Cue]) -> str:
    blocks = [f"{_timestamp(cue.start)} --> {_timestamp(cue.end)}\n{_escape(cue.text)}\n" for cue in cues]
    return "\n".join(["WEBVTT\n", *blocks])


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _confirm(text: str, cues: Sequence[CueBlock], source: str) -> None:
    """The library must read exactly these cues; a disagreement is reported at the cue concerned."""
    try:
        captions = webvtt.from_string(text).captions
    except (webvtt.errors.MalformedFileError, webvtt.errors.MalformedCaptionError) as exc:
        raise InputError(f"malformed WebVTT file ({exc})", path=source) from exc
    for cue, caption in zip(cues, captions, strict=False):
        if caption.lines != cue.lines:
            raise InputError("malformed WebVTT cue (its text could not be read)", path=source, line=cue.line)
    if len(captions) != len(cues):
        where = cues[len(captions)].line if len(captions) < len(cues) else None
        raise InputError("malformed WebVTT cue (it could not be read)", path=source, line=where)


def _blocks(lines: Sequence[str]) -> Iterator[tuple[int, int]]:
    """(first, end) line ranges of the blocks after the header, following webvtt-py's rules."""
    start: int | None = None
    in_header = True
    for number, line in enumerate(lines):
        if not line or (start is not None and _starts_new_block(lines[start:number], line, in_header)):
            if start is not None:
                if not in_header:
                    yield start, number
                in_header = False
                start = None
        if line and start is None:
            start = number
    if start is not None and not in_header:
        yield start, len(lines)


def _starts_new_block(block: Sequence[str], line: str, in_header: bool) -> bool:
    return bool(block) and "-->" in line and (in_header or len(block) > 1 or "-->" in block[0])


def _line_offsets(lines: Sequence[str]) -> list[int]:
    offsets: list[int] = []
    position = 0
    for line in lines:
        offsets.append(position)
        position += len(line) + 1
    return offsets


def _seconds(stamp: str) -> timedelta:
    *rest, seconds = stamp.split(":")
    hours, minutes = (int(rest[0]), int(rest[1])) if len(rest) == 2 else (0, int(rest[0]))
    whole, _, fraction = seconds.partition(".")
    return timedelta(hours=hours, minutes=minutes, seconds=int(whole), milliseconds=int(fraction.ljust(3, "0")))


def _timestamp(value: timedelta) -> str:
    milliseconds = round(value.total_seconds() * 1000)
    hours, rest = divmod(milliseconds, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, milliseconds = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}.{milliseconds:03d}"
