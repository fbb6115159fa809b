"""``check`` on two files encodes each paragraph once: the pairing's encodings are kept (in an
anonymous temporary file) and the embedded model reads them back, with the same verdicts and
scores as when it encoded the texts again."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import nullcontext
from pathlib import Path

import numpy as np
import pytest

from translator.config import Settings
from translator.quality.encoded import EncodedTexts
from translator.runs import check as check_run

DATA = Path(__file__).parents[2] / "bench" / "data" / "mlqe-pe-en-ja"  # CC0, with its LICENSE and README
SOURCES = (DATA / "en-ja.src").read_text(encoding="utf-8").splitlines()[:160]
TRANSLATIONS = (DATA / "en-ja.mt").read_text(encoding="utf-8").splitlines()[:160]


def test_kept_rows_come_back_exactly_and_unknown_texts_are_left_to_encode() -> None:
    rows = np.random.default_rng(7).standard_normal((3, 512)).astype(np.float32)
    with EncodedTexts() as encoded:
        encoded.add(["a", "b", "バケット"], rows)
        missing, vectors = encoded.lookup(["バケット", "new", "a"])
        assert missing == [1]
        assert np.array_equal(vectors[0], rows[2]) and np.array_equal(vectors[2], rows[0])
        assert not vectors[1].any()
        assert len(encoded) == 3
        with pytest.raises(ValueError):
            encoded.add(["one"], rows)


def write_pair(folder: Path) -> tuple[str, str]:
    # Markdown with headings and a list item, so segment kinds differ as in a real document.
    def render(paragraphs: Sequence[str], heading: str) -> str:
        blocks = []
        for index, text in enumerate(paragraphs):
            if index % 10 == 0:
                blocks.append(f"## {heading} {index // 10 + 1}")
            blocks.append(f"- {text}" if index % 10 == 9 else text)
        return "\n\n".join(blocks) + "\n"

    source, translation = folder / "en.md", folder / "ja.md"
    source.write_text(render(SOURCES, "Part"), encoding="utf-8")
    translation.write_text(render(TRANSLATIONS, "パート"), encoding="utf-8")
    return str(source), str(translation)


@pytest.fixture
def encoded_texts(monkeypatch: pytest.MonkeyPatch) -> Iterator[Counter[str]]:
    """Every text the sentence encoder is asked to encode, counted."""
    from translator.quality.qe.encoder import load_encoder

    encoder, note = load_encoder()
    if encoder is None:
        pytest.skip(note)
    counted: Counter[str] = Counter()
    encode = encoder.model.encode

    def counting(texts: Sequence[str]) -> object:
        counted.update(texts)
        return encode(texts)

    monkeypatch.setattr(encoder.model, "encode", counting)
    yield counted


def outcome(run: check_run.CheckRun) -> dict[str, tuple[str | None, dict[str, float], list[str]]]:
    return {
        segment_id: (t.verdict, t.scores, sorted(f"{f.check}: {f.found}" for f in t.findings))
        for o in run.outcomes
        if o.result
        for segment_id, t in o.result.translations.items()
    }


def test_check_encodes_each_paragraph_once_with_the_same_verdicts(
    tmp_path: Path, encoded_texts: Counter[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    source, translation = write_pair(tmp_path)
    settings = Settings(back_translate="none")
    reused = check_run.check_translation(source, translation, settings)
    paragraphs = [*SOURCES, *TRANSLATIONS]
    assert all(encoded_texts[text] == 1 for text in paragraphs), [t for t in paragraphs if encoded_texts[t] != 1][:3]

    encoded_texts.clear()
    monkeypatch.setattr(check_run, "_reusing", lambda encoded: nullcontext())  # as before: encode again
    again = check_run.check_translation(source, translation, settings)
    assert all(encoded_texts[text] == 2 for text in paragraphs)
    assert outcome(reused) == outcome(again)
    assert any(verdict == "ok" for verdict, _s, _f in outcome(reused).values())
    assert all("qe" in scores for verdict, scores, _f in outcome(reused).values())


def test_an_estimate_does_not_depend_on_the_pairs_estimated_with_it() -> None:
    # The embedded model estimates a slice of pairs at a time to bound its memory; a pair's
    # estimate must be the one it gets alone, wherever the slices fall.
    from translator.quality.qe.model import ESTIMATE_SLICE, load_model

    model, note = load_model()
    if model is None:
        pytest.skip(note)
    count = ESTIMATE_SLICE + 30
    together = model.estimate(SOURCES[:count] * 2, TRANSLATIONS[:count] * 2)[:count]
    for index in (0, ESTIMATE_SLICE - 1, ESTIMATE_SLICE, count - 1):
        assert together[index] == model.estimate([SOURCES[index]], [TRANSLATIONS[index]])[0]


def test_no_temporary_folder_to_keep_rows_in_only_means_encoding_again(monkeypatch: pytest.MonkeyPatch) -> None:
    import tempfile

    def no_folder(*args: object, **kwargs: object) -> object:
        raise FileNotFoundError("No usable temporary directory found")

    monkeypatch.setattr(tempfile, "TemporaryFile", no_folder)
    rows = np.ones((2, 512), dtype=np.float32)
    with EncodedTexts() as encoded:
        encoded.add(["a", "b"], rows)
        missing, _vectors = encoded.lookup(["a", "b"])
    assert missing == [0, 1] and len(encoded) == 0


class FillsUp:
    """A temporary file on a disk with room for ``room`` bytes."""

    def __init__(self, room: int) -> None:
        import io

        self.room, self.buffer = room, io.BytesIO()

    def seek(self, offset: int) -> int:
        return self.buffer.seek(offset)

    def write(self, data: bytes) -> int:
        if self.buffer.tell() + len(data) > self.room:
            raise OSError(28, "No space left on device")
        return self.buffer.write(data)

    def flush(self) -> None:
        pass

    def fileno(self) -> int:
        raise AssertionError("read with pread from a real file only")

    def close(self) -> None:
        pass


def test_a_full_temporary_folder_keeps_the_rows_written_and_stops_keeping(monkeypatch: pytest.MonkeyPatch) -> None:
    import tempfile

    disk = FillsUp(room=3 * 512 * 4)
    monkeypatch.setattr(tempfile, "TemporaryFile", lambda *args, **kwargs: disk)
    first, second = np.ones((2, 512), dtype=np.float32), np.full((2, 512), 2, dtype=np.float32)
    encoded = EncodedTexts()
    encoded.add(["a", "b"], first)
    encoded.add(["c", "d"], second)  # does not fit: not kept, and no error
    encoded.add(["e"], first[:1])  # would fit again, but a full disk is not written to any more
    assert len(encoded) == 2
    assert disk.buffer.getvalue() == first.tobytes()
