"""The format contract: a reader that builds a Document and a writer that rebuilds the format.

A writer gets the translations as tagged text keyed by segment id; a segment without a
translation is written as its source. ``bilingual`` asks for source and translation together,
in whatever layout suits the format (a paragraph after a paragraph, two lines per cue, …): for
every segment (``True``) or only for the segments whose ids it holds (``--bilingual flagged``: the
segments judged literal or review, whose English a learner should read).
Reusable contract tests for every format live in ``tests/formats/contract.py``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping, Set
from dataclasses import dataclass, field
from typing import Any, ClassVar

from ..collector import without_collector
from ..types import Document

Bilingual = bool | Set[str]  # every segment, none, or the ids of the segments shown with their source


def with_source(bilingual: Bilingual, segment_id: str) -> bool:
    """Whether the segment ``segment_id`` is written with its source beside the translation."""
    return bilingual if isinstance(bilingual, bool) else segment_id in bilingual


@dataclass(frozen=True)
class FormatOptions:
    """Options some formats honour; the others ignore them."""

    max_line: int | None = None  # subtitles: maximum characters per line of a translated cue
    sound_cues: str = "translate"  # subtitles: keep | translate | drop cues like "(screen whooshing)"
    field_map: Mapping[str, str] = field(default_factory=dict)  # questions: FIELD=COLUMN overrides
    target_lang: str = "ja"  # some writers need it (line breaking, fixed phrases)


class Format(ABC):
    name: ClassVar[str]
    extensions: ClassVar[tuple[str, ...]]
    description: ClassVar[str] = ""

    def __init__(self, options: FormatOptions | None = None) -> None:
        self.options = options or FormatOptions()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        # Every reader and writer builds a whole document's objects at once: run each with the
        # cycle collector paused, wherever it is called from (see ``translator.collector``).
        super().__init_subclass__(**kwargs)
        for name in ("read", "write"):
            method = cls.__dict__.get(name)
            if method is not None and not getattr(method, "__isabstractmethod__", False):
                setattr(cls, name, without_collector(method))

    @abstractmethod
    def read(self, text: str, source: str) -> Document:
        """Parse decoded text (BOM removed, newlines normalised to '\\n'); raise InputError on bad input."""

    @abstractmethod
    def write(self, document: Document, translations: Mapping[str, str], *, bilingual: Bilingual = False) -> str:
        """Rebuild the format with translated segments."""
