"""Optional semantic similarity: used only when the model package is installed and verified."""

from __future__ import annotations

import pytest

from translator.quality import semantic


def test_without_the_package_similarity_is_silently_unused():
    if semantic.available():
        pytest.skip("the semantic extra is installed")
    model, note = semantic.load_semantic()
    assert model is None and "pip install" in note


@pytest.mark.skipif(not semantic.available(), reason="pip install 'translator[semantic]' (sentence-transformers, torch)")
def test_the_packaged_model_is_verified_and_scores_paraphrases_higher():
    model, note = semantic.load_semantic()
    assert model is not None, note
    close = model.similarity("Stop the training job.", "Halt the training job.")
    far = model.similarity("Stop the training job.", "The weather is nice today.")
    assert close > far
