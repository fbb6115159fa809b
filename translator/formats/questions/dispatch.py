"""``.json`` files: practice questions, or Amazon Transcribe output handed to the subtitle formats.

Both arrive with the same extension, so the content decides. The writer follows the reader's
choice through ``document.format``, because the run builds a fresh writer from the job's format
name ("json").
"""

from __future__ import annotations

from collections.abc import Mapping

from ...types import Document
from ..base import Bilingual, Format
from ..subtitles.transcribe import looks_like_transcribe
from .json_formats import QuestionsJsonFormat

TRANSCRIBE_FORMAT = "transcribe"


class JsonFormat(Format):
    name = "json"
    extensions = (".json",)
    description = "JSON: practice questions, or Amazon Transcribe output (detected from the content)"

    def _delegate(self, name: str) -> Format:
        from .. import get_format

        return get_format(name, self.options)

    def read(self, text: str, source: str) -> Document:
        if looks_like_transcribe(text):
            return self._delegate(TRANSCRIBE_FORMAT).read(text, source)
        return QuestionsJsonFormat(self.options).read(text, source)

    def write(self, document: Document, translations: Mapping[str, str], *, bilingual: Bilingual = False) -> str:
        return self._delegate(document.format).write(document, translations, bilingual=bilingual)
