"""The shapes subtitle readers share: timed cues, and where each cue sits in its source file.

Writers never re-serialise a parsed file. They copy the source text and replace only the cue
payloads (the text lines), which is what keeps numbering, every timestamp, cue settings, VTT
header/NOTE/STYLE/REGION blocks and blank-line layout byte-identical to the input.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Literal

Syntax = Literal["srt", "vtt"]


@dataclass(frozen=True)
class Cue:
    """A timed piece of text, as built from word timestamps (Amazon Transcribe) or composed anew."""

    start: timedelta
    end: timedelta
    text: str  # lines joined with "\n"
    speaker: str | None = None


@dataclass
class CueBlock:
    """One cue of a source file: its timing, its text, and the character ranges to rewrite."""

    number: int  # 1-based position in the file
    line: int  # 1-based line of the first payload line (or of the timing line if empty)
    start: timedelta
    end: timedelta
    lines: list[str]  # payload lines as written in the file (markup included)
    payload_span: tuple[int, int]  # character range of the payload in the source text
    block_span: tuple[int, int]  # the whole cue with its trailing separator (for dropping it)
    index_span: tuple[int, int] | None = None  # SRT: the cue number, for renumbering
    speaker: str | None = None  # known speaker (Transcribe), a unit never spans two


@dataclass
class Part:
    """The text of one speaker inside a cue: usually the whole cue, one line per speaker in a dialogue."""

    cue: int  # CueBlock.number
    prefix: str  # protected lead-in kept on the first output line ("- ", ">> ", "<v Name>")
    suffix: str  # protected ending kept on the last output line ("</v>")
    ops: list[tuple[str, ...]]  # ("text", s) | ("x", original, kind) | ("open", opening, closing, kind) | ("close",)
    raw_lines: list[str]  # the source lines of this part, written back when it is not translated
    length: int  # source characters (protected text included), the redistribution weight
    voice: str | None = None  # VTT <v Name> or the Transcribe speaker
    starts_turn: bool = False  # a speaker marker opens this part


@dataclass
class Unit:
    """Consecutive parts translated as one segment (a sentence that runs across cues)."""

    segment_id: str
    parts: list[int]  # indexes into SubtitleLayout.parts


@dataclass
class SubtitleLayout:
    """The skeleton of a subtitle Document: the source text and how segments map onto its cues."""

    syntax: Syntax
    text: str
    cues: list[CueBlock]
    parts: list[Part] = field(default_factory=list)
    units: list[Unit] = field(default_factory=list)
    dropped: set[int] = field(default_factory=set)  # cue numbers left out of the output
