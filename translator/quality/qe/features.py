"""What the head sees of one pair: both embeddings, how they relate, and the pair's shape.

Surface features are those a bilingual reader's judgment tends to move with and that need no
language model: the length ratio (a dropped clause makes a short translation), the source's
length (long sentences are translated worse), and the shares of scripts in the translation
(Latin letters left untranslated, katakana transliteration, digits that should match the
source's).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

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
)

_KATAKANA = re.compile(r"[\u30A0-\u30FF]")
_LATIN = re.compile(r"[A-Za-z]")
_DIGIT = re.compile(r"[0-9０-９]")
_CAPITAL = re.compile(r"[A-Z]")
_SOURCE_SENTENCE_END = re.compile(r"[.!?](\s|$)")
_TARGET_SENTENCE_END = re.compile(r"[。！？!?]")


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
    ]


def feature_matrix(
    source_vectors: np.ndarray, translation_vectors: np.ndarray, sources: Sequence[str], translations: Sequence[str]
) -> np.ndarray:
    """One row per pair: source and translation embeddings, their product, |difference|, the
    cosine, then the surface features (``SURFACE_NAMES``)."""
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
        ]
    )


def length_predictors(sources: Sequence[str], translations: Sequence[str]) -> np.ndarray:
    """What the expected cross-lingual similarity is predicted from: 1, log lengths of both sides
    (short texts embed less reliably, so their similarity spreads wider)."""
    return np.array(
        [[1.0, math.log(len(s) + 1), math.log(len(t) + 1)] for s, t in zip(sources, translations, strict=True)],
        dtype=np.float64,
    ).reshape(len(sources), 3)
