"""The offline engine: CTranslate2 models with SentencePiece, run on this machine.

``local`` finds its models by language pair among those ``translator models install`` put in
the user data folder (Argos Translate packages), and pivots through English when only X→en and
en→Y are installed. ``[backends.local] model = "/path"`` points it at one converted model
folder instead (OPUS-MT/Marian, NLLB, M2M-100 … made with ``ct2-*-converter``), used for every
pair. ``ctranslate2`` is the same engine under its older name, read from
``[backends.ctranslate2]``.

Such models know nothing of inline codes, so codes go as ``⟦N⟧`` placeholders and never reach
the model: each text is cut at its placeholders, the pieces between them are translated as
separate sentences (a long piece is cut at sentence ends first: these models are trained on
sentences), and the placeholders are put back between the translated pieces in their original
order. That keeps every code and protected word intact; the price is that the engine cannot move
a code within a sentence, and that a sentence broken by a code is translated in parts.

It runs on a GPU when CTranslate2 sees one, else on the CPU with threads from the core count.
``ctranslate2`` and ``sentencepiece`` are the ``local`` extra, imported only when the backend is
built. A model loads once, on first use; ``translate_batch`` blocks, so it runs in a thread.
"""

from __future__ import annotations

import asyncio
import dataclasses
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..config import Settings
from ..errors import BackendNotReady
from ..markup import PLACEHOLDER_RE
from ..models.default import missing_model
from ..models.store import InstalledModel, ModelStore, language
from .base import Backend, BackendSpec, Capabilities, Readiness, TranslateRequest
from .options import BackendOptions, choice, described

# Names converters and model hubs give SentencePiece files, most specific first.
SOURCE_SPM_NAMES = ("source.spm", "sentencepiece.bpe.model", "sentencepiece.model", "spm.model")
TARGET_SPM_NAMES = ("target.spm", "sentencepiece.bpe.model", "sentencepiece.model", "spm.model")
LETTER = re.compile(r"[^\W\d_]")
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'(\[]?[A-Z0-9])")
# Scripts written without spaces between sentences.
UNSPACED = ("ja", "zh", "zt", "th", "lo", "km", "my")


@dataclass(frozen=True)
class EngineModel:
    """One model folder and how to feed it."""

    model_dir: Path
    source_spm: Path
    target_spm: Path
    source_prefix: tuple[str, ...] = ()
    source_suffix: tuple[str, ...] = ()
    target_prefix: tuple[str, ...] = ()

    @classmethod
    def installed(cls, model: InstalledModel) -> EngineModel:
        prefix = (model.target_prefix,) if model.target_prefix else ()
        return cls(model.model_dir, model.spm, model.spm, target_prefix=prefix)


def thread_defaults(cores: int) -> tuple[int, int]:
    """(inter, intra) threads: one batch at a time using every core on a small machine; on a
    bigger one, a batch per four cores so concurrent requests overlap."""
    inter = max(1, cores // 4)
    return inter, max(1, cores // inter)


def core_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


@dataclasses.dataclass(frozen=True)
class LocalOptions(BackendOptions):
    model: str | None = described(
        None, "a converted CTranslate2 model folder (model.bin), used for every pair instead of installed models"
    )
    index_url: str | None = described(None, "package index for 'translator models' (a team mirror; default Argos's)")
    source_spm: str | None = described(None, "with model: SentencePiece model for the source (default: found in it)")
    target_spm: str | None = described(
        None, "with model: SentencePiece model for the target (default: target.spm, else the source one)"
    )
    source_prefix: list[str] | str | None = described(
        None, 'with model: tokens before each source, e.g. ["eng_Latn"] (NLLB)'
    )
    source_suffix: list[str] | str | None = described(
        None, 'with model: tokens after each source, e.g. ["</s>"] (NLLB)'
    )
    target_prefix: list[str] | str | None = described(
        None, 'with model: tokens forcing the target language, e.g. ["jpn_Jpan"]'
    )
    device: str = choice("auto", "auto", "cpu", "cuda", help="auto: cuda when CTranslate2 sees a GPU, else cpu")
    compute_type: str | None = described(None, "default int8 on cpu, int8_float16 on cuda; or default, float16, …")
    beam_size: int = described(4, "beam size")
    max_decoding_length: int = described(256, "tokens")
    inter_threads: int | None = described(None, "batches run in parallel (default: one per four cores)")
    intra_threads: int | None = described(None, "threads per batch (default: the cores divided among the batches)")


class LocalBackend(Backend):
    name = "local"
    description = "offline CTranslate2 engine: models installed with 'translator models', or a model folder"
    spec = BackendSpec(
        needs="an installed model for the pair ('translator models install en-ja'), or [backends.local] model",
        extras=("local",),
        notes="pip install 'translator[local]'",
    )
    capabilities = Capabilities(max_texts=32, max_bytes=16 * 1024, markup="placeholder")
    Options = LocalOptions

    def __init__(
        self,
        *,
        fixed: EngineModel | None = None,
        store: ModelStore | None = None,
        device: str = "cpu",
        compute_type: str = "int8",
        beam_size: int = 4,
        max_decoding_length: int = 256,
        inter_threads: int = 1,
        intra_threads: int = 0,
    ):
        if (fixed is None) == (store is None):
            raise ValueError("a local backend needs exactly one of a fixed model or a model store")
        self.fixed = fixed
        self.store = store
        self.device = device
        self.compute_type = compute_type
        self.beam_size = beam_size
        self.max_decoding_length = max_decoding_length
        self.inter_threads = inter_threads
        self.intra_threads = intra_threads
        self._engines: dict[Path, tuple[Any, Any, Any]] = {}
        self._load_lock = asyncio.Lock()

    @classmethod
    def from_settings(cls, settings: Settings, *, url: str | None = None) -> LocalBackend:
        try:
            import ctranslate2
            import sentencepiece  # noqa: F401 - fail here, with the fix, rather than mid-run
        except ImportError as exc:
            raise BackendNotReady(
                f"{cls.name}: the local engine needs {exc.name}; pip install 'translator[local]'"
            ) from exc
        options = cls.options(settings, LocalOptions)
        device = options.device
        if device == "auto":
            device = "cuda" if ctranslate2.get_cuda_device_count() > 0 else "cpu"
        inter, intra = thread_defaults(core_count())
        runtime: dict[str, Any] = dict(
            device=device,
            compute_type=options.compute_type or ("int8_float16" if device == "cuda" else "int8"),
            beam_size=options.beam_size,
            max_decoding_length=options.max_decoding_length,
            inter_threads=options.inter_threads or inter,
            intra_threads=options.intra_threads or intra,
        )
        if options.model:
            return cls(fixed=cls.folder_model(options), **runtime)
        store = ModelStore.for_env(settings.env)
        if not store.route(settings.source, settings.target):
            raise BackendNotReady(missing_model(settings.source, settings.target))
        return cls(store=store, **runtime)

    @classmethod
    def folder_model(cls, options: LocalOptions) -> EngineModel:
        assert options.model
        model_dir = Path(options.model).expanduser()
        check_model_dir(model_dir, cls.name)
        source_spm = spm_path(model_dir, options.source_spm, SOURCE_SPM_NAMES, "source_spm", cls.name)
        target_spm = (
            spm_path(model_dir, options.target_spm, (), "target_spm", cls.name)
            if options.target_spm
            else _default_target_spm(model_dir, source_spm)
        )
        return EngineModel(
            model_dir,
            source_spm,
            target_spm,
            source_prefix=tuple(_tokens(options.source_prefix)),
            source_suffix=tuple(_tokens(options.source_suffix)),
            target_prefix=tuple(_tokens(options.target_prefix)),
        )

    def route(self, source: str, target: str) -> list[EngineModel]:
        if self.fixed is not None:
            return [self.fixed]
        assert self.store is not None
        models = self.store.route(source, target)
        if not models:
            raise BackendNotReady(missing_model(source, target))
        return [EngineModel.installed(model) for model in models]

    def signature(self) -> str:
        if self.fixed is not None:
            models = self.fixed.model_dir.resolve().name + f"|prefix={' '.join(self.fixed.target_prefix)}"
        else:
            assert self.store is not None
            models = ",".join(f"{m.name}@{m.version}" for m in self.store.installed())
        return f"{self.name}|{models}|{self.compute_type}|beam={self.beam_size}"

    async def translate(self, request: TranslateRequest) -> list[str]:
        route = self.route(request.source_lang, request.target_lang)
        joiner = "" if language(request.target_lang).split("-")[0] in UNSPACED else " "
        pieces = [split_placeholders(text) for text in request.texts]
        runs = [core for parts in pieces for kind, _, core, _ in parts if kind == "text"]
        sentences = [split_sentences(run) for run in runs]
        flat = [sentence for group in sentences for sentence in group]
        for model in route:
            flat = await self._translate_sentences(model, flat) if flat else []
        done = iter(flat)
        translated = iter([joiner.join(next(done) for _ in group) for group in sentences])
        out: list[str] = []
        for parts in pieces:
            rebuilt: list[str] = []
            for kind, lead, core, trail in parts:
                rebuilt.append(f"{lead}{next(translated)}{trail}" if kind == "text" else core)
            out.append("".join(rebuilt))
        return out

    async def _translate_sentences(self, model: EngineModel, sentences: list[str]) -> list[str]:
        async with self._load_lock:
            if model.model_dir not in self._engines:
                self._engines[model.model_dir] = await asyncio.to_thread(self._load, model)
        return await asyncio.to_thread(self._run, model, self._engines[model.model_dir], sentences)

    def _load(self, model: EngineModel) -> tuple[Any, Any, Any]:
        import ctranslate2
        import sentencepiece

        translator = ctranslate2.Translator(
            str(model.model_dir),
            device=self.device,
            compute_type=self.compute_type,
            inter_threads=self.inter_threads,
            intra_threads=self.intra_threads,
        )
        source = sentencepiece.SentencePieceProcessor(model_file=str(model.source_spm))
        target = sentencepiece.SentencePieceProcessor(model_file=str(model.target_spm))
        return translator, source, target

    def _run(self, model: EngineModel, engine: tuple[Any, Any, Any], sentences: list[str]) -> list[str]:
        translator, source, target = engine
        prefix, suffix, forced = list(model.source_prefix), list(model.source_suffix), list(model.target_prefix)
        batch = [prefix + source.encode(sentence, out_type=str) + suffix for sentence in sentences]
        results = translator.translate_batch(
            batch,
            target_prefix=[forced] * len(batch) if forced else None,
            beam_size=self.beam_size,
            max_decoding_length=self.max_decoding_length,
        )
        return [target.decode(result.hypotheses[0][len(forced) :]).strip() for result in results]

    def summary(self) -> str:
        """What ``translator backends`` shows: the models this engine would use, and where it runs."""
        where = f"{self.device}, {self.compute_type}, {self.inter_threads}x{self.intra_threads} threads"
        if self.fixed is not None:
            return f"model {self.fixed.model_dir} ({where})"
        assert self.store is not None
        models = ", ".join(f"{m.name} {m.version}".strip() for m in self.store.installed())
        return f"installed models: {models} ({where})"

    async def readiness(self) -> Readiness:
        return Readiness(True, f"{self.summary()}; loads on first use")


class CTranslate2Backend(LocalBackend):
    """The same engine under its older name, configured from ``[backends.ctranslate2]``."""

    name = "ctranslate2"
    description = "the local engine under its older name (see 'local')"
    spec = BackendSpec(
        needs="[backends.ctranslate2] model = a converted CTranslate2 model folder, or an installed model",
        extras=LocalBackend.spec.extras,
        notes=LocalBackend.spec.notes,
    )


def split_sentences(text: str) -> list[str]:
    """A run cut at sentence ends (``. `` before a capital or digit), each part stripped."""
    return [part for part in (p.strip() for p in SENTENCE_END.split(text)) if part] or [text]


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
                trail = run[len(run.rstrip()) :]
                parts.append(("text", lead, core, trail))
            else:
                parts.append(("keep", "", run, ""))
        if match:
            parts.append(("keep", "", match.group(0), ""))
            pos = match.end()
    return parts


def check_model_dir(model_dir: Path, name: str) -> None:
    if not model_dir.is_dir():
        raise BackendNotReady(
            f"{name}: model folder {model_dir} not found; set [backends.{name}] model "
            "to a converted CTranslate2 model folder, or remove it to use installed models"
        )
    if not (model_dir / "model.bin").is_file():
        raise BackendNotReady(
            f"{name}: {model_dir} has no model.bin; [backends.{name}] model must be a folder made by a ct2-*-converter"
        )


def spm_path(model_dir: Path, configured: Any, names: Sequence[str], setting: str, name: str) -> Path:
    """The configured SentencePiece file (relative to the model folder if not absolute), or a default."""
    if configured:
        path = Path(str(configured)).expanduser()
        path = path if path.is_absolute() else model_dir / path
        if not path.is_file():
            raise BackendNotReady(f"{name}: SentencePiece model {path} not found; check [backends.{name}] {setting}")
        return path
    for candidate in names:
        if (model_dir / candidate).is_file():
            return model_dir / candidate
    raise BackendNotReady(
        f"{name}: no SentencePiece model in {model_dir} ({' or '.join(names)}); set [backends.{name}] {setting}"
    )


def _default_target_spm(model_dir: Path, source_spm: Path) -> Path:
    """``target.spm`` for Marian-style models with two vocabularies, else the shared source one."""
    target = model_dir / "target.spm"
    return target if target.is_file() else source_spm


def _tokens(value: list[str] | str | None) -> list[str]:
    """Tokens as a TOML list, or one string of space-separated tokens (types checked by ``Options``)."""
    if value is None:
        return []
    return value.split() if isinstance(value, str) else list(value)
