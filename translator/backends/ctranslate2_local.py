"""A local CTranslate2 model (OPUS-MT/Marian, NLLB, M2M-100 … converted with ``ct2-*-converter``).

Offline and free, at the cost of quality. Text is tokenised with SentencePiece on both sides.
Such models know nothing of inline codes, so codes go as ``⟦N⟧`` placeholders and never reach
the model: each text is cut at its placeholders, the pieces between them are translated as
separate sentences, and the placeholders are put back between the translated pieces in their
original order. That keeps every code and protected word intact; the price is that the engine
cannot move a code within a sentence, and that a sentence broken by a code is translated in
parts.

``ctranslate2`` and ``sentencepiece`` are the ``local`` extra, imported only when the backend is
built. The model loads once, on first use; ``translate_batch`` blocks, so it runs in a thread.
"""

from __future__ import annotations

import asyncio
import dataclasses
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..config import Settings
from ..errors import BackendNotReady
from ..markup import PLACEHOLDER_RE
from .base import Backend, BackendSpec, Capabilities, Readiness, TranslateRequest
from .options import BackendOptions, described

# Names converters and model hubs give SentencePiece files, most specific first.
SOURCE_SPM_NAMES = ("source.spm", "sentencepiece.bpe.model", "sentencepiece.model", "spm.model")
TARGET_SPM_NAMES = ("target.spm", "sentencepiece.bpe.model", "sentencepiece.model", "spm.model")
LETTER = re.compile(r"[^\W\d_]")


@dataclasses.dataclass(frozen=True)
class CTranslate2Options(BackendOptions):
    model: str | None = described(None, "folder of a converted CTranslate2 model (model.bin)")
    source_spm: str | None = described(None, "SentencePiece model for the source (default: source.spm or sentencepiece*.model in it)")
    target_spm: str | None = described(None, "SentencePiece model for the target (default: target.spm, else the source one)")
    source_prefix: list[str] | str | None = described(None, 'tokens before each source, e.g. ["eng_Latn"] for NLLB')
    source_suffix: list[str] | str | None = described(None, 'tokens after each source, e.g. ["</s>"] for NLLB and M2M-100')
    target_prefix: list[str] | str | None = described(None, 'tokens forcing the target language, e.g. ["jpn_Jpan"] (NLLB)')
    device: str = described("cpu", "cpu | cuda | auto")
    compute_type: str = described("int8", "int8 | default | float16 | …")
    beam_size: int = described(4, "beam size")
    max_decoding_length: int = described(256, "tokens")
    inter_threads: int = described(1, "parallel batches")
    intra_threads: int = described(0, "threads per batch (0: CTranslate2 decides)")


class CTranslate2Backend(Backend):
    name = "ctranslate2"
    description = "local CTranslate2 model with SentencePiece (offline; codes kept as placeholders)"
    spec = BackendSpec(
        needs="[backends.ctranslate2] model = a converted CTranslate2 model folder, and SentencePiece model(s)",
        extras=("local",),
        notes="pip install 'translator[local]'",
    )
    capabilities = Capabilities(max_texts=32, max_bytes=16 * 1024, markup="placeholder")
    Options = CTranslate2Options

    def __init__(
        self,
        model_dir: Path,
        source_spm: Path,
        target_spm: Path,
        *,
        source_prefix: Sequence[str] = (),
        source_suffix: Sequence[str] = (),
        target_prefix: Sequence[str] = (),
        device: str = "cpu",
        compute_type: str = "int8",
        beam_size: int = 4,
        max_decoding_length: int = 256,
        inter_threads: int = 1,
        intra_threads: int = 0,
    ):
        self.model_dir = model_dir
        self.source_spm = source_spm
        self.target_spm = target_spm
        self.source_prefix = list(source_prefix)
        self.source_suffix = list(source_suffix)
        self.target_prefix = list(target_prefix)
        self.device = device
        self.compute_type = compute_type
        self.beam_size = beam_size
        self.max_decoding_length = max_decoding_length
        self.inter_threads = inter_threads
        self.intra_threads = intra_threads
        self._engine: tuple[Any, Any, Any] | None = None
        self._load_lock = asyncio.Lock()

    @classmethod
    def from_settings(cls, settings: Settings, *, url: str | None = None) -> CTranslate2Backend:
        try:
            import ctranslate2  # noqa: F401 - fail here, with the fix, rather than mid-run
            import sentencepiece  # noqa: F401
        except ImportError as exc:
            raise BackendNotReady(
                f"ctranslate2: the local engine needs {exc.name}; pip install 'translator[local]'"
            ) from exc
        options = settings.backend_options(cls.name)
        if not options.get("model"):
            raise BackendNotReady(
                "ctranslate2: no model; set [backends.ctranslate2] model to a converted CTranslate2 model folder"
            )
        model_dir = Path(str(options["model"])).expanduser()
        check_model_dir(model_dir)
        source_spm = spm_path(model_dir, options.get("source_spm"), SOURCE_SPM_NAMES, "source_spm")
        target_spm = (
            spm_path(model_dir, options["target_spm"], (), "target_spm")
            if options.get("target_spm")
            else _default_target_spm(model_dir, source_spm)
        )
        return cls(
            model_dir,
            source_spm,
            target_spm,
            source_prefix=_tokens(options.get("source_prefix"), "source_prefix"),
            source_suffix=_tokens(options.get("source_suffix"), "source_suffix"),
            target_prefix=_tokens(options.get("target_prefix"), "target_prefix"),
            device=str(options.get("device", "cpu")),
            compute_type=str(options.get("compute_type", "int8")),
            beam_size=int(options.get("beam_size", 4)),
            max_decoding_length=int(options.get("max_decoding_length", 256)),
            inter_threads=int(options.get("inter_threads", 1)),
            intra_threads=int(options.get("intra_threads", 0)),
        )

    def signature(self) -> str:
        return (
            f"ctranslate2|{self.model_dir.resolve().name}|{self.compute_type}|beam={self.beam_size}"
            f"|prefix={' '.join(self.target_prefix)}"
        )

    async def translate(self, request: TranslateRequest) -> list[str]:
        pieces = [split_placeholders(text) for text in request.texts]
        sentences = [core for parts in pieces for kind, _, core, _ in parts if kind == "text"]
        translated = iter(await self._translate_sentences(sentences) if sentences else [])
        out: list[str] = []
        for parts in pieces:
            rebuilt: list[str] = []
            for kind, lead, core, trail in parts:
                rebuilt.append(f"{lead}{next(translated)}{trail}" if kind == "text" else core)
            out.append("".join(rebuilt))
        return out

    async def _translate_sentences(self, sentences: list[str]) -> list[str]:
        async with self._load_lock:
            if self._engine is None:
                self._engine = await asyncio.to_thread(self._load)
        return await asyncio.to_thread(self._run, sentences)

    def _load(self) -> tuple[Any, Any, Any]:
        import ctranslate2
        import sentencepiece

        translator = ctranslate2.Translator(
            str(self.model_dir),
            device=self.device,
            compute_type=self.compute_type,
            inter_threads=self.inter_threads,
            intra_threads=self.intra_threads,
        )
        source = sentencepiece.SentencePieceProcessor(model_file=str(self.source_spm))
        target = sentencepiece.SentencePieceProcessor(model_file=str(self.target_spm))
        return translator, source, target

    def _run(self, sentences: list[str]) -> list[str]:
        assert self._engine is not None
        translator, source, target = self._engine
        batch = [
            self.source_prefix + source.encode(sentence, out_type=str) + self.source_suffix
            for sentence in sentences
        ]
        results = translator.translate_batch(
            batch,
            target_prefix=[self.target_prefix] * len(batch) if self.target_prefix else None,
            beam_size=self.beam_size,
            max_decoding_length=self.max_decoding_length,
        )
        skip = len(self.target_prefix)
        return [target.decode(result.hypotheses[0][skip:]).strip() for result in results]

    async def readiness(self) -> Readiness:
        return Readiness(True, f"model {self.model_dir} ({self.device}, {self.compute_type}); loads on first use")


def split_placeholders(text: str) -> list[tuple[str, str, str, str]]:
    """Cut a placeholder text into ``(kind, leading space, core, trailing space)`` parts.

    ``kind`` is ``"text"`` for a run worth translating (it has a letter) and ``"keep"`` for
    placeholders and runs of spaces, digits or punctuation, which are copied as they are.
    """
    parts: list[tuple[str, str, str, str]] = []
    pos = 0
    for match in [*PLACEHOLDER_RE.finditer(text), None]:
        end = match.start() if match else len(text)
        run = text[pos:end]
        if run:
            core = run.strip()
            if LETTER.search(core):
                lead = run[: len(run) - len(run.lstrip())]
                trail = run[len(run.rstrip()):]
                parts.append(("text", lead, core, trail))
            else:
                parts.append(("keep", "", run, ""))
        if match:
            parts.append(("keep", "", match.group(0), ""))
            pos = match.end()
    return parts


def check_model_dir(model_dir: Path) -> None:
    if not model_dir.is_dir():
        raise BackendNotReady(
            f"ctranslate2: model folder {model_dir} not found; set [backends.ctranslate2] model "
            "to a converted CTranslate2 model folder"
        )
    if not (model_dir / "model.bin").is_file():
        raise BackendNotReady(
            f"ctranslate2: {model_dir} has no model.bin; [backends.ctranslate2] model must be a folder "
            "made by a ct2-*-converter"
        )


def spm_path(model_dir: Path, configured: Any, names: Sequence[str], setting: str) -> Path:
    """The configured SentencePiece file (relative to the model folder if not absolute), or a default."""
    if configured:
        path = Path(str(configured)).expanduser()
        path = path if path.is_absolute() else model_dir / path
        if not path.is_file():
            raise BackendNotReady(
                f"ctranslate2: SentencePiece model {path} not found; check [backends.ctranslate2] {setting}"
            )
        return path
    for name in names:
        if (model_dir / name).is_file():
            return model_dir / name
    raise BackendNotReady(
        f"ctranslate2: no SentencePiece model in {model_dir} ({' or '.join(names)}); "
        f"set [backends.ctranslate2] {setting}"
    )


def _default_target_spm(model_dir: Path, source_spm: Path) -> Path:
    """``target.spm`` for Marian-style models with two vocabularies, else the shared source one."""
    target = model_dir / "target.spm"
    return target if target.is_file() else source_spm


def _tokens(value: Any, setting: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return value.split()
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return value
    raise BackendNotReady(f'ctranslate2: [backends.ctranslate2] {setting} must be a list of tokens, e.g. ["jpn_Jpan"]')
