"""SRT, WebVTT and Amazon Transcribe JSON run the format contract."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import FIXTURES
from tests.formats.contract import FormatContract, _squeeze
from tests.formats.test_transcribe import transcribe_json
from translator import markup
from translator.formats import get_format
from translator.formats.subtitles.model import CueBlock
from translator.types import Document

SUBTITLES = FIXTURES / "subtitles"


class SubtitleContract(FormatContract):
    def cues(self, output: str, source: str) -> dict[tuple[object, object], CueBlock]:
        layout = self.reread(output, source).skeleton
        return {(cue.start, cue.end): cue for cue in layout.cues}

    def test_bilingual_output_has_source_and_translation(self, sample: Path) -> None:
        """Subtitles differ from the contract here: a sentence runs across cues and its translation
        is shared out over the same cues, so a bilingual file pairs the languages cue by cue (each
        cue: its source lines, then its share of the translation) and no sentence stands whole in
        one place. Checked instead: every cue of the bilingual file is its source lines followed by
        the lines the same cue has in the translated file, and the translated file, read back, holds
        every translated sentence."""
        _, document = self.load(sample)
        translations = self.pseudo(document)
        source = self.cues(self.write(document, {}), str(sample))
        translated_output = self.write(document, translations)
        translated = self.cues(translated_output, str(sample))
        bilingual = self.cues(self.write(document, translations, bilingual=True), str(sample))
        assert bilingual.keys() == source.keys()
        for timing, cue in bilingual.items():
            share = translated[timing].lines if timing in translated else []
            assert cue.lines == source[timing].lines + share, f"cue {cue.number}: {cue.lines!r}"
        assert any(translated[t].lines != source[t].lines for t in translated)
        reread = self.plain_texts(self.reread(translated_output, str(sample)))
        for seg in document.segments:
            if seg.id in translations and translations[seg.id] != seg.text:
                assert _squeeze(markup.plain(translations[seg.id], seg.spans)) in reread, seg.id


class TestSrtContract(SubtitleContract):
    format_name = "srt"
    samples = [SUBTITLES / "hf-course_60_what-is-the-bleu-metric.en.srt"]


class TestVttContract(SubtitleContract):
    format_name = "vtt"
    samples = [SUBTITLES / "lecture.en.vtt"]


class TestTranscribeContract(SubtitleContract):
    """Transcribe differs in two ways, both on purpose. Its input is a JSON result the tests build
    (as the format's own tests do: no real Transcribe output can be shared here), once with
    speakers on the words and once in ``speaker_labels``. Its output is SRT, not JSON (talk.json
    becomes talk.ja.srt), so what it writes is read back as SRT."""

    format_name = "transcribe"
    samples = [Path("speakers-on-items.json"), Path("speaker-label-segments.json")]

    def load(self, sample: Path) -> tuple[str, Document]:
        result = transcribe_json(speakers_on_items=sample.name == "speakers-on-items.json")
        text = json.dumps(result, indent=2)
        return text, self.read(text, str(sample))

    def reread(self, output: str, source: str) -> Document:
        return get_format("srt", self.options).read(output, source)


class TestTranscribeThroughJsonContract(TestTranscribeContract):
    """A Transcribe result usually arrives as a ``.json`` file: the ``json`` format recognises it
    by its content and hands it to Transcribe, and what it writes must hold to the same contract."""

    format_name = "json"
