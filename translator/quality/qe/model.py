"""Encoder + head: per pair, the calibrated estimate and whether it is another sentence."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .coverage import Pieces, coverage_matrix, embed_pieces
from .encoder import Encoder, load_encoder
from .features import feature_matrix, length_predictors
from .head import Head, load_head

ESTIMATE_SLICE = 128  # pairs embedded and estimated at once


@dataclass(frozen=True)
class Estimate:
    score: float  # 0–100, linear in the head's estimate (50: a typical training translation)
    similarity: float  # cosine of the two embeddings
    expected_similarity: float  # what a correct translation of these lengths shows
    wrong_sentence: bool  # similarity far below the expected one


@dataclass
class QEModel:
    encoder: Encoder
    head: Head
    name: str = "USE multilingual v3 + ridge head"

    def estimate(self, sources: Sequence[str], translations: Sequence[str]) -> list[Estimate]:
        # A slice at a time: a pair's sentence and clause embeddings and features come to about
        # 100 KB, so 512 pairs at once were the largest part of check's peak memory on 20,000
        # pairs (bench/check_scaling.py). Each pair's estimate reads only its own row.
        estimates: list[Estimate] = []
        for start in range(0, len(sources), ESTIMATE_SLICE):
            some_sources = sources[start : start + ESTIMATE_SLICE]
            some_translations = translations[start : start + ESTIMATE_SLICE]
            source_vectors, translation_vectors, pieces = self.embed(some_sources, some_translations)
            estimates += self.estimate_embedded(
                source_vectors, translation_vectors, some_sources, some_translations, pieces
            )
        return estimates

    def embed(
        self, sources: Sequence[str], translations: Sequence[str]
    ) -> tuple[np.ndarray, np.ndarray, Pieces | None]:
        """Sentence embeddings of both sides, and their clause pieces when the head reads them."""
        source_vectors = self.encoder.embed(sources)
        translation_vectors = self.encoder.embed(translations)
        pieces = None
        if self.head.uses_coverage:
            pieces = embed_pieces(self.encoder.embed, sources, translations, source_vectors, translation_vectors)
        return source_vectors, translation_vectors, pieces

    def features(
        self,
        source_vectors: np.ndarray,
        translation_vectors: np.ndarray,
        sources: Sequence[str],
        translations: Sequence[str],
        pieces: Pieces | None,
    ) -> np.ndarray:
        coverage = None if pieces is None else coverage_matrix(pieces, source_vectors, translation_vectors)
        return feature_matrix(source_vectors, translation_vectors, sources, translations, coverage)

    def estimate_embedded(
        self,
        source_vectors: np.ndarray,
        translation_vectors: np.ndarray,
        sources: Sequence[str],
        translations: Sequence[str],
        pieces: Pieces | None = None,
    ) -> list[Estimate]:
        """From embeddings already made (the benchmarks embed once and score many heads)."""
        features = self.features(source_vectors, translation_vectors, sources, translations, pieces)
        scores = self.head.calibrated(self.head.predict(features))
        predictors = length_predictors(sources, translations)
        expected = self.head.expected_similarity(predictors)
        limit = self.head.wrong_sentence_limit(predictors)
        similarity = features[:, 4 * source_vectors.shape[1]]
        return [
            Estimate(round(float(s), 2), round(float(c), 4), round(float(e), 4), bool(c < low))
            for s, c, e, low in zip(scores, similarity, expected, limit, strict=True)
        ]


def load_model(head_path: str | Path | None = None) -> tuple[QEModel | None, str]:
    """The model, or None with the reason it is not used. A head file that cannot be used is an
    error (raised), since the user named it; a missing encoder only degrades."""
    head = load_head(head_path)
    encoder, note = load_encoder()
    if encoder is None:
        return None, note
    source = str(head_path) if head_path else "shipped head"
    return QEModel(encoder, head), f"{encoder.name} + {_kind(head)} ({source})"


def _kind(head: Head) -> str:
    return "blended ridge head" if head.uses_coverage else "ridge head"
