"""Reading-speed and line-count warnings for written cues, with Subtitle Edit's default limits.

A translation can be correct and still unreadable on screen: Japanese packed into a two-second
cue, or a cue wrapped into four lines by a short ``--max-line``. The limits are those Subtitle
Edit ships as its defaults (``Settings.General``: ``SubtitleMaximumCharactersPerSeconds = 25``,
``MaxNumberOfLines = 2``, ``SubtitleLineMaximumLength = 43``), counted its default way
(``CpsLineLengthStrategy = CalcAll``: every character of the text without its markup tags and
line breaks, over the cue's duration in seconds). A longer line only counts when no
``--max-line`` was asked for; with one, the wrapper already holds lines to it.

Warnings name the line of the written file, so a person can open it there; the output is still
written, since a cue a little too fast is better read than missing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .model import CueBlock

MAX_CHARACTERS_PER_SECOND = 25.0
MAX_LINES = 2
MAX_LINE_LENGTH = 43
_TAG = re.compile(r"</?[A-Za-z][^>]*>|\{\\[^}]*\}")  # HTML-like tags and ASS overrides ({\an8})


@dataclass(frozen=True)
class Limits:
    characters_per_second: float = MAX_CHARACTERS_PER_SECOND
    lines: int = MAX_LINES
    line_length: int | None = MAX_LINE_LENGTH


def visible(line: str) -> str:
    return _TAG.sub("", line)


def characters_per_second(cue: CueBlock) -> float | None:
    seconds = (cue.end - cue.start).total_seconds()
    if seconds <= 0:
        return None
    return sum(len(visible(line)) for line in cue.lines) / seconds


def cue_warnings(cue: CueBlock, limits: Limits) -> list[str]:
    found: list[str] = []
    speed = characters_per_second(cue)
    if speed is not None and speed > limits.characters_per_second:
        found.append(
            f"cue {cue.number} reads at {speed:.1f} characters per second "
            f"(Subtitle Edit's limit is {limits.characters_per_second:g}); lengthen the cue or shorten its text"
        )
    if len(cue.lines) > limits.lines:
        found.append(f"cue {cue.number} has {len(cue.lines)} lines (Subtitle Edit's limit is {limits.lines})")
    if limits.line_length is not None:
        longest = max((len(visible(line)) for line in cue.lines), default=0)
        if longest > limits.line_length:
            found.append(
                f"cue {cue.number} has a line of {longest} characters "
                f"(Subtitle Edit's limit is {limits.line_length}; --max-line wraps)"
            )
    return found


def warnings(written: Sequence[CueBlock], changed: Sequence[bool], limits: Limits) -> list[tuple[int, str]]:
    """(line, message) for each written cue whose text changed and breaks a limit."""
    found: list[tuple[int, str]] = []
    for cue, was_changed in zip(written, changed, strict=False):
        if was_changed:
            found.extend((cue.line, message) for message in cue_warnings(cue, limits))
    return found
