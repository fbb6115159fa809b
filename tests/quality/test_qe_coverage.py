"""Clause coverage in the embedded model: each side is cut into clauses, and a clause of the
source with no counterpart in the translation (or an added one) shows in the features and lowers
the estimate. Real encoder, real shipped head."""

from __future__ import annotations

import pytest

from translator.quality.qe.clauses import english_pieces, halves, japanese_pieces
from translator.quality.qe.coverage import COVERAGE_NAMES, coverage_matrix
from translator.quality.qe.model import load_model

SOURCE = "The bucket stores the training data, and the endpoint serves predictions to the web application."
FULL = "バケットはトレーニングデータを保存し、エンドポイントはウェブアプリケーションに予測を提供します。"
DROPPED = "バケットはトレーニングデータを保存します。"
ADDED = FULL + "なお、料金は毎月請求され、猫は窓辺で眠ります。"


def test_english_is_cut_at_punctuation_and_the_words_that_open_a_clause():
    assert english_pieces(SOURCE) == [
        "The bucket stores the training data",
        "and the endpoint serves predictions to the web application.",
    ]
    assert english_pieces(
        "The training job, which was started yesterday, stops when the maximum runtime is reached."
    ) == [
        "The training job",
        "which was started yesterday stops",  # a one-word piece joins the one before it
        "when the maximum runtime is reached.",
    ]
    # a piece under three words joins its neighbour instead of being embedded alone
    assert english_pieces("In 1990, the service launched in Tokyo.") == ["In 1990 the service launched in Tokyo."]


def test_japanese_is_cut_after_commas_and_around_brackets_keeping_short_pieces_joined():
    assert japanese_pieces(FULL) == [
        "バケットはトレーニングデータを保存し、",
        "エンドポイントはウェブアプリケーションに予測を提供します。",
    ]
    assert japanese_pieces("また、Amazon S3（Simple Storage Service）はデータを保存します。") == [
        "また、Amazon S3",
        "（Simple Storage Service）",
        "はデータを保存します。",
    ]
    assert "".join(japanese_pieces(ADDED)) == ADDED  # nothing lost or added by the cuts


@pytest.mark.parametrize("text", ["", " ", "。"])
def test_blank_or_tiny_texts_are_one_piece(text: str):
    assert len(japanese_pieces(text)) == 1 and len(english_pieces(text)) == 1


def test_halves_cover_the_text():
    first, second = halves(FULL)
    assert first + second == FULL and abs(len(first) - len(second)) <= 1


@pytest.fixture(scope="module")
def coverage():
    model, note = load_model()
    assert model is not None, note
    assert model.head.uses_coverage
    sources, translations = [SOURCE] * 3, [FULL, DROPPED, ADDED]
    source_vectors, translation_vectors, pieces = model.embed(sources, translations)
    assert pieces is not None
    matrix = coverage_matrix(pieces, source_vectors, translation_vectors)
    columns = {name: matrix[:, i] for i, name in enumerate(COVERAGE_NAMES)}
    return columns, [e.score for e in model.estimate(sources, translations)]


def test_a_dropped_clause_has_no_counterpart_and_lowers_the_estimate(coverage):
    columns, scores = coverage
    full, dropped = 0, 1
    assert columns["source_piece_best_min"][full] > 0.5
    assert columns["source_piece_best_min"][dropped] < 0.3
    assert columns["source_pieces_unmatched_share"][dropped] == 0.5
    assert columns["source_pieces_unmatched_share"][full] == 0.0
    assert scores[dropped] < scores[full] - 20


def test_an_added_clause_shows_in_the_reverse_direction(coverage):
    columns, scores = coverage
    full, added = 0, 2
    assert columns["translation_piece_best_min"][added] < 0.3 < columns["translation_piece_best_min"][full]
    assert columns["translation_pieces_unmatched_share"][added] > 0
    # the source still finds every one of its clauses
    assert columns["source_pieces_unmatched_share"][added] == 0.0
    assert scores[added] < scores[full]
