"""Checks every format's reader and writer must pass, reused by subclassing (Translate Toolkit style).

A format's test module subclasses ``FormatContract``, names the format and lists sample files; the
four checks below then run once per sample::

    class TestMarkdownContract(FormatContract):
        format_name = "markdown"
        samples = sorted(FIXTURES.glob("*.md"))

The checks use only the ``Format`` API, so they hold a format to what the rest of the tool relies
on: an untranslated write loses nothing, protected text survives translation byte for byte, a
bilingual file carries both languages, and segment ids can key a translation memory.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar

import pytest

from translator import markup
from translator.formats import FormatOptions, get_format
from translator.formats._decode import decode_source
from translator.testing import pseudo_translate
from translator.types import Document


class FormatContract:
    format_name: ClassVar[str]
    samples: ClassVar[Sequence[Path]] = ()
    options: ClassVar[FormatOptions] = FormatOptions()

    def pytest_generate_tests(self, metafunc: pytest.Metafunc) -> None:
        if "sample" in metafunc.fixturenames:
            metafunc.parametrize("sample", list(self.samples), ids=[path.name for path in self.samples])

    # -- helpers a subclass may reuse ------------------------------------------------------------

    def read(self, text: str, source: str = "sample") -> Document:
        return get_format(self.format_name, self.options).read(text, source)

    def write(self, document: Document, translations: dict[str, str], *, bilingual: bool = False) -> str:
        return get_format(self.format_name, self.options).write(document, translations, bilingual=bilingual)

    def reread(self, output: str, source: str) -> Document:
        """Read what ``write`` produced (a format whose output is another format overrides this)."""
        return self.read(output, source)

    def load(self, sample: Path) -> tuple[str, Document]:
        text = decode_source(sample.read_bytes(), str(sample)).text
        return text, self.read(text, str(sample))

    @staticmethod
    def pseudo(document: Document) -> dict[str, str]:
        """What the pseudo backend would answer for every translatable segment."""
        return {
            seg.id: pseudo_translate(seg.text, "ja", ignore_tags=("x",)) for seg in document.segments if seg.translate
        }

    @staticmethod
    def plain_texts(document: Document) -> str:
        return "\n".join(_squeeze(markup.plain(seg.text, seg.spans)) for seg in document.segments)

    # -- the contract ----------------------------------------------------------------------------

    def test_untranslated_write_reads_back_to_the_same_segments(self, sample: Path) -> None:
        _, document = self.load(sample)
        assert document.segments, "a sample should have something to translate"
        again = self.reread(self.write(document, {}), str(sample))
        assert [(s.id, s.kind, s.text, s.spans) for s in again.segments] == [
            (s.id, s.kind, s.text, s.spans) for s in document.segments
        ]

    def test_protected_spans_survive_translation_verbatim(self, sample: Path) -> None:
        _, document = self.load(sample)
        output = self.write(document, self.pseudo(document))
        for seg in document.segments:
            for span in seg.spans.values():
                if not span.paired:
                    assert span.opening in output, f"{seg.id}: protected {span.kind} {span.opening!r} lost"

    def test_bilingual_output_has_source_and_translation(self, sample: Path) -> None:
        _, document = self.load(sample)
        translations = self.pseudo(document)
        reread = self.plain_texts(self.reread(self.write(document, translations, bilingual=True), str(sample)))
        for seg in document.segments:
            if seg.id not in translations or translations[seg.id] == seg.text:
                continue
            source_text = _squeeze(markup.plain(seg.text, seg.spans))
            translated_text = _squeeze(markup.plain(translations[seg.id], seg.spans))
            assert source_text in reread, f"{seg.id}: source text missing from bilingual output"
            assert translated_text in reread, f"{seg.id}: translation missing from bilingual output"

    def test_segment_ids_are_unique_and_stable(self, sample: Path) -> None:
        _, first = self.load(sample)
        _, second = self.load(sample)
        ids = [seg.id for seg in first.segments]
        assert len(ids) == len(set(ids))
        assert ids == [seg.id for seg in second.segments]
        assert [seg.text for seg in first.segments] == [seg.text for seg in second.segments]


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()
