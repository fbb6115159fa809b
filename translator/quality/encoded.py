"""Encoder output kept for the rest of a run, so each text is encoded once.

``check`` encodes every paragraph of both files to pair them by meaning, then the embedded
quality model encodes the paired texts again to judge them: at 20,000 pairs that second pass was
about a minute of CPU. The pairing writes each chunk of the model's float32 output here, and the
judge reads the rows of texts it has already seen (``Encoder.reusing``) instead of encoding them.

The rows go to an anonymous temporary file, not memory: 20,000 pairs make 82 MB of them, which
would sit beside the judge's own working memory for the whole run; read back a chunk at a time
they cost the run's peak nothing. The file has no name (deleted as soon as it is closed, or when
the process ends) and holds only numbers. A text is known by a 16-byte digest of it, so the table
does not keep every paragraph alive.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Sequence
from typing import IO

import numpy as np

DIMENSIONS = 512


def _key(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


class EncodedTexts:
    """Raw encoder rows by text, spilled to a temporary file; a context manager that removes it."""

    def __init__(self) -> None:
        # Keeping rows only saves work: with no temporary folder to write to, or once it is full,
        # nothing more is kept and the judge encodes those texts again; the run goes on.
        self._file: IO[bytes] | None
        try:
            self._file = tempfile.TemporaryFile(prefix="translator-encoded-")
        except OSError:
            self._file = None
        self._writable = self._file is not None
        self._rows: dict[bytes, int] = {}
        self._count = 0
        self.width = DIMENSIONS

    def __enter__(self) -> EncodedTexts:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
        self._rows.clear()

    def __len__(self) -> int:
        return len(self._rows)

    def add(self, texts: Sequence[str], vectors: np.ndarray) -> None:
        """Keep ``vectors`` (one float32 row per text, as the encoder made them)."""
        rows = np.ascontiguousarray(vectors, dtype=np.float32)
        if len(rows) != len(texts):
            raise ValueError(f"{len(texts)} texts but {len(rows)} rows")
        if not len(rows) or self._file is None or not self._writable:
            return
        self.width = rows.shape[1]
        try:
            self._file.seek(self._count * self.width * 4)
            self._file.write(rows.tobytes())
            self._file.flush()
        except OSError:  # the temporary folder is full: the rows kept so far stay readable
            self._writable = False
            return
        for offset, text in enumerate(texts):
            self._rows.setdefault(_key(text), self._count + offset)
        self._count += len(rows)

    def lookup(self, texts: Sequence[str]) -> tuple[list[int], np.ndarray]:
        """The kept rows of ``texts`` (float32, one per text) and the indices of texts not kept,
        whose rows are left for the caller to fill."""
        vectors = np.zeros((len(texts), self.width), dtype=np.float32)
        missing: list[int] = []
        if self._file is None:
            return list(range(len(texts))), vectors
        size = self.width * 4
        descriptor = self._file.fileno()  # each kept row was flushed when it was added
        for index, text in enumerate(texts):
            row = self._rows.get(_key(text))
            if row is None:
                missing.append(index)
                continue
            vectors[index] = np.frombuffer(os.pread(descriptor, size, row * size), dtype=np.float32)
        return missing, vectors
