"""Where installed models live, which are installed, and which serve a language pair.

Each model is one folder ``models/SOURCE-TARGET`` in the user data folder (platformdirs;
``TRANSLATOR_DATA_DIR`` relocates it, like ``TRANSLATOR_CACHE_DIR`` does the cache). A folder is
only ever put there whole, by one rename (see ``place``), so a folder that is there is complete.
Names starting with ``.`` are work in progress (downloads, staging) and never count as models.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import ModelError

METADATA = "metadata.json"
SPM = "sentencepiece.model"
PIVOT = "en"  # Argos packages mostly go to and from English, so English is the pivot


def data_dir(env: Mapping[str, str] | None = None) -> Path:
    env = os.environ if env is None else env
    if env.get("TRANSLATOR_DATA_DIR"):
        return Path(env["TRANSLATOR_DATA_DIR"]).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("translator", appauthor=False))


def models_dir(env: Mapping[str, str] | None = None) -> Path:
    return data_dir(env) / "models"


def language(code: str) -> str:
    """``JA``, ``ja-JP`` and ``ja_JP`` all name the same model language, ``ja``; ``zt`` and
    ``pt-BR``-style codes an index uses itself are kept when they match exactly (see ``matches``)."""
    return code.strip().lower().replace("_", "-")


def matches(model_code: str, wanted: str) -> bool:
    wanted = language(wanted)
    model_code = language(model_code)
    return model_code == wanted or model_code == wanted.split("-")[0]


def pair_name(source: str, target: str) -> str:
    return f"{language(source)}-{language(target)}"


@dataclass(frozen=True)
class InstalledModel:
    """One unpacked package: its folder and what its ``metadata.json`` says."""

    path: Path
    source: str
    target: str
    version: str = ""
    license: str = ""
    target_prefix: str = ""
    source_name: str = ""
    target_name: str = ""

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def model_dir(self) -> Path:
        return self.path / "model"

    @property
    def spm(self) -> Path:
        return self.path / SPM

    def size(self) -> int:
        return sum(p.stat().st_size for p in self.path.rglob("*") if p.is_file() and not p.is_symlink())


def read_package(folder: Path) -> InstalledModel:
    """A package folder checked for what the engine needs, or ``ModelError`` saying what is missing."""
    metadata_path = folder / METADATA
    try:
        metadata = json.loads(metadata_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ModelError("not a translation package: it has no metadata.json", path=str(folder)) from None
    except (OSError, ValueError) as exc:
        raise ModelError(f"metadata.json is not readable JSON ({exc})", path=str(folder)) from None
    if not isinstance(metadata, dict):
        raise ModelError("metadata.json is not a JSON object", path=str(folder))
    source, target = metadata.get("from_code"), metadata.get("to_code")
    if not (isinstance(source, str) and source and isinstance(target, str) and target):
        raise ModelError("metadata.json names no from_code and to_code", path=str(folder))
    if metadata.get("type", "translate") != "translate":
        raise ModelError(f"a '{metadata.get('type')}' package, not a translation model", path=str(folder))
    if not (folder / "model" / "model.bin").is_file():
        raise ModelError("the package has no CTranslate2 model (model/model.bin)", path=str(folder))
    if not (folder / SPM).is_file():
        raise ModelError(
            "the package has no sentencepiece.model; only SentencePiece packages are supported", path=str(folder)
        )
    return InstalledModel(
        path=folder,
        source=language(source),
        target=language(target),
        version=_text(metadata, "package_version"),
        license=_text(metadata, "license"),
        target_prefix=_text(metadata, "target_prefix"),
        source_name=_text(metadata, "from_name"),
        target_name=_text(metadata, "to_name"),
    )


def _text(metadata: Mapping[str, Any], key: str) -> str:
    value = metadata.get(key)
    return value if isinstance(value, str) else ""


class ModelStore:
    """The installed models under one folder."""

    def __init__(self, root: Path):
        self.root = root

    @classmethod
    def for_env(cls, env: Mapping[str, str] | None = None) -> ModelStore:
        return cls(models_dir(env))

    def installed(self) -> list[InstalledModel]:
        if not self.root.is_dir():
            return []
        found = []
        for folder in sorted(self.root.iterdir()):
            if folder.name.startswith(".") or not folder.is_dir() or folder.is_symlink():
                continue
            try:
                found.append(read_package(folder))
            except ModelError:
                continue  # not ours, or damaged by hand: never used, and ``list`` does not show it
        return found

    def get(self, name: str) -> InstalledModel | None:
        return next((m for m in self.installed() if m.name == normalise_name(name)), None)

    def find(self, source: str, target: str) -> InstalledModel | None:
        models = self.installed()
        exact = [m for m in models if m.source == language(source) and m.target == language(target)]
        loose = [m for m in models if matches(m.source, source) and matches(m.target, target)]
        return next(iter(exact or loose), None)

    def route(self, source: str, target: str) -> list[InstalledModel] | None:
        """The models that take ``source`` to ``target``: one, or two through English, or ``None``."""
        direct = self.find(source, target)
        if direct is not None:
            return [direct]
        if matches(PIVOT, source) or matches(PIVOT, target):
            return None
        first, second = self.find(source, PIVOT), self.find(PIVOT, target)
        return [first, second] if first and second else None

    def staging(self) -> Path:
        """A fresh folder beside the models, so a finished one moves in by a rename."""
        folder = self.root / ".staging" / uuid.uuid4().hex
        folder.mkdir(parents=True)
        return folder

    def downloads(self) -> Path:
        folder = self.root / ".downloads"
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    def place(self, package: Path) -> InstalledModel:
        """Move a checked package folder in as ``SOURCE-TARGET``, replacing an older one.

        The new folder appears by one rename; an older one is renamed aside first and deleted
        after, so at every moment the name holds a complete model (or, for an instant, none)."""
        model = read_package(package)
        destination = self.root / pair_name(model.source, model.target)
        aside = self.root / ".staging" / f"old-{uuid.uuid4().hex}"
        had_old = destination.exists()
        if had_old:
            os.rename(destination, aside)
        try:
            os.rename(package, destination)
        except OSError:
            if had_old:
                os.rename(aside, destination)
            raise
        if had_old:
            shutil.rmtree(aside, ignore_errors=True)
        return read_package(destination)

    def remove(self, name: str) -> InstalledModel:
        model = self.get(name)
        if model is None:
            names = ", ".join(m.name for m in self.installed()) or "none"
            raise ModelError(f"no installed model named '{name}' (installed: {names})")
        aside = self.root / ".staging" / f"removed-{uuid.uuid4().hex}"
        aside.parent.mkdir(parents=True, exist_ok=True)
        os.rename(model.path, aside)  # gone from the engine's view at once, then deleted
        shutil.rmtree(aside, ignore_errors=True)
        return model


def normalise_name(name: str) -> str:
    """``en-ja``, ``en_ja``, ``EN-JA`` and Argos's ``translate-en_ja`` all name the folder ``en-ja``."""
    text = language(name)
    if text.startswith("translate-"):
        text = text[len("translate-") :]
    return text
