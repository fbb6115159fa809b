"""A loopback Argos Translate package index, and tiny packages to put in it.

``ModelIndexServer`` serves ``/index.json`` (the argospm index format: a JSON list of entries
with ``from_code``, ``to_code``, ``package_version``, ``links`` …) and the ``.argosmodel`` files
it links to, honouring ``Range: bytes=N-`` with ``206 Partial Content`` like a real file host,
so resumed downloads are exercised through the real transport. The shared fault vocabulary
applies; ``"cut"`` (a body that stops part-way) is the one a download meets most::

    with ModelIndexServer() as index:
        index.add(argos_package(tiny_model(folder), "en", "ja"), "en", "ja")
        index.faults.queue("cut", path="/packages/", after=1000)
        # translator models install en-ja --index-url {index.url}/index.json

``tiny_model`` builds a one-layer random Transformer with a SentencePiece vocabulary trained on a
few English words, through CTranslate2's own converter path: a real model of the real format,
small enough to make in a test (it translates into gibberish, but deterministically).
``ctranslate2``, ``sentencepiece`` and ``numpy`` are imported only by it.
"""

from __future__ import annotations

import hashlib
import io
import json
import random
import re
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from translator.testing.server import LoopbackServer, Request, Response, json_response, text_response

__all__ = ["ModelIndexServer", "argos_package", "tiny_model"]

RANGE = re.compile(r"bytes=(\d+)-(\d*)")
WORDS = "amazon sagemaker trains the model on data with spot instances to save cost and runs inference".split()
HIDDEN, FFN = 16, 32


@dataclass
class _Package:
    entry: dict[str, Any]
    data: bytes


class ModelIndexServer(LoopbackServer):
    """An index and its packages; ``add`` returns the package's URL."""

    def __init__(self) -> None:
        super().__init__()
        self.packages: dict[str, _Package] = {}

    def add(
        self,
        data: bytes,
        source: str,
        target: str,
        *,
        version: str = "1.0",
        sha256: str | bool = True,
        **extra: Any,
    ) -> str:
        """List a package; ``sha256=True`` gives its real checksum, a string a chosen (wrong) one,
        ``False`` none (as Argos's own index gives none). ``extra`` adds entry fields."""
        file_name = f"translate-{source}_{target}-{version.replace('.', '_')}.argosmodel"
        entry: dict[str, Any] = {
            "package_version": version,
            "argos_version": version,
            "from_code": source,
            "from_name": source,
            "to_code": target,
            "to_name": target,
            "links": [f"ipfs://{hashlib.sha256(data).hexdigest()[:16]}", f"{self.url}/packages/{file_name}"],
            "code": f"translate-{source}_{target}",
            "size": len(data),
            **extra,
        }
        if sha256:
            entry["sha256"] = hashlib.sha256(data).hexdigest() if sha256 is True else sha256
        self.packages[file_name] = _Package(entry, data)
        return entry["links"][-1]

    def handle(self, request: Request) -> Response:
        if request.method not in ("GET", "HEAD"):
            return self.error_response(405, "Method not allowed")
        if request.path == "/index.json":
            return json_response(200, [package.entry for package in self.packages.values()])
        if request.path.startswith("/packages/"):
            package = self.packages.get(request.path.removeprefix("/packages/"))
            if package is None:
                return self.error_response(404, "Not found")
            return self._file(package.data, request.headers.get("range"))
        return self.error_response(404, "Not found")

    def _file(self, data: bytes, range_header: str | None) -> Response:
        headers = {"Content-Type": "application/zip", "Accept-Ranges": "bytes"}
        if not range_header:
            return Response(200, data, headers)
        match = RANGE.fullmatch(range_header.strip())
        start = int(match.group(1)) if match else -1
        if start < 0 or start >= len(data):
            return Response(416, b"", {"Content-Range": f"bytes */{len(data)}"})
        end = int(match.group(2)) if match and match.group(2) else len(data) - 1
        body = data[start : end + 1]
        return Response(206, body, {**headers, "Content-Range": f"bytes {start}-{start + len(body) - 1}/{len(data)}"})

    def error_response(self, status: int, message: str, **extra: str) -> Response:
        return text_response(status, message)

    def quota_response(self) -> Response:
        return text_response(429, "Too many downloads")

    def reset_state(self) -> None:
        self.packages.clear()


def argos_package(
    model: Path,
    source: str,
    target: str,
    *,
    version: str = "1.0",
    extra_entries: dict[str, bytes] | None = None,
    metadata: dict[str, Any] | None = None,
) -> bytes:
    """A ``.argosmodel``: one folder with ``metadata.json``, ``model/`` and ``sentencepiece.model``.

    ``model`` is a folder as ``tiny_model`` makes it (CTranslate2 files plus sentencepiece.model);
    ``extra_entries`` adds raw entries by name (a hostile package's ``../x`` for example)."""
    root = f"translate-{source}_{target}-{version.replace('.', '_')}"
    meta = {
        "package_version": version,
        "argos_version": version,
        "from_code": source,
        "from_name": source,
        "to_code": target,
        "to_name": target,
        **(metadata or {}),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(f"{root}/metadata.json", json.dumps(meta, indent=2))
        zf.writestr(f"{root}/README.md", f"A tiny random {source}→{target} model made for tests.\n")
        for path in sorted(model.rglob("*")):
            if path.is_file():
                relative = path.relative_to(model).as_posix()
                name = relative if relative == "sentencepiece.model" else f"model/{relative}"
                zf.write(path, f"{root}/{name}")
        for name, data in (extra_entries or {}).items():
            zf.writestr(name, data)
    return buffer.getvalue()


def tiny_model(folder: Path) -> Path:
    """A real CTranslate2 model folder (with ``sentencepiece.model``) of a random one-layer Transformer."""
    import ctranslate2
    import numpy as np
    import sentencepiece as spm

    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(0)
    sentences = [" ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 9))).capitalize() + "." for _ in range(300)]
    trained = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(sentences),
        model_writer=trained,
        vocab_size=60,
        model_type="bpe",
        character_coverage=1.0,
        bos_id=-1,
        eos_id=-1,
        unk_id=0,
        pad_id=-1,
        minloglevel=2,
    )
    spm_file = folder / "sentencepiece.tmp"
    spm_file.write_bytes(trained.getvalue())
    processor = spm.SentencePieceProcessor(model_file=str(spm_file))
    pieces = [processor.id_to_piece(i) for i in range(processor.get_piece_size())]
    vocabulary = ["<blank>", "<unk>", "<s>", "</s>", *(p for p in pieces if p != "<unk>")]

    spec = ctranslate2.specs.TransformerSpec.from_config(num_layers=1, num_heads=2)
    weights = np.random.default_rng(0)
    size = len(vocabulary)
    shapes = {
        "embeddings/weight": (size, HIDDEN),
        "embeddings_0/weight": (size, HIDDEN),
        "projection/weight": (size, HIDDEN),
        "self_attention/linear_0/weight": (3 * HIDDEN, HIDDEN),
        "self_attention/linear_1/weight": (HIDDEN, HIDDEN),
        "attention/linear_0/weight": (HIDDEN, HIDDEN),
        "attention/linear_1/weight": (2 * HIDDEN, HIDDEN),
        "attention/linear_2/weight": (HIDDEN, HIDDEN),
        "ffn/linear_0/weight": (FFN, HIDDEN),
        "ffn/linear_1/weight": (HIDDEN, FFN),
    }
    for name, value in spec.variables(ordered=True):
        if value is not None:
            continue
        *path, attribute = name.split("/")
        owner: Any = spec
        for step in path:
            base, _, index = step.rpartition("_")
            owner = getattr(owner, step) if hasattr(owner, step) else getattr(owner, base)[int(index)]
        if attribute == "gamma":
            setattr(owner, attribute, np.ones(HIDDEN, np.float32))
        elif attribute == "beta":
            setattr(owner, attribute, np.zeros(HIDDEN, np.float32))
        else:
            shape = next(shape for suffix, shape in shapes.items() if name.endswith(suffix))
            setattr(owner, attribute, (weights.standard_normal(shape) * 0.1).astype(np.float32))
    spec.register_source_vocabulary(vocabulary)
    spec.register_target_vocabulary(vocabulary)
    spec.validate()

    class SpecConverter(ctranslate2.converters.Converter):
        """Saves a spec built in memory, through the same path the real converters use."""

        def _load(self) -> Any:
            return spec

    model = folder / "model"
    SpecConverter().convert(str(model), force=True)
    shutil.move(str(spm_file), model / "sentencepiece.model")
    return model
