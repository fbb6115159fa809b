"""Subtitles: SRT, WebVTT and Amazon Transcribe JSON, translated sentence by sentence.

Reading: cues are parsed with ``srt`` / ``webvtt-py``; a sentence that runs across cues becomes
one segment (kind ``cue-group``; ``meta["cues"]`` lists its cue numbers and ``meta["lengths"]``
the source characters of each), so the backend sees whole sentences. Sound cues such as
"(screen whooshing)" follow ``FormatOptions.sound_cues``: ``translate`` (a segment of kind
``sound``), ``keep`` (written as is) or ``drop`` (the cue is left out; SRT cues numbered 1, 2, 3, …
are renumbered, since an SRT cue cannot be written without text). Speaker dashes ("- ") and ">> "
stay at the start of their line and are never sent.

Writing: only cue payloads change. Cue count (except dropped sound cues), numbering, every
timestamp, cue identifiers and settings, VTT header/NOTE/STYLE/REGION blocks are copied byte for
byte. A joined sentence's translation is spread over its cues in proportion to their source
length, cut at natural boundaries (see ``breaks``); ``max_line`` wraps each cue into lines
of at most that many characters (a full-width character counts as one), two lines where they fit.
``bilingual`` writes each cue's source lines, then its share of the translation. Written cues that
read too fast or have too many lines are listed in ``Document.warnings`` as ``(line of the written
file, message)`` (see ``readability``).

Amazon Transcribe JSON (``--format transcribe``) is built into cues from its word timestamps
and written as SRT, or as WebVTT when ``Document.meta["subtitle_syntax"]`` is ``"vtt"``.
``looks_like_transcribe`` tells a Transcribe result apart from other ``.json`` files.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from ...errors import ConfigError
from ...types import Document
from ..base import Bilingual, Format
from .model import Cue, CueBlock, SubtitleLayout, Syntax
from .readability import Limits, warnings
from .srt import compose_srt, parse_srt
from .transcribe import looks_like_transcribe, read_transcribe_json, transcribe_to_cues
from .units import SOUND_MODES, build_layout
from .vtt import compose_vtt, parse_vtt
from .writer import write_layout

__all__ = [
    "Cue",
    "SrtFormat",
    "TranscribeFormat",
    "VttFormat",
    "compose_srt",
    "compose_vtt",
    "looks_like_transcribe",
    "transcribe_to_cues",
]


class _SubtitleFormat(Format):
    syntax: Syntax

    def _document(self, source: str, text: str, cues: list[CueBlock]) -> Document:
        if self.options.sound_cues not in SOUND_MODES:
            raise ConfigError(f"sound cues must be one of {', '.join(SOUND_MODES)}, not '{self.options.sound_cues}'")
        layout, segments = build_layout(self.syntax, text, cues, self.options.sound_cues)
        return Document(source, self.name, segments, layout, {"subtitle_syntax": self.syntax})

    def write(self, document: Document, translations: Mapping[str, str], *, bilingual: Bilingual = False) -> str:
        layout: SubtitleLayout = document.skeleton
        text = write_layout(
            layout,
            {segment.id: segment for segment in document.segments},
            translations,
            bilingual=bilingual,
            target_lang=self.options.target_lang,
            max_line=self.options.max_line,
        )
        if not bilingual:  # a bilingual cue carries two languages: its length says nothing
            # In place: a Transcribe document is written through a copy that shares this list.
            document.warnings[:] = self._readability(layout, text, document.source)
        return text

    def _readability(self, layout: SubtitleLayout, text: str, source: str) -> list[tuple[int, str]]:
        """Reading-speed and line-count warnings for the cues whose text changed (lines of ``text``)."""
        written = parse_vtt(text, source) if layout.syntax == "vtt" else parse_srt(text, source)
        kept = [cue for cue in layout.cues if cue.number not in layout.dropped]
        changed = [before.lines != after.lines for before, after in zip(kept, written, strict=False)]
        limits = Limits(line_length=None if self.options.max_line else Limits().line_length)
        return warnings(written, changed, limits)


class SrtFormat(_SubtitleFormat):
    name = "srt"
    extensions = (".srt",)
    description = "SubRip subtitles; sentences across cues joined, timings kept"
    syntax = "srt"

    def read(self, text: str, source: str) -> Document:
        return self._document(source, text, parse_srt(text, source))


class VttFormat(_SubtitleFormat):
    name = "vtt"
    extensions = (".vtt",)
    description = "WebVTT subtitles; header, notes, styles, cue settings kept"
    syntax = "vtt"

    def read(self, text: str, source: str) -> Document:
        return self._document(source, text, parse_vtt(text, source))


class TranscribeFormat(_SubtitleFormat):
    """Amazon Transcribe JSON in, SRT (or WebVTT) subtitles out."""

    name = "transcribe"
    extensions = ()
    description = "Amazon Transcribe JSON, written as SRT or WebVTT cues"
    syntax = "srt"

    def read(self, text: str, source: str) -> Document:
        cues = transcribe_to_cues(read_transcribe_json(text, source), source)
        composed = compose_srt(cues)
        blocks = parse_srt(composed, source)
        for block, cue in zip(blocks, cues, strict=True):
            block.speaker = cue.speaker
        document = self._document(source, composed, blocks)
        for segment in document.segments:
            segment.line = None  # lines of the composed cues are not lines of the JSON file
        document.output_suffix = ".srt"  # talk.json → talk.ja.srt
        return document

    def write(self, document: Document, translations: Mapping[str, str], *, bilingual: Bilingual = False) -> str:
        if document.meta.get("subtitle_syntax") != "vtt":
            return super().write(document, translations, bilingual=bilingual)
        layout: SubtitleLayout = document.skeleton
        timed = [Cue(cue.start, cue.end, "\n".join(cue.lines)) for cue in layout.cues]
        composed = compose_vtt(timed)
        as_vtt = replace(layout, syntax="vtt", text=composed, cues=parse_vtt(composed, document.source))
        return super().write(replace(document, skeleton=as_vtt), translations, bilingual=bilingual)
