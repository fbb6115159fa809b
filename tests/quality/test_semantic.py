"""Optional semantic similarity: used only when the model package is installed and verified."""

from __future__ import annotations

import pytest

from translator.quality import semantic


def test_without_the_package_similarity_is_silently_unused():
    if semantic.available():
        pytest.skip("the semantic extra is installed")
    model, note = semantic.load_semantic()
    assert model is None and "pip install" in note


@pytest.mark.skipif(
    not semantic.available(), reason="pip install 'translator[semantic]' (sentence-transformers, torch)"
)
def test_the_packaged_model_is_verified_and_scores_paraphrases_higher():
    model, note = semantic.load_semantic()
    assert model is not None, note
    close = model.similarity("Stop the training job.", "Halt the training job.")
    far = model.similarity("Stop the training job.", "The weather is nice today.")
    assert close > far


def fake_module(name: str, **attrs):
    import importlib.machinery
    import types

    module = types.ModuleType(name)
    module.__spec__ = importlib.machinery.ModuleSpec(name, loader=None)
    for key, value in attrs.items():
        setattr(module, key, value)
    return module


def test_a_model_file_with_another_checksum_is_never_loaded(tmp_path, monkeypatch):
    (tmp_path / semantic.MODEL_FILE).write_bytes(b"not the published weights")
    loaded: list[str] = []
    monkeypatch.setitem(
        __import__("sys").modules,
        semantic.MODEL_PACKAGE,
        fake_module(semantic.MODEL_PACKAGE, get_model_path=lambda: str(tmp_path)),
    )
    monkeypatch.setitem(
        __import__("sys").modules,
        "sentence_transformers",
        fake_module("sentence_transformers", SentenceTransformer=lambda *a, **k: loaded.append(a[0])),
    )
    model, note = semantic.load_semantic()
    assert model is None and "does not match" in note
    assert loaded == []  # the loader was never called on the tampered file
    (tmp_path / semantic.MODEL_FILE).unlink()
    model, note = semantic.load_semantic()
    assert model is None and "model file missing" in note


def test_a_verified_model_is_loaded_from_its_package_folder_offline(tmp_path, monkeypatch):
    import sys

    weights = tmp_path / semantic.MODEL_FILE
    weights.write_bytes(b"weights under test")
    monkeypatch.setattr(semantic, "MODEL_SHA256", semantic.file_sha256(weights))
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    calls: list[tuple] = []
    monkeypatch.setitem(
        sys.modules, semantic.MODEL_PACKAGE, fake_module(semantic.MODEL_PACKAGE, get_model_path=lambda: str(tmp_path))
    )
    monkeypatch.setitem(
        sys.modules,
        "sentence_transformers",
        fake_module("sentence_transformers", SentenceTransformer=lambda *a, **k: calls.append((a, k)) or "model"),
    )
    model, note = semantic.load_semantic()
    assert model is not None and model.model == "model"
    assert calls == [((str(tmp_path),), {"device": "cpu"})]
    assert __import__("os").environ["HF_HUB_OFFLINE"] == "1"
    assert note.startswith("all-MiniLM-L6-v2 sha256:")
